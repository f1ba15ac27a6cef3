"""Unsafe link schemes made inert in the Markdown knownfix writes (core.text.mdlinks)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.text.mdlinks import neutralize_links, unsafe_scheme

CASES = [
    ("[x](javascript:alert(1))", "[x](#javascript:alert(1))"),
    ("[x]( JaVa&#83;cript:alert(1))", "[x]( #JaVa&#83;cript:alert(1))"),
    ("[x](<javascript:alert(1)>)", "[x](<#javascript:alert(1)>)"),
    ("[x](java\\script:1)", "[x](#java\\script:1)"),
    ("![i](data:text/html;base64,PHNjcmlwdD4=)", "![i](#data:text/html;base64,PHNjcmlwdD4=)"),
    ("[ref]: vbscript:msgbox(1)", "[ref]: #vbscript:msgbox(1)"),
    ("<javascript:alert(1)>", "<#javascript:alert(1)>"),
    ('<a href="javascript:alert(1)">x</a>', '<a href="#javascript:alert(1)">x</a>'),
    ("<img src='file:///etc/passwd'>", "<img src='#file:///etc/passwd'>"),
]
SAFE = [
    "[docs](https://example.com/a?b=c) [mail](mailto:ops@example.com) [rel](runbook.md#db)",
    "<https://example.com> and <mailto:ops@example.com>",
    "`[x](javascript:alert(1))` in a code span stays as written",
    "```\n[x](javascript:alert(1))\n<a href=\"javascript:x\">\n```\n",
    "javascript: the language is fine in prose",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_unsafe_links_become_fragments(text: str, expected: str) -> None:
    assert neutralize_links(text) == expected
    assert neutralize_links(expected) == expected


@pytest.mark.parametrize("text", SAFE)
def test_safe_links_code_and_prose_are_left_alone(text: str) -> None:
    assert neutralize_links(text) == text


def test_code_fence_does_not_protect_what_follows_it() -> None:
    text = "```\ncode\n```\n[x](javascript:alert(1))\n"
    assert neutralize_links(text) == "```\ncode\n```\n[x](#javascript:alert(1))\n"


def test_the_scheme_is_read_as_a_browser_reads_it() -> None:
    assert unsafe_scheme("\tJaVaScRiPt:alert(1)") == "javascript"
    assert unsafe_scheme("jav&#x09;ascript:x") == "javascript"
    assert unsafe_scheme("https://example.com") is None
    assert unsafe_scheme("docs/a.md") is None


ALPHABET = st.sampled_from(
    ["[x](", "](", "<", ">", "javascript:", "data:", "https://", "`", "```\n", "\n", " ", "(",
     ")", "[ref]: ", "href=\"", "&#106;", "x", "#"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join) | st.text(max_size=200))
def test_only_hashes_are_inserted_and_it_is_idempotent(text: str) -> None:
    out = neutralize_links(text)
    assert out.replace("#", "") == text.replace("#", "")
    assert neutralize_links(out) == out
