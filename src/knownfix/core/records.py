"""The records every layer shares: known issues, excerpts, signatures, triage decisions, matches.

Plain dataclasses with ``to_dict`` / ``from_dict`` so that storage, CLI and HTTP speak the same
shape (DESIGN §3 and §6). Field names here are the public contract: extend, never rename.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: a file path (as imported) and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRef:
        return cls(path=str(data["path"]), line=int(data["line"]))


@dataclass(slots=True)
class SignatureRules:
    """Explicit match rules of a known issue: literal substrings and linear-time regexes."""

    contains: list[str] = field(default_factory=list)
    regex: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.contains or self.regex)

    def to_dict(self) -> dict[str, Any]:
        return {"contains": list(self.contains), "regex": list(self.regex)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SignatureRules:
        data = data or {}
        return cls(
            contains=[str(x) for x in data.get("contains") or []],
            regex=[str(x) for x in data.get("regex") or []],
        )


@dataclass(slots=True)
class KnownIssue:
    """One documented failure and its proven fix.

    ``resolution`` is the fix as readable text (numbered steps joined by newlines) so that a
    substring check reads naturally; ``resolution_steps`` keeps the steps apart. ``commands`` and
    ``verification`` hold copy-pastable commands, one per item. ``extra`` keeps labelled fields
    that have no column of their own (Context, Impact, Follow-up ...): nothing a doc says is lost.
    """

    id: str
    title: str
    symptoms: list[str] = field(default_factory=list)
    signature: SignatureRules = field(default_factory=SignatureRules)
    root_cause: str = ""
    resolution: str = ""
    resolution_steps: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    verification: list[str] = field(default_factory=list)
    prevention: str = ""
    category: str | None = None
    severity: str | None = None
    status: str | None = None
    self_healing: str | None = None
    response_time: str | None = None
    escalation: str | None = None
    tags: list[str] = field(default_factory=list)
    source: SourceRef | None = None
    updated_at: datetime | None = None
    retired: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "symptoms": list(self.symptoms),
            "signature": self.signature.to_dict(),
            "root_cause": self.root_cause,
            "resolution": self.resolution,
            "resolution_steps": list(self.resolution_steps),
            "commands": list(self.commands),
            "verification": list(self.verification),
            "prevention": self.prevention,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "self_healing": self.self_healing,
            "response_time": self.response_time,
            "escalation": self.escalation,
            "tags": list(self.tags),
            "source": self.source.to_dict() if self.source else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "retired": self.retired,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnownIssue:
        source = data.get("source")
        updated = data.get("updated_at")
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            symptoms=[str(x) for x in data.get("symptoms") or []],
            signature=SignatureRules.from_dict(data.get("signature")),
            root_cause=str(data.get("root_cause") or ""),
            resolution=str(data.get("resolution") or ""),
            resolution_steps=[str(x) for x in data.get("resolution_steps") or []],
            commands=[str(x) for x in data.get("commands") or []],
            verification=[str(x) for x in data.get("verification") or []],
            prevention=str(data.get("prevention") or ""),
            category=data.get("category"),
            severity=data.get("severity"),
            status=data.get("status"),
            self_healing=data.get("self_healing"),
            response_time=data.get("response_time"),
            escalation=data.get("escalation"),
            tags=[str(x) for x in data.get("tags") or []],
            source=SourceRef.from_dict(source) if source else None,
            updated_at=datetime.fromisoformat(updated) if updated else None,
            retired=bool(data.get("retired", False)),
            extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A part of a document the importer did not turn into a known issue, and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class PolicyRow:
    """One row of a runbook's response matrix: a failure type and how to respond to it."""

    failure_type: str
    severity: str | None
    response_time: str | None
    escalation: str | None
    source: SourceRef | None = None


@dataclass(slots=True)
class ParsedDocument:
    """What the importer read from one Markdown document."""

    path: str
    shape: str
    issues: list[KnownIssue] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    policy_rows: list[PolicyRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The lines of a log that explain its failure: 1-based inclusive spans and their text."""

    spans: tuple[tuple[int, int], ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"spans": [[a, b] for a, b in self.spans], "text": self.text}

    def line_numbers(self) -> tuple[int, ...] | None:
        """The log line of each excerpt line, so reasons can cite the log; ``None`` when the
        text's lines do not map one to one onto the spans (a JUnit report's message)."""
        numbers = tuple(n for first, last in self.spans for n in range(first, last + 1))
        return numbers if len(numbers) == self.text.count("\n") + 1 else None


def cite_line(number: int, line_numbers: Sequence[int] | None) -> str:
    """Name excerpt line ``number`` (1-based) in a reason: its log line when the mapping is known
    (``Excerpt.line_numbers()``), else its place in the excerpt."""
    if line_numbers is not None and 0 < number <= len(line_numbers):
        return f"log line {line_numbers[number - 1]}"
    return f"excerpt line {number}"


@dataclass(frozen=True, slots=True)
class Signature:
    """The normalized failure: a human title, strict and loose fingerprints, and why."""

    title: str
    fingerprint: str
    loose_fingerprint: str
    version: str
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "fingerprint": self.fingerprint,
            "loose_fingerprint": self.loose_fingerprint,
            "version": self.version,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class TriageDecision:
    """Category, severity, response time and escalation chosen by the policy, and which rule."""

    category: str
    severity: str
    response_time: str | None = None
    escalation: str | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "severity": self.severity,
            "response_time": self.response_time,
            "escalation": self.escalation,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Match:
    """A ranked candidate known issue with a score in [0, 1] and the reasons for it."""

    id: str
    title: str
    score: float
    reasons: tuple[str, ...]
    resolution: str
    verification: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "resolution": self.resolution,
            "verification": list(self.verification),
        }


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


HIGHLIGHT = "**"
"""Marks around the matched words of a search snippet, on both sides (Markdown bold)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result: score in [0, 1], snippet with matches marked ``**like this**``."""

    issue_id: str
    title: str
    score: float
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.issue_id,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }


@dataclass(frozen=True, slots=True)
class IncidentRef:
    """The incident an occurrence was recorded in, as triage output shows it."""

    id: str
    new: bool
    count: int
    known_issue_id: str | None = None  # the incident's link (not part of the JSON contract)
    reopened: bool = False  # this occurrence reopened a resolved incident (not in the JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "new": self.new, "count": self.count}


@dataclass(frozen=True, slots=True)
class TriageResult:
    """Everything triage found for one input."""

    source: str
    excerpt: Excerpt
    signature: Signature
    decision: TriageDecision
    known: bool
    matches: tuple[Match, ...]
    incident: IncidentRef | None = None

    @property
    def top(self) -> Match | None:
        """The best candidate known issue, if any."""
        return self.matches[0] if self.matches else None

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN §6 JSON object (the signature carries its loose hash and reasons too)."""
        d = self.decision
        return {
            "source": self.source,
            "excerpt": self.excerpt.to_dict(),
            "signature": self.signature.to_dict(),
            "triage": {
                "category": d.category,
                "severity": d.severity,
                "response_time": d.response_time,
                "escalation": d.escalation,
            },
            "known": self.known,
            "matches": [match.to_dict() for match in self.matches],
            "incident": self.incident.to_dict() if self.incident else None,
        }


def triage_result_from_dict(data: Mapping[str, Any]) -> TriageResult:
    """The :class:`TriageResult` a :meth:`TriageResult.to_dict` object describes (the JSON a
    knownfix service answers), so it renders like a local one."""
    excerpt, signature, decision = data["excerpt"], data["signature"], data["triage"]
    incident = data.get("incident")
    return TriageResult(
        source=str(data["source"]),
        excerpt=Excerpt(
            spans=tuple((int(a), int(b)) for a, b in excerpt["spans"]), text=str(excerpt["text"])
        ),
        signature=Signature(
            title=str(signature["title"]),
            fingerprint=str(signature["fingerprint"]),
            loose_fingerprint=str(signature.get("loose_fingerprint", signature["fingerprint"])),
            version=str(signature["version"]),
            reasons=tuple(str(r) for r in signature.get("reasons", ())),
        ),
        decision=TriageDecision(
            category=str(decision["category"]),
            severity=str(decision["severity"]),
            response_time=decision.get("response_time"),
            escalation=decision.get("escalation"),
        ),
        known=bool(data["known"]),
        matches=tuple(
            Match(
                id=str(m["id"]),
                title=str(m["title"]),
                score=float(m["score"]),
                reasons=tuple(str(r) for r in m.get("reasons", ())),
                resolution=str(m.get("resolution", "")),
                verification=tuple(str(v) for v in m.get("verification", ())),
            )
            for m in data.get("matches", ())
        ),
        incident=None if incident is None else IncidentRef(
            str(incident["id"]), bool(incident["new"]), int(incident["count"])
        ),
    )
