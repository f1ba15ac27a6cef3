"""What decides whether a document must be parsed again on import: its bytes and the importer.

A document whose digest is the one stored at its last import keeps its issues and its report,
so re-importing an unchanged tree of thousands of documents takes seconds.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from knownfix import __version__
from knownfix.core import docparse as docparse_package


@functools.cache
def importer_digest() -> str:
    """A digest of the importer's own code and knownfix's version: a document imported by
    another importer is parsed again."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(docparse_package.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def document_digest(path: Path) -> str:
    """What decides whether a document must be parsed again: its bytes and the importer."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return f"{digest.hexdigest()}:{importer_digest()}"
