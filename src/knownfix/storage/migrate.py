"""Schema migrations, applied on first use: idempotent, and safe when processes start together.

The check "is the schema at head?" is a cheap read. Only when it is not does a process take the
migration lock — a ``BEGIN IMMEDIATE`` write transaction on SQLite (one writer per file), a
transaction-scoped advisory lock on PostgreSQL — and run Alembic on that same connection. DDL is
transactional on both, so the second process waits, then finds the schema at head and does
nothing; a failed migration leaves the schema as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from knownfix.errors import StoreError
from knownfix.storage.db import write_engine
from knownfix.storage.reads import SCHEMA_HEAD, SCHEMA_VERSION, VERSION_TABLE

__all__ = ["MIGRATION_LOCK_KEY", "SCHEMA_HEAD", "VERSION_TABLE", "current_revision",
           "head_revision", "upgrade"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# pg_advisory_xact_lock key: the first 8 bytes of "knownfix" read as a signed 64-bit integer.
MIGRATION_LOCK_KEY = int.from_bytes(b"knownfix", "big", signed=True)


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    """The newest revision this version of knownfix knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def _at_head(engine: Engine) -> bool:
    """Whether the store is at :data:`SCHEMA_HEAD`, read with one plain query."""
    try:
        with engine.connect() as conn:
            found = conn.execute(text(SCHEMA_VERSION)).scalars().all()
    except DBAPIError:
        return False  # no version table yet: a new store
    return found == [SCHEMA_HEAD]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to head; True when this call applied something."""
    if _at_head(engine):
        return False
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError

    head = head_revision()
    if current_revision(engine) == head:
        return False
    with write_engine(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        if context.get_current_revision() == head:
            return False  # another process migrated while we waited for the lock
        config = _config()
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as error:
            raise StoreError(
                f"cannot migrate the store: {error} "
                "(was it created by a newer knownfix? upgrade knownfix)"
            ) from None
    return True
