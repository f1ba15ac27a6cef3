"""Tool-context weights do not grow with the number of documents (``context.py``).

A word ``k`` documents use names a tool by ``k`` alone once the knowledge base holds
``REFERENCE_DOCUMENTS`` documents: importing more documents that share no word with a page
(a team's incident logs, another product's FAQ) changes none of its context terms or weights.
Before, the weights were in units of ``log D``: a word three of 100 documents use weighed 0.73,
and 0.79 among 300, so a log naming it named a tool (and made another page's issue *foreign*)
only in the larger knowledge base (``bench/README.md``, *Ninth round*, *Tenth round*).
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.match import context
from knownfix.core.match.context import build_context
from knownfix.core.match.phrases import IssueTerms


def page(name: str, words: list[str], members: int = 4) -> list[IssueTerms]:
    """A document of ``members`` issues that all use ``words`` (and one word of their own)."""
    return [IssueTerms(f"{name}:{i}", f"docs/{name}/faq.md",
                       {"symptoms": {**{w: 1 for w in words}, f"{name}own{i}": 1}})
            for i in range(members)]


def shared_kb(documents: int, sharing: int) -> list[IssueTerms]:
    """``documents`` pages; the first ``sharing`` of them also use the word ``gizmo``."""
    out = []
    for d in range(documents):
        words = [f"tool{d}x", "gizmo"] if d < sharing else [f"tool{d}x"]
        out += page(f"proj{d}", words)
    return out


def unrelated(count: int) -> list[IssueTerms]:
    return [t for d in range(count) for t in page(f"zqother{d}", [f"zqword{d}", "zqcommon"])]


@settings(max_examples=25, deadline=None)
@given(base=st.integers(context.REFERENCE_DOCUMENTS, context.REFERENCE_DOCUMENTS + 60),
       sharing=st.integers(1, 8), added=st.integers(1, 400))
def test_unrelated_documents_change_no_context_weight(base: int, sharing: int,
                                                      added: int) -> None:
    alone = build_context(shared_kb(base, sharing)).terms
    larger = build_context([*shared_kb(base, sharing), *unrelated(added)]).terms
    assert {k: v for k, v in larger.items() if k in alone} == alone


def test_a_word_few_documents_use_weighs_by_their_number_alone() -> None:
    kb = build_context(shared_kb(300, 3)).terms
    reference = context.REFERENCE_DOCUMENTS + 1.0
    expected = math.log(reference / 3.5) / math.log(reference)
    assert kb["docs/proj0/faq.md"]["gizmo"] == expected  # 0.73: among 300 documents, not 0.79
    assert kb["docs/proj0/faq.md"]["tool0x"] == math.log(reference / 1.5) / math.log(reference)


def test_a_small_knowledge_base_keeps_its_own_number_of_documents() -> None:
    # Among 5 documents a word 2 of them use weighs log(6 / 2.5) / log 6 = 0.49: no tool.
    kb = build_context(shared_kb(5, 2)).terms
    assert "gizmo" not in kb["docs/proj0/faq.md"]
    assert "tool0x" in kb["docs/proj0/faq.md"]
