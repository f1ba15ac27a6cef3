"""Prometheus metrics of the service, shared by the API and the workers.

Counters and the latency histogram are created once per process (:func:`metrics`) in the
default registry; with ``PROMETHEUS_MULTIPROC_DIR`` set, prometheus-client keeps them in files
there and ``/metrics`` adds up every process on the machine (API workers, Celery children).
Gauges that describe the store — incidents open by severity, events by status — are read from
the store at scrape time (:class:`StoreCollector`), so every API process reports the same
numbers whichever machine wrote them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

    from knownfix.storage.repository import Store

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(frozen=True, slots=True)
class Metrics:
    events_received: Counter
    events_duplicate: Counter
    events_analysed: Counter
    triage_seconds: Histogram
    worker_failures: Counter
    notifications: Counter


_lock = threading.Lock()
_metrics: Metrics | None = None


def metrics() -> Metrics:
    """This process's metric objects, created on first use (never at import)."""
    global _metrics
    with _lock:
        if _metrics is None:
            _metrics = Metrics(
                events_received=Counter(
                    "knownfix_events_received", "Events accepted by the API (new ones).",
                    ["kind"]),
                events_duplicate=Counter(
                    "knownfix_events_duplicate", "Posts answered with an earlier event."),
                events_analysed=Counter(
                    "knownfix_events_analysed", "Events analysed, by outcome.", ["outcome"]),
                triage_seconds=Histogram(
                    "knownfix_triage_seconds", "Time to triage and record one event.",
                    buckets=LATENCY_BUCKETS),
                worker_failures=Counter(
                    "knownfix_worker_failures",
                    "Analyses that ended in an error (store down, unexpected error)."),
                notifications=Counter(
                    "knownfix_notifications", "Notifications, by outcome.", ["outcome"]),
            )
        return _metrics


class StoreCollector(Collector):
    """Gauges read at scrape time: incidents open by severity, events by status, queue depth."""

    def __init__(self, store: Store, queue_depth: Callable[[], int | None],
                 extra: Iterable[Collector] = ()) -> None:
        self.store = store
        self.queue_depth = queue_depth
        self.extra = tuple(extra)  # more store gauges (self-healing's)

    def collect(self) -> Iterator[Metric]:
        from sqlalchemy import func, select

        from knownfix.storage.events import count_events
        from knownfix.storage.incident_tables import incidents

        open_by_severity = GaugeMetricFamily(
            "knownfix_incidents_open", "Incidents not resolved (merged ones excluded).",
            labels=["severity"])
        statement = (
            select(incidents.c.severity, func.count())
            .where(incidents.c.status != "resolved", incidents.c.merged_into.is_(None))
            .group_by(incidents.c.severity)
        )
        with self.store.read() as conn:
            for severity, count in conn.execute(statement):
                open_by_severity.add_metric([str(severity)], int(count))
        yield open_by_severity
        by_status = GaugeMetricFamily("knownfix_events", "Stored events by status.",
                                      labels=["status"])
        for status, count in sorted(count_events(self.store).items()):
            by_status.add_metric([status], count)
        yield by_status
        depth = self.queue_depth()
        if depth is not None:
            yield GaugeMetricFamily("knownfix_queue_depth",
                                    "Events waiting in the analysis queue (broker or in-process).",
                                    value=depth)
        for collector in self.extra:
            yield from collector.collect()


def exposition(store_collector: Collector | None) -> bytes:
    """The text of ``/metrics``: this machine's processes plus the store's gauges."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    if store_collector is not None:
        scraped = CollectorRegistry()
        scraped.register(store_collector)
        text += generate_latest(scraped)
    return text


def mark_process_dead(pid: int) -> None:
    """Tell multiprocess metrics that a worker process ended (its live gauges go away)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def serve_metrics(port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - a scrape target
    """Serve this machine's process metrics on ``port`` from a thread (``knownfix worker``)."""
    from prometheus_client import start_http_server

    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        start_http_server(port, addr=host, registry=registry)
    else:
        start_http_server(port, addr=host)
