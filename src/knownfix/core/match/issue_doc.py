"""One known issue as matching holds it, in a form the garbage collector does not walk.

A long-lived process keeps thousands of prepared issues (``issue_docs.DOC_CACHE``), and each
full collection of CPython's cyclic collector walks every container object it holds, element
by element: lists, sets, dicts holding containers, class instances. An issue kept as the
``KnownIssue`` with its lists, phrase objects, frozensets and tables of tables was ~23 such
objects, and at 10,000 issues a full collection took longer than ranking a log.

An :class:`IssueDoc` is two references: one tuple of strings, numbers and tuples of them (which
the collector stops tracking after its first look) and one dict of strings (never tracked).
What matching reads of it are properties over that tuple. The sets matching intersects are
rebuilt per log from tuples that hold their iteration order, so every intersection, sum and
tie comes out as it did when they were frozensets (:func:`shared_terms`, :func:`focus_found`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from knownfix.core.match.phrases import IssueTerms, Phrase
    from knownfix.core.records import KnownIssue

    # Per field: its name, its terms and their counts, in the order the field's table held them.
    Fields: TypeAlias = tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...]


def vocabulary_of(field_tf: dict[str, dict[str, int]]) -> frozenset[str]:
    """Every term of every field (the compiled index's order of an issue's entries)."""
    return frozenset().union(*(set(tf) for tf in field_tf.values()))


class IssueDoc:
    """One indexed known issue: what a match lists of it (id, title, resolution, verification),
    its document, field terms, phrases, and the specials it names. Build one with :meth:`of`."""

    __slots__ = ("_held", "vocabulary")

    def __init__(self, held: tuple[str, str, str, tuple[str, ...], str, Fields,
                                   tuple[Phrase, ...], tuple[str, ...], tuple[str, ...],
                                   tuple[str, ...]],
                 vocabulary: dict[str, None]) -> None:
        self._held = held
        # Every term of every field, in the order their frozenset iterates (membership, and
        # that order where an intersection walks it: see ``shared_terms``).
        self.vocabulary = vocabulary

    @classmethod
    def of(cls, issue: KnownIssue, terms: IssueTerms, phrases: tuple[Phrase, ...],
           exception_terms: Iterable[str], code_terms: Iterable[str],
           focus: Iterable[str]) -> IssueDoc:
        # Tuples made from lists, not generators: a tuple made after what it holds comes after
        # it in the collector's list, so one pass can let go of the inner ones, then of it.
        fields = tuple([(name, tuple(tf), tuple(tf.values()))
                        for name, tf in terms.field_tf.items()])
        return cls((issue.id, issue.title, issue.resolution, tuple(issue.verification),
                    terms.document, fields, phrases, tuple(sorted(set(exception_terms))),
                    tuple(sorted(set(code_terms))), tuple(frozenset(sorted(set(focus))))),
                   dict.fromkeys(vocabulary_of(terms.field_tf)))

    @property
    def id(self) -> str:
        return self._held[0]

    @property
    def title(self) -> str:
        return self._held[1]

    @property
    def resolution(self) -> str:
        return self._held[2]

    @property
    def verification(self) -> tuple[str, ...]:
        return self._held[3]

    @property
    def document(self) -> str:
        """The document the issue was imported from (``IssueTerms.document``)."""
        return self._held[4]

    @property
    def field_tf(self) -> dict[str, dict[str, int]]:
        """Term counts per field, built on each call (only BM25F without retrieval's sums)."""
        return {name: dict(zip(terms, counts, strict=True))
                for name, terms, counts in self._held[5]}

    @property
    def field_len(self) -> dict[str, int]:
        return {name: sum(counts) for name, _, counts in self._held[5]}

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        return self._held[6]

    @property
    def exception_terms(self) -> tuple[str, ...]:
        return self._held[7]  # sorted

    @property
    def code_terms(self) -> tuple[str, ...]:
        return self._held[8]  # sorted

    @property
    def focus(self) -> tuple[str, ...]:
        """In the order a frozenset of them iterates (see :func:`focus_found`)."""
        return self._held[9]

    @property
    def specials(self) -> frozenset[str]:
        return frozenset((*self.exception_terms, *self.code_terms))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IssueDoc) and self._held == other._held

    def __repr__(self) -> str:
        return f"IssueDoc({self.id!r}, {self.title!r})"


def shared_terms(terms: frozenset[str], doc: IssueDoc) -> frozenset[str]:
    """``terms & vocabulary`` as CPython's intersection of two frozensets builds it: it walks
    the smaller operand (the right one on a tie) and adds what the other holds, so what then
    iterates the result (ties of ``matched_terms``) sees the order it always did."""
    vocabulary = doc.vocabulary
    if len(vocabulary) > len(terms):
        return frozenset(t for t in terms if t in vocabulary)
    return frozenset(t for t in vocabulary if t in terms)


def focus_found(focus: tuple[str, ...], terms: frozenset[str]) -> frozenset[str]:
    """``frozenset(focus) & terms`` in the order that intersection builds it (see
    :func:`shared_terms`); ``focus`` holds the order its frozenset iterates."""
    if len(terms) > len(focus):
        return frozenset(t for t in focus if t in terms)
    held = frozenset(focus)
    return frozenset(t for t in terms if t in held)
