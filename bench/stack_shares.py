"""Where a service process spends its CPU: the shares of py-spy's samples by step.

``service_load.py --py-spy DIR`` samples the API and the worker process while they accept and
analyse (py-spy ``record --format raw --nonblocking``: collapsed stacks, idle threads left
out); this turns each file into a table of steps. A sample belongs to the first marker met
walking its stack from the innermost frame out, so a statement run while recording an
occurrence counts as recording, and code no marker names counts under its library (uvicorn,
starlette, celery …) or "other". Multiplied by the process's CPU per event, a share is
milliseconds of CPU per event.

    .venv/bin/python bench/stack_shares.py worker /tmp/spy/worker.txt [--cpu-ms 9.6]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

# (step, what a frame's text contains): checked in this order for each frame, innermost first.
WORKER_STEPS: list[tuple[str, str]] = [
    ("logging", "(logging/"),
    ("metrics (prometheus)", "(prometheus_client/"),
    ("triage: extraction", "read_log (knownfix/core/extract/"),
    ("triage: fingerprint", "fingerprint_excerpt (knownfix/"),
    ("triage: policy", "decide (knownfix/core/policy/"),
    ("triage: matching", "rank (knownfix/core/match/"),
    ("triage: redaction", "redact (knownfix/core/secrets/"),
    ("claim (store)", "claim_event (knownfix/"),
    ("record + finish (store)", "_record_and_finish (knownfix/"),
    ("inflate", "gzip_blocks (knownfix/"),
    ("triage: rest", "triage_source (knownfix/"),
    ("analysis: rest", "analyse_event (knownfix/"),
    ("celery / kombu / redis", "(celery/"),
    ("celery / kombu / redis", "(kombu/"),
    ("celery / kombu / redis", "(redis/"),
    ("celery / kombu / redis", "(billiard/"),
]
API_STEPS: list[tuple[str, str]] = [
    ("logging", "(logging/"),
    ("metrics (prometheus)", "(prometheus_client/"),
    ("token check", "writer_of (knownfix/"),
    ("reading the body", "read_raw (knownfix/"),
    ("inflate + checks", "decode_body (knownfix/"),
    ("prepare (checks, redaction)", "prepare_event (knownfix/"),
    ("dedup claim (Redis)", "claim (knownfix/worker/"),
    ("insert (store)", "insert_event (knownfix/"),
    ("insert (store)", "insert_events (knownfix/"),
    ("publish (Redis)", "publish (knownfix/worker/"),
    ("accept: rest", "accept_event (knownfix/"),
    ("route: rest", "post_event (knownfix/"),
    ("route: rest", "received_event (knownfix/"),
    ("thread pool (anyio)", "(anyio/"),
    ("fastapi / starlette", "(fastapi/"),
    ("fastapi / starlette", "(starlette/"),
    ("uvicorn (HTTP)", "(uvicorn/"),
    ("asyncio / uvloop", "(asyncio/"),
    ("asyncio / uvloop", "(uvloop/"),
]
STEPS = {"worker": WORKER_STEPS, "api": API_STEPS}


def step_of(stack: str, steps: list[tuple[str, str]]) -> str:
    """The step of one collapsed stack (``outer;…;inner``)."""
    for frame in reversed(stack.split(";")):
        for step, marker in steps:
            if marker in frame:
                return step
    return "other"


def shares(path: Path, steps: list[tuple[str, str]]) -> tuple[Counter[str], int]:
    """Samples per step of a py-spy raw file, and the total."""
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            counts[step_of(stack, steps)] += int(n)
    return counts, sum(counts.values())


def table(path: Path, kind: str, cpu_ms: float | None) -> str:
    counts, total = shares(path, STEPS[kind])
    lines = [f"{kind}: {total} samples" + (f", {cpu_ms:.2f} CPU ms per event" if cpu_ms else ""),
             "| step | share | CPU ms per event |", "|---|---|---|"]
    for step, n in counts.most_common():
        ms = f"{n / total * cpu_ms:.2f}" if cpu_ms else "–"
        lines.append(f"| {step} | {n / total:.1%} | {ms} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(STEPS))
    parser.add_argument("raw", type=Path, help="py-spy record --format raw output")
    parser.add_argument("--cpu-ms", type=float, help="the process's CPU ms per event")
    args = parser.parse_args()
    print(table(args.raw, args.kind, args.cpu_ms))


if __name__ == "__main__":
    main()
