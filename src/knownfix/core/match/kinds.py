"""Kinds of failure a log names, and what it says happened: exception types, error codes
(errno messages folded in), and the concepts the tokenizer folds ("not found" → missing,
"timed out" → timeout). The tool plus a kind only one entry of its page names is evidence for
that entry; a log that says what happened in terms an issue never uses is another kind."""

from __future__ import annotations

from knownfix.core.match.excerpt_view import ExcerptView
from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.tokens import ERRNO_TERMS

# Terms the tokenizer folds a kind of failure into (``tokens._CONCEPTS``): "not found", "no
# such", "does not exist" → missing; "timed out" → timeout; "out of memory" → oom …
FAILURE_CONCEPTS = frozenset({"miss", "timeout", "mismatch", "oom", "crash"})


def failure_kind(term: str, view: ExcerptView) -> bool:
    """Whether ``term`` of the log names a kind of failure rather than a thing: an exception
    type, an error code (an errno message folded in: "permission denied" → EACCES), or a
    folded concept (missing, timeout, mismatch, out of memory, crash)."""
    return (term in view.exception_terms or term in view.code_terms or term in ERRNO_TERMS
            or term in FAILURE_CONCEPTS)


# What happened, as operating systems and tools say it: errno messages and folded concepts
# ("permission denied", "no such file", "timed out", "not found"), not which class was raised.
_HAPPENED = (*sorted(ERRNO_TERMS), *sorted(FAILURE_CONCEPTS))


def what_happened(view: ExcerptView) -> tuple[str, ...]:
    """The log's terms of ``_HAPPENED``: what it says happened."""
    return tuple(t for t in _HAPPENED if t in view.terms)


def other_kind(said: tuple[str, ...], doc: IssueDoc) -> bool:
    """Whether the log says what happened (``said``: its terms of ``_HAPPENED``) in terms the
    issue never uses, anywhere in its text, while the issue says it in others: the log's `bind:
    permission denied` under an entry about "404 Not found". Read anywhere in the issue, not
    only its symptoms: "WeasyPrint crashes" whose root cause is "missing font packages" does
    speak of a library the log cannot find."""
    if not said:
        return False
    told = [t for t in _HAPPENED if t in doc.vocabulary]
    return bool(told) and not any(t in doc.vocabulary for t in said)
