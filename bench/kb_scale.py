"""Benchmark: triage against knowledge bases of 1k, 10k and 100k known issues (SQLite, PostgreSQL).

For each size and store (``kb_synth.py`` writes the documents, 500 entries each):

* import — ``knownfix import`` of the whole tree in a fresh store (wall seconds, peak RSS), then
  again unchanged;
* whole-process triage — ``knownfix triage LOG --json --no-record`` of 20 failing logs of
  entries, each its own process: median and p95 wall seconds, peak RSS, and how many came back
  with the right issue first;
* warm match — one process, the index loaded once (as ``knownfix serve`` holds it): the excerpts
  of 1,000 logs ranked with ``MatchIndex.rank``, p50 / p99 milliseconds;
* retrieval vs every issue (sizes up to ``--exhaustive-max``) — the same logs ranked with
  candidate retrieval and with every issue scored (``exhaustive``): how often the first match
  and the known verdict differ;
* quality with distractors (``--quality``, at the largest size) — the seed-doc matching bench
  and the real-docs bench run on a store that also holds the generated issues, beside the same
  benches on their own knowledge base.

    KNOWNFIX_DATASETS=../shared/datasets .venv/bin/python bench/kb_scale.py
    .venv/bin/python bench/kb_scale.py --sizes 1000,10000 --backends sqlite

PostgreSQL: a database per run on ``--pg`` (default postgresql://postgres@127.0.0.1:5432),
dropped at the end. Prints a table and writes bench/results/kb_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import kb_synth  # noqa: E402

from knownfix.core.match import MatchIndex  # noqa: E402
from knownfix.services.triage import open_triage  # noqa: E402
from knownfix.settings import load_settings  # noqa: E402
from knownfix.storage.repository import Store, open_store  # noqa: E402

KNOWNFIX = [str(Path(sys.executable).parent / "knownfix")]  # the installed command
WORK = ROOT / "bench" / ".work" / "kb_scale"


def run(args: Sequence[str], cwd: Path) -> tuple[float, int, int, str]:
    """Run a command; wall seconds, peak RSS (MB), exit status and stdout.

    The peak comes from GNU time: a child forked from this (large) process would report this
    process's RSS as its own, since Linux keeps the peak across fork and exec.
    """
    report = cwd / "rss.txt"
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-q", "-f", "%M", "-o", str(report), *args],
                          cwd=cwd, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    peak = int(report.read_text().split()[-1]) // 1024
    return seconds, peak, done.returncode, done.stdout.decode("utf-8", "replace")


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@contextmanager
def store_url(backend: str, pg: str, where: Path) -> Iterator[str]:
    """A fresh, empty store of ``backend``; a PostgreSQL database is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{where / 'kb.db'}"
        return
    import psycopg

    name = f"knownfix_scale_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(pg + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    finally:
        with psycopg.connect(pg + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def documents(size: int) -> tuple[Path, list[kb_synth.Entry]]:
    folder = WORK / f"docs-{size}"
    entries = kb_synth.generate(folder, size)  # deterministic: rewriting gives the same files
    return folder, entries


def expected_id(store: Store, entry: kb_synth.Entry, ids: dict[tuple[str, int], str]) -> str:
    return ids.get((entry.doc, entry.number), "?")


def ids_by_place(store: Store) -> dict[tuple[str, int], str]:
    """(document file name, entry number) → issue id, read from where each issue came from."""
    found: dict[tuple[str, int], str] = {}
    by_doc: dict[str, list[tuple[int, str]]] = {}
    for issue in store.list_known_issues():
        if issue.source is not None:
            by_doc.setdefault(Path(issue.source.path).name, []).append(
                (issue.source.line, issue.id))
    for doc, rows in by_doc.items():
        for number, (_, issue_id) in enumerate(sorted(rows), start=1):
            found[(doc, number)] = issue_id
    return found


def measure(size: int, backend: str, args: argparse.Namespace) -> dict[str, Any]:
    docs, entries = documents(size)
    row: dict[str, Any] = {"size": size, "backend": backend}
    with tempfile.TemporaryDirectory() as tmp, store_url(backend, args.pg, Path(tmp)) as url:
        work = Path(tmp)
        seconds, rss, status, _ = run([*KNOWNFIX, "--db", url, "import", str(docs)], work)
        row.update(import_s=round(seconds, 1), import_rss_mb=rss, import_status=status)
        seconds, rss, status, _ = run([*KNOWNFIX, "--db", url, "import", str(docs)], work)
        row.update(reimport_s=round(seconds, 1), reimport_rss_mb=rss)
        store = open_store(url)
        ids = ids_by_place(store)
        row["issues"] = len(ids)
        logs = list(kb_synth.sample_logs(entries, max(args.logs, args.warm)))
        # Whole-process triage, one process per log.
        times, peaks, right = [], [], 0
        for n, (entry, text) in enumerate(logs[: args.logs]):
            path = work / f"log-{n}.log"
            path.write_text(text)
            seconds, rss, status, out = run(
                [*KNOWNFIX, "--db", url, "triage", str(path), "--json", "--no-record"], work)
            times.append(seconds)
            peaks.append(rss)
            result = json.loads(out) if out.strip().startswith("{") else {}
            top = (result.get("matches") or [{}])[0].get("id")
            right += top == expected_id(store, entry, ids)
        row.update(triage_median_s=round(statistics.median(times), 3),
                   triage_p95_s=round(percentile(times, 0.95), 3), triage_rss_mb=max(peaks),
                   triage_top1=round(right / max(1, len(times)), 3))
        # Warm: excerpts once, then the ranking alone.
        settings = load_settings(env={}, cwd=work, database_url=url)
        session = open_triage(store, settings)
        index = session.match_index
        index.compiled.warm()
        excerpts = []
        for entry, text in logs[: args.warm]:
            result = session.triage("log", iter([text.encode()]), record=False)
            excerpts.append((entry, result.excerpt.text))
        latencies, right = [], 0
        for entry, text in excerpts:
            started = time.perf_counter()
            ranked = index.rank(text)
            latencies.append(1000 * (time.perf_counter() - started))
            right += bool(ranked.matches) and ranked.matches[0].id == expected_id(store, entry, ids)
        row.update(warm_p50_ms=round(percentile(latencies, 0.5), 2),
                   warm_p99_ms=round(percentile(latencies, 0.99), 2),
                   warm_top1=round(right / max(1, len(excerpts)), 3))
        if size <= args.exhaustive_max:
            row.update(versus_exhaustive(store, excerpts[: args.compare]))
        if args.quality and size == max(args.sizes):
            row["quality"] = quality(store, work)
        store.close()
    return row


def versus_exhaustive(store: Store, excerpts: Sequence[tuple[Any, str]]) -> dict[str, Any]:
    """How often candidate retrieval changes the first match or the verdict."""
    pruned = MatchIndex.load(store.match_index(), store.get_prepared_issues)
    everything = MatchIndex.build(store.list_known_issues(), exhaustive=True)
    top_differs = known_differs = known_top_differs = 0
    for _, text in excerpts:
        a, b = pruned.rank(text), everything.rank(text)
        first_a = a.matches[0].id if a.matches else None
        first_b = b.matches[0].id if b.matches else None
        top_differs += first_a != first_b
        known_differs += a.known != b.known
        # What the issue asks: a known issue that wins when every issue is scored still wins.
        known_top_differs += b.known and first_a != first_b
    return {"compared": len(excerpts), "top1_differs": top_differs,
            "known_differs": known_differs, "known_top1_differs": known_top_differs}


def quality(store: Store, work: Path) -> dict[str, Any]:
    """The matching and real-docs benches on their own and with the generated issues mixed in."""
    import matching
    import real_docs
    from real_docs_score import load_labels, load_logs, triage_totals

    from knownfix.services.knowledge import import_paths

    found: dict[str, Any] = {}
    seed = matching.default_docs()
    if seed.is_dir():
        alone = open_store("sqlite://")
        scores = []
        for target in (alone, store):
            import_paths(target, [seed])
            mine = [i for i in target.list_known_issues()
                    if i.source is not None and Path(i.source.path).resolve().is_relative_to(
                        seed.resolve())]
            cases = matching.load_cases(mine, ROOT / "tests/data/match/seedlogs",
                                        ROOT / "tests/data/match/logs")
            index = MatchIndex.load(target.match_index(), target.get_prepared_issues)
            result = matching.evaluate(matching.with_index(index), cases)
            scores.append({k: round(v, 3) for k, v in result.items()
                           if k in ("top1", "known_precision", "known_recall",
                                    "false_known_rate")})
        found["matching"] = {"alone": scores[0], "with_distractors": scores[1]}
    docs = (real_docs.CORPUS / "docs").resolve()
    labels = load_labels()
    cases = load_logs(labels)
    rows = []
    for target in (open_store("sqlite://"), store):
        issues, _ = real_docs.import_corpus(target, docs)
        by_id = {i.id: i for i in issues}
        answers = real_docs.triage_logs(target, cases, by_id, work)
        rows.append({half: triage_totals([a for a in answers if a.case.half == half])
                     for half in real_docs.PARTS})
    found["real_docs"] = {"alone": rows[0], "with_distractors": rows[1]}
    return found


COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("issues", "issues", str), ("backend", "store", str),
    ("import_s", "import s", str), ("reimport_s", "unchanged s", str),
    ("import_rss_mb", "import MB", str),
    ("triage_median_s", "triage median s", str), ("triage_p95_s", "p95 s", str),
    ("triage_rss_mb", "triage MB", str), ("triage_top1", "top-1", str),
    ("warm_p50_ms", "warm p50 ms", str), ("warm_p99_ms", "p99 ms", str),
    ("top1_differs", "first ≠ exhaustive", str), ("known_top1_differs", "known first ≠", str),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--backends", default="sqlite,postgres", type=lambda s: s.split(","))
    parser.add_argument("--logs", type=int, default=20, help="whole-process triage runs")
    parser.add_argument("--warm", type=int, default=1000, help="logs ranked in one process")
    parser.add_argument("--compare", type=int, default=200,
                        help="logs ranked both with retrieval and exhaustively")
    parser.add_argument("--exhaustive-max", type=int, default=10_000,
                        help="largest size compared with exhaustive ranking (it is slow)")
    parser.add_argument("--quality", action="store_true",
                        help="run the matching and real-docs benches with distractors")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--json", default=str(ROOT / "bench/results/kb_scale.json"))
    args = parser.parse_args(argv)
    random.seed(0)
    rows = []
    for size in args.sizes:
        for backend in args.backends:
            print(f"… {size} issues on {backend}", file=sys.stderr, flush=True)
            row = measure(size, backend, args)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print("| " + " | ".join(title for _, title, _ in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(fmt(row.get(key, "-")) for key, _, fmt in COLUMNS) + " |")
    for row in rows:
        if "quality" in row:
            print(f"\nquality with {row['issues']} generated issues mixed in ({row['backend']}):")
            print(json.dumps(row["quality"], indent=1))
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"load": os.getloadavg(), "rows": rows}, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
