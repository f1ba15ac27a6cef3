"""Redaction on CI logs: what it masks that is not a secret, and its speed, against the old rules.

Every LogChunks log (797 failed Travis CI builds; their secrets were masked by Travis as
``[secure]`` before publication, so nearly every redaction here is a false positive) is redacted
line by line with knownfix's rules and, in the same run, with the anchor: the hand-grown rules
knownfix had before gitleaks' provider rules (read from git, commit ``ANCHOR``). The logs are
split by repository into a development half (the only one whose redactions may be read while
tuning: ``--show``) and a held-out half (counted, never listed).

Speed is measured where redaction runs: on the excerpt knownfix extracts from each log (what
is stored and shown), and, as a stress figure, on whole logs.

    .venv/bin/python bench/redaction.py [--datasets DIR] [--show N] [--anchor REV]

Writes ``bench/results/secrets.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from logchunks import RESULTS, dataset_dir, is_dev, read_chunks, unpack  # noqa: E402

from knownfix.core.extract import extract_excerpt  # noqa: E402
from knownfix.core.secrets.redact import redact, redact_explain  # noqa: E402
from knownfix.core.text.decoding import decode_line  # noqa: E402

ANCHOR = "602319f"
"""The last commit with the hand-grown rules (before gitleaks' provider rules)."""

Redact = Callable[[str], str]


def anchor_module(rev: str) -> ModuleType | None:
    """The old ``redact`` module, loaded from git into a temporary package; None without git."""
    folder = Path(tempfile.mkdtemp(prefix="knownfix-anchor-"))
    package = folder / "anchor_secrets"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("redact.py", "secret_rules.py"):
        try:
            source = subprocess.run(
                ["git", "show", f"{rev}:src/knownfix/core/secrets/{name}"],
                cwd=ROOT, capture_output=True, text=True, check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
        source = source.replace("knownfix.core.secrets.secret_rules", "anchor_secrets.secret_rules")
        (package / name).write_text(source)
    sys.path.insert(0, str(folder))
    spec = importlib.util.find_spec("anchor_secrets.redact")
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def log_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    return [decode_line(raw) for raw in data.splitlines()]


def timed(function: Redact, texts: list[str], repeat: int = 3) -> float:
    """Best of ``repeat`` runs, seconds for all texts."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (default KNOWNFIX_DATASETS)")
    parser.add_argument("--show", type=int, default=0,
                        help="list up to N redacted lines per rule (development half only)")
    parser.add_argument("--anchor", default=ANCHOR, help="git revision of the old rules")
    args = parser.parse_args()
    data = dataset_dir(args.datasets)
    logs = unpack(data) / "logs"
    cases = [json.loads(line) for line in (data / "cases.jsonl").open(encoding="utf-8")]
    anchor = anchor_module(args.anchor)
    methods: dict[str, Redact] = {"knownfix": redact}
    if anchor is not None:
        methods[f"old rules ({args.anchor})"] = anchor.redact
    else:
        print("git unavailable: the anchor (old rules) is skipped", file=sys.stderr)

    counts: dict[str, dict[str, Counter[str]]] = {
        half: defaultdict(Counter) for half in ("dev", "held")
    }
    totals = {"dev": Counter(), "held": Counter()}
    examples: dict[str, list[str]] = defaultdict(list)
    excerpts: list[str] = []
    whole: list[str] = []
    for case in cases:
        half = "dev" if is_dev(case["repo"]) else "held"
        path = logs / case["log"].removeprefix("logs/")
        lines = log_lines(path)
        text = "\n".join(lines)
        whole.append(text)
        excerpts.append(extract_excerpt(read_chunks(path)).text)
        totals[half]["logs"] += 1
        totals[half]["lines"] += len(lines)
        for line in lines:
            if anchor is not None:
                old, old_fired = anchor.redact_explain(line)
                if old != line:
                    totals[half]["anchor lines"] += 1
                    counts[half]["anchor"].update(old_fired)
            out, fired = redact_explain(line)
            if out == line:
                continue
            totals[half]["knownfix lines"] += 1
            for name in fired:
                counts[half]["knownfix"][name] += 1
                if half == "dev" and len(examples[name]) < args.show:
                    examples[name].append(f"{case['log']}: {line.strip()[:160]}\n    -> "
                                          f"{out.strip()[:160]}")

    speed = {}
    excerpt_bytes = sum(len(t.encode()) for t in excerpts)
    whole_bytes = sum(len(t.encode()) for t in whole)
    for name, function in methods.items():
        seconds = timed(function, excerpts)
        whole_seconds = timed(function, whole, repeat=1)
        speed[name] = {
            "excerpts": len(excerpts),
            "ms_per_excerpt": round(1000 * seconds / len(excerpts), 3),
            "excerpt_mb_s": round(excerpt_bytes / seconds / 1e6, 2),
            "whole_log_mb_s": round(whole_bytes / whole_seconds / 1e6, 2),
        }

    print("Redacted lines in LogChunks (Travis had masked the real secrets: nearly all are "
          "false positives)\n")
    print(f"{'half':<6} {'logs':>5} {'lines':>9} {'knownfix':>9} {'per 10k':>8} "
          f"{'old rules':>10} {'per 10k':>8}")
    for half in ("dev", "held"):
        t = totals[half]
        per = 10_000 / max(t["lines"], 1)
        print(f"{half:<6} {t['logs']:>5} {t['lines']:>9} {t['knownfix lines']:>9} "
              f"{t['knownfix lines'] * per:>8.2f} {t['anchor lines']:>10} "
              f"{t['anchor lines'] * per:>8.2f}")
    print("\nRules that fired (held-out half):", dict(counts["held"]["knownfix"].most_common()))
    print("Old rules that fired (held-out half):", dict(counts["held"]["anchor"].most_common()))
    print("\nSpeed (best of 3; excerpts are what triage redacts)\n")
    print(f"{'rules':<26} {'ms/excerpt':>10} {'excerpt MB/s':>13} {'whole-log MB/s':>15}")
    for name, row in speed.items():
        print(f"{name:<26} {row['ms_per_excerpt']:>10} {row['excerpt_mb_s']:>13} "
              f"{row['whole_log_mb_s']:>15}")
    if args.show:
        print("\nDevelopment-half examples:")
        for name, rows in sorted(examples.items()):
            print(f"\n[{name}]")
            for row in rows:
                print("  " + row)
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "totals": {half: dict(t) for half, t in totals.items()},
        "fired": {half: {k: dict(v) for k, v in c.items()} for half, c in counts.items()},
        "speed": speed,
    }
    (RESULTS / "secrets.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
