"""Issues that share no word with a log do not change its answer.

The knowledge base of ``tests/data/match`` with 1,000 issues added whose every word is nonsense,
shaped like its own issues (each field of an issue again, word for word replaced): a larger
knowledge base, and nothing about the failures changed. Every log of ``logs/cases.json`` keeps
its first match and its verdict, whether the added issues come in documents of 40 or in two
documents of 500 (counted as 50 issues each in term statistics, ``statistics.py``).

The seed-doc bench does not hold this yet (``bench/kb_unrelated.py``, ``bench/README.md``,
*Ninth round*: the largest IDF and the tool-context weights grow with the knowledge base); this
keeps the logs for which it holds from drifting.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.records import KnownIssue, SourceRef

DATA = Path(__file__).parent / "data" / "match"
KB = [KnownIssue.from_dict(d) for d in json.loads((DATA / "kb.json").read_text())]
CASES = [c["log"] for c in json.loads((DATA / "logs" / "cases.json").read_text())]
_WORD = re.compile(r"[A-Za-z0-9_]+")


def _nonsense(rng: random.Random) -> str:
    return "zq" + "".join(rng.choice("bcdfghjklmnpvwx") for _ in range(6))


def unrelated(count: int, per_document: int, seed: int = 11) -> list[KnownIssue]:
    """``count`` issues shaped like ``KB``'s, every word a nonsense one."""
    rng = random.Random(seed)

    def same_shape(value: Any) -> Any:
        if isinstance(value, str):
            return _WORD.sub(lambda _: _nonsense(rng), value)
        if isinstance(value, list):
            return [same_shape(v) for v in value]
        if isinstance(value, dict):
            return {k: same_shape(v) for k, v in value.items()}
        return value

    out = []
    for i in range(count):
        like = {k: v for k, v in KB[i % len(KB)].to_dict().items()
                if k not in ("id", "source", "updated_at", "retired")}
        twin = KnownIssue.from_dict({**same_shape(like), "id": f"unrelated-{i}"})
        out.append(replace(twin, source=SourceRef(path=f"unrelated-{i // per_document}.md",
                                                  line=i % per_document + 1)))
    return out


def answers(index: MatchIndex) -> dict[str, tuple[str | None, bool]]:
    found = {}
    for log in CASES:
        result = index.rank((DATA / "logs" / log).read_text(encoding="utf-8"))
        found[log] = (result.matches[0].id if result.matches else None, result.known)
    return found


def test_the_added_issues_share_no_term_with_the_knowledge_base() -> None:
    alone = MatchIndex.build(KB).compiled
    added = MatchIndex.build(unrelated(200, 40)).compiled
    assert not set(alone.terms) & set(added.terms)


@pytest.mark.parametrize("per_document", [40, 500])
def test_unrelated_issues_change_no_first_match_and_no_verdict(per_document: int) -> None:
    alone = answers(MatchIndex.build(KB))
    larger = MatchIndex.build([*KB, *unrelated(1_000, per_document)])
    assert larger.size == MatchIndex.build(KB).size + 1_000
    assert sum(known for _, known in alone.values()) >= 10  # the verdicts compared say something
    assert answers(larger) == alone
