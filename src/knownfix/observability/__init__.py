"""Metrics and logs of the service (``/metrics``, structured JSON logs)."""
