"""Compiling the match index (:mod:`knownfix.core.match.compiled`) from every active issue's
terms, one issue at a time into compact arrays, at import."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping

from knownfix.core.match.compiled import (
    FIELD_WEIGHTS,
    K1,
    B,
    CompiledIndex,
    StoredRule,
    rule_key,
    term_weight,
)
from knownfix.core.match.context import ContextBuilder
from knownfix.core.match.phrases import IssueTerms
from knownfix.core.match.statistics import issue_weights


class IndexBuilder:
    """Compiles the index one issue at a time into compact arrays: one entry per (term,
    issue) with the term's count in each field (about 20 bytes), never whole issues."""

    def __init__(self) -> None:
        self.issue_ids: list[str] = []
        self.documents: dict[str, int] = {}
        self.doc_of = array("i")
        self.lengths = {name: array("l") for name in FIELD_WEIGHTS}
        self.term_ids: dict[str, int] = {}
        self.entry_term = array("i")
        self.entry_issue = array("i")
        self.entry_counts = {name: array("H") for name in FIELD_WEIGHTS}
        self.rules: list[StoredRule] = []
        self.context = ContextBuilder()

    def add(self, issue: IssueTerms) -> None:
        ordinal = len(self.issue_ids)
        self.issue_ids.append(issue.issue_id)
        self.doc_of.append(self.documents.setdefault(issue.document, len(self.documents)))
        # A field at a time over the issue's terms (whole lists, not one call per entry and
        # field): compiling was most of what the importing process did itself.
        vocabulary = list(issue.vocabulary)
        ids = self.term_ids
        self.entry_term.extend([ids.setdefault(term, len(ids)) for term in vocabulary])
        self.entry_issue.extend([ordinal] * len(vocabulary))
        for name in FIELD_WEIGHTS:
            counts: Mapping[str, int] = issue.field_tf.get(name, {})
            self.lengths[name].append(sum(counts.values()))
            found = [counts.get(term, 0) for term in vocabulary]
            if found and max(found) > 0xFFFF:
                found = [min(0xFFFF, n) for n in found]
            self.entry_counts[name].extend(found)
        self.rules += [StoredRule(ordinal, "contains", p, rule_key(p)) for p in issue.contains]
        self.rules += [StoredRule(ordinal, "regex", p) for p in issue.regex]
        self.context.add(issue)

    def finish(self) -> CompiledIndex:
        import numpy as np  # here, not at the top: reading a small index does without it

        n = len(self.issue_ids)
        issue = np.frombuffer(self.entry_issue, dtype=np.intc)
        # BM25F: each field's count, weighted and normalised by the field's length. The average
        # lengths count a document as at most DOC_ISSUES_COUNTED issues, as the term statistics
        # do (``statistics.py``): a team's incident log of 500 terse entries otherwise set the
        # length every real page's entries are normalised by (resolution 43.8 → 17.7 terms on
        # average with 100,000 generated issues), and their every score with it.
        avg: dict[str, float] = {}
        tf = np.zeros(len(issue), dtype=np.float64)
        counted = issue_weights(np.frombuffer(self.doc_of, dtype=np.intc))
        for name, weight in FIELD_WEIGHTS.items():
            length = np.frombuffer(self.lengths[name], dtype=np.int_).astype(np.float64)
            if counted is None:
                avg[name] = max(1.0, float(length.sum()) / max(1, n))
            else:
                avg[name] = max(1.0, float((length * counted).sum() / counted.sum()))
            scale = weight / (1.0 - B + B * length / avg[name])
            counts = np.frombuffer(self.entry_counts[name], dtype=np.uint16)
            tf += counts * scale[issue] if len(issue) else 0.0
        del self.entry_counts
        # Postings grouped by term, terms in alphabetical order, issues ascending within one.
        terms = sorted(self.term_ids)
        rank = np.empty(len(terms), dtype=np.intc)
        rank[np.fromiter((self.term_ids[t] for t in terms), dtype=np.intc,
                         count=len(terms))] = np.arange(len(terms), dtype=np.intc)
        post_term = rank[np.frombuffer(self.entry_term, dtype=np.intc)]
        order = np.argsort(post_term, kind="stable")
        post_term = post_term[order]
        post_issue = issue[order].astype(np.int32)
        tf = tf[order]
        del order
        df = np.bincount(post_term, minlength=len(terms))
        offsets = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        damp = np.array([term_weight(1.0, t) for t in terms])
        tf *= (idf * damp)[post_term] * (K1 + 1.0) / (K1 + tf)
        return CompiledIndex(tuple(self.issue_ids), tuple(self.documents),
                             np.frombuffer(self.doc_of, dtype=np.intc).astype(np.int32), terms,
                             offsets, post_issue, tf, avg, self.context.finish(),
                             tuple(self.rules))


def compile_index(issues: Iterable[IssueTerms]) -> CompiledIndex:
    """Compile the index of the active issues (one ``IssueTerms`` each, in a stable order)."""
    builder = IndexBuilder()
    for issue in issues:
        builder.add(issue)
    return builder.finish()
