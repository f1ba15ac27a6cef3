"""knownfix's canonical format: rendering reads back as an equal record, always."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knownfix.core.authoring.canonical import (
    export_filename,
    lines_of,
    render_issue,
    render_scaffold,
)
from knownfix.core.authoring.lint import lint_markdown
from knownfix.core.docparse import parse_markdown
from knownfix.core.records import KnownIssue, SignatureRules, SourceRef

ROOT = Path(__file__).parent.parent
DOCS = sorted((ROOT / "tests" / "data" / "docparse").glob("*.md"))
DOCS += sorted((ROOT / "examples" / "kb").glob("*.md"))


def read_back(issue: KnownIssue) -> KnownIssue:
    document = parse_markdown(lines_of(render_issue(issue)), "exported.md")
    assert len(document.issues) == 1, render_issue(issue)
    assert [s for s in document.skipped if "extra" not in s.reason] == []
    return document.issues[0]


def same(a: KnownIssue, b: KnownIssue) -> None:
    left, right = a.to_dict(), b.to_dict()
    left.pop("source"), right.pop("source")
    assert left == right


def _issues() -> list[KnownIssue]:
    out = []
    for path in DOCS:
        with path.open(encoding="utf-8", newline="") as handle:
            out.extend(parse_markdown(handle, path.name).issues)
    return out


@pytest.mark.parametrize("issue", _issues(), ids=lambda i: i.id)
def test_every_fixture_issue_round_trips(issue: KnownIssue) -> None:
    same(read_back(issue), issue)


def test_render_is_readable_markdown() -> None:
    issue = KnownIssue(
        id="KF-0001", title="Broken Alembic migration chain", severity="High", status="Fixed",
        symptoms=["Can't locate revision identified by 'f5ae8e59ef66'"],
        root_cause="A migration file was deleted after it was applied.",
        resolution="1. Stamp the last good revision.\n2. Regenerate the migration.",
        resolution_steps=["Stamp the last good revision.", "Regenerate the migration."],
        commands=["alembic stamp 3b1f0c2a7e10"], verification=["alembic upgrade head"],
        signature=SignatureRules(contains=["Can't locate revision identified by"]),
    )
    text = render_issue(issue)
    assert text.startswith("---\nid: KF-0001\n")
    for part in ("# Broken Alembic migration chain\n", "## Symptoms\n\n- Can't locate revision",
                 "## Resolution\n\n1. Stamp the last good revision.\n2. Regenerate",
                 "## Commands\n\n```bash\nalembic stamp 3b1f0c2a7e10\n```",
                 "## Verification\n\n```bash\nalembic upgrade head\n```", "```signature\n"):
        assert part in text
    same(read_back(issue), issue)


# -- awkward records -------------------------------------------------------------------------
AWKWARD = "`|#*_[]<>\\!-+=~:\"' .1)\t" + "é✅❌ü中𝔘"
CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85")
WORD = st.text(alphabet=st.one_of(CHARS, st.sampled_from(AWKWARD)), min_size=1, max_size=24)
LINE = WORD.map(str.strip).filter(bool)
PREFIXED = st.tuples(st.sampled_from(["", "# ", "## ", "- ", "1. ", "> ", "| ", "```", "    "]),
                     LINE).map("".join)
TEXT = st.tuples(
    st.lists(st.one_of(LINE, PREFIXED), min_size=1, max_size=4), st.sampled_from(["\n", "\n\n"])
).map(lambda parts: parts[1].join(parts[0]))
KEY = st.one_of(LINE, st.sampled_from(["Symptoms", "Resolution Time", "Issue Summary", "Notes",
                                       "Mitigation", "# Heading", "Signature", "CRIT-1: x"]))
OPTIONAL = st.none() | LINE
NEGATIVE = re.compile(r"(?<![\w.])-\s*\d")
SAFE_REGEX = st.sampled_from([r"error \d+", r"Can't locate revision identified by '[0-9a-f]+'",
                              r"(a+)+$", r"^E\s+fixture '\w+' not found"])


@st.composite
def known_issues(draw: st.DrawFn) -> KnownIssue:
    steps = draw(st.lists(LINE, max_size=3))
    numbered = "\n".join(f"{n}. {s}" for n, s in enumerate(steps, 1))
    return KnownIssue(
        id=draw(LINE),
        title=draw(LINE),
        symptoms=draw(st.lists(st.one_of(LINE, TEXT), max_size=4, unique=True)),
        root_cause=draw(st.just("") | TEXT),
        resolution=draw(st.sampled_from([numbered, ""]) | TEXT),
        resolution_steps=steps,
        commands=draw(st.lists(st.one_of(LINE, TEXT), max_size=3)),
        verification=draw(st.lists(st.one_of(LINE, TEXT), max_size=3)),
        prevention=draw(st.just("") | TEXT),
        category=draw(OPTIONAL), severity=draw(OPTIONAL), status=draw(OPTIONAL),
        self_healing=draw(OPTIONAL), escalation=draw(OPTIONAL),
        # A negative response time is refused on import (docparse.shapes.front_types).
        response_time=draw(OPTIONAL.filter(lambda t: t is None or not NEGATIVE.search(t))),
        tags=draw(st.lists(LINE, max_size=3, unique=True)),
        signature=SignatureRules(contains=draw(st.lists(LINE, max_size=2)),
                                 regex=draw(st.lists(SAFE_REGEX, max_size=2))),
        updated_at=draw(st.none() | st.just(datetime(2025, 3, 1, 12, 30, tzinfo=UTC))),
        retired=draw(st.booleans()),
        extra=draw(st.dictionaries(KEY, st.one_of(LINE, TEXT), max_size=3)),
        source=SourceRef("a.md", 1),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(known_issues())
def test_any_record_round_trips(issue: KnownIssue) -> None:
    same(read_back(issue), issue)


# -- scaffold and export ---------------------------------------------------------------------
def test_scaffold_fails_lint_until_filled() -> None:
    scaffold = render_scaffold("Disk full on runner", "KF-0100")
    problems = lint_markdown(lines_of(scaffold), "kb/disk-full.md")
    messages = " | ".join(p.message for p in problems if p.severity == "error")
    assert "TODO placeholders" in messages
    assert "has no Verification" in messages
    filled = (
        scaffold.replace("TODO: Critical, High, Medium or Low", "High")
        .replace("TODO: paste the exact error line, e.g. `ModuleNotFoundError: No module named "
                 "'requests'`", "`OSError: [Errno 28] No space left on device`")
        .replace("TODO: why it happens.", "Old images fill the disk.")
        .replace("TODO: first step of the fix.", "Prune images with `docker system prune -af`.")
        .replace("# TODO: commands that apply the fix", "docker system prune -af")
        .replace("# TODO: a command that shows the fix worked", "df -h /var/lib/docker")
        .replace("TODO: what keeps it from coming back.", "A nightly prune job.")
        .replace("TODO: a literal substring of the error line", "No space left on device")
    )
    assert lint_markdown(lines_of(filled), "kb/disk-full.md") == []
    (issue,) = parse_markdown(lines_of(filled), "kb/disk-full.md").issues
    assert (issue.id, issue.severity, issue.signature.contains) == (
        "KF-0100", "High", ["No space left on device"])


@pytest.mark.parametrize(
    ("issue_id", "name"),
    [
        ("CRIT-004", "CRIT-004.md"),
        ("forgetrace-incident-log:unsafe-serialization",
         "forgetrace-incident-log.unsafe-serialization.md"),
        ("../../etc/passwd", "etc-passwd-"),
        ("con", "con-"),
        ("", "issue-"),
        ("a b/c", "a-b-c-"),
    ],
)
def test_export_filename(issue_id: str, name: str) -> None:
    got = export_filename(KnownIssue(id=issue_id, title="t"))
    assert got.startswith(name)
    assert got.endswith(".md")
    assert "/" not in got
    assert "\\" not in got
    assert not got.startswith(".")


def test_export_filenames_differ_for_ids_that_slug_alike() -> None:
    names = {export_filename(KnownIssue(id=i, title="t")) for i in ("a b", "a/b", "a-b")}
    assert len(names) == 3


RENDERED = ROOT / "tests" / "data" / "docparse" / "rendered"


@pytest.mark.parametrize(
    ("source", "issue_id"),
    [("knownfix.md", "KF-0042"), ("status-report.md", "SEC-001"),
     ("triage-runbook.md", "triage-runbook:unit-test-issues"),
     ("engineering-issues.md", "engineering-issues:decimal-rounding-drift-in-reconciliation")],
)
def test_rendered_golden(source: str, issue_id: str) -> None:
    """The canonical text itself, reviewed once and kept (KNOWNFIX_REGEN_GOLDEN=1 rewrites)."""
    path = ROOT / "tests" / "data" / "docparse" / source
    with path.open(encoding="utf-8", newline="") as handle:
        (issue,) = [i for i in parse_markdown(handle, source).issues if i.id == issue_id]
    text = render_issue(issue)
    golden = RENDERED / export_filename(issue)
    if os.environ.get("KNOWNFIX_REGEN_GOLDEN") == "1" or not golden.exists():
        RENDERED.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
