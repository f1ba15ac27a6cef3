"""Benchmark: matching failure logs to known issues imported from Markdown docs.

Imports the seed docs (``${KNOWNFIX_DATASETS:-../shared/datasets}/../seed-docs`` or ``--docs``;
``--kb FILE.json`` takes KnownIssue dicts instead), ranks every log of ``--logs`` (default: the
realistic tool logs under ``tests/data/match/seedlogs``, labelled in ``expected.json`` by doc and
title words, so any id scheme works) plus the unrelated ``tests/data/match/logs/neg_*.log``, and
reports per method:

* top-1     share of positive logs whose first match is the expected issue;
* known-P   share of ``known: true`` answers that name the right issue (all logs);
* known-R   share of positive logs answered ``known: true`` with the right issue;
* false-known  share of negative logs answered ``known: true`` (should be 0).

Methods: ``search-first`` (the anchor: plain BM25 over all fields, first hit taken as the issue,
what a full-text search box gives), ``lexical`` (knownfix default), and with ``--semantic``
``semantic`` (MiniLM alone) and ``hybrid`` (lexical + semantic). The semantic ones need the
``semantic`` extra; run them from an environment that has it.

    .venv/bin/python bench/matching.py [--semantic] [--docs DIR | --kb FILE] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from knownfix.core.match import MatchIndex  # noqa: E402
from knownfix.core.match.layered import KNOWN_MARGIN, KNOWN_THRESHOLD  # noqa: E402
from knownfix.core.match.tokens import tokenize  # noqa: E402
from knownfix.core.records import KnownIssue  # noqa: E402

DATA = ROOT / "tests" / "data" / "match"


@dataclass
class Case:
    name: str
    text: str
    expected: str | None  # issue id, None for a failure the docs do not cover


@dataclass
class Answer:
    top: str | None
    known: bool


def default_docs() -> Path:
    datasets = Path(os.environ.get("KNOWNFIX_DATASETS", "../shared/datasets"))
    if not datasets.is_absolute():
        datasets = ROOT / datasets
    return datasets / ".." / "seed-docs"


def load_issues(args: argparse.Namespace) -> list[KnownIssue]:
    if args.kb:
        return [KnownIssue.from_dict(d) for d in json.loads(Path(args.kb).read_text())]
    try:
        from knownfix.core.docparse import parse_markdown
    except ImportError:
        sys.exit("knownfix.core.docparse.parse_markdown is not available: pass --kb FILE.json")
    issues: list[KnownIssue] = []
    for path in sorted(Path(args.docs).glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        issues.extend(parse_markdown(lines, path.name).issues)
    return issues


def resolve(issues: Sequence[KnownIssue], doc: str, title: str) -> str | None:
    found = [i.id for i in issues
             if title.lower() in i.title.lower()
             and (i.source is None or Path(i.source.path).name == doc)]
    return found[0] if len(found) == 1 else None


def load_cases(issues: Sequence[KnownIssue], logs: Path, negatives: Path) -> list[Case]:
    """Logs labelled in ``expected.json`` (doc + title words) or ``cases.json`` (issue ids)."""
    cases: list[Case] = []
    labels = logs / "expected.json"
    if not labels.exists():
        labels = logs / "cases.json"
    for row in json.loads(labels.read_text()):
        text = (logs / row["log"]).read_text(encoding="utf-8")
        expected = None
        if isinstance(row["expected"], str):
            expected = row["expected"]
        elif row["expected"]:
            expected = resolve(issues, row["expected"]["doc"], row["expected"]["title"])
            if expected is None:
                print(f"warning: {row['log']}: no single issue titled like "
                      f"{row['expected']['title']!r} in {row['expected']['doc']}", file=sys.stderr)
                expected = "<unresolved>"
        cases.append(Case(row["log"], text, expected))
    seen = {case.name for case in cases}
    for path in sorted(negatives.glob("neg_*.log")):
        if path.name not in seen:
            cases.append(Case(path.name, path.read_text(encoding="utf-8"), None))
    return cases


def search_first(issues: Sequence[KnownIssue]) -> Callable[[str], Answer]:
    """Anchor: Okapi BM25 over all text of an issue, first hit taken as the answer."""
    docs = []
    for i in issues:
        text = " ".join([i.title, *i.symptoms, i.root_cause, i.resolution, *i.tags])
        docs.append((i.id, Counter(tokenize(text))))
    n = len(docs)
    avg = sum(sum(c.values()) for _, c in docs) / max(1, n)
    df: Counter[str] = Counter(t for _, c in docs for t in c)

    def answer(text: str) -> Answer:
        query = set(tokenize(text))
        best, best_score = None, 0.0
        for issue_id, counts in docs:
            length = sum(counts.values())
            score = 0.0
            for t in query & set(counts):
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                tf = counts[t]
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg))
            if score > best_score:
                best, best_score = issue_id, score
        return Answer(best, best is not None)

    return answer


def with_index(index: MatchIndex) -> Callable[[str], Answer]:
    def answer(text: str) -> Answer:
        result = index.rank(text)
        return Answer(result.matches[0].id if result.matches else None, result.known)

    return answer


def semantic_only(issues: Sequence[KnownIssue], embedder: object) -> Callable[[str], Answer]:
    from knownfix.core.match.phrases import index_issue
    from knownfix.core.match.semantic import SemanticIndex
    from knownfix.core.match.tokens import split_lines

    sem = SemanticIndex(embedder, [index_issue(i) for i in issues if not i.retired])  # type: ignore[arg-type]

    def answer(text: str) -> Answer:
        scores = sorted(((s, i) for i, (s, _) in sem.scores(split_lines(text)).items()),
                        reverse=True)
        if not scores:
            return Answer(None, False)
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        known = scores[0][0] >= KNOWN_THRESHOLD and scores[0][0] - runner_up >= KNOWN_MARGIN
        return Answer(scores[0][1], known)

    return answer


def evaluate(method: Callable[[str], Answer], cases: Sequence[Case]) -> dict[str, object]:
    pos = [c for c in cases if c.expected]
    neg = [c for c in cases if not c.expected]
    rows = []
    start = time.perf_counter()
    for case in cases:
        a = method(case.text)
        rows.append((case, a))
    elapsed = time.perf_counter() - start
    top1 = sum(1 for c, a in rows if c.expected and a.top == c.expected)
    known = [(c, a) for c, a in rows if a.known]
    right_known = sum(1 for c, a in known if c.expected and a.top == c.expected)
    false_known = sum(1 for c, a in known if not c.expected)
    return {
        "top1": top1 / max(1, len(pos)),
        "known_precision": right_known / len(known) if known else 1.0,
        "known_recall": right_known / max(1, len(pos)),
        "false_known_rate": false_known / max(1, len(neg)),
        "positives": len(pos),
        "negatives": len(neg),
        "ms_per_log": 1000 * elapsed / max(1, len(cases)),
        "misses": [
            {"log": c.name, "expected": c.expected, "top": a.top, "known": a.known}
            for c, a in rows
            if (c.expected and (a.top != c.expected or not a.known)) or (not c.expected and a.known)
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=str(default_docs()))
    parser.add_argument("--kb", help="JSON list of KnownIssue dicts instead of --docs")
    parser.add_argument("--logs", default=str(DATA / "seedlogs"),
                        help="folder of logs with expected.json or cases.json")
    parser.add_argument("--negatives", default=str(DATA / "logs"))
    parser.add_argument("--semantic", action="store_true", help="also run MiniLM (needs extra)")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "matching.json"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)

    issues = load_issues(args)
    cases = load_cases(issues, Path(args.logs), Path(args.negatives))
    methods: dict[str, Callable[[str], Answer]] = {
        "search-first (anchor)": search_first(issues),
        "lexical": with_index(MatchIndex.build(issues)),
    }
    if args.semantic:
        from knownfix.core.match.semantic import load_minilm

        embedder = load_minilm()
        methods["semantic"] = semantic_only(issues, embedder)
        methods["hybrid"] = with_index(MatchIndex.build(issues, embedder=embedder))

    results = {name: evaluate(m, cases) for name, m in methods.items()}
    print(f"{len(issues)} known issues, {results['lexical']['positives']} positive logs, "
          f"{results['lexical']['negatives']} negative logs "
          f"(threshold {KNOWN_THRESHOLD}, margin {KNOWN_MARGIN})\n")
    print("| method | top-1 | known-precision | known-recall | false-known | ms/log |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['top1']:.3f} | {r['known_precision']:.3f} | {r['known_recall']:.3f}"
              f" | {r['false_known_rate']:.3f} | {r['ms_per_log']:.1f} |")
    if args.verbose:
        for name, r in results.items():
            for miss in r["misses"]:  # type: ignore[attr-defined]
                print(f"  {name}: {miss}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"issues": len(issues), "source": args.kb or args.docs, "results": results,
               "threshold": KNOWN_THRESHOLD, "margin": KNOWN_MARGIN}
    out.write_text(json.dumps(payload, indent=1, default=str) + "\n")
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
