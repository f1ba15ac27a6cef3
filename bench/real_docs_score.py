"""Scoring for ``real_docs.py``: hand labels of real troubleshooting docs vs what knownfix made.

Labels (``bench/real_docs/labels/<project>__<file>.json``) list each problem→fix entry of a
document as a line span; ``borderline`` spans are optional (they count neither for nor against).
An imported issue matches an entry when its source line falls in the entry's span; each entry
counts once for recall and further issues in it are ``dup``. See ``real_docs/PROTOCOL.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "real_docs"


@dataclass(frozen=True)
class Span:
    doc: str  # "<project>/<file>", as under real_docs/docs
    line: int
    end: int
    title: str
    error: str | None = None
    kind: str = ""

    def holds(self, line: int) -> bool:
        return self.line <= line <= self.end


@dataclass
class Labels:
    doc: str
    half: str
    shape: str
    entries: list[Span]
    borderline: list[Span]

    def entry_at(self, line: int) -> Span | None:
        return next((e for e in self.entries if e.holds(line)), None)

    def borderline_at(self, line: int) -> Span | None:
        return next((b for b in self.borderline if b.holds(line)), None)


@dataclass(frozen=True)
class Imported:
    """What the bench needs of one imported known issue."""

    id: str
    title: str
    doc: str | None  # None when the issue names no source file of the corpus
    line: int
    empty_resolution: bool
    empty_symptoms: bool


@dataclass
class DocScore:
    doc: str
    half: str
    shape: str
    entries: int
    issues: int = 0
    matched: set[int] = field(default_factory=set)  # entry lines found
    true_pos: int = 0
    false_pos: list[Imported] = field(default_factory=list)
    optional: int = 0  # issues in borderline spans
    dup: int = 0
    empty_resolution: int = 0
    empty_symptoms: int = 0

    @property
    def scored(self) -> int:
        return self.true_pos + len(self.false_pos)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc, "half": self.half, "shape": self.shape, "entries": self.entries,
            "found": len(self.matched), "issues": self.issues, "true_pos": self.true_pos,
            "false_pos": len(self.false_pos), "borderline_issues": self.optional, "dup": self.dup,
            "empty_resolution": self.empty_resolution, "empty_symptoms": self.empty_symptoms,
        }


def load_labels(corpus: Path = CORPUS) -> dict[str, Labels]:
    """Every labelled document, keyed by ``<project>/<file>``, with its half from the manifest."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    halves = {d["file"].removeprefix("docs/"): (d["half"], d["shape"]) for d in manifest["docs"]}
    found: dict[str, Labels] = {}
    for path in sorted((corpus / "labels").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        doc = data["doc"]
        half, shape = halves[doc]

        def spans(rows: Iterable[dict[str, Any]], doc: str = doc) -> list[Span]:
            return [Span(doc, r["line"], r["end"], r["title"], r.get("error"), r.get("kind", ""))
                    for r in rows]

        found[doc] = Labels(doc, half, shape, spans(data["entries"]), spans(data["borderline"]))
    return found


def score_import(labels: dict[str, Labels], issues: Sequence[Imported]) -> dict[str, DocScore]:
    """Per document: entries found, issues that are entries, false positives, empty fields."""
    scores = {doc: DocScore(doc, lab.half, lab.shape, len(lab.entries))
              for doc, lab in labels.items()}
    for issue in sorted(issues, key=lambda i: (i.doc or "", i.line, i.id)):
        score = scores.get(issue.doc or "")
        if score is None:
            continue  # a document without labels (never the case for the corpus)
        lab = labels[score.doc]
        score.issues += 1
        score.empty_resolution += issue.empty_resolution
        score.empty_symptoms += issue.empty_symptoms
        entry = lab.entry_at(issue.line)
        if entry is not None:
            if entry.line in score.matched:
                score.dup += 1
            else:
                score.matched.add(entry.line)
                score.true_pos += 1
        elif lab.borderline_at(issue.line) is not None:
            score.optional += 1
        else:
            score.false_pos.append(issue)
    return scores


def totals(scores: Iterable[DocScore]) -> dict[str, Any]:
    """Micro-averaged recall and precision over documents (every entry and issue weighs one)."""
    rows = list(scores)
    entries = sum(s.entries for s in rows)
    found = sum(len(s.matched) for s in rows)
    scored = sum(s.scored for s in rows)
    true_pos = sum(s.true_pos for s in rows)
    return {
        "docs": len(rows),
        "docs_without_issues": sum(1 for s in rows if s.issues == 0 and s.entries),
        "entries": entries,
        "found": found,
        "recall": round(found / entries, 3) if entries else 1.0,
        "issues": sum(s.issues for s in rows),
        "precision": round(true_pos / scored, 3) if scored else 1.0,
        "false_pos": sum(len(s.false_pos) for s in rows),
        "dup": sum(s.dup for s in rows),
        "empty_resolution": sum(s.empty_resolution for s in rows),
        "empty_symptoms": sum(s.empty_symptoms for s in rows),
    }


@dataclass(frozen=True)
class LogCase:
    log: str
    half: str
    expected: Span | None  # None: no document of the corpus covers this failure
    tool: str = ""


def load_logs(labels: dict[str, Labels], corpus: Path = CORPUS) -> list[LogCase]:
    """The logs of ``logs/expected.json`` with the entry span each one should be matched to."""
    rows = json.loads((corpus / "logs" / "expected.json").read_text(encoding="utf-8"))
    cases = []
    for row in rows:
        expected = None
        if row["doc"] is not None:
            expected = next(e for e in labels[row["doc"]].entries if e.line == row["line"])
        cases.append(LogCase(row["log"], row["half"], expected, row.get("tool", "")))
    return cases


@dataclass(frozen=True)
class Answer:
    case: LogCase
    known: bool
    top: Imported | None
    title: str  # the triage excerpt's title line

    @property
    def right(self) -> bool:
        expected, top = self.case.expected, self.top
        return (expected is not None and top is not None and top.doc == expected.doc
                and expected.holds(top.line))


def triage_totals(answers: Sequence[Answer]) -> dict[str, Any]:
    """Top-1 right and known (of covered logs), wrong ``known: true`` and unknown uncovered."""
    covered = [a for a in answers if a.case.expected is not None]
    uncovered = [a for a in answers if a.case.expected is None]
    wrong_known = [a for a in answers if a.known and not a.right]
    right_known = sum(1 for a in covered if a.right and a.known)
    return {
        "logs": len(answers),
        "covered": len(covered),
        "uncovered": len(uncovered),
        "top1_right_known": round(right_known / len(covered), 3) if covered else 1.0,
        "top1_right": round(sum(a.right for a in covered) / len(covered), 3) if covered else 1.0,
        "wrong_known": len(wrong_known),
        "wrong_known_per_100": round(100 * len(wrong_known) / len(answers), 1) if answers else 0.0,
        "uncovered_unknown": (round(sum(not a.known for a in uncovered) / len(uncovered), 3)
                              if uncovered else 1.0),
    }
