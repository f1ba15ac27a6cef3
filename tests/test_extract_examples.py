"""The sample logs of the README demo give the excerpt the demo promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from knownfix.core.extract import build_baseline, extract_excerpt

LOGS = Path(__file__).parent.parent / "examples" / "logs"

PROMISES = {
    "alembic-missing-revision.log": "Can't locate revision identified by 'f00dbeef1234'",
    "pytest-fixture-not-found.log": "fixture 'db_session' not found",
    "npm-eresolve.log": "ERESOLVE could not resolve",
    "go-test-failure.log": "reserved 11 units from a stock of 10",
    "github-actions-ansi.log": "error TS2322: Type 'number | undefined'",
}


@pytest.mark.parametrize(("name", "line"), sorted(PROMISES.items()))
def test_example_log_excerpt(name: str, line: str) -> None:
    excerpt = extract_excerpt([(LOGS / name).read_bytes()])
    assert line in excerpt.text
    assert "\x1b" not in excerpt.text
    assert len(excerpt.text.splitlines()) <= 40


def test_the_passing_run_does_not_hide_the_failure() -> None:
    baseline = build_baseline([(LOGS / "alembic-passing.log").read_bytes()])
    failing = (LOGS / "alembic-missing-revision.log").read_bytes()
    excerpt = extract_excerpt([failing], baseline=baseline)
    assert "Can't locate revision identified by 'f00dbeef1234'" in excerpt.text
    assert "Retrying" not in excerpt.text
