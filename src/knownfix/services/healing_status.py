"""Where self-healing stands: KPIs, breakers, detectors, runs waiting for approval, recent runs.

One read for the dashboard's page, the API and ``/metrics``; the KPIs cover a recent period
(30 days unless told), so a long-lived store does not make every look slower.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from knownfix.core.healing.config import ChecksConfig
from knownfix.core.healing.records import AWAITING_APPROVAL, PlaybookRun
from knownfix.core.report.healing import HealingKpis
from knownfix.errors import ConfigError
from knownfix.services import checks_config
from knownfix.services.reports import healing_kpis
from knownfix.settings import Settings
from knownfix.storage import detectors as states
from knownfix.storage import healing as runs
from knownfix.storage.detectors import DetectorState

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

DEFAULT_PERIOD = timedelta(days=30)
RECENT_RUNS = 20


@dataclass(frozen=True, slots=True)
class HealingStatus:
    kpis: HealingKpis
    since: datetime
    detectors: tuple[DetectorState, ...]
    awaiting: tuple[PlaybookRun, ...]
    recent: tuple[PlaybookRun, ...]
    mode: str  # KNOWNFIX_HEALING: on, manual, off
    paused_by: str | None  # who paused healing in the store, if it is paused
    checks_path: str | None
    checks_error: str | None = None  # the checks file does not read: why

    def to_dict(self) -> dict[str, Any]:
        k = self.kpis
        return {
            "since": self.since.isoformat(),
            "mode": self.mode,
            "paused_by": self.paused_by,
            "checks_file": self.checks_path,
            "checks_error": self.checks_error,
            "kpis": {
                "runs": k.runs,
                "runs_by_status": dict(k.status_counts),
                "incidents_attempted": k.incidents_attempted,
                "incidents_healed": k.incidents_healed,
                "auto_recovery_rate": k.auto_recovery_rate,
                "detection_time_s": _seconds(k.detection_time),
                "repair_time_s": _seconds(k.repair_time),
                "mttr_s": _seconds(k.mttr),
                "false_positive_rate": k.false_positive_rate,
                "false_positive_window_s": k.window.total_seconds(),
            },
            "breakers": [b.to_dict() for b in k.breakers],
            "detectors": [d.to_dict() for d in self.detectors],
            "awaiting_approval": [r.to_dict() for r in self.awaiting],
            "recent_runs": [r.to_dict() for r in self.recent],
        }


def healing_status(
    store: Store,
    settings: Settings,
    *,
    period: timedelta = DEFAULT_PERIOD,
    now: datetime | None = None,
    recent: int = RECENT_RUNS,
) -> HealingStatus:
    """Self-healing over the last ``period``, read from the store and the checks file."""
    now = now or datetime.now(UTC)
    since = now - period
    config, error = _checks(settings)
    paused, by = runs.healing_paused(store)
    return HealingStatus(
        kpis=healing_kpis(store, store.list_occurrences(since=since), since=since,
                          checks=config),
        since=since,
        detectors=tuple(states.detector_states_of(store, settings.scope)),
        awaiting=tuple(runs.list_runs(store, status=AWAITING_APPROVAL)),
        recent=tuple(runs.list_runs(store, limit=recent)),
        mode=settings.healing,
        paused_by=by if paused else None,
        checks_path=config.path if config else None,
        checks_error=error,
    )


def _checks(settings: Settings) -> tuple[ChecksConfig | None, str | None]:
    """The checks file, or why it does not read (a page and /metrics still answer)."""
    try:
        path = checks_config.optional_checks_file(settings)
        return (checks_config.read_checks_file(path) if path else None), None
    except ConfigError as error:
        return None, error.message


def _seconds(value: timedelta | None) -> float | None:
    return value.total_seconds() if value is not None else None
