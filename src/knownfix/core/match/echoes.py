"""What a phrase's echo proves about *which* failure: the shapes that say only what kind.

Measured on the development parts of ``bench/real_docs`` (issue 8), three shapes made wrong
``known: true`` answers for failures no document covers, each a near miss of the same tool:

* a **placeholder** — a symptom that is only a slot for a value (`` `<WordPress function>` ``,
  ``<keyboard>``): the document names what goes there, not text the tool prints, so echoing
  the slot's words ("WordPress") is a name, not a message;
* an **error chain's wrappers** — ``FATAL repository scan error: scan error: unable to
  initialize a scanner: …: git clone error: write /tmp/fanal-remote…``: the tool wraps every
  failure of a step in the same links, and only the last link (the cause) says which one.
  A log that echoes the links and none of the cause's words is another failure of that step;
* the **same message on two pages** (``decide_known`` in ``layered``): a message two
  documents quote (PHP's "Allowed memory size … exhausted" on WP-CLI's page and Composer's)
  says what failed, not under which tool; when the log names the runner-up's tool more
  clearly than the top's, the top is that page's failure told alike;
* a **library's wrapper** (``wrapper_only``) — gRPC's ``rpc error: code = Unavailable desc =
  …`` is printed by every tool that uses gRPC, and several documents quote it around their
  own cause. A log that names none of the issue's tool and echoes of the phrase only words
  that phrases of two or more *other* documents echo too, none of the phrase's own words
  (``transport is closing``) anywhere, is that library's failure under some tool: which one
  the wrapper does not say (the Collector's export error called Argo CD's FAQ entry).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from knownfix.core.match.lexical import LexicalEvidence, PhraseHit
from knownfix.core.match.tokens import tokenize

# A whole phrase that is one ``<…>`` slot (the backticks and quotes around it aside).
_PLACEHOLDER = re.compile(r"""^[`'"\s]*<[^<>]{1,60}>[`'"\s.]*$""")
# Links of an error chain: Go's and most CLIs' "wrapper: cause" joints.
_LINK = re.compile(r":\s+")
# Fewer links than this is a message with a prefix ("error: …", "PHP Fatal error: …"), whose
# text after the colon *is* the message: not a chain of wrappers.
CHAIN_LINKS = 4
# The field of a wrapper that holds the message: gRPC's "code = Unavailable desc = …",
# structured loggers' "msg=…", Kubernetes' "reason=… message=…".
_MESSAGE_FIELD = re.compile(r"\b(?:desc|message|msg|details?)\s*=\s*", re.IGNORECASE)
# A word echoed by phrases of this many other documents is a wrapper's, not one tool's.
WRAPPER_DOCUMENTS = 2


def placeholder(hit: PhraseHit) -> bool:
    """Whether the phrase is only a slot for a value (``<WordPress function>``)."""
    return bool(_PLACEHOLDER.match(hit.text))


def cause_missing(hit: PhraseHit) -> bool:
    """Whether the phrase is an error chain the log echoes in its wrappers only: none of the
    terms of its last link (the cause) is on the line the log echoes it with; or a wrapper
    whose message sits in a field (``field_cause_missing``)."""
    if field_cause_missing(hit):
        return True
    links = [link for link in _LINK.split(hit.text.strip()) if link]
    if len(links) < CHAIN_LINKS:
        return False
    cause = set(tokenize(links[-1]))
    if not cause:
        return False
    matched = set(hit.matched)
    return not cause & matched and bool(matched)


def field_cause_missing(hit: PhraseHit) -> bool:
    """Whether the phrase is a wrapper with its message in a field, ``rpc error: code =
    Unavailable desc = transport is closing``, and the log echoes the wrapper but at most half
    of the message's own words: a wrapper is a wrapper by its shape, in one document too, and
    another message in its field (``desc = connection error: … no such host``) is another
    failure. (Half, not none: a message's first word is often the wrapper's next link,
    ``transport: Error while dialing``.)"""
    parts = _MESSAGE_FIELD.split(hit.text)
    if len(parts) < 2:
        return False
    wrapper = set(tokenize(" ".join(parts[:-1])))
    message = set(tokenize(parts[-1])) - wrapper
    matched = set(hit.matched)
    return bool(message) and bool(matched) and 2 * len(message & matched) <= len(message)


def echoed_by_document(candidates: Iterable[tuple[str, LexicalEvidence]]) -> dict[str, set[str]]:
    """The terms the log echoes of each document's phrases (any candidate of it, any hit)."""
    echoed: dict[str, set[str]] = {}
    for document, ev in candidates:
        echoed.setdefault(document, set()).update(t for h in ev.hits for t in h.matched)
    return echoed


def wrapper_only(ev: LexicalEvidence, document: str, echoed: dict[str, set[str]],
                 *, names_tool: bool) -> bool:
    """Whether the best phrase is echoed in a wrapper other documents share, and no more.

    Every matched term is echoed by phrases of ``WRAPPER_DOCUMENTS`` other documents, and the
    phrase's other terms are nowhere in what the log shares with the issue. Not when the log
    names the issue's tool (``names_tool``): the unechoed words are then an example value
    (``some.domain.com`` under rclone's own ``no such host``), and the tool says whose failure.
    """
    best = ev.best
    if best is None or names_tool:
        return False
    matched = set(best.matched)
    rest = set(best.phrase[2]) - matched
    if not matched or not rest or rest & set(ev.matched_terms):
        return False
    elsewhere = Counter(t for key, terms in echoed.items() if key != document for t in terms)
    return all(elsewhere[t] >= WRAPPER_DOCUMENTS for t in matched)
