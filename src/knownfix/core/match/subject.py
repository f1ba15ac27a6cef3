"""Whether a match rests on one generic token while the issue's own subject is absent.

A known issue's title says what it is about: the names in it (``Problems installing sharp with
gatsby-plugin-sharp - gyp ERR! build error``: *sharp*, *gatsby*, *plugin*). Its symptom often
quotes a line a tool prints around *any* failure (``gyp ERR! build error``, ``npm ERR! code
1``, ``make: *** Error 2``): its words may be rare in the knowledge base (one page quotes
node-gyp) and still say nothing of which failure, since every native module's build failure
prints it. Measured on dev9 of ``bench/real_docs`` (issue 8): a node-gyp failure of
better-sqlite3 was called Gatsby's sharp entry on that line and the npm words every install log
shares (``node_modules``, ``npm``, ``install``), the log naming neither sharp nor Gatsby.

So a match is not confident when all of these hold (``subject_missing``):

* the best phrase echoes less than one rare-term equivalent (``THIN_ECHO``): one generic token;
* the log does not name the tool of the issue's document (else the tool says whose failure);
* the title names a subject beyond that phrase: its rare terms (an IDF at least ``SUBJECT_RARE``
  of the largest) that the phrase does not hold, and the log (with the commands it ran) carries
  none of them.

No list of wrapper phrases: what the evidence proves comes from the knowledge base's rarity, the
subject from the issue's own title.
"""

from __future__ import annotations

from collections.abc import Callable

from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.lexical import LexicalEvidence
from knownfix.core.match.tokens import BOILERPLATE

# Less than one rare term's worth echoed (``layered.WHOLE_INFO``): one generic token.
THIN_ECHO = 1.0
# A title word this rare (IDF / largest IDF) names something: a package, a plugin, a command.
SUBJECT_RARE = 0.5


def subject_terms(doc: IssueDoc, rarity: Callable[[str], float],
                  phrase_terms: frozenset[str]) -> frozenset[str]:
    """The rare terms of the issue's title that the given phrase does not hold."""
    title = doc.field_tf.get("title", {})
    return frozenset(t for t in title if t not in phrase_terms and t not in BOILERPLATE
                     and rarity(t) >= SUBJECT_RARE)


def subject_missing(ev: LexicalEvidence, doc: IssueDoc, said: frozenset[str],
                    rarity: Callable[[str], float], *, names_tool: bool) -> bool:
    """Whether the match's best echo is one generic token and the title's subject is absent
    from the log (``said``: the excerpt's terms and those of the commands it ran)."""
    best = ev.best
    if best is None or names_tool or best.info >= THIN_ECHO:
        return False
    subject = subject_terms(doc, rarity, frozenset(best.phrase[2]))
    return bool(subject) and not subject & said
