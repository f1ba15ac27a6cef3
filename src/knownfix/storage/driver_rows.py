"""Rows and savepoints for the writers that run the recording's statements on a driver
connection directly (``sqlite3`` for the CLI, psycopg for the service on PostgreSQL), shaped
as :mod:`knownfix.storage.incident_write`'s ``Rows`` and ``Savepoint`` expect."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any


class ListedRows:
    """:class:`Rows` over rows already fetched as dicts (the writers that run statements on a
    driver directly: ``sqlite3``, psycopg); ``one()`` of no or several rows raises ``missing``."""

    def __init__(self, rows: list[dict[str, Any]],
                 missing: Callable[[str], Exception] = LookupError) -> None:
        self._rows = rows
        self._missing = missing

    def scalar(self) -> Any:
        return next(iter(self._rows[0].values())) if self._rows else None

    def first(self) -> Mapping[Any, Any] | None:
        return self._rows[0] if self._rows else None

    def one(self) -> Mapping[Any, Any]:
        if len(self._rows) != 1:
            raise self._missing(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def all(self) -> Sequence[Mapping[Any, Any]]:
        return self._rows


class CommandSavepoint:
    """The recording's savepoint on a driver connection (``sqlite3``, psycopg), run by SQL
    commands through ``command``; :func:`command_savepoint` opens and releases it."""

    def __init__(self, command: Callable[[str], object]) -> None:
        self.command = command
        self.ended = False

    def rollback(self) -> None:
        self.command("ROLLBACK TO SAVEPOINT knownfix_record")
        self.command("RELEASE SAVEPOINT knownfix_record")
        self.ended = True


@contextmanager
def command_savepoint(command: Callable[[str], object]) -> Iterator[CommandSavepoint]:
    """A savepoint around the block: rolled back on an error, released otherwise (unless the
    block rolled it back itself)."""
    command("SAVEPOINT knownfix_record")
    point = CommandSavepoint(command)
    try:
        yield point
    except BaseException:
        if not point.ended:
            point.rollback()
        raise
    if not point.ended:
        command("RELEASE SAVEPOINT knownfix_record")
