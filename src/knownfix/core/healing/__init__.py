"""Self-healing, the pure half: the checks file, plans, guardrails (breaker, rate limits).

Nothing here starts a process or opens a socket: runners live in :mod:`knownfix.actions`,
orchestration in :mod:`knownfix.services.healing` and :mod:`knownfix.services.checks`.
"""
