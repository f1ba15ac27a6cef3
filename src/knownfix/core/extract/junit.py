"""JUnit XML test reports: the failing test cases with their message and trace.

The report is streamed through expat (the parser under ``xml.etree.iterparse``, used directly
because it reports line numbers), so a report of any size reads in bounded memory. Spans are the
1-based lines of each failing ``<testcase>`` in the XML file, counted like every log (``\\n``,
``\\r\\n``, lone ``\\r``). The text is readable rather than raw XML (reports are often one long
line): per failure, ``FAILURE: class.name``, the message, then the top of the trace. Entity
declarations are refused (no billion laughs, no external entities). A broken report raises
:class:`~knownfix.errors.InputError`, unless failures were read before the break: a report cut
short still tells what failed. A whole report with no failing case and no failure counted in
its suites' attributes is a passing run (:func:`read_junit`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from knownfix.core.extract.excerpt import LogReading
from knownfix.core.extract.lines import MAX_KEPT_CHARS, iter_line_blocks, strip_ansi
from knownfix.core.extract.outcome import Verdict
from knownfix.core.records import Excerpt
from knownfix.errors import InputError

PER_FAILURE = 12
"""Text lines of one failing test case at most: its name, the message, the top of the trace."""
MAX_TRACE_CHARS = 64 * 1024
"""Characters of one failure's trace kept while reading; the rest is skipped."""

_JUNIT_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<testsuites?\b", re.DOTALL)
_FAILED = ("failure", "error")
_COUNTED = ("failures", "errors")


def looks_like_junit(head: bytes) -> bool:
    """True if these first bytes of a file start a JUnit XML report."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    return bool(_JUNIT_HEAD.match(head[:4096]))


@dataclass(slots=True)
class _Case:
    start: int
    name: str
    kind: str = ""
    message: str = ""
    type: str = ""
    trace: list[str] = field(default_factory=list)
    size: int = 0
    end: int = 0


@dataclass(slots=True)
class _Reader:
    """Expat handlers that collect failing test cases within a line budget."""

    max_lines: int
    parser: expat.XMLParserType
    case: _Case | None = None
    in_failure: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    counted_failures: bool = False
    first_suite: int = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        line = int(self.parser.CurrentLineNumber)
        if name in ("testsuite", "testsuites"):
            self.first_suite = self.first_suite or line
            self.counted_failures |= any(_positive(attrs.get(key)) for key in _COUNTED)
        elif name in _FAILED and self.case is None:
            self.counted_failures = True  # a suite-level failure (setup, teardown)
        if name == "testcase":
            title = ".".join(p for p in (attrs.get("classname", ""), attrs.get("name", "")) if p)
            self.case = _Case(line, title or "(unnamed test case)")
        elif name in _FAILED and self.case is not None and not self.case.kind:
            self.case.kind = name
            self.case.message = attrs.get("message", "")
            self.case.type = attrs.get("type", "")
            self.in_failure = True

    def text(self, data: str) -> None:
        if self.in_failure and self.case is not None and self.case.size < MAX_TRACE_CHARS:
            self.case.trace.append(data)
            self.case.size += len(data)

    def end(self, name: str) -> None:
        line = int(self.parser.CurrentLineNumber)
        if name in _FAILED:
            self.in_failure = False
        elif name == "testcase" and self.case is not None:
            self.case.end = line
            if self.case.kind:
                self.record(self.case)
            self.case = None

    def record(self, case: _Case) -> None:
        room = min(PER_FAILURE, self.max_lines - len(self.texts))
        if room <= 0:
            return
        lines = [f"{case.kind.upper()}: {case.name}"]
        trace = [ln.rstrip() for ln in "".join(case.trace).strip("\n").splitlines()]
        said = ": ".join(p for p in (case.type, case.message) if p)
        if said and not (trace and _repeats(trace[0], case.message)):
            lines.append(said)
        lines.extend(trace)
        kept = [strip_ansi(line)[:MAX_KEPT_CHARS] for line in lines[:room]]
        self.spans.append((case.start, max(case.start, case.end)))
        self.texts.extend(kept)


def _positive(value: str | None) -> bool:
    try:
        return value is not None and float(value) > 0
    except ValueError:
        return False


def _repeats(first: str, message: str) -> bool:
    """True when the trace's first line already says the message (Java traces do)."""
    message = message.strip()
    first = first.strip()
    return bool(message) and (first == message or first.endswith(": " + message))


def _refuse_entities(*_args: object) -> None:
    raise InputError("JUnit XML with entity declarations is refused")


def extract_from_junit(xml_bytes_chunks: Iterable[bytes], *, max_lines: int = 40) -> Excerpt:
    """Excerpt of a JUnit XML report: each failing test case, its message and trace (streamed);
    empty for a report where nothing failed."""
    reading = read_junit(xml_bytes_chunks, max_lines=max_lines)
    return reading.excerpt if reading.verdict.outcome == "failed" else Excerpt((), "")


def read_junit(xml_bytes_chunks: Iterable[bytes], *, max_lines: int = 40) -> LogReading:
    """A JUnit XML report read like a log: its failing cases, or a pass when none failed."""
    parser = expat.ParserCreate()
    reader = _Reader(max_lines=max(1, max_lines), parser=parser)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.buffer_text = True
    lines = 0
    try:
        for block in iter_line_blocks(xml_bytes_chunks):
            lines += block.count(b"\n")
            parser.Parse(block, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        if reader.case is not None and reader.case.kind:
            reader.case.end = lines  # cut short inside a failing test: keep what it said
            reader.record(reader.case)
        if not reader.spans:
            raise InputError(f"not a well-formed JUnit XML report: {error}") from None
    else:
        if not reader.spans and not reader.counted_failures:
            line = reader.first_suite or 1
            verdict = Verdict("passed", line, "the JUnit report has no failure or error")
            return LogReading(Excerpt(((line, line),), "JUnit report: no failure or error"),
                              verdict)
    excerpt = Excerpt(spans=tuple(reader.spans), text="\n".join(reader.texts))
    return LogReading(excerpt, Verdict("failed", None, "the JUnit report has failures"))
