"""Benchmark: warm ``MatchIndex.rank`` on a store ``kb_synth`` filled, CPU ms per log.

The excerpts of ``--logs`` ``kb_synth`` failing logs (cut once, cached beside the store) are
ranked in one process, the index loaded once, timed with ``time.process_time`` (CPU: the
shared host's load says nothing about the code). ``--mode`` says what each log finds prepared:

* ``fresh`` — a new ``MatchIndex`` per log: candidates read from the store, term weights and
  phrase facts computed again (the third round's "read from the store" figure);
* ``cleared`` — one ``MatchIndex``, its candidate cache emptied before each log (a service
  meeting new failures: the index's statistics stay warm);
* ``kept`` — one ``MatchIndex`` keeping what it prepared (up to ``DOC_CACHE`` issues).

``--gc`` says what the process does with the garbage collector once the index is loaded:
``service`` (the default) what ``knownfix serve`` and ``knownfix worker`` do
(``services.heap.mark_long_lived``; a checkout without it, as an older one measured as
"before", does nothing), ``default`` nothing, ``off`` ``gc.disable()`` (what collections cost, by
difference). Prints the full collections that ran during the timed rankings.

Writes each log's listed matches (id, score) and verdict to ``--out`` to compare runs.
Prints wall-clock p50 / p99 too (a PostgreSQL read waits for the server); ``--full-store`` reads
through the full ``Store`` (as ``knownfix serve`` and ``kb_scale.py``), not the light reader.

    knownfix --db kb.db import bench/.work/kb_scale/docs-10000
    PYTHONHASHSEED=0 .venv/bin/python bench/warm_rank.py kb.db --size 10000 --mode cleared
    PYTHONHASHSEED=0 .venv/bin/python bench/warm_rank.py postgresql+psycopg://…/kb \
        --excerpts kb.db --size 10000 --mode cleared
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import kb_synth  # noqa: E402

from knownfix.core.match import MatchIndex  # noqa: E402
from knownfix.services.triage import open_triage  # noqa: E402
from knownfix.settings import load_settings  # noqa: E402
from knownfix.storage.sqlite_reader import open_triage_store  # noqa: E402


def excerpts_of(db: Path, size: int, count: int) -> list[str]:
    cache = db.with_name(f"{db.name}.excerpts-{count}.json")
    if cache.exists():
        return list(json.loads(cache.read_text()))
    entries = kb_synth.generate(ROOT / "bench" / ".work" / "kb_scale" / f"docs-{size}", size)
    url = f"sqlite:///{db}"
    session = open_triage(open_triage_store(url),
                          load_settings(env={}, cwd=db.parent, database_url=url))
    texts = [session.triage("log", iter([text.encode()]), record=False).excerpt.text
             for _, text in kb_synth.sample_logs(entries, count)]
    cache.write_text(json.dumps(texts))
    return texts


class CollectionTimes:
    """A ``gc.callbacks`` hook: how many collections of each generation ran, CPU ms in all."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.ms = [0.0, 0.0, 0.0]
        self.longest = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
            return
        spent = 1000 * (time.process_time() - self._started)
        self.count[info["generation"]] += 1
        self.ms[info["generation"]] += spent
        if info["generation"] == 2:
            self.longest = max(self.longest, spent)

    def __str__(self) -> str:
        return ", ".join(f"gen{g} {n}x {ms:.0f} ms" for g, (n, ms)
                         in enumerate(zip(self.count, self.ms, strict=True))) + \
            f", longest full {self.longest:.1f} ms"


def collector(mode: str) -> str:
    """Set the collector up as ``--gc`` says; what was done."""
    if mode == "off":
        gc.disable()
        return "off"
    if mode == "default":
        return "default"
    try:
        from knownfix.services.heap import mark_long_lived
    except ImportError:  # a checkout from before it: the service left the collector alone
        return "service (none in this checkout)"
    mark_long_lived()
    return "service"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="SQLite store holding the kb_synth issues, or a store URL "
                        "(PostgreSQL) with --excerpts")
    parser.add_argument("--excerpts", type=Path, default=None,
                        help="SQLite store whose cached excerpts to rank (same kb_synth size)")
    parser.add_argument("--size", type=int, default=10_000, help="kb_synth size it holds")
    parser.add_argument("--logs", type=int, default=300)
    parser.add_argument("--mode", choices=("fresh", "cleared", "kept"), default="cleared")
    parser.add_argument("--out", type=Path, default=None, help="rankings, to compare runs")
    parser.add_argument("--profile", action="store_true", help="cProfile the rankings")
    parser.add_argument("--gc", choices=("service", "default", "off"), default="service")
    parser.add_argument("--full-store", action="store_true",
                        help="read through the full Store (as knownfix serve and kb_scale.py do), "
                        "not the light reader a triage uses")
    parser.add_argument("--threshold", default=None,
                        help="gc.set_threshold values after loading, as 700,10,10")
    args = parser.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
    texts = excerpts_of((args.excerpts or Path(args.db)).resolve(), args.size, args.logs)
    if args.full_store:
        from knownfix.storage.repository import open_store

        store = open_store(url)
    else:
        store = open_triage_store(url)
    compiled = store.match_index()
    compiled.warm()
    index = MatchIndex.load(compiled, store.get_prepared_issues)
    index.rank(texts[0])  # imports and first-use compilation out of the timings
    settled = collector(args.gc)
    if args.threshold:
        gc.set_threshold(*(int(v) for v in args.threshold.split(",")))
    settled += f", thresholds {gc.get_threshold()}"
    collections = CollectionTimes()
    gc.callbacks.append(collections)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    latencies, walls, rankings = [], [], []
    for text in texts:
        if args.mode == "fresh":
            index = MatchIndex.load(compiled, store.get_prepared_issues)
        elif args.mode == "cleared":
            index.docs = type(index.docs)(store.get_prepared_issues, index.docs.capacity)
        started, wall = time.process_time(), time.perf_counter()
        if profile is not None:
            profile.enable()
        result = index.rank(text)
        if profile is not None:
            profile.disable()
        latencies.append(1000 * (time.process_time() - started))
        walls.append(1000 * (time.perf_counter() - wall))
        rankings.append([result.known, [[m.id, m.score] for m in result.matches]])
    latencies.sort()
    walls.sort()
    at = lambda q, of=latencies: of[min(len(of) - 1, int(q * len(of)))]  # noqa: E731
    gc.callbacks.remove(collections)
    print(f"{args.mode}: p50 {at(0.5):.1f} p99 {at(0.99):.1f} max {latencies[-1]:.1f} "
          f"mean {sum(latencies) / len(latencies):.2f} ms CPU over {len(latencies)} logs "
          f"(gc {settled}; {collections}); wall p50 {at(0.5, walls):.1f} "
          f"p99 {at(0.99, walls):.1f} mean {sum(walls) / len(walls):.2f} ms")
    if args.out is not None:
        args.out.write_text(json.dumps(rankings))
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
