"""The files an import reads: Markdown found under the paths given, their doc keys (see
:mod:`knownfix.services.knowledge`), pipes spooled to a file, and documents whose files are gone.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from knownfix.errors import Conflict, InputError
from knownfix.storage.repository import Store
from knownfix.textio import open_binary, printable_path

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")  # MDX: Markdown with JSX, stripped on read


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Markdown file to read: where it is, how to show it, and its doc key."""

    path: Path
    display: str
    doc_key: str
    size: int
    explicit: bool  # named on the command line (not found by walking a folder)


def find_markdown(paths: Sequence[str | os.PathLike[str]]) -> list[SourceFile]:
    """The Markdown files named by ``paths`` (folders walked, hidden ones skipped), in order."""
    if not paths:
        raise InputError("no path given")
    found: dict[Path, SourceFile] = {}
    for given in paths:
        root = Path(given)
        if root.is_dir():
            walked = [_source(p, root, explicit=False) for p in _walk(root)]
            if not walked:
                raise InputError(
                    f"{given}: no Markdown files (*.md, *.markdown, *.mdx) in this folder"
                )
        elif root.exists():
            walked = [_source(root, None, explicit=True)]
        else:
            raise InputError(f"{given}: no such file or folder")
        for source in walked:
            found.setdefault(source.path.resolve(), source)
    sources = list(found.values())
    _check_unique_keys(sources)
    return sources


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(MARKDOWN_SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name


def _source(path: Path, root: Path | None, *, explicit: bool) -> SourceFile:
    if root is None:
        key = path.stem
    else:
        relative = path.relative_to(root)
        key = relative.with_suffix("").as_posix()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    # A name that is not UTF-8 is stored and shown with its odd bytes as \xNN.
    return SourceFile(path=path, display=printable_path(str(path)), doc_key=printable_path(key),
                      size=size, explicit=explicit)


def _check_unique_keys(sources: list[SourceFile]) -> None:
    owners: dict[str, SourceFile] = {}
    for source in sources:
        other = owners.setdefault(source.doc_key, source)
        if other is not source:
            raise Conflict(
                f"{other.display} and {source.display} would both be imported as "
                f"{source.doc_key!r}; import the folder that holds them instead"
            )


NOT_REGULAR = "not a regular file (a pipe, socket or device): skipped"


def spooled(source: SourceFile, target: Path) -> SourceFile:
    """``source`` read once into ``target`` (a pipe or device given on the command line)."""
    stream = open_binary(source.path, source.display)
    try:
        with stream, target.open("wb") as copy:
            shutil.copyfileobj(stream, copy, 1 << 20)
    except OSError as error:
        raise InputError(f"{source.display}: cannot read: {error.strerror or error}") from None
    return replace(source, path=target, size=target.stat().st_size)


def removed_doc_keys(
    store: Store, paths: Sequence[str | os.PathLike[str]], sources: Sequence[SourceFile]
) -> list[str]:
    """Doc keys whose files lay inside a folder being imported and are gone from it.

    Their issues are retired like the issues a doc dropped. A doc counts as deleted only when
    none of the files its issues name still exists, so nothing is retired on a mere guess.
    """
    folders = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    if not folders:
        return []
    found = {source.doc_key for source in sources}
    removed: list[str] = []
    for doc_key, files in sorted(store.doc_sources().items()):
        if doc_key in found or not files:
            continue
        resolved = [Path(f).resolve() for f in files]
        inside = all(any(f.is_relative_to(folder) for folder in folders) for f in resolved)
        if inside and not any(f.exists() for f in resolved):
            removed.append(doc_key)
    return removed
