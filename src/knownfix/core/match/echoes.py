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
  clearly than the top's, the top is that page's failure told alike.
"""

from __future__ import annotations

import re

from knownfix.core.match.lexical import PhraseHit
from knownfix.core.match.tokens import tokenize

# A whole phrase that is one ``<…>`` slot (the backticks and quotes around it aside).
_PLACEHOLDER = re.compile(r"""^[`'"\s]*<[^<>]{1,60}>[`'"\s.]*$""")
# Links of an error chain: Go's and most CLIs' "wrapper: cause" joints.
_LINK = re.compile(r":\s+")
# Fewer links than this is a message with a prefix ("error: …", "PHP Fatal error: …"), whose
# text after the colon *is* the message: not a chain of wrappers.
CHAIN_LINKS = 4


def placeholder(hit: PhraseHit) -> bool:
    """Whether the phrase is only a slot for a value (``<WordPress function>``)."""
    return bool(_PLACEHOLDER.match(hit.phrase.text))


def cause_missing(hit: PhraseHit) -> bool:
    """Whether the phrase is an error chain the log echoes in its wrappers only: none of the
    terms of its last link (the cause) is on the line the log echoes it with."""
    links = [link for link in _LINK.split(hit.phrase.text.strip()) if link]
    if len(links) < CHAIN_LINKS:
        return False
    cause = set(tokenize(links[-1]))
    if not cause:
        return False
    matched = set(hit.matched)
    return not cause & matched and bool(matched)
