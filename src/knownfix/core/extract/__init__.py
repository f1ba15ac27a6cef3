"""Excerpt extraction: the few lines of a raw log that explain why it failed.

    read_log(chunks, baseline=None, max_lines=40) -> LogReading      how it ended, why it failed
    extract_excerpt(chunks, baseline=None, max_lines=40) -> Excerpt   streamed, bounded memory
    extract_excerpt_from_text(text, **kw) -> Excerpt
    build_baseline(chunks) -> BaselineIndex                           from a passing run
    extract_from_junit(xml_chunks) -> Excerpt                         JUnit XML test reports
    read_junit(xml_chunks) -> LogReading
    looks_like_junit(head) -> bool

Zero-shot: general rules per log family (rules/), no per-repository training.
"""

from __future__ import annotations

from knownfix.core.extract.baseline import BaselineIndex, build_baseline
from knownfix.core.extract.excerpt import (
    LogReading,
    extract_excerpt,
    extract_excerpt_from_text,
    read_log,
)
from knownfix.core.extract.junit import extract_from_junit, looks_like_junit, read_junit
from knownfix.core.extract.outcome import Verdict

__all__ = [
    "BaselineIndex",
    "LogReading",
    "Verdict",
    "build_baseline",
    "extract_excerpt",
    "extract_excerpt_from_text",
    "extract_from_junit",
    "looks_like_junit",
    "read_junit",
    "read_log",
]
