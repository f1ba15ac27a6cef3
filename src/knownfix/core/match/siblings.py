"""Issues of one document that a log echoes through the same phrase.

A troubleshooting page often quotes one wrapper message in many entries ("Internal error
occurred: failed calling webhook …" under each webhook error, "FATAL … scan error: unable to
initialize a scanner" under each scanner failure). A log of any of those failures echoes the
wrapper whole, so every sibling's best phrase scores alike and tells none of them apart; what
does is the rest of the failing line, which one of them quotes too ("i/o timeout", "API rate
limit exceeded"). Among the candidates of one document, a phrase that two or more of them echo
strongly counts ``SHARED_SHARE`` of its worth, and the candidate's best phrase of its own the
rest; the document's best candidate then gets back what the document lost, so that siblings are
ordered among themselves and the document as a whole weighs against others as before (a page
with many near-twin entries is not worse off than a page with one). Ranking only: the
confidence gates read the hits' own scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from knownfix.core.match.lexical import STRONG_HIT, TOOL_NAMED, LexicalEvidence, telling

SHARED_SHARE = 0.5
Terms = tuple[str, ...]  # a phrase, as the terms it is made of


def shared_phrases(members: Sequence[LexicalEvidence]) -> frozenset[Terms]:
    """The phrases (as their terms) that two or more of ``members`` echo strongly. Members
    that echo the very same phrases are one entry written twice (a page that repeats an entry,
    a knowledge base that imported it twice), not siblings: they count once."""
    seen: dict[Terms, int] = {}
    for echoed in {frozenset(h.phrase[2] for h in ev.hits if h.score >= STRONG_HIT)
                   for ev in members}:
        for terms in echoed:
            seen[terms] = seen.get(terms, 0) + 1
    return frozenset(terms for terms, count in seen.items() if count >= 2)


def discounted(ev: LexicalEvidence, shared: frozenset[Terms]) -> float:
    """What ``ev``'s best phrase counts among siblings that echo ``shared`` phrases too."""
    if not shared or not ev.hits:
        return ev.telling
    named = ev.tool >= TOOL_NAMED
    worth = [(telling(hit, named), hit.phrase[2]) for hit in ev.hits]
    best, terms = max(worth, key=lambda pair: pair[0])
    if terms not in shared:
        return ev.telling
    own = max((value for value, terms in worth if terms not in shared), default=0.0)
    return SHARED_SHARE * best + (1.0 - SHARED_SHARE) * own


def rank_siblings(evidence: Iterable[tuple[str, LexicalEvidence]]) -> None:
    """Order the candidates of each document (key, evidence) by what they do not share."""
    groups: dict[str, list[LexicalEvidence]] = {}
    for key, ev in evidence:
        groups.setdefault(key, []).append(ev)
    for members in groups.values():
        shared = shared_phrases(members) if len(members) > 1 else frozenset()
        if not shared:
            continue
        values = [discounted(ev, shared) for ev in members]
        lift = max(ev.telling for ev in members) - max(values)
        for ev, value in zip(members, values, strict=True):
            ev.telling = min(ev.telling, value + lift)
