"""Manual merge and unmerge of incidents, inside the caller's write transaction.

Invariant kept by both: an incident that is not merged counts exactly the occurrences it holds,
and every occurrence sits with the incident its loose fingerprint points to now. Merging B into
A moves B's fingerprints (and those of incidents merged into B before) and occurrences to A and
adds B's count to A's; B keeps its own count as history and ``merged_into = A``. Unmerging B
takes back every fingerprint first opened by B or by an incident merged into B, with all their
occurrences, wherever they went since (A, or whatever A was merged into later).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.engine import Connection

from knownfix.errors import Conflict, InputError
from knownfix.storage.incident_rows import add_event, incident_pk
from knownfix.storage.incident_tables import incident_fingerprints, incidents, occurrences


def _lock(conn: Connection, *pks: int) -> dict[int, Any]:
    """Lock incident rows in key order (two opposite merges cannot deadlock); their rows."""
    rows = conn.execute(
        select(incidents).where(incidents.c.id.in_(sorted(set(pks))))
        .order_by(incidents.c.id).with_for_update()
    ).mappings()
    return {int(row["id"]): row for row in rows}


def _display(conn: Connection, pk: int | None) -> str | None:
    if pk is None:
        return None
    found = conn.execute(select(incidents.c.display_id).where(incidents.c.id == pk)).scalar()
    return None if found is None else str(found)


def merge(
    conn: Connection, source: str, into: str, note: str | None, actor: str, now: datetime
) -> int:
    """Merge incident ``source`` into ``into``; returns the target's primary key."""
    src, dst = incident_pk(conn, source), incident_pk(conn, into)
    if src == dst:
        raise InputError(f"cannot merge {source} into itself")
    # Fingerprint rows first, incident rows second: the order an occurrence takes its locks in.
    conn.execute(
        update(incident_fingerprints)
        .where(incident_fingerprints.c.incident_id == src)
        .values(incident_id=dst)
    )
    rows = _lock(conn, src, dst)
    b, a = rows[src], rows[dst]
    if b["merged_into"] is not None:
        raise Conflict(
            f"{b['display_id']} is already merged into {_display(conn, b['merged_into'])}; "
            "unmerge it first"
        )
    if a["merged_into"] is not None:
        final = _display(conn, a["merged_into"])
        raise Conflict(f"{a['display_id']} is merged into {final}; merge into {final} instead")
    moved = conn.execute(
        update(occurrences).where(occurrences.c.incident_id == src).values(incident_id=dst)
    ).rowcount
    target: dict[str, Any] = {
        "count": incidents.c.count + int(b["count"]),
        "first_seen": min(a["first_seen"], b["first_seen"]),
        "last_seen": max(a["last_seen"], b["last_seen"]),
        "updated_at": now,
    }
    if a["known_issue_id"] is None and b["known_issue_id"] is not None:
        target["known_issue_id"] = b["known_issue_id"]
    conn.execute(update(incidents).where(incidents.c.id == dst).values(**target))
    conn.execute(
        update(incidents).where(incidents.c.id == src).values(merged_into=dst, updated_at=now)
    )
    detail: dict[str, Any] = {"source": b["display_id"], "into": a["display_id"],
                              "count": int(b["count"]), "occurrences": moved}
    if note:
        detail["note"] = note
    add_event(conn, src, now, actor, "merged", detail)
    add_event(conn, dst, now, actor, "merged", detail)
    return dst


def _seen(conn: Connection, pk: int) -> dict[str, datetime]:
    """First and last seen of the occurrences an incident holds now (nothing if it holds none)."""
    first, last = conn.execute(
        select(func.min(occurrences.c.received_at), func.max(occurrences.c.received_at))
        .where(occurrences.c.incident_id == pk)
    ).one()
    return {} if first is None else {"first_seen": first, "last_seen": last}


def _subtree(conn: Connection, root: int) -> set[int]:
    """``root`` and every incident merged into it, directly or through others."""
    children: dict[int, list[int]] = {}
    statement = select(incidents.c.id, incidents.c.merged_into).where(
        incidents.c.merged_into.is_not(None)
    )
    for pk, parent in conn.execute(statement):
        children.setdefault(int(parent), []).append(int(pk))
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def unmerge(conn: Connection, display_id: str, actor: str, now: datetime) -> int:
    """Undo the merge of ``display_id``; returns its primary key."""
    pk = incident_pk(conn, display_id)
    row = conn.execute(select(incidents).where(incidents.c.id == pk)).mappings().one()
    if row["merged_into"] is None:
        raise Conflict(f"{row['display_id']} is not merged into another incident")
    family = sorted(_subtree(conn, pk))
    fp = incident_fingerprints.alias("owned")
    # An occurrence of a fingerprint first opened by this incident or one merged into it.
    owned = exists().where(and_(
        fp.c.original_incident_id.in_(family),
        fp.c.scope == occurrences.c.scope,
        fp.c.loose_fingerprint == occurrences.c.loose_fingerprint,
    ))
    # Fingerprint rows first (waits for occurrences in flight), then count what moves.
    conn.execute(
        update(incident_fingerprints)
        .where(incident_fingerprints.c.original_incident_id.in_(family))
        .values(incident_id=pk)
    )
    holders: dict[int, int] = dict(
        conn.execute(
            select(occurrences.c.incident_id, func.count())
            .where(owned, occurrences.c.incident_id != pk)
            .group_by(occurrences.c.incident_id)
        ).all()
    )
    row = _lock(conn, pk, *holders)[pk]
    if row["merged_into"] is None:  # unmerged by someone else while we waited
        raise Conflict(f"{row['display_id']} is not merged into another incident")
    parent = _display(conn, row["merged_into"])
    conn.execute(
        update(occurrences).where(owned, occurrences.c.incident_id != pk).values(incident_id=pk)
    )
    for holder, moved in holders.items():
        conn.execute(
            update(incidents)
            .where(incidents.c.id == holder)
            .values(count=incidents.c.count - int(moved), updated_at=now, **_seen(conn, holder))
        )
        add_event(conn, int(holder), now, actor, "unmerged",
                  {"source": row["display_id"], "count": int(moved)})
    total = conn.execute(
        select(func.count()).select_from(occurrences).where(occurrences.c.incident_id == pk)
    ).scalar_one()
    conn.execute(
        update(incidents)
        .where(incidents.c.id == pk)
        .values(merged_into=None, count=int(total), updated_at=now, **_seen(conn, pk))
    )
    add_event(conn, pk, now, actor, "unmerged",
              {"from": parent, "count": int(total)})
    return pk
