"""Excerpt extraction: the few lines of a raw log that explain why it failed.

    extract_excerpt(chunks, baseline=None, max_lines=40) -> Excerpt   streamed, bounded memory
    extract_excerpt_from_text(text, **kw) -> Excerpt
    build_baseline(chunks) -> BaselineIndex                           from a passing run
    extract_from_junit(xml_chunks) -> Excerpt                         JUnit XML test reports
    looks_like_junit(head) -> bool

Zero-shot: general rules per log family (rules/), no per-repository training.
"""

from __future__ import annotations

from knownfix.core.extract.baseline import BaselineIndex, build_baseline
from knownfix.core.extract.excerpt import extract_excerpt, extract_excerpt_from_text
from knownfix.core.extract.junit import extract_from_junit, looks_like_junit

__all__ = [
    "BaselineIndex",
    "build_baseline",
    "extract_excerpt",
    "extract_excerpt_from_text",
    "extract_from_junit",
    "looks_like_junit",
]
