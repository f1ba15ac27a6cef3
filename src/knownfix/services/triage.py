"""Triage a failing log end to end: extract → redact → fingerprint → policy → match → record.

    session = open_triage(store, settings, baseline="passing.log")   # once per invocation
    for source in ["build.log", "-"]:
        with log_chunks(source) as chunks:
            result = session.triage(source, chunks)
        print(result.to_dict())                                       # DESIGN §6 JSON

A passing run (the job ended in success) or an empty log has no failure: its result says so
(``outcome``), nothing is fingerprinted, matched or recorded.

Secrets are masked in the excerpt before anything looks at it, so neither the policy, the
fingerprint, the store nor any output ever sees them. The knowledge base is compiled into one
:class:`~knownfix.core.match.MatchIndex` per session, not per log: the compiled index stored
with the knowledge base is read once, the issues a log's candidates need when it needs them.
Inputs are streamed in 1 MiB blocks (bounded memory for any size); a JUnit XML report is
recognised from its first block and read as a report.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from knownfix.core.extract import (
    BaselineIndex,
    LogReading,
    Verdict,
    build_baseline,
    looks_like_junit,
    read_junit,
    read_log,
)
from knownfix.core.match import CommandLines, MatchIndex
from knownfix.core.policy import FailureFacts, Policy
from knownfix.core.policy.wider import decide_wider
from knownfix.core.records import Excerpt, IncidentRef, Signature, TriageDecision, TriageResult
from knownfix.core.secrets.redact import redact
from knownfix.core.signature.fingerprint import (
    FINGERPRINT_VERSION,
    compat_loose_fingerprints,
    fingerprint_excerpt,
)
from knownfix.errors import InputError
from knownfix.services.policy import load_active_policy
from knownfix.services.triage_window import RecentBlocks, around_excerpt
from knownfix.settings import Settings
from knownfix.textio import open_binary, printable_path, read_exactly, sniff, stdin_binary

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from knownfix.core.match.compiled import CompiledIndex
    from knownfix.core.match.issue_docs import StoredIssue
    from knownfix.core.records import KnownIssue
    from knownfix.storage.incident_write import NewOccurrence, OnRecorded, Recorded


class TriageStore(Protocol):
    """What triage needs of a store: the full :class:`~knownfix.storage.repository.Store`, or
    the light :class:`~knownfix.storage.sqlite_reader.SqliteReader` of a SQLite one."""

    def match_index(self) -> CompiledIndex: ...
    def get_prepared_issues(self, ids: Sequence[str]) -> list[StoredIssue]: ...
    def list_known_issues(self) -> list[KnownIssue]: ...
    def fingerprint_links(self) -> dict[str, str]: ...
    def record_occurrence(self, occ: NewOccurrence, *,
                          then: OnRecorded | None = None) -> Recorded: ...


STDIN = "-"
CHUNK_BYTES = 1 << 20
MATCH_LIMIT = 5
SOURCE_HINT_KEY = "tool"
"""The ``--hint`` key passed to the fingerprint as its source hint (``--hint tool=pytest``)."""


def triage_source(
    store: TriageStore | None,
    source: str,
    chunks: Iterable[bytes],
    *,
    policy: Policy,
    match_index: MatchIndex,
    baseline: BaselineIndex | None = None,
    record: bool = True,
    hints: Mapping[str, str] | None = None,
    now: datetime | None = None,
    history: Mapping[str, str] | None = None,
    idempotency_key: str | None = None,
    scope: str = "",
) -> TriageResult:
    """Triage one log given as byte blocks; record it as an incident occurrence when asked.

    ``history`` (loose fingerprint → known issue id) defaults to the store's links; pass it to
    avoid reading them for every log. ``scope`` (a repository, a service) keeps the incidents
    of one failure in two projects apart. Nothing is recorded without a store. A log with no
    text but white space is an InputError ("empty input").
    """
    hints = dict(hints or {})
    ran = CommandLines()  # which tool ran, for matching when the excerpt does not say
    seen = _TextSeen(chunks)
    recent = RecentBlocks(seen)  # the lines around the excerpt, for a weak decision
    reading = _read(ran.watch(recent), baseline)
    if not seen.text:
        raise InputError(f"{'<stdin>' if source == STDIN else source}: empty input (no log text)")
    excerpt = _redacted(reading.excerpt)
    if reading.verdict.outcome != "failed":
        return _no_failure(source, excerpt, reading.verdict)
    line_numbers = excerpt.line_numbers()
    step = redact(reading.step)
    signature = fingerprint_excerpt(
        excerpt.text, source_hint=hints.get(SOURCE_HINT_KEY), line_numbers=line_numbers,
        step=step,
    )
    decision = decide_wider(policy, FailureFacts(
        text=excerpt.text, title=signature.title, source=source, hints=hints, step=step,
    ), lambda: around_excerpt(recent, excerpt, line_numbers))
    if history is None:
        history = store.fingerprint_links() if store is not None else {}
    ranked = match_index.rank(
        excerpt.text, signature, history=history, limit=MATCH_LIMIT, line_numbers=line_numbers,
        commands=[redact(line) for line in ran.lines],
    )
    result = TriageResult(
        source=source,
        excerpt=excerpt,
        signature=signature,
        decision=decision,
        known=ranked.known,
        matches=ranked.matches,
    )
    if record and store is not None:
        result = record_result(store, result, hints=hints, now=now,
                               idempotency_key=idempotency_key, scope=scope)
    return result


RecordedHook = Callable[["Connection", TriageResult], None]
"""Called inside the transaction that records an occurrence, with the result it gives (its
writes commit, or roll back, with the occurrence)."""


def record_result(
    store: TriageStore,
    result: TriageResult,
    *,
    hints: Mapping[str, str] | None = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
    scope: str = "",
    then: RecordedHook | None = None,
) -> TriageResult:
    """Record a triaged failure as an incident occurrence; the result with its incident.

    A result without a failure, or whose excerpt is blank, records nothing (``then`` is not
    called) and comes back as it was."""
    if not result.failed or not result.excerpt.text.strip():
        return result
    excerpt, signature = result.excerpt, result.signature
    source_hint = (hints or {}).get(SOURCE_HINT_KEY)
    top = result.matches[0].id if result.known and result.matches else None
    # Here, not at the top: a read-only triage never loads the store's SQLAlchemy side.
    from knownfix.storage.incident_write import NewOccurrence

    occurrence = NewOccurrence(
        source=result.source,
        title=signature.title,
        fingerprint=signature.fingerprint,
        loose_fingerprint=signature.loose_fingerprint,
        fingerprint_version=signature.version,
        excerpt_text=excerpt.text,
        spans=excerpt.spans,
        category=result.decision.category,
        severity=result.decision.severity,
        response_time=result.decision.response_time,
        escalation=result.decision.escalation,
        known_issue_id=top,
        idempotency_key=idempotency_key,
        scope=scope,
        received_at=now or datetime.now(UTC),
        older_loose_fingerprints=lambda versions: compat_loose_fingerprints(
            excerpt.text, signature, source_hint=source_hint, versions=versions,
        ),
    )

    def with_incident(recorded: Recorded) -> TriageResult:
        found = recorded.incident
        return replace(result, incident=IncidentRef(
            found.id, recorded.new, found.count, found.known_issue_id, recorded.reopened))

    def inside(conn: Connection, recorded: Recorded) -> None:
        assert then is not None
        then(conn, with_incident(recorded))

    return with_incident(store.record_occurrence(occurrence, then=then and inside))


class _TextSeen:
    """Passes byte blocks through, noting whether any held more than white space."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = chunks
        self.text = False

    def __iter__(self) -> Iterator[bytes]:
        for block in self.chunks:
            if not self.text:
                body = block.removeprefix(codecs.BOM_UTF8)
                self.text = bool(body) and not body.isspace()
            yield block


def _read(chunks: Iterable[bytes], baseline: BaselineIndex | None) -> LogReading:
    stream = iter(chunks)
    first = next(stream, b"")
    whole = chain((first,), stream)
    if looks_like_junit(first):
        return read_junit(whole)
    return read_log(whole, baseline=baseline)


NO_FAILURE = {"passed": "no failure found: the job passed", "empty": "empty log: nothing to triage"}
"""The signature title of a log without a failure, by outcome."""


def _no_failure(source: str, evidence: Excerpt, verdict: Verdict) -> TriageResult:
    """The result for a passing run or an empty log: nothing to fingerprint, match or record
    (an empty log recorded would pile up with every other in one incident that says nothing)."""
    signature = Signature(
        title=NO_FAILURE[verdict.outcome], fingerprint="", loose_fingerprint="",
        version=FINGERPRINT_VERSION, reasons=(verdict.reason,),
    )
    return TriageResult(
        source=source, excerpt=evidence, signature=signature,
        decision=TriageDecision(category="none", severity="info"), known=False, matches=(),
        incident=None, outcome=verdict.outcome,
    )


def _redacted(excerpt: Excerpt) -> Excerpt:
    text = redact(excerpt.text)
    return excerpt if text == excerpt.text else Excerpt(spans=excerpt.spans, text=text)


@dataclass
class TriageSession:
    """The knowledge base, policy, baseline and fingerprint history, prepared once for many
    logs; what a log teaches (a fingerprint linked to a known issue) applies to the next."""

    store: TriageStore | None
    policy: Policy
    match_index: MatchIndex
    baseline: BaselineIndex | None = None
    history: dict[str, str] = field(default_factory=dict)
    scope: str = ""

    def triage(
        self,
        source: str,
        chunks: Iterable[bytes],
        *,
        record: bool = True,
        hints: Mapping[str, str] | None = None,
        now: datetime | None = None,
        idempotency_key: str | None = None,
        scope: str | None = None,
    ) -> TriageResult:
        """:func:`triage_source` with this session's index, policy, baseline and history (and
        its scope, unless ``scope`` names another: an event's own)."""
        result = triage_source(
            self.store, source, chunks, policy=self.policy, match_index=self.match_index,
            baseline=self.baseline, record=record, hints=hints, now=now, history=self.history,
            idempotency_key=idempotency_key, scope=self.scope if scope is None else scope,
        )
        return self._learn(result)

    def record(
        self,
        result: TriageResult,
        *,
        hints: Mapping[str, str] | None = None,
        now: datetime | None = None,
        idempotency_key: str | None = None,
        scope: str | None = None,
        then: RecordedHook | None = None,
    ) -> TriageResult:
        """Record a result triaged with ``record=False`` (see :func:`record_result`): a worker
        records the occurrence and finishes its event in one transaction (``then``)."""
        if self.store is None:
            return result
        return self._learn(record_result(
            self.store, result, hints=hints, now=now, idempotency_key=idempotency_key,
            scope=self.scope if scope is None else scope, then=then,
        ))

    def _learn(self, result: TriageResult) -> TriageResult:
        """What a recorded log teaches the next: its fingerprint's known issue."""
        if result.incident is not None and result.incident.known_issue_id:
            self.history[result.signature.loose_fingerprint] = result.incident.known_issue_id
        return result

    def triage_file(
        self, source: str, *, record: bool = True, hints: Mapping[str, str] | None = None
    ) -> TriageResult:
        """Open ``source`` (a path, or ``-`` for stdin) and triage it."""
        with log_chunks(source) as chunks:
            return self.triage(printable_path(source), chunks, record=record, hints=hints)


def open_triage(
    store: TriageStore | None, settings: Settings, *, baseline: str | None = None, scope: str = ""
) -> TriageSession:
    """A session over the store's known issues, the active policy and an optional baseline
    (a passing run of the same job: its lines cannot be the failure); incidents in ``scope``."""
    index = open_match_index(store, settings)
    baseline_index = None
    if baseline is not None:
        with log_chunks(baseline) as chunks:
            baseline_index = build_baseline(chunks)
    history = store.fingerprint_links() if store is not None else {}
    return TriageSession(store, load_active_policy(settings), index, baseline_index, history,
                         scope.strip())


def open_match_index(store: TriageStore | None, settings: Settings) -> MatchIndex:
    """The match index of the store's knowledge base: the stored compiled index, with the
    candidates' issues read when a log needs them. The optional semantic layer embeds every
    issue, so it builds the whole index in memory instead."""
    if store is None:
        return MatchIndex.build([])
    if settings.semantic:
        from knownfix.core.match.semantic import load_minilm

        return MatchIndex.build(store.list_known_issues(), embedder=load_minilm())
    return MatchIndex.load(store.match_index(), store.get_prepared_issues)


@contextmanager
def log_chunks(source: str, *, stdin: BinaryIO | None = None) -> Iterator[Iterator[bytes]]:
    """The bytes of a log file (``-``: stdin) in 1 MiB blocks; UTF-16 is turned into UTF-8.

    Raises :class:`InputError` at once for a missing file, a folder, or a binary file.
    """
    if source == STDIN:
        stream: BinaryIO = stdin or stdin_binary()
        label, owned = "<stdin>", False
    else:
        stream, label, owned = open_binary(Path(source), source), source, True
    try:
        head = read_exactly(stream, CHUNK_BYTES, label)
        encoding = sniff(head, label)
        if encoding != "utf-8":
            yield _utf16_as_utf8(head, stream, label, encoding)
        else:
            yield _blocks(head, stream, label)
    finally:
        if owned:
            stream.close()


def _blocks(head: bytes, stream: BinaryIO, label: str) -> Iterator[bytes]:
    block = head
    while block:
        yield block
        block = read_exactly(stream, CHUNK_BYTES, label)


def _utf16_as_utf8(head: bytes, stream: BinaryIO, label: str, encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    for block in _blocks(head, stream, label):
        yield decoder.decode(block).encode("utf-8", "surrogatepass")
    yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")


def exit_status(results: Iterable[TriageResult | InputError]) -> int:
    """0 when every input is a known issue or has no failure (a passing run), 1 when one is an
    unknown failure, 2 when one is an error."""
    status = 0
    for result in results:
        if isinstance(result, InputError):
            return 2
        if result.failed and not result.known:
            status = 1
    return status
