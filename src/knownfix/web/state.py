"""The service objects one app holds (store, token checker, queue …), found from a request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import Request

if TYPE_CHECKING:
    from knownfix.services.ingest import DedupGuard
    from knownfix.services.tokens import TokenChecker
    from knownfix.settings import Settings
    from knownfix.storage.repository import Store
    from knownfix.web.batcher import GroupRunner
    from knownfix.worker.embedded import EmbeddedWorker


class EventQueue(Protocol):
    """Where new events go for analysis: the embedded worker or Celery."""

    def submit(self, event_id: str) -> None: ...

    def submit_many(self, event_ids: list[str]) -> None: ...

    def depth(self) -> int | None: ...


@dataclass
class WebService:
    """Everything the routes of one app share."""

    settings: Settings
    store: Store
    tokens: TokenChecker
    queue: EventQueue
    dedup: DedupGuard | None = None
    worker: EmbeddedWorker | None = None  # the embedded mode's thread
    mode: str = "embedded"  # or "distributed"
    accepts: GroupRunner[Any, Any] | None = None  # the posts' group commit, made on first use
    on_close: list[Callable[[], None]] = field(default_factory=list)


def service_of(request: Request) -> WebService:
    """The :class:`WebService` of the app serving ``request``."""
    service: WebService = request.app.state.knownfix
    return service
