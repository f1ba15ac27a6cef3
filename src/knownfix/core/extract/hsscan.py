"""The candidate-line scan on Hyperscan, where it is installed.

Hyperscan matches all scan terms at once with SIMD and calls back once per match; the RE2
pattern (``rules.SCAN``) has to be restarted after every hit from Python, and on CI logs, where
one line in twenty holds a failure word, those restarts cost more than the scanning itself. On
the LogChunks corpus extraction as a whole is about 15% faster on Hyperscan.

Both engines give the same lines: the terms never match across a line end, so the line that
holds a match's last byte (what Hyperscan reports) is the line that holds its first byte (what
RE2 reports). ``tests/test_extract_scan_engines.py`` checks it.

Compiling the database takes about 0.2 s, more than scanning a typical log, so the compiled
database is kept on disk (``$KNOWNFIX_CACHE_DIR``, else ``$XDG_CACHE_HOME/knownfix``, else
``~/.cache/knownfix``), keyed by the terms and the Hyperscan version. A cache that cannot be
read or written only costs the compile; a database compiled for another processor is refused by
Hyperscan on load and compiled again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_hs: Any
try:  # a dependency only where wheels exist: x86-64 Linux, macOS and Windows
    _hs = importlib.import_module("hyperscan")
except ImportError:  # pragma: no cover - exercised where hyperscan is missing
    _hs = None

DISABLE_VARIABLE = "KNOWNFIX_SCAN_ENGINE"
"""Set to ``re2`` to scan with RE2 even where Hyperscan is installed."""
ENGINES = ("auto", "hyperscan", "re2")


def engine_choice(value: str | None = None) -> str:
    """The scan engine asked for (``$KNOWNFIX_SCAN_ENGINE`` by default): auto, hyperscan or
    re2. ValueError for anything else, or for hyperscan where it is not installed."""
    raw = os.environ.get(DISABLE_VARIABLE, "") if value is None else value
    choice = raw.strip().lower() or "auto"
    if choice not in ENGINES:
        raise ValueError(
            f"{DISABLE_VARIABLE}={raw!r} is not a scan engine (use {', '.join(ENGINES)})"
        )
    if choice == "hyperscan" and _hs is None:
        raise ValueError(f"{DISABLE_VARIABLE}=hyperscan, but hyperscan is not installed here")
    return choice


def available() -> bool:
    """True when Hyperscan is importable and not switched off."""
    return _hs is not None and engine_choice() != "re2"


def _collect(_id: int, _start: int, end: int, _flags: int, ends: list[int]) -> None:
    ends.append(end)


class HyperscanLines:
    """Finds the lines of a block that hold a match of any term (case-insensitive)."""

    def __init__(self, database: Any) -> None:
        self._database = database
        self._local = threading.local()  # scratch space may not be shared between threads

    def __call__(self, block: bytes) -> list[tuple[int, int]]:
        """(start, end) offsets of each line with a hit; ``end`` is its ``\\n`` (or the end)."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _hs.Scratch(self._database)
        ends: list[int] = []
        self._database.scan(block, match_event_handler=_collect, context=ends, scratch=scratch)
        if not ends:
            return []
        ends.sort()  # reported by end offset already, nearly always: sorting that is cheap
        found: list[tuple[int, int]] = []
        find, rfind, size = block.find, block.rfind, len(block)
        last = -1
        for end in ends:
            if end <= last:
                continue  # another match in a line already found
            start = rfind(b"\n", 0, end - 1) + 1
            last = find(b"\n", end - 1)
            if last < 0:
                last = size
            found.append((start, last))
        return found


_LITERAL = re.compile(r"[\w :!,'\"`=/@#%&<>~;-]+")
"""A piece of a term with no regex syntax in it."""


def fewest_terms(terms: Sequence[str]) -> list[str]:
    """Terms that hit the same lines as ``terms`` (all case-insensitive) with fewer matches.

    Hyperscan calls back once per match of every term, so overlapping terms cost calls for
    nothing: "error", "Error" and "error " all hit at each "error". Terms that are plain words
    (or alternations of them) are split into their words, and a word that contains another
    word is dropped: the line it hits, the shorter word hits too. Terms with regex syntax are
    kept as they are.
    """
    patterns: list[str] = []
    words: set[str] = set()
    for term in terms:
        pieces = term.split("|")
        if all(_LITERAL.fullmatch(piece) for piece in pieces):
            words.update(piece.lower() for piece in pieces)
        else:
            patterns.append(term)
    kept = sorted(w for w in words if not any(o != w and o in w for o in words))
    return patterns + kept


def compile_terms(terms: Sequence[str], cache_dir: Path | None = None) -> HyperscanLines | None:
    """A scanner for ``terms`` (see :func:`fewest_terms`), loaded from the cache or compiled;
    None without Hyperscan."""
    if _hs is None:
        return None
    terms = fewest_terms(terms)
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    flags = _hs.HS_FLAG_CASELESS | _hs.HS_FLAG_MULTILINE
    path = folder / f"scan-{_key(terms, flags)}.hsdb"
    database = _load(path)
    if database is None:
        database = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        expressions = [term.encode() for term in terms]
        database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[flags] * len(expressions),
        )
        _store(path, _hs.dumpb(database))
    return HyperscanLines(database)


def default_cache_dir() -> Path:
    """``$KNOWNFIX_CACHE_DIR``, else ``$XDG_CACHE_HOME/knownfix``, else ``~/.cache/knownfix``
    (the temporary folder where there is no home)."""
    explicit = os.environ.get("KNOWNFIX_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            base = tempfile.gettempdir()
    return Path(base) / "knownfix"


def _key(terms: Sequence[str], flags: int) -> str:
    """Names what the database was compiled from: another term, flag or version, another file."""
    digest = hashlib.sha256("\n".join(terms).encode())
    digest.update(f"{flags} {getattr(_hs, '__version__', '')}".encode())
    return digest.hexdigest()[:20]


def _load(path: Path) -> Any:
    try:
        return _hs.loadb(path.read_bytes(), mode=_hs.HS_MODE_BLOCK)
    except (OSError, _hs.HyperscanError):
        return None  # not cached yet, unreadable, or compiled for another processor


def _store(path: Path, data: bytes) -> None:
    """Write atomically (a temporary file renamed), so a concurrent reader never sees half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return  # a read-only home: compile again next time
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
