"""The checks file's values (names, spans, rates, argument lists, URLs) read from YAML nodes.

Shared by the detector and playbook readers of :mod:`knownfix.core.healing.schema`; every
problem is a ``ConfigError`` naming ``file:line``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import yaml

from knownfix.core.healing import config as c
from knownfix.core.healing.params import placeholders
from knownfix.core.healing.yamlnodes import ANY_KEY, NodeReader

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

_TARGETS = {"auto_recovery_rate", "detection_time", "repair_time", "mttr", "false_positive_rate"}


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


class FieldReader(NodeReader):
    """The checks file's vocabulary of values on top of :class:`NodeReader`."""


    def __init__(self, origin: str, first_line: int = 1) -> None:
        super().__init__(origin, first_line)
        self.allow: tuple[str, ...] = ()
        self.detector_names: set[str] = set()

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


def placeholders_in(reader: NodeReader, node: yaml.Node, template: str, what: str) -> list[str]:
    """The parameters ``template`` uses; a malformed one is a ConfigError at ``node``."""
    try:
        return placeholders(template)
    except ValueError as error:
        raise reader.fail(node, f"{what}: {error}") from None
