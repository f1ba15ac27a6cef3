"""The command modules, in the order their commands appear in ``knownfix --help``."""

from __future__ import annotations

from types import ModuleType

from knownfix.cli import (
    checks,
    incidents,
    knowledge,
    logs,
    playbooks,
    policy,
    report,
    service,
    tokens,
    triage,
)

MODULES: list[ModuleType] = [knowledge, triage, incidents, policy, logs, report, checks,
                             playbooks, service, tokens]
