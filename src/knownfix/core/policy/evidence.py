"""The excerpt as policy rules read it: the messages of the failure, not the code they quote.

Compilers, test runners and tracebacks quote the source line an error points at (rustc's and
gcc's ``140 |     panic!("Out of memory");``, Jest's ``> 12 |   expect(x)``, Python's line
under ``File "x.py", line 3``, the line above a ``^~~~`` caret). That code is the project's text,
not the tool's verdict: a source line that says "Out of memory", "timeout" or "connection"
names no cause, and read as evidence it made a compile error a memory failure. Likewise the
warnings of package managers (``npm WARN EBADENGINE Unsupported engine``, Yarn's ``warning``,
pnpm's `` WARN``) never fail a command: when one does, the tool says so at its error level. And
a browser under test logs its own internals (Chromium's ``[1234:0503/060852.194311:ERROR:
bus.cc(427)] Failed to connect to the bus``) whatever the tests do. Rules read each line without
its CI timestamp prefix and without these lines.
"""

from __future__ import annotations

import re

from knownfix.core.extract.lines import clean_line

_GUTTER = re.compile(r"^\s*>?\s*\d*\s+\|(?!\s*(?:ERROR|WARNING)\s*\|)")
"""A code frame's gutter line (rustc, gcc 9+, GHC, Babel and Jest); PHP_CodeSniffer's
``  3 | ERROR | message`` table is a report, not code."""
_CARET = re.compile(r"^\s*[\^~][\^~\s-]*$")
"""A line of carets or tildes under the code line above it (clang, javac, tsc, Python)."""
_PY_FRAME = re.compile(r'^(\s*)File "[^"\n]+", line \d+')
"""A Python traceback frame; the more indented line under it is the code it ran."""
_NOT_EVIDENCE = re.compile(
    r"^(?:npm (?:WARN|warn) |warning (?!:)| WARN |"
    r"\[\d+(?::\d+)?:\d{4}/\d{6}\.\d+:(?:ERROR|WARNING|INFO|VERBOSE\d*|FATAL):[\w./-]+\(\d+\)\] )"
)
"""Package managers' warnings and a browser's internal log lines: never why a step failed."""


def policy_text(text: str) -> str:
    """The excerpt as rules read it: each line cleaned of its CI timestamp prefix and ANSI
    codes, and the source lines compilers, runners and tracebacks quote left out.

    GitHub Actions, GitLab and Buildkite put a timestamp before every line; a rule anchored at
    the start of a line (``^FAILED``, ``^Found 1 error``) must hold whichever CI printed it.
    """
    lines = [clean_line(line) for line in text.split("\n")]
    quoted = _quoted_code(lines)
    return "\n".join(line for number, line in enumerate(lines) if number not in quoted)


def _quoted_code(lines: list[str]) -> set[int]:
    """Indexes of the lines that quote source code or say nothing about why a step failed."""
    quoted: set[int] = set()
    frame_indent: int | None = None
    for number, line in enumerate(lines):
        if frame_indent is not None and len(line) - len(line.lstrip()) > frame_indent:
            quoted.add(number)
        frame = _PY_FRAME.match(line)
        frame_indent = len(frame.group(1)) if frame else None
        if _GUTTER.match(line) or _NOT_EVIDENCE.match(line):
            quoted.add(number)
        elif _CARET.match(line) and line.strip():
            quoted.add(number)
            if number and lines[number - 1].strip():
                quoted.add(number - 1)
    return quoted
