"""Error tables: one problem per row, the error text in one column and the fix in another.

    | Error                      | Cause                     | Fix            |
    |----------------------------|---------------------------|----------------|
    | `E1001 lockfile out of date` | the manifest changed    | Run `tool lock` |

Unlike a status matrix, the rows carry no ids of their own: the error text is the title and the
symptom, and the issue's id is derived from it.
"""

from __future__ import annotations

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import Draft, Fix
from knownfix.core.docparse.blocks import Table
from knownfix.core.docparse.cleanup import collapse_spaces, strip_decoration
from knownfix.core.docparse.inline import lite, plain
from knownfix.core.docparse.tables import cell_text, find, row_problem

ERROR_COLUMNS = frozenset({"error", "error message", "message", "symptom", "symptoms", "problem",
                           "error code", "code", "exit code", "warning", "issue", "known issue",
                           "error text", "error output", "status code", "exit status",
                           "return code", "log message", "failure", "what you see"})
FIX_COLUMNS = frozenset({"fix", "solution", "resolution", "workaround", "remedy", "how to fix",
                         "action", "what to do", "suggested fix", "recommended action",
                         "how to resolve", "mitigation", "corrective action", "solutions",
                         "fixes", "workarounds", "suggested action", "possible fix"})
CAUSE_COLUMNS = frozenset({"cause", "root cause", "reason", "why", "meaning", "description",
                           "possible cause", "likely cause", "explanation", "causes"})


def is_error_table(columns: list[str]) -> bool:
    """An error column and a fix column (and no id column: that is a status matrix)."""
    return find(columns, ERROR_COLUMNS) is not None and find(columns, FIX_COLUMNS) is not None


def read_error_table(table: Table, columns: list[str],
                     titles: list[str]) -> tuple[list[Draft], list[tuple[int, str]]]:
    """One draft per row that has both an error and a fix; problems name the rows that do not."""
    drafts: list[Draft] = []
    problems: list[tuple[int, str]] = []
    error_col, fix_col = find(columns, ERROR_COLUMNS), find(columns, FIX_COLUMNS)
    cause_col = find(columns, CAUSE_COLUMNS)
    if error_col is None or fix_col is None:
        return drafts, problems
    for row in table.rows:
        problem = row_problem(row, len(columns))
        if problem:
            problems.append((row.line, problem))
        error = collapse_spaces(strip_decoration(cell_text(row, error_col)))
        fix = collapse_spaces(lite(row.cells[fix_col])) if fix_col < len(row.cells) else ""
        if not error or not fix:
            problems.append((row.line, "error table row has no error text or no fix; skipped"))
            continue
        draft = Draft(title=error, line=row.line, symptoms=[error])
        draft.fixes.append(Fix(label=titles[fix_col], text=fix, steps=[]))
        draft.keys |= {r.SYMPTOMS, r.RESOLUTION}
        cause = collapse_spaces(plain(row.cells[cause_col])) if cause_col is not None and (
            cause_col < len(row.cells)) else ""
        if cause:
            draft.root_cause.append(cause)
            draft.keys.add(r.ROOT_CAUSE)
        drafts.append(draft)
    return drafts, problems
