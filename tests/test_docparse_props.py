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


# Documents made of sections whose text mixes failures, causes, fixes and chatter, so that the
# meaning reader takes every path: whole sections, bold leads, problem paragraphs, categories.
_BODIES = st.sampled_from([
    "The build fails with `ENOSPC: no space left on device`.",
    "Run `df -h` and free some space.",
    "This happens because the cache is never pruned.",
    "- **Setup failed with error 0x80070005**\n\n  Run the installer as administrator.",
    "If you see `permission denied`, add your user to the `docker` group.",
    "**Q: Why is the build slow?**\n\nA: Enable the cache.",
    "```console\n$ make\nmake: *** [all] Error 2\n```",
    "```bash\nsudo systemctl restart app\n```",
    "See the [guide](guide.md) for more.",
    "**Symptom:** `Killed`\n\n**Fix:** raise the memory limit.",
    "Nothing to see here.",
    "{% include note.html %}",
])
_HEADINGS = st.sampled_from([
    "Build fails", "Errors", "CLI", "Installation", "Solution", "Why is it slow?",
    "QueueLagHigh", "1) Disk full", "Notes", "Troubleshooting", "Commands", "`tool run`",
])


@st.composite
def _sectioned(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        level = draw(st.sampled_from(["##", "###", "####"]))
        parts.append(f"{level} {draw(_HEADINGS)}\n")
        parts.extend(f"{body}\n" for body in draw(st.lists(_BODIES, max_size=4)))
    return "\n".join(parts)


def _heading_spans(text: str) -> list[tuple[int, int, int]]:
    """(line, level, end) of each heading outside code: its span runs to the next heading of
    the same or a higher level."""
    heads: list[tuple[int, int]] = []
    fenced = False
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            heads.append((number, len(line) - len(line.lstrip("#"))))
    spans = []
    for index, (line, level) in enumerate(heads):
        end = next((h for h, lv in heads[index + 1:] if lv <= level), len(lines) + 1)
        spans.append((line, level, end))
    return spans


@settings(max_examples=150, deadline=None)
@given(_sectioned())
def test_no_section_vanishes_silently(text: str) -> None:
    """Every section becomes an issue, holds one, is reported, or is part of an issue above."""
    document = parse_markdown(text.splitlines(keepends=True), "prop.md")
    events = {i.source.line for i in document.issues if i.source} | {
        s.line for s in document.skipped
    }
    issue_lines = {i.source.line for i in document.issues if i.source}
    spans = _heading_spans(text)
    lines = text.split("\n")
    for line, _, end in spans:
        inside = any(line <= e < end for e in events)
        # Or it is part of an issue that starts above it in a section that contains it.
        parents = [0] + [h for h, _, e in spans if h < line < e]  # 0: the document itself
        above = any(p <= i < line for p in parents for i in issue_lines)
        # Or it is a field of the section right above, whose report names it.
        title = lines[line - 1].lstrip("#").strip().strip("`")
        named = any(s.line == parents[-1] and title in s.reason for s in document.skipped)
        assert inside or above or named, (line, text)
    assert all(issue.title.strip() for issue in document.issues)
