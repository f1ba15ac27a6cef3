"""Match a failure excerpt to the known issues it is an occurrence of, explaining why.

    index = MatchIndex.build(issues)          # compile signature rules + lexical index once
    result = index.rank(excerpt.text, signature, history={loose_fp: "KF-12"})
    result.known, result.matches[0].reasons

Layers, best first: explicit signature rules, fingerprint history, lexical similarity, optional
semantic similarity (``knownfix.core.match.semantic``, off unless an embedder is given).
Retired issues are never matched. ``rank`` never raises on arbitrary text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from knownfix.core.match.compiled import CompiledIndex, CorruptIndex
from knownfix.core.match.context import (
    MAX_COMMANDS,
    CommandLines,
    document_key,
    ran_programs,
)
from knownfix.core.match.echoes import echoed_by_document, wrapper_only
from knownfix.core.match.excerpt_view import view_excerpt
from knownfix.core.match.index_build import compile_index
from knownfix.core.match.issue_doc import IssueDoc
from knownfix.core.match.issue_docs import DOC_CACHE, Fetch, IssueDocs
from knownfix.core.match.layered import (
    KNOWN_MARGIN,
    KNOWN_THRESHOLD,
    MIN_LISTED,
    TOOL_AGREES,
    TOOL_CLEAR,
    Scored,
    combine,
    confident_lexical,
    corroborated,
    decide_known,
    lexical_reasons,
    lexical_score,
)
from knownfix.core.match.lexical import LexicalEvidence, LexicalIndex
from knownfix.core.match.phrases import prepare_issue
from knownfix.core.match.retrieval import retrieve
from knownfix.core.match.rules import RuleProblem, compile_stored_rules, find_rule_hits
from knownfix.core.match.semantic import Embedder, SemanticIndex
from knownfix.core.match.siblings import rank_siblings
from knownfix.core.match.subject import subject_missing
from knownfix.core.match.tokens import split_lines, tokenize
from knownfix.core.records import KnownIssue, Match, Signature

__all__ = [
    "KNOWN_MARGIN",
    "KNOWN_THRESHOLD",
    "CommandLines",
    "CompiledIndex",
    "CorruptIndex",
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
    """Known issues prepared for matching: the compiled index (whole-knowledge-base statistics,
    postings, rules, tool context), the candidates' own phrases, optional embeddings.

    ``build`` compiles everything in memory (tests, a small knowledge base, the semantic layer);
    ``load`` starts from a stored :class:`CompiledIndex` and reads the few issues a log's
    candidates need through ``fetch``, keeping up to ``cache`` of them (a warm service keeps
    the ones its logs meet).
    """

    def __init__(
        self,
        compiled: CompiledIndex,
        docs: IssueDocs,
        semantic: SemanticIndex | None = None,
        *,
        exhaustive: bool = False,
    ) -> None:
        self.compiled = compiled
        self.docs = docs
        self.lexical = LexicalIndex(compiled)
        self.semantic = semantic
        # Score every issue sharing a term, not only the candidates (to check the pruning).
        self.exhaustive = exhaustive or semantic is not None
        self.ordinal = {issue_id: i for i, issue_id in enumerate(compiled.issue_ids)}
        self.rules, self.problems = compile_stored_rules(compiled)

    @classmethod
    def build(cls, issues: Sequence[KnownIssue], *, embedder: Embedder | None = None,
              exhaustive: bool = False) -> MatchIndex:
        """Compile the index of ``issues`` in memory; retired issues are left out."""
        active = [issue for issue in issues if not issue.retired]
        prepared = [prepare_issue(issue) for issue in active]
        docs = [doc for _, doc in prepared]
        compiled = compile_index([terms for terms, _ in prepared])
        semantic = SemanticIndex(embedder, docs) if embedder is not None else None
        return cls(compiled, IssueDocs.of(docs), semantic, exhaustive=exhaustive)

    @classmethod
    def load(cls, compiled: CompiledIndex, fetch: Fetch, *, cache: int = DOC_CACHE,
             exhaustive: bool = False) -> MatchIndex:
        """An index over a stored compiled index; issues are read through ``fetch`` (ids →
        known issues) only when a log makes them candidates."""
        return cls(compiled, IssueDocs(fetch, cache), exhaustive=exhaustive)

    @property
    def size(self) -> int:
        """How many active known issues the index holds."""
        return self.compiled.size

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
        view = view_excerpt(lines, line_numbers)
        hits = find_rule_hits(self.rules.for_lines(view.folded_lines), lines, line_numbers)
        linked = self._history(signature, history or {})
        words = frozenset(t for command in commands[:MAX_COMMANDS] for t in tokenize(command))
        ran = words | ran_programs(commands[:MAX_COMMANDS])
        said = view.terms | ran
        # Documents whose tool the log names (cockroach, jaeger …): a match elsewhere on shared
        # wording alone is another tool's failure that reads alike.
        weights = {key: self.compiled.context.match(key, said)[0]
                   for key in self.compiled.context.terms}
        named = {key for key, weight in weights.items() if weight >= TOOL_AGREES}
        # The tool of the commands that ran, alone: whose failure a message two pages quote is.
        ran_by = {key: self.compiled.context.match(key, ran)[0]
                  for key in self.compiled.context.terms} if ran else {}
        # Another document's tool, named clearly: one weak word ("ruby", "backup") that sits
        # at TOOL_AGREES names no tool well enough to call a match elsewhere foreign.
        # A program the log ran names its own document's tool, never clearly enough to make
        # the others foreign: `helm upgrade --install cert-manager …` fails in cert-manager.
        clearly = any(weight >= TOOL_CLEAR
                      and self.compiled.context.match(key, view.terms | words)[0] >= TOOL_CLEAR
                      for key, weight in weights.items())
        forced = {self.ordinal[i] for i in (*hits, *linked)}
        chosen = retrieve(self.compiled, view.postings, named, forced,
                          everything=self.exhaustive)
        docs = self.docs.get(self.compiled, chosen.ordinals)
        evidence = [self.lexical.evidence(doc, view, ran,
                                          chosen.sums.get(self.ordinal[doc.id]))
                    for doc in docs]
        # A wrapper several issues of one document quote tells none of them apart.
        rank_siblings((document_key(doc), ev) for doc, ev in zip(docs, evidence, strict=True))
        # A library's wrapper quoted by several tools' documents tells no tool (``echoes``).
        echoed = echoed_by_document(
            (document_key(doc), ev) for doc, ev in zip(docs, evidence, strict=True))
        ordered = sorted([ev.bm25 for ev in evidence] + list(chosen.outside),
                         reverse=True) + [0.0, 0.0]
        sem = self.semantic.scores(lines, line_numbers) if self.semantic is not None else {}
        scored: list[tuple[Scored, Callable[[bool], Scored]]] = []
        for doc, ev in zip(docs, evidence, strict=True):
            foreign = clearly and document_key(doc) not in named
            others = ordered[1] if ev.bm25 >= ordered[0] else ordered[0]
            vouched = corroborated(ev, foreign_tool=foreign)
            lexical = lexical_score(ev, others, foreign=foreign, vouched=vouched)
            sem_score, sem_why = sem.get(ev.issue_id, (None, None))

            def scored_as(explained: bool, doc: IssueDoc = doc, ev: LexicalEvidence = ev,
                          lexical: float = lexical, sem_score: float | None = sem_score,
                          sem_why: str | None = sem_why, foreign: bool = foreign,
                          vouched: bool = vouched) -> Scored:
                # Reasons cost time: only the listed candidates are explained.
                why = lexical_reasons(ev, view) if explained and lexical >= MIN_LISTED else []
                return combine(
                    doc, hits.get(ev.issue_id, []), linked.get(ev.issue_id), lexical,
                    why, sem_score, sem_why,
                    confident=confident_lexical(ev) and not wrapper_only(
                        ev, document_key(doc), echoed, names_tool=ev.tool >= TOOL_AGREES)
                    and not subject_missing(ev, doc, said, self._rarity,
                                            names_tool=ev.tool >= TOOL_AGREES),
                    strong=ev.strong, corroborated=vouched,
                    foreign=foreign, ran=ran_by.get(document_key(doc), 0.0),
                    document=document_key(doc), best_hit=ev.best,
                )

            candidate = scored_as(False)
            if candidate.score >= MIN_LISTED:
                scored.append((candidate, scored_as))
        scored.sort(key=lambda pair: (-pair[0].score, pair[0].issue.id))
        if scored:
            scored[0] = (self._kind_told(scored[0][0], evidence), scored[0][1])
        known = decide_known([s for s, _ in scored])
        listed = [explain(True) for _, explain in scored[: max(0, limit)]]
        return MatchResult(tuple(s.to_match() for s in listed), known)

    def _rarity(self, term: str) -> float:
        """A term's IDF in units of the largest (``subject``: which title words are names)."""
        idf_max = self.lexical.idf_max
        return self.lexical.idf(term) / idf_max if idf_max > 0 else 0.0

    def _kind_told(self, top: Scored, evidence: Sequence[LexicalEvidence]) -> Scored:
        """``top`` marked when the log names its tool and a kind of failure no other issue of
        its document names (``Scored.kind``). Only the top candidate's is read (by
        ``decide_known``), and only it is looked up: a common kind ("missing") has long
        postings in a large knowledge base."""
        ev = next((e for e in evidence if e.issue_id == top.issue.id), None)
        if ev is None or not ev.kinds or ev.tool < TOOL_AGREES or top.layers[0] != "lexical":
            return top
        at = self.ordinal[top.issue.id]
        ev.own_kinds = tuple(k for k in ev.kinds if self.compiled.alone_in_document(k, at))
        return replace(top, kind=True) if ev.own_kinds else top

    def _history(self, signature: Signature | None,
                 history: Mapping[str, str]) -> dict[str, str]:
        if signature is None:
            return {}
        linked: dict[str, str] = {}
        for label, fp in (("loose", signature.loose_fingerprint),
                          ("strict", signature.fingerprint)):
            issue_id = history.get(fp)
            if issue_id in self.ordinal and issue_id not in linked:
                linked[issue_id] = (f"fingerprint seen before ({label} {fp[:12]}) in an incident "
                                    f"linked to {issue_id}")
        return linked
