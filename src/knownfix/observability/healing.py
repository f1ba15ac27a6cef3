"""Self-healing in ``/metrics``: gauges read from the store at scrape time (so every process
reports the same numbers), over the last 30 days like the dashboard's page.

    knownfix_playbook_runs{status}                     runs by status
    knownfix_playbook_runs_awaiting_approval           runs waiting for a writer
    knownfix_playbook_breaker_open{playbook}           1 while open or half-open, else 0
    knownfix_playbook_breaker_failures{playbook}       consecutive failed runs
    knownfix_detector_up{detector,kind}                1 when its last check passed
    knownfix_healing_auto_recovery_ratio               healed / attempted incidents (0–1)
    knownfix_healing_false_positive_ratio              self-heals that did not hold (0–1)
    knownfix_healing_detection_seconds                 median detection time
    knownfix_healing_repair_seconds                    median repair time
    knownfix_healing_mttr_seconds                      mean time to a self-heal
    knownfix_healing_enabled                           0 when KNOWNFIX_HEALING=off or paused
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from knownfix.services.healing_status import healing_status

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

    from knownfix.settings import Settings
    from knownfix.storage.repository import Store


class HealingCollector(Collector):
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        status = healing_status(self.store, self.settings, recent=0)
        k = status.kpis
        by_status = GaugeMetricFamily("knownfix_playbook_runs",
                                      "Playbook runs of the last 30 days, by status.",
                                      labels=["status"])
        for name, count in k.status_counts:
            by_status.add_metric([name], count)
        yield by_status
        yield GaugeMetricFamily("knownfix_playbook_runs_awaiting_approval",
                                "Playbook runs waiting for a writer's approval.",
                                value=len(status.awaiting))
        opened = GaugeMetricFamily("knownfix_playbook_breaker_open",
                                   "1 while a playbook's circuit breaker is open or half-open.",
                                   labels=["playbook"])
        failures = GaugeMetricFamily("knownfix_playbook_breaker_failures",
                                     "Consecutive failed runs of a playbook.",
                                     labels=["playbook"])
        for breaker in k.breakers:
            opened.add_metric([breaker.playbook], 0 if breaker.state == "closed" else 1)
            failures.add_metric([breaker.playbook], breaker.failures)
        yield opened
        yield failures
        up = GaugeMetricFamily("knownfix_detector_up", "1 when a detector's last check passed.",
                               labels=["detector", "kind"])
        for detector in status.detectors:
            up.add_metric([detector.name, detector.kind], 1 if detector.ok else 0)
        yield up
        ratios = (("auto_recovery_ratio", k.auto_recovery_rate,
                   "Incidents healed by their latest run / incidents a playbook ran for."),
                  ("false_positive_ratio", k.false_positive_rate,
                   "Self-heals whose failure came back within the window / self-heals."))
        for name, percent, text in ratios:
            if percent is not None:
                yield GaugeMetricFamily(f"knownfix_healing_{name}", text, value=percent / 100)
        spans = (("detection_seconds", k.detection_time, "Median detection time."),
                 ("repair_seconds", k.repair_time, "Median time from a run's start to its "
                  "passed verification."),
                 ("mttr_seconds", k.mttr, "Mean time from detection to a verified self-heal."))
        for name, span, text in spans:
            if span is not None:
                yield GaugeMetricFamily(f"knownfix_healing_{name}", text,
                                        value=span.total_seconds())
        enabled = status.mode != "off" and status.paused_by is None
        yield GaugeMetricFamily("knownfix_healing_enabled",
                                "0 when healing is off (KNOWNFIX_HEALING=off) or paused.",
                                value=1 if enabled else 0)
