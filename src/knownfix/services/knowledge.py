"""Knowledge-base use cases: import, list, show, export, scaffold, lint and search known issues.

Each function does the I/O around one core step (reading files with :mod:`knownfix.textio`,
writing files, calling the store), so the CLI and the web layer stay a few lines each.

Doc keys. Every imported file gets a key that scopes retirement and the ids the parser derives
for issues without an id of their own: the file's path relative to the folder given on the
command line, without its ``.md`` suffix (``docs/db/alembic.md`` imported as ``docs`` is
``db/alembic``), or the file's stem when the file itself was given (``alembic``). Keys do not
depend on where the folder lives, so moving it keeps every id. A top-level file has the same key
either way; a nested file imported on its own does not, so import nested docs through a folder.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knownfix.core.authoring.canonical import export_filename, render_issue, render_scaffold
from knownfix.core.authoring.lint import LintProblem, lint_markdown
from knownfix.core.docparse import parse_markdown, slug
from knownfix.core.records import KnownIssue, ParsedDocument, SearchHit, Skipped
from knownfix.core.text.mdlinks import neutralize_links
from knownfix.errors import Conflict, InputError
from knownfix.services import import_digests, import_workers
from knownfix.services.import_files import (
    NOT_REGULAR,
    SourceFile,
    find_markdown,
    removed_doc_keys,
    spooled,
)
from knownfix.storage.import_rows import PreparedIssue
from knownfix.storage.repository import ImportStats, Store
from knownfix.textio import (
    check_text_file,
    is_regular_file,
    iter_text_lines,
)

PROGRESS_EVERY_CHARS = 1 << 20

Progress = Callable[[int, int, str], None]
"""``progress(done_bytes, total_bytes, current_path)``, called as an import advances."""


@dataclass(slots=True)
class FileReport:
    """What the importer made of one file."""

    path: str
    doc_key: str
    shape: str
    issues: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "doc_key": self.doc_key,
            "shape": self.shape,
            "issues": self.issues,
            "skipped": [{"path": s.path, "line": s.line, "reason": s.reason} for s in self.skipped],
        }


@dataclass(slots=True)
class ImportReport:
    """Per-file shapes and counts, every skipped section, deleted docs, the store's counts."""

    files: list[FileReport]
    stats: ImportStats
    removed: list[str] = field(default_factory=list)  # doc keys of deleted files

    @property
    def skipped(self) -> list[Skipped]:
        return [s for f in self.files for s in f.skipped]

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [f.to_dict() for f in self.files],
            "removed": list(self.removed),
            "stats": self.stats.to_dict(),
        }


def import_paths(
    store: Store, paths: Sequence[str | os.PathLike[str]], *, progress: Progress | None = None,
    workers: int = 1,
) -> ImportReport:
    """Import the Markdown files under ``paths`` in one transaction; report what happened.

    A file named on the command line that cannot be read as text is an InputError; one found
    by walking a folder is reported as skipped and its issues in the store are left alone.
    ``workers`` processes parse the documents (0: one per core, at most 4) when there are
    enough of them to be worth it; the store is written by this process alone.
    """
    with tempfile.TemporaryDirectory(prefix="knownfix-import-") as spool:
        return _import_sources(store, paths, find_markdown(paths), Path(spool), progress,
                               workers)


def _import_sources(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    sources: list[SourceFile],
    spool: Path,
    progress: Progress | None,
    workers: int = 1,
) -> ImportReport:
    reports: list[FileReport] = []
    readable: list[SourceFile] = []
    for source in sources:
        try:
            if not is_regular_file(source.path):
                if not source.explicit:
                    raise InputError(f"{source.display}: {NOT_REGULAR}")
                # A pipe (import <(curl ...)) can be read once only: copy it, read the copy.
                source = spooled(source, spool / f"{len(readable)}.md")
            check_text_file(source.path, name=source.display)
        except InputError as error:
            if source.explicit:
                raise
            reason = str(error).removeprefix(f"{source.display}: ")
            skipped = [Skipped(source.display, 0, reason)]
            reports.append(FileReport(source.display, source.doc_key, "unreadable", 0, skipped))
            continue
        readable.append(source)
    # A document whose bytes and whose importer are those of its last import is not parsed
    # again: its issues are what they were (an unchanged 100,000-issue tree imports in seconds).
    digests = {source.doc_key: import_digests.document_digest(source.path)
               for source in readable}
    kept = store.unchanged_documents(digests)
    for source in readable:
        if source.doc_key in kept:
            reports.append(_kept_report(source, kept[source.doc_key]))
    changed = [source for source in readable if source.doc_key not in kept]
    total = sum(source.size for source in changed)
    parsed_reports: dict[str, tuple[str, dict[str, Any]]] = {}

    prepared: dict[str, PreparedIssue] = {}  # issue id -> its rows, from the workers

    def parsed_one_by_one() -> Iterator[ParsedDocument]:
        done = 0
        for source in changed:
            with iter_text_lines(source.path, name=source.display) as lines:
                counted = _counting(lines, done, total, source.display, progress)
                yield parse_markdown(counted, source.display, doc_key=source.doc_key)
            done += source.size

    def parsed() -> Iterator[ParsedDocument]:
        count = import_workers.worker_count(workers, changed)
        if count <= 1:
            yield from parsed_one_by_one()
            return
        for doc, found in import_workers.parallel_parse(changed, count):
            prepared.update(found)
            yield doc

    def documents() -> Iterator[ParsedDocument]:
        done = 0
        for source, doc in zip(changed, parsed(), strict=True):
            report = FileReport(source.display, source.doc_key, doc.shape, len(doc.issues),
                                list(doc.skipped))
            reports.append(report)
            parsed_reports[source.doc_key] = (digests[source.doc_key], _stored_report(report))
            done += source.size
            if progress is not None:
                progress(done, total, source.display)
            yield doc

    removed = removed_doc_keys(store, paths, sources)
    stats = store.import_documents(
        documents(), doc_keys=[s.doc_key for s in changed], removed_doc_keys=removed,
        digests=lambda: parsed_reports, prepared=prepared,
    )
    unchanged = stats.unchanged + sum(int(report["issues"]) for report in kept.values())
    stats = ImportStats(**{**stats.to_dict(), "unchanged": unchanged,
                           "skipped": sum(len(r.skipped) for r in reports)})
    order = {source.display: n for n, source in enumerate(sources)}
    reports.sort(key=lambda r: order.get(r.path, 0))
    return ImportReport(files=reports, stats=stats, removed=removed)


def _stored_report(report: FileReport) -> dict[str, Any]:
    return {"shape": report.shape, "issues": report.issues,
            "skipped": [[s.line, s.reason] for s in report.skipped]}


def _kept_report(source: SourceFile, stored: dict[str, Any]) -> FileReport:
    skipped = [Skipped(source.display, int(line), str(reason))
               for line, reason in stored.get("skipped", [])]
    return FileReport(source.display, source.doc_key, str(stored["shape"]),
                      int(stored["issues"]), skipped)


def _counting(
    lines: Iterable[str], start: int, total: int, path: str, progress: Progress | None
) -> Iterator[str]:
    """Pass ``lines`` through, telling ``progress`` roughly how far into the file we are."""
    if progress is None:
        yield from lines
        return
    progress(start, total, path)
    seen = reported = 0
    for line in lines:
        seen += len(line)
        if seen - reported >= PROGRESS_EVERY_CHARS:
            reported = seen
            progress(min(start + seen, total), total, path)
        yield line


def list_issues(
    store: Store, *, include_retired: bool = False, category: str | None = None
) -> list[KnownIssue]:
    """Known issues ordered by id; retired ones only when asked; of one category (any case)."""
    issues = store.list_known_issues(include_retired=include_retired)
    if category and category.strip():
        folded = category.strip().casefold()
        issues = [i for i in issues if (i.category or "").casefold() == folded]
    return issues


@dataclass(frozen=True, slots=True)
class Reindexed:
    """What ``knownfix kb reindex`` rebuilt."""

    issues: int  # known issues in the search index (retired ones too)
    matchable: int  # active issues in the match index
    terms: int
    seconds: float

    def to_dict(self) -> dict[str, float | int]:
        return {"issues": self.issues, "matchable": self.matchable, "terms": self.terms,
                "seconds": round(self.seconds, 3)}


def reindex(store: Store) -> Reindexed:
    """Rebuild the search index and the compiled match index from the known issues."""
    started = time.perf_counter()
    issues = store.reindex()
    compiled = store.match_index()
    return Reindexed(issues, compiled.size, len(compiled.terms), time.perf_counter() - started)


def issue_categories(issues: Iterable[KnownIssue]) -> list[str]:
    """The categories ``issues`` name, sorted without case, each once."""
    return sorted({i.category for i in issues if i.category}, key=str.casefold)


def show_issue(store: Store, issue_id: str) -> KnownIssue:
    """One known issue by id (NotFound if there is none)."""
    return store.get_known_issue(issue_id)


def export_issues(
    store: Store, directory: str | os.PathLike[str], *, include_retired: bool = False
) -> list[Path]:
    """Write each known issue as a canonical Markdown file into ``directory``; the files."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: not a folder")
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    for issue in store.list_known_issues(include_retired=include_retired):
        name = _unique_name(export_filename(issue), used)
        path = target / name
        path.write_text(neutralize_links(render_issue(issue)), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _unique_name(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
    used.add(candidate.lower())
    return candidate


def new_doc(
    title: str, directory: str | os.PathLike[str] = ".", *, issue_id: str | None = None
) -> Path:
    """Write a canonical Markdown scaffold for a new known issue; never overwrites a file."""
    if not title.strip():
        raise InputError("the title must not be empty")
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    name = export_filename(KnownIssue(id=issue_id or slug(title), title=title.strip()))
    path = folder / name
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(render_scaffold(title.strip(), issue_id))
    except FileExistsError:
        raise Conflict(f"{path} already exists; not overwriting it") from None
    return path


def lint_paths(paths: Sequence[str | os.PathLike[str]]) -> list[LintProblem]:
    """Template problems of every Markdown file under ``paths``, in file and line order."""
    problems: list[LintProblem] = []
    for source in find_markdown(paths):
        if not source.explicit and not is_regular_file(source.path):
            problems.append(LintProblem(source.display, 1, NOT_REGULAR, "warning"))
            continue
        try:
            with iter_text_lines(source.path, name=source.display) as lines:
                problems.extend(lint_markdown(lines, source.display))
        except InputError as error:
            reason = str(error).removeprefix(f"{source.display}: ")
            problems.append(LintProblem(source.display, 1, reason, "error"))
    return problems


CATEGORY_SEARCH_DEPTH = 500
"""Hits a category-filtered search ranks before keeping those of the category."""


def search(
    store: Store, query: str, limit: int = 10, *, category: str | None = None
) -> list[SearchHit]:
    """Active known issues ranked by relevance to ``query`` (of one category when given)."""
    if not (category and category.strip()):
        return store.search(query, limit=limit)
    wanted = {issue.id for issue in list_issues(store, category=category)}
    hits = store.search(query, limit=max(limit, CATEGORY_SEARCH_DEPTH))
    return [hit for hit in hits if hit.issue_id in wanted][:limit]
