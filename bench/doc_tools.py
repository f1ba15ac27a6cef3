"""Which tool each development document of ``bench/real_docs`` learns (``core/match/context``).

Imports the corpus once and reads the compiled index's context terms: per development part,
how many documents (that gave at least one issue) learn any tool, how many learn a word of
their project's name (``manifest.json``: its project or its repository's name, ``kind``,
``cockroach``; a folder's program mark ``$kind`` counts), and how many as a word a log's text
can say (not only as the program a log runs). The corpus keeps each document in a folder
named after its project, so a name learned from the path is right by construction here. With
``--docs`` one line per document.
Held-out and fresh documents are never listed.

    KNOWNFIX_DATASETS=/path/to/datasets .venv/bin/python bench/doc_tools.py [--docs]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from real_docs import import_corpus  # noqa: E402
from real_docs_score import CORPUS  # noqa: E402

from knownfix.core.match.phrases import document_of  # noqa: E402
from knownfix.core.match.tokens import tokenize  # noqa: E402
from knownfix.storage.repository import open_store  # noqa: E402

PROGRAM_MARK = "$"


def name_words(*names: str) -> set[str]:
    """The words of a project's names (``cockroachdb/cockroach`` → cockroach)."""
    words: set[str] = set()
    for name in names:
        name = name.rsplit("/", 1)[-1].lower()
        words |= {*tokenize(name), *tokenize(name.replace("-", " ")), PROGRAM_MARK + name}
    return words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", action="store_true", help="one line per document")
    args = parser.parse_args()
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    dev = {entry["file"].removeprefix("docs/"): entry for entry in manifest["docs"]
           if entry["half"].startswith("dev")}
    store = open_store("sqlite://")
    import_corpus(store, (CORPUS / "docs").resolve())
    context = store.match_index().context
    keys = {document_of(issue) for issue in store.list_known_issues()}
    totals: Counter[tuple[str, str]] = Counter()
    lines = []
    for key in sorted(keys):
        rel = next((d for d in dev if key.endswith("/" + d)), None)
        if rel is None:
            continue
        entry = dev[rel]
        learned = context.terms.get(key, {})
        words = name_words(entry["project"], entry["repository"])
        right = bool(set(learned) & words)
        text = any(not t.startswith(PROGRAM_MARK) for t in set(learned) & words)
        part = entry["half"]
        totals[part, "docs"] += 1
        totals[part, "tool"] += bool(learned)
        totals[part, "right"] += right
        totals[part, "text"] += text
        top = sorted(learned.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        lines.append(f"{'R' if right else '-' if learned else ' '} {rel:58} "
                     + " ".join(f"{t}:{w:.2f}" for t, w in top))
    parts = sorted({part for part, _ in totals}, key=lambda p: (len(p), p))
    print("| part | documents | learn a tool | learn their project's name | as a word |")
    print("|---|---|---|---|---|")
    for part in [*parts, "all"]:
        pick = parts if part == "all" else [part]
        docs, tool, right, text = (sum(totals[p, k] for p in pick)
                                   for k in ("docs", "tool", "right", "text"))
        print(f"| {part} | {docs} | {tool} | {right} | {text} |")
    if args.docs:
        print()
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
