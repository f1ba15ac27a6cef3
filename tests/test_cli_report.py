"""``knownfix report`` end to end: a store filled through import and recorded occurrences."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import IN_CI
from knownfix.cli import app
from knownfix.storage.incidents import NewOccurrence
from knownfix.storage.repository import open_store

STATUS_DOC = """\
# Build reliability status

## Issue Status Matrix

| ID | Severity | Issue | Status | Self-Healing | Root Cause | Solution |
| --- | --- | --- | --- | --- | --- | --- |
| BR-001 | Critical | Runner disk full | ✅ Fixed | ✅ Active | Cache not pruned | Prune |
| BR-002 | Medium | Browsers missing | ⏳ Pending | 🔄 Planned | Cache misses them | Reinstall |
"""


def run(runner: CliRunner, *args: str, code: int = 0) -> tuple[str, str]:
    result = runner.invoke(app, ["--db", "store.db", *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout, result.stderr


@pytest.fixture
def filled(project: Path, runner: CliRunner) -> Path:
    """Two known issues imported from a status doc and three occurrences of two incidents."""
    (project / "docs").mkdir()
    (project / "docs" / "status.md").write_text(STATUS_DOC, encoding="utf-8")
    run(runner, "import", "docs")
    now = datetime.now(UTC)
    store = open_store(f"sqlite:///{project / 'store.db'}")
    try:
        for hours, fingerprint, severity in [(30, "disk", "critical"), (5, "disk", "critical"),
                                             (2, "browser", "medium")]:
            received = now - timedelta(hours=hours)
            store.record_occurrence(NewOccurrence(
                source=f"ci/{fingerprint}.log", title=f"{fingerprint} failure",
                fingerprint=f"strict-{fingerprint}", loose_fingerprint=fingerprint,
                fingerprint_version="test", category="ci", severity=severity,
                excerpt_text=f"{(received - timedelta(minutes=2)).isoformat()} error",
                known_issue_id="BR-001" if fingerprint == "disk" else None,
                received_at=received,
            ))
    finally:
        store.close()
    return project


def test_empty_store_prints_a_markdown_report_saying_there_is_nothing_yet(
    runner: CliRunner, project: Path
) -> None:
    out, err = run(runner, "report")
    assert out.startswith("# Known issues status report\n")
    assert "Nothing to report yet" in out
    assert err == ""


def test_markdown_on_stdout_has_every_section_and_no_image(
    runner: CliRunner, filled: Path
) -> None:
    out, _ = run(runner, "report", "--title", "Build reliability")
    assert out.startswith("# Build reliability\n")
    assert "| BR-001 | Critical | Runner disk full | Fixed | Active |" in out
    assert "**Incidents:** 2 (2 open, 0 resolved)" in out
    assert "**Occurrences:** 3" in out
    assert "| Time to detect (median) | 2 min | 3 occurrences with a timestamp |" in out
    assert "![" not in out
    assert not list(filled.glob("*.png"))


def test_markdown_file_gets_its_chart_beside_it(runner: CliRunner, filled: Path) -> None:
    _, err = run(runner, "report", "--output", "out/status.md")
    report = filled / "out" / "status.md"
    chart = filled / "out" / "status-occurrences.png"
    written = f"wrote {Path('out/status.md')} (chart: {Path('out/status-occurrences.png')})"
    assert err.strip() == written
    assert "![Occurrences per day, stacked by severity](status-occurrences.png)" in (
        report.read_text(encoding="utf-8")
    )
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_html_goes_to_a_default_file_and_says_where(runner: CliRunner, filled: Path) -> None:
    out, err = run(runner, "report", "--format", "HTML")
    assert out == ""
    assert err.strip() == "wrote knownfix-report.html"
    html = (filled / "knownfix-report.html").read_text(encoding="utf-8")
    assert '<table class="matrix">' in html
    assert "<svg" in html


def test_format_follows_the_output_suffix_and_dash_is_stdout(
    runner: CliRunner, filled: Path
) -> None:
    run(runner, "report", "-o", "status.HTM")
    assert (filled / "status.HTM").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out, _ = run(runner, "report", "--format", "html", "--output", "-")
    assert out.startswith("<!DOCTYPE html>")
    assert not (filled / "knownfix-report.html").exists()


def test_since_limits_the_period(runner: CliRunner, filled: Path) -> None:
    out, _ = run(runner, "report", "--since", "24h")
    assert "**Occurrences:** 2" in out
    assert "since" in out.splitlines()[2]


def test_pdf_report(runner: CliRunner, filled: Path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        if IN_CI:
            pytest.fail(f"WeasyPrint cannot be imported: {error}")
        pytest.skip(f"WeasyPrint cannot be imported ({error}); install knownfix[pdf]")
    _, err = run(runner, "report", "--format", "pdf", "--title", "Weekly")
    assert err.strip() == "wrote knownfix-report.pdf"
    assert (filled / "knownfix-report.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "error: --since 'yesterday': use a date"),
        (["--output", "."], "error: .: is a folder; give a file name for the report"),
    ],
)
def test_errors_are_one_line(
    runner: CliRunner, project: Path, args: list[str], message: str
) -> None:
    _, err = run(runner, "report", *args, code=2)
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_unknown_format_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    _, err = run(runner, "report", "--format", "docx", code=2)
    assert "docx" in err
