"""Records of the knowledge base: known issues, where they come from, what an import skipped,
policy rows, parsed documents and search hits."""

from __future__ import annotations

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
