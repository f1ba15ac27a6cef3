"""A store seeded for the dashboard's tests, through the services only: the example knowledge
base plus a doc with HTML in it, the example failing logs triaged, a hostile log (HTML, script,
ANSI codes, control bytes) triaged, and one writer and one viewer token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from knownfix.services.knowledge import import_paths
from knownfix.services.tokens import create_token
from knownfix.services.triage import open_triage
from knownfix.settings import Settings, load_settings
from knownfix.storage.repository import Store, open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FAILING_LOGS = ("alembic-missing-revision.log", "pytest-fixture-not-found.log",
                "npm-eresolve.log", "go-test-failure.log", "github-actions-ansi.log")
LONG_SOURCE = "/builds/cache/" + "0123456789abcdef" * 6 + "/checkout/examples/logs"
SCRIPT = '<script>document.title="pwned"</script>'
HOSTILE_SOURCE = "<b>ci</b>/<img src=x onerror=alert(1)>.log"
HOSTILE_LOG = (
    "Collecting dependencies\n"
    "Building the widget\n"
    f"Error: unexpected token {SCRIPT} in \x1b[31mtemplate.html\x1b[0m <b>bold</b>\x07\n"
    "    at render (/srv/app/render.js:10:5)\n"
    "Process completed with exit code 1.\n"
).encode()
HOSTILE_DOC = f"""---
id: XSS-1
severity: High
category: <i>Web</i>
---

# Template renders {SCRIPT} raw

## Symptoms

- `Error: unexpected token <script>`

## Root cause

A template printed <b>user text</b> without escaping.

## Resolution

1. Escape it: `{SCRIPT}` must show as text.

## Verification

```bash
curl -s localhost | grep -c '&lt;script&gt;'
```
"""


@dataclass(frozen=True)
class Seeded:
    """What the tests know about the seeded store."""

    settings: Settings
    store: Store
    writer: str
    viewer: str
    incidents: dict[str, str]  # log file name (or "hostile") → incident id


def seeded_store(folder: Path, **settings_overrides: object) -> Seeded:
    """A SQLite store in ``folder`` seeded through the services."""
    settings = load_settings(env={}, cwd=folder, database_url=f"sqlite:///{folder / 'kf.db'}",
                             **settings_overrides)
    store = open_store(settings.database_url)
    docs = folder / "docs"
    docs.mkdir()
    (docs / "xss.md").write_text(HOSTILE_DOC, encoding="utf-8")
    import_paths(store, [EXAMPLES / "kb", docs])
    session = open_triage(store, settings)
    incidents = {}
    for name in FAILING_LOGS:
        # One long unbroken path for every checkout: a page must fit a narrow screen whatever
        # the source's length, not only where the checkout's own path happens to be short.
        result = session.triage(f"{LONG_SOURCE}/{name}", [(EXAMPLES / "logs" / name).read_bytes()])
        assert result.incident is not None
        incidents[name] = result.incident.id
    hostile = session.triage(HOSTILE_SOURCE, [HOSTILE_LOG])
    assert hostile.incident is not None
    incidents["hostile"] = hostile.incident.id
    writer = create_token(store, role="writer", name="alice").token
    viewer = create_token(store, role="viewer", name="victor").token
    return Seeded(settings, store, writer, viewer, incidents)


def dashboard_app(seeded: Seeded) -> FastAPI:
    """The whole app (API and dashboard) over the seeded store; events stay pending."""
    from knownfix.web.app import create_app

    return create_app(seeded.settings, store=seeded.store, start_worker=False)
