"""knownfix's own format: YAML front matter (id, severity, status …) above ``# Title`` and
``## Symptoms`` / ``## Root cause`` / … sections. The sections are read like any headed fields;
this module reads the front matter and applies it to the document's (first) issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from knownfix.core.docparse import rules as r
from knownfix.core.docparse.assemble import Draft
from knownfix.core.docparse.chunks import FrontMatter
from knownfix.core.docparse.shapes.front_types import check_types
from knownfix.core.docparse.yamltext import as_list, as_text, load_mapping
from knownfix.core.records import KnownIssue, SignatureRules
from knownfix.core.text.regexsafe import check_regex

SHAPE = "knownfix"

# Any of these in the front matter makes it knownfix metadata (title/tags alone are common
# in static-site front matter and prove nothing).
DETECT_KEYS = frozenset({"id", "severity", "status", "category", "response_time", "escalation",
                         "self_healing", "updated_at", "retired", "extra", "resolution_steps",
                         "signature"})
KNOWN_KEYS = DETECT_KEYS | {"title", "tags"}
_META_KEYS = {"severity": r.SEVERITY, "status": r.STATUS, "category": r.CATEGORY,
              "response_time": r.RESPONSE_TIME, "escalation": r.ESCALATION,
              "self_healing": r.SELF_HEALING}
_ID_LINE = re.compile(r"^id\s*:\s*(['\"]?)(?P<id>[A-Za-z0-9][\w.:/-]*)\1\s*$", re.MULTILINE)


@dataclass
class Problem:
    """Something wrong in a document: a 1-based line, a message, "error" or "warning"."""

    line: int
    message: str
    severity: str = "warning"


@dataclass
class Meta:
    """knownfix front matter, read. ``provisional``: it has only keys that site generators use
    too (``id``, ``title``, ``tags``), so the body decides (see ``confirms``)."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    provisional: bool = False
    titled: bool = False  # provisional, and the body's ``# Title`` has been read


# Keys that Docusaurus, Hugo or Jekyll front matter has as well: alone they prove nothing.
SITE_KEYS = frozenset({"id", "title", "tags"})


def confirms(meta: Meta, level: int, title: str) -> bool | None:
    """Whether a document whose front matter has only site keys is in knownfix's format, told
    from its headings in order: its body opens with the issue's ``# Title`` and the sections
    under it are issue fields (``## Symptoms``). A site page opens with text or ``##`` sections,
    or has topics under its ``# Title`` (``## PK0002 - MISSING_PEER``). ``None``: not told yet
    (the ``# Title`` itself)."""
    if not meta.provisional:
        return True
    if level == 1 and not meta.titled:
        meta.titled = True
        return None
    return meta.titled and level > 1 and r.field_key(title) is not None


def _key_line(front: FrontMatter, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", front.text, re.MULTILINE)
    return front.start + 1 + front.text.count("\n", 0, match.start()) if match else front.start


def read_front_matter(front: FrontMatter) -> tuple[Meta | None, list[Problem]]:
    """``(meta, problems)``: meta is None when the front matter is not knownfix metadata."""
    if not front.closed:
        return None, [Problem(front.start, "a '---' line opens front matter but nothing closes "
                                           "it; the lines are read as Markdown", "error")]
    loaded = load_mapping(front.text, front.start + 1, "front matter")
    problems = [Problem(line, message, "error") for line, message in loaded.problems]
    if loaded.problems:
        recovered = _ID_LINE.search(front.text)
        if recovered:  # keep the issue's identity even when the rest cannot be read
            return Meta(data={"id": recovered.group("id")}, problems=problems), problems
        return None, problems
    if not set(loaded.data) & DETECT_KEYS:
        if loaded.data:
            problems.append(Problem(front.start, "front matter has no knownfix fields "
                                                 "(id, severity, status …); ignored"))
        return None, problems
    meta = Meta(data=loaded.data, problems=problems, provisional=set(loaded.data) <= SITE_KEYS)
    for key, severity, message in check_types(loaded.data):
        problems.append(Problem(_key_line(front, key), message, severity))
        if severity == "error":
            del loaded.data[key]  # reported, never stored as the text of a list or mapping
    for key in loaded.data:
        if key not in KNOWN_KEYS:
            problems.append(Problem(_key_line(front, key), f"front matter key {key!r} is not a "
                                                           "knownfix field; kept under extra"))
    return meta, problems


def apply_to_draft(draft: Draft, meta: Meta) -> None:
    """Front matter values win over what sections say (it is the issue's own metadata)."""
    data = meta.data
    if data.get("title"):
        draft.title = as_text(data["title"])
    if data.get("id") is not None and as_text(data["id"]).strip():
        draft.issue_id = as_text(data["id"]).strip()
    for key, meta_key in _META_KEYS.items():
        if data.get(key) is not None:
            draft.meta[meta_key] = as_text(data[key])
    if "tags" in data:
        draft.tags = as_list(data["tags"], commas=True)
    extra = data.get("extra")
    if isinstance(extra, dict):
        for label, value in extra.items():
            draft.extra[str(label)] = as_text(value)
    for key, value in data.items():
        if key not in KNOWN_KEYS:
            draft.extra[key] = as_text(value)
    signature = data.get("signature")
    if isinstance(signature, dict):
        _add_signature(draft, SignatureRules.from_dict(signature))


def _add_signature(draft: Draft, rules: SignatureRules) -> None:
    draft.signature.contains.extend(rules.contains)
    for pattern in rules.regex:
        message = check_regex(pattern)
        if message is None:
            draft.signature.regex.append(pattern)
        else:
            draft.problems.append(
                (draft.line, f"signature regex {pattern[:60]!r} rejected: {message}")
            )


def apply_to_record(issue: KnownIssue, meta: Meta) -> None:
    """The fields that only front matter can set: updated_at, retired, exact resolution steps."""
    data = meta.data
    updated = data.get("updated_at")
    if isinstance(updated, datetime):
        issue.updated_at = updated
    elif isinstance(updated, date):
        issue.updated_at = datetime(updated.year, updated.month, updated.day)
    elif isinstance(updated, str):
        try:
            issue.updated_at = datetime.fromisoformat(updated)
        except ValueError:
            issue.extra["updated_at"] = updated
    if "retired" in data:
        issue.retired = data["retired"] is True or as_text(data["retired"]).lower() == "true"
    if isinstance(data.get("resolution_steps"), list):
        issue.resolution_steps = as_list(data["resolution_steps"])
