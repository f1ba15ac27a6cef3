"""Digest of what an import stored, to show that an import change stores the same bytes.

Prints one line per table: its rows (ordered by key, without the columns that hold the time
of the run) as a SHA-256, and the number of rows; ``--out FILE`` also writes the rows as JSON
lines, to diff two stores table by table.

    .venv/bin/python bench/kb_store_dump.py sqlite:///kb.db
    .venv/bin/python bench/kb_store_dump.py postgresql://postgres@127.0.0.1:5432/kb --out kb.rows

The SQL is run on a plain connection (no SQLAlchemy), so it reads exactly what an older checkout
wrote as well; on PostgreSQL every column is read as text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any

# (table, columns read, order) — created_at / updated_at / started_at / finished_at / built_at
# are when the import ran, not what it stored.
TABLES = (
    ("known_issues", "id, title, symptoms, signature, root_cause, resolution, "
     "resolution_steps, commands, verification, prevention, category, severity, status, "
     "self_healing, response_time, escalation, tags, extra, source_path, source_line, "
     "doc_key, retired, content_hash", "id"),
    ("match_issue_terms", "issue_id, stamp, terms, prepared", "issue_id"),
    ("match_index", "name, format, import_run, issues, data", "name"),
    ("imported_documents", "doc_key, digest, report", "doc_key"),
    ("import_runs", "id, doc_keys, created, updated, unchanged, retired, skipped", "id"),
)
SQLITE_ONLY = (("known_issue_fts", "rowid, issue_id, title, symptoms, body, other", "rowid"),)


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview | bytes | bytearray):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def dump(url: str, out: Any = None) -> dict[str, tuple[int, str]]:
    if url.startswith("sqlite:///"):
        import sqlite3

        conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
        tables = TABLES + SQLITE_ONLY
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        tables = TABLES
    found: dict[str, tuple[int, str]] = {}
    for table, columns, order in tables:
        if not url.startswith("sqlite:///"):
            # As stored: a json column's text, not the value psycopg would decode.
            columns = ", ".join(f"{name}::text" for name in columns.split(", "))
        digest = hashlib.sha256()
        count = 0
        for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY {order}"):
            line = json.dumps([_plain(v) for v in row], ensure_ascii=False)
            digest.update(line.encode() + b"\n")
            count += 1
            if out is not None:
                out.write(f"{table}\t{line}\n")
        found[table] = (count, digest.hexdigest())
    conn.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--out", help="also write every row here (JSON lines)")
    args = parser.parse_args()
    out = open(args.out, "w", encoding="utf-8") if args.out else None  # noqa: SIM115
    try:
        for table, (count, digest) in dump(args.url, out).items():
            print(f"{table:20} {count:8} {digest}")
    finally:
        if out is not None:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
