"""The default policy on package managers', build tools' and budget checkers' own reports.

npm prints ``npm ERR! network`` only when npm itself cannot fetch a package (a dependency
failure, PROTOCOL.md), cargo names a crate of the registry by name and version and a crate of
the workspace with its path, bundlesize reports a size over its ``maxSize``, and static site
generators say when a document's front matter is not valid. Each output is written here from
the tool's documented format, not from a benchmark log.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

CASES: list[tuple[str, str, str]] = [
    ("dependency", "npm ERR! network read ECONNRESET\nnpm ERR! network This is most likely not a "
                   "problem with npm itself\nnpm ERR! network and is related to network "
                   "connectivity.", ""),
    ("dependency", "   Compiling psm v0.1.31\n   Compiling stacker v0.1.24",
     "error: failed to run custom build command for `psm v0.1.31`"),
    ("dependency", "error: failed to run custom build command for `openssl-sys v0.9.60`\n\n"
                   "Caused by:\n  process didn't exit successfully: `target/debug/build/"
                   "openssl-sys-1a2b/build-script-main` (exit status: 101)", ""),
    ("performance", "@elastic/apm-rum:  FAIL  ./dist/bundles/app.umd.min.js: 19.4KB > maxSize "
                    "19KB (gzip)", ""),
    ("data", "Error: could not read file /site/_posts/2019-01-01-hello.md: Invalid date 'soon': "
             "Document '_posts/2019-01-01-hello.md' does not have a valid date in the YAML front "
             "matter.", ""),
    ("data", "thread 'main' panicked at 'failed to parse crates.toml: Error { inner: ErrorInner { "
             "kind: Wanted { expected: \"a right bracket\", found: \"a newline\" }, line: Some(41) "
             "} }', src/bin/check-crates.rs:12:50", ""),
]

# A crate of the workspace (its path in parentheses) is the project's own build script; a
# test's connection error is not npm's.
NEGATIVES: list[tuple[str, str, str]] = [
    ("compile", "   Compiling app v0.1.0 (/home/runner/work/app)",
     "cargo build\nerror: failed to run custom build command for `app v0.1.0 (/home/runner/work/"
     "app)`"),
    ("network", "  1) client\n       fetches:\n     Error: read ECONNRESET\n\nnpm ERR! Test failed."
                "  See above for more details.", "npm test"),
]


@pytest.mark.parametrize(("category", "text", "step"), CASES + NEGATIVES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES + NEGATIVES)])
def test_tool_report_is_named(category: str, text: str, step: str) -> None:
    assert default_policy().decide(FailureFacts(text=text, step=step)).category == category


def test_a_manifest_that_does_not_parse_is_not_a_data_file() -> None:
    """``failed to parse manifest at Cargo.toml`` is the project's own configuration."""
    text = ("error: failed to parse manifest at `/home/runner/work/app/Cargo.toml`\n\nCaused by:\n"
            "  could not parse input as TOML")
    assert default_policy().decide(FailureFacts(text=text, step="cargo build")).category != "data"
