"""Markdown troubleshooting documents → known issues, whatever shape the team wrote them in.

    parse_markdown(lines, path) -> ParsedDocument   # issues, skipped parts (and why), policy rows
    derive_id(doc_key, title) -> str                 # "incident-log:unsafe-serialization"

The document is streamed section by section (bounded memory); its shape (incident log,
engineering issues, triage runbook, status report, guide index, knownfix's own format, or generic
labelled sections) is told from its structure. Pure: takes lines, does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from knownfix.core.docparse.ids import derive_id, doc_key_from_path, slug
from knownfix.core.docparse.reader import read_document
from knownfix.core.records import ParsedDocument

__all__ = ["derive_id", "parse_markdown", "slug"]


def parse_markdown(
    lines: Iterable[str], path: str, *, doc_key: str | None = None
) -> ParsedDocument:
    """Read one Markdown document (decoded lines, with line ends) into known issues.

    ``path`` is shown in sources and skipped entries; ``doc_key`` (default: the file stem of
    ``path``) prefixes the ids derived for issues that have no id of their own.
    """
    key = slug(doc_key) if doc_key else doc_key_from_path(path)
    if isinstance(lines, str):  # a whole text passed by mistake: not one character per line
        lines = [lines]
    document, _ = read_document(lines, path, key)
    return document
