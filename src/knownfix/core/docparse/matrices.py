"""The tables among a section's unlabelled blocks: an issue status matrix or an error table
(rows that are issues), a response matrix (rows that are triage policy), or neither (left in
the section's text). Split from ``reader``, which keeps what they give."""

from __future__ import annotations

from dataclasses import dataclass, field

from knownfix.core.docparse.assemble import Draft
from knownfix.core.docparse.blocks import Block, Table
from knownfix.core.docparse.shapes.error_table import is_error_table, read_error_table
from knownfix.core.docparse.shapes.runbook import read_response_matrix
from knownfix.core.docparse.shapes.status_report import read_status_matrix
from knownfix.core.docparse.tables import classify
from knownfix.core.records import PolicyRow


@dataclass
class Matrices:
    """What a section's tables gave, and the blocks left for its text."""

    loose: list[Block] = field(default_factory=list)
    other: list[list[str]] = field(default_factory=list)  # titles of tables that are neither
    drafts: list[Draft] = field(default_factory=list)
    policy_rows: list[PolicyRow] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    note: str = ""  # what a response matrix was read as


def read_matrices(blocks: list[Block], path: str) -> Matrices:
    """Read the matrices among a section's unlabelled blocks; keep the rest as ``loose``."""
    out = Matrices()
    for block in blocks:
        if not isinstance(block, Table):
            out.loose.append(block)
            continue
        kind, columns, titles = classify(block)
        problems: list[tuple[int, str]] = []
        if kind == "status-matrix":
            drafts, problems = read_status_matrix(block, columns, titles)
            out.drafts.extend(drafts)
        elif kind == "other" and is_error_table(columns):
            drafts, problems = read_error_table(block, columns, titles)
            out.drafts.extend(drafts)
        elif kind == "response-matrix":
            rows, problems = read_response_matrix(block, columns, path)
            out.policy_rows.extend(rows)
            out.note = f"a response matrix, read as {len(rows)} triage policy rows"
        else:
            out.other.append(titles)
            out.loose.append(block)
        out.notes.extend(problems)
    return out
