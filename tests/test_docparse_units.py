"""Case tables for the importer's small rules: labels, commands, ids, cleanup, chunking."""

from __future__ import annotations

import pytest

from knownfix.core.docparse import derive_id, parse_markdown
from knownfix.core.docparse.chunks import Chunk, FrontMatter, read_chunks
from knownfix.core.docparse.cleanup import clean_word_value, fix_mojibake
from knownfix.core.docparse.commands import split_commands
from knownfix.core.docparse.ids import doc_key_from_path, id_title, slug
from knownfix.core.docparse.rules import field_key
from knownfix.core.docparse.shapes.runbook import best_row
from knownfix.core.records import PolicyRow


def _damage(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="ignore")


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Symptom", "symptoms"),
        ("Symptoms & Observed Behavior", "symptoms"),
        ("Problem", "symptoms"),
        ("Root Cause Analysis", "root_cause"),
        ("Cause", "root_cause"),
        ("Resolution / Fix Applied", "resolution"),
        ("Common Fixes", "resolution"),
        ("Resolution Actions", "resolution"),
        ("Solution Implemented", "resolution"),
        ("Resolution Time", "resolution_time"),
        ("Mitigation", "mitigation"),
        ("Verification Commands", "verification"),
        ("Command Snippet", "commands"),
        ("Diagnosis Steps", "diagnosis"),
        ("Follow-up", "prevention"),
        ("Preventive Measures or Lessons Learned", "prevention"),
        ("Expected Behavior", "expected"),
        ("Issue Summary", "summary"),
        ("Context / When it occurred", "context"),
        ("Self-Healing", "self_healing"),
        ("Escalation", "escalation"),
        ("Issue Resolution Guides", None),
        ("Test Coverage", None),
        ("Self-Healing Mechanisms", None),
        ("Schema Documentation", None),
    ],
)
def test_field_key(label: str, key: str | None) -> None:
    assert field_key(label) == key


@pytest.mark.parametrize(
    ("code", "info", "expected"),
    [
        ("bandit -q -r forgetrace\npython x.py --persist m.joblib\n", "bash",
         ["bandit -q -r forgetrace", "python x.py --persist m.joblib"]),
        ("# comment\n\nmake test\n   \n# another\n", "", ["make test"]),
        ('python -c "\nimport os\n# not a comment here\nprint(os.sep)\n"\nls\n', "bash",
         ['python -c "\nimport os\n# not a comment here\nprint(os.sep)\n"', "ls"]),
        ("docker build \\\n  -t app .\necho done\n", "sh", ["docker build \\\n  -t app .",
                                                          "echo done"]),
        ("make a &&\n  make b\n", "bash", ["make a &&\n  make b"]),
        ("cat <<'EOF' > f\nline 1\n# kept\nEOF\nwc -l f\n", "bash",
         ["cat <<'EOF' > f\nline 1\n# kept\nEOF", "wc -l f"]),
        ("grep x  # don't count this quote\nls\n", "bash",
         ["grep x  # don't count this quote", "ls"]),
        ("$ pytest -q\n3 passed\n$ echo ok\nok\n", "console", ["pytest -q", "echo ok"]),
        ("def f():\n    return 1\n", "python", ["def f():\n    return 1"]),
        ("   \n", "bash", []),
    ],
)
def test_split_commands(code: str, info: str, expected: list[str]) -> None:
    assert split_commands(code, info) == expected


@pytest.mark.parametrize(
    ("doc_key", "title", "expected"),
    [
        ("forgetrace-incident-log", "Unsafe Serialization (June 2024)",
         "forgetrace-incident-log:unsafe-serialization"),
        ("log", "Safety Scan Blocking Release (October 2024 – present)",
         "log:safety-scan-blocking-release"),
        ("log", "Duplicate Analysis (Race Condition)", "log:duplicate-analysis-race-condition"),
        ("Ops Notes", "Café / Crème: déjà vu", "ops-notes:cafe-creme-deja-vu"),
    ],
)
def test_derive_id(doc_key: str, title: str, expected: str) -> None:
    assert derive_id(doc_key, title) == expected


def test_derive_id_of_non_latin_title_is_stable_and_url_safe() -> None:
    title = "データベース接続エラー"
    first, second = derive_id("kb", title), derive_id("kb", title)
    assert first == second
    assert first.startswith("kb:x")
    assert "/" not in first


@pytest.mark.parametrize(
    ("path", "key"),
    [("docs/Incident Log.md", "incident-log"), ("C:\\kb\\runbook.md", "runbook"),
     (".hidden", "hidden"), ("", "document")],
)
def test_doc_key_from_path(path: str, key: str) -> None:
    assert doc_key_from_path(path) == key


def test_slug_is_bounded() -> None:
    assert len(slug("word " * 100)) <= 64


def test_id_title_keeps_non_period_parentheses() -> None:
    assert id_title("Duplicate Analysis (Race Condition)") == "Duplicate Analysis (Race Condition)"
    assert id_title("PDF Failures (Historical)") == "PDF Failures"


@pytest.mark.parametrize(
    ("damaged", "fixed"),
    [
        (_damage("✅ Fixed"), "✅ Fixed"),
        (_damage("⏳ Pending"), "⏳ Pending"),
        (_damage("🔄 Planned"), "🔄 Planned"),
        (_damage("October 2024 – present"), "October 2024 – present"),
        ("“curly” quotes and ﬁ ligature stay", "“curly” quotes and ﬁ ligature stay"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fix_mojibake(damaged: str, fixed: str) -> None:
    assert fix_mojibake(damaged) == fixed


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("✅ Fixed", "Fixed"), ("⏳ Pending", "Pending"), ("✅ **FIXED**", "Fixed"),
     ("🔄 Planned", "Planned"), ("In Progress", "In Progress"), ("⚠️ Warning", "Warning")],
)
def test_clean_word_value(raw: str, clean: str) -> None:
    assert clean_word_value(raw) == clean


ROWS = [PolicyRow(name, "Critical", "Immediate", "Team") for name in (
    "Schema Validation", "Dataset Integrity", "Security/Supply Chain", "Drift Detection",
    "Performance Regression", "Documentation")]


@pytest.mark.parametrize(
    ("title", "row"),
    [("Drift Issues", "Drift Detection"), ("Security Issues", "Security/Supply Chain"),
     ("Performance Issues", "Performance Regression"), ("Documentation Issues", "Documentation"),
     ("Schema Issues", "Schema Validation"), ("Benchmark Issues", None), ("Process Issues", None)],
)
def test_guides_join_matrix_rows_by_topic(title: str, row: str | None) -> None:
    found = best_row(title, ROWS)
    assert (found.failure_type if found else None) == row


def test_chunks_split_at_top_headings_outside_fences() -> None:
    text = "---\nid: X\n---\n# A\ntext\n```\n## not a heading\n```\n## B\n### C\n## D\n"
    pieces = list(read_chunks(text.splitlines(keepends=True)))
    assert isinstance(pieces[0], FrontMatter)
    assert pieces[0].text == "id: X\n"
    chunks = [p for p in pieces if isinstance(p, Chunk)]
    assert [(c.start, c.lines[0]) for c in chunks] == [(4, "# A\n"), (9, "## B\n"), (11, "## D\n")]


def test_unclosed_front_matter_is_read_as_markdown_and_reported() -> None:
    document = parse_markdown(["---\n", "id: X\n", "# Title\n"], "open.md")
    assert document.skipped[0].line == 1
    assert "nothing closes it" in document.skipped[0].reason


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_numbers_count_every_line_ending(ending: str) -> None:
    text = ending.join(["# Doc", "", "intro", "", "## Notes", "", "**Fix:** restart", "",
                        "## Broken", "", "**Fix:** restart", ""])
    document = parse_markdown([text], "x.md")
    assert [s.line for s in document.skipped] == [1, 5]
    # A heading that names a problem, with a fix under it, is an issue.
    assert [(i.title, i.source.line if i.source else 0) for i in document.issues] == [
        ("Broken", 9)
    ]


def test_lines_without_endings_are_still_lines() -> None:
    document = parse_markdown(["# Doc", "intro", "## Empty"], "x.md")
    assert [s.line for s in document.skipped] == [1, 3]


def test_a_whole_string_is_one_text_not_characters() -> None:
    document = parse_markdown("# Doc\n\n## Empty\n", "x.md")
    assert [s.line for s in document.skipped] == [1, 3]


MATRIX = """# Report

| ID | Issue | Status | Root Cause | Solution |
|----|-------|--------|------------|----------|
| KF-1 | Too many cells | ✅ Fixed | cause | fix | surplus | more |
| KF-2 | Too few cells |
|  | No id | Open | c | f |
"""


def test_matrix_rows_with_wrong_cell_counts_are_kept_and_reported() -> None:
    document = parse_markdown(MATRIX, "report.md")
    issues = {i.id: i for i in document.issues}
    assert list(issues) == ["KF-1", "KF-2"]
    assert issues["KF-1"].extra == {"Extra cell 1": "surplus", "Extra cell 2": "more"}
    assert (issues["KF-1"].status, issues["KF-1"].resolution) == ("Fixed", "fix")
    assert (issues["KF-2"].status, issues["KF-2"].root_cause) == (None, "")
    reasons = {s.line: s.reason for s in document.skipped}
    assert "7 cells but the header has 5; kept the first 5" in reasons[5]
    assert "2 cells" in reasons[6]
    assert "no issue id" in reasons[7]


def test_response_matrix_row_with_extra_cells() -> None:
    text = ("| Failure Type | Severity | Escalation |\n|---|---|---|\n"
            "| Lint | Low | Owner | stray |\n")
    document = parse_markdown(text, "policy.md")
    assert [(r.failure_type, r.severity, r.escalation) for r in document.policy_rows] == [
        ("Lint", "Low", "Owner")]
    assert any("4 cells" in s.reason for s in document.skipped)


def test_inline_html_is_markup_not_quoted_error_text() -> None:
    """A banner in inline HTML gives no title or symptom made of its tags' attributes."""
    text = ('<font size="6" style="font-weight: bold;"> Notice: Limited Maintenance </font>\n\n'
            "This project is no longer maintained. Users should be aware that bugs may stay.\n\n"
            "## Server fails to start\n\nThe port is taken. Stop the other server and retry.\n")
    document = parse_markdown(text.splitlines(keepends=True), "banner.md")
    for issue in document.issues:
        assert "<font" not in issue.title
        assert not any("font-weight" in symptom for symptom in issue.symptoms)
