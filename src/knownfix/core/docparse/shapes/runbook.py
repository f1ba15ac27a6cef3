"""Triage runbooks: a response matrix (failure type → severity, response time, escalation) that
becomes policy rows, and ``### X Issues`` guides that join the row they are about.

The join is by shared words: "Drift Detection" ↔ "Drift Issues", "Security/Supply Chain" ↔
"Security Issues". Generic words (issues, failures …) do not count, and a tie joins nothing: a
guide with no clear row keeps only what it says itself.
"""

from __future__ import annotations

import re

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import Draft
from knownfix.core.docparse.blocks import Table
from knownfix.core.docparse.cleanup import clean_word_value, collapse_spaces, strip_decoration
from knownfix.core.docparse.tables import FAILURE_COLUMNS, cell_text, find, row_problem
from knownfix.core.records import PolicyRow, SourceRef

SHAPE = "triage-runbook"

_WORD = re.compile(r"[a-z0-9]+")
_GENERIC = frozenset({"issue", "issues", "problem", "problems", "failure", "failures", "error",
                      "errors", "and", "or", "the", "of", "a", "an", "in", "on", "for", "to",
                      "guide", "troubleshooting", "general", "other"})


def read_response_matrix(
    table: Table, columns: list[str], path: str
) -> tuple[list[PolicyRow], list[tuple[int, str]]]:
    """The policy rows of a response matrix, and problems with rows that did not fit."""
    rows: list[PolicyRow] = []
    problems: list[tuple[int, str]] = []
    failure_col = find(columns, FAILURE_COLUMNS)
    severity = find(columns, frozenset({"severity"}))
    response = find(columns, frozenset({"response time", "response sla"}))
    escalation = find(columns, frozenset({"escalation"}))
    for row in table.rows:
        problem = row_problem(row, len(columns))
        if problem:
            problems.append((row.line, problem))
        failure = collapse_spaces(strip_decoration(cell_text(row, failure_col)))
        if not failure:
            problems.append((row.line, "response matrix row has no failure type; skipped"))
            continue
        rows.append(
            PolicyRow(
                failure_type=failure,
                severity=clean_word_value(cell_text(row, severity)) or None,
                response_time=cell_text(row, response) or None,
                escalation=cell_text(row, escalation) or None,
                source=SourceRef(path=path, line=row.line),
            )
        )
    return rows, problems


def _stem(word: str) -> str:
    for suffix in ("ation", "ition", "ing", "ity", "ion", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def topic_words(text: str) -> set[str]:
    """The words that say what a failure is about, stemmed: "Drift Detection" → {drift, detect}."""
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _GENERIC}


def best_row(title: str, rows: list[PolicyRow]) -> PolicyRow | None:
    """The one row sharing the most topic words with ``title``; None on no overlap or a tie."""
    words = topic_words(title)
    scored = sorted(
        ((len(words & topic_words(row.failure_type)), i) for i, row in enumerate(rows)),
        reverse=True,
    )
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return rows[scored[0][1]]


def join_policy(draft: Draft, rows: list[PolicyRow]) -> None:
    """Set a guide's severity, response time, escalation and category from its matrix row.

    The matrix is the team's policy, so it wins; what the guide said differently is kept under
    ``extra`` (e.g. "Escalation: Security team immediately for critical vulnerabilities").
    """
    row = best_row(draft.title, rows)
    if row is None:
        return
    for key, label, value in (
        (r.SEVERITY, "Severity", row.severity),
        (r.RESPONSE_TIME, "Response Time", row.response_time),
        (r.ESCALATION, "Escalation", row.escalation),
        (r.CATEGORY, "Category", row.failure_type),
    ):
        if not value:
            continue
        own = draft.meta.get(key)
        if own and own != value:
            draft.add_extra(label, own)
        draft.meta[key] = value
