"""CPU seconds from ``/proc``: of a process tree, of the whole host, of PostgreSQL's backends
serving one database, and of every command by name (what shared the cores during a bench)."""

from __future__ import annotations

import os
from pathlib import Path


def host_busy() -> float:
    """CPU seconds the whole host has spent busy (all cores, every process: /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def store_cpu(database_url: str) -> float:
    """CPU seconds used so far by PostgreSQL's backends serving ``database_url``'s database
    (0 for SQLite): read from /proc for the pids ``pg_stat_activity`` lists."""
    if not database_url.startswith("postgresql"):
        return 0.0
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")]
    return sum(tree_cpu(pid) for pid in pids)


def cpu_by_command() -> dict[str, float]:
    """CPU seconds used so far by every live process, summed by command name."""
    tick = os.sysconf("SC_CLK_TCK")
    by: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        by[name] = by.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return by


def top_users(before: dict[str, float], after: dict[str, float], n: int = 8) -> dict[str, float]:
    """The ``n`` commands that used the most CPU between two :func:`cpu_by_command`."""
    deltas = {k: v - before.get(k, 0.0) for k, v in after.items()}
    return {k: round(v, 2) for k, v in sorted(deltas.items(), key=lambda kv: -kv[1])[:n] if v}


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and every live descendant."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total
