"""What the sibling vote (``knownfix.core.docparse.siblings``) did to the corpus, for
``real_docs.py``: how many sections it promoted and demoted, and where they fall in the labels.

The importer reports a demoted section as skipped, but not a promoted one, and neither says
whether it was right; the bench needs both to weigh the vote (entries lost against false
positives removed). So while the corpus is imported the reader's ``settle`` is wrapped and each
move is recorded with the document being parsed. Counts only: which section moved is shown by
``--misses`` / ``--doc`` for development documents, like everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from real_docs_score import DocScore, Labels

import knownfix.core.docparse.reader as reader
import knownfix.services.knowledge as knowledge


@dataclass(frozen=True)
class Move:
    doc: str  # "<project>/<file>"
    line: int
    promoted: bool


@dataclass
class VoteLog:
    moves: list[Move] = field(default_factory=list)


@contextmanager
def recording(docs: Path) -> Iterator[VoteLog]:
    """Record every promotion and demotion made while importing in this process (the bench
    imports with one worker, so the reader runs here)."""
    log = VoteLog()
    current: list[str] = [""]
    parse, settle = knowledge.parse_markdown, reader.settle

    def parse_noting(lines: Any, display: str, **kw: Any) -> Any:
        path = Path(display).resolve()
        current[0] = path.relative_to(docs).as_posix() if path.is_relative_to(docs) else display
        return parse(lines, display, **kw)

    def settle_noting(*args: Any) -> Any:
        found, promoted, demoted = settle(*args)
        log.moves += [Move(current[0], h.line, True) for h in promoted]
        log.moves += [Move(current[0], w.draft.line, False) for w in demoted]
        return found, promoted, demoted

    knowledge.parse_markdown, reader.settle = parse_noting, settle_noting
    try:
        yield log
    finally:
        knowledge.parse_markdown, reader.settle = parse, settle


def vote_totals(log: VoteLog, labels: dict[str, Labels], scores: dict[str, DocScore],
                half: str) -> dict[str, int]:
    """Per part: promotions into an entry / a borderline part / outside both (a false
    positive added); demotions out of an entry left unmatched (an entry lost), out of one still
    matched by another issue, out of a borderline part, and from outside (a false positive
    removed)."""
    t = dict.fromkeys(("promoted", "promoted_entry", "promoted_borderline", "promoted_fp",
                       "demoted", "demoted_entry_lost", "demoted_entry_kept",
                       "demoted_borderline", "demoted_fp"), 0)
    for move in log.moves:
        lab = labels.get(move.doc)
        if lab is None or lab.half != half:
            continue
        entry = lab.entry_at(move.line)
        if move.promoted:
            where = ("entry" if entry else
                     "borderline" if lab.borderline_at(move.line) else "fp")
            t["promoted"] += 1
        else:
            where = (("entry_kept" if entry.line in scores[move.doc].matched else "entry_lost")
                     if entry else "borderline" if lab.borderline_at(move.line) else "fp")
            t["demoted"] += 1
        t[f"{'promoted' if move.promoted else 'demoted'}_{where}"] += 1
    return t


def print_votes(votes: dict[str, dict[str, int]]) -> None:
    print("Sibling vote (sections moved; where they fall in the labels):\n")
    print("| half | promoted | into entry | into borderline | FP added | demoted "
          "| entry lost | entry kept by another issue | borderline | FP removed |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for half, t in votes.items():
        print(f"| {half} | {t['promoted']} | {t['promoted_entry']} | {t['promoted_borderline']} "
              f"| {t['promoted_fp']} | {t['demoted']} | {t['demoted_entry_lost']} "
              f"| {t['demoted_entry_kept']} | {t['demoted_borderline']} | {t['demoted_fp']} |")
    print()
