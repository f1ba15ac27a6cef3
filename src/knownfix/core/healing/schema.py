"""Read a checks file (YAML) into a :class:`ChecksConfig`; every problem names ``file:line``.

Refused before anything runs: unknown or duplicate keys, YAML aliases, a program not in
``allow:``, a program given as event data, event data a playbook did not list in ``params:``,
event data in a step that runs a shell, event data in the scheme or host of a URL, a playbook
without ``verify``.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from knownfix.core.healing import config as c
from knownfix.core.healing.gates import GateError, metric_parts
from knownfix.core.healing.params import program_name
from knownfix.core.healing.schema_playbooks import PlaybookReader
from knownfix.core.healing.schema_values import parse_duration, parse_rate
from knownfix.core.healing.yamlnodes import ANY_KEY, NodeReader
from knownfix.errors import ConfigError

SCHEMA_VERSION = 1

_TOP = {"version", "allow", "detectors", "playbooks", "targets", "false_positive_window"}
_DETECTOR_COMMON = {"name", "kind", "interval", "description"}
_DETECTOR_KEYS = {
    "command": {"run", "expect", "timeout", "cwd"},
    "http": {"url", "method", "expect", "timeout", "headers"},
    "json-schema": {"report", "schema"},
    "drift": {"report", "metric", "tolerance", "direction"},
    "checksums": {"manifest", "base"},
}


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


class _Reader(PlaybookReader):
    """Detectors on top of the playbook and value readers."""

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

__all__ = ["load_checks", "load_doc_playbook", "parse_duration", "parse_rate", "program_name"]
