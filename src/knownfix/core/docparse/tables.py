"""Tables that carry issues or policy: a status matrix (one issue per row), a response matrix.

Which kind a table is depends on its header only (column names, as data below); any other table
(KPIs, contacts) is left to the section it sits in. Rows with too few or too many cells are
imported as far as they go and reported, never silently dropped.
"""

from __future__ import annotations

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.blocks import Table, TableRow
from knownfix.core.docparse.cleanup import collapse_spaces, strip_decoration
from knownfix.core.docparse.inline import plain
from knownfix.core.docparse.rules import normalize_label

# Column names (normalized) → the role of the column.
ID_COLUMNS = frozenset({"id", "issue id", "key", "ref", "ticket"})
TITLE_COLUMNS = frozenset({"issue", "title", "summary", "problem", "name", "description"})
FAILURE_COLUMNS = frozenset({"failure type", "failure", "failure mode", "issue type", "type",
                              "category", "failure category"})
STATUS_COLUMNS: dict[str, str] = {
    "severity": r.SEVERITY, "priority": r.SEVERITY, "status": r.STATUS, "state": r.STATUS,
    "self-healing": r.SELF_HEALING, "self healing": r.SELF_HEALING, "category": r.CATEGORY,
    "response time": r.RESPONSE_TIME, "escalation": r.ESCALATION, "root cause": r.ROOT_CAUSE,
    "cause": r.ROOT_CAUSE, "solution": r.RESOLUTION, "fix": r.RESOLUTION,
    "resolution": r.RESOLUTION, "symptom": r.SYMPTOMS, "symptoms": r.SYMPTOMS,
    "error": r.SYMPTOMS,
}


def _header(table: Table) -> list[str]:
    return [normalize_label(strip_decoration(plain(cell))) for cell in table.header]


def find(columns: list[str], names: frozenset[str]) -> int | None:
    """Index of the first column whose name is one of ``names``."""
    return next((i for i, name in enumerate(columns) if name in names), None)


def row_problem(row: TableRow, width: int) -> str | None:
    """Why a row does not fit its header (too few or too many cells), or None."""
    count = len(row.raw_cells)
    if count == width:
        return None
    how = f"kept the first {width}" if count > width else "left the missing ones empty"
    return f"table row has {count} cells but the header has {width}; {how}"


def classify(table: Table) -> tuple[str, list[str], list[str]]:
    """``(kind, normalized columns, column titles)``: kind is "status-matrix" (an id and a title
    column), "response-matrix" (failure type, severity, response time or escalation) or "other"."""
    columns = _header(table)
    titles = [collapse_spaces(strip_decoration(plain(cell))) for cell in table.header]
    if find(columns, ID_COLUMNS) is not None and find(columns, TITLE_COLUMNS) is not None:
        return "status-matrix", columns, titles
    if find(columns, FAILURE_COLUMNS) is not None and "severity" in columns and (
        "response time" in columns or "escalation" in columns or "response sla" in columns
    ):
        return "response-matrix", columns, titles
    return "other", columns, titles


def cell_text(row: TableRow, index: int | None) -> str:
    """The plain text of one cell ("" when the row is short)."""
    if index is None or index >= len(row.cells):
        return ""
    return collapse_spaces(plain(row.cells[index]))
