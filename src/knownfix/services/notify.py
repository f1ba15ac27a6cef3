"""Notifications of incidents to the team's channels, through apprise URLs.

Sent when an incident opens, when a resolved one reopens, when one is past its SLA due time,
and when a playbook run failed to heal it (self-healing escalates). The targets are
``KNOWNFIX_NOTIFY_URLS`` (every notification) plus any apprise URL the policy's
``escalation`` holds for that incident (``escalation: "Platform json://ops/hook"``:
words with ``://`` are URLs, the rest is the team's name). An escalation URL is shown wherever
the triage decision is (CLI output, the API), so put secret webhooks in
``KNOWNFIX_NOTIFY_URLS`` rather than in a shared policy.

Never blocking: :meth:`Notifier.incident_changed` only puts a note on a bounded queue; a
thread sends. Each notification is claimed in the store first (``notifications.key`` is
unique), so of several workers one sends it; each target gets at most
``KNOWNFIX_NOTIFY_PER_MINUTE`` a minute and the rest are dropped (and counted).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from knownfix.core.records import Incident, TriageResult
from knownfix.errors import KnownfixError
from knownfix.storage.notifications import claim_notification, record_sent

if TYPE_CHECKING:
    from knownfix.settings import Settings
    from knownfix.storage.repository import Store

log = logging.getLogger("knownfix.notify")

QUEUE_SIZE = 1000
OPENED, REOPENED, SLA_BREACHED = "opened", "reopened", "sla_breached"
HEALING_FAILED = "healing_failed"
_ACTIVE = ("open", "investigating")

Sender = Callable[[Sequence[str], str, str], int]
"""``send(urls, title, body)`` → how many of the URLs took it."""


@dataclass(frozen=True, slots=True)
class Note:
    """One notification to send."""

    key: str  # unique: the same key is sent once
    kind: str
    incident: Incident
    detail: str = ""  # why, when the kind needs saying more (a failed healing run)

    @property
    def title(self) -> str:
        what = {OPENED: "New incident", REOPENED: "Incident reopened",
                SLA_BREACHED: "SLA breached", HEALING_FAILED: "Self-healing failed"}[self.kind]
        return f"[knownfix] {what} {self.incident.id}: {self.incident.title}"[:250]

    @property
    def body(self) -> str:
        inc = self.incident
        lines = [
            f"{inc.id} {inc.title}",
            f"severity: {inc.severity} · category: {inc.category} · status: {inc.status}",
            f"seen {inc.count} time(s), last at {inc.last_seen.isoformat()}",
        ]
        if inc.scope:
            lines.append(f"scope: {inc.scope}")
        if inc.sla_due_at is not None:
            lines.append(f"response due: {inc.sla_due_at.isoformat()}")
        if inc.known_issue_id:
            lines.append(f"known issue: {inc.known_issue_id}")
        if inc.escalation:
            lines.append(f"escalation: {_team(inc.escalation) or '-'}")
        if self.detail:
            lines.append(self.detail)
        return "\n".join(lines)


def escalation_urls(escalation: str | None) -> list[str]:
    """The apprise URLs in an escalation text (its words that contain ``://``)."""
    if not escalation:
        return []
    words = escalation.replace(",", " ").split()
    return [word for word in words if "://" in word]


def _team(escalation: str) -> str:
    words = escalation.replace(",", " ").split()
    return " ".join(word for word in words if "://" not in word)


def apprise_send(urls: Sequence[str], title: str, body: str) -> int:
    """Send through apprise; the number of URLs that accepted the notification."""
    with warnings.catch_warnings():
        # apprise loads its plugins lazily, one of them through the standard library's
        # deprecated imghdr: not our warning to show.
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise

        accepted = 0
        for url in urls:
            sender = apprise.Apprise()
            if not sender.add(url):
                log.warning("not an apprise URL: %s", url.split("://", 1)[0] + "://…")
                continue
            if sender.notify(body=body, title=title):
                accepted += 1
    return accepted


class _Buckets:
    """A token bucket per target: ``per_minute`` sends, refilled continuously."""

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        self.capacity = float(per_minute)
        self.clock = clock
        self.state: dict[str, tuple[float, float]] = {}

    def take(self, target: str) -> bool:
        now = self.clock()
        tokens, then = self.state.get(target, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.capacity / 60.0)
        allowed = tokens >= 1.0
        self.state[target] = (tokens - 1.0 if allowed else tokens, now)
        return allowed


class Notifier:
    """Queues notifications and sends them from a thread (see the module doc)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        send: Sender = apprise_send,
        clock: Callable[[], float] = time.monotonic,
        on_outcome: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.global_urls = list(settings.notify_urls)
        self.send = send
        self.buckets = _Buckets(max(1, settings.notify_per_minute), clock)
        self.on_outcome = on_outcome
        self._queue: queue.Queue[Note | None] = queue.Queue(QUEUE_SIZE)
        self._thread: threading.Thread | None = None

    def targets(self, incident: Incident) -> list[str]:
        urls = [*self.global_urls, *escalation_urls(incident.escalation)]
        return list(dict.fromkeys(urls))

    # --- producers (never block) ---------------------------------------------------------------

    def incident_changed(self, result: TriageResult) -> None:
        """After triage: a new or reopened incident is worth a notification."""
        ref = result.incident
        if ref is None or not (ref.new or ref.reopened):
            return
        if ref.new and not self.global_urls and not escalation_urls(result.decision.escalation):
            # A new incident has the escalation this triage decided: nobody to tell, and no
            # read of the incident for every new failure of a team without notifications.
            return
        try:
            incident = self.store.get_incident(ref.id)
        except KnownfixError as error:
            log.warning("cannot read %s to notify: %s", ref.id, error)
            return
        if not self.targets(incident):
            return
        if ref.new:
            self._put(Note(f"{OPENED}:{incident.id}", OPENED, incident))
        else:
            self._put(Note(f"{REOPENED}:{incident.id}:{incident.count}", REOPENED, incident))

    def healing_failed(self, incident_id: str, reason: str, run_id: int) -> None:
        """A playbook run did not heal the incident: tell its targets why (once per run)."""
        try:
            incident = self.store.get_incident(incident_id)
        except KnownfixError as error:
            log.warning("cannot read %s to notify: %s", incident_id, error)
            return
        if self.targets(incident):
            self._put(Note(f"{HEALING_FAILED}:{incident.id}:{run_id}", HEALING_FAILED,
                           incident, detail=f"playbook run {run_id}: {reason}"))

    def check_sla(self, now: datetime | None = None) -> int:
        """Queue a notification for each active incident past its SLA due time (once per due
        time); returns how many were queued."""
        now = now or datetime.now(UTC)
        queued = 0
        for status in _ACTIVE:
            for incident in self.store.list_incidents(status=status):
                due = incident.sla_due_at
                if due is None or due > now or not self.targets(incident):
                    continue
                self._put(Note(f"{SLA_BREACHED}:{incident.id}:{due.isoformat()}",
                               SLA_BREACHED, incident))
                queued += 1
        return queued

    def _put(self, note: Note) -> None:
        try:
            self._queue.put_nowait(note)
        except queue.Full:
            log.warning("notification queue full: %s dropped", note.key)
            self._count("dropped")

    # --- the sending thread ----------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="knownfix-notify",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=timeout)
            self._thread.join(timeout)
            self._thread = None

    def drain(self) -> None:
        """Send everything queued now, in the calling thread (tests, shutdown)."""
        while True:
            try:
                note = self._queue.get_nowait()
            except queue.Empty:
                return
            if note is not None:
                self.deliver(note)

    def _run(self) -> None:
        while True:
            note = self._queue.get()
            if note is None:
                return
            try:
                self.deliver(note)
            except Exception:  # a notification must never take the worker down
                log.exception("notification %s failed", note.key)
                self._count("failed")

    def deliver(self, note: Note) -> None:
        """Claim ``note`` in the store and send it to each target the rate limit allows."""
        if not claim_notification(self.store, note.key, incident_id=note.incident.id,
                                  kind=note.kind, now=datetime.now(UTC)):
            return  # another process sends it (or sent it)
        targets = self.targets(note.incident)
        allowed = [url for url in targets if self.buckets.take(url)]
        if len(allowed) < len(targets):
            self._count("rate_limited", len(targets) - len(allowed))
        sent = self.send(allowed, note.title, note.body) if allowed else 0
        error = None if sent == len(allowed) else f"{len(allowed) - sent} target(s) refused"
        record_sent(self.store, note.key, sent=sent, error=error)
        self._count("sent", sent)
        if error:
            self._count("failed", len(allowed) - sent)
        log.info("notified %s to %d of %d target(s)", note.key, sent, len(targets),
                 extra={"incident": note.incident.id, "kind": note.kind})

    def _count(self, outcome: str, n: int = 1) -> None:
        if self.on_outcome is not None:
            for _ in range(n):
                self.on_outcome(outcome)
