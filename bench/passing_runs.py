"""Passing runs: does ``knownfix triage`` say "no failure found" for a CI job that passed, exit 0
and record nothing, and never say so for a job that failed?

Every log of ``bench/passing/logs/`` (real pytest, unittest, ruff, mypy, npm, Jest, ESLint, tsc,
Mocha, cargo, clippy, go, Maven, RSpec, CMake/CTest output in GitHub Actions, GitLab CI and
Travis CI frames, made by ``bench/passing/make_logs.py``: passing jobs and failing variants of the
same projects) and of ``bench/passing/public/`` (passing job logs published by other projects) is
triaged by the command line, exactly as a CI step would run it: ``python -m knownfix triage LOG
--json`` of this checkout, in a fresh temporary project with its own store and no CI variables,
then ``knownfix incidents list --json`` counts what was recorded.

A passing log is handled right when the exit status is 0, the JSON's no-failure field says so
(``NO_FAILURE_FIELD`` below, documented in ``docs/triage.md``) and no incident was recorded. A
failing log must never be reported as passing (no-failure field set, or exit status 0: with an
empty knowledge base nothing can be a known issue). ``--logchunks`` adds the 797 failed Travis
logs of LogChunks as further failing logs (one batched ``--no-record`` call: only "never reported
passing" is checked there). Writes ``bench/results/passing_runs.json``.

    .venv/bin/python bench/passing_runs.py [--logchunks] [--datasets DIR] [--jobs N] [--list]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from logchunks import dataset_dir, unpack  # noqa: E402

PASSING = ROOT / "bench" / "passing"
SETS = {"generated": PASSING / "logs", "public": PASSING / "public"}
RESULTS = ROOT / "bench" / "results"
# The triage JSON's answer for "this job passed"; the triage engine documents it (docs/triage.md).
NO_FAILURE_FIELD, NO_FAILURE_VALUE = "outcome", "passed"
CI_VARIABLES = ("CI", "GITHUB_", "GITLAB_", "TRAVIS", "BUILDKITE", "JENKINS", "CIRCLE",
                "KNOWNFIX_")
BATCH = 50


@dataclass
class Verdict:
    file: str
    set: str
    expect: str
    ci: str
    project: str
    scenario: str
    exit_code: int
    no_failure: bool
    incidents: int
    category: str
    title: str
    error: str = ""

    @property
    def right(self) -> bool:
        if self.expect == "pass":
            return self.exit_code == 0 and self.no_failure and self.incidents == 0
        return not self.reported_passing

    @property
    def reported_passing(self) -> bool:
        return self.no_failure or self.exit_code == 0


def cli_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CI_VARIABLES)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.update({"HOME": str(workdir), "COLUMNS": "120", "NO_COLOR": "1"})
    return env


def knownfix(args: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments; log text is only read by knownfix
        [sys.executable, "-m", "knownfix", "--db", str(workdir / "kf.db"), *args],
        cwd=workdir, env=cli_env(workdir), capture_output=True, text=True, check=False,
    )


def no_failure(answer: dict[str, Any]) -> bool:
    return answer.get(NO_FAILURE_FIELD) == NO_FAILURE_VALUE


def triage_one(row: dict[str, str], folder: Path) -> Verdict:
    """Triage one log in a fresh project; count the incidents it left behind."""
    with tempfile.TemporaryDirectory(prefix="kf-passing-run-") as tmp:
        workdir = Path(tmp)
        done = knownfix(["triage", str(folder / row["file"]), "--json"], workdir)
        answer: dict[str, Any] = {}
        error = ""
        try:
            answer = json.loads(done.stdout.splitlines()[0])
        except (IndexError, json.JSONDecodeError):
            error = (done.stderr or done.stdout).strip()[-300:]
        listed = knownfix(["incidents", "list", "--json"], workdir)
        try:
            incidents = len(json.loads(listed.stdout))
        except json.JSONDecodeError:
            incidents = -1
            error = error or listed.stderr.strip()[-300:]
    triage = answer.get("triage") or {}
    return Verdict(
        file=row["file"], set=row["set"], expect=row["expect"], ci=row.get("ci", ""),
        project=row.get("project", ""), scenario=row.get("scenario", ""),
        exit_code=done.returncode, no_failure=no_failure(answer), incidents=incidents,
        category=str(triage.get("category", "")),
        title=str((answer.get("signature") or {}).get("title", "")), error=error,
    )


def read_manifests() -> list[tuple[dict[str, str], Path]]:
    rows = []
    for name, folder in SETS.items():
        manifest = folder / "MANIFEST.tsv"
        if not manifest.is_file():
            continue
        with manifest.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows.append(({**row, "set": name}, folder))
    return rows


def logchunks_reported_passing(datasets: str | None) -> dict[str, Any]:
    """Triage every LogChunks log (all failed jobs) in batches; list those reported passing."""
    data = dataset_dir(datasets)
    logs = unpack(data) / "logs"
    with (data / "cases.jsonl").open(encoding="utf-8") as handle:
        paths = [logs / json.loads(line)["log"] for line in handle]
    passing: list[str] = []
    answered = 0
    with tempfile.TemporaryDirectory(prefix="kf-passing-run-") as tmp:
        for start in range(0, len(paths), BATCH):
            batch = paths[start:start + BATCH]
            done = knownfix(["triage", *map(str, batch), "--json", "--no-record"], Path(tmp))
            for path, line in zip(batch, done.stdout.splitlines(), strict=False):
                answered += 1
                if no_failure(json.loads(line)):
                    passing.append(str(path.relative_to(logs)))
    return {"logs": len(paths), "answered": answered, "reported_passing": passing}


def summary(verdicts: list[Verdict]) -> dict[str, Any]:
    passing = [v for v in verdicts if v.expect == "pass"]
    failing = [v for v in verdicts if v.expect == "fail"]
    return {
        "passing_logs": len(passing),
        "passing_exit_0": sum(v.exit_code == 0 for v in passing),
        "passing_no_failure_field": sum(v.no_failure for v in passing),
        "passing_no_incident": sum(v.incidents == 0 for v in passing),
        "passing_right": sum(v.right for v in passing),
        "failing_logs": len(failing),
        "failing_reported_passing": sum(v.reported_passing for v in failing),
        "failing_exit_1": sum(v.exit_code == 1 for v in failing),
        "failing_incident_recorded": sum(v.incidents > 0 for v in failing),
        "errors": sum(bool(v.error) for v in verdicts),
    }


def print_report(verdicts: list[Verdict], report: dict[str, Any]) -> None:
    print(f"passing-run bench: {len(verdicts)} logs; no-failure field "
          f"{NO_FAILURE_FIELD!r} = {NO_FAILURE_VALUE!r}; {report['seconds']:.0f} s wall")
    print(f"{'slice':28} {'pass logs':>9} {'exit 0':>7} {'field':>6} {'0 inc':>6} {'right':>6} "
          f"{'fail logs':>9} {'said pass':>9} {'exit 1':>7} {'recorded':>8}")
    for name, s in report["slices"].items():
        print(f"{name:28} {s['passing_logs']:9d} {s['passing_exit_0']:7d} "
              f"{s['passing_no_failure_field']:6d} {s['passing_no_incident']:6d} "
              f"{s['passing_right']:6d} {s['failing_logs']:9d} "
              f"{s['failing_reported_passing']:9d} {s['failing_exit_1']:7d} "
              f"{s['failing_incident_recorded']:8d}")
    wrong = [v for v in verdicts if not v.right]
    if wrong:
        print("\nwrong answers (expect: exit, no-failure field, incidents, category | title):")
        for v in sorted(wrong, key=lambda v: (v.expect, v.file)):
            print(f"  {v.expect} {v.file}: exit {v.exit_code}, field {v.no_failure}, "
                  f"{v.incidents} incident(s), {v.category} | {v.title[:80]}"
                  + (f" | error: {v.error[:120]}" if v.error else ""))
    lc = report.get("logchunks")
    if lc:
        print(f"\nLogChunks (all failed jobs): {lc['logs']} logs, {lc['answered']} answered, "
              f"{len(lc['reported_passing'])} reported passing")
        for name in lc["reported_passing"][:20]:
            print(f"  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logchunks", action="store_true",
                        help="also check that no LogChunks log (all failed) is reported passing")
    parser.add_argument("--datasets", help="folder holding logchunks/ (default $KNOWNFIX_DATASETS)")
    parser.add_argument("--jobs", type=int, default=2, help="logs triaged at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the logs and exit")
    args = parser.parse_args()
    rows = read_manifests()
    if args.list:
        for row, _folder in rows:
            print(f"{row['set']:9} {row['expect']:4} {row['file']}")
        return 0
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        verdicts = list(pool.map(lambda item: triage_one(*item), rows))
    slices: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        slices["all"].append(v)
        slices[f"set: {v.set}"].append(v)
        if v.ci:
            slices[f"ci: {v.ci}"].append(v)
        if v.set == "generated":
            slices[f"project: {v.project}"].append(v)
    report: dict[str, Any] = {
        "no_failure_field": {NO_FAILURE_FIELD: NO_FAILURE_VALUE},
        "seconds": round(time.monotonic() - started, 1),
        "slices": {name: summary(slices[name]) for name in sorted(
            slices, key=lambda n: (n != "all", n.split(":")[0] != "set", n.split(":")[0], n))},
        "categories_of_passing_logs": dict(Counter(v.category for v in verdicts
                                                   if v.expect == "pass")),
        "logs": [asdict(v) | {"right": v.right} for v in verdicts],
    }
    if args.logchunks:
        report["logchunks"] = logchunks_reported_passing(args.datasets)
    print_report(verdicts, report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "passing_runs.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
