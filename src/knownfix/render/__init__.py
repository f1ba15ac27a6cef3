"""Triage output renderers: pure functions from a :class:`~knownfix.services.triage.TriageResult`
to text — ``text`` (a Rich panel for people), ``github`` (workflow commands and a job summary),
``markdown`` (a report). JSON is ``TriageResult.to_dict()``.
"""
