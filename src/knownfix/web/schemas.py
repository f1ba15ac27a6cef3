"""The shapes of the JSON API, for its OpenAPI document and for checking input.

Output objects are built by the services (``to_dict``) and documented here; input objects are
validated here before a service sees them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class EventIn(_Open):
    """A structured event (``application/json``): the log is ``log``, or ``message`` and
    ``stack_trace``. Unknown fields are ignored."""

    source: str | None = Field(None, max_length=1000, description="Where it failed.")
    log: str | None = Field(None, description="The raw log text.")
    message: str | None = Field(None, description="An error message (when there is no log).")
    stack_trace: str | None = Field(None, description="The stack trace under the message.")
    service: str | None = Field(None, max_length=200)
    trace_id: str | None = Field(
        None, max_length=200, description="Posts with one trace id make one event.")
    scope: str | None = Field(None, max_length=200,
                              description="Keeps this project's incidents apart.")
    tags: dict[str, str] | list[str] | None = Field(
        None, description="Facts policy rules can test (hints): {key: value} or [key=value].")


class AcceptedOut(BaseModel):
    id: str
    status: Literal["pending", "done", "failed"]
    duplicate: bool


class ExcerptOut(_Open):
    spans: list[list[int]]
    text: str


class SignatureOut(_Open):
    title: str
    fingerprint: str
    version: str


class DecisionOut(_Open):
    category: str
    severity: str
    response_time: str | None
    escalation: str | None


class MatchOut(_Open):
    id: str
    title: str
    score: float
    reasons: list[str]
    resolution: str
    verification: list[str]


class IncidentRefOut(_Open):
    id: str
    new: bool
    count: int


class TriageOut(_Open):
    """What ``knownfix triage --json`` prints for one log."""

    source: str
    excerpt: ExcerptOut
    signature: SignatureOut
    triage: DecisionOut
    known: bool
    matches: list[MatchOut]
    incident: IncidentRefOut | None


class EventOut(_Open):
    id: str
    status: Literal["pending", "done", "failed"]
    kind: Literal["log", "junit", "json"]
    source: str
    scope: str
    service: str | None
    trace_id: str | None
    received_at: str
    finished_at: str | None
    attempts: int
    incident_id: str | None
    result: TriageOut | None = Field(description="Once done: the triage of the event.")
    error: str | None = Field(description="Once failed: why.")


class IncidentOut(_Open):
    id: str
    title: str
    status: str
    severity: str
    category: str
    fingerprint: str
    count: int
    first_seen: str
    last_seen: str
    sla_due_at: str | None
    response_time: str | None
    escalation: str | None
    known_issue_id: str | None
    merged_into: str | None
    resolved_at: str | None
    reopened: int
    scope: str


class IncidentDetailOut(IncidentOut):
    occurrences: list[dict[str, object]]
    events: list[dict[str, object]]


class IncidentPatch(BaseModel):
    """A change to an incident: its status, and/or its known issue (``-`` unlinks)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["open", "investigating", "mitigated", "resolved"] | None = None
    note: str | None = Field(None, max_length=2000)
    known_issue: str | None = Field(None, min_length=1, max_length=200)


class KnownIssueOut(_Open):
    id: str
    title: str


class SearchHitOut(_Open):
    id: str
    title: str
    score: float
    snippet: str


class CheckOut(BaseModel):
    ok: bool
    latency_ms: float | None = None
    error: str | None = None


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    mode: Literal["embedded", "distributed"]
    checks: dict[str, CheckOut]
