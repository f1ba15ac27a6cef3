"""The statements that record an occurrence, as SQLAlchemy Core, and the writer that runs them.

The rules are :mod:`knownfix.storage.incident_write`'s; here is what each statement it names
is, built once per dialect (values go as parameters; an upsert is spelled per dialect). Round
trips are saved where the rows allow: an incident opened is inserted counted and returned by its
INSERT (no one else can see it, let alone lock it, before the commit), a counted row is
returned by its UPDATE, and the audit entries of one occurrence go in one INSERT. On PostgreSQL
they run on psycopg itself, compiled once per process (:mod:`knownfix.storage.prebuilt`).

:func:`sqlite_statements` compiles them for SQLite: :mod:`knownfix.storage.incident_sql` holds
that output, which the plain ``sqlite3`` writer runs (a test checks that it is current).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import NoResultFound

from knownfix.core.records import Incident
from knownfix.storage import incident_write, prebuilt
from knownfix.storage.driver_rows import ListedRows, command_savepoint
from knownfix.storage.incident_rows import incident_select, upsert
from knownfix.storage.incident_tables import (
    display_id_counters,
    incident_events,
    incident_fingerprints,
    incidents,
    occurrences,
)
from knownfix.storage.incident_write import (
    OPEN,
    RESOLVED,
    Duplicate,
    NewOccurrence,
    OnRecorded,
    Recorded,
    Rows,
)
from knownfix.storage.prebuilt import Prebuilt, fixed, psycopg_command

__all__ = ["OPEN", "RESOLVED", "CoreWriter", "Duplicate", "NewOccurrence", "OnRecorded",
           "Recorded", "compiled_statements", "incident_by_pk", "older_versions_in_use", "record",
           "sqlite_statements"]


def _upsert_builder(table: Table, build: Callable[[Any], Any]) -> Callable[[str], Any]:
    def for_dialect(dialect: str) -> Any:
        return build(upsert(dialect, table))
    return for_dialect


# name → (statement for a dialect, the insert's column keys when it has no ``values``)
_BUILDERS: dict[str, tuple[Callable[[str], Any], tuple[str, ...]]] = {
    "linked": (fixed(
        select(incident_fingerprints.c.incident_id)
        .where(incident_fingerprints.c.scope == bindparam("scope"),
               incident_fingerprints.c.loose_fingerprint == bindparam("loose"))
        .with_for_update(read=True)), ()),
    # The link and its incident in one round trip, locked in the order two statements took
    # them (the link shared, so a merge waits; the incident for update): most occurrences
    # join an incident that exists. SQLite has one writer and no row locks.
    "linked_incident": (fixed(
        select(incidents)
        .select_from(incident_fingerprints.join(
            incidents, incidents.c.id == incident_fingerprints.c.incident_id))
        .where(incident_fingerprints.c.scope == bindparam("scope"),
               incident_fingerprints.c.loose_fingerprint == bindparam("loose"))
        .with_for_update(read=True, of=incident_fingerprints)
        .suffix_with("FOR UPDATE OF incidents", dialect="postgresql")), ()),
    "older_versions": (fixed(
        select(incident_fingerprints.c.version)
        .where(incident_fingerprints.c.version < bindparam("current"))
        .distinct()), ()),
    "older_link": (fixed(
        select(incident_fingerprints.c.incident_id,
               incident_fingerprints.c.original_incident_id)
        .where(incident_fingerprints.c.scope == bindparam("scope"),
               incident_fingerprints.c.loose_fingerprint == bindparam("loose"),
               incident_fingerprints.c.version < bindparam("version"))
        .with_for_update(read=True)), ()),
    "adopt_link": (_upsert_builder(incident_fingerprints, lambda ins: ins.on_conflict_do_nothing(
        index_elements=["scope", "loose_fingerprint"])),
        ("scope", "loose_fingerprint", "incident_id", "original_incident_id", "version",
         "created_at")),
    "next_number": (_upsert_builder(display_id_counters, lambda ins: (
        ins.values(prefix=bindparam("prefix"), next=1)
        .on_conflict_do_update(index_elements=["prefix"],
                               set_={"next": display_id_counters.c.next + 1})
        .returning(display_id_counters.c.next))), ()),
    "insert_incident": (fixed(incidents.insert().returning(*incidents.c)),
                        tuple(c.key for c in incidents.c if c.key != "id")),
    "claim_fingerprint": (_upsert_builder(incident_fingerprints, lambda ins: (
        ins.on_conflict_do_nothing(index_elements=["scope", "loose_fingerprint"])
        .returning(incident_fingerprints.c.loose_fingerprint))),
        ("scope", "loose_fingerprint", "incident_id", "original_incident_id", "version",
         "created_at")),
    "lock_incident": (fixed(
        select(incidents).where(incidents.c.id == bindparam("pk")).with_for_update()), ()),
    "insert_occurrence": (_upsert_builder(occurrences, lambda ins: (
        ins.on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(occurrences.c.id))),
        tuple(c.key for c in occurrences.c if c.key != "id")),
    # Every column set, to its own value where the occurrence changes nothing (the row is
    # locked, so that is what it holds), so one statement serves every case.
    "count": (fixed(
        update(incidents)
        .where(incidents.c.id == bindparam("pk"))
        .values(
            count=incidents.c.count + 1,
            updated_at=bindparam("updated_at", type_=incidents.c.updated_at.type),
            last_seen=bindparam("last_seen", type_=incidents.c.last_seen.type),
            status=bindparam("status"),
            resolved_at=bindparam("resolved_at", type_=incidents.c.resolved_at.type),
            reopened=incidents.c.reopened + bindparam("reopens"),
            known_issue_id=bindparam("known_issue_id"),
        )
        .returning(*incidents.c)), ()),
    "add_event": (fixed(incident_events.insert().inline()),
                  ("incident_id", "at", "actor", "action", "detail")),
    "display_id": (fixed(
        select(incidents.c.display_id).where(incidents.c.id == bindparam("pk"))), ()),
}
RECORDING = Prebuilt(_BUILDERS)


def statement(name: str, dialect: str) -> Any:
    """The statement ``name`` for a dialect, built on first use."""
    return RECORDING.statement(name, dialect)


class CoreWriter:
    """Runs the recording statements on a SQLAlchemy connection in a write transaction (on
    PostgreSQL through psycopg itself: :mod:`knownfix.storage.prebuilt`)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def run(self, name: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Rows:
        return ListedRows(RECORDING.run(self.conn, name, params), NoResultFound)

    @contextmanager
    def savepoint(self) -> Iterator[Any]:
        if self.conn.dialect.name not in prebuilt.DRIVER_DIALECTS:
            with self.conn.begin_nested() as nested:
                yield nested
            return
        with command_savepoint(lambda sql: psycopg_command(self.conn, sql)) as point:
            yield point


def record(conn: Connection, occ: NewOccurrence, actor: str,
           older_versions: Collection[str] | None = None) -> Recorded:
    """:func:`knownfix.storage.incident_write.record` on a SQLAlchemy connection."""
    return incident_write.record(CoreWriter(conn), occ, actor, older_versions)


def older_versions_in_use(conn: Connection, current: str) -> frozenset[str]:
    """The older fingerprint strategies that linked an incident (see incident_write)."""
    return incident_write.older_versions_in_use(CoreWriter(conn), current)


def incident_by_pk(conn: Connection, pk: int) -> Incident:
    row = conn.execute(incident_select().where(incidents.c.id == pk)).mappings().one()
    return incident_write.incident_from_row(row)


def compiled_statements(dialect: Dialect) -> dict[str, dict[str, Any]]:
    """Every recording statement compiled for ``dialect`` (see
    :func:`knownfix.storage.prebuilt.compile_statement`)."""
    return RECORDING.compiled(dialect)


def sqlite_statements() -> dict[str, dict[str, Any]]:
    """:func:`compiled_statements` for SQLite (``:name`` parameters), as the plain ``sqlite3``
    writer reads them (it names result columns from the cursor)."""
    from sqlalchemy.dialects import sqlite

    compiled = compiled_statements(sqlite.dialect(paramstyle="named"))
    return {name: {k: v for k, v in spec.items() if k != "columns"}
            for name, spec in compiled.items()}


SQLITE_MODULE = "src/knownfix/storage/incident_sql.py"


def render_sqlite_module() -> str:
    """The text of :mod:`knownfix.storage.incident_sql` (``tests/test_sqlite_writer.py``
    checks it; ``KNOWNFIX_REGEN_GOLDEN=1`` rewrites it)."""
    import pprint

    body = pprint.pformat(sqlite_statements(), width=99, sort_dicts=True)
    return (
        '"""GENERATED by ``knownfix.storage.incident_record.render_sqlite_module`` — do not '
        'edit.\n\nThe recording statements of :mod:`knownfix.storage.incident_record`, compiled '
        'for SQLite,\nfor the plain ``sqlite3`` writer (:mod:`knownfix.storage.sqlite_writer`): '
        'regenerate with\n``KNOWNFIX_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_sqlite_writer.py`` '
        'when they change.\n"""\n\nfrom typing import Any\n\n'
        f"STATEMENTS: dict[str, dict[str, Any]] = {body}\n"
    )
