"""The ``knownfix`` command line: thin commands over :mod:`knownfix.services`."""

from __future__ import annotations

from knownfix.cli.app import app, main

__all__ = ["app", "main"]
