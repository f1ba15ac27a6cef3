"""Real Vader runs (Vim 9 and junegunn/vader.vim) of the small Vim plugin beside this script, framed as CI jobs.

Each scenario runs one Vader file of ``project/test/`` the way Vim plugins run their tests in CI
(``vim -Nu test/vimrc -Es -c 'Vader! test/x.vader'``: a failing ``AssertEqual`` in
``calc.vader``, a call of a function that does not exist in ``label.vader``), and the output is
wrapped the way Travis CI and GitHub Actions print a job (``bench/passing/frames.py``). Vim script
is an ecosystem the recurrence bench's development half lacks (its held-out half has three
VimL repositories). ``VADER`` names a checkout of junegunn/vader.vim (MIT; used at
``429b669e6158be3a9fc110799607c232e6ed8e29``).

    VADER=/path/to/vader.vim .venv/bin/python bench/extraction/vim/make_logs.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "passing"))

from frames import CHECKOUT, Job, StepRun, github_actions, travis_ci  # noqa: E402

SCENARIOS = {"fail-assert": "test/calc.vader", "fail-error": "test/label.vader"}


def main() -> int:
    project = HERE / "project"
    for name, test in SCENARIOS.items():
        start = time.monotonic()
        done = subprocess.run(  # one stream, interleaved as a CI runner shows it
            ["vim", "-Nu", "test/vimrc", "-Es", "-c", f"Vader! {test}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
            env={**os.environ, "VADER": os.environ["VADER"]},
            timeout=120,
        )
        output = done.stdout.replace(str(project), CHECKOUT)
        command = f"vim -Nu test/vimrc -Es -c 'Vader! {test}'"
        step = StepRun(command, output, done.returncode, time.monotonic() - start)
        started = datetime(2026, 12, 7, 21, 30, tzinfo=UTC)
        job = Job("vim-calc", "vim", name, [step], started)
        for ci, frame in (("travis", travis_ci), ("github", github_actions)):
            (HERE / f"vim-calc__{name}__{ci}.log").write_text(frame(job), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
