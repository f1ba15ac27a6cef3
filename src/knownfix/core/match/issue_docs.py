"""The indexed form of the candidates' known issues, read and prepared only when needed.

A log meets a few dozen candidates among thousands of issues: their phrases and fields are
read as the store prepared them at import (``prepared``), or prepared again from the issue's text
(``phrases.index_issue``) when the store has no current form of them, on first use, and kept,
most recently used last, up to a bound, so a long-lived process stays fast on the issues its
logs meet without holding the whole knowledge base in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from knownfix.core.match.compiled import CompiledIndex
from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.phrases import index_issue
from knownfix.core.match.prepared import doc_from_stored
from knownfix.core.records import KnownIssue

# Issues kept prepared by a long-lived process (a few MB per thousand).
DOC_CACHE = 20_000


@dataclass(frozen=True, slots=True)
class StoredIssue:
    """A known issue as the store holds it, with its stored terms and prepared phrases (JSON)
    when they are current for this content; None when they are missing or stale."""

    issue: KnownIssue
    terms: Mapping[str, Any] | None = None
    prepared: Mapping[str, Any] | None = None


Fetch = Callable[[Sequence[str]], Iterable[KnownIssue | StoredIssue]]


class IssueDocs:
    """Prepared issues by id: read through ``fetch`` (ids → issues) when first needed."""

    def __init__(self, fetch: Fetch | None, capacity: int = DOC_CACHE) -> None:
        self.fetch = fetch
        self.capacity = capacity
        self._docs: OrderedDict[str, IssueDoc] = OrderedDict()
        self.read = 0  # issues whose stored prepared form was used
        self.rebuilt = 0  # issues prepared again from their text

    @classmethod
    def of(cls, docs: Sequence[IssueDoc]) -> IssueDocs:
        """Every issue prepared already (an index built in memory): nothing is ever read."""
        held = cls(None, capacity=len(docs))
        held._docs.update((doc.id, doc) for doc in docs)
        return held

    def __len__(self) -> int:
        """How many issues are kept prepared (at most ``capacity`` after each ``get``)."""
        return len(self._docs)

    def get(self, compiled: CompiledIndex, ordinals: Sequence[int]) -> list[IssueDoc]:
        """The prepared issues at ``ordinals`` of ``compiled``, in that order. An issue the
        store no longer holds (changed since the index was read) is left out."""
        ids = [compiled.issue_ids[i] for i in ordinals]
        missing = [i for i in ids if i not in self._docs]
        if missing and self.fetch is not None:
            for item in self.fetch(missing):
                issue = item if isinstance(item, KnownIssue) else item.issue
                if not issue.retired:
                    self._docs[issue.id] = self._prepare(item)
        found: list[IssueDoc] = []
        for issue_id in ids:
            doc = self._docs.get(issue_id)
            if doc is not None:
                self._docs.move_to_end(issue_id)
                found.append(doc)
        while len(self._docs) > self.capacity:
            self._docs.popitem(last=False)
        return found

    def _prepare(self, item: KnownIssue | StoredIssue) -> IssueDoc:
        if isinstance(item, StoredIssue):
            doc = doc_from_stored(item.issue, item.terms, item.prepared)
            if doc is not None:
                self.read += 1
                return doc
            item = item.issue
        self.rebuilt += 1
        return index_issue(item)
