"""Property tests: the importer never raises, and every line it reports exists in the input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.docparse import parse_markdown
from knownfix.core.docparse.cleanup import fix_mojibake
from knownfix.core.docparse.commands import split_commands

# Markdown-shaped pieces, so that generated text reaches headings, lists, tables and fences.
PIECES = st.sampled_from([
    "# ", "## ", "### ", "#### ", "- ", "1. ", "  ", "**", "*", "`", "```", "~~~", "|", "---",
    ":", "**Symptom:** ", "**Fix**: ", "Cause: ", "| ID | Issue | Status |", "|---|---|---|",
    "| CRIT-001 | x | ✅ Fixed |", "| Failure Type | Severity | Escalation |", "âœ…", "â³",
    "\n", "\n", "\n", "\r\n", "\r", "[t](u.md)", "\t", ">", "<div>", "---\nid: x\n---\n",
    "```signature\nregex: ['(?=a)']\n```", "CRIT-001: ", "Template", "\x00", "\u2028", "é",
])
MARKDOWNISH = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)
_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_count(text: str) -> int:
    parts = _LINE_END.split(text)
    return len(parts) - 1 if parts[-1] == "" else len(parts)


def _check(text: str) -> None:
    # Each element the caller gives is at least one line; CR, LF and CRLF inside end lines too.
    pieces = text.splitlines(keepends=True)
    document = parse_markdown(pieces, "prop.md")
    total = sum(max(1, _line_count(piece)) for piece in pieces)
    lines = [s.line for s in document.skipped]
    lines += [i.source.line for i in document.issues if i.source]
    lines += [r.source.line for r in document.policy_rows if r.source]
    assert all(1 <= line <= max(total, 1) for line in lines), (lines, total)
    assert len({i.id for i in document.issues}) == len(document.issues)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH)
def test_markdown_like_text_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(MARKDOWNISH)
def test_one_string_input_counts_cr_lf_and_crlf(text: str) -> None:
    document = parse_markdown([text], "prop.md")
    total = _line_count(text)
    assert all(1 <= s.line <= max(total, 1) for s in document.skipped)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_mojibake_repair_is_idempotent(text: str) -> None:
    once = fix_mojibake(text)
    assert fix_mojibake(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["", "bash", "console", "python"]))
def test_split_commands_keeps_every_command_line(code: str, info: str) -> None:
    commands = split_commands(code, info)
    assert all(c.strip() for c in commands)
    lines = code.split("\n")
    prompted = any(re.match(r"^(\$|PS [^>]*>)\s", line.strip()) for line in lines)
    if info in {"", "bash"} and not prompted:  # a console transcript drops output lines
        kept = "\n".join(commands)
        for line in lines:
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                assert stripped in kept
