"""The HTTP side of knownfix: the JSON API under ``/api/v1``, ``/health``, ``/metrics`` and the
dashboard, all built by :func:`knownfix.web.app.create_app` from explicit settings."""
