"""Core is pure: importing every knownfix.core module loads no adapter or I/O library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "typer", "click", "celery", "redis",
             "psycopg", "subprocess", "knownfix.storage", "knownfix.web", "knownfix.cli",
             "knownfix.worker", "knownfix.services", "knownfix.actions")

PROBE = """
import importlib, pkgutil, sys, json
before = set(sys.modules)
import knownfix.core as core
for info in pkgutil.walk_packages(core.__path__, "knownfix.core."):
    importlib.import_module(info.name)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_core_imports_no_adapters() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    loaded = out.strip()
    offenders = [name for name in FORBIDDEN if f'"{name}"' in loaded or f'"{name}.' in loaded]
    assert offenders == [], f"knownfix.core pulled in {offenders}"
