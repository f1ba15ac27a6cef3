"""Real test runs of the two small projects under ``perl/project`` and ``vim/project``, framed
as CI jobs: the generated part of the fresh extraction set (``SOURCES.md``).

Each scenario runs one test file with this machine's toolchain and wraps the output (one
stream, interleaved as a CI runner shows it) the way Travis CI and GitHub Actions print a job
(``bench/passing/frames.py``). Perl (``prove -l``: a failing ``is()``, a ``die``) and Vim script
(Vader, the way Vim plugins run their tests in CI: a failing ``AssertEqual``, a call of a
function that does not exist) are ecosystems only the recurrence bench's held-out half has.
``VADER`` names a checkout of junegunn/vader.vim (MIT; used at
``429b669e6158be3a9fc110799607c232e6ed8e29``).

    VADER=/path/to/vader.vim .venv/bin/python bench/extraction/make_logs.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "passing"))

from frames import CHECKOUT, Job, StepRun, github_actions, travis_ci  # noqa: E402

STARTED = datetime(2026, 12, 7, 21, 30, tzinfo=UTC)
# folder -> (project name, ecosystem, command of a test file, {scenario: test file})
PROJECTS = {
    "perl": (
        "perl-calc",
        "perl",
        "prove -l {test}",
        {"fail-is": "t/01-add.t", "fail-die": "t/02-ratio.t"},
    ),
    "vim": (
        "vim-calc",
        "vim",
        "vim -Nu test/vimrc -Es -c 'Vader! {test}'",
        {"fail-assert": "test/calc.vader", "fail-error": "test/label.vader"},
    ),
}


def main() -> int:
    for folder, (name, ecosystem, command, scenarios) in PROJECTS.items():
        project = HERE / folder / "project"
        for scenario, test in scenarios.items():
            line = command.format(test=test)
            start = time.monotonic()
            done = subprocess.run(  # noqa: S602 - our own fixed command lines
                line,
                shell=True,
                cwd=project,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                check=False,
                env=os.environ,
                timeout=120,
            )
            output = done.stdout.replace(str(project), CHECKOUT)
            step = StepRun(line, output, done.returncode, time.monotonic() - start)
            job = Job(name, ecosystem, scenario, [step], STARTED)
            for ci, frame in (("travis", travis_ci), ("github", github_actions)):
                log = HERE / folder / f"{name}__{scenario}__{ci}.log"
                log.write_text(frame(job), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
