"""Calibration of ``known`` on every development part of ``bench/real_docs`` at once.

``real_docs.py`` reports each part alone; a threshold or a gate is a trade-off that needs
them together: this script imports the corpus once, triages the logs of dev .. dev6, and
prints (1) the known precision and recall of the current matcher over all of them, (2) the
same as the score threshold moves (every other gate kept), and (3) with ``--rows`` one line
per log: the top candidate's score, margin and the features the gates read, so that a
proposed gate can be judged on all development logs before it is written.

Held-out and fresh parts are never read here (``--split`` accepts development parts only).

    KNOWNFIX_DATASETS=/path/to/datasets .venv/bin/python bench/known_curve.py [--rows]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from real_docs import import_corpus  # noqa: E402
from real_docs_score import CORPUS, LogCase, load_labels, load_logs  # noqa: E402

import knownfix.core.match as match_module  # noqa: E402
from knownfix.core.match import layered  # noqa: E402
from knownfix.core.match.lexical import LexicalEvidence, LexicalIndex  # noqa: E402
from knownfix.services.triage import open_triage  # noqa: E402
from knownfix.settings import load_settings  # noqa: E402
from knownfix.storage.repository import open_store  # noqa: E402

DEV_PARTS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10")
THRESHOLDS = (0.35, 0.40, 0.42, 0.44, 0.46, 0.48, 0.50, 0.52, 0.55, 0.60)


@dataclass
class Row:
    """One log's answer and what the gates saw of its top candidate."""

    case: LogCase
    known: bool
    right: bool  # the top candidate is the expected entry
    score: float
    margin: float  # over the runner-up the margin gate reads (1.0: none)
    confident: bool
    corroborated: bool
    foreign: bool
    top: str  # document:line of the top candidate
    features: dict[str, Any]
    ranked: tuple[layered.Scored, ...] = ()


class Capture:
    """Records, for each ``rank`` call, the ranked candidates and their lexical evidence."""

    def __init__(self) -> None:
        self.ranked: list[layered.Scored] = []
        self.evidence: dict[str, LexicalEvidence] = {}
        self._decide = match_module.decide_known
        self._evidence = LexicalIndex.evidence

    def __enter__(self) -> Capture:
        capture = self

        def decide(ranked: list[layered.Scored]) -> bool:
            capture.ranked = list(ranked)
            return capture._decide(ranked)

        def evidence(index: LexicalIndex, doc: Any, *args: Any, **kwargs: Any) -> LexicalEvidence:
            ev = capture._evidence(index, doc, *args, **kwargs)
            capture.evidence[doc.id] = ev
            return ev

        match_module.decide_known = decide  # type: ignore[assignment]
        LexicalIndex.evidence = evidence  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        match_module.decide_known = self._decide  # type: ignore[assignment]
        LexicalIndex.evidence = self._evidence  # type: ignore[method-assign]

    def reset(self) -> None:
        self.ranked, self.evidence = [], {}


def rival_margin(ranked: Sequence[layered.Scored]) -> float:
    """The margin ``decide_known`` reads: over the first runner-up that counts as a rival."""
    top = ranked[0]
    rivals = [s for s in ranked[1:] if top.foreign or not (s.foreign and not s.corroborated)]
    return top.score - rivals[0].score if rivals else 1.0


def features(ev: LexicalEvidence | None) -> dict[str, Any]:
    if ev is None:
        return {}
    best = ev.best
    return {
        "mass": round(ev.mass, 2), "tool": round(ev.tool, 2), "tool_terms": ev.tool_terms,
        "coverage": round(ev.coverage, 2), "specials": ev.shared_specials,
        "special": round(ev.special_strength, 2), "conflicts": ev.conflicts,
        "kinds": ev.kinds, "own_kinds": ev.own_kinds, "other_kind": ev.other_kind,
        "best": None if best is None else {
            "origin": best.origin, "score": round(best.score, 2), "info": round(best.info, 2),
            "text": best.text[:90], "matched": best.matched[:8]},
        "quote": None if ev.best_quote is None else round(ev.best_quote, 2),
        "terms": ev.matched_terms[:10],
    }


def run(parts: Sequence[str]) -> list[Row]:
    labels = load_labels()
    docs = (CORPUS / "docs").resolve()
    store = open_store("sqlite://")
    issues, _ = import_corpus(store, docs)
    by_id = {i.id: i for i in issues}
    cases = [c for c in load_logs(labels) if c.half in parts]
    visible = {doc for doc, lab in labels.items() if lab.half in DEV_PARTS}
    rows = []
    with tempfile.TemporaryDirectory() as tmp, Capture() as capture:
        settings = load_settings(env={}, cwd=Path(tmp), database_url="sqlite://")
        session = open_triage(store, settings)
        for case in cases:
            capture.reset()
            result = session.triage_file(str(CORPUS / "logs" / case.log), record=False)
            ranked = capture.ranked
            if not ranked:
                rows.append(Row(case, result.known, False, 0.0, 1.0, False, False, False,
                                "no match", {}))
                continue
            top = ranked[0]
            imp = by_id.get(top.issue.id)
            expected = case.expected
            right = (expected is not None and imp is not None and imp.doc == expected.doc
                     and expected.holds(imp.line))
            where = (f"{imp.doc}:{imp.line}" if imp is not None and imp.doc in visible
                     else "an issue of a held-out document")
            rows.append(Row(case, result.known, right, top.score, rival_margin(ranked),
                            top.confident, top.corroborated, top.foreign, where,
                            features(capture.evidence.get(top.issue.id)), tuple(ranked)))
    return rows


def verdicts(rows: Sequence[Row], known: Callable[[Row], bool]) -> dict[str, Any]:
    covered = [r for r in rows if r.case.expected is not None]
    said = [r for r in rows if known(r)]
    right_known = sum(1 for r in said if r.right)
    return {
        "logs": len(rows), "covered": len(covered), "known": len(said),
        "right_known": right_known, "wrong_known": len(said) - right_known,
        "precision": round(right_known / len(said), 3) if said else 1.0,
        "recall": round(right_known / len(covered), 3) if covered else 1.0,
        "wrong_per_100": round(100 * (len(said) - right_known) / len(rows), 1) if rows else 0.0,
    }


def curve(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Known precision / recall as the threshold moves, every other gate as it is: each log's
    ranked candidates decided again with ``layered.KNOWN_THRESHOLD`` set to each value."""
    points = []
    kept = layered.KNOWN_THRESHOLD
    try:
        for threshold in THRESHOLDS:
            layered.KNOWN_THRESHOLD = threshold
            said = {id(r) for r in rows if layered.decide_known(list(r.ranked))}
            points.append({"threshold": threshold,
                           **verdicts(rows, lambda r, said=said: id(r) in said)})
    finally:
        layered.KNOWN_THRESHOLD = kept
    return points


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", nargs="*", choices=DEV_PARTS, default=list(DEV_PARTS))
    parser.add_argument("--rows", action="store_true", help="one line per log")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "known_curve.json"))
    args = parser.parse_args(argv)
    rows = run(args.split)
    now = verdicts(rows, lambda r: r.known)
    print(f"{now['logs']} logs of {', '.join(args.split)}; {now['covered']} covered\n")
    print("| threshold | known | right+known | wrong known | precision | recall | per 100 |")
    print("|---|---|---|---|---|---|---|")
    for p in curve(rows):
        mark = " (now)" if p["threshold"] == layered.KNOWN_THRESHOLD else ""
        print(f"| {p['threshold']:.2f}{mark} | {p['known']} | {p['right_known']} "
              f"| {p['wrong_known']} | {p['precision']:.3f} | {p['recall']:.3f} "
              f"| {p['wrong_per_100']} |")
    print(f"\nnow: {now}\n")
    print("| part | logs | covered | right+known | right | wrong known | per 100 |")
    print("|---|---|---|---|---|---|---|")
    for part in args.split:
        mine = [r for r in rows if r.case.half == part]
        covered = [r for r in mine if r.case.expected is not None]
        t = verdicts(mine, lambda r: r.known)
        right = sum(r.right for r in covered) / len(covered) if covered else 1.0
        print(f"| {part} | {t['logs']} | {t['covered']} | {t['recall']:.3f} | {right:.3f} "
              f"| {t['wrong_known']} | {t['wrong_per_100']} |")
    print()
    if args.rows:
        for r in rows:
            verdict = ("RK" if r.right and r.known else "WK" if r.known else
                       "R-" if r.right else "--")
            want = "uncovered" if r.case.expected is None else "covered"
            print(f"{verdict} {r.case.half:4} {r.case.log:55} {want:9} s={r.score:.3f} "
                  f"m={r.margin:.3f} conf={int(r.confident)} corr={int(r.corroborated)} "
                  f"for={int(r.foreign)} top={r.top} {json.dumps(r.features)}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"parts": args.split, "now": now, "curve": curve(rows)},
                              indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
