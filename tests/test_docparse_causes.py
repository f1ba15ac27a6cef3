"""Disclosure blocks and cause sub-sections: two shapes real troubleshooting pages use."""

from __future__ import annotations

from knownfix.core.docparse import parse_markdown
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
    assert other.title == "Upload is slow"
    assert other.symptoms == ["Upload is slow"]


DETAILS = """\
## Installation issues

<details>
<summary>
"permission denied: /var/run/agent.sock" on start
</summary>
The socket belongs to root. Add your user to the `agent` group and log in again.
</details>

<details>
<summary>
See also
</summary>
Links to the forum.
</details>
"""


def test_summary_is_the_title_and_the_disclosed_text_the_fix() -> None:
    doc = parse_markdown(DETAILS.splitlines(keepends=True), "install.md")
    assert [(i.title, i.source.line) for i in doc.issues] == [
        ('"permission denied: /var/run/agent.sock" on start', 3)]
    issue = doc.issues[0]
    assert "permission denied: /var/run/agent.sock" in issue.symptoms
    assert "`agent` group" in issue.resolution
    # A heading that names trouble in general introduces the entries; it is not one itself,
    # and a disclosed aside ("See also") is not an entry.
    assert not any(i.title in ("Installation issues", "See also") for i in doc.issues)


ERROR_TABLE = """\
# FAQ

## Why does `tool sync` fail with `SSLError: certificate verify failed`?

Your Python does not trust the index's certificate. Run `export REQUESTS_CA_BUNDLE=/etc/ca.pem`.

## Errors

| Error | Cause | Fix |
|---|---|---|
| `E1001 lockfile out of date` | The manifest changed after locking | Run `tool lock` |
| `E1002 hash mismatch` | | |
"""


def test_error_table_rows_and_a_category_heading_named_like_a_field() -> None:
    doc = parse_markdown(ERROR_TABLE.splitlines(keepends=True), "faq.md")
    by_title = {i.title: i for i in doc.issues}
    row = by_title["E1001 lockfile out of date"]
    assert row.source.line == 11
    assert row.symptoms == ["E1001 lockfile out of date"]
    assert "tool lock" in row.resolution
    # A row without a fix is reported, not imported.
    assert "E1002 hash mismatch" not in by_title
    assert any(s.line == 12 and "no fix" in s.reason for s in doc.skipped)
    # The command that failed is not a symptom; what it printed is.
    question = next(i for i in doc.issues if i.source.line == 3)
    assert question.symptoms == ["SSLError: certificate verify failed"]


DIAGNOSTICS = """\
# Build failures

## <a name="failure-logs"></a> Locate failure logs

When a port fails to build, the first step is to read the log files. Look for the line
"See logs for more information" and open the files it lists.

## Build stops with `error: compiler not found`

Install the compiler with `apt-get install build-essential` and run the build again.
"""


def test_a_diagnostics_heading_is_not_a_problem_and_anchors_leave_titles() -> None:
    doc = parse_markdown(DIAGNOSTICS.splitlines(keepends=True), "build.md")
    assert [i.title for i in doc.issues] == ["Build stops with error: compiler not found"]
    assert any(s.line == 3 and s.reason.startswith("'Locate failure logs' is not an issue")
               for s in doc.skipped)


CAUSES = """\
# Build failures

## Failed to download the sources

Installing a package stops while downloading:

```console
error: Failed to download file with error: 1
```

### Cause 1: The download URL is no longer valid

Steps to resolve:

1 - Change the package to use another download URL.

### Cause 2: The proxy rejects the download host

Steps to resolve:

1 - Add the download host to `NO_PROXY` and run the install again.
"""


def test_causes_of_one_problem_become_one_issue_under_its_heading() -> None:
    doc = parse_markdown(CAUSES.splitlines(keepends=True), "build.md")
    assert [(i.title, i.source.line) for i in doc.issues] == [
        ("Failed to download the sources", 3)]
    issue = doc.issues[0]
    assert "error: Failed to download file with error: 1" in issue.symptoms
    assert "another download URL" in issue.resolution
    assert "NO_PROXY" in issue.resolution
    assert "Cause 2: The proxy rejects the download host" in issue.root_cause
    assert not doc.skipped or all(s.line not in (3, 11, 17) for s in doc.skipped)
