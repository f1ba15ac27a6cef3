"""Draw the development / held-out split of the category benchmark, by repository.

Every log of one repository lands in the same half, so nothing learnt from a repository's
messages can leak into the half that judges it. Within each ecosystem the repositories are
shuffled with a fixed seed and dealt alternately, the first card going to the half that has
fewer repositories so far: both halves see every ecosystem that has two repositories or more.

The split was drawn once, before anyone tuned on the labels, and is recorded in
``repos.tsv`` (and copied into ``labels.tsv``). Repositories added later (new sources) are
dealt by the same procedure among themselves, with their own seed, and appended; a repository
already in the table keeps its half. Run it to check the table, or with ``--write`` after
appending new repositories with an empty ``half``:

    .venv/bin/python bench/categories/split.py [--write]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOS = HERE / "repos.tsv"
FIELDS = ("source", "repo", "ecosystem", "half", "seed")
HALVES = ("dev", "held")


def read_repos(path: Path = REPOS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def deal(rows: list[dict[str, str]], seed: int) -> dict[str, str]:
    """Half per repository: stratified by ecosystem, seeded shuffle, dealt alternately."""
    rng = random.Random(seed)
    by_ecosystem: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_ecosystem[row["ecosystem"]].append(row["repo"])
    count = dict.fromkeys(HALVES, 0)
    halves: dict[str, str] = {}
    for ecosystem in sorted(by_ecosystem):
        repos = sorted(by_ecosystem[ecosystem])
        rng.shuffle(repos)
        first = min(HALVES, key=lambda h: (count[h], rng.random()))
        order = [first, HALVES[1 - HALVES.index(first)]]
        for n, repo in enumerate(repos):
            halves[repo] = order[n % 2]
            count[order[n % 2]] += 1
    return halves


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="deal the repositories whose half is empty and rewrite repos.tsv")
    args = parser.parse_args()
    rows = read_repos()
    problems = 0
    for seed in sorted({int(r["seed"]) for r in rows if r["seed"]}):
        batch = [r for r in rows if r["seed"] == str(seed)]
        dealt = deal(batch, seed)
        for row in batch:
            if not row["half"]:
                row["half"] = dealt[row["repo"]]
            elif row["half"] != dealt[row["repo"]]:
                problems += 1
                print(f"{row['repo']}: recorded {row['half']}, "
                      f"seed {seed} deals {dealt[row['repo']]}")
    if args.write:
        with REPOS.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, FIELDS, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    for half in HALVES:
        ecosystems = sorted({r["ecosystem"] for r in rows if r["half"] == half})
        print(f"{half}: {sum(r['half'] == half for r in rows)} repositories, "
              f"{len(ecosystems)} ecosystems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
