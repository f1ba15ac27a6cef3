"""How six CI systems print a failed job around its commands' real output.

Modelled on the raw job logs each system serves (the same conventions as
``bench/passing/frames.py``, extended to six systems and to the job endings a runner writes
itself):

* GitHub Actions: every line timestamped, ``##[group]Run …`` step headers, cache restores,
  ``##[error]Process completed with exit code N.``, post-job cleanup.
* GitLab CI: the runner trace with ``section_start``/``section_end`` markers, ``$ command``
  lines, cache extraction, ``ERROR: Job failed: exit code N``.
* Travis CI: ``travis_fold``/``travis_time`` markers, ``The command "…" exited with N.``,
  ``Done. Your build exited with 1.`` (Travis runs every ``script`` command).
* Jenkins: a Pipeline console (``[Pipeline] stage``, ``+ command`` under ``sh``, the git
  plugin's checkout lines, ``ERROR: script returned exit code N``, ``Finished: FAILURE``).
* Buildkite: ``~~~``/``---`` headers of the agent's hooks, ``$ command``, ``🚨 Error: The
  command exited with status N``, ``user command error: exit status N``.
* CircleCI: the steps of a job one after the other (``Spin up environment``, ``Checkout
  code``, ``Restoring cache``, ``#!/bin/bash -eo pipefail``, ``Exited with code exit status N``).

A job's ``ending`` names what the *runner* printed instead of a command's exit (a job killed at
its time limit, a runner that lost contact): those lines are the CI system's own, written from
its documentation and real logs, since they cannot be produced by running a command here.
"""

from __future__ import annotations

from collections.abc import Callable

from ci_job import CHECKOUT, Job, StepRun
from frames_hosted import github_actions, gitlab_ci, travis_ci
from frames_pipelines import buildkite, circleci, jenkins

__all__ = ["CHECKOUT", "CI_SYSTEMS", "Job", "StepRun"]

CI_SYSTEMS: dict[str, Callable[[Job], str]] = {
    "github": github_actions,
    "gitlab": gitlab_ci,
    "travis": travis_ci,
    "jenkins": jenkins,
    "buildkite": buildkite,
    "circleci": circleci,
}
