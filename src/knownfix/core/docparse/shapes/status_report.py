"""Status reports: an issue matrix (one row per issue, the doc's own ids) plus detail sections.

``### CRIT-001: Dual Loop Deadlock`` and ``#### MED-003: Queue Growth`` sections enrich the row
with the same id instead of becoming second issues; a keyed section without a row stands alone
when it has issue fields of its own.
"""

from __future__ import annotations

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import Draft, Fix
from knownfix.core.docparse.blocks import Inline, Table
from knownfix.core.docparse.cleanup import clean_word_value, collapse_spaces, strip_decoration
from knownfix.core.docparse.ids import DOC_ID
from knownfix.core.docparse.inline import lite, plain
from knownfix.core.docparse.tables import (
    ID_COLUMNS,
    STATUS_COLUMNS,
    TITLE_COLUMNS,
    cell_text,
    find,
    row_problem,
)

SHAPE = "status-report"


def read_status_matrix(
    table: Table, columns: list[str], titles: list[str]
) -> tuple[list[Draft], list[tuple[int, str]]]:
    """One draft per row with an id; problems name the rows that did not fit."""
    drafts: list[Draft] = []
    problems: list[tuple[int, str]] = []
    id_col, title_col = find(columns, ID_COLUMNS), find(columns, TITLE_COLUMNS)
    for row in table.rows:
        problem = row_problem(row, len(columns))
        if problem:
            problems.append((row.line, problem))
        issue_id = cell_text(row, id_col)
        title = collapse_spaces(strip_decoration(cell_text(row, title_col)))
        if not DOC_ID.match(issue_id) or not title:
            problems.append(
                (row.line, "status matrix row has no issue id (like CRIT-001) or no title; skipped")
            )
            continue
        draft = Draft(title=title, line=row.line, issue_id=issue_id)
        for index, name in enumerate(columns):
            if index not in {id_col, title_col} and index < len(row.cells):
                _apply_cell(draft, STATUS_COLUMNS.get(name), titles[index], row.cells[index])
        for number, raw in enumerate(row.raw_cells[len(columns):], start=1):
            draft.add_extra(f"Extra cell {number}", raw)
        drafts.append(draft)
    return drafts, problems


def _apply_cell(draft: Draft, key: str | None, title: str, cell: Inline) -> None:
    text = collapse_spaces(lite(cell))
    if not text:
        return
    if key == r.ROOT_CAUSE:
        draft.root_cause.append(text)
    elif key == r.RESOLUTION:
        draft.fixes.append(Fix(label=title, text=text, steps=[]))
    elif key == r.SYMPTOMS:
        draft.symptoms.append(collapse_spaces(plain(cell)))
    elif key in {r.SEVERITY, r.STATUS, r.SELF_HEALING}:
        draft.meta[key] = clean_word_value(text)
    elif key is not None:
        draft.meta[key] = text
    else:
        draft.add_extra(title, text)
    if key is not None:
        draft.keys.add(key)
