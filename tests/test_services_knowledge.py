"""Knowledge services on real files: import, re-import, retire, conflicts, export, new, lint."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from knownfix.errors import Conflict, InputError
from knownfix.services import import_digests, import_workers, knowledge
from knownfix.storage.repository import ImportStats, Store, open_store

DOCS = Path(__file__).parent / "data" / "knowledge" / "docs"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'kb.db'}") as opened:
        yield opened


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of the fixture docs, free to edit."""
    return Path(shutil.copytree(DOCS, tmp_path / "docs"))


def comparable(store: Store) -> list[dict[str, object]]:
    """Known issues without the fields that say where and when they were read."""
    drop = {"source", "updated_at", "retired"}
    return [
        {k: v for k, v in issue.to_dict().items() if k not in drop}
        for issue in store.list_known_issues()
    ]


def test_folders_are_walked_with_stable_doc_keys(docs: Path) -> None:
    (docs / ".hidden").mkdir()
    (docs / ".hidden" / "secret.md").write_text("# no\n")
    (docs / "notes.txt").write_text("not markdown\n")
    sources = knowledge.find_markdown([docs])
    assert [s.doc_key for s in sources] == [
        "incident-log",
        "status-report",
        "platform/engineering-issues",
    ]
    single = knowledge.find_markdown([docs / "platform" / "engineering-issues.md"])
    assert [s.doc_key for s in single] == ["engineering-issues"]


def test_the_same_file_twice_is_read_once(docs: Path) -> None:
    sources = knowledge.find_markdown([docs, docs / "incident-log.md"])
    assert len(sources) == 3


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", "no such file or folder"),
        (lambda root: (root / "empty").mkdir() or root / "empty", "no Markdown files"),
    ],
)
def test_bad_paths_are_input_errors(tmp_path: Path, make: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        knowledge.find_markdown([make(tmp_path)])  # type: ignore[operator]


def test_two_files_with_one_doc_key_are_a_conflict(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "runbook.md").write_text("# Runbook\n")
    with pytest.raises(Conflict, match="'runbook'"):
        knowledge.find_markdown([tmp_path / "a" / "runbook.md", tmp_path / "b" / "runbook.md"])


def test_import_reports_shapes_counts_and_skips(store: Store, docs: Path) -> None:
    report = knowledge.import_paths(store, [docs])
    assert len(report.files) == 3
    assert all(f.issues >= 1 for f in report.files), report.to_dict()
    assert report.stats.created == sum(f.issues for f in report.files)
    assert report.stats.skipped == len(report.skipped)
    for skipped in report.skipped:
        assert skipped.path.startswith(str(docs))
        assert skipped.line >= 0
        assert skipped.reason
    data = report.to_dict()
    assert set(data) == {"files", "removed", "stats"}
    assert set(data["files"][0]) == {"path", "doc_key", "shape", "issues", "skipped"}


def test_reimport_is_idempotent(store: Store, docs: Path) -> None:
    first = knowledge.import_paths(store, [docs])
    before = comparable(store)
    again = knowledge.import_paths(store, [docs])
    assert again.stats == ImportStats(
        unchanged=first.stats.created, skipped=first.stats.skipped
    )
    assert comparable(store) == before


def test_an_unchanged_document_is_not_parsed_again(
    store: Store, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = knowledge.import_paths(store, [docs])
    read: list[str] = []
    real = knowledge.parse_markdown

    def counting(lines, path, **kwargs):  # type: ignore[no-untyped-def]
        read.append(path)
        return real(lines, path, **kwargs)

    monkeypatch.setattr(knowledge, "parse_markdown", counting)
    again = knowledge.import_paths(store, [docs])
    assert read == []
    # The same report as parsing gives: shapes, counts and every skipped section.
    assert again.to_dict()["files"] == first.to_dict()["files"]
    assert again.stats.unchanged == first.stats.created
    doc = docs / "platform" / "engineering-issues.md"
    doc.write_text(doc.read_text() + "\n")
    knowledge.import_paths(store, [docs])
    assert [Path(p).name for p in read] == ["engineering-issues.md"]
    # Another importer (an upgrade of knownfix) parses everything again.
    monkeypatch.setattr(import_digests, "importer_digest", lambda: "another-importer")
    read.clear()
    knowledge.import_paths(store, [docs])
    assert len(read) == len(first.files)


def test_parsing_in_worker_processes_imports_the_same(
    tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 0)  # the fixture docs are small
    results = []
    for workers in (1, 2):
        with open_store(f"sqlite:///{tmp_path / f'kb{workers}.db'}") as store:
            report = knowledge.import_paths(store, [docs], workers=workers)
            prepared = store.get_prepared_issues([i.id for i in store.list_known_issues()])
            results.append((report.to_dict(), comparable(store),
                            store.match_index().to_bytes(),
                            sorted((s.issue.id, s.terms, s.prepared) for s in prepared)))
    assert results[0] == results[1]
    assert all(prepared is not None for _, _, prepared in results[1][3])  # read, not rebuilt


def test_a_deleted_then_restored_document_is_parsed_again(store: Store, docs: Path) -> None:
    knowledge.import_paths(store, [docs])
    doc = docs / "status-report.md"
    text = doc.read_text()
    doc.unlink()
    assert knowledge.import_paths(store, [docs]).stats.retired == 2
    doc.write_text(text)
    back = knowledge.import_paths(store, [docs]).stats
    assert (back.updated, back.created) == (2, 0)  # the retired issues came back


def test_removed_section_is_retired_and_returns(store: Store, docs: Path) -> None:
    knowledge.import_paths(store, [docs])
    doc = docs / "platform" / "engineering-issues.md"
    original = doc.read_text()
    head, _, _second = original.partition("## 2. Worker Event Loop Closed")
    doc.write_text(head)
    count = len(store.list_known_issues())
    stats = knowledge.import_paths(store, [docs]).stats
    assert stats.retired == 1
    assert len(store.list_known_issues()) == count - 1
    doc.write_text(original)
    back = knowledge.import_paths(store, [docs]).stats
    assert (back.updated, back.retired, back.created) == (1, 0, 0)
    assert len(store.list_known_issues()) == count


def test_deleted_doc_is_retired_on_folder_reimport(
    store: Store, docs: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(DOCS.parent / "canonical" / "KF-0100.md", other)
    knowledge.import_paths(store, [docs, other])
    (docs / "status-report.md").unlink()
    report = knowledge.import_paths(store, [docs])
    assert report.removed == ["status-report"]
    assert report.stats.retired == 2
    active = {i.id for i in store.list_known_issues()}
    assert not active & {"CRIT-101", "MED-102"}
    assert "KF-0100" in active  # another folder's doc is not touched
    assert knowledge.import_paths(store, [docs]).removed == []


def test_conflicting_ids_leave_the_store_untouched(store: Store, docs: Path) -> None:
    knowledge.import_paths(store, [docs])
    before = comparable(store)
    twin = docs.parent / "twin.md"
    shutil.copy(docs / "status-report.md", twin)  # same explicit ids, another doc
    with pytest.raises(Conflict, match=r"CRIT-101.*twin\.md:\d+.*status-report\.md:\d+"):
        knowledge.import_paths(store, [twin])
    assert comparable(store) == before
    assert len(store.import_runs()) == 1


def test_ids_stay_stable_when_the_folder_moves(tmp_path: Path, docs: Path) -> None:
    moved = Path(shutil.copytree(docs, tmp_path / "elsewhere" / "kb"))
    with open_store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        knowledge.import_paths(one, [docs])
        ids_one = [i.id for i in one.list_known_issues()]
    with open_store(f"sqlite:///{tmp_path / 'two.db'}") as two:
        knowledge.import_paths(two, [moved])
        ids_two = [i.id for i in two.list_known_issues()]
    assert ids_one == ids_two


def test_binary_file_in_a_folder_is_skipped_and_its_issues_kept(
    store: Store, docs: Path
) -> None:
    knowledge.import_paths(store, [docs])
    count = len(store.list_known_issues())
    (docs / "status-report.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    report = knowledge.import_paths(store, [docs])
    (bad,) = [f for f in report.files if f.shape == "unreadable"]
    assert bad.skipped[0].reason == "binary file, not text"
    assert report.stats.retired == 0
    assert len(store.list_known_issues()) == count


def test_binary_file_given_by_name_is_an_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match=r"image\.md: binary file, not text"):
        knowledge.import_paths(store, [path])


def test_non_utf8_bytes_are_read_as_cp1252(store: Store, tmp_path: Path) -> None:
    text = (DOCS / "incident-log.md").read_text().replace("Wheel Cache", "Caf\u00e9 Cache")
    path = tmp_path / "latin.md"
    path.write_bytes(text.encode("cp1252"))
    knowledge.import_paths(store, [path])
    assert any("Caf\u00e9 Cache" in i.title for i in store.list_known_issues())


def test_empty_file_imports_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    report = knowledge.import_paths(store, [path])
    assert report.stats.created == 0
    assert report.files[0].issues == 0


def test_progress_reports_bytes_up_to_the_total(store: Store, docs: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    knowledge.import_paths(store, [docs], progress=lambda *args: calls.append(args))
    total = sum(p.stat().st_size for p in docs.rglob("*.md"))
    assert calls[-1][:2] == (total, total)
    done = [c[0] for c in calls]
    assert done == sorted(done)


def test_export_then_import_gives_equal_records(store: Store, docs: Path, tmp_path: Path) -> None:
    knowledge.import_paths(store, [docs])
    written = knowledge.export_issues(store, tmp_path / "export")
    assert len(written) == len(store.list_known_issues())
    assert len({p.name for p in written}) == len(written)
    with open_store(f"sqlite:///{tmp_path / 'again.db'}") as again:
        knowledge.import_paths(again, [tmp_path / "export"])
        assert comparable(again) == comparable(store)


def test_export_into_a_file_is_an_error(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        knowledge.export_issues(store, target)


def test_new_doc_scaffolds_and_never_overwrites(store: Store, tmp_path: Path) -> None:
    path = knowledge.new_doc("Queue consumer stuck", tmp_path / "kb", issue_id="KF-0042")
    assert path.parent == tmp_path / "kb"
    assert "Queue consumer stuck" in path.read_text()
    with pytest.raises(Conflict, match="already exists"):
        knowledge.new_doc("Queue consumer stuck", tmp_path / "kb", issue_id="KF-0042")
    knowledge.import_paths(store, [path])
    assert store.get_known_issue("KF-0042").title == "Queue consumer stuck"


def test_new_doc_needs_a_title(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="title"):
        knowledge.new_doc("   ", tmp_path)


def test_lint_reports_problems_with_places(tmp_path: Path) -> None:
    (tmp_path / "binary.md").write_bytes(b"\x00\x00")
    problems = knowledge.lint_paths([tmp_path])
    assert [(p.path, p.line, p.severity) for p in problems] == [
        (str(tmp_path / "binary.md"), 1, "error")
    ]
    assert "binary" in problems[0].message


def test_search_finds_the_migration_issue_first(store: Store, docs: Path) -> None:
    knowledge.import_paths(store, [docs])
    hits = knowledge.search(store, "Can't locate revision", limit=5)
    assert hits[0].title == "Migration Head Points at a Missing Revision"


MEMORY_PROBE = r"""
import json, sys, tracemalloc
from pathlib import Path
from knownfix.services.knowledge import import_paths
from knownfix.storage.repository import open_store

root, files, sections = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
SECTION = '''## {n}. Generated failure {f}-{n} (May 2025)

- **Symptom:** `job-{f}-{n}` failed with `ConnectionResetError: [Errno 104] peer {n}` after {n} s.
- **Root Cause:** Generated root cause number {n} of file {f}, long enough to look like prose
  that a person wrote while debugging the failure late at night, with a path /srv/app/{n}.py.
- **Resolution:**
  1. Restart the worker {n}.
  2. Raise the timeout of queue {f} to {n} seconds.
- **Verification:** `pytest tests/test_{n}.py -q` passes.

'''
docs = root / "docs"
docs.mkdir()
for f in range(files):
    with (docs / f"log-{f:04d}.md").open("w") as out:
        out.write("# Incident log\n\n")
        for n in range(1, sections + 1):
            out.write(SECTION.format(f=f, n=n))
size = sum(p.stat().st_size for p in docs.iterdir())
tracemalloc.start()
with open_store(f"sqlite:///{root / 'kb.db'}") as store:
    report = import_paths(store, [docs])
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
with open_store(f"sqlite:///{root / 'kb.db'}") as store:
    index = len(store.match_index().to_bytes())
print(json.dumps({"bytes": size, "peak": peak, "created": report.stats.created,
                  "index": index}))
"""


def _import_peak(root: Path, files: int, sections: int) -> dict[str, int]:
    import json
    import subprocess
    import sys

    root.mkdir()
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(root), str(files), str(sections)],
        capture_output=True, text=True, check=True,
    ).stdout
    return dict(json.loads(out))


@pytest.mark.slow
def test_import_memory_is_bounded_by_the_largest_file(tmp_path: Path) -> None:
    """Four times the input must not take four times the memory (Python heap, tracemalloc).

    The test imports ~0.5 MB and ~2 MB of generated docs (files of ~100 KB) to stay fast. The
    same probe with 500 files (48.5 MB, 100,000 issues) peaked at 27.6 MB of Python heap and
    141 MB RSS: about 250 bytes per issue of bookkeeping, none of the text held (before the
    match index was compiled at import; bench/kb_scale.py measures import with it).
    """
    small = _import_peak(tmp_path / "small", files=5, sections=200)
    large = _import_peak(tmp_path / "large", files=20, sections=200)
    assert large["created"] == 4 * small["created"] == 20 * 200
    assert large["bytes"] > 3.9 * small["bytes"]
    # What grows with the input is the run's id table (about 200 bytes per issue) and the
    # compiled match index, built from the stored terms in arrays a few times its stored size.
    assert 3 * small["index"] < large["index"] < 5 * small["index"]
    allowance = 300 * (large["created"] - small["created"])
    allowance += 6 * (large["index"] - small["index"])
    assert large["peak"] < 1.3 * small["peak"] + allowance, (small, large)


def test_mdx_pages_in_a_folder_are_found(tmp_path: Path) -> None:
    (tmp_path / "guide.mdx").write_text("import X from 'y';\n\n## Build fails\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not Markdown\n", encoding="utf-8")
    assert [s.doc_key for s in knowledge.find_markdown([tmp_path])] == ["guide"]
