"""The pure half of the quality gates: JSON paths, metric lookup, drift, checksum manifests.

Reading files and validating schemas happen in :mod:`knownfix.services.detectors`; what is
decided here is what a path means, whether a value drifted, and what a manifest line says.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from knownfix.core.healing.config import Tolerance

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PATH_PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_GNU_LINE = re.compile(r"^\\?([0-9a-fA-F]{64}) [ *](.+)$")
_BSD_LINE = re.compile(r"^SHA256 ?\((.+)\) ?= ?([0-9a-fA-F]{64})$")


class GateError(ValueError):
    """A report or manifest that cannot be read as asked (the message names the place)."""


def json_path(parts: Iterable[str | int]) -> str:
    """``$.metrics.accuracy``, ``$.results[0].name``, ``$['odd key']`` (JSONPath notation)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out += f"['{escaped}']"
    return out


def metric_parts(metric: str) -> list[str | int]:
    """``metrics.accuracy`` / ``results[0].f1`` / ``/metrics/accuracy`` (JSON pointer) → parts."""
    text = metric.strip()
    if text.startswith("/"):
        return [
            int(p) if p.isdigit() else p.replace("~1", "/").replace("~0", "~")
            for p in text[1:].split("/")
        ]
    text = text.removeprefix("$").removeprefix(".")
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        match = _PATH_PART.match(text, position)
        if match is None or match.end() == position:
            raise GateError(f"metric {metric!r}: write a dotted path such as metrics.accuracy "
                            "or results[0].f1")
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    if not parts:
        raise GateError(f"metric {metric!r} is empty")
    return parts


def metric_value(document: Any, metric: str) -> float:
    """The number at ``metric`` in a JSON document; GateError naming the path otherwise."""
    current = document
    walked: list[str | int] = []
    for part in metric_parts(metric):
        walked.append(part)
        if isinstance(part, int) and isinstance(current, list) and part < len(current):
            current = current[part]
        elif isinstance(current, dict) and str(part) in current:
            current = current[str(part)]
        else:
            raise GateError(f"{json_path(walked)} is missing")
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise GateError(f"{json_path(walked)} is {_kind(current)}, not a number")
    value = float(current)
    if not math.isfinite(value):
        raise GateError(f"{json_path(walked)} is not a finite number")
    return value


@dataclass(frozen=True, slots=True)
class DriftVerdict:
    ok: bool
    value: float
    baseline: float
    delta: float
    bound: float
    message: str


def drift(path: str, value: float, baseline: float, tolerance: Tolerance,
          direction: str = "both") -> DriftVerdict:
    """Is ``value`` within ``tolerance`` of ``baseline``, counting only the given direction?"""
    delta = value - baseline
    bound = tolerance.bound(baseline)
    counted = {"both": abs(delta), "decrease": -delta, "increase": delta}[direction]
    ok = counted <= bound + 1e-12 * max(1.0, abs(baseline))
    tolerance_text = f"{bound:g}" + (f" ({tolerance} of the baseline)" if tolerance.relative
                                      else "")
    counted_as = {"both": "", "decrease": " for a fall", "increase": " for a rise"}[direction]
    direction_word = "fell" if delta < 0 else "rose"
    moved = "is at" if delta == 0 else f"{direction_word} by {abs(delta):g} from"
    message = (f"{path} = {value:g} {moved} the baseline {baseline:g}; the tolerance is "
               f"{tolerance_text}{counted_as}")
    return DriftVerdict(ok, value, baseline, delta, bound, message)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    digest: str  # lower-case hex
    path: str
    line: int


def parse_manifest(text: str, origin: str) -> list[ManifestEntry]:
    """The entries of a ``sha256sum`` (``HASH  path``, ``HASH *path``) or BSD
    (``SHA256 (path) = HASH``) manifest; blank and ``#`` lines are skipped."""
    entries: list[ManifestEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        gnu = _GNU_LINE.match(line)
        bsd = _BSD_LINE.match(line.strip())
        if gnu:
            digest, path = gnu.group(1), gnu.group(2)
            if line.startswith("\\"):  # sha256sum escapes names holding \ or a newline
                path = path.replace("\\n", "\n").replace("\\\\", "\\")
        elif bsd:
            path, digest = bsd.group(1), bsd.group(2)
        else:
            raise GateError(f"{origin}:{number}: not a sha256 manifest line (expected "
                            "'<64 hex digits>  <path>')")
        entries.append(ManifestEntry(digest.lower(), path, number))
    if not entries:
        raise GateError(f"{origin}: the manifest lists no file")
    return entries


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
