"""Event data in playbook steps: named parameters from an allowlist, never shell text.

A step names what it wants as ``{incident_id}`` inside one argument, an environment value, the
URL or a JSON string of an HTTP call. The playbook must list the name in ``params:`` (an
allowlist: a step sees nothing else) and the name must be an :data:`EVENT_FIELDS` entry.
Substitution happens into one argv element or one value, so ``$(touch /tmp/x)``, backticks,
``; rm -rf`` and newlines stay inert text: no shell ever reads them. A step that runs a shell,
or an interpreter given inline code (``python -c``), takes no event data at all
(:func:`shell_program`), and that is refused when the checks file is read.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from knownfix.errors import InputError

EVENT_FIELDS: dict[str, str] = {
    "incident_id": "the incident's id (CRIT-001)",
    "title": "the incident's title (from the failure, redacted)",
    "severity": "the incident's severity",
    "category": "the incident's category",
    "known_issue": "the matched known issue's id",
    "detector": "the name of the detector that failed",
    "target": "what the run acts on (the detector, else the incident)",
    "source": "where the failure came from (check:web, a log path)",
    "fingerprint": "the failure's fingerprint",
    "scope": "the incident's scope (a repository, a service)",
    "message": "the detector's failure message (redacted)",
    "playbook": "the playbook's name",
}
MAX_VALUE_CHARS = 8192

SHELLS = frozenset({
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash", "busybox",
    "cmd", "powershell", "pwsh", "ssh", "su", "eval", "script",
})
"""Programs that read their arguments as shell text (ssh and su hand them to a remote or
login shell)."""
INTERPRETERS = re.compile(
    r"^(?:python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|deno|bun|php[0-9.]*"
    r"|lua[0-9.]*|luajit|tclsh[0-9.]*|wish|rscript|osascript|julia|groovy|jshell|nu|xonsh)$"
)
INLINE_CODE_FLAGS = frozenset({"-c", "-e", "-E", "--eval", "--command", "-command", "-r", "-p",
                               "--print"})
CODE_PROGRAMS = frozenset({
    "awk", "gawk", "mawk", "nawk", "make", "gmake", "just", "npm", "yarn", "pnpm", "watch",
    "parallel", "flock", "nix-shell",
})
"""Programs that turn their arguments into code, or paste them into a shell command line of
their own (an awk program, a make variable, ``npm run x -- arg``, ``watch``)."""

_FORMATTER = string.Formatter()


def program_name(executable: str) -> str:
    """The bare program name: ``/usr/bin/Bash.exe`` → ``bash``."""
    name = executable.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name.removesuffix(".exe")


def shell_program(argv: Sequence[str]) -> str | None:
    """The shell or code-evaluating program in ``argv`` (which then takes no event data), or None.

    Any element counts, not only the first, so ``env bash -c …``, ``sudo sh …`` and
    ``docker exec box sh -c …`` are all seen.
    """
    for position, word in enumerate(argv):
        name = program_name(word)
        if name in SHELLS or name in CODE_PROGRAMS:
            return name
        if INTERPRETERS.match(name) and any(
            flag in INLINE_CODE_FLAGS for flag in argv[position + 1:]
        ):
            return f"{name} with inline code"
    return None


def placeholders(template: str) -> list[str]:
    """The parameter names a template uses; ValueError for a malformed one."""
    names: list[str] = []
    for _literal, name, spec, conversion in _FORMATTER.parse(template):
        if name is None:
            continue
        if spec or conversion or not re.fullmatch(r"[a-z_]+", name):
            raise ValueError(
                f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}} "
                "is not a parameter: write {name} with a name from params, or {{ and }} for "
                "literal braces"
            )
        names.append(name)
    return names


def fill(template: str, values: Mapping[str, str], *, encode_url: bool = False) -> str:
    """``template`` with each ``{name}`` replaced by its value (percent-encoded in a URL)."""
    out: list[str] = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(template):
        out.append(literal)
        if name is not None:
            value = values[name]
            out.append(quote(value, safe="") if encode_url else value)
    return "".join(out)


def fill_json(data: object, values: Mapping[str, str]) -> object:
    """A JSON body with parameters filled into its string leaves (keys stay literal)."""
    if isinstance(data, str):
        return fill(data, values)
    if isinstance(data, list):
        return [fill_json(item, values) for item in data]
    if isinstance(data, dict):
        return {key: fill_json(value, values) for key, value in data.items()}
    return data


def json_placeholders(data: object) -> list[str]:
    if isinstance(data, str):
        return placeholders(data)
    if isinstance(data, list):
        return [name for item in data for name in json_placeholders(item)]
    if isinstance(data, dict):
        return [name for value in data.values() for name in json_placeholders(value)]
    return []


def check_value(name: str, value: str) -> str:
    """A parameter value fit to be passed on: no NUL byte, not huge; InputError otherwise."""
    if "\x00" in value:
        raise InputError(f"event data {name!r} contains a NUL byte; refusing to pass it on")
    if len(value) > MAX_VALUE_CHARS:
        raise InputError(
            f"event data {name!r} is {len(value)} characters (limit {MAX_VALUE_CHARS})"
        )
    return value


def check_argument(name: str, template: str, value: str) -> None:
    """A value that makes up a whole argument must not start with ``-``: the program would read
    it as an option (``--output=/etc/passwd``)."""
    if template.strip() == "{" + name + "}" and value.startswith("-"):
        raise InputError(
            f"event data {name!r} starts with '-' and is a whole argument: it would be read as "
            "an option; put it after '--' or in an environment variable"
        )


def check_header(name: str, value: str) -> None:
    if any(ch in value for ch in "\r\n"):
        raise InputError(f"event data {name!r} holds a line break and cannot go in a header")
