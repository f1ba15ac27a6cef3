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
_CLOSING_COMMAND = re.compile(
    r'^The command "(.*)" (?:failed and )?exited with \d+'
    # Docker: the RUN command of the build step that failed (classic builder, then BuildKit)
    r"|^The command '/bin/(?:ba)?sh -c (.*)' returned a non-zero code: \d+"
    r'|failed to solve: process "/bin/(?:ba)?sh -c (.*)" did not complete successfully'
    r"|executor failed running \[/bin/(?:ba)?sh -c (.*)\]: exit code: \d+"
)
"""Closing lines that name the command that failed (Travis, Docker)."""
_ECHO = re.compile(r"^(?:\$ |\+ |##\[group\](?:Run )?|##\[command\]|\[command\]|Step \d+/\d+ : )")
_ECHOED = re.compile(r"^(?:\$|\+) \S")
"""A command the shell or runner echoed (GitLab and Buildkite ``$ cmd``, ``set -x``'s ``+ cmd``)."""
_CIRCLECI_SHELL = re.compile(r"^#!/bin/(?:ba)?sh -eo? ?pipefail\s*$")
"""CircleCI prints a run step's shell line, then the step's command."""
_CHAINED = re.compile(r"&&|;\s*\S")
_GHA_RUN = re.compile(r"^Run (\S.*)$")
"""GitHub Actions' step header as its web page shows it (and people paste it): ``Run npm test``,
then the script indented, then ``shell: /usr/bin/bash -e {0}`` (the raw log adds ``##[group]``)."""
_GHA_SHELL = re.compile(r"^\s+shell: \S")
_AZURE_WRAPPER = re.compile(r"[\\/]_temp[\\/][\w.-]+\.(?:sh|ps1|cmd)['\"]?\s*$")
"""Azure Pipelines runs a script step as a file of its temp folder (``[command]/usr/bin/bash
--noprofile --norc /home/vsts/work/_temp/4b1c.sh``); it prints the script above, under
``Script contents:``, up to ``==== Starting Command Output ====``."""
_AZURE_SCRIPT = "Script contents:"
GHA_HEADER_LINES = 12
"""Lines under a ``Run …`` header searched for its ``shell:`` line (the script, then ``env:``)."""
LOOK_BACK = 400
"""Kept lines above the failure searched for the command echoed last, when no anchor says."""
_SCRIPT_RUNNER = re.compile(r"(?:^|[\s;&|(])(?:npm|pnpm|yarn)(?:\s|$)")
"""npm, pnpm and Yarn run a package.json script by name (``npm test``, ``yarn lint``)."""
_SCRIPT_HEADER = re.compile(r"^> (?:@[^\s/]+/)?[^\s@]+@\S+ ([\w:.-]+)(?: (\S.*))?$")
"""The header npm and pnpm print before a script: ``> pkg@1.0.0 lint /path`` (npm 6 and pnpm),
``> pkg@1.0.0 lint`` (npm 7+); the script's command follows as ``> eslint .``."""
_RUN_ALL_FAILED = re.compile(r'^ERROR: "([\w:.-]+)" exited with [1-9]')
"""npm-run-all names the script that failed (its scripts may run in parallel, interleaved)."""
_INSTALL_SCRIPTS = frozenset({"install", "preinstall", "postinstall", "prepare", "prepublish"})
_SCRIPT_FAILED = re.compile(
    r"^\s*(?:npm ERR!|npm error|ERR_PNPM_\w+)\s+(?:@[^\s/]+/)?[^\s@`]+@\S+ ([\w:.-]+): `(.+)`\s*$"
    r"|^npm ERR! Failed at the \S+@\S+ ([\w:.-]+) script '(.+)'\.?\s*$"
)
_LIFECYCLE_FAILED = re.compile(r"^npm (?:ERR!|error) Lifecycle script `([\w:.-]+)` failed")
_LIFECYCLE_COMMAND = re.compile(
    r"^npm (?:ERR!|error) command (?:sh|bash|cmd(?:\.exe)?) (?:-c|/d /s /c) (.+)$"
)


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
            command = _ECHO.sub("", anchor.clean, count=1)
            if _AZURE_WRAPPER.search(command):
                command = _azure_script(view, anchor.line) or command
            commands.append(command)
        elif role in _CLOSING_ROLES:
            found = _CLOSING_COMMAND.search(anchor.clean)
            if found is None or found.group(1) is not None:
                if found is not None:
                    commands.append(found.group(1))
                closing.append(anchor.clean)
                continue
            # Docker's closer quotes the RUN command and nothing else: a RUN that chains
            # commands (apt-get update && make) does not say which of them failed
            command = next(group for group in found.groups() if group is not None)
            if not _CHAINED.search(command):
                commands.append(command)
    if not commands:
        # An explanation above the step's opener (Jenkins closes its stages and runs post
        # actions before it reports the exit) was printed by the command echoed above it.
        commands = _echoed_command(view, first if first < upto else 0, upto)
    # The command echoed last ran when the step failed; earlier ones (an install before the
    # tests in one GitLab script) passed, and would name the wrong stage.
    kept = commands[-1:]
    if commands and _SCRIPT_RUNNER.search(commands[-1]):
        kept += _package_script(view, first, upto, end)
    kept += closing[: MAX_STEP_LINES - len(kept)]
    lines = [line.strip()[:MAX_LINE_CHARS] for line in kept if line.strip()]
    return "\n".join(dict.fromkeys(lines))


def _echoed_command(view: LogView, first: int, upto: int) -> list[str]:
    """The command the failed step ran, from lines no anchor marks: the last ``$ cmd`` or
    ``+ cmd`` kept above the failure, the line after CircleCI's ``#!/bin/bash -eo pipefail``,
    or the ``##[group]Run cmd`` header GitHub Actions prints just above the step's output."""
    # a short output's explaining block may start at the command's own echo or header
    for number in range(upto, max(first, upto - LOOK_BACK), -1):
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
        header = _GHA_RUN.match(text)
        if header is not None and _gha_step_header(view, number):
            command = header.group(1)
            return [] if _CHAINED.search(command) else [command]
    opener = view.rule_at.get(first)
    if opener is not None and opener.name == "gha_endgroup":
        group = next((a for a in reversed(view.anchors)
                      if a.line < first and a.rule.name == "gha_group"), None)
        if group is not None and first - group.line <= LOOK_BACK:
            return [_ECHO.sub("", group.clean, count=1)]
    return []


def _azure_script(view: LogView, line: int) -> str | None:
    """The one command of the script Azure Pipelines printed above its wrapper at ``line``
    (None for a script of several commands: it does not say which of them failed)."""
    for number in range(line - 1, max(0, line - LOOK_BACK), -1):
        if (view.clean(number) or "").strip() != _AZURE_SCRIPT:
            continue
        body: list[str] = []
        for following in range(number + 1, line):
            text = (view.clean(following) or "").strip()
            if text.startswith(("=====", "[command]")):
                break
            if text:
                body.append(text)
        return body[0] if len(body) == 1 and not _CHAINED.search(body[0]) else None
    return None


def _gha_step_header(view: LogView, number: int) -> bool:
    """Whether ``Run …`` at ``number`` is GitHub Actions' step header: its ``shell:`` line
    follows within a few lines (a program's own ``Run …`` output has none)."""
    return any(_GHA_SHELL.match(view.clean(line) or "")
               for line in range(number + 1, min(number + GHA_HEADER_LINES, view.total + 1)))


def _package_script(view: LogView, first: int, upto: int, end: int) -> list[str]:
    """The package.json script that failed, and its command.

    ``npm test`` says only that the test script failed; the script it ran says what kind of
    check that was. npm names the script that failed in its error lines (``npm ERR!
    pkg@1.0.0 test-style: `standard lib/*.js` `` up to npm 6, ``Lifecycle script `lint` failed``
    and ``command sh -c eslint .`` since npm 7, pnpm's ``pkg@1.0.0 lint: `eslint .` ``); the
    first of them is the innermost script; npm-run-all says ``ERROR: "unit" exited with 1.``
    (its scripts may run in parallel, their headers interleaved). Without them, the last script
    header above the failure (``> pkg@1.0.0 lint`` then ``> eslint .``) is the script that was
    running; a dependency's install scripts (``node_modules/…``) are not. A
    command that chains others (``eslint . && mocha``) does not say which of them failed: only
    the script's name is kept then.
    """
    name = command = None
    # npm prints its error lines after the script's output, but the excerpt may end below them
    for number in range(max(first, upto - LOOK_BACK), min(end, view.total, upto + LOOK_BACK) + 1):
        text = view.clean(number) or ""
        run_all = _RUN_ALL_FAILED.match(text)
        if run_all is not None:
            name = run_all.group(1)
            break
        failed = _SCRIPT_FAILED.search(text)
        if failed is not None:
            name = failed.group(1) or failed.group(3)
            command = failed.group(2) or failed.group(4)
            break
        lifecycle = _LIFECYCLE_FAILED.search(text)
        if lifecycle is not None:
            name = lifecycle.group(1)
            commands = (_LIFECYCLE_COMMAND.search(view.clean(line) or "")
                        for line in range(number + 1, number + MAX_STEP_LINES))
            command = next((found.group(1) for found in commands if found), None)
            break
    if command is None:
        # the last script header above the failure (or the failed script's own header)
        for number in range(upto - 1, max(first, upto - LOOK_BACK), -1):
            header = _SCRIPT_HEADER.match(view.clean(number) or "")
            # a dependency's own install scripts (node_modules/…) ran while packages installed
            if header is not None and not _installing(header.group(1), header.group(2)) and (
                    name is None or header.group(1) == name):
                name = header.group(1)
                following = (view.clean(number + 1) or "").strip()
                command = following[2:] if following.startswith("> ") else None
                break
    if name is None:
        return []
    found = [f"npm run {name}"]
    if command and command.strip() and not _CHAINED.search(command):
        found.append(command.strip())
    return found


def _installing(name: str, path: str | None) -> bool:
    """Whether a script header is a package's install script, not one the step ran."""
    return name in _INSTALL_SCRIPTS or "node_modules" in (path or "")
