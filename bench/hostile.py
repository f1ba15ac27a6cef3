"""Hostile inputs: how long and how much memory each takes, against a bound per case.

Each case runs the real ``knownfix`` command in a process of its own on an input built here
(nothing is downloaded), and records its wall time and peak resident memory (from the
kernel's accounting of that one process). The bounds are what a user may expect on a laptop;
the table says which cases stay within them. The anchor, measured in the same run, is the
process floor: ``knownfix --version`` (interpreter, imports, nothing read).

    .venv/bin/python bench/hostile.py [--only NAME ...] [--scale 0.1] [--src OTHER/src]

``--scale`` shrinks every generated input (0.1 for a quick look; bounds are for 1.0). Writes
``bench/results/hostile.json``. Not a test: nothing asserts on these numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "hostile"
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    make: Callable[[Path, float], list[str]]  # writes its input, returns the knownfix argv
    seconds: float  # bound on wall time
    megabytes: float  # bound on peak resident memory


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return path.name


def table_doc(folder: Path, scale: float) -> list[str]:
    rows = ["| ID | Title | Status | Root Cause | Solution |", "|---|---|---|---|---|"]
    rows += [f"| KF-{n:06d} | Something broke number {n} | Open | cause {n} | fix {n} |"
             for n in range(int(100_000 * scale))]
    return ["import", _write(folder / "table.md", "# Status\n\n" + "\n".join(rows) + "\n")]


def emphasis_line(folder: Path, scale: float) -> list[str]:
    return ["import", _write(folder / "emph-line.md", "# T\n\n" + "*_" * int(600_000 * scale))]


def emphasis_paragraphs(folder: Path, scale: float) -> list[str]:
    body = ("*_" * 50 + "\n\n") * int(12_000 * scale)
    return ["import", _write(folder / "emph-paras.md", "# T\n\n" + body)]


def long_list(folder: Path, scale: float) -> list[str]:
    body = "".join(f"- item *{n}* **b** `c`\n" for n in range(int(100_000 * scale)))
    return ["import", _write(folder / "list.md", "# T\n\n" + body)]


def front_matter_bomb(folder: Path, scale: float) -> list[str]:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{chr(98 + n)}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]"
               for n in range(8)]
    doc = "---\nid: KF-1\n" + "\n".join(levels) + "\n---\n# Bomb\n\n## Symptoms\n\n- x\n"
    return ["lint", _write(folder / "bomb.md", doc)]


def policy_bomb(folder: Path, scale: float) -> list[str]:
    patterns = "\n".join(f"      - 'pattern {n}'" for n in range(int(40_000 * scale)))
    rules = "\n".join(f"  - name: r{n}\n    when:\n      any_regex: *a\n    then: {{category: x}}"
                      for n in range(1, int(1000 * scale)))
    _write(folder / "knownfix-policy.yaml",
           f"version: 1\nrules:\n  - name: r0\n    when:\n      any_regex: &a\n{patterns}\n"
           f"    then: {{category: x}}\n{rules}\n")
    return ["policy", "show"]


def huge_line_log(folder: Path, scale: float) -> list[str]:
    path = folder / "one-line.log"
    with path.open("w", encoding="utf-8") as out:
        unit = "error: x password=Tr0ub&3 https://u:p@h/ ghp_" + "a" * 36 + " "
        out.write(unit * int(50_000_000 * scale / len(unit)) + "\n")
    return ["triage", path.name, "--no-record", "--json"]


def secret_dense_log(folder: Path, scale: float) -> list[str]:
    lines = [f"ERROR: step {n} failed: DB_PASSWORD=Zq4mT8vR2w{n} token=ghp_{'b' * 36} "
             f"Authorization: Bearer {'c' * 40} https://ci:pw{n}@git.example.com/r.git"
             for n in range(int(200_000 * scale))]
    return ["triage", _write(folder / "secrets.log", "\n".join(lines) + "\n"), "--no-record"]


def utf16_log(folder: Path, scale: float) -> list[str]:
    text = "".join(f"step {n}: ok\n" for n in range(int(1_000_000 * scale))) + "error: boom\n"
    (folder / "utf16.log").write_bytes(text.encode("utf-16-le"))
    return ["triage", "utf16.log", "--no-record", "--json"]


def binary_log(folder: Path, scale: float) -> list[str]:
    (folder / "core.bin").write_bytes(os.urandom(int(20_000_000 * scale)))
    return ["triage", "core.bin", "--no-record"]


def report_of_many(folder: Path, scale: float) -> list[str]:
    return ["report", "--format", "md"]


CASES = (
    Case("anchor", "knownfix --version (the process floor)", lambda f, s: ["--version"], 5, 150),
    Case("table-100k", "import: one table of 100,000 rows (8.9 MB)", table_doc, 60, 250),
    Case("emphasis-line", "import: 1.2 MB of emphasis markers on one line", emphasis_line, 20,
         200),
    Case("emphasis-paragraphs", "import: 1.2 MB of emphasis markers in 12,000 paragraphs",
         emphasis_paragraphs, 90, 250),
    Case("list-100k", "import: one list of 100,000 items with inline markup (2.5 MB)",
         long_list, 120, 250),
    Case("front-matter-bomb", "lint: billion-laughs aliases in front matter", front_matter_bomb,
         10, 200),
    Case("policy-bomb", "policy show: 40,000 anchored patterns reused by 1,000 rules (830 KB)",
         policy_bomb, 30, 250),
    Case("one-line-50mb", "triage: a 50 MB log on one line, secrets in it", huge_line_log, 60,
         400),
    Case("secret-dense", "triage: 200,000 lines with four secrets each (37 MB)",
         secret_dense_log, 60, 400),
    Case("utf16-no-bom", "triage: 13 MB UTF-16 log without a byte order mark", utf16_log, 60,
         400),
    Case("binary", "triage: 20 MB of random bytes (refused)", binary_log, 10, 200),
    Case("report", "report --format md on the store the cases above filled", report_of_many, 20,
         250),
)


# Linux keeps the larger of a process's peak memory before and after exec, so knownfix is
# started from this small launcher, not from the bench (which holds the inputs it built).
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "knownfix", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nPEAK-KB {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(argv: list[str], cwd: Path, src: Path | None = None) -> dict[str, float | int]:
    """Run knownfix (from ``src`` when given); its wall time, peak memory (MB), exit status."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *argv], cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = int(done.stderr.rsplit("PEAK-KB ", 1)[1].split()[0])
    return {"seconds": round(seconds, 2), "megabytes": round(peak / 1024, 1),
            "exit": done.returncode, "traceback": int("Traceback" in done.stderr)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="case names to run (the anchor always runs)")
    parser.add_argument("--scale", type=float, default=1.0, help="input size factor")
    parser.add_argument("--src", type=Path, help="run the knownfix of another source tree "
                        "(e.g. an older commit: git archive REV src | tar -x -C /tmp/old)")
    args = parser.parse_args()
    folder = WORK / f"scale-{args.scale}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".knownfix").mkdir(exist_ok=True)
    rows = []
    for case in CASES:
        if args.only and case.name not in args.only and case.name != "anchor":
            continue
        argv = case.make(folder, args.scale)
        measured = run(argv, folder, args.src)
        within = measured["seconds"] <= case.seconds and measured["megabytes"] <= case.megabytes
        rows.append({"case": case.name, "what": case.what, "argv": argv, **measured,
                     "bound_seconds": case.seconds, "bound_megabytes": case.megabytes,
                     "within": within and not measured["traceback"]})
        (folder / "knownfix-policy.yaml").unlink(missing_ok=True)
        print(f"{case.name:<20} {measured['seconds']:>7.2f} s {measured['megabytes']:>7.1f} MB "
              f"exit {measured['exit']}  bound {case.seconds:g} s / {case.megabytes:g} MB  "
              f"{'ok' if rows[-1]['within'] else 'OVER'}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "hostile.json" if args.src is None else "hostile-src.json"
    (RESULTS / name).write_text(json.dumps({"scale": args.scale, "src": str(args.src or ""),
                                            "cases": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
