"""Golden files: each fixture document, parsed, compared with its committed JSON.

Regenerate after an intended change, then review the diff like code:

    KNOWNFIX_REGEN_GOLDEN=1 .venv/bin/pytest tests/test_docparse_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from knownfix.core.docparse import parse_markdown
from knownfix.core.records import ParsedDocument

HERE = Path(__file__).parent
FIXTURES = HERE / "data" / "docparse"
EXAMPLES = HERE.parent / "examples" / "kb"
REGEN = os.environ.get("KNOWNFIX_REGEN_GOLDEN") == "1"


def snapshot(document: ParsedDocument) -> dict[str, Any]:
    """Everything the importer decided, minus what depends on the clock."""
    issues = []
    for issue in document.issues:
        data = issue.to_dict()
        data.pop("updated_at")
        issues.append(data)
    return {
        "shape": document.shape,
        "issues": issues,
        "skipped": [{"line": s.line, "reason": s.reason} for s in document.skipped],
        "policy_rows": [
            {
                "failure_type": row.failure_type,
                "severity": row.severity,
                "response_time": row.response_time,
                "escalation": row.escalation,
                "line": row.source.line if row.source else None,
            }
            for row in document.policy_rows
        ],
    }


def _cases() -> list[tuple[str, Path]]:
    cases = [(f"docparse/{p.name}", p) for p in sorted(FIXTURES.glob("*.md"))]
    cases += [(f"examples/kb/{p.name}", p) for p in sorted(EXAMPLES.glob("*.md"))]
    return cases


@pytest.mark.parametrize(("shown", "path"), _cases(), ids=lambda v: str(v))
def test_parse_matches_golden(shown: str, path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        got = snapshot(parse_markdown(handle, shown))
    prefix = "" if path.parent == FIXTURES else "example-"
    golden = FIXTURES / f"{prefix}{path.stem}.expected.json"
    if REGEN or not golden.exists():
        golden.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if not REGEN:
            pytest.fail(f"wrote a new golden file {golden.name}; review it and commit it")
    assert got == json.loads(golden.read_text(encoding="utf-8"))
