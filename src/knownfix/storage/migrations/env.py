"""Alembic environment: runs on the connection ``open_store`` hands over, never its own.

``open_store`` holds a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL) and
an open transaction on that connection, so concurrent first starts apply each migration once.
To create a new revision during development::

    alembic -c src/knownfix/storage/migrations/alembic.ini revision -m "add incidents"
"""

from __future__ import annotations

from alembic import context

from knownfix.storage.migrate import VERSION_TABLE
from knownfix.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("knownfix migrations run through knownfix.storage.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
