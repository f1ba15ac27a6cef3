"""Real `prove` runs of the small Perl project beside this script, framed as CI jobs.

Each scenario runs one test file of ``project/`` with this machine's perl and prove (a failing
``is()`` in ``t/01-add.t``, a ``die`` in ``t/02-ratio.t``), and the output is wrapped the way
Travis CI and GitHub Actions print a job (``bench/passing/frames.py``). Perl is an ecosystem the
recurrence bench's development half lacks (its held-out half has two Perl repositories).

    .venv/bin/python bench/extraction/perl/make_logs.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "passing"))

from frames import CHECKOUT, Job, StepRun, github_actions, travis_ci  # noqa: E402

SCENARIOS = {"fail-is": "t/01-add.t", "fail-die": "t/02-ratio.t"}


def main() -> int:
    project = HERE / "project"
    for name, test in SCENARIOS.items():
        start = time.monotonic()
        done = subprocess.run(  # one stream, interleaved as a CI runner shows it
            ["prove", "-l", test],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        output = done.stdout.replace(str(project), CHECKOUT)
        step = StepRun(f"prove -l {test}", output, done.returncode, time.monotonic() - start)
        started = datetime(2026, 12, 7, 21, 30, tzinfo=UTC)
        job = Job("perl-calc", "perl", name, [step], started)
        for ci, frame in (("travis", travis_ci), ("github", github_actions)):
            (HERE / f"perl-calc__{name}__{ci}.log").write_text(frame(job), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
