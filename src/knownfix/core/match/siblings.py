"""Issues of one document that a log echoes through the same phrase.

A troubleshooting page often quotes one wrapper message in many entries ("Internal error
occurred: failed calling webhook …" under each webhook error, "FATAL … scan error: unable to
initialize a scanner" under each scanner failure). A log of any of those failures echoes the
wrapper whole, so every sibling's best phrase scores alike and tells none of them apart; what
does is the rest of the failing line, which one of them quotes too ("i/o timeout", "API rate
limit exceeded"). For ranking, a phrase that two or more candidates of one document echo
strongly counts ``SHARED_SHARE`` of its worth, and the candidate's best phrase of its own the
rest. The confidence gates still read the hits' own scores: this only ranks.
"""

from __future__ import annotations

from collections.abc import Iterable

from knownfix.core.match.lexical import STRONG_HIT, TOOL_NAMED, LexicalEvidence, telling

SHARED_SHARE = 0.5
Terms = tuple[str, ...]  # a phrase, as the terms it is made of


def shared_phrases(
        evidence: Iterable[tuple[str, LexicalEvidence]]) -> dict[str, frozenset[Terms]]:
    """Per document key, the phrases (as their terms) that two or more of its candidates'
    logs echo strongly."""
    seen: dict[tuple[str, Terms], int] = {}
    for key, ev in evidence:
        for terms in {h.phrase.terms for h in ev.hits if h.score >= STRONG_HIT}:
            seen[(key, terms)] = seen.get((key, terms), 0) + 1
    shared: dict[str, set[Terms]] = {}
    for (key, terms), count in seen.items():
        if count >= 2:
            shared.setdefault(key, set()).add(terms)
    return {key: frozenset(found) for key, found in shared.items()}


def discount_shared(ev: LexicalEvidence, shared: frozenset[Terms]) -> None:
    """Lower what ``ev``'s best phrase counts for ranking when its siblings echo it too."""
    if not shared or not ev.hits:
        return
    named = ev.tool >= TOOL_NAMED
    worth = [(telling(hit, named), hit.phrase.terms) for hit in ev.hits]
    best, terms = max(worth, key=lambda pair: pair[0])
    if terms not in shared:
        return
    own = max((value for value, terms in worth if terms not in shared), default=0.0)
    ev.telling = SHARED_SHARE * best + (1.0 - SHARED_SHARE) * own
