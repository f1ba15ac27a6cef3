"""The garbage collector in a long-lived process: what is alive after a (re)load is left out of
later collections, what an earlier settle froze is collectable again, and only a process that
marked itself long-lived settles when a session loads."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from knownfix.services import analysis, heap
from knownfix.settings import Settings
from knownfix.storage.repository import open_store
from service_helpers import service_settings


class Node:
    """A container in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()  # the rest of the test session collects as usual
    gc.set_threshold(*thresholds)


def test_settling_leaves_what_is_alive_out_and_frees_it_when_settled_again() -> None:
    node = Node()
    ref = weakref.ref(node)
    heap.settle_heap()
    assert gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert ref() is not None  # frozen: no collection walks it, so its cycle stays
    heap.settle_heap()  # a reload: what was frozen is collected first
    assert ref() is None


@pytest.fixture
def settings(project: Path, store_url: str) -> Settings:
    return service_settings(project, store_url)


def test_only_a_long_lived_process_settles_when_its_session_loads(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settled: list[int] = []
    monkeypatch.setattr(heap, "settle_heap", lambda: settled.append(1))
    monkeypatch.setattr(heap, "_long_lived", False)
    analysis.reset_triage_sessions()
    with open_store(settings.database_url) as store:
        analysis.process_triage_session(store, settings)
        assert settled == []  # a test, a one-shot command: left alone
        heap.mark_long_lived()
        assert settled == [1]
        assert gc.get_threshold()[2] == heap.FULL_AFTER
        analysis.reset_triage_sessions()
        session = analysis.process_triage_session(store, settings)
        assert settled == [1, 1]
        assert analysis.process_triage_session(store, settings) is session
        assert settled == [1, 1]  # once per load, not per log
    analysis.reset_triage_sessions()
