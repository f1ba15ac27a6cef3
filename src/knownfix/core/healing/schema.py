"""Read a checks file (YAML) into a :class:`ChecksConfig`; every problem names ``file:line``.

Refused before anything runs: unknown or duplicate keys, YAML aliases, a program not in
``allow:``, a program given as event data, event data a playbook did not list in ``params:``,
event data in a step that runs a shell, event data in the scheme or host of a URL, a playbook
without ``verify``.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Any

import yaml

from knownfix.core.healing import config as c
from knownfix.core.healing.gates import GateError, metric_parts
from knownfix.core.healing.params import (
    EVENT_FIELDS,
    json_placeholders,
    placeholders,
    program_name,
    shell_program,
)
from knownfix.core.healing.yamlnodes import ANY_KEY, NodeReader
from knownfix.errors import ConfigError

SCHEMA_VERSION = 1
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_RATE = re.compile(
    r"^\s*(\d+)\s*(?:/|per)\s*(?:(\d+(?:\.\d+)?)\s*)?"
    r"(ms|s|sec|second|m|min|minute|h|hour|d|day)s?\s*$",
    re.IGNORECASE,
)
_RATE_UNITS = {"second": "s", "minute": "m", "hour": "h", "day": "d"}
MAX_TIMEOUT = 24 * 3600.0

_TOP = {"version", "allow", "detectors", "playbooks", "targets", "false_positive_window"}
_DETECTOR_COMMON = {"name", "kind", "interval", "description"}
_DETECTOR_KEYS = {
    "command": {"run", "expect", "timeout", "cwd"},
    "http": {"url", "method", "expect", "timeout", "headers"},
    "json-schema": {"report", "schema"},
    "drift": {"report", "metric", "tolerance", "direction"},
    "checksums": {"manifest", "base"},
}
_PLAYBOOK = {"name", "description", "for", "auto", "approval", "params", "steps", "verify",
             "timeout", "retries", "breaker", "rate_limit"}
_STEP = {"run", "http", "env", "cwd", "expect", "timeout", "retries"}
_VERIFY = {"run", "http", "env", "cwd", "expect", "timeout", "attempts", "delay"}
_HTTP = {"url", "method", "headers", "json"}
_TARGETS = {"auto_recovery_rate", "detection_time", "repair_time", "mttr", "false_positive_rate"}


def load_checks(text: str, *, origin: str = "<checks>") -> c.ChecksConfig:
    """Parse and validate a checks file; ConfigError with ``origin:line`` on any problem."""
    reader = _Reader(origin)
    root = reader.compose(text)
    if root is None:
        raise ConfigError(f"{origin}:1: the checks file is empty (expected 'detectors:')")
    top = reader.mapping(root, "checks file", _TOP)
    if "version" in top and reader.integer(top["version"], "version") != SCHEMA_VERSION:
        raise reader.fail(top["version"], f"this knownfix reads version {SCHEMA_VERSION}")
    allow = tuple(reader.texts(top["allow"], "allow")) if "allow" in top else ()
    reader.allow = allow
    detectors = tuple(
        reader.detector(node) for node in _items(reader, top, "detectors")
    )
    _unique(reader, detectors, "detector")
    reader.detector_names = {d.name for d in detectors}
    playbooks = tuple(reader.playbook(node) for node in _items(reader, top, "playbooks"))
    _unique(reader, playbooks, "playbook")
    window = c.DEFAULT_FALSE_POSITIVE_WINDOW
    if "false_positive_window" in top:
        window = reader.duration(top["false_positive_window"], "false_positive_window")
    targets = reader.targets(top["targets"]) if "targets" in top else c.KpiTargets()
    return c.ChecksConfig(path=origin, allow=allow, detectors=detectors, playbooks=playbooks,
                          targets=targets, false_positive_window=window)


def load_doc_playbook(
    text: str, *, origin: str, first_line: int, issue_id: str, allow: tuple[str, ...]
) -> c.Playbook:
    """A playbook written as a ```playbook block in a known issue's document.

    ``for`` defaults to the issue (and may name only it); the executables it may start are the
    checks file's ``allow``: a document never widens what runs.
    """
    reader = _Reader(origin, first_line)
    reader.allow = allow
    root = reader.compose(text)
    if root is None:
        raise ConfigError(f"{origin}:{first_line}: the playbook block is empty")
    return reader.playbook(root, issue_id=issue_id)


def parse_duration(text: str) -> timedelta | None:
    """``90`` (seconds), ``500ms``, ``30s``, ``5m``, ``2h``, ``1d`` → timedelta; None if not one."""
    match = _DURATION.match(text)
    if not match:
        return None
    return timedelta(seconds=float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()])


def parse_rate(text: str) -> c.Rate | None:
    """``3/hour``, ``3 per hour``, ``10/30m`` → Rate; None if not one."""
    match = _RATE.match(text)
    if not match:
        return None
    unit = match.group(3).lower()
    unit = _RATE_UNITS.get(unit, unit)
    size = float(match.group(2) or 1) * _UNITS[unit]
    if size <= 0:
        return None
    return c.Rate(int(match.group(1)), timedelta(seconds=size))


def _items(reader: NodeReader, top: dict[str, yaml.Node], key: str) -> list[yaml.Node]:
    return reader.sequence(top[key], key) if key in top else []


def _unique(reader: NodeReader, records: tuple[Any, ...], what: str) -> None:
    seen: dict[str, int] = {}
    for record in records:
        if record.name in seen:
            raise ConfigError(
                f"{reader.origin}:{record.line}: {what} {record.name!r} is declared twice "
                f"(first at line {seen[record.name]})"
            )
        seen[record.name] = record.line


class _Reader(NodeReader):
    """The checks file's vocabulary on top of :class:`NodeReader`."""

    def __init__(self, origin: str, first_line: int = 1) -> None:
        super().__init__(origin, first_line)
        self.allow: tuple[str, ...] = ()
        self.detector_names: set[str] = set()

    # --- values -------------------------------------------------------------------------

    def name(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what).strip()
        if not NAME.fullmatch(value):
            raise self.fail(node, f"{what} {value!r}: use letters, digits and . _ : - "
                            "(100 at most), starting with a letter or digit")
        return value

    def duration(self, node: yaml.Node, what: str, *, maximum: float = MAX_TIMEOUT) -> timedelta:
        text = self.text(node, what)
        value = parse_duration(text)
        if value is None or not 0 < value.total_seconds() <= maximum:
            raise self.fail(node, f"{what} {text!r}: give seconds (30) or a span (500ms, 30s, "
                            f"5m, 2h), more than 0 and at most {maximum:g} seconds")
        return value

    def statuses(self, node: yaml.Node, what: str, *, low: int, high: int) -> tuple[int, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        return tuple(self.integer(item, what, minimum=low, maximum=high) for item in items)

    def argv(self, node: yaml.Node, what: str, *, templated: bool = True) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a list of arguments such as "
                            '["systemctl", "restart", "web"], never a command line: '
                            "nothing runs through a shell")
        argv = tuple(self.texts(node, what, single=False))
        if not argv:
            raise self.fail(node, f"{what} is empty")
        if templated and placeholders_in(self, node, argv[0], what):
            raise self.fail(node, f"{what}: the program itself cannot come from event data")
        if argv[0] not in self.allow:
            allowed = ", ".join(self.allow) or "nothing yet"
            raise self.fail(node, f"{what}: {argv[0]!r} is not in allow: ({allowed}); add it "
                            "to the allow list at the top of the checks file to let it run")
        return argv

    def env(self, node: yaml.Node) -> tuple[tuple[str, str], ...]:
        pairs = []
        for key, value in self.mapping(node, "env", ANY_KEY).items():
            if not ENV_NAME.fullmatch(key):
                raise self.fail(value, f"env: {key!r} is not a variable name")
            pairs.append((key, self.text(value, f"env {key}")))
        return tuple(pairs)

    def headers(self, node: yaml.Node) -> tuple[tuple[str, str], ...]:
        pairs = []
        for key, value in self.mapping(node, "headers", ANY_KEY).items():
            if not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", key):
                raise self.fail(value, f"headers: {key!r} is not a header name")
            text = self.text(value, f"header {key}")
            if "\n" in text or "\r" in text:
                raise self.fail(value, f"header {key}: one line only")
            pairs.append((key, text))
        return tuple(pairs)

    def url(self, node: yaml.Node, what: str) -> str:
        url = self.text(node, what).strip()
        if not re.match(r"^https?://[^/\s{}]+(?:[/?#]|$)", url):
            raise self.fail(node, f"{what} {url!r}: give an http:// or https:// URL whose "
                            "host is written out (event data may only appear after the host)")
        return url

    def method(self, node: yaml.Node) -> str:
        method = self.text(node, "method").strip().upper()
        if method not in HTTP_METHODS:
            raise self.fail(node, f"method {method!r}: use one of {', '.join(HTTP_METHODS)}")
        return method

    def targets(self, node: yaml.Node) -> c.KpiTargets:
        fields = self.mapping(node, "targets", _TARGETS)
        values: dict[str, Any] = {}
        for key, value in fields.items():
            if key.endswith("_rate"):
                values[key] = self.number(value, key, maximum=100)
            else:
                values[key] = self.duration(value, key, maximum=365 * 86400)
        return c.KpiTargets(**values)

    # --- detectors ----------------------------------------------------------------------

    def detector(self, node: yaml.Node) -> c.Detector:
        kind_node = self.mapping(node, "detector", ANY_KEY).get("kind")
        if kind_node is None:
            raise self.fail(node, f"detector: missing 'kind' ({', '.join(c.DETECTOR_KINDS)})")
        kind = self.text(kind_node, "kind").strip()
        if kind not in c.DETECTOR_KINDS:
            raise self.fail(kind_node, f"unknown detector kind {kind!r}: use one of "
                            f"{', '.join(c.DETECTOR_KINDS)}")
        fields = self.mapping(node, f"{kind} detector", _DETECTOR_COMMON | _DETECTOR_KEYS[kind],
                              required=("name",))
        common: dict[str, Any] = {
            "name": self.name(fields["name"], "detector name"), "kind": kind,
            "line": self.line(node),
        }
        if "interval" in fields:
            common["interval"] = self.duration(fields["interval"], "interval",
                                               maximum=30 * 86400)
        builder = getattr(self, "_" + kind.replace("-", "_"))
        detector: c.Detector = builder(node, fields, common)
        return detector

    def _command(self, node: yaml.Node, f: dict[str, yaml.Node], common: dict[str, Any]
                 ) -> c.CommandDetector:
        if "run" not in f:
            raise self.fail(node, "command detector: missing 'run' (its argument list)")
        # A detector has no event: its arguments are literal, braces included.
        argv = self.argv(f["run"], "run", templated=False)
        return c.CommandDetector(
            **common, argv=argv,
            expect=self.statuses(f["expect"], "expect", low=0, high=255) if "expect" in f
            else (0,),
            timeout=self.duration(f["timeout"], "timeout") if "timeout" in f
            else c.DEFAULT_STEP_TIMEOUT,
            cwd=self.text(f["cwd"], "cwd") if "cwd" in f else None,
        )

    def _http(self, node: yaml.Node, f: dict[str, yaml.Node], common: dict[str, Any]
              ) -> c.HttpDetector:
        if "url" not in f:
            raise self.fail(node, "http detector: missing 'url'")
        url = self.url(f["url"], "url")
        return c.HttpDetector(
            **common, url=url,
            method=self.method(f["method"]) if "method" in f else "GET",
            expect=self.statuses(f["expect"], "expect", low=100, high=599) if "expect" in f
            else (),
            timeout=self.duration(f["timeout"], "timeout") if "timeout" in f
            else c.DEFAULT_HTTP_TIMEOUT,
            headers=self.headers(f["headers"]) if "headers" in f else (),
        )

    def _json_schema(self, node: yaml.Node, f: dict[str, yaml.Node], common: dict[str, Any]
                     ) -> c.JsonSchemaDetector:
        for key in ("report", "schema"):
            if key not in f:
                raise self.fail(node, f"json-schema detector: missing {key!r}")
        schema = f["schema"]
        if isinstance(schema, yaml.MappingNode):
            inline = self.plain_data(schema, "schema")
            return c.JsonSchemaDetector(**common, report=self.text(f["report"], "report"),
                                        schema=inline)
        return c.JsonSchemaDetector(**common, report=self.text(f["report"], "report"),
                                    schema_file=self.text(schema, "schema"))

    def _drift(self, node: yaml.Node, f: dict[str, yaml.Node], common: dict[str, Any]
               ) -> c.DriftDetector:
        for key in ("report", "metric", "tolerance"):
            if key not in f:
                raise self.fail(node, f"drift detector: missing {key!r}")
        direction = "both"
        if "direction" in f:
            direction = self.text(f["direction"], "direction").strip()
            if direction not in {"both", "decrease", "increase"}:
                raise self.fail(f["direction"], "direction: use both, decrease (a drop is "
                                "drift) or increase (a rise is drift)")
        metric = self.text(f["metric"], "metric").strip()
        try:
            metric_parts(metric)
        except GateError as error:
            raise self.fail(f["metric"], str(error)) from None
        return c.DriftDetector(**common, report=self.text(f["report"], "report"),
                               metric=metric,
                               tolerance=self.tolerance(f["tolerance"]), direction=direction)

    def tolerance(self, node: yaml.Node) -> c.Tolerance:
        text = self.text(node, "tolerance").strip()
        relative = text.endswith("%")
        try:
            value = float(text.rstrip("%"))
        except ValueError:
            value = -1.0
        if not (math.isfinite(value) and value >= 0):
            raise self.fail(node, f"tolerance {text!r}: give a number (0.02) or a percentage "
                            "of the baseline (5%)")
        return c.Tolerance(value / 100 if relative else value, relative)

    def _checksums(self, node: yaml.Node, f: dict[str, yaml.Node], common: dict[str, Any]
                   ) -> c.ChecksumsDetector:
        if "manifest" not in f:
            raise self.fail(node, "checksums detector: missing 'manifest'")
        return c.ChecksumsDetector(**common, manifest=self.text(f["manifest"], "manifest"),
                                   base=self.text(f["base"], "base") if "base" in f else None)

    # --- playbooks ----------------------------------------------------------------------

    def playbook(self, node: yaml.Node, *, issue_id: str | None = None) -> c.Playbook:
        f = self.mapping(node, "playbook", _PLAYBOOK,
                         required=("steps", "verify") if issue_id else ("name", "for", "steps",
                                                                        "verify"))
        name = self.name(f["name"], "playbook name") if "name" in f else str(issue_id)
        targets = tuple(t.strip() for t in self.texts(f["for"], "for")) if "for" in f else ()
        if issue_id is not None:
            if any(t.casefold() != issue_id.casefold() for t in targets):
                raise self.fail(f["for"], f"a playbook in the document of {issue_id} is for "
                                f"{issue_id} only")
            targets = (issue_id,)
        params = tuple(self.texts(f["params"], "params")) if "params" in f else ()
        for value in params:
            if value not in EVENT_FIELDS:
                raise self.fail(f["params"], f"params: unknown event field {value!r} (known: "
                                f"{', '.join(EVENT_FIELDS)})")
        defaults = {
            "timeout": self.duration(f["timeout"], "timeout") if "timeout" in f else None,
            "retries": self.integer(f["retries"], "retries", maximum=10) if "retries" in f
            else 0,
        }
        steps_node = f["steps"]
        steps = tuple(self.step(item, params, defaults, _STEP)
                      for item in self.sequence(steps_node, "steps"))
        if not steps:
            raise self.fail(steps_node, "steps: give at least one step")
        approval = False
        if "approval" in f:
            value = self.plain_data(f["approval"], "approval")
            if value not in ("required", "none", True, False):
                raise self.fail(f["approval"], "approval: use required or none")
            approval = value in ("required", True)
        breaker = self.breaker(f["breaker"]) if "breaker" in f else c.BreakerPolicy()
        rate, per_target = self.rate_limit(f["rate_limit"]) if "rate_limit" in f else (None, None)
        return c.Playbook(
            name=name, targets=targets, steps=steps, verify=self.verify(f["verify"], params),
            line=self.line(node), origin=self.origin,
            auto=self.flag(f["auto"], "auto") if "auto" in f else False, approval=approval,
            params=params, breaker=breaker, rate=rate, rate_per_target=per_target,
            description=self.text(f["description"], "description") if "description" in f
            else "",
        )

    def step(self, node: yaml.Node, params: tuple[str, ...], defaults: dict[str, Any],
             allowed: set[str]) -> c.Step:
        f = self.mapping(node, "step", allowed)
        kinds = [k for k in ("run", "http") if k in f]
        if len(kinds) != 1:
            raise self.fail(node, "a step has exactly one of run: [argv] or http: URL")
        timeout = (self.duration(f["timeout"], "timeout") if "timeout" in f
                   else defaults["timeout"])
        retries = (self.integer(f["retries"], "retries", maximum=10) if "retries" in f
                   else defaults["retries"])
        if kinds == ["run"]:
            if "json" in f:
                raise self.fail(f["json"], "json belongs to an http step")
            step: c.Step = c.RunStep(
                argv=self.argv(f["run"], "run"), line=self.line(node),
                env=self.env(f["env"]) if "env" in f else (),
                cwd=self.text(f["cwd"], "cwd") if "cwd" in f else None,
                expect=self.statuses(f["expect"], "expect", low=0, high=255) if "expect" in f
                else (0,),
                timeout=timeout or c.DEFAULT_STEP_TIMEOUT, retries=retries,
            )
        else:
            for key in ("env", "cwd"):
                if key in f:
                    raise self.fail(f[key], f"{key} belongs to a run step")
            step = self.http_step(f["http"], self.line(node), timeout, retries,
                                  f.get("expect"))
        self.check_params(node, step, params)
        return step

    def http_step(self, node: yaml.Node, line: int, timeout: timedelta | None, retries: int,
                  expect: yaml.Node | None) -> c.HttpStep:
        f: dict[str, yaml.Node]
        if isinstance(node, yaml.ScalarNode):
            f = {"url": node}
        else:
            f = self.mapping(node, "http", _HTTP, required=("url",))
        return c.HttpStep(
            url=self.url(f["url"], "url"), line=line,
            method=self.method(f["method"]) if "method" in f else "GET",
            expect=self.statuses(expect, "expect", low=100, high=599) if expect is not None
            else (),
            headers=self.headers(f["headers"]) if "headers" in f else (),
            json=self.plain_data(f["json"], "json") if "json" in f else None,
            timeout=timeout or c.DEFAULT_HTTP_TIMEOUT, retries=retries,
        )

    def verify(self, node: yaml.Node, params: tuple[str, ...]) -> c.Verify:
        f = self.mapping(node, "verify", _VERIFY)
        attempts = (self.integer(f["attempts"], "attempts", minimum=1, maximum=100)
                    if "attempts" in f else 5)
        delay = (self.duration(f["delay"], "delay", maximum=3600) if "delay" in f
                 else timedelta(seconds=1))
        step = self.step(node, params, {"timeout": None, "retries": 0}, _VERIFY)
        return c.Verify(step=step, attempts=attempts, delay=delay)

    def check_params(self, node: yaml.Node, step: c.Step, params: tuple[str, ...]) -> None:
        used: list[str] = []
        if isinstance(step, c.RunStep):
            for arg in step.argv:
                used += placeholders_in(self, node, arg, "run")
            for key, value in step.env:
                used += placeholders_in(self, node, value, f"env {key}")
            shell = shell_program(step.argv)
            if used and shell is not None:
                raise self.fail(node, f"this step runs {shell}, so it takes no event data "
                                f"({', '.join('{' + u + '}' for u in dict.fromkeys(used))}): "
                                "a shell or interpreter would read it as code. Call a "
                                "script with the data as arguments instead, e.g. "
                                f'["scripts/fix.sh", "{{{used[0]}}}"] with scripts/fix.sh in '
                                "allow")
        else:
            used += placeholders_in(self, node, step.url, "url")
            for key, value in step.headers:
                used += placeholders_in(self, node, value, f"header {key}")
            try:
                used += json_placeholders(step.json)
            except ValueError as error:
                raise self.fail(node, f"json: {error}") from None
        unknown = [name for name in used if name not in params]
        if unknown:
            raise self.fail(node, f"{{{unknown[0]}}} is not in this playbook's params: list "
                            f"it there ({', '.join(EVENT_FIELDS)}) to pass it to steps")

    def breaker(self, node: yaml.Node) -> c.BreakerPolicy:
        f = self.mapping(node, "breaker", {"failures", "cooldown"})
        return c.BreakerPolicy(
            failures=self.integer(f["failures"], "failures", minimum=1, maximum=1000)
            if "failures" in f else 5,
            cooldown=self.duration(f["cooldown"], "cooldown", maximum=30 * 86400)
            if "cooldown" in f else timedelta(minutes=5),
        )

    def rate_limit(self, node: yaml.Node) -> tuple[c.Rate | None, c.Rate | None]:
        f = self.mapping(node, "rate_limit", {"playbook", "target"})
        rates: list[c.Rate | None] = []
        for key in ("playbook", "target"):
            if key not in f:
                rates.append(None)
                continue
            text = self.text(f[key], f"rate_limit {key}")
            rate = parse_rate(text)
            if rate is None or rate.count < 1:
                raise self.fail(f[key], f"rate_limit {key} {text!r}: write runs per span, "
                                "e.g. 3/hour, 10/day, 1/10m")
            rates.append(rate)
        return rates[0], rates[1]


def placeholders_in(reader: NodeReader, node: yaml.Node, template: str, what: str) -> list[str]:
    """The parameters ``template`` uses; a malformed one is a ConfigError at ``node``."""
    try:
        return placeholders(template)
    except ValueError as error:
        raise reader.fail(node, f"{what}: {error}") from None


__all__ = ["load_checks", "load_doc_playbook", "parse_duration", "parse_rate", "program_name"]
