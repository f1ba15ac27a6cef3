"""Evaluate one detector: run its command, call its URL, validate its report, compare its metric
with the baseline, or check its manifest. Relative paths are relative to the checks file.

A :class:`Verdict` says whether it passed, in one line and a few detail lines (each schema
violation with its JSON path, each changed file); ``error`` marks a detector that could not be
evaluated at all (a missing report, invalid JSON): that is an input error, not a failure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from knownfix.actions import ActionRunner
from knownfix.core.healing import config as c
from knownfix.core.healing.gates import (
    GateError,
    drift,
    json_path,
    metric_parts,
    metric_value,
    parse_manifest,
)
from knownfix.core.secrets.redact import redact
from knownfix.storage.detectors import Baseline

MAX_REPORT_BYTES = 64 * 1024 * 1024
MAX_VIOLATIONS = 50
HASH_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    message: str
    details: tuple[str, ...] = ()
    error: bool = False  # could not be evaluated (input or configuration problem)
    output: str = ""  # a command's output, triaged like a log when it fails
    value: float | None = None  # a drift detector's current value


@dataclass
class DriftBaselines:
    """How a drift detector reads and accepts its baseline (the store, in practice)."""

    get: Callable[[str], Baseline | None]
    accept: Callable[[Baseline], None]
    actor: str
    now: datetime
    update: bool = False


def evaluate(
    detector: c.Detector,
    *,
    base_dir: Path,
    runner: ActionRunner,
    baselines: DriftBaselines,
) -> Verdict:
    """The verdict of one detector; never raises for what it checks."""
    try:
        if isinstance(detector, c.CommandDetector):
            return _command(detector, base_dir, runner)
        if isinstance(detector, c.HttpDetector):
            return _http(detector, runner)
        if isinstance(detector, c.JsonSchemaDetector):
            return _json_schema(detector, base_dir)
        if isinstance(detector, c.DriftDetector):
            return _drift(detector, base_dir, baselines)
        if isinstance(detector, c.ChecksumsDetector):
            return _checksums(detector, base_dir)
    except GateError as error:
        return Verdict(False, str(error), error=True)
    raise AssertionError(f"unknown detector kind {detector.kind}")  # pragma: no cover


def _command(detector: c.CommandDetector, base_dir: Path, runner: ActionRunner) -> Verdict:
    cwd = str(base_dir / detector.cwd) if detector.cwd else str(base_dir)
    result = runner.run(detector.argv, env={}, cwd=cwd,
                        timeout=detector.timeout.total_seconds())
    output = redact(result.output)
    if result.error is not None:
        return Verdict(False, result.error, error=True)
    if result.timed_out:
        return Verdict(False, f"{detector.argv[0]} did not finish within "
                       f"{detector.timeout.total_seconds():g} s (killed)", output=output)
    if result.exit_code in detector.expect:
        return Verdict(True, f"{detector.argv[0]} exited with status {result.exit_code}")
    expected = " or ".join(str(code) for code in detector.expect)
    return Verdict(False, f"{detector.argv[0]} exited with status {result.exit_code} "
                   f"(expected {expected})", output=output)


def _http(detector: c.HttpDetector, runner: ActionRunner) -> Verdict:
    result = runner.request(detector.method, detector.url, headers=dict(detector.headers),
                            json=None, timeout=detector.timeout.total_seconds())
    where = f"{detector.method} {redact(detector.url)}"
    if result.status is None:
        return Verdict(False, f"{where}: {result.error or 'no answer'}")
    if status_ok(result.status, detector.expect):
        return Verdict(True, f"{where}: {result.status}")
    wanted = " or ".join(map(str, detector.expect)) if detector.expect else "2xx or 3xx"
    body = " ".join(redact(result.body).split())[:200]
    details = (f"answer: {body}",) if body else ()
    return Verdict(False, f"{where}: status {result.status} (expected {wanted})", details)


def status_ok(status: int, expect: tuple[int, ...]) -> bool:
    """An HTTP status passes when listed, or, with nothing listed, when it is 2xx or 3xx."""
    return status in expect if expect else 200 <= status < 400


def _json_schema(detector: c.JsonSchemaDetector, base_dir: Path) -> Verdict:
    from jsonschema import exceptions, validators

    report = read_json(base_dir / detector.report, detector.report)
    if detector.schema is not None:
        schema: Any = detector.schema
        schema_name = "inline schema"
    else:
        schema_name = str(detector.schema_file)
        schema = read_json(base_dir / schema_name, schema_name)
    try:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
    except exceptions.SchemaError as error:
        return Verdict(False, f"{schema_name}: not a valid JSON Schema: {error.message}",
                       error=True)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(report),
                    key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return Verdict(True, f"{detector.report} matches {schema_name}")
    details = tuple(
        f"{json_path(e.absolute_path)}: {redact(_short(e.message))}"
        for e in errors[:MAX_VIOLATIONS]
    )
    if len(errors) > MAX_VIOLATIONS:
        details += (f"… and {len(errors) - MAX_VIOLATIONS} more",)
    first = details[0]
    count = f"{len(errors)} violation{'s' if len(errors) != 1 else ''}"
    return Verdict(False, f"{detector.report}: {count} of {schema_name}; first {first}", details)


def _drift(detector: c.DriftDetector, base_dir: Path, baselines: DriftBaselines) -> Verdict:
    report = read_json(base_dir / detector.report, detector.report)
    path = json_path(metric_parts(detector.metric))
    try:
        value = metric_value(report, detector.metric)
    except GateError as error:  # the report lacks the metric: a broken report, a failure
        return Verdict(False, f"{detector.report}: {error}")
    stored = baselines.get(detector.name)
    if baselines.update:
        baselines.accept(Baseline(detector.name, detector.metric, value, baselines.now,
                                  baselines.actor, detector.report))
        return Verdict(True, f"{path} = {value:g} accepted as the new baseline", value=value)
    if stored is None:
        return Verdict(False, f"{path} = {value:g} has no baseline yet: accept one with "
                       "knownfix check --update-baseline", error=True, value=value)
    if stored.metric != detector.metric:
        return Verdict(False, f"the baseline was taken of {stored.metric}, not "
                       f"{detector.metric}: accept a new one with knownfix check "
                       "--update-baseline", error=True, value=value)
    verdict = drift(path, value, stored.value, detector.tolerance, detector.direction)
    accepted = f"baseline accepted {stored.accepted_at:%Y-%m-%d} by {stored.accepted_by}"
    return Verdict(verdict.ok, verdict.message, (accepted,), value=value)


def _checksums(detector: c.ChecksumsDetector, base_dir: Path) -> Verdict:
    manifest = base_dir / detector.manifest
    text = read_text(manifest, detector.manifest)
    entries = parse_manifest(text, detector.manifest)
    root = base_dir / detector.base if detector.base else manifest.parent
    problems = []
    for entry in entries:
        target = root / entry.path
        try:
            actual = _sha256(target)
        except FileNotFoundError:
            problems.append(f"{entry.path}: missing (manifest line {entry.line})")
            continue
        except IsADirectoryError:
            problems.append(f"{entry.path}: is a folder (manifest line {entry.line})")
            continue
        except OSError as error:
            problems.append(f"{entry.path}: cannot read: {error.strerror or error}")
            continue
        if actual != entry.digest:
            problems.append(f"{entry.path}: sha256 mismatch (expected {entry.digest[:12]}…, "
                            f"got {actual[:12]}…; manifest line {entry.line})")
    if not problems:
        files = "1 file matches" if len(entries) == 1 else f"{len(entries)} files match"
        return Verdict(True, f"{files} {detector.manifest}")
    return Verdict(False, f"{detector.manifest}: {len(problems)} of {len(entries)} files "
                   f"differ; first {problems[0]}", tuple(problems[:MAX_VIOLATIONS]))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def read_text(path: Path, name: str) -> str:
    """A UTF-8 text file of at most MAX_REPORT_BYTES; GateError naming it otherwise."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_REPORT_BYTES + 1)
    except FileNotFoundError:
        raise GateError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise GateError(f"{name}: is a folder, not a file") from None
    except OSError as error:
        raise GateError(f"{name}: cannot read: {error.strerror or error}") from None
    if len(data) > MAX_REPORT_BYTES:
        raise GateError(f"{name}: larger than {MAX_REPORT_BYTES // (1 << 20)} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GateError(f"{name}: not UTF-8 text (byte {error.start})") from None


def read_json(path: Path, name: str) -> Any:
    text = read_text(path, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise GateError(f"{name}:{error.lineno}: invalid JSON: {error.msg}") from None
    except RecursionError:
        raise GateError(f"{name}: invalid JSON: nested too deeply") from None


def _short(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
