"""Records of one triage: the excerpt, its signature, the policy's decision, the matches, the
incident it was recorded in, and the result that holds them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Outcome = Literal["failed", "passed", "empty"]
"""How the job of a log ended: it failed, it passed (no failure found), or the log is empty."""


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
    outcome: Outcome = "failed"

    @property
    def failed(self) -> bool:
        """True when the log shows a failure (not a passing run, not an empty log)."""
        return self.outcome == "failed"

    @property
    def top(self) -> Match | None:
        """The best candidate known issue, if any."""
        return self.matches[0] if self.matches else None

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN §6 JSON object (the signature carries its loose hash and reasons too)."""
        d = self.decision
        return {
            "source": self.source,
            "outcome": self.outcome,
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
