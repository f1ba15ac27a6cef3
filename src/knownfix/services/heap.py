"""The garbage collector in a long-lived process (``knownfix serve``, ``knownfix worker``).

CPython frees most objects by reference counting; its cyclic collector also walks, in a *full*
collection, every container object the process holds, element by element. A long-lived process
holds tens of thousands of them that live as long as it does: modules, functions, classes, the
compiled match index and its tables. Walking them finds nothing to free, and it is what a
warm triage's slowest logs were made of (a full collection at 10,000 known issues took about as
long as ranking a log, bench/README.md "Knowledge bases").

``gc.freeze()`` moves everything alive to a permanent generation that no collection walks. A
long-lived process marks itself as such once its start-up is done (:func:`mark_long_lived`),
which settles its heap then and after each load (or reload) of the match index
(:func:`settle_after_load`). A one-shot ``knownfix triage``, a test, or any other process that
did not mark itself is left alone, and nothing here changes what a collection frees. What the
process builds later (the candidates its logs meet, kept prepared by ``MatchIndex``) is not
frozen: those are kept cheap for the collector instead (``core.match.issue_doc``).

    mark_long_lived()      # knownfix serve / knownfix worker, after start-up
    settle_after_load()    # after the knowledge base is (re)loaded; a no-op elsewhere
"""

from __future__ import annotations

import gc

# Full collections of a long-lived process wait for this many collections of the middle
# generation, not CPython's 10. What they walk is what the process built since it settled (the
# candidates kept prepared, ~20,000 at most); what makes them due is mostly objects that were
# alive mid-log when the middle generation was collected and died after: at 100,000 issues, a
# full collection every 40-45 logs with 10, two per 1,000 logs with 100 (bench/README.md).
FULL_AFTER = 100

_long_lived = False


def mark_long_lived() -> None:
    """This process serves many logs: settle its heap now, and after each index load; full
    collections come ``FULL_AFTER`` middle-generation collections apart."""
    global _long_lived
    _long_lived = True
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_AFTER)
    settle_heap()


def settle_after_load() -> None:
    """The match index was (re)loaded: settle the heap of a long-lived process."""
    if _long_lived:
        settle_heap()


def settle_heap() -> None:
    """Collect once, then leave what is alive out of every later collection.

    Unfreezing first makes what an earlier call froze collectable again: a reloaded knowledge
    base drops the previous index, and any reference cycle in it would never be freed while
    frozen. The full collection this costs runs once per (re)load, not per log.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
