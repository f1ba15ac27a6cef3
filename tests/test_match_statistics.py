"""Term statistics with very large documents counted as smaller ones (``statistics.py``).

A knowledge base of a few real pages plus one generated incident log of 600 entries: each
entry is the same migration failure of another service ("revision … not found while migrating
<service>"), near-twins of one another that share the real page's words. Counted issue by issue,
that one document makes ``revision`` and ``migration`` common words for every page; counted as
``DOC_ISSUES_COUNTED`` issues, it does not.
"""

from __future__ import annotations

import math

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match import statistics as stats
from knownfix.core.match.index_build import compile_index
from knownfix.core.match.phrases import issue_terms
from knownfix.core.records import KnownIssue
from match_helpers import issue
from test_match_evidence import fillers

MIGRATOR = "docs/migrator/troubleshooting.md"
LOG = ("$ migrator upgrade head\n"
       "INFO  [migrator.runtime] Context impl PostgresqlImpl.\n"
       "ERROR [migrator.util] Can't locate revision identified by 'f5ae8e59ef66'\n"
       "FAILED: Can't locate revision identified by 'f5ae8e59ef66'\n")


def real_pages() -> list[KnownIssue]:
    return [
        issue("migrator:revision", MIGRATOR, "Broken migration chain",
              ["Can't locate revision identified by 'f5ae8e59ef66'",
               "migrator upgrade head fails after a merge"],
              commands=["migrator upgrade head"],
              root_cause="A migration file was deleted while the database still points at it.",
              resolution="Restore the revision file or stamp the database."),
        issue("migrator:lock", MIGRATOR, "Migration waits for a lock",
              ["migrator upgrade head hangs on LOCK TABLE"],
              commands=["migrator upgrade head"],
              resolution="Stop the other session holding the lock."),
        issue("migrator:env", MIGRATOR, "env.py cannot import the models",
              ["ModuleNotFoundError: No module named 'app.models' in env.py"],
              commands=["migrator upgrade head"], resolution="Set PYTHONPATH."),
        *fillers(),
    ]


def incident_log(entries: int = 600) -> list[KnownIssue]:
    """One team's incident log: the same failure of many services, their names filled in."""
    path = "incidents/platform-incidents.md"
    return [issue(f"inc:{n}", path, f"Migration of svc{n} stops on a missing revision",
                  [f"revision rev{n} not found while migrating svc{n} database schema",
                   f"deploy of svc{n} fails during migration"],
                  commands=[f"deploy svc{n}"],
                  resolution=f"Re-run the migration of svc{n} from the last good revision.")
            for n in range(entries)]


def compiled(issues: list[KnownIssue]):  # type: ignore[no-untyped-def]
    return compile_index(issue_terms(i) for i in issues)


def test_no_large_document_leaves_bm25_s_statistics_as_they_were() -> None:
    index = compiled(real_pages())
    n = index.size
    assert stats.issue_weights(index.doc_of) is None
    assert index.idf_max == math.log(1.0 + (n - 0.5) / 1.5)
    for term in ("revision", "migrat", "head", "sitegen"):
        df = index.df(term)
        assert df > 0
        assert index.idf(term) == math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def test_a_large_document_counts_as_doc_issues_counted_issues() -> None:
    index = compiled([*real_pages(), *incident_log()])
    weights = stats.issue_weights(index.doc_of)
    assert weights is not None
    counted = float(sum(weights))
    assert counted == pytest.approx(len(real_pages()) + stats.DOC_ISSUES_COUNTED)
    assert index.idf_max == pytest.approx(math.log(1.0 + (counted - 0.5) / 1.5))
    # "revision": the real page's entry and every entry of the incident log.
    plain = math.log(1.0 + (index.size - index.df("revision") + 0.5)
                     / (index.df("revision") + 0.5))
    assert index.idf("revision") / index.idf_max > plain / math.log(1.0 + (index.size - 0.5) / 1.5)
    # A term of one entry of the incident log is no rarer than one issue's own term.
    assert index.idf("svc7") == pytest.approx(index.idf_max)
    # The impacts retrieval sums are scaled to the same IDF.
    issues, impacts = index.postings("revision")
    unscaled = index.post_impact[int(index.offsets[index.term_index("revision")]):][:len(issues)]
    ratio = [a / b for a, b in zip(impacts, unscaled, strict=True)]
    assert ratio == pytest.approx([index.idf("revision") / plain] * len(ratio))


def test_the_real_entry_keeps_first_place_and_its_verdict_among_near_twins() -> None:
    alone = MatchIndex.build(real_pages()).rank(LOG)
    mixed = MatchIndex.build([*real_pages(), *incident_log()]).rank(LOG)
    assert alone.matches[0].id == "migrator:revision"
    assert mixed.matches[0].id == "migrator:revision"
    assert mixed.known == alone.known


def test_counted_issue_by_issue_the_incident_log_takes_the_score_down(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same knowledge base with every issue counted one (as before): the near-twins'
    words are common, and the real entry's score drops further than with the mechanism."""
    kept = MatchIndex.build([*real_pages(), *incident_log()]).rank(LOG).matches[0].score
    monkeypatch.setattr(stats, "DOC_ISSUES_COUNTED", 10**9)
    plain = MatchIndex.build([*real_pages(), *incident_log()]).rank(LOG).matches[0]
    assert plain.id == "migrator:revision"
    assert plain.score < kept


def test_a_plain_index_weighs_a_large_document_as_the_numpy_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import knownfix.core.match.compiled as compiled_module
    from knownfix.core.match.compiled import CompiledIndex

    blob = compiled([*real_pages(), *incident_log(120)]).to_bytes()
    monkeypatch.setattr(compiled_module, "PLAIN_POSTINGS", 10**9)
    plain = CompiledIndex.from_bytes(blob)
    monkeypatch.setattr(compiled_module, "PLAIN_POSTINGS", 0)
    numeric = CompiledIndex.from_bytes(blob)
    assert plain.plain
    assert not numeric.plain
    assert plain.idf_max == pytest.approx(numeric.idf_max)
    for term in ("revision", "migrat", "svc7", "sitegen"):
        assert plain.idf(term) == pytest.approx(numeric.idf(term))
        assert list(plain.postings(term)[1]) == pytest.approx(list(numeric.postings(term)[1]))


def test_average_field_lengths_count_a_large_document_as_its_weight() -> None:
    """BM25F normalises each entry's field lengths by the knowledge base's averages: those count
    a large document's entries as the term statistics do, so 500 terse entries do not set the
    length every real page's entries are normalised by."""
    pages, log = real_pages(), incident_log()
    alone, mixed = compiled(pages), compiled([*pages, *log])
    assert mixed.avg_len != alone.avg_len
    weights = stats.issue_weights(mixed.doc_of)
    assert weights is not None
    for name in alone.avg_len:
        lengths = [sum(issue_terms(i).field_tf.get(name, {}).values()) for i in [*pages, *log]]
        expected = max(1.0, float((lengths * weights).sum() / weights.sum()))
        assert mixed.avg_len[name] == pytest.approx(expected)
        plain = max(1.0, sum(lengths[:len(pages)]) / len(pages))
        assert alone.avg_len[name] == pytest.approx(plain)
