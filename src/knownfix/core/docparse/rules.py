"""Field labels as data: which words, written by teams, name which part of a known issue.

Ordered, matched on the whole normalized label, compiled once. Labels that match no rule are kept
under ``extra`` with the label as written, so nothing a document says is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Issue content.
SYMPTOMS = "symptoms"
SUMMARY = "summary"
CONTEXT = "context"
ROOT_CAUSE = "root_cause"
RESOLUTION = "resolution"
MITIGATION = "mitigation"
COMMANDS = "commands"
DIAGNOSIS = "diagnosis"
VERIFICATION = "verification"
EXPECTED = "expected"
PREVENTION = "prevention"
IMPACT = "impact"
SIGNATURE = "signature"
# Metadata.
SEVERITY = "severity"
STATUS = "status"
CATEGORY = "category"
TAGS = "tags"
RESPONSE_TIME = "response_time"
ESCALATION = "escalation"
SELF_HEALING = "self_healing"
RESOLUTION_TIME = "resolution_time"


@dataclass(frozen=True)
class FieldRule:
    """A field key and the labels (normalized: lower case, "&" → "and") that name it."""

    key: str
    pattern: re.Pattern[str]


def _rule(key: str, pattern: str) -> FieldRule:
    return FieldRule(key=key, pattern=re.compile(pattern))


FIELD_RULES: tuple[FieldRule, ...] = (
    _rule(RESOLUTION_TIME, r"(resolution|fix) time|time to (fix|resolve|resolution)"),
    _rule(RESPONSE_TIME, r"response time|response sla|sla"),
    _rule(SELF_HEALING, r"self[- ]?healing( status)?|auto[- ]?heal(ing)?"),
    _rule(
        SYMPTOMS,
        r"symptoms?( and (observed )?behaviou?r)?|observed behaviou?r|problems?|errors?"
        r"|error (messages?|output)|what you see|signs?|failure messages?|indicators?"
        r"|(alert )?messages?",
    ),
    _rule(SUMMARY, r"(issue |incident |alert )?summary|description|overview|what happened"
                   r"|meaning|what (it|this( alert)?) means|what does (it|this( alert)?) mean"),
    _rule(CONTEXT, r"context( / when it occurred)?|when it occurred|background|trigger(ed by)?"
                   r"|(steps|how) to reproduce( (it|the (issue|problem|error)))?|reproduction"
                   r"( steps)?|to reproduce"),
    _rule(ROOT_CAUSE, r"(root )?causes?( analysis)?|rca|why (it|this) (happens|happened|fires)"
                      r"|(possible|likely|common|probable|potential) (root )?causes?"),
    _rule(
        RESOLUTION,
        r"resolution( / fix applied| steps| actions)?|fix( applied)?|fixes|common fixes"
        r"|solution( implemented)?|solutions|remediation( steps)?|how to (fix|resolve|remediate)"
        r"|resolved by|steps to (fix|resolve)|what to do|fixing (it|this)|actions?"
        r"|suggested actions?|recommended actions?",
    ),
    _rule(MITIGATION, r"mitigations?|workarounds?|temporary fix|immediate actions?"),
    # Not "CLI": a category heading of many docs (``## CLI``), not a list of commands.
    _rule(COMMANDS, r"commands?( snippets?)?|useful commands"),
    _rule(
        DIAGNOSIS,
        r"diagnosis( steps)?|diagnostic steps|investigation|debugging( steps)?|how to diagnose"
        r"|troubleshooting steps|how to (investigate|debug|troubleshoot)|investigation steps"
        r"|investigate|triage steps",
    ),
    _rule(VERIFICATION, r"verification( commands| steps)?|verify|how to verify|validation steps"),
    _rule(EXPECTED, r"expected (behaviou?r|result|outcome)"),
    _rule(
        PREVENTION,
        r"prevention|preventi?ve measures( or lessons learned)?|lessons learned|follow[- ]?ups?"
        r"|how to prevent|regression tests?",
    ),
    _rule(IMPACT, r"impact( radius)?|blast radius"),
    _rule(SIGNATURE, r"signature|match(ing)? rules?"),
    _rule(SEVERITY, r"severity|priority"),
    _rule(STATUS, r"status|state"),
    _rule(CATEGORY, r"category|failure type"),
    _rule(TAGS, r"tags|labels|keywords"),
    _rule(ESCALATION, r"escalation( path)?|escalate to"),
)

# Fields that make a section an issue (metadata alone does not).
ISSUE_KEYS = frozenset(
    {SYMPTOMS, SUMMARY, CONTEXT, ROOT_CAUSE, RESOLUTION, MITIGATION, COMMANDS, DIAGNOSIS,
     VERIFICATION, EXPECTED, PREVENTION, IMPACT}
)
# At least one of these: a symptom, a cause or a fix.
CORE_KEYS = frozenset({SYMPTOMS, ROOT_CAUSE, RESOLUTION, MITIGATION})

_NORMALIZE = re.compile(r"[^a-z0-9/ -]+")
_SPACES = re.compile(r"\s+")


def normalize_label(label: str) -> str:
    """"Symptoms & Observed Behavior:" → "symptoms and observed behavior"."""
    text = label.lower().replace("&", " and ").replace("_", " ")
    text = _NORMALIZE.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" -/")


def field_key(label: str) -> str | None:
    """The field a label names, or None for a label of its own (kept under ``extra``)."""
    normalized = normalize_label(label)
    for rule in FIELD_RULES:
        if rule.pattern.fullmatch(normalized):
            return rule.key
    return None
