"""Scan speed: the whole LogChunks corpus through extraction, beside grep on the same files.

Extraction runs in this one process over every log (read in 1 MiB blocks, as the CLI does);
``grep -ciE 'error|fail'`` runs once over the same files as the anchor, and so do two naive
Python loops that test every line with one regex (on bytes, and in text mode as most people
write it). Files are read once beforehand so all measure warm page-cache throughput. Reports
wall and CPU seconds, MB/s and the ratios; writes ``bench/results/scan_speed.json``.

    .venv/bin/python bench/scan_speed.py [--datasets DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from logchunks import RESULTS, dataset_dir, read_chunks, unpack  # noqa: E402

from knownfix.core.extract import extract_excerpt  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_knownfix(files: list[Path]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        extract_excerpt(read_chunks(path))
    return time.perf_counter() - wall, time.process_time() - cpu


def time_regex_loop(files: list[Path]) -> tuple[float, float]:
    """The naive Python scan: every line of every file tested with one regex (1 MiB reads).

    The same work on any machine, so knownfix's time over this loop's is a ratio that travels
    between hosts, where MB/s depends on the host and on its neighbours' load.
    """
    pattern = re.compile(rb"error|fail", re.IGNORECASE)
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        with path.open("rb") as stream:
            for line in stream:
                pattern.search(line)
    return time.perf_counter() - wall, time.process_time() - cpu


def time_text_loop(files: list[Path]) -> tuple[float, float]:
    """The same loop as most people write it: text mode (UTF-8, universal newlines)."""
    pattern = re.compile(r"error|fail", re.IGNORECASE)
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                pattern.search(line)
    return time.perf_counter() - wall, time.process_time() - cpu


def time_grep(files: list[Path]) -> tuple[float, float]:
    before = children_cpu()
    wall = time.perf_counter()
    subprocess.run(
        ["grep", "-ciE", "error|fail", *map(str, files)],
        check=False,
        stdout=subprocess.DEVNULL,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - wall, children_cpu() - before


def scan_engine() -> str:
    from knownfix.core.extract import hsscan

    return "hyperscan" if hsscan.available() and hsscan._hs is not None else "re2"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (default $KNOWNFIX_DATASETS)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    args = parser.parse_args()

    logs = unpack(dataset_dir(args.datasets)) / "logs"
    files = sorted(logs.rglob("*.log"))
    size = sum(path.stat().st_size for path in files)
    for path in files:  # warm the page cache for both contenders
        path.read_bytes()

    loop = min((time_regex_loop(files) for _ in range(args.repeat)), key=lambda t: t[1])
    text_loop = min((time_text_loop(files) for _ in range(args.repeat)), key=lambda t: t[1])
    ours = min((time_knownfix(files) for _ in range(args.repeat)), key=lambda t: t[1])
    grep = min((time_grep(files) for _ in range(args.repeat)), key=lambda t: t[0])
    megabytes = size / 1e6
    result = {
        "files": len(files),
        "megabytes": round(megabytes, 1),
        "knownfix": {
            "wall_seconds": round(ours[0], 2),
            "cpu_seconds": round(ours[1], 2),
            "mb_per_cpu_second": round(megabytes / ours[1], 1),
        },
        "grep -ciE 'error|fail'": {
            "wall_seconds": round(grep[0], 2),
            "cpu_seconds": round(grep[1], 2),
            "mb_per_second": round(megabytes / grep[0], 1),
        },
        "knownfix_vs_grep_wall": round(ours[0] / grep[0], 1),
        "python_regex_loop": {
            "wall_seconds": round(loop[0], 2),
            "cpu_seconds": round(loop[1], 2),
            "mb_per_cpu_second": round(megabytes / loop[1], 1),
        },
        "knownfix_vs_python_loop_cpu": round(ours[1] / loop[1], 2),
        "python_text_loop": {
            "wall_seconds": round(text_loop[0], 2),
            "cpu_seconds": round(text_loop[1], 2),
            "mb_per_cpu_second": round(megabytes / text_loop[1], 1),
        },
        "knownfix_vs_python_text_loop_cpu": round(ours[1] / text_loop[1], 2),
        "scan_engine": scan_engine(),
        "machine": f"{platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}, shared 2-core machine",
    }
    print(f"LogChunks corpus: {len(files)} files, {megabytes:.1f} MB, best of {args.repeat}")
    print(f"{'':28} {'wall s':>8} {'cpu s':>8} {'MB/s':>8}")
    print(
        f"{'knownfix extract_excerpt':28} {ours[0]:8.2f} {ours[1]:8.2f} "
        f"{megabytes / ours[1]:8.1f}  (per CPU second, one core)"
    )
    print(f"{'grep -ciE error|fail':28} {grep[0]:8.2f} {grep[1]:8.2f} {megabytes / grep[0]:8.1f}")
    print(f"knownfix takes {result['knownfix_vs_grep_wall']}x grep's wall time")
    print(f"{'python loop, one regex/line':28} {loop[0]:8.2f} {loop[1]:8.2f} "
          f"{megabytes / loop[1]:8.1f}")
    print(f"knownfix takes {result['knownfix_vs_python_loop_cpu']}x the Python loop's CPU time")
    print(f"{'python loop, text mode':28} {text_loop[0]:8.2f} {text_loop[1]:8.2f} "
          f"{megabytes / text_loop[1]:8.1f}")
    print(f"knownfix takes {result['knownfix_vs_python_text_loop_cpu']}x its CPU time")
    print(f"scan engine: {result['scan_engine']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
