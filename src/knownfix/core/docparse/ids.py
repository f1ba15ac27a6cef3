"""Stable, readable identifiers for known issues that have no id of their own."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# A document's own ids: CRIT-004, KF-0012, MED-3 (letters, a dash, digits).
DOC_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+$")
# "CRIT-001: Dual Loop Deadlock" / "KF-12 — Broken chain" as a heading.
KEYED_TITLE = re.compile(
    r"^(?P<id>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+)\s*(?::|-|–|—)\s*(?P<title>\S.*)$"
)
_NUMBERING = re.compile(r"^\d{1,5}[.)]\s+(?=\S)")
_PERIOD = re.compile(
    r"\s*\((?:[^()]*\b(?:19|20)\d\d\b[^()]*|[^()]*\b(?:present|ongoing|historical|current)\b[^()]*)\)$",
    re.IGNORECASE,
)
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 64


def slug(text: str) -> str:
    """Lower-case ASCII words joined by dashes; a short hash when nothing ASCII is left."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if len(out) > _MAX_SLUG:
        out = out[:_MAX_SLUG].rstrip("-")
    if not out:
        out = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return out


def strip_numbering(title: str) -> str:
    """"1. Type Checker Regressions" → "Type Checker Regressions"."""
    return _NUMBERING.sub("", title, count=1)


def id_title(title: str) -> str:
    """The part of a title that identifies the issue: a trailing "(May 2024)" period is dropped,
    so that editing "(October 2024 – present)" later does not change the id."""
    return _PERIOD.sub("", title).strip() or title


def derive_id(doc_key: str, title: str) -> str:
    """Stable, readable id for an issue without one: ``slug(doc_key):slug(title)``."""
    return f"{slug(doc_key)}:{slug(id_title(title))}"


def doc_key_from_path(path: str) -> str:
    """The file stem of ``path``, slugified: "docs/Incident Log.md" → "incident-log"."""
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return slug(stem or "document")


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … when a document repeats a title."""
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate
