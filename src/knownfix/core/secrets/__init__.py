"""Secrets in log text, masked before anything is stored or shown (``redact``, ``secret_rules``)."""
