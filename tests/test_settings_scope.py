"""The incident scope setting: KNOWNFIX_SCOPE, else the repository a CI job runs for."""

from __future__ import annotations

from pathlib import Path

import pytest

from knownfix.settings import CI_REPOSITORY_VARIABLES, ci_scope, load_settings


@pytest.mark.parametrize("variable", CI_REPOSITORY_VARIABLES)
def test_each_ci_system_names_the_repository(variable: str) -> None:
    assert ci_scope({variable: " owner/name "}) == "owner/name"


def test_the_most_specific_variable_wins_and_blank_ones_are_skipped() -> None:
    env = {"GITHUB_REPOSITORY": "  ", "CI_PROJECT_PATH": "group/project",
           "TRAVIS_REPO_SLUG": "owner/other"}
    assert ci_scope(env) == "group/project"
    assert ci_scope({}) == ""


def test_knownfix_scope_overrides_ci_and_an_override_beats_both(tmp_path: Path) -> None:
    ci = {"GITHUB_REPOSITORY": "acme/api"}
    assert load_settings(ci, cwd=tmp_path).scope == "acme/api"
    assert load_settings({**ci, "KNOWNFIX_SCOPE": "payments"}, cwd=tmp_path).scope == "payments"
    assert load_settings({**ci, "KNOWNFIX_SCOPE": ""}, cwd=tmp_path).scope == ""
    assert load_settings(ci, cwd=tmp_path, scope="web").scope == "web"
    assert load_settings({}, cwd=tmp_path).scope == ""
