"""What the failed step ran and how it ended: the facts that name the stage of a failure.

An excerpt shows *why* a step failed; the step's command and its closing lines often say *what*
failed: ``$ bundle exec rubocop``, ``##[group]Run npm run lint``, ``The command "mvn test -B"
exited with 1.``, ``make: *** [check-style] Error 1``, ``npm ERR! code ELIFECYCLE``. Policy
rules can test them (``step_regex``) to name a category the excerpt alone leaves open.
"""

from __future__ import annotations

import re

from knownfix.core.extract.view import LogView

MAX_STEP_LINES = 8
"""Lines of step facts at most: the command, then the step's closing lines."""
MAX_LINE_CHARS = 400
_COMMAND_RULES = frozenset({"shell_command", "gha_command", "gha_group", "docker_step"})
_CLOSING_ROLES = frozenset({"closer", "exit"})
_TRAVIS_COMMAND = re.compile(r'^The command "(.*)" (?:failed and )?exited with \d+')
_ECHO = re.compile(r"^(?:\$ |\+ |##\[group\](?:Run )?|##\[command\]|\[command\]|Step \d+/\d+ : )")
_ECHOED = re.compile(r"^(?:\$|\+) \S")
"""A command the shell or runner echoed (GitLab and Buildkite ``$ cmd``, ``set -x``'s ``+ cmd``)."""
_CIRCLECI_SHELL = re.compile(r"^#!/bin/(?:ba)?sh -eo? ?pipefail\s*$")
"""CircleCI prints a run step's shell line, then the step's command."""
_CHAINED = re.compile(r"&&|;\s*\S")
LOOK_BACK = 400
"""Kept lines above the failure searched for the command echoed last, when no anchor says."""


def step_facts(view: LogView, step: tuple[int, int], failure_line: int | None) -> str:
    """The failed step's last command, then its closing lines, one per line.

    ``step`` is the step's opener and exit lines (exclusive bounds), ``failure_line`` the first
    line of the explaining block: commands echoed after it ran after the failure.
    """
    first, end = step
    upto = failure_line if failure_line is not None else end
    commands: list[str] = []
    closing: list[str] = []
    for anchor in view.anchors:
        if anchor.line < first or anchor.line > min(end, view.total):
            continue
        name, role = anchor.rule.name, anchor.rule.role
        if name in _COMMAND_RULES and anchor.line < upto:
            commands.append(_ECHO.sub("", anchor.clean, count=1))
        elif role in _CLOSING_ROLES:
            found = _TRAVIS_COMMAND.match(anchor.clean)
            if found is not None:
                commands.append(found.group(1))
            closing.append(anchor.clean)
    if not commands:
        # An explanation above the step's opener (Jenkins closes its stages and runs post
        # actions before it reports the exit) was printed by the command echoed above it.
        commands = _echoed_command(view, first if first < upto else 0, upto)
    # The command echoed last ran when the step failed; earlier ones (an install before the
    # tests in one GitLab script) passed, and would name the wrong stage.
    kept = commands[-1:] + closing[: MAX_STEP_LINES - 1]
    lines = [line.strip()[:MAX_LINE_CHARS] for line in kept if line.strip()]
    return "\n".join(dict.fromkeys(lines))


def _echoed_command(view: LogView, first: int, upto: int) -> list[str]:
    """The command the failed step ran, from lines no anchor marks: the last ``$ cmd`` or
    ``+ cmd`` kept above the failure, the line after CircleCI's ``#!/bin/bash -eo pipefail``,
    or the ``##[group]Run cmd`` header GitHub Actions prints just above the step's output."""
    for number in range(upto - 1, max(first, upto - LOOK_BACK), -1):
        text = view.clean(number)
        if text is None:
            continue
        if _ECHOED.match(text):
            command = _ECHO.sub("", text, count=1)
            # A chain (lint && build && test) does not say which of its commands failed.
            return [] if _CHAINED.search(command) else [command]
        if _CIRCLECI_SHELL.match(text):
            following = view.clean(number + 1)
            return [following.strip()] if following and following.strip() else []
    opener = view.rule_at.get(first)
    if opener is not None and opener.name == "gha_endgroup":
        header = next((a for a in reversed(view.anchors)
                       if a.line < first and a.rule.name == "gha_group"), None)
        if header is not None and first - header.line <= LOOK_BACK:
            return [_ECHO.sub("", header.clean, count=1)]
    return []
