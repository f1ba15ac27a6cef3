"""Benchmark: log template mining on Loghub-2k, knownfix against drain3, in one process.

For each of the 16 systems of ``${KNOWNFIX_DATASETS:-../shared/datasets}/loghub-2k`` the raw
``<Sys>_2k.log`` is cut into header and message with the system's logparser ``log_format`` (an
input description, the same for every parser), then three parsers group the messages:

* ``knownfix``   the online miner with its one generic configuration (``MinerConfig()``);
* ``drain3``     drain3 with one generic setting: no masks, similarity 0.4, depth 4;
* ``drain3-tuned`` drain3 with logparser's per-system Drain settings (regex masks, st, depth).

Scores, against ``<Sys>_2k.log_structured_corrected.csv`` (``--labels original``: the labels
before the ICSE 2022 corrections, ``<Sys>_2k.log_structured.csv``):

* GA (grouping accuracy): a line is right when the set of lines in its predicted group equals
  the set of lines in its true group (logparser's ``get_accuracy``);
* PA (parsing accuracy): the line's template text equals the true one, after collapsing
  whitespace and runs of ``<*>`` separated only by whitespace.

knownfix is scored two ways: *two-pass* (learn every line with ``add``, then ``match`` each line
to its final template, as ``knownfix logs cluster`` does) and *online* (the cluster ``add``
returned when the line arrived). drain3's clusters never merge, so its ``add`` result is final.

Speed: lines per second of CPU time (``time.process_time``, steadier than wall time on a shared
machine) of the learning pass alone (``add`` for every line); knownfix's two-pass speed (learning
plus the ``match`` pass) is reported too. Each parser runs ``--repeat`` times, interleaved; the
fastest run counts. Header splitting is done once, before and outside the timings.

    .venv/bin/python bench/loghub.py [--systems HDFS,Linux] [--repeat 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import logging
import os
import platform
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from loghub_systems import SYSTEMS, System  # noqa: E402  (bench/ is the script's folder)

from knownfix.core.logtemplates import TemplateMiner, compile_header_format  # noqa: E402

GENERIC_DRAIN = System("", (), 0.4, 4)


@dataclass
class Parsed:
    """What a parser said about each line: a group id and a template text."""

    groups: list[str]
    templates: list[str]
    seconds: float  # CPU seconds of the learning pass
    extra: dict[str, object] = field(default_factory=dict)


LABELS = {"corrected": "_structured_corrected.csv", "original": "_structured.csv"}


def read_system(
    root: Path, name: str, labels: str = "corrected"
) -> tuple[list[str], list[str], list[str]]:
    """The messages of a system's raw log and their true event ids and templates."""
    folder = root / name
    header = compile_header_format(SYSTEMS[name].log_format)
    with open(folder / f"{name}_2k.log", encoding="utf-8", errors="replace", newline="") as f:
        raw = [line for line in re.split(r"\r\n|\r|\n", f.read()) if line.strip()]
    contents = [header.split(line).content for line in raw]
    with open(folder / f"{name}_2k.log{LABELS[labels]}", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(contents):
        raise SystemExit(f"{name}: {len(contents)} log lines but {len(rows)} labelled rows")
    return contents, [r["EventId"] for r in rows], [r["EventTemplate"] for r in rows]


def grouping_accuracy(predicted: Sequence[str], truth: Sequence[str]) -> float:
    """Share of lines whose predicted group is exactly their true group (as a set of lines)."""
    predicted_groups: dict[str, list[int]] = defaultdict(list)
    true_sizes: dict[str, int] = defaultdict(int)
    for index, (group, event) in enumerate(zip(predicted, truth, strict=True)):
        predicted_groups[group].append(index)
        true_sizes[event] += 1
    correct = 0
    for members in predicted_groups.values():
        events = {truth[i] for i in members}
        if len(events) == 1 and true_sizes[truth[members[0]]] == len(members):
            correct += len(members)
    return correct / len(truth)


def normalize_template(template: str) -> str:
    """Whitespace collapsed, and ``<*>`` runs separated by whitespace only made one ``<*>``."""
    text = re.sub(r"\s+", " ", template.strip())
    return re.sub(r"<\*>(?:\s*<\*>)+", "<*>", text)


def parsing_accuracy(predicted: Sequence[str], truth: Sequence[str]) -> float:
    same = sum(
        normalize_template(p) == normalize_template(t)
        for p, t in zip(predicted, truth, strict=True)
    )
    return same / len(truth)


def run_knownfix(contents: Sequence[str]) -> Parsed:
    miner = TemplateMiner()
    started = time.process_time()
    online = [miner.add(content).cluster_id for content in contents]
    learned = time.process_time()
    final = [miner.match(content) for content in contents]
    done = time.process_time()
    if any(found is None for found in final):
        raise SystemExit("knownfix: a learned line matched no template")
    # An id returned online stays valid: resolving it later gives the cluster it merged into.
    resolved = [miner.cluster(cluster_id) for cluster_id in online]
    return Parsed(
        [f.cluster_id for f in final if f is not None],
        [f.template for f in final if f is not None],
        learned - started,
        {
            "online": online,
            "resolved": [c.id if c is not None else "" for c in resolved],
            "two_pass_seconds": done - started,
        },
    )


def run_drain3(contents: Sequence[str], setting: System) -> Parsed:
    from drain3 import TemplateMiner as Drain3
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.drain_sim_th = setting.similarity
    config.drain_depth = setting.depth
    config.masking_instructions = [MaskingInstruction(mask, "*") for mask in setting.masks]
    config.profiling_enabled = False
    drain = Drain3(config=config)
    started = time.process_time()
    ids = [drain.add_log_message(content)["cluster_id"] for content in contents]
    seconds = time.process_time() - started
    templates = {c.cluster_id: c.get_template() for c in drain.drain.clusters}
    return Parsed([str(i) for i in ids], [templates[i] for i in ids], seconds)


PARSERS: dict[str, Callable[[str, Sequence[str]], Parsed]] = {
    "knownfix": lambda name, contents: run_knownfix(contents),
    "drain3": lambda name, contents: run_drain3(contents, GENERIC_DRAIN),
    "drain3-tuned": lambda name, contents: run_drain3(contents, SYSTEMS[name]),
}


def evaluate(
    root: Path, name: str, repeat: int, labels: str = "corrected"
) -> dict[str, dict[str, float]]:
    contents, events, templates = read_system(root, name, labels)
    runs: dict[str, list[Parsed]] = defaultdict(list)
    for _ in range(repeat):
        for parser, run in PARSERS.items():
            # Fresh string objects each run: no parser profits from hashes cached by another.
            runs[parser].append(run(name, [c.encode().decode() for c in contents]))
    results: dict[str, dict[str, float]] = {}
    for parser, parsed_runs in runs.items():
        parsed = parsed_runs[0]
        fastest = min(max(p.seconds, 1e-9) for p in parsed_runs)
        scores = {
            "ga": grouping_accuracy(parsed.groups, events),
            "pa": parsing_accuracy(parsed.templates, templates),
            "lines_per_s": len(contents) / fastest,
            "clusters": float(len(set(parsed.groups))),
        }
        if parser == "knownfix":
            online = parsed.extra["online"]
            resolved = parsed.extra["resolved"]
            assert isinstance(online, list)
            assert isinstance(resolved, list)
            scores["ga_online"] = grouping_accuracy(online, events)
            scores["ga_online_resolved"] = grouping_accuracy(resolved, events)
            two_pass = min(float(str(p.extra["two_pass_seconds"])) for p in parsed_runs)
            scores["two_pass_lines_per_s"] = len(contents) / max(two_pass, 1e-9)
        results[parser] = scores
    results["truth"] = {"clusters": float(len(set(events))), "lines": float(len(contents))}
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets",
        default=os.environ.get("KNOWNFIX_DATASETS", str(ROOT / ".." / "shared" / "datasets")),
        help="folder holding loghub-2k/ (default: $KNOWNFIX_DATASETS or ../shared/datasets)",
    )
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    parser.add_argument(
        "--labels", choices=sorted(LABELS), default="corrected", help="which Loghub labels to score"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per parser (best counts)")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "loghub.json"))
    args = parser.parse_args(argv)
    logging.getLogger("drain3").setLevel(logging.WARNING)
    if importlib.util.find_spec("drain3") is None:
        raise SystemExit("drain3 runs beside knownfix here: pip install -e '.[bench]'")
    root = Path(args.datasets) / "loghub-2k"
    if not root.is_dir():
        raise SystemExit(f"no Loghub-2k data under {root} (see bench/README.md)")
    names = [n for n in args.systems.split(",") if n]
    unknown = sorted(set(names) - set(SYSTEMS))
    if unknown:
        raise SystemExit(f"unknown systems: {', '.join(unknown)}")
    per_system = {name: evaluate(root, name, max(args.repeat, 1), args.labels) for name in names}
    summary = summarize(per_system)
    print_table(per_system, summary)
    output = Path(args.json)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "benchmark": f"loghub-2k ({args.labels} labels)",
                "command": "python bench/loghub.py "
                + " ".join(argv if argv is not None else sys.argv[1:]),
                "environment": {
                    "python": platform.python_version(),
                    "drain3": version("drain3"),
                    "machine": platform.machine(),
                    "note": "CPU-time lines/s on a shared machine; compare within one run only",
                },
                "knownfix_config": "MinerConfig() defaults, one configuration for every system",
                "summary": summary,
                "systems": per_system,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwrote {output}")
    return 0


def summarize(per_system: dict[str, dict[str, dict[str, float]]]) -> dict[str, object]:
    def mean(parser: str, key: str) -> float:
        return sum(r[parser][key] for r in per_system.values()) / len(per_system)

    def total_speed(parser: str, key: str = "lines_per_s") -> float:
        lines = sum(r["truth"]["lines"] for r in per_system.values())
        return lines / sum(r["truth"]["lines"] / r[parser][key] for r in per_system.values())

    kf = {name: r["knownfix"]["ga"] for name, r in per_system.items()}
    return {
        "mean_ga": {p: mean(p, "ga") for p in PARSERS}
        | {
            "knownfix-online": mean("knownfix", "ga_online"),
            "knownfix-online-resolved": mean("knownfix", "ga_online_resolved"),
        },
        "mean_pa": {p: mean(p, "pa") for p in PARSERS},
        "lines_per_s": {p: total_speed(p) for p in PARSERS}
        | {"knownfix-two-pass": total_speed("knownfix", "two_pass_lines_per_s")},
        "systems_ga_at_least_drain3": sum(
            kf[n] >= r["drain3"]["ga"] for n, r in per_system.items()
        ),
        "systems_ga_at_least_drain3_tuned": sum(
            kf[n] >= r["drain3-tuned"]["ga"] for n, r in per_system.items()
        ),
        "systems": len(per_system),
    }


def print_table(
    per_system: dict[str, dict[str, dict[str, float]]], summary: dict[str, object]
) -> None:
    head = (
        f"{'system':12} {'GA kf':>6} {'online':>6} {'drain3':>6} {'tuned':>6} | "
        f"{'PA kf':>6} {'drain3':>6} {'tuned':>6} | {'kf l/s':>8} {'drain3':>8} {'tuned':>8}"
    )
    print(head)
    print("-" * len(head))
    for name, r in per_system.items():
        kf, d3, dt = r["knownfix"], r["drain3"], r["drain3-tuned"]
        print(
            f"{name:12} {kf['ga']:6.3f} {kf['ga_online']:6.3f} {d3['ga']:6.3f} {dt['ga']:6.3f} | "
            f"{kf['pa']:6.3f} {d3['pa']:6.3f} {dt['pa']:6.3f} | "
            f"{kf['lines_per_s']:8.0f} {d3['lines_per_s']:8.0f} {dt['lines_per_s']:8.0f}"
        )
    print("-" * len(head))
    ga = summary["mean_ga"]
    pa = summary["mean_pa"]
    speed = summary["lines_per_s"]
    assert isinstance(ga, dict)
    assert isinstance(pa, dict)
    assert isinstance(speed, dict)
    print(
        f"{'mean':12} {ga['knownfix']:6.3f} {ga['knownfix-online']:6.3f} {ga['drain3']:6.3f} "
        f"{ga['drain3-tuned']:6.3f} | {pa['knownfix']:6.3f} {pa['drain3']:6.3f} "
        f"{pa['drain3-tuned']:6.3f} | {speed['knownfix']:8.0f} {speed['drain3']:8.0f} "
        f"{speed['drain3-tuned']:8.0f}"
    )
    print(
        f"\nknownfix GA >= drain3 on {summary['systems_ga_at_least_drain3']}/{summary['systems']} "
        f"systems, >= drain3-tuned on {summary['systems_ga_at_least_drain3_tuned']}; "
        f"knownfix two-pass (learn + match) {speed['knownfix-two-pass']:.0f} lines/s; "
        f"online ids resolved after the last line: mean GA {ga['knownfix-online-resolved']:.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
