"""Quality with distractors, fast: kb_scale.py's ``--quality`` phase on cached stores, per log.

``kb_scale.py --quality`` imports 100,000 generated issues before it runs the seed-doc matching
bench and the real-docs bench on a store that also holds them. This runs the same two benches on
SQLite files kept between runs (``--cache``): ``seed-N.db`` holds the generated issues and the
seed docs, ``real-N.db`` a copy with the real docs added, as kb_scale.py's store is when each
bench runs. A later run re-imports nothing that did not change (about a second); an index whose
format changed is rebuilt when the store is opened.

Besides kb_scale.py's totals it lists every log whose first match or verdict changes with the
distractors: seed bench and the development parts of the real docs (held and fresh: totals only).

    KNOWNFIX_DATASETS=../shared/datasets .venv/bin/python bench/kb_quality.py --size 100000
    .venv/bin/python bench/kb_quality.py --size 20000 --json /tmp/q.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import kb_scale  # noqa: E402
import matching  # noqa: E402
import real_docs  # noqa: E402
from real_docs_score import load_labels, load_logs, triage_totals  # noqa: E402

import knownfix.core.match as match_module  # noqa: E402
from knownfix.core.match import MatchIndex  # noqa: E402
from knownfix.services.knowledge import import_paths  # noqa: E402
from knownfix.services.triage import open_triage  # noqa: E402
from knownfix.settings import load_settings  # noqa: E402
from knownfix.storage.repository import Store, open_store  # noqa: E402

# The candidates of the latest ranking (issue ids), to tell a right issue retrieval left out
# from one that was scored and lost.
_retrieve = match_module.retrieve
_last_candidates: list[set[str]] = [set()]


def _recording_retrieve(compiled, *args, **kwargs):  # type: ignore[no-untyped-def]
    found = _retrieve(compiled, *args, **kwargs)
    _last_candidates[0] = {compiled.issue_ids[o] for o in found.ordinals}
    return found


match_module.retrieve = _recording_retrieve  # type: ignore[attr-defined]


def cached_stores(size: int, cache: Path) -> tuple[str, str]:
    """SQLite URLs of the generated issues plus the seed docs, and of those plus the real docs."""
    cache.mkdir(parents=True, exist_ok=True)
    seed_db, real_db = cache / f"seed-{size}.db", cache / f"real-{size}.db"
    if not seed_db.exists():
        docs, _ = kb_scale.documents(size)
        subprocess.run([*kb_scale.KNOWNFIX, "--db", f"sqlite:///{seed_db}", "import", str(docs)],
                       check=True, capture_output=True)
        store = open_store(f"sqlite:///{seed_db}")
        import_paths(store, [matching.default_docs()])
        store.close()
    if not real_db.exists():
        shutil.copy(seed_db, real_db)
        store = open_store(f"sqlite:///{real_db}")
        import_paths(store, [(real_docs.CORPUS / "docs").resolve()])
        store.close()
    return f"sqlite:///{seed_db}", f"sqlite:///{real_db}"


def seed_answers(store: Store) -> dict[str, tuple[str | None, str | None, bool, bool]]:
    """Seed bench: log → (expected issue, first match, known, expected among the candidates)."""
    seed = matching.default_docs()
    import_paths(store, [seed])
    mine = [i for i in store.list_known_issues() if i.source is not None
            and Path(i.source.path).resolve().is_relative_to(seed.resolve())]
    cases = matching.load_cases(mine, ROOT / "tests/data/match/seedlogs",
                                ROOT / "tests/data/match/logs")
    answer = matching.with_index(MatchIndex.load(store.match_index(), store.get_prepared_issues))
    found = {}
    for case in cases:
        a = answer(case.text)
        found[case.name] = (case.expected, a.top, a.known, case.expected in _last_candidates[0])
    return found


def seed_totals(rows: dict[str, tuple[str | None, str | None, bool, bool]]) -> dict[str, float]:
    pos = [r[:3] for r in rows.values() if r[0]]
    neg = [r[:3] for r in rows.values() if not r[0]]
    known = [r[:3] for r in rows.values() if r[2]]
    right_known = sum(1 for e, t, _ in known if e and t == e)
    return {"top1": round(sum(t == e for e, t, _ in pos) / max(1, len(pos)), 3),
            "known_precision": round(right_known / len(known), 3) if known else 1.0,
            "known_recall": round(right_known / max(1, len(pos)), 3),
            "false_known_rate": round(sum(1 for _, _, k in neg if k) / max(1, len(neg)), 3)}


def real_answers(store: Store, work: Path,
                 hidden: bool = False) -> list[tuple[real_docs.Answer, set[str]]]:
    """Each log's answer (as ``real_docs.triage_logs`` gives it) with its candidates; the
    held-out parts only with ``hidden`` (run them once, at the end of a round)."""
    issues, _ = real_docs.import_corpus(store, (real_docs.CORPUS / "docs").resolve())
    by_id = {i.id: i for i in issues}
    settings = load_settings(env={}, cwd=work, database_url="sqlite://")
    session = open_triage(store, settings)
    found = []
    for case in load_logs(load_labels()):  # as real_docs.triage_logs, one log at a time
        if case.half in real_docs.HIDDEN and not hidden:
            continue
        result = session.triage_file(str(real_docs.CORPUS / "logs" / case.log), record=False)
        top = by_id.get(result.top.id) if result.top is not None else None
        found.append((real_docs.Answer(case, result.known, top, result.signature.title),
                      _last_candidates[0]))
    return found


def where(answer: real_docs.Answer) -> str:
    top = answer.top
    return "-" if top is None else f"{top.doc or 'generated'}:{top.line} {top.title[:60]!r}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="generated issues")
    parser.add_argument("--cache", default=str(kb_scale.WORK / "stores"),
                        help="folder of the cached SQLite stores")
    parser.add_argument("--json", help="where to write totals and changed logs")
    parser.add_argument("--hidden", action="store_true",
                        help="also the held-out parts (totals only; once, at the end)")
    args = parser.parse_args(argv)
    seed_url, real_url = cached_stores(args.size, Path(args.cache))
    out: dict[str, Any] = {"size": args.size}
    seed = [seed_answers(open_store("sqlite://")), seed_answers(open_store(seed_url))]
    out["matching"] = {"alone": seed_totals(seed[0]), "with_distractors": seed_totals(seed[1])}
    out["matching_changed"] = [
        {"log": name, "expected": e, "alone": seed[0][name][1:3], "with": seed[1][name][1:3],
         "expected_retrieved": seed[1][name][3]}
        for name, (e, *_) in seed[0].items() if seed[0][name][1:3] != seed[1][name][1:3]]
    with tempfile.TemporaryDirectory() as tmp:
        real = [real_answers(open_store("sqlite://"), Path(tmp), args.hidden),
                real_answers(open_store(real_url), Path(tmp), args.hidden)]
    out["real_docs"] = {
        label: {part: triage_totals([a for a, _ in answers if a.case.half == part])
                for part in real_docs.PARTS if args.hidden or part not in real_docs.HIDDEN}
        for label, answers in (("alone", real[0]), ("with_distractors", real[1]))}
    changed = []
    for (a, _), (b, candidates) in zip(*real, strict=True):
        if a.case.half in real_docs.HIDDEN:
            continue
        if (where(a), a.known) != (where(b), b.known):
            changed.append({"log": a.case.log, "part": a.case.half,
                            "alone": [where(a), a.known, a.right],
                            "with": [where(b), b.known, b.right],
                            "alone_first_retrieved": a.top is not None and a.top.id in candidates})
    out["real_docs_changed"] = changed
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
