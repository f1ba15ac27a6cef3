"""Golden file: what an import stores for matching (each issue's terms and prepared phrases,
and the compiled index) for the fixture and example documents. Making import faster must not
change it; a change that means to bumps ``INDEX_FORMAT`` and regenerates the file:

    KNOWNFIX_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_match_stored_golden.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from knownfix.core.docparse import parse_markdown
from knownfix.core.match.compiled import INDEX_FORMAT, CompiledIndex
from knownfix.core.match.index_build import compile_index
from knownfix.core.match.phrases import IssueTerms
from knownfix.core.match.prepared import stored_forms

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "data" / "docparse").glob("*.md"))
EXAMPLES = sorted((HERE.parent / "examples" / "kb").glob("*.md"))
GOLDEN = HERE / "data" / "match" / "stored-forms.expected.json"
REGEN = os.environ.get("KNOWNFIX_REGEN_GOLDEN") == "1"


def snapshot() -> dict[str, Any]:
    """The example docs' stored forms in full (a diff shows what changed), the fixtures' as a
    digest per issue (the file stays small), and a digest of the index compiled from all."""
    forms: dict[str, Any] = {}
    for path in FIXTURES + EXAMPLES:
        with path.open(encoding="utf-8", newline="") as handle:
            document = parse_markdown(handle, path.name)
        for issue in document.issues:
            forms[f"{path.parent.name}/{path.name}#{issue.id}"] = stored_forms(issue)
    compiled = compile_index(IssueTerms.from_json(forms[key]["terms"]) for key in sorted(forms))
    return {
        "format": INDEX_FORMAT,
        "index_sha256": _digest(compiled),
        "examples": {key: form for key, form in forms.items() if key.startswith("kb/")},
        "fixtures": {key: _sha256(form) for key, form in forms.items()
                     if not key.startswith("kb/")},
    }


def _sha256(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def _digest(compiled: CompiledIndex) -> str:
    """What the compiled index holds, in an order that does not depend on hashing (its blob
    keeps some dicts in insertion order, which set iteration decides)."""
    held = {
        "issue_ids": compiled.issue_ids, "documents": compiled.documents,
        "terms": compiled.terms, "doc_of": [int(v) for v in compiled.doc_of],
        "offsets": [int(v) for v in compiled.offsets],
        "post_issue": [int(v) for v in compiled.post_issue],
        "post_impact": [float(v).hex() for v in compiled.post_impact],
        "avg_len": {k: float(v).hex() for k, v in sorted(compiled.avg_len.items())},
        "context": {k: {t: float(w).hex() for t, w in sorted(v.items())}
                    for k, v in sorted(compiled.context.terms.items())},
        "rules": sorted([r.issue, r.kind, r.pattern, r.key] for r in compiled.rules),
    }
    return _sha256(held)


def test_stored_forms_match_golden() -> None:
    got = json.loads(json.dumps(snapshot()))
    if REGEN or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                          encoding="utf-8")
        if not REGEN:
            pytest.fail(f"wrote a new golden file {GOLDEN.name}; review it and commit it")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))
