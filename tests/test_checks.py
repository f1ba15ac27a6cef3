"""``knownfix check``: each kind of detector, the JSON contract, exit statuses, recording."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knownfix.cli import app

SCHEMA = {
    "type": "object",
    "required": ["name", "accuracy", "samples_processed", "duration_s", "status",
                 "schema_version"],
    "properties": {
        "name": {"type": "string"},
        "accuracy": {"type": "number", "minimum": 0, "maximum": 1},
        "samples_processed": {"type": "integer", "exclusiveMinimum": 0},
        "duration_s": {"type": "number", "exclusiveMinimum": 0},
        "status": {"enum": ["PASS", "PARTIAL", "ERROR"]},
        "schema_version": {"type": "string"},
        "metrics": {"type": "object", "properties": {"accuracy": {"type": "number"}}},
    },
}
GOOD = {"name": "mmlu", "accuracy": 0.86, "samples_processed": 1200, "duration_s": 31.5,
        "status": "PASS", "schema_version": "1.2", "metrics": {"accuracy": 0.86}}


def _write(project: Path, checks: str, report: dict[str, object] = GOOD) -> None:
    (project / "knownfix-checks.yaml").write_text(checks)
    (project / "schemas").mkdir(exist_ok=True)
    (project / "schemas" / "report.json").write_text(json.dumps(SCHEMA))
    (project / "report.json").write_text(json.dumps(report))


def _check(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["check", "--json", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, lines, result.stderr


SCHEMA_CHECKS = """\
detectors:
  - {name: report-schema, kind: json-schema, report: report.json, schema: schemas/report.json}
"""


def test_a_good_report_passes_the_schema_gate(project: Path, runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS)
    code, (line,), _ = _check(runner)
    assert code == 0
    assert line["ok"] is True
    assert line["incident"] is None
    assert set(line) >= {"name", "kind", "ok", "message", "incident"}


@pytest.mark.parametrize(("broken", "path"), [
    ({"accuracy": 1.5}, "$.accuracy: 1.5 is greater than the maximum of 1"),
    ({"status": "MAYBE"}, "$.status: 'MAYBE' is not one of"),
    ({"samples_processed": "many"}, "$.samples_processed: 'many' is not of type 'integer'"),
    ({"metrics": {"accuracy": "high"}}, "$.metrics.accuracy: 'high' is not of type 'number'"),
])
def test_the_schema_gate_names_the_broken_field(project: Path, runner: CliRunner,
                                               broken: dict[str, object], path: str) -> None:
    _write(project, SCHEMA_CHECKS, {**GOOD, **broken})
    code, (line,), _ = _check(runner)
    assert code == 1
    assert line["ok"] is False
    assert path in str(line["message"])
    assert any(path in detail for detail in line["details"])  # type: ignore[attr-defined]
    incident = line["incident"]
    assert isinstance(incident, dict)
    assert incident["new"] is True
    assert incident["count"] == 1


def test_a_missing_required_field_is_named(project: Path, runner: CliRunner) -> None:
    report = {k: v for k, v in GOOD.items() if k != "status"}
    _write(project, SCHEMA_CHECKS, report)
    code, (line,), _ = _check(runner)
    assert code == 1
    assert "$: 'status' is a required property" in str(line["message"])


def test_every_violation_is_listed(project: Path, runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS, {**GOOD, "accuracy": -1, "duration_s": 0})
    _, (line,), _ = _check(runner)
    assert line["message"].startswith("report.json: 2 violations of schemas/report.json")
    assert [d.split(":")[0] for d in line["details"]] == ["$.accuracy", "$.duration_s"]


def test_the_same_failure_counts_on_one_incident(project: Path, runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS, {**GOOD, "accuracy": 1.5})
    _, (first,), _ = _check(runner)
    _, (second,), _ = _check(runner)
    assert first["incident"]["id"] == second["incident"]["id"]  # type: ignore[index]
    assert second["incident"]["new"] is False  # type: ignore[index]
    assert second["incident"]["count"] == 2  # type: ignore[index]
    shown = runner.invoke(app, ["incidents", "show", first["incident"]["id"], "--json"])
    detail = json.loads(shown.stdout)
    assert detail["occurrences"][0]["source"] == "check:report-schema"
    assert "$.accuracy: 1.5 is greater than the maximum of 1" in detail["occurrences"][0][
        "excerpt_text"]


DRIFT_CHECKS = """\
detectors:
  - {name: accuracy, kind: drift, report: report.json, metric: metrics.accuracy,
     tolerance: 0.02, direction: decrease}
"""


def test_the_drift_gate(project: Path, runner: CliRunner) -> None:
    _write(project, DRIFT_CHECKS)
    code, (line,), _ = _check(runner)
    assert code == 2  # no baseline yet: an input problem, nothing recorded
    assert "no baseline yet" in str(line["message"])
    assert line["incident"] is None
    code, (line,), _ = _check(runner, "--update-baseline")
    assert code == 0
    assert "accepted as the new baseline" in str(line["message"])
    _write(project, DRIFT_CHECKS, {**GOOD, "metrics": {"accuracy": 0.85}})
    code, (line,), _ = _check(runner)
    assert code == 0
    _write(project, DRIFT_CHECKS, {**GOOD, "metrics": {"accuracy": 0.71}})
    code, (line,), _ = _check(runner)
    assert code == 1
    assert line["message"] == ("$.metrics.accuracy = 0.71 fell by 0.15 from the baseline 0.86; "
                               "the tolerance is 0.02 for a fall")
    assert line["incident"] is not None


def test_the_drift_gate_names_a_missing_metric(project: Path, runner: CliRunner) -> None:
    _write(project, DRIFT_CHECKS)
    _check(runner, "--update-baseline")
    _write(project, DRIFT_CHECKS, {**GOOD, "metrics": {}})
    code, (line,), _ = _check(runner)
    assert code == 1
    assert line["message"] == "report.json: $.metrics.accuracy is missing"


CHECKSUM_CHECKS = """\
detectors:
  - {name: datasets, kind: checksums, manifest: data/manifest.sha256}
"""


def test_the_checksum_gate_names_the_changed_file(project: Path, runner: CliRunner) -> None:
    data = project / "data"
    data.mkdir()
    files = {"a.csv": b"x,y\n1,2\n", "b.csv": b"z\n"}
    for name, body in files.items():
        (data / name).write_bytes(body)
    manifest = "".join(f"{hashlib.sha256(b).hexdigest()}  {n}\n" for n, b in files.items())
    (data / "manifest.sha256").write_text(manifest)
    _write(project, CHECKSUM_CHECKS)
    code, (line,), _ = _check(runner)
    assert (code, line["ok"]) == (0, True)
    (data / "b.csv").write_bytes(b"tampered\n")
    code, (line,), _ = _check(runner)
    assert code == 1
    assert "b.csv: sha256 mismatch" in str(line["message"])
    assert "manifest line 2" in str(line["message"])
    (data / "a.csv").unlink()
    _, (line,), _ = _check(runner)
    assert line["details"][0] == "a.csv: missing (manifest line 1)"  # type: ignore[index]


def test_a_command_detector_triages_its_output(project: Path, runner: CliRunner) -> None:
    script = project / "tests.py"
    script.write_text("import sys\nprint('collected 3 items')\n"
                      "print('FAILED tests/test_db.py::test_migrate - sqlalchemy.exc."
                      "OperationalError: no such table: users')\nsys.exit(1)\n")
    _write(project, f"allow: [{sys.executable}]\ndetectors:\n"
           f"  - {{name: unit, kind: command, run: [{sys.executable}, tests.py]}}\n")
    code, (line,), _ = _check(runner)
    assert code == 1
    assert "exited with status 1 (expected 0)" in str(line["message"])
    shown = runner.invoke(app, ["incidents", "show", line["incident"]["id"], "--json"])
    excerpt = json.loads(shown.stdout)["occurrences"][0]["excerpt_text"]
    assert "no such table: users" in excerpt


def test_an_http_detector(project: Path, runner: CliRunner) -> None:
    from healing_helpers import free_port

    _write(project, f"detectors:\n  - {{name: web, kind: http, "
           f"url: 'http://127.0.0.1:{free_port()}/health', timeout: 1}}\n")
    code, (line,), _ = _check(runner)
    assert code == 1
    assert str(line["message"]).endswith("connection refused")
    assert line["kind"] == "http"


def test_a_missing_report_is_an_input_error(project: Path, runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS)
    (project / "report.json").unlink()
    code, (line,), _ = _check(runner)
    assert code == 2
    assert line["error"] is True
    assert line["message"] == "report.json: no such file"
    assert runner.invoke(app, ["incidents", "list", "--json"]).stdout.strip() == "[]"


def test_invalid_json_is_an_input_error_with_its_line(project: Path, runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS)
    (project / "report.json").write_text('{\n  "a": 1,\n}\n')
    code, (line,), _ = _check(runner)
    assert code == 2
    assert str(line["message"]).startswith("report.json:3: invalid JSON")


def test_a_broken_checks_file_exits_2_with_file_and_line(project: Path,
                                                         runner: CliRunner) -> None:
    (project / "knownfix-checks.yaml").write_text("detectors:\n  - {name: a, kind: pingg}\n")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "knownfix-checks.yaml:2: unknown detector kind 'pingg'" in result.stderr


def test_no_checks_file_says_where_it_looked(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "no checks file: create knownfix-checks.yaml" in result.stderr


def test_config_option_and_only(project: Path, runner: CliRunner) -> None:
    other = project / "gates.yaml"
    other.write_text(SCHEMA_CHECKS + CHECKSUM_CHECKS.removeprefix("detectors:\n"))
    _write(project, "detectors: []\n")
    code, lines, _ = _check(runner, "--config", str(other), "--only", "report-schema")
    assert code == 0
    assert [line["name"] for line in lines] == ["report-schema"]
    result = runner.invoke(app, ["check", "--config", str(other), "--only", "nope"])
    assert result.exit_code == 2
    assert "no detector 'nope'" in result.stderr


def test_a_detector_going_from_pass_to_fail_records_its_detection(project: Path,
                                                                  runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS)
    _check(runner)
    _write(project, SCHEMA_CHECKS, {**GOOD, "accuracy": 7})
    _, (line,), _ = _check(runner)
    shown = json.loads(runner.invoke(app, ["incidents", "show", line["incident"]["id"],
                                           "--json"]).stdout)
    detected = [e for e in shown["events"] if e["action"] == "detected"]
    assert len(detected) == 1
    assert detected[0]["detail"]["detector"] == "report-schema"
    assert detected[0]["detail"]["last_ok_at"] is not None


def test_human_output(project: Path, runner: CliRunner) -> None:
    _write(project, SCHEMA_CHECKS, {**GOOD, "accuracy": 1.5})
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "✗ report-schema (json-schema)" in result.stdout
    assert "$.accuracy: 1.5 is greater than the maximum of 1" in result.stdout
    assert "0 passed, 1 failed" in result.stdout
