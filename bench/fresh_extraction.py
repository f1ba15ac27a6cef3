"""Excerpt extraction on logs nobody tuned on: the hand-labelled set in bench/extraction/.

LogChunks is the extraction bench, and every one of its 80 repositories is in the recurrence
bench's dev or held-out half, so its held-out half is the only unseen estimate it offers. This
set is other public CI logs (``bench/extraction/SOURCES.md``), each labelled by hand with the span
of lines that explain the failure BEFORE any code ran on it, and split into a ``dev`` part (misses
may be read) and a ``check`` part (summary rows only) before looking. Scored like LogChunks:
macro line precision, recall, F1 and hit (the excerpt holds a gold line).

    .venv/bin/python bench/fresh_extraction.py [--misses] [--check] [--only PREFIX ...]

``--misses`` lists the dev part's logs whose excerpt holds no gold line (never the check part).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from logchunks import mean, score  # noqa: E402

from knownfix.core.extract import extract_excerpt  # noqa: E402

DATA = ROOT / "bench" / "extraction"
CHUNK = 1 << 20


def read_log(path: Path) -> Iterator[bytes]:
    """The log's bytes as published (gzip-compressed files are read through gzip)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        while block := handle.read(CHUNK):
            yield block


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list dev-part logs with no hit")
    parser.add_argument(
        "--check", action="store_true", help="also score the check part (once, at the end)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PREFIX",
        help="score only the cases whose id starts with PREFIX (repeatable), e.g. one round's logs",
    )
    args = parser.parse_args()
    cases = [json.loads(line) for line in (DATA / "cases.jsonl").open(encoding="utf-8")]
    if args.only:
        cases = [c for c in cases if c["id"].startswith(tuple(args.only))]
    if not args.check:
        cases = [c for c in cases if c["part"] == "dev"]
    rows = []
    for case in cases:
        excerpt = extract_excerpt(read_log(DATA / case["log"]))
        predicted = {n for first, last in excerpt.spans for n in range(first, last + 1)}
        rows.append({**score(predicted, case["span"]), **case, "spans": excerpt.spans})
    print(f"fresh extraction set: {len(rows)} logs")
    print(f"{'part':7} {'logs':>5} {'P':>6} {'R':>6} {'F1':>6} {'hit':>6}")
    for part in ("dev", "check", "all") if args.check else ("dev",):
        chosen = [r for r in rows if part in ("all", r["part"])]
        m = mean(chosen)
        print(
            f"{part:7} {len(chosen):5} {m['precision']:6.3f} {m['recall']:6.3f} "
            f"{m['f1']:6.3f} {m['hit']:6.3f}"
        )
    if args.misses:
        for row in rows:
            if row["part"] == "dev" and not row["hit"]:
                spans = ", ".join(f"{a}-{b}" for a, b in row["spans"]) or "(empty)"
                print(f"  {row['id']:50} gold {row['span'][0]}-{row['span'][1]} excerpt {spans}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
