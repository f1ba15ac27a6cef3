"""Lexical evidence: how much of a known issue's wording a failure excerpt carries.

Two complementary views, both over the terms of ``tokens``:

* **phrases** — each symptom line (and the title, quoted error strings, signature literals, root
  cause sentences) against each excerpt line: the IDF-weighted share of the phrase's terms that
  the best line carries, plus word order, scaled by how much information the phrase holds (a
  one-word title proves little even when it matches). This is what tells ``Can't locate revision
  identified by 'abc123'`` apart from a line that merely shares ``error``.
* **BM25F** over the whole excerpt with field weights (symptoms > title > signature > root cause
  > resolution, tags): the total evidence, and how far one issue stands out from the others.

The index is built once per knowledge base; scoring one excerpt touches only the terms it has.
The excerpt's side (``ExcerptView``, ``view_excerpt``) is in ``excerpt_view``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from knownfix.core.match.compiled import FIELD_WEIGHTS, K1, B, CompiledIndex, term_weight
from knownfix.core.match.context import document_key
from knownfix.core.match.excerpt_view import ExcerptView, bigrams, codes_written
from knownfix.core.match.issue_doc import IssueDoc, focus_found, shared_terms
from knownfix.core.match.kinds import failure_kind, other_kind, what_happened
from knownfix.core.match.phrases import (
    PHRASE_WEIGHTS,
    VERBATIM_ORIGINS,
    Phrase,
)
from knownfix.core.match.templates import find as find_template
from knownfix.core.match.tokens import (
    BOILERPLATE,
    ERRNO_TERMS,
    errno_message_words,
)

# How much a term the excerpt repeats counts (BM25's query term frequency saturation).
K3 = 2.0
# A phrase needs about this many "rare-term equivalents" (IDF / max IDF) matched for full credit.
PHRASE_FULL_INFO = 2.0
COVERAGE_FULL_INFO = 3.0
# Command echoes and stack frames (``ExcerptView.echo_lines``) say what ran, not what broke.
ECHO_LINE_WEIGHT = 0.5
# A quoted name found as written scores at least this share of its weight (full at one
# rare-term equivalent).
NAME_FLOOR = 0.3
# What an error code shared with the log counts in a phrase's information, in rare-term
# equivalents per unit of its rarity (see ``LexicalIndex.information``).
CODE_INFO = 2.0
# Rare: an IDF at least half the largest, i.e. fewer issues print it than the square root of
# the knowledge base's size.
CODE_RARE = 0.5
# Phrases whose weight and word pairs a long-lived index keeps at most.
PHRASES_KEPT = 200_000
# A phrase hit this good (of a verbatim kind) is strong evidence on its own.
STRONG_HIT = 0.7
# What a name echoed (``node_modules``, ``.well-known/openid-configuration``) counts for ranking,
# as a share of its phrase score: it says what the failure involves, not what failed, and many
# issues of a knowledge base quote the same names in their fixes.
NAME_RANK_SHARE = 0.5
# Phrases whose message may be printed with other values in its slots (``templates``).
TEMPLATE_ORIGINS = frozenset({*VERBATIM_ORIGINS, "title"})
# How clearly a log must name the tool of an issue's document for a short message found whole
# to count in full (``layered.TOOL_AGREES``: the weight at which naming the tool corroborates).
TOOL_NAMED = 0.65


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """The best excerpt line for one phrase and how well it matches; ``info`` is how much the
    matched terms prove, in rare-term equivalents (IDF / max IDF, summed)."""

    phrase: Phrase
    line: int  # 1-based
    score: float
    matched: tuple[str, ...]
    info: float = 0.0
    verbatim: bool = False  # the phrase's literal was found as written
    # Found with other values in its slots (``templates``): the same message about another
    # thing, maybe (`The term 'winget' is not recognized …`).
    templated: bool = False

    @property
    def text(self) -> str:
        return self.phrase[0]

    @property
    def origin(self) -> str:
        return self.phrase[1]

    @property
    def literal(self) -> str | None:
        return self.phrase[4]


@dataclass(slots=True)
class LexicalEvidence:
    """Features of one (excerpt, issue) pair; ``layered`` turns them into a calibrated score."""

    issue_id: str
    bm25: float = 0.0
    mass: float = 0.0  # BM25F in units of the largest IDF: about "rare terms shared"
    coverage: float = 0.0
    best: PhraseHit | None = None
    # The best phrase score for ranking: a name echoed counts ``NAME_RANK_SHARE`` of its score.
    telling: float = 0.0
    # How well the log echoes the message the best phrase quotes (``None``: it quotes none).
    best_quote: float | None = None
    shared_specials: tuple[str, ...] = ()
    special_strength: float = 0.0
    conflicts: int = 0
    matched_terms: tuple[str, ...] = field(default_factory=tuple)
    # How clearly the log names the tool of the issue's document (``context``), and with what.
    tool: float = 0.0
    tool_terms: tuple[str, ...] = ()
    # The terms of the verbatim-kind phrases the log echoes strongly, with how rare each is
    # (IDF / max IDF), to tell near-twin issues apart by what only one of them says.
    strong: dict[str, float] = field(default_factory=dict)
    hits: tuple[PhraseHit, ...] = ()  # every phrase the log echoes (``siblings``)
    # Kinds of failure (``failure_kind``) that the log names and the issue's symptoms, title
    # or signature name too; and of those, the ones no other issue of the issue's document
    # uses (set by ``MatchIndex.rank``, which holds the whole knowledge base's postings).
    kinds: tuple[str, ...] = ()
    own_kinds: tuple[str, ...] = ()
    # The log fails of a kind the issue never speaks of, while it speaks of others
    # (``other_kind``): "permission denied" under a page entry about "404 Not found".
    other_kind: bool = False
    # The best phrase the log prints as written (not through slots), and what it proves beyond
    # the operating system's messages it holds ("address already in use"): what says whose
    # failure it is when the log names another document's tool (``layered.corroborated``).
    written: PhraseHit | None = None
    written_info: float | None = None


def query_weight(repeats: int) -> float:
    """How much a term the excerpt shows on ``repeats`` lines counts (saturating)."""
    return (K3 + 1.0) * repeats / (K3 + repeats) if repeats > 1 else 1.0


class LexicalIndex:
    """Lexical scoring of one issue against an excerpt, with the statistics of the whole
    knowledge base taken from its compiled index (IDF, field lengths, tool context)."""

    def __init__(self, compiled: CompiledIndex) -> None:
        self.compiled = compiled
        self.idf_max = compiled.idf_max
        self.avg_len = compiled.avg_len
        self.context = compiled.context
        self._idf: dict[str, float] = {}
        self._weight: dict[str, float] = {}
        self._phrases: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}
        self._kinds_of: tuple[ExcerptView, tuple[str, ...], tuple[str, ...]] | None = None

    def idf(self, term: str) -> float:
        value = self._idf.get(term)
        if value is None:
            value = self._idf[term] = self.compiled.idf(term)
        return value

    def weight(self, term: str) -> float:
        """How much a shared term proves: its IDF, damped for log boilerplate."""
        value = self._weight.get(term)
        if value is None:
            value = self._weight[term] = term_weight(self.idf(term), term)
        return value

    def bm25f(self, doc: IssueDoc, terms: Iterable[str],
              repeats: dict[str, tuple[int, ...]] | None = None) -> float:
        """BM25F of ``doc`` for query terms; ``repeats`` (term -> lines) weighs recurring ones."""
        score = 0.0
        for term in terms:
            qtf = query_weight(len(repeats.get(term, ()))) if repeats else 1.0
            tf = 0.0
            for name, weight in FIELD_WEIGHTS.items():
                count = doc.field_tf[name].get(term, 0)
                if count:
                    norm = 1.0 - B + B * doc.field_len[name] / self.avg_len[name]
                    tf += weight * count / norm
            if tf:
                score += qtf * self.weight(term) * tf * (K1 + 1.0) / (K1 + tf)
        return score

    def _phrase_facts(self, terms: tuple[str, ...]) -> tuple[float, tuple[str, ...]]:
        """A phrase's total weight and distinct word pairs (kept: many issues share phrases),
        as a tuple of strings, which the garbage collector stops tracking; a set it never does
        (a long-lived process keeps up to ``PHRASES_KEPT`` of these)."""
        facts = self._phrases.get(terms)
        if facts is None:
            if len(self._phrases) >= PHRASES_KEPT:
                self._phrases.clear()  # a long-lived process meets many issues: stay bounded
            facts = self._phrases[terms] = (sum(self.weight(t) for t in terms),
                                            tuple(bigrams(terms)))
        return facts

    def phrase_hit(self, phrase: Phrase, view: ExcerptView) -> PhraseHit | None:
        """The excerpt line that best echoes ``phrase`` (weighted term share + word order)."""
        _, origin, terms, _, literal = phrase
        # A folded literal holds no newline: absent from the joined lines, absent from each.
        if literal and literal in view.folded_text:
            # Quoted error text found as written: as good as it gets without a signature rule.
            # A quoted name (`node_modules`) is worth what its terms are: many issues quote it.
            for index, folded in enumerate(view.folded_lines):
                if literal in folded:
                    info = self.information(terms, codes_written(phrase, view))
                    scale = 1.0 if " " in literal else min(1.0, max(NAME_FLOOR, info))
                    if index in view.echo_lines:
                        scale *= ECHO_LINE_WEIGHT
                    return PhraseHit(phrase, index + 1, PHRASE_WEIGHTS[origin] * scale,
                                     terms, info, verbatim=True)
        total, phrase_bigrams = self._phrase_facts(terms)
        if total <= 0.0:
            return None
        per_line: dict[int, float] = {}
        whole = 0.0
        for term in terms:
            lines = view.postings.get(term)
            if not lines:
                continue
            w = self.weight(term)
            whole += w
            for index in lines:
                share = w * ECHO_LINE_WEIGHT if index in view.echo_lines else w
                per_line[index] = per_line.get(index, 0.0) + share
        if not per_line:
            return None
        index = max(per_line, key=lambda i: (per_line[i], -i))
        line_cov = per_line[index] / total
        line_set = set(view.line_terms[index])
        matched = tuple(t for t in terms if t in line_set)
        if phrase_bigrams:
            order = len(view.line_bigrams[index].intersection(phrase_bigrams)) / len(
                phrase_bigrams)
            line_cov = 0.85 * line_cov + 0.15 * order
        score = 0.75 * line_cov + 0.25 * (whole / total)
        info = self.information(matched, codes_written(phrase, view))
        score *= min(1.0, info / PHRASE_FULL_INFO)
        return PhraseHit(phrase, index + 1, score * PHRASE_WEIGHTS[origin], matched, info)

    def template_hit(self, phrase: Phrase, view: ExcerptView) -> PhraseHit | None:
        """The message ``phrase`` quotes, printed with other values in its slots
        (``templates``): as good as found as written, and worth what its constant words prove.
        A heading's message counts as quoted text: it is what the tool prints."""
        found = (find_template(phrase[0], view.folded_text)
                 if phrase[1] in TEMPLATE_ORIGINS else None)
        if found is None:
            return None
        index, constant, terms = found
        origin = "quoted" if phrase[1] == "title" else phrase[1]
        scale = ECHO_LINE_WEIGHT if index in view.echo_lines else 1.0
        message: Phrase = (constant, origin, terms, terms, constant)
        return PhraseHit(message, index + 1, PHRASE_WEIGHTS[origin] * scale, terms,
                         self.information(terms), verbatim=True, templated=True)

    def information(self, terms: Iterable[str], codes: frozenset[str] = frozenset()) -> float:
        """What sharing ``terms`` proves, in rare-term equivalents (a term only one issue has
        is 1; boilerplate counts for little). An error code both sides print (``codes``:
        E0425, 0x80072efd, WinError 5, ENOSPC) counts ``CODE_INFO`` times when it is rare
        (``CODE_RARE``): it is the failure's own name, the whole message of a heading like
        "Error 0x801901a0", not one word among many."""
        # A term folded from an errno message ("connection refused" → econnrefused) repeats
        # the words it came from: it connects wordings, it is not more evidence.
        if self.idf_max <= 0:
            return 0.0
        if not codes:
            return sum(self.weight(t) for t in terms if t not in ERRNO_TERMS) / self.idf_max
        terms = tuple(terms)
        total = sum(self.weight(t) for t in terms if t in codes or t not in ERRNO_TERMS)
        # A rare code counts again; one that many issues print (npm's ERESOLVE in a large
        # knowledge base, on a hundred pages) is one word among others.
        total += sum((CODE_INFO - 1.0) * self.weight(t) for t in codes
                     if t in terms and self.weight(t) >= CODE_RARE * self.idf_max)
        return total / self.idf_max

    def _kinds(self, view: ExcerptView) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The kinds of failure the log names (``failure_kind``, sorted) and what it says
        happened (``kinds.what_happened``), once per excerpt: every candidate reads them."""
        cached = self._kinds_of  # read once: threads of one process may share the index
        if cached is None or cached[0] is not view:
            said = tuple(sorted(t for t in view.terms if failure_kind(t, view)))
            cached = self._kinds_of = (view, said, what_happened(view))
        return cached[1], cached[2]

    def evidence(self, doc: IssueDoc, view: ExcerptView, ran: frozenset[str] = frozenset(),
                 sums: tuple[float, float] | None = None) -> LexicalEvidence:
        """All lexical features of one issue for one excerpt (``ran``: terms of the commands
        the log ran, for the tool only). ``sums``: the issue's two BM25F sums (below) when
        candidate retrieval computed them already from the compiled postings."""
        shared = shared_terms(view.terms, doc)
        if sums is None:
            sums = (self.bm25f(doc, shared, view.postings),
                    self.bm25f(doc, {t for t in shared if t not in ERRNO_TERMS}))
        # Ranking weighs terms the log repeats (the failing component: mlflow, mlflow, mlflow);
        # the evidence mass counts each shared term once, so repetition cannot fake confidence.
        # Errno terms repeat the words they were folded from: not more evidence.
        ev = LexicalEvidence(issue_id=doc.id, bm25=sums[0])
        plain = sums[1]
        ev.mass = plain / self.idf_max if self.idf_max > 0 else 0.0
        focus_total = sum(self.weight(t) for t in doc.focus)
        if focus_total > 0:
            found = sum(self.weight(t) for t in focus_found(doc.focus, view.terms))
            # A two-word title fully "covered" proves less than half of a rich symptom list.
            info = found / self.idf_max if self.idf_max > 0 else 0.0
            ev.coverage = found / focus_total * min(1.0, info / COVERAGE_FULL_INFO)
        hits = [h for p in doc.phrases if (h := self.phrase_hit(p, view)) is not None]
        # What twins differ in is what the log prints as written (the values in the slots may
        # be all that differs): messages found through their slots add no strong terms.
        ev.strong = {t: self.information([t]) for h in hits
                     if h.score >= STRONG_HIT and h.origin in VERBATIM_ORIGINS
                     for t in h.matched}
        ev.tool, ev.tool_terms = self.context.match(document_key(doc), view.terms | ran)
        if ev.tool >= TOOL_NAMED:
            # A message found through its slots is a generic message more often than not
            # (`AttributeError: '…' object has no attribute '…'`, "Cannot find module '…'"):
            # the values are the failure. On the page of the tool the log names, it is that
            # tool's entry for the message.
            hits += [h for p in doc.phrases if (h := self.template_hit(p, view)) is not None]
        if hits:
            # On a tie, the message as written beats one found with other values in its slots.
            ev.best = max(hits, key=lambda h: (h.score, not h.templated))
            ev.best_quote = _quote_echo(doc.phrases, ev.best, hits)
            ev.written = max((h for h in hits if not h.templated), key=lambda h: h.score,
                             default=None)
            if ev.written is not None:
                os_words = errno_message_words(ev.written.text)
                ev.written_info = self.information(
                    t for t in ev.written.matched if t not in os_words)
        if hits:
            ev.hits = tuple(hits)
            ev.telling = max(telling(h, ev.tool >= TOOL_NAMED) for h in hits)
        shared_exc = view.exception_terms.intersection(doc.exception_terms)
        shared_codes = view.code_terms.intersection(doc.code_terms)
        ev.shared_specials = tuple(sorted(shared_exc | shared_codes))
        # An exception type the document's issues share (cert-manager's webhook page:
        # InternalError) names the document, and counts as its tool: it tells no issue apart.
        telling_specials = [t for t in ev.shared_specials if t not in ev.tool_terms]
        if telling_specials and self.idf_max > 0:
            strongest = max(self.idf(t) for t in telling_specials)
            ev.special_strength = min(1.0, strongest / self.idf_max)
        # Both name an exception type (or an error code) and none is the same: a different failure.
        ev.conflicts = sum(
            1
            for mine, theirs, same in ((doc.exception_terms, view.exception_terms, shared_exc),
                                       (doc.code_terms, view.code_terms, shared_codes))
            if mine and theirs and not same
        )
        said, happened = self._kinds(view)
        if said:
            ev.kinds = tuple(t for t in said if t in doc.vocabulary and (
                t in doc.focus or t in doc.exception_terms or t in doc.code_terms))
        ev.other_kind = other_kind(happened, doc)
        ev.matched_terms = tuple(sorted(shared - BOILERPLATE, key=lambda t: -self.weight(t)))
        return ev


def telling(hit: PhraseHit, tool_named: bool) -> float:
    """What a phrase hit counts for ranking. When the log names the tool of the issue's
    document, all it is worth: it is that tool's own message or name. Otherwise a name echoed
    counts ``NAME_RANK_SHARE`` (``node_modules`` from a package manager's FAQ under an Electron
    install failure), and a message found as written counts what it proves, full at one
    rare-term equivalent ("command not found" printed whole is in a dozen documents; the pipenv
    title it half-echoes says which one). The confidence gates read the hit's own score: this
    is ranking only."""
    if tool_named:
        return hit.score
    if names_only(hit):
        return hit.score * NAME_RANK_SHARE
    if hit.verbatim:
        return hit.score * min(1.0, max(NAME_FLOOR, hit.info))
    return hit.score


def names_only(hit: PhraseHit) -> bool:
    """Whether a phrase is a name rather than a message: one quoted word, or a code-like token
    (``tests/mlflow``, ``.well-known/openid-configuration``)."""
    literal = hit.literal
    return hit.origin == "code" or (literal is not None and " " not in literal)


def _quote_echo(phrases: Sequence[Phrase], best: PhraseHit,
                hits: Sequence[PhraseHit]) -> float | None:
    """The best echo of a message quoted inside the best phrase, ``None`` when it quotes none.

    A symptom like ``upgrade head failed with "Can't find revision X"`` is about its quote: a
    log sharing only the words around it (alembic, head) is another failure of the same tool.
    """
    if best.origin == "quoted":
        return None
    quotes = []
    for phrase in phrases:
        text, origin, terms, _, _ = phrase
        if origin == "quoted" and phrase is not best.phrase and len(terms) >= 2 \
                and text in best.text:
            quotes.append(phrase)
    if not quotes:
        return None
    return max((h.score for h in hits if h.phrase in quotes), default=0.0)
