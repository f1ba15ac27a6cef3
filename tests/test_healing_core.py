"""The pure half of self-healing: breaker, rate limits, plans, event data, gates, doc blocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knownfix.core.healing import breaker as cb
from knownfix.core.healing import ratelimit
from knownfix.core.healing.config import BreakerPolicy, Rate, Tolerance
from knownfix.core.healing.docblocks import playbook_blocks
from knownfix.core.healing.gates import (
    GateError,
    drift,
    json_path,
    metric_parts,
    metric_value,
    parse_manifest,
)
from knownfix.core.healing.params import fill, placeholders, shell_program
from knownfix.core.healing.plan import build_plan
from knownfix.core.healing.schema import load_checks
from knownfix.errors import InputError

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = BreakerPolicy(failures=5, cooldown=timedelta(minutes=5))


# --- circuit breaker ---------------------------------------------------------------------


def test_breaker_opens_after_n_consecutive_failures_and_refuses() -> None:
    state = cb.BreakerState()
    for n in range(1, 5):
        step = cb.record(state, POLICY, False, T0)
        state = step.state
        assert state.state == cb.CLOSED
        assert state.failures == n
        assert not step.opened
    step = cb.record(state, POLICY, False, T0)
    assert step.opened
    assert step.state.state == cb.OPEN
    admission = cb.admit(step.state, POLICY, T0 + timedelta(minutes=4))
    assert not admission.allowed
    assert "open after 5 consecutive failures" in admission.reason


def test_a_success_resets_the_count() -> None:
    state = cb.BreakerState(failures=4)
    assert cb.record(state, POLICY, True, T0).state == cb.BreakerState()


def test_after_the_cool_down_one_trial_goes_through() -> None:
    opened = cb.BreakerState(cb.OPEN, 5, T0)
    first = cb.admit(opened, POLICY, T0 + timedelta(minutes=5))
    assert first.allowed
    assert first.trial
    assert first.state.state == cb.HALF_OPEN
    second = cb.admit(first.state, POLICY, T0 + timedelta(minutes=5, seconds=1))
    assert not second.allowed
    assert "trial run is in progress" in second.reason


def test_a_failed_trial_opens_again_and_a_good_one_closes() -> None:
    trial = cb.BreakerState(cb.HALF_OPEN, 5, T0, T0 + timedelta(minutes=5))
    failed = cb.record(trial, POLICY, False, T0 + timedelta(minutes=6))
    assert failed.opened
    assert failed.state.opened_at == T0 + timedelta(minutes=6)
    healed = cb.record(trial, POLICY, True, T0 + timedelta(minutes=6))
    assert healed.closed
    assert healed.state.state == cb.CLOSED


def test_a_trial_that_never_reported_stops_blocking() -> None:
    stuck = cb.BreakerState(cb.HALF_OPEN, 5, T0, T0)
    assert cb.admit(stuck, POLICY, T0 + cb.STALE_TRIAL + timedelta(seconds=1)).allowed


# --- rate limits -------------------------------------------------------------------------


def test_rate_limit_counts_runs_in_the_window() -> None:
    rate = Rate(2, timedelta(hours=1))
    earlier = [T0 - timedelta(minutes=50), T0 - timedelta(minutes=10)]
    verdict = ratelimit.check(rate, earlier, T0)
    assert not verdict.allowed
    assert verdict.retry_at == T0 + timedelta(minutes=10)
    assert ratelimit.check(rate, earlier, T0 + timedelta(minutes=11)).allowed
    assert ratelimit.check(None, earlier * 10, T0).allowed


# --- event data --------------------------------------------------------------------------

HOSTILE = ["$(touch /tmp/pwned)", "`touch /tmp/pwned`", "x; rm -rf /", "a\nb\r\nc",
           "'\"${IFS}|&>", "{title}", "%s%n"]


@pytest.mark.parametrize("value", HOSTILE)
def test_fill_puts_a_value_in_one_argument_as_written(value: str) -> None:
    assert fill("--title={title}", {"title": value}) == "--title=" + value
    assert fill("{title}", {"title": value}) == value


@given(st.text())
def test_fill_never_reads_the_value(value: str) -> None:
    # The value is not parsed again: braces, quotes and newlines in it come out unchanged.
    assert fill("a{x}b", {"x": value}) == "a" + value + "b"


def test_url_values_are_percent_encoded() -> None:
    assert fill("http://h/i/{x}?q={x}", {"x": "a/b c&d"}, encode_url=True) == \
        "http://h/i/a%2Fb%20c%26d?q=a%2Fb%20c%26d"


@pytest.mark.parametrize(("argv", "shell"), [
    (["bash", "x.sh"], "bash"), (["/bin/sh", "-c", "x"], "sh"), (["env", "zsh"], "zsh"),
    (["sudo", "-u", "x", "dash"], "dash"), (["python3", "-c", "x"], "python3 with inline code"),
    (["node", "-e", "x"], "node with inline code"), (["awk", "{print}"], "awk"),
    (["docker", "exec", "c", "sh", "-c", "x"], "sh"), (["PowerShell.exe", "x"], "powershell"),
    (["python3", "script.py"], None), (["systemctl", "restart", "web"], None),
    (["scripts/restart.sh"], None),
])
def test_shell_programs(argv: list[str], shell: str | None) -> None:
    assert shell_program(argv) == shell


def test_placeholders_and_literal_braces() -> None:
    assert placeholders("{a}-{b}") == ["a", "b"]
    assert placeholders("{{literal}}") == []
    with pytest.raises(ValueError, match="not a parameter"):
        placeholders("{a.b}")


# --- plans -------------------------------------------------------------------------------

CHECKS = """\
allow: [scripts/fix.sh]
detectors:
  - {name: web, kind: http, url: "http://127.0.0.1:1/"}
playbooks:
  - name: fix
    for: web
    params: [incident_id, title]
    steps:
      - run: [scripts/fix.sh, "{incident_id}", "--title={title}"]
        env: {TITLE: "{title}", FIXED: "yes"}
      - http: {url: "http://127.0.0.1:1/hook/{incident_id}", method: POST,
               headers: {X-Title: "{title}",
                         Authorization: "Bearer ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"},
               json: {title: "{title}", n: 1}}
    verify: {run: [scripts/fix.sh, --check]}
"""


def _playbook():  # noqa: ANN202 - a test helper
    playbook = load_checks(CHECKS, origin="c.yaml").playbooks[0]
    return playbook


def test_a_plan_fills_only_listed_parameters() -> None:
    event = {"incident_id": "HIGH-001", "title": "$(touch /tmp/x)", "source": "secret"}
    plan = build_plan(_playbook(), event, target="detector:web", incident_id="HIGH-001")
    run, http = plan.steps
    assert run.argv == ("scripts/fix.sh", "HIGH-001", "--title=$(touch /tmp/x)")
    assert dict(run.env) == {"TITLE": "$(touch /tmp/x)", "FIXED": "yes"}
    assert http.url == "http://127.0.0.1:1/hook/HIGH-001"
    assert http.json == {"title": "$(touch /tmp/x)", "n": 1}
    assert dict(plan.params) == {"incident_id": "HIGH-001", "title": "$(touch /tmp/x)"}
    assert "secret" not in str(plan.to_dict())


def test_a_plan_shows_secrets_masked_but_runs_them() -> None:
    plan = build_plan(_playbook(), {"incident_id": "A-1", "title": "t"}, target="t",
                      incident_id=None)
    shown = str(plan.to_dict())
    assert "ghp_0123456789" not in shown
    assert dict(plan.steps[1].headers)["Authorization"].startswith("Bearer ghp_0123")


def test_a_plan_digest_changes_with_what_would_run() -> None:
    one = build_plan(_playbook(), {"incident_id": "A-1", "title": "t"}, target="t",
                     incident_id="A-1")
    same = build_plan(_playbook(), {"incident_id": "A-1", "title": "t"}, target="t",
                      incident_id="A-1")
    other = build_plan(_playbook(), {"incident_id": "A-1", "title": "u"}, target="t",
                       incident_id="A-1")
    assert one.digest() == same.digest() != other.digest()


@pytest.mark.parametrize(("event", "message"), [
    ({"incident_id": "--output=/etc/passwd", "title": "t"}, "starts with '-'"),
    ({"incident_id": "A", "title": "a\x00b"}, "NUL"),
    ({"incident_id": "A", "title": "a\nX-Evil: 1"}, "line break"),
    ({"incident_id": "A", "title": "x" * 9000}, "characters"),
])
def test_event_data_that_cannot_be_passed_on_is_refused(event: dict[str, str],
                                                        message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_plan(_playbook(), event, target="t", incident_id=None)


def test_a_leading_dash_inside_an_argument_is_fine() -> None:
    plan = build_plan(_playbook(), {"incident_id": "A", "title": "-rf"}, target="t",
                      incident_id=None)
    assert plan.steps[0].argv[2] == "--title=-rf"


# --- gates -------------------------------------------------------------------------------


def test_json_paths() -> None:
    assert json_path(["metrics", "accuracy"]) == "$.metrics.accuracy"
    assert json_path(["results", 0, "odd key"]) == "$.results[0]['odd key']"
    assert json_path([]) == "$"


@pytest.mark.parametrize(("metric", "parts"), [
    ("metrics.accuracy", ["metrics", "accuracy"]),
    ("$.results[2].f1", ["results", 2, "f1"]),
    ("/metrics/a~1b", ["metrics", "a/b"]),
])
def test_metric_paths(metric: str, parts: list[object]) -> None:
    assert metric_parts(metric) == parts


def test_metric_values_and_what_is_wrong_with_them() -> None:
    report = {"metrics": {"accuracy": 0.91, "name": "x", "flag": True}, "runs": [{"s": 3}]}
    assert metric_value(report, "metrics.accuracy") == 0.91
    assert metric_value(report, "runs[0].s") == 3.0
    with pytest.raises(GateError, match=r"\$\.metrics\.f1 is missing"):
        metric_value(report, "metrics.f1")
    with pytest.raises(GateError, match=r"\$\.metrics\.name is a string, not a number"):
        metric_value(report, "metrics.name")
    with pytest.raises(GateError, match="a boolean"):
        metric_value(report, "metrics.flag")


def test_drift_inside_and_outside_the_window() -> None:
    tol = Tolerance(0.02)
    assert drift("$.a", 0.86, 0.85, tol).ok
    out = drift("$.a", 0.80, 0.85, tol)
    assert not out.ok
    assert out.message == "$.a = 0.8 fell by 0.05 from the baseline 0.85; the tolerance is 0.02"
    assert drift("$.a", 0.95, 0.85, tol, "decrease").ok  # a rise is not drift here
    assert not drift("$.a", 0.95, 0.85, tol, "increase").ok
    relative = drift("$.t", 105.0, 100.0, Tolerance(0.04, relative=True))
    assert not relative.ok
    assert relative.message.endswith("the tolerance is 4 (4% of the baseline)")


def test_manifests_in_both_formats() -> None:
    digest = "ab" * 32
    text = (f"# comment\n{digest}  data/a.csv\n{digest.upper()} *b.bin\n\n"
            f"SHA256 (c d.txt) = {digest}\n")
    entries = parse_manifest(text, "m.sha256")
    assert [(e.path, e.line) for e in entries] == [("data/a.csv", 2), ("b.bin", 3),
                                                   ("c d.txt", 5)]
    assert {e.digest for e in entries} == {digest}
    with pytest.raises(GateError, match="m.sha256:2: not a sha256 manifest line"):
        parse_manifest(f"{digest}  ok\nmd5 nonsense\n", "m.sha256")


# --- playbooks in documents --------------------------------------------------------------

DOC = """\
# Runbook

```playbook
steps: []
```

## KF-1: Web down

```bash
systemctl restart web
```

```playbook
steps:
  - run: [scripts/fix.sh]
verify: {http: "http://h/"}
```

## KF-2: Disk full

```playbook title="second"
steps: []
```
"""


def test_playbook_blocks_belong_to_the_issue_above_them() -> None:
    blocks = playbook_blocks(DOC, [("KF-2", 19), ("KF-1", 7)])
    assert [(b.issue_id, b.line) for b in blocks] == [("KF-1", 14), ("KF-2", 22)]
    assert blocks[0].text.startswith("steps:\n  - run: [scripts/fix.sh]")
