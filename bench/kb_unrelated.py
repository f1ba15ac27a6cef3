"""Scale invariance probe: the seed-doc matching bench with issues that share no word with it.

``kb_quality.py`` mixes in 100,000 generated issues that share the seed and real documents'
vocabulary (`revision`, `migration`, `host`), so an answer that changes there may change because
those words really are common in that knowledge base. This probe adds issues that share *no*
term with any log or issue of the bench (nonsense words, documents of 40 issues, under the
size at which ``statistics`` counts a document as smaller): whatever moves here moves only
because the knowledge base is larger, and nothing about the failures changed.

Two shapes of unrelated issue:

* ``short``: five-word title, eight-word symptom, ten-word cause and fix (about the generated
  issues' lengths);
* ``twins``: each seed issue again, every word of every field replaced by a nonsense word, so
  the fields' average lengths stay about the same and only the number of issues grows.

    KNOWNFIX_DATASETS=/work/shared/datasets .venv/bin/python bench/kb_unrelated.py --sizes 200,2000
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import matching  # noqa: E402

from knownfix.core.match import MatchIndex  # noqa: E402
from knownfix.core.records import KnownIssue, SourceRef  # noqa: E402

PER_DOCUMENT = 40
_WORD = re.compile(r"[A-Za-z0-9_]+")


def nonsense(rng: random.Random) -> str:
    """A word no log or issue uses (``zq`` and six consonants)."""
    return "zq" + "".join(rng.choice("bcdfghjklmnpvwx") for _ in range(6))


def short_issue(rng: random.Random, i: int) -> KnownIssue:
    def words(n: int) -> str:
        return " ".join(nonsense(rng) for _ in range(n))

    return KnownIssue(id=f"U{i}", title=words(5), symptoms=[words(8)], root_cause=words(10),
                      resolution=words(10),
                      source=SourceRef(path=f"unrelated-{i // PER_DOCUMENT}.md", line=i))


def twin_issue(rng: random.Random, i: int, like: KnownIssue) -> KnownIssue:
    def same_shape(value: Any) -> Any:
        if isinstance(value, str):
            return _WORD.sub(lambda _: nonsense(rng), value)
        if isinstance(value, list):
            return [same_shape(v) for v in value]
        if isinstance(value, dict):
            return {k: same_shape(v) for k, v in value.items()}
        return value

    fields = {k: v for k, v in like.to_dict().items()
              if k not in ("id", "source", "updated_at", "retired")}
    twin = KnownIssue.from_dict({**same_shape(fields), "id": f"U{i}"})
    return replace(twin, source=SourceRef(path=f"unrelated-{i // PER_DOCUMENT}.md", line=i))


def unrelated(count: int, shape: str, like: Sequence[KnownIssue],
              seed: int = 7) -> list[KnownIssue]:
    rng = random.Random(seed)
    if shape == "twins":
        return [twin_issue(rng, i, like[i % len(like)]) for i in range(count)]
    return [short_issue(rng, i) for i in range(count)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000", help="issues added, comma-separated")
    parser.add_argument("--shapes", default="short,twins")
    args = parser.parse_args(argv)
    issues = matching.load_issues(argparse.Namespace(kb=None, docs=str(matching.default_docs())))
    cases = matching.load_cases(issues, matching.DATA / "seedlogs", matching.DATA / "logs")

    def answers(index: MatchIndex) -> dict[str, tuple[str | None, str | None, bool]]:
        ask = matching.with_index(index)
        return {c.name: (c.expected, (a := ask(c.text)).top, a.known) for c in cases}

    alone = answers(MatchIndex.build(issues))
    print("| unrelated issues | shape | top-1 | known precision | known recall | false known "
          "| answers changed | changed logs |")
    print("|---|---|---|---|---|---|---|---|")
    runs = [(0, "-")] + [(int(n), s) for s in args.shapes.split(",")
                         for n in args.sizes.split(",")]
    for count, shape in runs:
        rows = alone if count == 0 else answers(
            MatchIndex.build(issues + unrelated(count, shape, issues)))
        pos = [r for r in rows.values() if r[0]]
        known = [r for r in rows.values() if r[2]]
        changed = sorted(n for n in rows if rows[n] != alone[n])
        print(f"| {count:,} | {shape} | {sum(r[1] == r[0] for r in pos) / len(pos):.3f} "
              f"| {sum(r[1] == r[0] for r in known) / max(1, len(known)):.3f} "
              f"| {sum(r[1] == r[0] and r[2] for r in pos) / len(pos):.3f} "
              f"| {sum(1 for r in rows.values() if not r[0] and r[2])} | {len(changed)} "
              f"| {', '.join(n.removesuffix('.log') for n in changed)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
