"""Match a failure excerpt to the known issues it is an occurrence of, explaining why.

    index = MatchIndex.build(issues)          # compile signature rules + lexical index once
    result = index.rank(excerpt.text, signature, history={loose_fp: "KF-12"})
    result.known, result.matches[0].reasons

Layers, best first: explicit signature rules, fingerprint history, lexical similarity, optional
semantic similarity (``knownfix.core.match.semantic``, off unless an embedder is given).
Retired issues are never matched. ``rank`` never raises on arbitrary text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from knownfix.core.match.context import MAX_COMMANDS, CommandLines, document_key
from knownfix.core.match.layered import (
    KNOWN_MARGIN,
    KNOWN_THRESHOLD,
    MIN_LISTED,
    TOOL_AGREES,
    Scored,
    combine,
    confident_lexical,
    corroborated,
    decide_known,
    lexical_reasons,
    lexical_score,
)
from knownfix.core.match.lexical import LexicalIndex, view_excerpt
from knownfix.core.match.phrases import index_issue
from knownfix.core.match.rules import RuleProblem, SignatureRule, compile_rules, find_rule_hits
from knownfix.core.match.semantic import Embedder, SemanticIndex
from knownfix.core.match.tokens import split_lines, tokenize
from knownfix.core.records import KnownIssue, Match, Signature

__all__ = [
    "KNOWN_MARGIN",
    "KNOWN_THRESHOLD",
    "CommandLines",
    "Embedder",
    "MatchIndex",
    "MatchResult",
    "RuleProblem",
]


@dataclass(frozen=True)
class MatchResult:
    """Ranked candidates, best first, and whether the top one is confidently *the* issue."""

    matches: tuple[Match, ...]
    known: bool

    def to_dict(self) -> dict[str, object]:
        return {"known": self.known, "matches": [m.to_dict() for m in self.matches]}


class MatchIndex:
    """Known issues prepared for matching: compiled rules, lexical index, optional embeddings."""

    def __init__(
        self,
        issues: Sequence[KnownIssue],
        rules: tuple[SignatureRule, ...],
        problems: tuple[RuleProblem, ...],
        lexical: LexicalIndex,
        semantic: SemanticIndex | None,
    ) -> None:
        self.issues = {issue.id: issue for issue in issues}
        self.rules = rules
        self.problems = problems
        self.lexical = lexical
        self.semantic = semantic

    @classmethod
    def build(cls, issues: Sequence[KnownIssue], *,
              embedder: Embedder | None = None) -> MatchIndex:
        """Compile signature rules and the lexical index once; retired issues are left out."""
        active = [issue for issue in issues if not issue.retired]
        rules, problems = compile_rules(active)
        docs = [index_issue(issue) for issue in active]
        lexical = LexicalIndex(docs)
        semantic = SemanticIndex(embedder, docs) if embedder is not None else None
        return cls(active, rules, problems, lexical, semantic)

    def rank(
        self,
        excerpt_text: str,
        signature: Signature | None = None,
        *,
        history: Mapping[str, str] | None = None,
        limit: int = 5,
        line_numbers: Sequence[int] | None = None,
        commands: Sequence[str] = (),
    ) -> MatchResult:
        """Rank known issues for one failure excerpt; ``known`` only when confident.

        ``line_numbers`` (``Excerpt.line_numbers()``) makes the reasons cite log lines.
        ``commands`` (``CommandLines.lines`` of the whole log) tell which tool ran, when the
        excerpt shows only what it printed; they are used for nothing else.
        """
        lines = split_lines(excerpt_text)
        if line_numbers is not None and len(line_numbers) != len(lines):
            line_numbers = None  # the text was cut differently: cite excerpt lines instead
        hits = find_rule_hits(self.rules, lines, line_numbers)
        linked = self._history(signature, history or {})
        view = view_excerpt(lines, line_numbers)
        ran = frozenset(t for command in commands[:MAX_COMMANDS] for t in tokenize(command))
        evidence = [self.lexical.evidence(doc, view, ran) for doc in self.lexical.docs]
        # Documents whose tool the log names (cockroach, jaeger …): a match elsewhere on shared
        # wording alone is another tool's failure that reads alike.
        named = {document_key(doc) for doc, ev in zip(self.lexical.docs, evidence, strict=True)
                 if ev.tool >= TOOL_AGREES}
        ordered = sorted((ev.bm25 for ev in evidence), reverse=True) + [0.0, 0.0]
        sem = self.semantic.scores(lines, line_numbers) if self.semantic is not None else {}
        scored: list[Scored] = []
        for doc, ev in zip(self.lexical.docs, evidence, strict=True):
            issue = self.issues[ev.issue_id]
            foreign = bool(named) and document_key(doc) not in named
            others = ordered[1] if ev.bm25 >= ordered[0] else ordered[0]
            lexical = lexical_score(ev, others)
            sem_score, sem_why = sem.get(ev.issue_id, (None, None))
            candidate = combine(
                issue,
                hits.get(ev.issue_id, []),
                linked.get(ev.issue_id),
                lexical,
                lexical_reasons(ev, view) if lexical >= MIN_LISTED else [],
                sem_score,
                sem_why,
                confident=confident_lexical(ev),
                strong=ev.strong,
                corroborated=corroborated(ev, foreign_tool=foreign),
            )
            if candidate.score >= MIN_LISTED:
                scored.append(candidate)
        scored.sort(key=lambda s: (-s.score, s.issue.id))
        known = decide_known(scored)
        return MatchResult(tuple(s.to_match() for s in scored[: max(0, limit)]), known)

    def _history(self, signature: Signature | None,
                 history: Mapping[str, str]) -> dict[str, str]:
        if signature is None:
            return {}
        linked: dict[str, str] = {}
        for label, fp in (("loose", signature.loose_fingerprint),
                          ("strict", signature.fingerprint)):
            issue_id = history.get(fp)
            if issue_id in self.issues and issue_id not in linked:
                linked[issue_id] = (f"fingerprint seen before ({label} {fp[:12]}) in an incident "
                                    f"linked to {issue_id}")
        return linked
