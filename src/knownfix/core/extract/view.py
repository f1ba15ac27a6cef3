"""A read-only view of the lines a scan kept: their text, shape and whether blocks may cross.

Lines are decoded and cleaned only when first looked at, and every answer is cached: the block
growth asks about the same lines many times.
"""

from __future__ import annotations

import re

from knownfix.core.extract import scan
from knownfix.core.extract.lines import clean_line, decode
from knownfix.core.extract.rules.base import LineRule
from knownfix.core.extract.scan import ScanResult

# Lines that continue the message above them whatever their indentation.
_CONTINUATION = re.compile(
    r"^\s*(?:"
    r"at\s+\S"  # JavaScript, Java, C# frames
    r"|File \"[^\"]+\", line \d+"  # Python frames
    r"|from \S+:\d+"  # Ruby frames
    r"|\.\.\. \d+ (?:more|common frames)"
    r"|Caused by: |Suppressed: "
    r"|#\d+\s+(?:0x[0-9a-f]+|\S+ in )"  # gdb, sanitizers
    r"|\d+:\s+0x[0-9a-f]+"  # Rust backtraces
    r"|[\^~]+\s*$|[\^~]+-+"  # carets under code
    r"|-->\s+\S"  # rustc locations
    r"|\d*\s*\|"  # rustc / GHC gutters
    r"|\d+ {2,}\S"  # tsc --pretty code frames
    r"|= (?:note|help):|(?:note|help): "
    r"|\[C\]: in |\[string \"|\S+\.lua:\d+: in "  # Lua
    r"|goroutine \d+ \[|created by \S"  # Go panics
    r"|[\w\-/]+(?:\.[\w()*/\-]+)+\([^()]*\)$"  # Go frames: pkg.(*Type).Method(0xc0000a6000)
    r"|E\s{2,}\S|E\s+\+\s"  # pytest assertion detail
    r"|[<>]\s{0,7}\S"  # pytest's failing source line marker
    r"|(?:stack traceback|Stack ?trace|Backtrace|Call stack|Traceback)\b.*:?$"
    r"|#\s+\S+:\d+:in "  # RSpec backtraces
    r")"
)
# Tools that tag every line with its level; the indentation that matters comes after the tag.
_LEVEL_TAG = re.compile(r"^\[(?:info|error|warn|warning|debug|INFO|ERROR|WARN|WARNING|DEBUG)\] ?")
# A tag with nothing after it separates paragraphs like a blank line does.
_EMPTY_TAGGED = re.compile(
    r"^(?:npm ERR!|\[(?:info|error|warn|warning|INFO|ERROR|WARN|WARNING)\])\s*$"
)
_COMMAND = re.compile(r"^\$ \S|^\+ \S|^> \S+@\S+ \S")
# Lines that report success: a failure's block never runs on into them.
_PASSING_START = re.compile(
    r"\s*(?:--- (?:PASS|SKIP):|=== (?:RUN|PAUSE|CONT)\b|ok\s+\S+\s+[\d.]+s|PASS$|✓|√)"
)
_PASSING_END = re.compile(r"\s(?:PASSED|OK|ok|passed|SKIPPED|skipped)(?: \([\d.]+ ?m?s\))?\s*$")
# What a line _PASSING_END matches must end with: a cheap test spares the regex's scan of every
# position of every other line (it was the costliest regex of block growth).
_PASSING_TAILS = ("PASSED", "OK", "ok", "passed", "SKIPPED", "skipped", "s)")
_PASSING_FIRST = frozenset("-=oP✓√")  # what _PASSING_START can see after the indentation


def reports_success(text: str) -> bool:
    """True for a line that reports success (``--- PASS:``, ``test_x PASSED``, ``ok (2 ms)``)."""
    if text.lstrip()[:1] in _PASSING_FIRST and _PASSING_START.match(text):
        return True
    return text.rstrip().endswith(_PASSING_TAILS) and _PASSING_END.search(text) is not None


# (cleaned text or None where nothing was kept, is a wall, (indent, continuation) or None)
LineInfo = tuple[str | None, bool, tuple[int, bool] | None]


def indent(text: str) -> int:
    """Leading whitespace width, a tab counted as four spaces, after a level tag like [info]
    or a comment leader: TAP prints a failing test's diagnostics as ``#   Failed test 'x'``,
    ``#   at t/a.t line 5.``, ``#          got: '6'``, indented after the ``#``."""
    tag = _LEVEL_TAG.match(text) if text.startswith("[") else None
    if tag:
        text = text[tag.end() :]
    elif text.startswith("# "):
        text = text[1:]
    stripped = text.lstrip()
    lead = text[: len(text) - len(stripped)]
    return len(lead) + 3 * lead.count("\t")


_UNKNOWN = object()


def _cleaned(data: bytes) -> str:
    """What :meth:`LogView.clean` answers for a kept line's bytes."""
    # The scan cleaned its candidate lines already (its cache holds them): reused, not redone.
    known = scan.CLASSIFIED.known(data)
    text = known[1] if known is not None else clean_line(decode(data))
    if text.startswith(("npm ERR!", "[")) and _EMPTY_TAGGED.match(text):
        return ""
    return text


class LogView:
    """The kept lines of a scan with their cleaned text and the rule of each anchor line."""

    def __init__(self, result: ScanResult) -> None:
        self._result = result
        self._raw: dict[int, str] = {}
        self.total = result.total_lines
        self.anchors = result.anchors()
        self.rule_at: dict[int, LineRule] = {a.line: a.rule for a in self.anchors}
        self._clean: dict[int, str | None] = {}
        # Logs repeat lines (blank ones, separators, the same frame): each distinct line is
        # cleaned and shaped once.
        self._clean_of: dict[bytes, str] = {}
        self._shape_of: dict[str, tuple[int, bool]] = {}
        self._spaced: dict[int, bool] = {}
        self._info: dict[int, LineInfo] = {}

    def double_spaced(self, number: int) -> bool:
        """True where the log puts a blank line after every line (some tools, some CI pipes)."""
        bucket = number // 16
        known = self._spaced.get(bucket)
        if known is None:
            known = self._spaced[bucket] = self._measure_spacing(bucket * 16)
        return known

    def _measure_spacing(self, start: int) -> bool:
        texts = [self.clean(n) for n in range(start, start + 24)]
        flags = [t is not None and bool(t.strip()) for t in texts]
        content = [i for i in range(len(flags) - 2) if flags[i]]
        if len(content) < 4:
            return False
        single = sum(
            1 for i in content if not flags[i + 1] and texts[i + 1] is not None and flags[i + 2]
        )
        return single >= 0.75 * len(content)

    def raw(self, number: int) -> str | None:
        """The decoded text of line ``number`` as logged (ANSI codes in), or None if not kept."""
        text = self._raw.get(number)
        if text is None:
            data = self._result.line(number)
            if data is None:
                return None
            text = self._raw[number] = decode(data)
        return text

    def clean(self, number: int) -> str | None:
        """The cleaned text of line ``number``, or None where the scan kept nothing."""
        # The block growth asks ~600 times a log, mostly of lines asked before, and often of
        # lines the scan did not keep: those are cached too (as None), not looked up again.
        text = self._clean.get(number, _UNKNOWN)
        if text is _UNKNOWN:
            data = self._result.line(number)
            if data is None:
                text = None
            else:
                text = self._clean_of.get(data)
                if text is None:
                    text = self._clean_of[data] = _cleaned(data)
            self._clean[number] = text
        return text

    def info(self, number: int) -> LineInfo:
        """Everything growing a block asks of line ``number``, worked out once:
        (cleaned text or None, is a wall, shape) — see :meth:`is_wall` and :meth:`shape`."""
        found = self._info.get(number)
        if found is None:
            text = self.clean(number)
            wall = self._is_wall(number, text)
            shape = None
            if text is not None and not wall and text.strip():
                shape = self._shape_of.get(text)
                if shape is None:
                    shape = self._shape_of[text] = (indent(text), bool(_CONTINUATION.match(text)))
            found = self._info[number] = (text, wall, shape)
        return found

    def shape(self, number: int) -> tuple[int, bool] | None:
        """(indentation, looks like a continuation) of a non-blank line blocks may grow into."""
        return self.info(number)[2]

    def is_wall(self, number: int) -> bool:
        """True where no block may grow: unknown lines, CI steps, exits, boilerplate, commands."""
        return self.info(number)[1]

    def _is_wall(self, number: int, text: str | None) -> bool:
        if text is None:
            return True
        rule = self.rule_at.get(number)
        if rule is not None and rule.role in ("step", "exit", "noise", "closer", "pass"):
            return True
        command = text.startswith(("$ ", "+ ", "> ")) and _COMMAND.match(text) is not None
        return command or reports_success(text)
