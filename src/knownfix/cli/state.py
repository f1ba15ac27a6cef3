"""Per-invocation CLI state: settings and the store, opened lazily and only once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from knownfix.settings import Settings, load_settings, unknown_variables

if TYPE_CHECKING:
    from knownfix.storage.pg_reader import PgReader
    from knownfix.storage.repository import Store
    from knownfix.storage.sqlite_reader import SqliteReader


def database_url_from_option(db: str) -> str:
    """``--db`` takes a URL or a plain path to a SQLite file."""
    if "://" in db:
        return db
    from pathlib import Path

    return f"sqlite:///{Path(db).expanduser().resolve()}"


@dataclass
class State:
    db: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _reader: SqliteReader | PgReader | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            url = database_url_from_option(self.db) if self.db else None
            self._settings = load_settings(database_url=url)
            for warning in unknown_variables():
                typer.echo(f"warning: {warning}", err=True)
        return self._settings

    def store(self) -> Store:
        """Open the store (applying migrations on first use) once per invocation."""
        if self._store is None:
            from knownfix.storage.repository import open_store

            self._store = open_store(self.settings.database_url)
        return self._store

    def triage_store(self) -> Store | SqliteReader | PgReader:
        """The store for a command that mostly reads (triage): a SQLite or PostgreSQL store at
        the schema head is read without SQLAlchemy, which is loaded only if the command needs
        the full store (a SQLite store's recording does not)."""
        if self._store is None and self._reader is None:
            from knownfix.storage.pg_reader import PgReader
            from knownfix.storage.sqlite_reader import SqliteReader, open_triage_store

            opened = open_triage_store(self.settings.database_url)
            if isinstance(opened, (SqliteReader, PgReader)):
                self._reader = opened
            else:
                self._store = opened
        return self._reader if self._reader is not None else self.store()

    def close(self) -> None:
        """Close the store's connections (the root command calls this when it ends)."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._store is not None:
            self._store.close()
            self._store = None


def get_state(ctx: typer.Context) -> State:
    """The :class:`State` of the root command, whichever subcommand asks."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj
