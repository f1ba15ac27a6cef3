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
    # The command echoed last ran when the step failed; earlier ones (an install before the
    # tests in one GitLab script) passed, and would name the wrong stage.
    kept = commands[-1:] + closing[: MAX_STEP_LINES - 1]
    lines = [line.strip()[:MAX_LINE_CHARS] for line in kept if line.strip()]
    return "\n".join(dict.fromkeys(lines))
