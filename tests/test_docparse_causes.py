"""Cause sub-sections inherit their parent's problem (disclosure blocks: golden details-summary.md)."""

from __future__ import annotations

from knownfix.core.docparse.assemble import Draft
from knownfix.core.docparse.blocks import parse_blocks
from knownfix.core.docparse.meaning.causes import inherit_problem, is_role_heading

def test_role_headings() -> None:
    assert is_role_heading("Cause 1: The URL is no longer valid")
    assert is_role_heading("Solution B - pin the version")
    assert is_role_heading("Possible cause: a proxy")
    assert not is_role_heading("Causes of slow builds")
    assert not is_role_heading("Fixing the cache")


def test_cause_sections_inherit_the_parent_problem() -> None:
    parent = parse_blocks([
        "Running `agent sync` fails with:\n", "\n", "```\n",
        "ERROR: upload failed: checksum mismatch for chunk 17\n", "```\n"], 4)
    cause = Draft(title="Cause 2: A proxy rewrites the body", line=12,
                  symptoms=["Cause 2: A proxy rewrites the body"])
    other = Draft(title="Upload is slow", line=20, symptoms=["Upload is slow"])
    inherit_problem("Upload fails with a checksum error", parent, [cause, other])
    assert cause.title == "Upload fails with a checksum error: Cause 2: A proxy rewrites the body"
    assert cause.symptoms[0] == "Upload fails with a checksum error"
    assert "ERROR: upload failed: checksum mismatch for chunk 17" in cause.symptoms
    assert "agent sync" not in cause.symptoms  # a command the parent names is context
    assert other.title == "Upload is slow" and other.symptoms == ["Upload is slow"]
