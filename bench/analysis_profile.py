"""Where a worker's CPU goes: the analysis path (`analyse_event`) in one process, CPU time.

The same logs service_load posts (LogChunks, the held-out half: this measures speed, not
quality) are stored as pending events in a fresh PostgreSQL database (or the SQLite file of
``--database-url``), then analysed one by one as a worker would. Two passes over the logs:

* the triage core alone (extraction, fingerprint, policy, matching: ``record=False``);
* ``analyse_event`` whole (claim, inflate, triage, record the occurrence, finish); with
  ``--store-only`` the triage of each event is the one worked out before the clock starts
  (the same log's result, looked up), so what is timed is the rest: the claim, the inflate,
  recording the occurrence and finishing the event.

Prints CPU milliseconds per log of each (``time.process_time``: this process only, whatever
else runs on the machine). ``--profile N`` adds the N heaviest functions of the second pass
(cProfile on CPU time); ``--dump FILE`` writes every analysed event's triage result as JSON
lines, then every incident with its audit trail (times left out: they are the clock's), to
compare two versions of the code: they must be the same, byte for byte, under one
``PYTHONHASHSEED`` (the order of a match's reasons follows set iteration).

    KNOWNFIX_DATASETS=/path/to/datasets .venv/bin/python bench/analysis_profile.py \
        [--logs 300] [--repeat 1] [--profile 30] [--dump /tmp/results.jsonl]

To compare with older code, run the same script with ``PYTHONPATH=/old/checkout/src``.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from service_load import PG_SERVER, held_out_logs, knowledge_base  # noqa: E402


def fresh_database() -> tuple[str, Any]:
    """A new PostgreSQL database's URL and the function that drops it."""
    import psycopg

    name = f"knownfix_profile_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_SERVER}/{name}", drop


def store_events(store: Any, logs: list[Path]) -> list[str]:
    """Every log stored as a pending event, as the API would (gzip body); their ids in order."""
    from knownfix.services.ingest import prepare_event
    from knownfix.storage.events import insert_event

    base = datetime(2026, 12, 1, tzinfo=UTC)
    ids = []
    for n, path in enumerate(logs):
        raw = path.read_bytes()
        event = prepare_event("log", raw, source=path.name, idempotency_key=f"profile-{n}",
                              gzipped=gzip.compress(raw, 6, mtime=0),
                              now=base + timedelta(seconds=n))
        row, _new = insert_event(store, event)
        ids.append(row.id)
    return ids


def core_pass(session: Any, logs: list[Path]) -> float:
    """CPU seconds of the triage core over ``logs`` (nothing recorded)."""
    bodies = [path.read_bytes() for path in logs]
    started = time.process_time()
    for path, body in zip(logs, bodies, strict=True):
        session.triage(path.name, iter((body,)), record=False)
    return time.process_time() - started


def print_profile(profiler: cProfile.Profile, rows: int) -> None:
    """The profile's top ``rows`` by cumulative, then by own time."""
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(rows)
    text.write("\n")
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(rows)
    print(text.getvalue())


def count_store(store: Any) -> dict[str, int]:
    """Counters of the store's statements, commits and checkouts, updated as they happen.

    On PostgreSQL statements are counted at psycopg's cursor (every checkout's
    ``pool_pre_ping`` round trip left out): the store runs some statements on psycopg
    directly, which SQLAlchemy's events never see."""
    from sqlalchemy import event

    seen = {"statements": 0, "commits": 0, "checkouts": 0}

    def count(what: str) -> Any:
        def counted(*_args: Any, **_kwargs: Any) -> None:
            seen[what] += 1
        return counted

    if store.engine.dialect.name == "postgresql":
        import psycopg

        def counting(method: Any) -> Any:
            def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
                if str(query).strip() not in (";", "SELECT 1"):  # a checkout's ping
                    seen["statements"] += 1
                return method(self, query, *args, **kwargs)
            return counted

        for name in ("execute", "executemany"):
            setattr(psycopg.Cursor, name, counting(getattr(psycopg.Cursor, name)))
    else:
        event.listen(store.engine, "before_cursor_execute", count("statements"))
    event.listen(store.engine, "commit", count("commits"))
    event.listen(store.engine.pool, "checkout", count("checkouts"))
    return seen


class PrecomputedTriage:
    """A triage session whose ``triage`` answers each log's result worked out beforehand
    (``--store-only``): recording, and everything else, is the real session's."""

    def __init__(self, session: Any, logs: list[Path]) -> None:
        self.session = session
        self.results = {path.name: session.triage(path.name, iter((path.read_bytes(),)),
                                                  record=False) for path in logs}

    def triage(self, source: str, chunks: Any, **_kwargs: Any) -> Any:
        for _block in chunks:  # the body is still inflated, as a worker would
            pass
        return self.results[source]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def analyse_pass(store: Any, settings: Any, session: Any, ids: list[str],
                 profiler: cProfile.Profile | None) -> tuple[float, list[Any], dict[str, int]]:
    """CPU seconds of ``analyse_event`` over ``ids``, the outcomes, and how many statements,
    commits and connection checkouts (each a ping: ``pool_pre_ping``) the store saw, and the
    wall-clock milliseconds (the CPU plus the waits: the database, its commits' flushes)."""
    from knownfix.services.analysis import analyse_event

    seen = count_store(store)
    outcomes = []
    started, wall = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for event_id in ids:
        outcomes.append(analyse_event(store, event_id, settings=settings, session=session))
    if profiler is not None:
        profiler.disable()
    seen["wall ms"] = round((time.perf_counter() - wall) * 1000)
    return time.process_time() - started, outcomes, dict(seen)  # not the reads that follow


def stored_incidents(store: Any) -> list[dict[str, Any]]:
    """Every incident with its audit trail, without the times (they are the clock's)."""
    kept = ("id", "title", "status", "severity", "category", "fingerprint", "count",
            "response_time", "escalation", "known_issue_id", "merged_into", "reopened", "scope")
    rows = []
    for incident in store.list_incidents(include_merged=True):
        row = {key: getattr(incident, key) for key in kept}
        row["trail"] = [(e["actor"], e["action"], e["detail"])
                        for e in store.incident_events(incident.id)]
        rows.append(row)
    return sorted(rows, key=lambda row: row["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (KNOWNFIX_DATASETS)")
    parser.add_argument("--logs", type=int, default=300, help="how many logs (0: all)")
    parser.add_argument("--database-url", help="a store URL (default: a fresh PostgreSQL db)")
    parser.add_argument("--profile", type=int, default=0, help="print the N heaviest functions")
    parser.add_argument("--dump", type=Path, help="write each event's result as JSON lines")
    parser.add_argument("--store-only", action="store_true",
                        help="time analyse_event without the triage core (its results "
                             "worked out beforehand)")
    args = parser.parse_args()

    from knownfix.services.knowledge import import_paths
    from knownfix.services.triage import open_triage
    from knownfix.settings import load_settings
    from knownfix.storage.repository import open_store

    logs = held_out_logs(args.datasets)
    logs = logs[:args.logs] if args.logs else logs
    drop = None
    url = args.database_url
    if url is None:
        url, drop = fresh_database()
    try:
        store = open_store(url)
        import_paths(store, [knowledge_base(args.datasets)])
        settings = load_settings(database_url=url)
        ids = store_events(store, logs)
        session = open_triage(store, settings)
        core_pass(session, logs[:5])  # warm: the index's lazily read parts
        core = core_pass(session, logs)
        if args.store_only:
            session = PrecomputedTriage(session, logs)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        whole, outcomes, seen = analyse_pass(store, settings, session, ids, profiler)
        stored = stored_incidents(store) if args.dump is not None else []
        store.close()
    finally:
        if drop is not None:
            drop()
    states: dict[str, int] = {}
    for outcome in outcomes:
        states[outcome.state] = states.get(outcome.state, 0) + 1
    n = len(logs)
    print(f"{n} logs, pid {os.getpid()}: triage core {core / n * 1000:.2f} ms/log, "
          f"analyse_event {whole / n * 1000:.2f} ms/event "
          f"({n / whole:.1f} per CPU-s), outcomes {states}")
    print("per event: " + ", ".join(f"{count / n:.2f} {what}" for what, count in seen.items()))
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as out:
            for event_id, outcome in zip(ids, outcomes, strict=True):
                result = outcome.result.to_dict() if outcome.result else None
                out.write(json.dumps({"event": ids.index(event_id), "state": outcome.state,
                                      "result": result}, sort_keys=True) + "\n")
            for incident in stored:
                out.write(json.dumps(incident, sort_keys=True) + "\n")
    if profiler is not None:
        print_profile(profiler, args.profile)


if __name__ == "__main__":
    main()
