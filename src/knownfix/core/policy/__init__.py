"""Triage policy: ordered YAML rules that turn a failure into a decision.

A decision is a category, a severity, a response time and an escalation (DESIGN §3). The first
rule whose matchers all hold wins; when none does, the policy's default applies. Policies are
versioned documents (``version: 1``); a runbook's response matrix can become one
(:func:`policy_from_rows`).

    policy = default_policy()
    decision = policy.decide(FailureFacts(text="OSError: [Errno 28] No space left on device"))
    decision.category  # "disk"
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from knownfix.core.policy.from_runbook import policy_from_rows
from knownfix.core.policy.patterns import InvalidPattern, compile_pattern
from knownfix.core.policy.rules import Conditions, FailureFacts, HintCondition, Policy, Rule
from knownfix.core.policy.schema import (
    SCHEMA_VERSION,
    load_policy,
    policy_to_dict,
    policy_to_yaml,
)
from knownfix.core.policy.values import (
    SEVERITIES,
    normalize_severity,
    response_time_to_timedelta,
    severity_rank,
)

DEFAULT_POLICY_FILE = "default_policy.yaml"


def default_policy_text() -> str:
    """The shipped default policy document, comments included (what ``policy init`` writes)."""
    # Package data shipped inside knownfix, not user files: core stays free of user I/O.
    return resources.files(__package__).joinpath(DEFAULT_POLICY_FILE).read_text("utf-8")


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped default policy, once per process; its patterns compile as decisions read
    them (a test checks every one of them, so loading does not)."""
    return load_policy(
        default_policy_text(), origin=f"knownfix:{DEFAULT_POLICY_FILE}", check_patterns=False
    )


__all__ = [
    "SCHEMA_VERSION",
    "SEVERITIES",
    "Conditions",
    "FailureFacts",
    "HintCondition",
    "InvalidPattern",
    "Policy",
    "Rule",
    "compile_pattern",
    "default_policy",
    "default_policy_text",
    "load_policy",
    "normalize_severity",
    "policy_from_rows",
    "policy_to_dict",
    "policy_to_yaml",
    "response_time_to_timedelta",
    "severity_rank",
]
