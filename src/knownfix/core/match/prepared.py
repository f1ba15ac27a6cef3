"""A known issue's prepared phrases as plain data, stored at import and read at triage.

Preparing an issue (``phrases.index_issue``: tokenizing its fields and every phrase) costs a few
milliseconds, which a log pays for each of its ~60 candidates that the process has not met yet:
at 100,000 issues nearly all of them. The store keeps what preparing produced beside the issue's
terms (``match_issue_terms.prepared``), computed when the issue was imported, so a candidate is
read rather than rebuilt:

    data = prepared_json(index_issue(issue))        # at import, with the terms
    doc = doc_from_stored(issue, terms, data)        # at triage; None: prepare it again

Stored data is never trusted blindly: anything that does not have the shape written here is
refused (None), and the caller prepares the issue from its text as before. Whether it is *current*
is the store's stamp's business (the issue's content hash, its source path and ``INDEX_FORMAT``,
which changes whenever tokenizing or phrases change meaning).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.phrases import IssueTerms, Phrase, prepare_issue
from knownfix.core.records import KnownIssue

PREPARED_VERSION = 1


def stored_forms(issue: KnownIssue) -> dict[str, Any]:
    """What the store keeps of an issue for matching, from one preparation: its terms (for the
    compiled index) and its prepared phrases (for :func:`doc_from_stored`)."""
    terms, doc = prepare_issue(issue)
    return {"terms": terms.to_json(), "prepared": prepared_json(doc)}


def prepared_json(doc: IssueDoc) -> dict[str, Any]:
    """What :func:`doc_from_stored` needs besides the issue and its terms, as JSON data.

    A phrase is ``[text, origin, terms, surfaces, literal]``; its surfaces hold only the terms
    whose surface differs from the term itself (most are the same word), to keep rows small.
    """
    return {
        "v": PREPARED_VERSION,
        "phrases": [
            [text, origin, list(terms),
             {t: s for t, s in zip(terms, surfaces, strict=True) if s != t}, literal]
            for text, origin, terms, surfaces, literal in doc.phrases
        ],
        "exceptions": sorted(doc.exception_terms),
        "codes": sorted(doc.code_terms),
        "focus": sorted(doc.focus),
    }


def doc_from_stored(issue: KnownIssue, terms: Mapping[str, Any] | None,
                    prepared: Mapping[str, Any] | None) -> IssueDoc | None:
    """The prepared issue from stored data, or None when the data is missing or malformed."""
    if not isinstance(terms, Mapping) or not isinstance(prepared, Mapping):
        return None
    try:
        if prepared.get("v") != PREPARED_VERSION or terms.get("id") != issue.id:
            return None
        issue_terms = IssueTerms.from_json(dict(terms))
        phrases = tuple([_phrase(item) for item in prepared["phrases"]])  # see IssueDoc.of
        return IssueDoc.of(issue, issue_terms, phrases, _terms(prepared["exceptions"]),
                           _terms(prepared["codes"]), _terms(prepared["focus"]))
    except (KeyError, TypeError, ValueError, AttributeError, AssertionError):
        return None


def _phrase(item: Any) -> Phrase:
    text, origin, terms, differing, literal = item
    if type(text) is not str or type(origin) is not str or type(differing) is not dict or not (
            literal is None or type(literal) is str):
        raise ValueError("not a stored phrase")
    ordered = _terms(terms)
    # Most surfaces are the term itself: the terms stand for them unless some differ.
    surfaces = tuple(str(differing[t]) if t in differing else t for t in ordered) \
        if differing else ordered
    return text, origin, ordered, surfaces, literal


def _terms(items: Any) -> tuple[str, ...]:
    # A set of the item types, built in C: a candidate's phrases hold hundreds of terms.
    if type(items) is not list or not set(map(type, items)) <= {str}:
        raise ValueError("not a list of terms")
    return tuple(items)
