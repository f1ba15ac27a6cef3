"""The rec9c part of the fresh extraction set: frame the raw outputs and write their cases.

Two kinds of logs (``SOURCES.md`` in this folder): whole CI logs committed unchanged
(``jtravis/``, ``repairnator/``, labelled in ``labels.tsv``), and real tool outputs that a
repository keeps as test data or a person pasted into an issue thread (``raw/``, labelled in
``frames.tsv``), each put in a Travis CI job by ``bench/passing/frames.py`` (fold and timer
markers, ``$ command``, ``The command "…" exited with 1.``) into ``travis/``. Labels are line
numbers of the file as ``grep -n`` shows it (lines end at ``\\n``); the cases use the scorer's
numbering (a lone ``\\r`` also ends a line, as in LogChunks), converted here. Every case is in
the ``dev`` part: this set was built to develop on, and its first run is the unseen estimate.

    .venv/bin/python bench/extraction/rec9c/make_cases.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
sys.path.insert(0, str(DATA.parent / "passing"))

from frames import Job, StepRun, travis_ci  # noqa: E402

BREAK = re.compile(rb"\r\n|\r|\n")
STARTED = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
PREFIX = "rec9c/"


def rows(table: Path) -> list[list[str]]:
    lines = table.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def scorer_span(data: bytes, first: int, last: int) -> list[int]:
    """``[first, last]`` in ``\\n`` lines as the scorer numbers them (lone ``\\r`` ends a line)."""
    starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    begin = len(BREAK.findall(data[: starts[first - 1]])) + 1
    # the breaks up to and with line ``last``'s own end count the scorer's lines through it
    end = (
        len(BREAK.findall(data[: starts[last]]))
        if last < len(starts)
        else (len(BREAK.findall(data)) + 1)
    )
    return [begin, end]


def main() -> int:
    cases = []
    for log, first, last, note in rows(HERE / "labels.tsv"):
        data = gzip.decompress((HERE / f"{log}.gz").read_bytes())
        span = scorer_span(data, int(first), int(last))
        cases.append(
            {
                "id": PREFIX + log,
                "log": f"{PREFIX}{log}.gz",
                "part": "dev",
                "span": span,
                "note": note,
            }
        )
    (HERE / "travis").mkdir(exist_ok=True)
    for raw, ecosystem, command, first, last in rows(HERE / "frames.tsv"):
        output = (HERE / "raw" / raw).read_bytes().decode("utf-8", "surrogateescape")
        stem = raw.removesuffix(".txt")
        job = Job(stem, ecosystem, "test", [StepRun(command, output, 1, 42.0)], STARTED)
        text = travis_ci(job).encode("utf-8", "surrogateescape")
        lines = BREAK.split(text)
        command_line = next(
            i for i, line in enumerate(lines) if line.endswith(f"$ {command}".encode())
        )
        # the output's first line follows the command's line; map the raw span onto it
        offset = command_line + 1
        raw_bytes = output.encode("utf-8", "surrogateescape")
        raw_span = scorer_span(raw_bytes, int(first), int(last))
        span = [raw_span[0] + offset, raw_span[1] + offset]
        name = f"travis/{stem}.log"
        (HERE / name).write_bytes(text)
        got = [lines[span[0] - 1], lines[span[1] - 1]]
        want = [BREAK.split(raw_bytes)[raw_span[0] - 1], BREAK.split(raw_bytes)[raw_span[1] - 1]]
        assert got == want, (name, got, want)
        cases.append(
            {
                "id": PREFIX + name,
                "log": PREFIX + name,
                "part": "dev",
                "span": span,
                "note": f"{raw} lines {first}-{last}, framed as a Travis CI job",
            }
        )
    table = DATA / "cases.jsonl"
    kept = [
        line
        for line in table.read_text(encoding="utf-8").splitlines()
        if not json.loads(line)["id"].startswith(PREFIX)
    ]
    table.write_text("\n".join(kept + [json.dumps(c) for c in cases]) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
