"""Benchmark: the import of a ``kb_synth`` knowledge base, then the same import unchanged.

Reports, for a fresh store (SQLite file, or a PostgreSQL database of its own, dropped after):
wall seconds and CPU seconds of this process (``time.process_time``: the importing process;
import workers are other processes, so with ``--workers 1`` it is all the import's CPU), then
the same for an unchanged re-import. ``--dump`` prints the digests of what was stored
(``kb_store_dump.py``) to compare two checkouts.

    .venv/bin/python bench/kb_import.py --size 10000 --workers 1
    .venv/bin/python bench/kb_import.py --size 100000 --workers 2 --backend postgres

Copy this script and ``kb_synth.py`` into another checkout to measure it: the checkout's own
``src`` is put first on ``sys.path``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import kb_scale  # noqa: E402
import kb_store_dump  # noqa: E402

from knownfix.services.knowledge import import_paths  # noqa: E402
from knownfix.storage.repository import open_store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=0, help="0: one per core, at most 4")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--docs", help="import this tree instead of generating one")
    parser.add_argument("--dump", action="store_true", help="print the stored rows' digests")
    args = parser.parse_args()
    docs = Path(args.docs) if args.docs else kb_scale.documents(args.size)[0]
    with tempfile.TemporaryDirectory(prefix="kb-import-") as where, \
            kb_scale.store_url(args.backend, args.pg, Path(where)) as url:
        store = open_store(url)
        for label in ("import", "unchanged"):
            cpu, wall = time.process_time(), time.perf_counter()
            report = import_paths(store, [docs], workers=args.workers)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{label:9} wall {wall:7.1f} s  cpu {cpu:7.1f} s  {report.stats.to_dict()}",
                  flush=True)
        store.close()
        load = os.getloadavg()[0]
        print(f"{args.backend}, {docs}, workers {args.workers}, load {load:.1f}")
        if args.dump:
            dump_url = url.replace("postgresql+psycopg://", "postgresql://")
            for table, (count, digest) in kb_store_dump.dump(dump_url).items():
                print(f"{table:20} {count:8} {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
