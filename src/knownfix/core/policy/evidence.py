"""The excerpt as policy rules read it: the messages of the failure, not the code they quote.

Compilers, test runners and tracebacks quote the source line an error points at (rustc's and
gcc's ``140 |     panic!("Out of memory");``, Jest's ``> 12 |   expect(x)``, Python's line
under ``File "x.py", line 3``, pytest's ``>`` line, the line above a ``^~~~`` caret). That
code is the project's text, not the tool's verdict: a source line that says "Out of memory",
"timeout" or "connection" names no cause, and read as evidence it made a compile error a
memory failure. Likewise the warnings of package managers (``npm WARN EBADENGINE Unsupported
engine``, Yarn's ``warning``, pnpm's `` WARN``) never fail a command: when one does, the tool
says so at its error level (a full disk excepted: see ``_EXHAUSTED``). And
a browser under test logs its own internals (Chromium's ``[1234:0503/060852.194311:ERROR:
bus.cc(427)] Failed to connect to the bus``) whatever the tests do. A harness that prints its
settings as data (mozharness' ``retry: Calling run_command with args: [...], kwargs:
{'error_list': [{'substr': 'command not found', 'level': 'error'}, …]}``) quotes the messages
it watches for, not one it met. Rules read each line without its CI timestamp prefix and
without these lines.
"""

from __future__ import annotations

import re

from knownfix.core.extract.lines import clean_line

_BUILDKIT = re.compile(r"^#\d+ \d+(?:\.\d+)? ")
"""Docker BuildKit's plain progress puts its step and elapsed seconds before every line of a
``RUN`` (``#8 0.512 main.c:3:5: error: …``): rules anchored at a line's start look past it."""
_GUTTER = re.compile(r"^\s*>?\s*\d*\s+\|(?!\s*(?:ERROR|WARNING)\s*\|)")
"""A code frame's gutter line (rustc, gcc 9+, GHC, Babel and Jest); PHP_CodeSniffer's
``  3 | ERROR | message`` table is a report, not code."""
_CARET = re.compile(r"^(?:\s*\^|\s+~)[\^~\s-]*$")
"""A line of carets (or indented tildes) under the code line above it (clang, javac, tsc,
Python); a row of tildes from the first column underlines a heading, not code."""
_PY_FRAME = re.compile(r'^(\s*)File "[^"\n]+", line \d+')
"""A Python traceback frame; the more indented line under it is the code it ran."""
_PYTEST_SOURCE = re.compile(r"^>\s{3,}\S")
"""pytest's mark on the source line that raised (``>       assert c.message() == "refused"``):
the test's code, quoted; what it raised follows on the ``E   `` lines."""
_NOT_EVIDENCE = re.compile(
    r"^(?:npm (?:WARN|warn) |warning (?!:)| WARN |"
    r"\[\d+(?::\d+)?:\d{4}/\d{6}\.\d+:(?:ERROR|WARNING|INFO|VERBOSE\d*|FATAL):[\w./-]+\(\d+\)\] )"
)
"""Package managers' warnings and a browser's internal log lines: never why a step failed."""
_EXHAUSTED = re.compile(r"(?i)\bENOSPC\b|\bno space left on device\b")
"""A warning that the disk is full is the exception: npm's ``WARN tar ENOSPC`` is how an
install on a full disk starts failing, and the errors that follow do not say why."""
_SETTING = re.compile(r"'[\w.-]+': ")
"""One ``'key': `` of a Python mapping printed as data."""
SETTINGS_KEYS = 3
"""Keys a line needs to be a settings dump: a message quoting one mapping has fewer."""
_VERDICT_WORDS = re.compile(r"(?i)error|fail|exception|assert|expected|traceback")
"""Words that, before the mapping starts, make the line a report about the data (pytest's
``E   AssertionError: assert {'a': 1, …} == …``), not a dump of settings."""


def policy_text(text: str) -> str:
    """The excerpt as rules read it: each line cleaned of its CI timestamp prefix (and
    BuildKit's step prefix) and ANSI codes, and the lines that are no verdict left out.

    GitHub Actions, GitLab and Buildkite put a timestamp before every line; a rule anchored at
    the start of a line (``^FAILED``, ``^Found 1 error``) must hold whichever CI printed it.
    """
    lines = [_BUILDKIT.sub("", clean_line(line), count=1) for line in text.split("\n")]
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
        if (_GUTTER.match(line) or _PYTEST_SOURCE.match(line) or _settings_dump(line)
                or (_NOT_EVIDENCE.match(line) and not _EXHAUSTED.search(line))):
            quoted.add(number)
        elif _CARET.match(line) and line.strip():
            quoted.add(number)
            if number and lines[number - 1].strip():
                quoted.add(number - 1)
    return quoted


def _settings_dump(line: str) -> bool:
    """Whether ``line`` prints a program's settings as a Python mapping (several ``'key': ``
    pairs) with no verdict word before the mapping starts."""
    if line.count("': ") < SETTINGS_KEYS or len(_SETTING.findall(line)) < SETTINGS_KEYS:
        return False
    start = line.find("{'")
    return start >= 0 and _VERDICT_WORDS.search(line, 0, start) is None


_TEST_TITLE = re.compile(
    r"^\s*●\s"  # Jest: ● suite › test
    r"|^\s*(?:--- (?:FAIL|PASS|SKIP)|=== (?:RUN|PAUSE|CONT|NAME)):? "  # go test
    r"|^(?:FAIL|ERROR): test\w*[ (]"  # unittest
    r"|^test \S+ \.\.\. (?:FAILED|ok|ignored)\b|^---- \S+ stdout ----"  # cargo test
    r"|^\S.* > .+ (?:FAILED|PASSED|SKIPPED)\s*$"  # Gradle: CartTest > totals() FAILED
    r"|^\s*\d+\) \S"  # Mocha, RSpec, Minitest, PHPUnit: 1) suite title
    r"|^_{3,} .+ _{3,}$"  # pytest: ____ test_x ____
    r"|^\s*(?:\[ RUN {6}\]|\[ {2}FAILED {2}\]) "  # GoogleTest
    r"|^\S.* \[[^\]\s]+\.phpt\]\s*$"  # PHP's run-tests: Bug #72294 segfault [ext/x.phpt]
)
"""A failing (or running) test's name: chosen by its author, it names what the test checks."""
_ASSERTION = re.compile(
    r"^\s*E\s+(?:assert\b|AssertionError\b|[+-] |where )"  # pytest's assertion detail
    r"|\b(?:AssertionError|AssertionFailedError|ComparisonFailure|Failure/Error:|"
    r"ExUnit\.AssertionError|Assertion with \S+ failed|XCTAssert\w*)"
    r"|^\s*(?:Expected|Received|Actual|expected|got|actual)(?: value)?\s*:"
    r"|\bexpected\b.{0,160}\b(?:but (?:was|got|received)|, got|got:)"
    r"|\bexpect\(.*\)\.(?:to|not)"
)
"""An assertion's comparison: its values are what the test expected, not a cause."""
_NUMBERED = re.compile(r"^\s*\d+\) \S")
_TITLE_LINES = 3
"""Lines of a Mocha test name under its numbered first line, at most."""
_NOT_TITLE = re.compile(r"\S:\d|^\s*\*\*|^\s*#|\(\w+(?:\.\w+)*(?:Error|Exception)\)")
"""A file:line, ExUnit's ``** (…Error)`` or a comment: a report's line, never a test's name."""
_MESSAGE = re.compile(r"^\s*(?:[\w.$:]*(?:Error|Exception|Failure)\b|at\s|Failure/Error:)")
"""A line under a numbered title that is the failure's message, not more of the title."""
_PYTEST_SUMMARY = re.compile(r"^(?:FAILED|ERROR) \S+::\S+(?: - (.*))?$")


def without_test_reports(text: str) -> str:
    """The text rules read (:func:`policy_text`) without the names of failing tests and their
    assertion lines; pytest's ``FAILED path::test - message`` keeps its message unless that is
    an assertion. What a test raised (``ConnectionRefusedError`` in ``E   …``, a traceback,
    ExUnit's ``** (Postgrex.Error) …``) stays: a test that errors on a refused connection
    failed because of it."""
    lines = text.split("\n")
    kept: list[str] = []
    skip = 0
    for number, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        summary = _PYTEST_SUMMARY.match(line)
        if summary is not None:
            line = summary.group(1) or ""
        if _TEST_TITLE.search(line):
            if _NUMBERED.match(line) and not line.rstrip().endswith(":"):
                skip = _title_goes_on(lines, number)
            continue
        if _ASSERTION.search(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def _title_goes_on(lines: list[str], number: int) -> int:
    """How many lines under a numbered title go on with the test's name: Mocha writes a nested
    title over a few plain lines, more indented, the last ending in ``:``. Anything else under
    it (ExUnit's ``test/x.exs:5`` and ``** (Error) …``, RSpec's ``Failure/Error:``) is the
    report, and nothing is skipped."""
    indent = len(lines[number]) - len(lines[number].lstrip())
    for offset, line in enumerate(lines[number + 1: number + 1 + _TITLE_LINES], start=1):
        if (len(line) - len(line.lstrip()) <= indent or not line.strip()
                or _MESSAGE.match(line) or _NOT_TITLE.search(line)):
            return 0
        if line.rstrip().endswith(":"):
            return offset
    return 0
