"""Checks of the distributed mode's settings, importable without Celery or prometheus-client
(``knownfix worker`` validates before it sets up metrics and logging)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from knownfix.errors import ConfigError

if TYPE_CHECKING:
    from knownfix.settings import Settings

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def broker_url(settings: Settings) -> str:
    """The broker: a Redis URL (queue depth, health and the sweep lock read it directly)."""
    url = settings.broker_url or ""
    if not url.startswith(REDIS_SCHEMES):
        shown = url.split("://", 1)[0] + "://…" if url else "nothing"
        raise ConfigError(
            f"the distributed mode runs on Redis: KNOWNFIX_BROKER_URL=redis://host:6379/0, "
            f"not {shown}")
    return url
