"""A small stored index read into plain arrays (no numpy) ranks exactly as the numpy one:
same candidates, same sums to the last bit, same matches, scores and reasons."""

from __future__ import annotations

import math
import random

import pytest

from knownfix.core.match import MatchIndex, retrieval
from knownfix.core.match import compiled as compiled_module
from knownfix.core.match.compiled import CompiledIndex, CorruptIndex
from knownfix.core.records import KnownIssue, SignatureRules, SourceRef

TOOLS = ["postgres", "redis", "kafka", "nginx", "terraform", "kubectl", "npm", "maven"]
WORDS = ["ledger", "invoice", "billing", "search", "catalog", "checkout", "session", "report",
         "payment", "refund", "coupon", "profile", "tenant", "shipment", "rating", "quota"]


def generated(count: int, seed: int = 11) -> list[KnownIssue]:
    rng = random.Random(seed)
    issues = []
    for n in range(count):
        tool, a, b = rng.choice(TOOLS), rng.choice(WORDS), rng.choice(WORDS)
        issues.append(KnownIssue(
            id=f"GEN-{n:04d}", title=f"{tool} {a} {b} failure",
            symptoms=[f"{tool}: {a}-{b} failed on port {rng.choice([5432, 6379, 443])}: "
                      f"{rng.choice(['connection refused', 'timeout', 'permission denied'])}"],
            signature=SignatureRules(), root_cause=f"The {a} service restarted.",
            resolution=f"Restart {b}.", source=SourceRef(f"docs/{tool}.md", n + 1)))
    return issues


def read(blob: bytes, plain: bool, monkeypatch: pytest.MonkeyPatch) -> CompiledIndex:
    monkeypatch.setattr(compiled_module, "PLAIN_POSTINGS", 10**9 if plain else 0)
    compiled = CompiledIndex.from_bytes(blob)
    assert compiled.plain is plain
    assert compiled.to_bytes() == blob
    return compiled


def loaded(compiled: CompiledIndex, issues: list[KnownIssue]) -> MatchIndex:
    by_id = {issue.id: issue for issue in issues}
    return MatchIndex.load(compiled, lambda ids: [by_id[i] for i in ids if i in by_id])


def logs(issues: list[KnownIssue], count: int, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    return [f"$ ./deploy.sh\n{rng.choice(issues).symptoms[0]}\n{rng.choice(WORDS)} exit 1"
            for _ in range(count)]


@pytest.mark.parametrize("size", [12, 400])  # all sharing issues scored; a selection
def test_plain_and_numpy_indexes_rank_alike(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    issues = generated(size)
    blob = MatchIndex.build(issues).compiled.to_bytes()
    plain, numeric = read(blob, True, monkeypatch), read(blob, False, monkeypatch)
    a, b = loaded(plain, issues), loaded(numeric, issues)
    for log in logs(issues, 40):
        assert a.rank(log).to_dict() == b.rank(log).to_dict(), log


@pytest.mark.parametrize("size", [40, 300])  # every sharing issue a candidate; a selection
def test_retrieval_sums_are_equal_to_the_last_bit(size: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    issues = generated(size)
    blob = MatchIndex.build(issues).compiled.to_bytes()
    plain, numeric = read(blob, True, monkeypatch), read(blob, False, monkeypatch)
    rng = random.Random(8)
    for case in range(60):
        terms = rng.sample(plain.terms, 1 + case % 30)
        postings = {t: list(range(rng.randint(1, 4))) for t in terms}
        named = set(rng.sample(plain.documents, 2))
        forced = set(rng.sample(range(plain.size), 2))
        for everything in (False, True):
            x = retrieval.retrieve(plain, postings, named, forced, everything=everything)
            y = retrieval.retrieve(numeric, postings, named, forced, everything=everything)
            assert x.ordinals == y.ordinals
            assert x.sums == y.sums  # floats compared exactly
            assert x.outside == y.outside


@pytest.mark.parametrize("plain", [True, False])
@pytest.mark.parametrize("spoil", ["nan impact", "issue out of range", "empty term",
                                   "document out of range"])
def test_inconsistent_arrays_are_refused_either_way(plain: bool, spoil: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    good = MatchIndex.build(generated(20)).compiled
    impact, issue = good.post_impact.copy(), good.post_issue.copy()  # type: ignore[union-attr]
    offsets, doc_of = good.offsets.copy(), good.doc_of.copy()  # type: ignore[union-attr]
    if spoil == "nan impact":
        impact[3] = math.nan
    elif spoil == "issue out of range":
        issue[3] = good.size
    elif spoil == "empty term":
        offsets[2] = offsets[1]
    else:
        doc_of[0] = len(good.documents)
    bad = CompiledIndex(good.issue_ids, good.documents, doc_of, good.terms, offsets, issue,
                        impact, good.avg_len, good.context, good.rules)
    monkeypatch.setattr(compiled_module, "PLAIN_POSTINGS", 10**9 if plain else 0)
    with pytest.raises(CorruptIndex, match="inconsistent"):
        CompiledIndex.from_bytes(bad.to_bytes())
