"""Which checks file applies, reading it, and the playbooks written in known issues' documents.

Which file, first found wins: ``--config FILE``, ``settings.checks_path``
(``KNOWNFIX_CHECKS_PATH``), ``knownfix-checks.yaml`` in the working folder or the nearest
folder above it up to the project directory. Paths inside the
file (reports, schemas, manifests, working folders) are relative to the file's folder.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from knownfix.core.healing.config import DEFAULT_CHECKS_FILE, ChecksConfig, Playbook
from knownfix.core.healing.docblocks import playbook_blocks
from knownfix.core.healing.schema import load_checks, load_doc_playbook
from knownfix.core.healing.yamlnodes import MAX_CONFIG_CHARS
from knownfix.core.records import KnownIssue
from knownfix.errors import ConfigError
from knownfix.settings import Settings

if TYPE_CHECKING:
    from knownfix.storage.repository import Store

log = logging.getLogger(__name__)
MAX_DOC_BYTES = 16 * 1024 * 1024


def find_checks_file(settings: Settings, explicit: Path | None = None) -> Path:
    """The checks file that applies; ConfigError saying where it was looked for if none."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such checks file")
        return explicit
    if settings.checks_path is not None:
        if not settings.checks_path.is_file():
            raise ConfigError(f"checks file {settings.checks_path} (KNOWNFIX_CHECKS_PATH) "
                              "does not exist")
        return settings.checks_path
    candidate = _nearest(Path.cwd(), settings.project_dir)
    if candidate is None:
        raise ConfigError(f"no checks file: create {DEFAULT_CHECKS_FILE} in "
                          f"{settings.project_dir} or pass --config FILE (see docs/healing.md)")
    return candidate


def _nearest(start: Path, project_dir: Path) -> Path | None:
    """``knownfix-checks.yaml`` in ``start`` or the nearest folder above it, up to the project
    directory (a sub-project keeps its own checks file in a shared store)."""
    start, top = start.resolve(), project_dir.resolve()
    folders = [start, *start.parents] if start.is_relative_to(top) else []
    for folder in folders:
        if (folder / DEFAULT_CHECKS_FILE).is_file():
            return folder / DEFAULT_CHECKS_FILE
        if folder == top:
            break
    candidate = top / DEFAULT_CHECKS_FILE
    return candidate if candidate.is_file() else None


def optional_checks_file(settings: Settings) -> Path | None:
    """The checks file if there is one (reports and the service work without)."""
    try:
        return find_checks_file(settings)
    except ConfigError:
        return None


def read_checks_file(path: Path) -> ChecksConfig:
    """Load and validate a checks file; errors name ``path:line``. Re-read only when changed."""
    try:
        stat = path.stat()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_cached(path: Path, _mtime_ns: int, _size: int) -> ChecksConfig:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_CHARS * 4 + 1)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start})") from None
    return load_checks(text, origin=str(path))


def base_dir(config: ChecksConfig) -> Path:
    """The folder that relative paths in a checks file start from."""
    return Path(config.path).resolve().parent


def doc_playbooks(
    store: Store, settings: Settings, config: ChecksConfig, issue: KnownIssue
) -> list[Playbook]:
    """The ``playbook`` blocks in ``issue``'s document that belong to it (none when the
    document is gone or holds none). A block that does not read is a ConfigError naming it."""
    if issue.source is None:
        return []
    document = _locate(Path(issue.source.path), settings)
    if document is None:
        log.info("%s: document %s not found; its playbook blocks are not read", issue.id,
                 issue.source.path)
        return []
    try:
        with document.open("rb") as handle:
            text = handle.read(MAX_DOC_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return []
    if not playbook_blocks(text, [(issue.id, 1)]):
        return []  # most documents hold none: no need to read the knowledge base
    siblings = [(i.id, i.source.line) for i in store.list_known_issues()
                if i.source is not None and i.source.path == issue.source.path]
    found = []
    for block in playbook_blocks(text, siblings or [(issue.id, issue.source.line)]):
        if block.issue_id != issue.id:
            continue
        found.append(load_doc_playbook(block.text, origin=str(document),
                                       first_line=block.line, issue_id=issue.id,
                                       allow=config.allow))
    return found


def _locate(path: Path, settings: Settings) -> Path | None:
    candidates = [path] if path.is_absolute() else [settings.project_dir / path, Path.cwd() / path]
    return next((p for p in candidates if p.is_file()), None)
