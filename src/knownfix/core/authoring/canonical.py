"""knownfix's own Markdown format for a known issue, and the scaffold behind ``knownfix new``.

    ---
    id: KF-0012
    severity: High
    status: Fixed
    tags: [alembic]
    ---

    # Broken Alembic migration chain

    ## Symptoms          bullets; literal error strings
    ## Root cause        prose
    ## Resolution        numbered steps
    ## Commands          ```bash fences
    ## Verification      ```bash fences (or bullets for checks that are not commands)
    ## Prevention        prose
    ## <Other>           one section per ``extra`` entry
    ## Signature         ```signature fence: YAML with contains: [...] and regex: [...]

Reading a rendered issue gives back an equal record (``source`` aside: that is where it was read
from). Text that Markdown would alter is written so that it cannot be: a code span, or a
```` ```verbatim ```` fence holding the text exactly. Every choice is checked by reading it back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import yaml

from knownfix.core.docparse import parse_markdown
from knownfix.core.docparse import rules as r
from knownfix.core.docparse.commands import split_commands
from knownfix.core.docparse.content import VERBATIM, fence_markdown, format_list
from knownfix.core.docparse.inline import code_span
from knownfix.core.docparse.rules import field_key
from knownfix.core.records import KnownIssue

SECTIONS = ("Symptoms", "Root cause", "Resolution", "Commands", "Verification", "Prevention",
            "Signature")
PLACEHOLDER = "TODO"
_PROBE_PATH = "probe.md"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_MARKDOWN_SIGNS = re.compile(r"[`*_\[\]<>\\&#|!~]|^\s*(?:[-+>=]|\d+[.)])|\s{2,}")
# Labels that, read back, land in ``extra`` and nowhere else (None: a label of its own).
_EXTRA_ONLY = frozenset({None, r.RESOLUTION_TIME, r.EXPECTED, r.CONTEXT, r.IMPACT})
_OPTIMISTIC: ContextVar[bool] = ContextVar("knownfix_render_optimistic", default=False)
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def lines_of(markdown: str) -> list[str]:
    """``markdown`` as the lines a file reader would give (split at "\n" only)."""
    return [line + "\n" for line in markdown.split("\n")]


def _read(markdown: str) -> KnownIssue | None:
    document = parse_markdown(lines_of(markdown), _PROBE_PATH, doc_key="probe")
    return document.issues[0] if len(document.issues) == 1 else None


def _probe(section: str, body: str) -> KnownIssue | None:
    """Read ``body`` as the only content section of a minimal issue (plus a marker symptom)."""
    marker = "" if section == "Symptoms" else "## Symptoms\n\n- probe\n\n"
    return _read(f"---\nid: probe\n---\n\n# Probe\n\n{marker}## {section}\n\n{body}\n")


def _reads_back(section: str, body: str, check: Callable[[KnownIssue], bool]) -> bool:
    """Whether ``body`` under ``## section`` reads back as wanted. While drafting optimistically
    (see ``render_issue``) every choice is trusted; the whole document is checked instead."""
    if _OPTIMISTIC.get():
        return True
    issue = _probe(section, body)
    return issue is not None and check(issue)


def _first_that(candidates: list[str], accept: Callable[[str], bool]) -> str | None:
    return next((c for c in candidates if accept(c)), None)


def _verbatim(text: str) -> str:
    return fence_markdown(VERBATIM, text)


# -- one field at a time ---------------------------------------------------------------------
def _prose_body(section: str, text: str, get: Callable[[KnownIssue], str]) -> str:
    def accept(body: str) -> bool:
        return _reads_back(section, body, lambda issue: get(issue) == text)

    return _first_that([text], accept) or _verbatim(text)


def _symptom_block(text: str) -> str:
    def accept(body: str) -> bool:
        return _reads_back("Symptoms", body, lambda issue: issue.symptoms == [text])

    candidates = [f"- {text}", f"- {code_span(text)}"] if "\n" not in text else []
    if _MARKDOWN_SIGNS.search(text):
        candidates.reverse()  # Markdown would read these characters: quote them as code
    return _first_that(candidates, accept) or _verbatim(text)


def _symptoms_body(symptoms: list[str]) -> str:
    body = _join_blocks([_symptom_block(s) for s in symptoms])
    if _reads_back("Symptoms", body, lambda issue: issue.symptoms == symptoms):
        return body
    return "\n\n".join(_verbatim(s) for s in symptoms)


def _join_blocks(blocks: list[str]) -> str:
    """Consecutive bullets stay one list; anything else is separated by a blank line."""
    out: list[str] = []
    for block in blocks:
        if out and not (block.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(block)
    return "\n".join(out)


# A command starts with a program or path (lower case), an env assignment, or a Verb-Noun cmdlet.
_COMMAND_START = re.compile(
    r"^(?:[a-z.~/$_][\w./+:-]*|[A-Z_][A-Z0-9_]*=\S*|[A-Z][a-z]+-[A-Z]\w*)(?:\s|$)"
)


def _looks_like_command(item: str) -> bool:
    return "`" not in item and not item.endswith(".") and bool(_COMMAND_START.match(item))


def _items_body(section: str, items: list[str], get: Callable[[KnownIssue], list[str]]) -> str:
    """Commands or checks: shell commands grouped in ```bash fences, prose checks as bullets,
    anything else in its own verbatim fence."""

    def fits(body: str, expected: list[str]) -> bool:
        return _reads_back(section, body, lambda issue: get(issue) == expected)

    blocks: list[str] = []
    shell: list[str] = []
    for item in items:
        if _looks_like_command(item) and split_commands(item, "bash") == [item]:
            shell.append(item)
            continue
        if shell:
            blocks.append(fence_markdown("bash", "\n".join(shell)))
            shell = []
        bullet = f"- {item}"
        if "\n" not in item and fits(bullet, [item]):
            blocks.append(bullet)
        elif fits(fence_markdown("text", item), [item]):
            blocks.append(fence_markdown("text", item))
        else:
            blocks.append(_verbatim(item))
    if shell:
        blocks.append(fence_markdown("bash", "\n".join(shell)))
    body = _join_blocks(blocks)
    return body if fits(body, items) else "\n\n".join(_verbatim(i) for i in items)


def _resolution_body(issue: KnownIssue) -> tuple[str, bool]:
    """The Resolution section, and whether the steps must also go in the front matter."""
    text, steps = issue.resolution, issue.resolution_steps
    if _OPTIMISTIC.get():
        if text:
            return text, bool(steps) and text != format_list(steps, ordered=True)
        return format_list(steps, ordered=True), False
    probe = _probe("Resolution", text) if text else None
    if probe is not None and probe.resolution == text:
        return text, probe.resolution_steps != steps
    if not text and steps:
        listed = format_list(steps, ordered=True)
        probe = _probe("Resolution", listed)
        if probe is not None and probe.resolution == "" and probe.resolution_steps == steps:
            return listed, False
    return _verbatim(text), bool(steps)


# -- the whole issue -------------------------------------------------------------------------
def _extra_fits_section(key: str, value: str) -> bool:
    """Whether ``## key`` over ``value`` reads back as that extra entry and nothing else."""
    if not key or "\n" in key or key != key.strip() or key.startswith("#"):
        return False
    if key.casefold() in {s.casefold() for s in SECTIONS}:
        return False
    if _OPTIMISTIC.get():
        key_field = field_key(key)
        return key_field in _EXTRA_ONLY or (key_field == r.DIAGNOSIS and "```" not in value)
    issue = _probe(key, _prose_body_for_extra(key, value))
    return issue is not None and issue.extra == {key: value} and _only_marker(issue)


def _only_marker(issue: KnownIssue) -> bool:
    empty = KnownIssue(id=issue.id, title=issue.title, symptoms=["probe"], extra=issue.extra,
                       source=issue.source)
    return issue == empty


def _prose_body_for_extra(key: str, value: str) -> str:
    return _prose_body(key, value, lambda i: i.extra.get(key, ""))


def _front_matter(issue: KnownIssue, title_fits: bool, steps: bool, extra: dict[str, str]) -> str:
    data: dict[str, Any] = {"id": issue.id}
    if not title_fits:
        data["title"] = issue.title
    for key in ("severity", "status", "category", "response_time", "escalation",
                "self_healing"):
        value = getattr(issue, key)
        if value is not None:
            data[key] = value
    if issue.tags:
        data["tags"] = list(issue.tags)
    if issue.updated_at is not None:
        data["updated_at"] = issue.updated_at.isoformat()
    if issue.retired:
        data["retired"] = True
    if steps:
        data["resolution_steps"] = list(issue.resolution_steps)
    if extra:
        data["extra"] = dict(extra)
    return f"---\n{_yaml(data)}---"


class _Dumper(yaml.SafeDumper):
    """Safe YAML that writes multi-line text as a readable literal block (``|``)."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def _title_fits(title: str) -> bool:
    if "\n" in title or not title.strip():
        return False
    if _OPTIMISTIC.get():
        return title == title.strip() and field_key(title) is None and not title.startswith("#")
    issue = _read(f"---\nid: probe\n---\n\n# {title}\n\n## Symptoms\n\n- probe\n")
    return issue is not None and issue.title == title


def _same_record(a: KnownIssue, b: KnownIssue) -> bool:
    left, right = a.to_dict(), b.to_dict()
    left.pop("source")
    right.pop("source")
    return left == right


def render_issue(issue: KnownIssue) -> str:
    """The issue in knownfix's canonical Markdown (reads back as an equal record).

    Ordinary issues are drafted in one go and checked once; only when that draft does not read
    back does every field get its own checked choice (code spans, verbatim fences …).
    """
    token = _OPTIMISTIC.set(True)
    try:
        draft = _render(issue)
    finally:
        _OPTIMISTIC.reset(token)
    back = _read(draft)
    if back is not None and _same_record(back, issue):
        return draft
    return _render(issue)


def _render(issue: KnownIssue) -> str:
    title_fits = _title_fits(issue.title)
    sections: list[tuple[str, str]] = []
    if issue.symptoms:
        sections.append(("Symptoms", _symptoms_body(issue.symptoms)))
    if issue.root_cause:
        sections.append(("Root cause", _prose_body("Root cause", issue.root_cause,
                                                   lambda i: i.root_cause)))
    steps_in_front = False
    if issue.resolution or issue.resolution_steps:
        body, steps_in_front = _resolution_body(issue)
        sections.append(("Resolution", body))
    if issue.commands:
        sections.append(("Commands", _items_body("Commands", issue.commands, lambda i: i.commands)))
    if issue.verification:
        sections.append(("Verification", _items_body("Verification", issue.verification,
                                                      lambda i: i.verification)))
    if issue.prevention:
        sections.append(("Prevention", _prose_body("Prevention", issue.prevention,
                                                   lambda i: i.prevention)))
    front_extra: dict[str, str] = {}
    for key, value in issue.extra.items():
        if sections and value and _extra_fits_section(key, value):
            sections.append((key, _prose_body_for_extra(key, value)))
        else:
            front_extra[key] = value
    if issue.signature:
        signature = _yaml(issue.signature.to_dict()).rstrip("\n")
        sections.append(("Signature", fence_markdown("signature", signature)))
    heading = issue.title if title_fits else "Known issue"  # the front matter has the title
    parts = [_front_matter(issue, title_fits, steps_in_front, front_extra), f"# {heading}"]
    parts.extend(f"## {name}\n\n{body}" for name, body in sections)
    return "\n\n".join(parts) + "\n"


# -- new issues and exports ------------------------------------------------------------------
def render_scaffold(title: str, issue_id: str | None = None) -> str:
    """A new canonical issue to fill in; its TODO placeholders are lint errors until replaced."""
    data: dict[str, Any] = {}
    if issue_id:
        data["id"] = issue_id
    data["severity"] = f"{PLACEHOLDER}: Critical, High, Medium or Low"
    data["status"] = "Open"
    data["tags"] = []
    front = _yaml(data)
    heading = " ".join(title.split()) or "Untitled issue"
    return (
        f"---\n{front}---\n\n# {heading}\n\n"
        "## Symptoms\n\n"
        f"- {PLACEHOLDER}: paste the exact error line, e.g. "
        "`ModuleNotFoundError: No module named 'requests'`\n\n"
        "## Root cause\n\n"
        f"{PLACEHOLDER}: why it happens.\n\n"
        "## Resolution\n\n"
        f"1. {PLACEHOLDER}: first step of the fix.\n\n"
        "## Commands\n\n"
        f"```bash\n# {PLACEHOLDER}: commands that apply the fix\n```\n\n"
        "## Verification\n\n"
        f"```bash\n# {PLACEHOLDER}: a command that shows the fix worked\n```\n\n"
        "## Prevention\n\n"
        f"{PLACEHOLDER}: what keeps it from coming back.\n\n"
        "## Signature\n\n"
        "```signature\n"
        "contains:\n"
        f"  - \"{PLACEHOLDER}: a literal substring of the error line\"\n"
        "regex: []\n"
        "```\n"
    )


def export_filename(issue: KnownIssue) -> str:
    """A safe, unique file name for the issue (``kb export DIR``): its id, made portable."""
    readable = issue.id.replace(":", ".")
    name = _SAFE_NAME.sub("-", readable).strip(".-")[:100]
    if name != readable or not name or _WINDOWS_RESERVED.match(name):
        digest = hashlib.sha1(issue.id.encode("utf-8")).hexdigest()[:8]
        name = f"{name or 'issue'}-{digest}"
    return f"{name}.md"
