"""Recurrence: does knownfix put two failed CI logs in one incident exactly when they are the
same failure?

Triages all 797 LogChunks logs (Brandt et al., MSR 2020) with knownfix's own services, in job
order per repository, into fresh stores (in process: extract → redact → fingerprint → policy →
record): once with each repository as the incident scope (what ``knownfix triage --scope
"$GITHUB_REPOSITORY"`` does in CI), once into one shared scope. Ground truth, written here
independently of knownfix's normalizer: two logs are the same failure when the chunks a human
labelled as the failure's explanation are equal once ANSI codes, timestamps, UUIDs, hex ids,
hashes, paths and numbers are masked (plain regexes below). A second, simpler truth written by
the project's owner scores the same groupings independently: two logs are the same failure when
their labelled chunks are equal once numbers, hex ids of 7+ characters, timestamps and
directories are masked, each repository its own scope (``OWNER_MASKS``).

Pairwise precision and recall, over three sets of pairs: ``repo+span`` (every pair of logs of one
repository, plus every pair of logs of two repositories that one incident spans), ``within``
(pairs of one repository only) and ``all`` (every pair of logs). Anchors in the same run: the
strict fingerprint and the log's last five non-blank lines (masked like the truth), both per
repository, and the labelled chunk's own loose fingerprint (the grouping knownfix would make
with an excerpt that is exactly the labelled lines: what is left when extraction is perfect), and
the failed step alone (an excerpt that holds no line of the failure: the worst extraction). The
header also gives the share of logs whose excerpt holds a labelled line ("excerpt hit"). Writes
``bench/results/recurrence.json``.

    .venv/bin/python bench/recurrence.py [--datasets DIR] [--split all|dev|held] [--misses N]
        [--truth first|owner]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from logchunks import dataset_dir, is_dev, read_chunks, unpack  # noqa: E402

from knownfix.core.extract import read_log  # noqa: E402
from knownfix.core.match import MatchIndex  # noqa: E402
from knownfix.core.policy import default_policy  # noqa: E402
from knownfix.core.secrets.redact import redact  # noqa: E402
from knownfix.core.signature.fingerprint import fingerprint_excerpt  # noqa: E402
from knownfix.services.triage import triage_source  # noqa: E402
from knownfix.storage.repository import open_store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGETS = {"precision": 0.90, "recall": 0.80}

# Ground-truth masks: named, ordered, deliberately simple and independent of knownfix.
TRUTH_MASKS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern), replacement)
    for name, pattern, replacement in (
        ("ansi", r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07", ""),
        ("orphan-ansi", r"\[\??\d*(?:;\d+)*[mKlhJ]", ""),  # codes whose ESC byte was lost
        ("timestamp", r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?",
         "<ts>"),
        ("clock", r"\b\d\d?:\d\d(?::\d\d(?:[.,]\d+)?)?\b", "<ts>"),
        ("uuid", r"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b", "<uuid>"),
        ("hex", r"\b0x[0-9a-fA-F]+\b", "<hex>"),
        ("hash", r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b", "<hash>"),
        ("path", r"(?:[A-Za-z]:)?[\w.@~+-]*(?:[/\\][\w.@~+-]+)+[/\\]?", "<path>"),
        ("number", r"\d+", "0"),
        ("space", r"\s+", " "),
    )
)


# The owner's simpler truth: only these four masks, nothing else normalized (not even ANSI codes or
# spacing); the repository is part of the key.
OWNER_MASKS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern), replacement)
    for name, pattern, replacement in (
        ("timestamp", r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
         r"|\b\d\d?:\d\d:\d\d(?:[.,]\d+)?\b", "<ts>"),
        ("hex-id", r"\b(?:0x)?[0-9a-fA-F]{7,}\b", "<hex>"),
        ("directory", r"(?:[A-Za-z]:)?(?:[\w.@~+-]*[/\\])+", "<dir>/"),
        ("number", r"\d+", "0"),
    )
)


def owner_truth_key(repo: str, text: str) -> str:
    """The owner's truth: the repository and its chunk with the four masks applied."""
    text = text.replace("\r\n", "\n")
    for _name, pattern, replacement in OWNER_MASKS:
        text = pattern.sub(replacement, text)
    return f"{repo}\x00{text}"


def truth_key(text: str) -> str:
    """The labelled chunk with run-specific parts masked: equal keys, same failure."""
    for _name, pattern, replacement in TRUTH_MASKS:
        text = pattern.sub(replacement, text)
    return text.strip()


def last_lines_key(path: Path, count: int = 5) -> str:
    """Anchor: the log's last non-blank lines, masked like the truth."""
    tail: list[str] = []
    for block in read_chunks(path):
        for line in re.split(r"\r\n|\r|\n", block.decode("utf-8", "replace")):
            if line.strip():
                tail.append(line)
        tail = tail[-count:]
    return truth_key("\n".join(tail))


def pair_scores(groups: dict[str, str], truth: dict[str, str],
                repo: dict[str, str]) -> dict[str, dict[str, float]]:
    """Pairwise precision and recall over the ``repo+span``, ``within`` and ``all`` pair sets."""
    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for log, label in labels.items():
            members[label].append(log)
        found: set[tuple[str, str]] = set()
        for logs in members.values():
            found.update((a, b) if a < b else (b, a) for a, b in combinations(logs, 2))
        return found

    predicted, actual = pairs(groups), pairs(truth)
    within = {p for p in predicted | actual if repo[p[0]] == repo[p[1]]}
    universes = {"repo+span": within | predicted, "within": within, "all": predicted | actual}
    scores = {}
    for scope, universe in universes.items():
        pred, true = predicted & universe, actual & universe
        hits = len(pred & true)
        scores[scope] = {
            "precision": round(hits / len(pred), 3) if pred else 1.0,
            "recall": round(hits / len(true), 3) if true else 1.0,
            "predicted_pairs": len(pred),
            "true_pairs": len(true),
        }
    return scores


def job_order(cases: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Repository by repository, each in job-id order (the order CI produced them)."""
    return sorted(cases, key=lambda c: (c["repo"], int(c["job"])))


def triage_all(cases: list[dict[str, Any]], logs: Path,
               scoped: bool) -> tuple[dict[str, dict[str, Any]], float]:
    """Triage every log into one fresh in-memory store; incident id and fingerprints per log."""
    store = open_store("sqlite://")
    index = MatchIndex.build([])  # grouping does not depend on the knowledge base
    policy = default_policy()
    start_time = datetime(2020, 1, 1, tzinfo=UTC)
    found: dict[str, dict[str, Any]] = {}
    started = time.process_time()
    for n, case in enumerate(cases):
        result = triage_source(
            store, case["log"], read_chunks(logs / "logs" / case["log"]), policy=policy,
            match_index=index, history={}, now=start_time + timedelta(minutes=n),
            scope=case["repo"] if scoped else "",
        )
        assert result.incident is not None
        span = range(case["span"][0], case["span"][1] + 1)
        found[case["id"]] = {
            "incident": result.incident.id,
            "step": _failed_step(logs / "logs" / case["log"]),
            "strict": result.signature.fingerprint,
            "title": result.signature.title,
            "hit": any(first <= n <= last for first, last in result.excerpt.spans for n in span),
        }
    seconds = time.process_time() - started
    store.close()
    return found, seconds


def _failed_step(path: Path) -> str:
    """The failed step's command and closing lines, as triage passes them to the fingerprint."""
    return redact(read_log(read_chunks(path)).step)


def _weak_excerpt_key(step: str) -> str:
    """The loose fingerprint of an excerpt that holds no line of the failure, with the failed
    step (code older than fingerprints 2026-12-12 takes no step: one group per repository)."""
    try:
        return fingerprint_excerpt("", step=step).loose_fingerprint  # type: ignore[call-arg]
    except TypeError:
        return fingerprint_excerpt("").loose_fingerprint


def misses(cases: list[dict[str, Any]], found: dict[str, dict[str, Any]],
           truth: dict[str, str], limit: int) -> dict[str, list[dict[str, Any]]]:
    """Examples of wrong merges (one incident, different truth) and of splits."""
    by_incident: dict[str, list[str]] = defaultdict(list)
    by_truth: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        by_incident[found[case["id"]]["incident"]].append(case["id"])
        by_truth[truth[case["id"]]].append(case["id"])
    merged = [
        {"incident": incident, "titles": sorted({found[i]["title"] for i in ids})[:3],
         "truth_groups": len({truth[i] for i in ids}), "logs": ids[:6]}
        for incident, ids in by_incident.items() if len({truth[i] for i in ids}) > 1
    ]
    split = [
        {"truth": key[:160], "incidents": len({found[i]["incident"] for i in ids}),
         "titles": sorted({found[i]["title"] for i in ids})[:4], "logs": ids[:6]}
        for key, ids in by_truth.items() if len({found[i]["incident"] for i in ids}) > 1
    ]
    merged.sort(key=lambda m: -len(by_incident[m["incident"]]))
    split.sort(key=lambda s: -len(s["logs"]))
    return {"wrong_merges": merged[:limit], "splits": split[:limit]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", help="folder holding logchunks/ (default $KNOWNFIX_DATASETS)")
    parser.add_argument("--split", choices=("all", "dev", "held"), default="all")
    parser.add_argument("--misses", type=int, default=0, help="print N wrong merges and splits")
    parser.add_argument("--truth", choices=("first", "owner"), default="first",
                        help="the truth --misses judges by (default: the first)")
    args = parser.parse_args()

    data = dataset_dir(args.datasets)
    logs = unpack(data)
    cases = [json.loads(line) for line in (data / "cases.jsonl").open(encoding="utf-8")]
    if args.split != "all":
        cases = [c for c in cases if is_dev(c["repo"]) == (args.split == "dev")]
    cases = job_order(cases)
    truth = {c["id"]: truth_key(c["chunk"]) for c in cases}
    owner_truth = {c["id"]: owner_truth_key(c["repo"], c["chunk"]) for c in cases}
    repo = {c["id"]: c["repo"] for c in cases}

    found, seconds = triage_all(cases, logs, scoped=True)
    shared, _ = triage_all(cases, logs, scoped=False)
    methods: dict[str, Callable[[dict[str, Any]], str]] = {
        "knownfix incidents, scope = repository": lambda c: found[c["id"]]["incident"],
        "knownfix incidents, one shared scope": lambda c: shared[c["id"]]["incident"],
        "strict fingerprint, per repository": lambda c: c["repo"] + found[c["id"]]["strict"],
        "last 5 lines masked, per repository": (
            lambda c: c["repo"] + "\x00" + last_lines_key(logs / "logs" / c["log"])
        ),
        # Perfect extraction: the labelled chunk fingerprinted as if it were the excerpt.
        "labelled chunk's loose fp, per repo": (
            lambda c: c["repo"] + fingerprint_excerpt(redact(c["chunk"])).loose_fingerprint
        ),
        # Extraction that found nothing: the failed step alone groups (fingerprints 2026-12-12).
        "no excerpt, failed step only, per repo": (
            lambda c: c["repo"] + _weak_excerpt_key(found[c["id"]]["step"])
        ),
        # How far the two truths agree: each scored by the other (a ceiling, not a method).
        "first truth as a grouping, per repo": lambda c: c["repo"] + "\x00" + truth[c["id"]],
        "owner's truth as a grouping": lambda c: owner_truth[c["id"]],
    }
    report: dict[str, Any] = {
        "logs": len(cases),
        "repositories": len(set(repo.values())),
        "split": args.split,
        "truth_groups": len(set(truth.values())),
        "owner_truth_groups": len(set(owner_truth.values())),
        "targets": TARGETS,
        "knownfix_cpu_seconds_per_pass": round(seconds, 1),
        "excerpt_hit": round(sum(f["hit"] for f in found.values()) / len(found), 3),
        "methods": {},
    }
    for name, label in methods.items():
        groups = {c["id"]: label(c) for c in cases}
        report["methods"][name] = {"groups": len(set(groups.values())),
                                   **pair_scores(groups, truth, repo),
                                   "owner_truth": pair_scores(groups, owner_truth, repo)}
    print_report(report)
    if args.misses:
        judge = owner_truth if args.truth == "owner" else truth
        examples = misses(cases, found, judge, args.misses)
        print(json.dumps(examples, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "recurrence.json" if args.split == "all" else f"recurrence-{args.split}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    return 0


def print_report(report: dict[str, Any]) -> None:
    print(f"LogChunks recurrence: {report['logs']} logs, {report['repositories']} repositories, "
          f"{report['truth_groups']} distinct failures (truth), {report['owner_truth_groups']} "
          f"(owner's truth), split {report['split']}; "
          f"knownfix triage CPU {report['knownfix_cpu_seconds_per_pass']} s per pass; "
          f"excerpt hit {report['excerpt_hit']:.3f}")
    print(f"{'method':40} {'pairs':10} {'P':>6} {'R':>6} {'P own':>6} {'R own':>6} "
          f"{'pred pairs':>10} {'true pairs':>10} {'own pairs':>9} {'groups':>7}")
    for name, result in report["methods"].items():
        for scope in ("repo+span", "within", "all"):
            m, o = result[scope], result["owner_truth"][scope]
            groups = str(result["groups"]) if scope == "repo+span" else ""
            print(f"{name:40} {scope:10} {m['precision']:6.3f} {m['recall']:6.3f} "
                  f"{o['precision']:6.3f} {o['recall']:6.3f} {m['predicted_pairs']:10d} "
                  f"{m['true_pairs']:10d} {o['true_pairs']:9d} {groups:>7}")
    print("targets, by both truths: "
          + ", ".join(f"{k} >= {v}" for k, v in report["targets"].items()))


if __name__ == "__main__":
    raise SystemExit(main())
