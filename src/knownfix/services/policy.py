"""The active triage policy: which file applies, reading it, and writing new policy files.

Which policy applies, first found wins: ``settings.policy_path`` (``KNOWNFIX_POLICY_PATH``),
then ``knownfix-policy.yaml`` in the project directory, then the shipped default policy.
The triage service calls :func:`load_active_policy`; the ``policy`` commands use the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from knownfix.core.extract import LogReading, read_log
from knownfix.core.policy import (
    FailureFacts,
    Policy,
    default_policy,
    default_policy_text,
    load_policy,
    policy_from_rows,
    policy_to_yaml,
)
from knownfix.core.policy.schema import MAX_POLICY_CHARS
from knownfix.core.policy.wider import decide_wider
from knownfix.core.records import Excerpt, TriageDecision
from knownfix.core.secrets.redact import redact
from knownfix.errors import ConfigError, Conflict, InputError, PolicyError
from knownfix.settings import Settings
from knownfix.textio import iter_text_lines

POLICY_FILE_NAME = "knownfix-policy.yaml"


@dataclass(frozen=True, slots=True)
class ActivePolicy:
    """A policy and where it came from (``path`` is None for the shipped default)."""

    policy: Policy
    path: Path | None

    @property
    def origin(self) -> str:
        return str(self.path) if self.path else "built-in default policy"


def find_policy_file(settings: Settings) -> Path | None:
    """The policy file that applies, or None when the shipped default does."""
    if settings.policy_path is not None:
        if not settings.policy_path.is_file():
            raise ConfigError(
                f"policy file {settings.policy_path} (KNOWNFIX_POLICY_PATH) does not exist"
            )
        return settings.policy_path
    candidate = settings.project_dir / POLICY_FILE_NAME
    return candidate if candidate.is_file() else None


def read_policy_file(path: Path) -> Policy:
    """Load and validate the policy in ``path``; errors name ``path:line``."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_POLICY_CHARS * 4 + 1)
    except OSError as error:
        raise PolicyError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PolicyError(f"{path}: not UTF-8 text (byte {error.start})") from None
    return load_policy(text, origin=str(path))


@lru_cache(maxsize=8)
def _read_cached(path: Path, mtime_ns: int, size: int) -> Policy:
    # Keyed on the file's mtime and size: a server re-reads the policy only after it changes.
    return read_policy_file(path)


def active_policy(settings: Settings) -> ActivePolicy:
    """The policy triage uses, with its origin; a file is compiled again only when it changes."""
    path = find_policy_file(settings)
    if path is None:
        return ActivePolicy(default_policy(), None)
    try:
        stat = path.stat()
    except OSError as error:
        raise PolicyError(f"{path}: cannot read: {error.strerror or error}") from None
    return ActivePolicy(_read_cached(path, stat.st_mtime_ns, stat.st_size), path)


def load_active_policy(settings: Settings) -> Policy:
    """The policy triage uses: the configured file, the project's file, or the default."""
    return active_policy(settings).policy


def runbook_policy(path: Path, *, name: str | None = None) -> Policy:
    """A policy from a runbook's response matrix, before the default policy's rules."""
    from knownfix.core.docparse import parse_markdown

    with iter_text_lines(path) as lines:
        document = parse_markdown(lines, str(path))
    if not document.policy_rows:
        raise InputError(
            f"{path}: no response matrix found (a table with the columns Failure Type, "
            "Severity, Response Time, Escalation)"
        )
    return policy_from_rows(document.policy_rows, name=name or path.stem)


def write_policy_file(path: Path, text: str, *, force: bool = False) -> None:
    """Write a policy document to ``path``; refuses to replace a file unless ``force``."""
    if path.exists() and not force:
        raise Conflict(f"{path} already exists (use --force to overwrite it)")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None


def init_policy(path: Path, *, runbook: Path | None = None, force: bool = False) -> Policy:
    """Write the default policy, or one built from ``runbook``, to ``path``; return it."""
    if runbook is None:
        write_policy_file(path, default_policy_text(), force=force)
        return default_policy()
    policy = runbook_policy(runbook)
    write_policy_file(path, policy_to_yaml(policy), force=force)
    return policy


def failure_reading(source: str, *, stdin: BinaryIO | None = None
                    ) -> tuple[LogReading, str | None]:
    """What triage reads of a log before its policy decides, secrets masked: the lines that
    explain its failure and the failed step's facts (the policy's ``step_regex`` tests them),
    and the log's lines around them that a weak decision reads (None where there are none).
    ``source`` is a path or ``-`` (stdin), read once, as triage reads it."""
    from knownfix.services.triage import log_chunks  # triage imports this module
    from knownfix.services.triage_window import RecentBlocks, around_excerpt

    with log_chunks(source, stdin=stdin) as chunks:
        recent = RecentBlocks(chunks)
        reading = read_log(recent)
    excerpt = reading.excerpt
    text = redact(excerpt.text)
    if text != excerpt.text:
        excerpt = Excerpt(spans=excerpt.spans, text=text)
        reading = replace(reading, excerpt=excerpt)
    return reading, around_excerpt(recent, excerpt, excerpt.line_numbers())


def explain_decision(policy: Policy, facts: FailureFacts, around: str | None
                     ) -> tuple[TriageDecision, bool, list[tuple[str, bool, str]]]:
    """The decision triage makes on ``facts`` (a weak one reads ``around``, the lines around the
    excerpt: :func:`~knownfix.core.policy.wider.decide_wider`), whether those lines decided it,
    and each rule's trace on the text that decided."""
    decision = decide_wider(policy, facts, lambda: around)
    widened = around is not None and decision != policy.decide(facts)
    decided_on = replace(facts, text=around) if widened and around else facts
    return decision, widened, policy.explain(decided_on)
