"""The command modules, in the order their commands appear in ``knownfix --help``."""

from __future__ import annotations

from types import ModuleType

from knownfix.cli import incidents, knowledge, logs, policy, report, service, tokens, triage

MODULES: list[ModuleType] = [knowledge, triage, incidents, policy, logs, report, service, tokens]
