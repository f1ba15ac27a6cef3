"""The records every layer shares: known issues, excerpts, signatures, triage decisions, matches.

Plain dataclasses with ``to_dict`` / ``from_dict`` so that storage, CLI and HTTP speak the same
shape (DESIGN §3 and §6). Field names here are the public contract: extend, never rename.
"""

from knownfix.core.records.incidents import INCIDENT_STATUSES, Incident, Occurrence
from knownfix.core.records.knowledge import (
    HIGHLIGHT,
    KnownIssue,
    ParsedDocument,
    PolicyRow,
    SearchHit,
    SignatureRules,
    Skipped,
    SourceRef,
)
from knownfix.core.records.triage import (
    Excerpt,
    IncidentRef,
    Match,
    Outcome,
    Signature,
    TriageDecision,
    TriageResult,
    cite_line,
    triage_result_from_dict,
)

__all__ = [
    "HIGHLIGHT", "INCIDENT_STATUSES", "Excerpt", "Incident", "IncidentRef", "KnownIssue", "Match",
    "Occurrence", "Outcome", "ParsedDocument", "PolicyRow", "SearchHit", "Signature",
    "SignatureRules", "Skipped", "SourceRef", "TriageDecision", "TriageResult", "cite_line",
    "triage_result_from_dict",
]
