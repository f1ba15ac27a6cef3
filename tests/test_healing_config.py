"""The checks file: what it accepts, and every refusal with its file:line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from knownfix.core.healing import config as c
from knownfix.core.healing.schema import load_checks, parse_duration, parse_rate
from knownfix.errors import ConfigError

FULL = """\
version: 1
allow: [python3, scripts/restart.sh, systemctl]
detectors:
  - {name: web, kind: http, url: "http://127.0.0.1:8765/health", timeout: 2, interval: 30s}
  - name: unit
    kind: command
    run: [python3, -m, pytest, -q]
    expect: [0, 5]
    timeout: 10m
  - {name: schema, kind: json-schema, report: out/report.json, schema: schemas/report.json}
  - name: inline-schema
    kind: json-schema
    report: out/report.json
    schema: {type: object, required: [status]}
  - {name: accuracy, kind: drift, report: out/report.json, metric: metrics.accuracy,
     tolerance: 2%, direction: decrease}
  - {name: data, kind: checksums, manifest: data/manifest.sha256}
playbooks:
  - name: restart-web
    for: web
    auto: true
    approval: required
    params: [incident_id, title]
    timeout: 20s
    retries: 2
    steps:
      - run: [scripts/restart.sh, "{incident_id}", "--title={title}"]
        env: {KF_TITLE: "{title}"}
      - http: {url: "http://127.0.0.1:9000/notify/{incident_id}", method: POST,
               json: {title: "{title}", literal: "{{kept}}"}}
        expect: 202
    verify:
      http: "http://127.0.0.1:8765/health"
      attempts: 3
      delay: 500ms
    breaker: {failures: 3, cooldown: 10m}
    rate_limit: {playbook: 3/hour, target: 1/10m}
  - name: restart-unit
    for: [unit, KF-0012]
    steps:
      - run: [systemctl, restart, web]
    verify:
      run: [python3, -c, "print('ok')"]
targets: {auto_recovery_rate: 80, detection_time: 1m, repair_time: 5m, false_positive_rate: 5}
false_positive_window: 2h
"""


def test_a_full_checks_file_reads_into_records() -> None:
    config = load_checks(FULL, origin="checks.yaml")
    assert config.allow == ("python3", "scripts/restart.sh", "systemctl")
    assert [d.kind for d in config.detectors] == [
        "http", "command", "json-schema", "json-schema", "drift", "checksums"]
    web = config.detector("web")
    assert isinstance(web, c.HttpDetector)
    assert web.timeout == timedelta(seconds=2)
    assert web.interval == timedelta(seconds=30)
    unit = config.detector("unit")
    assert isinstance(unit, c.CommandDetector)
    assert unit.expect == (0, 5)
    inline = config.detector("inline-schema")
    assert isinstance(inline, c.JsonSchemaDetector)
    assert inline.schema == {"type": "object", "required": ["status"]}
    drift = config.detector("accuracy")
    assert isinstance(drift, c.DriftDetector)
    assert drift.tolerance == c.Tolerance(0.02, relative=True)
    assert drift.direction == "decrease"
    playbook = config.playbook("restart-web")
    assert playbook is not None
    assert playbook.auto
    assert playbook.approval
    assert playbook.params == ("incident_id", "title")
    first, second = playbook.steps
    assert isinstance(first, c.RunStep)
    assert first.timeout == timedelta(seconds=20)
    assert first.retries == 2
    assert first.env == (("KF_TITLE", "{title}"),)
    assert isinstance(second, c.HttpStep)
    assert second.method == "POST"
    assert second.expect == (202,)
    assert playbook.verify.attempts == 3
    assert playbook.verify.delay == timedelta(milliseconds=500)
    assert playbook.breaker == c.BreakerPolicy(3, timedelta(minutes=10))
    assert playbook.rate == c.Rate(3, timedelta(hours=1))
    assert playbook.rate_per_target == c.Rate(1, timedelta(minutes=10))
    assert [p.name for p in config.playbooks_for("kf-0012")] == ["restart-unit"]
    assert config.targets.auto_recovery_rate == 80
    assert config.targets.repair_time == timedelta(minutes=5)
    assert config.false_positive_window == timedelta(hours=2)


def _with(playbook: str, allow: str = "[python3, scripts/fix.sh, bash, env, ssh]") -> str:
    return f"allow: {allow}\ndetectors:\n  - {{name: web, kind: http, url: 'http://h/'}}\n" \
        f"playbooks:\n{playbook}"


def _playbook(step: str, params: str = "[incident_id, title]") -> str:
    return _with(
        "  - name: p\n    for: web\n"
        f"    params: {params}\n"
        f"    steps:\n      - {step}\n"
        "    verify: {http: 'http://h/'}\n"
    )


REFUSED = [
    ("unknown key", "allow: []\ndetectors: []\ntypo: 1\n", 3, "unknown key 'typo'"),
    ("duplicate key", "allow: []\nallow: []\n", 2, "duplicate key 'allow'"),
    ("alias", "allow: &a [python3]\ndetectors: *a\n", 2, "aliases are not allowed"),
    ("empty file", "", 1, "empty"),
    ("bad version", "version: 2\n", 1, "reads version 1"),
    ("unknown kind", "detectors:\n  - {name: x, kind: ping}\n", 2, "unknown detector kind"),
    ("kind's key", "detectors:\n  - {name: x, kind: http, url: 'http://h/', run: [a]}\n", 2,
     "unknown key 'run'"),
    ("bad name", "detectors:\n  - {name: 'a b', kind: http, url: 'http://h/'}\n", 2,
     "detector name 'a b'"),
    ("twice", "detectors:\n  - {name: a, kind: http, url: 'http://h/'}\n"
     "  - {name: a, kind: http, url: 'http://h/'}\n", 3, "declared twice"),
    ("ftp url", "detectors:\n  - {name: a, kind: http, url: 'ftp://h/'}\n", 2, "http://"),
    ("bad timeout", "detectors:\n  - {name: a, kind: http, url: 'http://h/', timeout: soon}\n",
     2, "timeout 'soon'"),
    ("not allowed", "allow: [python3]\ndetectors:\n  - {name: a, kind: command, run: [rm, x]}\n",
     3, "'rm' is not in allow"),
    ("command line", "allow: [ls]\ndetectors:\n  - {name: a, kind: command, run: 'ls -l'}\n", 3,
     "never a command line"),
    ("bad metric", "detectors:\n  - {name: a, kind: drift, report: r.json, metric: 'a..b',"
     " tolerance: 1}\n", 2, "metric"),
    ("bad tolerance", "detectors:\n  - {name: a, kind: drift, report: r.json, metric: a,"
     " tolerance: lots}\n", 2, "tolerance 'lots'"),
    ("missing verify", _with("  - name: p\n    for: web\n    steps:\n      - run: [python3]\n"),
     5, "missing 'verify'"),
    ("no steps", _with("  - {name: p, for: web, steps: [], verify: {http: 'http://h/'}}\n"), 5,
     "at least one step"),
    ("run and http", _playbook("{run: [python3], http: 'http://h/'}"), 9, "exactly one"),
    ("program from event data", _playbook("run: ['{title}']"), 9,
     "program itself cannot come from event data"),
    ("param not listed", _playbook("run: [python3, x.py, '{source}']"), 9,
     "{source} is not in this playbook's params"),
    ("unknown event field", _playbook("run: [python3]", params="[secret]"), 7,
     "unknown event field 'secret'"),
    ("format spec", _playbook("run: [python3, '{title!r}']"), 9, "is not a parameter"),
    ("bash -c", _playbook("run: [bash, -c, 'echo {title}']"), 9, "runs bash"),
    ("bash script with data", _playbook("run: [bash, scripts/x.sh, '{title}']"), 9,
     "runs bash"),
    ("shell via env", _playbook("{run: [env, bash, x.sh], env: {T: '{title}'}}"), 9, "runs bash"),
    ("python -c", _playbook("run: [python3, -c, 'print(1)', '{title}']"), 9,
     "python3 with inline code"),
    ("ssh", _playbook("run: [ssh, host, '{title}']"), 9, "runs ssh"),
    ("host from event data", _playbook("http: 'http://{title}/x'"), 9, "host is written out"),
    ("header line break", _with("  - name: p\n    for: web\n    steps:\n      - http: {url: "
     "'http://h/', headers: {X-A: \"a\\nb\"}}\n    verify: {http: 'http://h/'}\n"), 8,
     "one line only"),
    ("bad rate", _with("  - name: p\n    for: web\n    steps: [{run: [python3]}]\n    verify: "
     "{http: 'http://h/'}\n    rate_limit: {playbook: often}\n"), 9, "rate_limit playbook"),
    ("bad approval", _with("  - name: p\n    for: web\n    steps: [{run: [python3]}]\n    "
     "verify: {http: 'http://h/'}\n    approval: maybe\n"), 9, "approval: use required"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), REFUSED,
                         ids=[case[0] for case in REFUSED])
def test_refused_with_file_and_line(name: str, text: str, line: int, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_checks(text, origin="checks.yaml")
    assert str(caught.value).startswith(f"checks.yaml:{line}: "), str(caught.value)
    assert message in str(caught.value)


def test_a_shell_step_without_event_data_is_allowed() -> None:
    config = load_checks(_playbook("run: [bash, scripts/start-web.sh]"), origin="c.yaml")
    step = config.playbooks[0].steps[0]
    assert isinstance(step, c.RunStep)
    assert step.argv == ("bash", "scripts/start-web.sh")


def test_event_data_is_allowed_in_a_script_argument_and_env() -> None:
    config = load_checks(
        _playbook("{run: [scripts/fix.sh, '{incident_id}'], env: {T: '{title}'}}"), origin="c")
    step = config.playbooks[0].steps[0]
    assert isinstance(step, c.RunStep)
    assert step.argv == ("scripts/fix.sh", "{incident_id}")


def test_a_detector_command_keeps_braces_literally() -> None:
    config = load_checks("allow: [jq]\ndetectors:\n  - {name: a, kind: command, "
                         "run: [jq, '{a: .b}', r.json]}\n", origin="c")
    detector = config.detectors[0]
    assert isinstance(detector, c.CommandDetector)
    assert detector.argv[1] == "{a: .b}"


@pytest.mark.parametrize(("text", "seconds"), [
    ("90", 90), ("500ms", 0.5), ("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86400),
    ("1.5 min", 90),
])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "soon", "-5s", "5 parsecs", "1e3"])
def test_not_durations(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(("text", "count", "seconds"), [
    ("3/hour", 3, 3600), ("3 per hour", 3, 3600), ("10/day", 10, 86400), ("1/10m", 1, 600),
    ("5/30s", 5, 30), ("2 per 2 hours", 2, 7200),
])
def test_rates(text: str, count: int, seconds: float) -> None:
    assert parse_rate(text) == c.Rate(count, timedelta(seconds=seconds))


def test_rate_reads_back_in_words() -> None:
    assert str(c.Rate(3, timedelta(hours=1))) == "3 per hour"
    assert str(c.Rate(1, timedelta(minutes=10))) == "1 per 10 minutes"
