"""Parsing documents in worker processes on import, with bounded memory.

The importing process alone writes the store (one transaction); workers only parse documents
and tokenize their issues for the match index, which is where an import of thousands of
documents spends its time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from knownfix.core.docparse import parse_markdown
from knownfix.core.records import ParsedDocument
from knownfix.storage.import_rows import PreparedIssue, prepare_issues
from knownfix.textio import iter_text_lines

if TYPE_CHECKING:
    from knownfix.services.import_files import SourceFile

# Below this much to parse, starting worker processes costs more than it saves.
PARALLEL_BYTES = 4 << 20
MAX_WORKERS = 4


def worker_count(asked: int, sources: Sequence[SourceFile]) -> int:
    if len(sources) < 2 or sum(s.size for s in sources) < PARALLEL_BYTES:
        return 1
    wanted = asked if asked > 0 else min(MAX_WORKERS, os.cpu_count() or 1)
    return max(1, min(wanted, len(sources)))


def parse_in_worker(path: str, display: str,
                    doc_key: str) -> tuple[ParsedDocument, dict[str, PreparedIssue]]:
    """Parse one document and prepare what the import writes for its issues (in a worker):
    issue id → its column values and stored forms, JSON already encoded
    (:func:`knownfix.storage.import_rows.prepare_issues`). The importing process writes them
    as the document comes, so they do not wait for the import's end."""
    with iter_text_lines(Path(path), name=display) as lines:
        doc = parse_markdown(lines, display, doc_key=doc_key)
    return doc, prepare_issues(doc.issues)


def parallel_parse(sources: Sequence[SourceFile], workers: int
                   ) -> Iterator[tuple[ParsedDocument, dict[str, PreparedIssue]]]:
    """Documents parsed by ``workers`` processes, in order; at most two per worker wait in
    memory, so a large tree costs no more memory than one process parsing it."""
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: list[concurrent.futures.Future[
            tuple[ParsedDocument, dict[str, PreparedIssue]]]] = []
        queue = iter(sources)
        for source in queue:
            pending.append(pool.submit(parse_in_worker, str(source.path), source.display,
                                       source.doc_key))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done = pending.pop(0).result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(pool.submit(parse_in_worker, str(nxt.path), nxt.display,
                                           nxt.doc_key))
            yield done
