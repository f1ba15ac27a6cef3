"""Records of incidents: the live record of one failure and each occurrence it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from knownfix.core.records.triage import Excerpt

INCIDENT_STATUSES = ("open", "investigating", "mitigated", "resolved")


@dataclass(slots=True)
class Incident:
    """The live record of one failure (one loose fingerprint, or several merged by hand)."""

    id: str  # display id by severity: CRIT-001, HIGH-004, MED-002 ...
    title: str
    status: str  # one of INCIDENT_STATUSES
    severity: str
    category: str
    fingerprint: str  # the loose fingerprint that opened it
    count: int
    first_seen: datetime
    last_seen: datetime
    sla_due_at: datetime | None = None
    response_time: str | None = None
    escalation: str | None = None
    known_issue_id: str | None = None
    merged_into: str | None = None
    resolved_at: datetime | None = None
    reopened: int = 0
    scope: str = ""  # a repository or service whose incidents are kept apart ("" = shared)

    def to_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "severity": self.severity,
            "category": self.category,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "sla_due_at": iso(self.sla_due_at),
            "response_time": self.response_time,
            "escalation": self.escalation,
            "known_issue_id": self.known_issue_id,
            "merged_into": self.merged_into,
            "resolved_at": iso(self.resolved_at),
            "reopened": self.reopened,
            "scope": self.scope,
        }


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One received failure: where it came from, when, and its redacted excerpt."""

    incident_id: str
    source: str
    received_at: datetime
    fingerprint: str  # strict fingerprint of this occurrence
    excerpt_text: str
    idempotency_key: str | None = None
    spans: tuple[tuple[int, int], ...] = ()  # the log lines the excerpt holds (1-based)

    def excerpt(self) -> Excerpt:
        """The excerpt as triage found it: its text and the log lines it came from."""
        return Excerpt(spans=self.spans, text=self.excerpt_text)
