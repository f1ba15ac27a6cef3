"""LogChunks: how well knownfix finds the lines a human marked as the failure's explanation.

Runs knownfix's zero-shot extractor over all 797 failed Travis CI logs of LogChunks (Brandt et al.,
MSR 2020) beside two naive baselines computed in the same run (lines matching
``error|fail|exception``; the last 20 lines) and prints macro line-level precision, recall, F1 and
hit rate (the excerpt holds at least one gold line), split into a development half and a held-out
half by repository (rules are only ever tuned on the development half), plus breakdowns by
language and chunk category. Writes ``bench/results/logchunks.json``.

    .venv/bin/python bench/logchunks.py [--datasets DIR] [--split all|dev|held] [--cases FILE]
                                        [--misses] [--no-baselines]

``--misses`` lists the development-half logs whose excerpt holds no gold line (never the
held-out half: reading those would tune the rules on the logs kept for judging them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import tarfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from knownfix.core.extract import extract_excerpt  # noqa: E402
from knownfix.core.extract.lines import iter_line_blocks  # noqa: E402

WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
CHUNK = 1 << 20
KEYWORDS = re.compile(rb"error|fail|exception", re.IGNORECASE)
PUBLISHED = {
    "KWS (published, 1-5 examples per repo)": {"precision": 0.16, "recall": 0.70, "f1": 0.26},
    "CTS (published, best, per-repo examples)": {"f1": 0.51},
    "PBE (published)": {"precision": 0.95, "note": "fully successful in 34.5% of runs"},
}

Predictor = Callable[[Path], set[int]]
Row = dict[str, Any]


def dataset_dir(explicit: str | None) -> Path:
    base = (
        explicit or os.environ.get("KNOWNFIX_DATASETS") or str(ROOT / ".." / "shared" / "datasets")
    )
    return Path(base).resolve() / "logchunks"


def unpack(data: Path) -> Path:
    """Extract logs.tar.gz into bench/.work once; return the folder holding ``logs/``."""
    target = WORK / "logchunks"
    if not (target / "logs").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(data / "logs.tar.gz") as archive:
            archive.extractall(target, filter="data")
    return target


def is_dev(repo: str) -> bool:
    """Development half: repositories whose name hashes even. The rest is held out."""
    return int(hashlib.sha1(repo.encode()).hexdigest(), 16) % 2 == 0


def read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            yield block


SPANS: dict[Path, list[list[int]]] = {}


def knownfix_lines(path: Path) -> set[int]:
    excerpt = extract_excerpt(read_chunks(path))
    SPANS[path] = [[first, last] for first, last in excerpt.spans]
    return {n for first, last in excerpt.spans for n in range(first, last + 1)}


def keyword_lines(path: Path) -> set[int]:
    found, number = set(), 0
    for block in iter_line_blocks(read_chunks(path)):
        for line in block.split(b"\n")[:-1]:
            number += 1
            if KEYWORDS.search(line):
                found.add(number)
    return found


def last20_lines(path: Path) -> set[int]:
    total = sum(block.count(b"\n") for block in iter_line_blocks(read_chunks(path)))
    return set(range(max(1, total - 19), total + 1))


def score(predicted: set[int], span: list[int]) -> dict[str, float]:
    gold = set(range(span[0], span[1] + 1))
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "hit": 1.0 if hits else 0.0}


def mean(rows: list[Row]) -> dict[str, float]:
    keys = ("precision", "recall", "f1", "hit")
    return {k: round(sum(r[k] for r in rows) / len(rows), 3) if rows else 0.0 for k in keys}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (default $KNOWNFIX_DATASETS)")
    parser.add_argument("--split", choices=("all", "dev", "held"), default="all")
    parser.add_argument("--cases", help="also write per-log results (JSON Lines) to this file")
    parser.add_argument(
        "--misses", action="store_true", help="list dev logs whose excerpt holds no gold line"
    )
    parser.add_argument(
        "--no-baselines", action="store_true", help="skip the naive baselines (quicker)"
    )
    args = parser.parse_args()

    data = dataset_dir(args.datasets)
    logs = unpack(data)
    cases = [json.loads(line) for line in (data / "cases.jsonl").open(encoding="utf-8")]
    if args.split != "all":
        cases = [c for c in cases if is_dev(c["repo"]) == (args.split == "dev")]

    methods: dict[str, Predictor] = {"knownfix (zero-shot)": knownfix_lines}
    if not args.no_baselines:
        methods["keyword error|fail|exception"] = keyword_lines
        methods["last 20 lines"] = last20_lines
    rows: dict[str, list[Row]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)
    for case in cases:
        path = logs / "logs" / case["log"]
        for name, predict in methods.items():
            start = time.process_time()
            predicted = predict(path)
            seconds[name] += time.process_time() - start
            rows[name].append(
                {
                    **score(predicted, case["span"]),
                    "id": case["id"],
                    "language": case["language"],
                    "category": case["category"],
                    "repo": case["repo"],
                    "dev": is_dev(case["repo"]),
                    "predicted": [min(predicted), max(predicted)] if predicted else None,
                    "spans": SPANS.get(path) if name == "knownfix (zero-shot)" else None,
                    "size": len(predicted),
                    "span": case["span"],
                }
            )

    report = build_report(rows, seconds)
    print_report(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "logchunks.json").write_text(json.dumps(report, indent=2) + "\n")
    if args.cases:
        with open(args.cases, "w", encoding="utf-8") as out:
            for row in rows["knownfix (zero-shot)"]:
                out.write(json.dumps(row) + "\n")
    if args.misses:
        print_misses(rows["knownfix (zero-shot)"])
    return 0


def print_misses(rows: list[Row]) -> None:
    """Dev logs whose excerpt holds no gold line, with the gold span and the excerpt's spans."""
    misses = [r for r in rows if r["dev"] and not r["hit"]]
    print(f"\ndev misses: {len(misses)} of {sum(1 for r in rows if r['dev'])}")
    for row in misses:
        spans = ", ".join(f"{a}-{b}" for a, b in row["spans"] or []) or "(empty)"
        print(f"  {row['id']:55} gold {row['span'][0]}-{row['span'][1]:<7} excerpt {spans}")


def build_report(rows: dict[str, list[Row]], seconds: dict[str, float]) -> dict[str, Any]:
    ours = rows["knownfix (zero-shot)"]
    methods = {
        name: {
            "all": mean(results),
            "dev": mean([r for r in results if r["dev"]]),
            "held_out": mean([r for r in results if not r["dev"]]),
            "cpu_seconds": round(seconds[name], 2),
        }
        for name, results in rows.items()
    }
    by_language = {
        language: mean([r for r in ours if r["language"] == language])
        for language in sorted({str(r["language"]) for r in ours})
    }
    by_category = {
        str(category): mean([r for r in ours if r["category"] == category])
        for category in sorted({int(r["category"]) for r in ours})
    }
    excerpt_lines = {
        split: _sizes([r for r in ours if keep(r)])
        for split, keep in (
            ("all", lambda r: True),
            ("dev", lambda r: r["dev"]),
            ("held_out", lambda r: not r["dev"]),
        )
    }
    counts = {
        "logs": len(ours),
        "dev_logs": sum(1 for r in ours if r["dev"]),
        "held_out_logs": sum(1 for r in ours if not r["dev"]),
    }
    return {
        "counts": counts,
        "split": "by repository: sha1(repo) even = dev (rules tuned here), odd = held out",
        "methods": methods,
        "knownfix_excerpt_lines": excerpt_lines,
        "published": PUBLISHED,
        "knownfix_by_language": by_language,
        "knownfix_by_category": by_category,
    }


def _sizes(rows: list[Row]) -> dict[str, float]:
    """Median and mean excerpt length in lines."""
    sizes = [r["size"] for r in rows]
    if not sizes:
        return {"median": 0.0, "mean": 0.0}
    return {"median": statistics.median(sizes), "mean": round(statistics.mean(sizes), 1)}


def _line(label: str, m: dict[str, float], width: int = 14) -> str:
    return (
        f"  {label:{width}} P={m['precision']:.2f} R={m['recall']:.2f} "
        f"F1={m['f1']:.2f} hit={m['hit']:.2f}"
    )


def print_report(report: dict[str, Any]) -> None:
    counts = report["counts"]
    print(
        f"LogChunks: {counts['logs']} logs "
        f"({counts['dev_logs']} dev, {counts['held_out_logs']} held out)"
    )
    print(f"{'method':30} {'split':9} {'P':>6} {'R':>6} {'F1':>6} {'hit':>6} {'cpu s':>7}")
    for name, result in report["methods"].items():
        for split in ("all", "dev", "held_out"):
            m = result[split]
            cpu = f"{result['cpu_seconds']:7.1f}" if split == "all" else ""
            print(
                f"{name:30} {split:9} {m['precision']:6.3f} {m['recall']:6.3f} "
                f"{m['f1']:6.3f} {m['hit']:6.3f} {cpu}"
            )
    sizes = report["knownfix_excerpt_lines"]
    print(
        "knownfix excerpt lines (median/mean): "
        + ", ".join(f"{k} {v['median']:g}/{v['mean']:g}" for k, v in sizes.items())
    )
    for name, values in report["published"].items():
        print(f"{name:42} " + " ".join(f"{k}={v}" for k, v in values.items()))
    print("\nknownfix by language (all logs):")
    for language, m in report["knownfix_by_language"].items():
        print(_line(language, m))
    print("knownfix by chunk category:")
    for category, m in report["knownfix_by_category"].items():
        print(_line(category, m))


if __name__ == "__main__":
    raise SystemExit(main())
