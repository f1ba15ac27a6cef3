"""The checks file as records: detectors, playbooks and their guardrails (validated, immutable).

    allow: [python3, scripts/restart-web.sh]      # the only executables knownfix may start
    detectors:  [{name, kind, …}]                 # command | http | json-schema | drift | checksums
    playbooks:  [{name, for, steps, verify, …}]   # attached to a detector or a known issue

:mod:`knownfix.core.healing.schema` builds these from YAML and refuses anything unsafe or unclear
before a single process starts; the records themselves do no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

DETECTOR_KINDS = ("command", "http", "json-schema", "drift", "checksums")
DEFAULT_CHECKS_FILE = "knownfix-checks.yaml"
DEFAULT_INTERVAL = timedelta(seconds=60)
DEFAULT_STEP_TIMEOUT = timedelta(seconds=60)
DEFAULT_HTTP_TIMEOUT = timedelta(seconds=10)
DEFAULT_FALSE_POSITIVE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Detector:
    """A check that produces failures; ``line`` is where the checks file declares it."""

    name: str
    kind: str
    line: int
    interval: timedelta = DEFAULT_INTERVAL


@dataclass(frozen=True, slots=True)
class CommandDetector(Detector):
    argv: tuple[str, ...] = ()
    expect: tuple[int, ...] = (0,)  # exit statuses that pass
    timeout: timedelta = DEFAULT_STEP_TIMEOUT
    cwd: str | None = None


@dataclass(frozen=True, slots=True)
class HttpDetector(Detector):
    url: str = ""
    method: str = "GET"
    expect: tuple[int, ...] = ()  # empty: any 2xx or 3xx passes
    timeout: timedelta = DEFAULT_HTTP_TIMEOUT
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class JsonSchemaDetector(Detector):
    report: str = ""
    schema_file: str | None = None
    schema: dict[str, Any] | None = None  # inline, when no schema_file


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a metric may move from its baseline: absolute, or a share of the baseline."""

    value: float
    relative: bool = False

    def bound(self, baseline: float) -> float:
        return abs(baseline) * self.value if self.relative else self.value

    def __str__(self) -> str:
        return f"{self.value * 100:g}%" if self.relative else f"{self.value:g}"


@dataclass(frozen=True, slots=True)
class DriftDetector(Detector):
    report: str = ""
    metric: str = ""
    tolerance: Tolerance = field(default_factory=lambda: Tolerance(0.0))
    direction: str = "both"  # which change counts as drift: both, decrease, increase


@dataclass(frozen=True, slots=True)
class ChecksumsDetector(Detector):
    manifest: str = ""
    base: str | None = None  # folder the manifest's paths are relative to (default: its own)


@dataclass(frozen=True, slots=True)
class RunStep:
    """Start a program with an argument list (never a shell string)."""

    argv: tuple[str, ...]
    line: int
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None
    expect: tuple[int, ...] = (0,)
    timeout: timedelta = DEFAULT_STEP_TIMEOUT
    retries: int = 0

    @property
    def kind(self) -> str:
        return "run"


@dataclass(frozen=True, slots=True)
class HttpStep:
    """One HTTP request; event data reaches it percent-encoded in the URL or as JSON strings."""

    url: str
    line: int
    method: str = "GET"
    expect: tuple[int, ...] = ()  # empty: any 2xx or 3xx
    headers: tuple[tuple[str, str], ...] = ()
    json: Any = None
    timeout: timedelta = DEFAULT_HTTP_TIMEOUT
    retries: int = 0

    @property
    def kind(self) -> str:
        return "http"


Step = RunStep | HttpStep


@dataclass(frozen=True, slots=True)
class Verify:
    """What must pass after the steps; tried ``attempts`` times, waits doubling from ``delay``."""

    step: Step
    attempts: int = 5
    delay: timedelta = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``count`` runs in any window of ``per``."""

    count: int
    per: timedelta

    def __str__(self) -> str:
        return f"{self.count} per {_span(self.per)}"


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    """Open after ``failures`` consecutive failed runs; one trial after ``cooldown``."""

    failures: int = 5
    cooldown: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Playbook:
    """Named steps with a verification, attached to detectors or known issues."""

    name: str
    targets: tuple[str, ...]  # detector names or known-issue ids (``for:``)
    steps: tuple[Step, ...]
    verify: Verify
    line: int
    origin: str = ""  # the file (checks file or a known issue's document)
    auto: bool = False
    approval: bool = False
    params: tuple[str, ...] = ()
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    rate: Rate | None = None
    rate_per_target: Rate | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class KpiTargets:
    """Targets shown beside the healing KPIs (None: no target)."""

    auto_recovery_rate: float | None = None  # percent, at least
    detection_time: timedelta | None = None  # at most
    repair_time: timedelta | None = None  # at most
    mttr: timedelta | None = None  # at most
    false_positive_rate: float | None = None  # percent, at most


@dataclass(frozen=True, slots=True)
class ChecksConfig:
    """A whole checks file."""

    path: str
    allow: tuple[str, ...] = ()
    detectors: tuple[Detector, ...] = ()
    playbooks: tuple[Playbook, ...] = ()
    targets: KpiTargets = field(default_factory=KpiTargets)
    false_positive_window: timedelta = DEFAULT_FALSE_POSITIVE_WINDOW

    def detector(self, name: str) -> Detector | None:
        return next((d for d in self.detectors if d.name == name), None)

    def playbook(self, name: str) -> Playbook | None:
        return next((p for p in self.playbooks if p.name == name), None)

    def playbooks_for(self, target: str) -> list[Playbook]:
        """Playbooks attached to a detector name or known-issue id (ids compare case-blind)."""
        wanted = target.casefold()
        return [p for p in self.playbooks if any(t.casefold() == wanted for t in p.targets)]


def _span(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"
