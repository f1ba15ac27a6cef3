"""``knownfix serve`` (the HTTP API, dashboard and embedded worker) and ``knownfix worker``
(a Celery worker for the distributed mode)."""

from __future__ import annotations

from typing import Annotated

import typer

from knownfix.cli.state import get_state
from knownfix.errors import ConfigError

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``worker`` to the root app."""
    app.command("serve", help=_SERVE_HELP)(serve)
    app.command("worker", help=_WORKER_HELP)(worker)


_SERVE_HELP = (
    "Serve the HTTP API (OpenAPI at /docs), /health and /metrics.\n\n"
    "Example: knownfix serve --host 0.0.0.0 --port 8080\n\n"
    "Posted events are analysed by a worker thread of this process, and the ones left pending "
    "by a previous run are resumed. With KNOWNFIX_BROKER_URL=redis://… they go to Celery "
    "instead: run `knownfix worker` on one or more machines. Create a token first: "
    "knownfix token create --role writer."
)
_WORKER_HELP = (
    "Run a Celery worker that analyses posted events (the distributed mode).\n\n"
    "Example: KNOWNFIX_BROKER_URL=redis://redis:6379/0 "
    "KNOWNFIX_DATABASE_URL=postgresql://knownfix@db/knownfix knownfix worker --concurrency 2"
)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)]
    = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1,
        help="API processes (each with its own embedded worker unless a broker is set).",
    )] = 1,
) -> None:
    """Run the API with uvicorn until interrupted."""
    import uvicorn

    from knownfix.observability.logs import configure_logging, uvicorn_log_config
    from knownfix.services.heap import mark_long_lived

    state = get_state(ctx)
    settings = state.settings
    if workers == 1:
        from knownfix.web.app import create_app

        app = create_app(settings)  # bad settings fail here, before logging is taken over
        configure_logging(settings.log_format)
        mark_long_lived()
        uvicorn.run(app, host=host, port=port, log_config=uvicorn_log_config(),
                    proxy_headers=True, server_header=False)
        return
    if settings.broker_url:
        from knownfix.worker.config import broker_url

        broker_url(settings)
    multiprocess_metrics_dir()
    state.store()  # migrate once (and fail clearly) before the processes start
    configure_logging(settings.log_format)
    # Several processes: each builds its app from the environment (and so from --db's URL),
    # and their metrics are added up from files (prometheus-client's multiprocess mode).
    import os

    os.environ["KNOWNFIX_DATABASE_URL"] = settings.database_url
    uvicorn.run("knownfix.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_config=uvicorn_log_config(), proxy_headers=True,
                server_header=False)


def worker(
    ctx: typer.Context,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", min=1, help="Worker processes (default: one per CPU core).",
    )] = None,
    loglevel: Annotated[str, typer.Option("--loglevel", help="DEBUG, INFO, WARNING …")] = "INFO",
    metrics_port: Annotated[int | None, typer.Option(
        "--metrics-port", min=1, max=65535,
        help="Serve this worker's Prometheus metrics (all its processes) on this port.",
    )] = None,
) -> None:
    """Consume analysis tasks from the broker until stopped."""
    from knownfix.observability.logs import configure_logging

    settings = get_state(ctx).settings
    if not settings.broker_url:
        raise ConfigError(
            "knownfix worker needs a broker: set KNOWNFIX_BROKER_URL=redis://host:6379/0 "
            "(without one, knownfix serve analyses events itself)"
        )
    from knownfix.worker.config import broker_url

    broker_url(settings)
    multiprocess_metrics_dir()  # before anything imports prometheus-client
    get_state(ctx).store()  # migrate (and fail clearly) before Celery starts
    configure_logging(settings.log_format, loglevel.upper())
    if metrics_port is not None:
        from knownfix.observability.metrics import serve_metrics

        serve_metrics(metrics_port)
    from knownfix.worker.celery_app import run_worker

    run_worker(settings, concurrency=concurrency, loglevel=loglevel.upper())


def multiprocess_metrics_dir() -> str:
    """``PROMETHEUS_MULTIPROC_DIR``, set to a fresh temporary folder when not given, so the
    metrics of every process this command starts add up (set before any metric exists)."""
    import os
    import tempfile

    # prometheus-client reads the variable when it is first imported: call this before.
    if not os.environ.get(MULTIPROC_ENV):
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="knownfix-metrics-")
    return os.environ[MULTIPROC_ENV]
