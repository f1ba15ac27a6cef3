"""Memory: peak RSS of extracting the excerpt of a 1 GB log, streamed in 1 MiB blocks.

Generates the log into ``bench/.work`` (dependency installs, compiler warnings that mention
"error", carriage-return progress bars, ANSI colours, timestamps, and a real traceback near the
end), extracts it in a fresh subprocess and reads that process's peak RSS (``ru_maxrss``); the
same for an interpreter that only imports knownfix, as the floor. A second, smaller log where
every line is an error exercises the eviction of kept lines. Files are deleted afterwards.
Writes ``bench/results/memory_1gb.json``.

    .venv/bin/python bench/memory_1gb.py [--gigabytes 1.0] [--keep]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
LIMIT_MB = 200

PROBE = """
import resource, sys, time
sys.path.insert(0, {src!r})
from knownfix.core.extract import extract_excerpt
def chunks(path):
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            yield block
start = time.perf_counter()
excerpt = extract_excerpt(chunks({path!r})) if {path!r} else None
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak, seconds, excerpt.spans if excerpt else "-")
"""


def typical_block(index: int) -> bytes:
    """About 1 MiB of realistic CI noise; numbers vary so no two blocks are identical."""
    lines = []
    for i in range(2200):
        n = index * 2200 + i
        lines.append(
            f"2024-03-02T10:{n % 60:02d}:{n % 59:02d}.{n:07d}Z \x1b[32m   Compiling\x1b[0m "
            f"crate_{n % 997} v0.{n % 13}.{n % 7} (registry+https://example.org/index)"
        )
        if i % 50 == 0:
            lines.append(
                f"src/module_{n % 211}.c:{n % 900}:{n % 80}: warning: unused variable "
                f"'error_count_{n}' [-Wunused-variable]"
            )
        if i % 120 == 0:
            lines.append("Downloading 10%\r Downloading 55%\r Downloading 100%")
        if i % 400 == 0:
            lines.append(f"npm WARN deprecated request@2.88.{n % 9}: request has been deprecated")
    return ("\n".join(lines) + "\n").encode()


FAILURE = b"""Traceback (most recent call last):
  File "/app/migrate.py", line 40, in <module>
    upgrade(config, "head")
alembic.util.exc.CommandError: Can't locate revision identified by 'f00dbeef1234'
The command "alembic upgrade head" exited with 1.
"""


def write_typical(path: Path, size: int) -> None:
    written = 0
    with path.open("wb") as out:
        index = 0
        while written < size:
            block = typical_block(index)
            out.write(block)
            written += len(block)
            index += 1
        out.write(FAILURE)


def write_dense(path: Path, size: int) -> None:
    line = b"ERROR: replica %d lost heartbeat, failing over (attempt %d)\n"
    written = 0
    with path.open("wb") as out:
        n = 0
        while written < size:
            block = b"".join(line % (n + i, i % 7) for i in range(20000))
            out.write(block)
            written += len(block)
            n += 20000


def probe(path: Path | None) -> tuple[float, float, str]:
    code = PROBE.format(src=str(ROOT / "src"), path=str(path) if path else "")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rss_kb, seconds, spans = out.stdout.strip().split(" ", 2)
    return int(rss_kb) / 1024, float(seconds), spans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--dense-megabytes", type=float, default=100.0)
    parser.add_argument("--keep", action="store_true", help="keep the generated logs")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    typical = WORK / "memory_typical.log"
    dense = WORK / "memory_dense.log"
    floor_mb, _, _ = probe(None)
    rows = []
    try:
        for name, path, size, writer in (
            ("typical CI log", typical, int(args.gigabytes * 1e9), write_typical),
            ("every line an error", dense, int(args.dense_megabytes * 1e6), write_dense),
        ):
            start = time.perf_counter()
            writer(path, size)
            generated = time.perf_counter() - start
            rss_mb, seconds, spans = probe(path)
            megabytes = path.stat().st_size / 1e6
            rows.append(
                {
                    "log": name,
                    "megabytes": round(megabytes, 1),
                    "peak_rss_mb": round(rss_mb, 1),
                    "extract_seconds": round(seconds, 1),
                    "mb_per_second": round(megabytes / seconds, 1),
                    "generate_seconds": round(generated, 1),
                    "spans": spans,
                    "under_limit": rss_mb < LIMIT_MB,
                }
            )
    finally:
        if not args.keep:
            typical.unlink(missing_ok=True)
            dense.unlink(missing_ok=True)

    print(f"peak RSS of a fresh interpreter importing knownfix: {floor_mb:.1f} MB")
    print(f"{'log':22} {'MB':>8} {'peak RSS MB':>12} {'seconds':>8} {'MB/s':>7}  excerpt spans")
    for row in rows:
        print(
            f"{row['log']:22} {row['megabytes']:8.1f} {row['peak_rss_mb']:12.1f} "
            f"{row['extract_seconds']:8.1f} {row['mb_per_second']:7.1f}  {row['spans']}"
        )
    print(f"limit: {LIMIT_MB} MB RSS (shared 2-core machine; wall-clock seconds)")
    result = {"floor_rss_mb": round(floor_mb, 1), "limit_mb": LIMIT_MB, "runs": rows}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "memory_1gb.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if all(row["under_limit"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
