"""lint_markdown: template conformance, with the line to look at and how bad it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from knownfix.core.authoring.canonical import lines_of
from knownfix.core.authoring.lint import LintProblem, lint_markdown

FIXTURES = Path(__file__).parent / "data" / "docparse"

GOOD = """---
id: KF-0001
severity: High
---

# Disk full on the runner

## Symptoms

- `OSError: [Errno 28] No space left on device`

## Root cause

Old images fill the disk.

## Resolution

1. Prune images.

## Verification

```bash
df -h /var/lib/docker
```
"""


def lint(text: str, path: str = "kb/doc.md") -> list[LintProblem]:
    return lint_markdown(lines_of(text), path)


def lint_fixture(name: str) -> list[LintProblem]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return lint_markdown(handle, name)


def test_a_complete_issue_is_clean() -> None:
    assert lint(GOOD) == []


def test_empty_document_is_clean() -> None:
    assert lint_markdown([], "empty.md") == []


@pytest.mark.parametrize(
    ("section", "name"),
    [("## Symptoms", "Symptoms"), ("## Root cause", "Root cause"),
     ("## Resolution", "Resolution"), ("## Verification", "Verification")],
)
def test_missing_required_section_is_an_error_at_the_issue_heading(section: str, name: str) -> None:
    start = GOOD.index(section)
    end = GOOD.find("\n## ", start + 1)
    text = GOOD[:start] + (GOOD[end + 1 :] if end != -1 else "")
    problems = lint(text)
    assert [(p.line, p.severity) for p in problems] == [(6, "error")]
    assert f"has no {name}" in problems[0].message


def test_invalid_yaml_front_matter_is_an_error_with_its_line() -> None:
    problems = lint_fixture("bad-front-matter.md")
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.line, "not valid YAML" in p.message) for p in errors] == [(4, True)]


def test_front_matter_values_of_the_wrong_type_are_errors_with_their_line() -> None:
    text = (
        "---\nid: KF-9\nseverity: [1, 2]\nstatus: {a: b}\nresponse_time: -5 parsecs\n"
        "retired: maybe\ntags: [ci, {b: c}]\nupdated_at: last tuesday\nsignature: [x]\n"
        "category: database\n---\n" + GOOD.split("---\n", 2)[2]
    )
    errors = [(p.line, p.message) for p in lint(text) if p.severity == "error"]
    assert [line for line, _ in errors] == [3, 4, 5, 6, 7, 8, 9]
    assert "severity must be a text, not a list ([1, 2])" in errors[0][1]
    assert "status must be a text, not a mapping" in errors[1][1]
    assert "response_time '-5 parsecs' is not a duration" in errors[2][1]


def test_front_matter_with_a_yaml_alias_is_an_error_with_its_line() -> None:
    text = "---\nid: KF-9\ntags: &t [a, b]\nextra: {also: *t}\n---\n" + GOOD.split("---\n", 2)[2]
    errors = [(p.line, p.message) for p in lint(text) if p.severity == "error"]
    assert errors[0][0] == 4
    assert "YAML aliases are not allowed (*t)" in errors[0][1]


def test_unknown_front_matter_key_warns() -> None:
    problems = lint_fixture("knownfix.md")
    assert [(p.line, p.severity) for p in problems] == [(9, "warning")]
    assert "'owner'" in problems[0].message


def test_unsafe_signature_regexes_are_errors() -> None:
    problems = [p for p in lint_fixture("hostile-signature.md") if p.severity == "error"]
    assert len(problems) == 4
    assert {p.line for p in problems} == {29}
    assert any("linear time" in p.message for p in problems)


def test_other_shapes_report_skips_and_missing_fields_as_warnings() -> None:
    problems = lint_fixture("incident-log.md")
    assert {p.severity for p in problems} == {"warning"}
    messages = [(p.line, p.message) for p in problems]
    assert (57, "'Incident Template' is not an issue: a template for writing new entries") in (
        messages
    )
    missing = [line for line, m in messages if "has no Verification" in m]
    assert missing == [30, 45]


def test_broken_table_rows_warn() -> None:
    problems = lint_fixture("triage-runbook.md")
    assert any(p.line == 13 and "2 cells" in p.message and p.severity == "warning"
               for p in problems)


def test_mojibake_in_knownfix_format_warns() -> None:
    damaged = GOOD.replace("Old images fill the disk.", "Old images fill the disk â€“ fast.")
    problems = lint(damaged)
    assert [(p.severity, "mojibake" in p.message) for p in problems] == [("warning", True)]


def test_missing_id_warns_that_renames_change_it() -> None:
    problems = lint(GOOD.replace("id: KF-0001\n", ""), "kb/disk-full.md")
    assert [p.severity for p in problems] == ["warning"]
    assert "disk-full:disk-full-on-the-runner" in problems[0].message


def test_problem_prints_as_file_line() -> None:
    problem = LintProblem("kb/a.md", 3, "boom", "error")
    assert str(problem) == "kb/a.md:3: error: boom"
