"""One generic token is never enough for ``known: true`` when the issue's subject is absent
(issue 8, ``core/match/subject.py``).

A small knowledge base written for these tests, shaped like dev9's wrong known: a page entry
titled after a package (``sharp`` with ``gatsby-plugin-sharp``) whose symptom is node-gyp's
wrapper line ``gyp ERR! build error``, a few other pages that quote node-gyp too (so its words
are rare but not unique), and pages of other tools. A node-gyp failure of another package
prints the wrapper and the npm words every install log shares: not the sharp entry.
"""

from __future__ import annotations

import pytest

import knownfix.core.match as match_module
from knownfix.core.match import MatchIndex
from knownfix.core.match.excerpt_view import view_excerpt
from knownfix.core.match.subject import THIN_ECHO, subject_missing, subject_terms
from knownfix.core.match.tokens import split_lines
from knownfix.core.records import KnownIssue
from match_helpers import issue

SHARP = issue(
    "gatsby:sharp", "docs/gatsby/troubleshooting.md",
    "Problems installing sharp with gatsby-plugin-sharp - gyp ERR! build error",
    ["gyp ERR! build error"],
    root_cause="prebuild-install could not download the prebuilt libvips binary, so npm "
               "install fell back to node-gyp and the node_modules directory holds a partial "
               "build.",
    resolution="Delete the node_modules directory, then run npm install again; you may need "
               "to install the build tools for node and rebuild the release from a project "
               "path without spaces.")

LOG = """npm error code 1
npm error path /home/runner/work/field notes/node_modules/better-sqlite3
npm error command failed
npm error command sh -c prebuild-install || node-gyp rebuild --release
npm error make: *** No rule to make target '/home/runner/work/field', \
needed by 'Release/obj.target/sqlite3.o'.  Stop.
npm error gyp ERR! build error
npm error gyp ERR! stack Error: `make` failed with exit code: 2
npm error gyp ERR! cwd /home/runner/work/field notes/node_modules/better-sqlite3
npm error gyp ERR! node -v v20.11.0
npm error gyp ERR! not ok
npm error A complete log of this run can be found in: /home/runner/.npm/_logs/debug.log
"""
RAN = ["npm install"]


def knowledge_base() -> list[KnownIssue]:
    out = [SHARP,
           issue("gatsby:dev", "docs/gatsby/troubleshooting.md",
                 "gatsby develop hangs on the bootstrap",
                 ["gatsby develop hangs after success onPreBootstrap"]),
           issue("gatsby:gql", "docs/gatsby/troubleshooting.md", "GraphQL schema error in gatsby",
                 ["There was an error in your GraphQL query: Cannot query field"])]
    for tool in ("sitegen", "tracer", "pkgtool", "imgconv", "dbsync", "webcache", "mailer",
                 "queuer"):
        for k in range(3):
            out.append(issue(f"{tool}:{k}", f"docs/{tool}/faq.md",
                             f"{tool} problem {k} with the config",
                             [f"{tool} stops while reading the config file {k}"],
                             root_cause="A fresh install reads an old config.",
                             commands=[f"{tool} build --verbose"]))
    for tool in ("canvas", "bcrypt", "serialport"):
        out.append(issue(f"{tool}:gyp", f"docs/{tool}/install.md",
                         f"{tool} fails to build from source",
                         [f"node-gyp rebuild of {tool} fails: gyp info spawn make"]))
    return out


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(knowledge_base())


def test_wrapper_line_without_the_subject_is_not_known(index: MatchIndex) -> None:
    result = index.rank(LOG, commands=RAN)
    assert result.matches[0].id == "gatsby:sharp"  # still offered as a candidate
    assert not result.known


def test_without_the_mechanism_it_was_known(index: MatchIndex,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The case is the one the mechanism is for: every other gate passes it."""
    monkeypatch.setattr(match_module, "subject_missing", lambda *a, **k: False)
    assert index.rank(LOG, commands=RAN).known


def test_the_subject_named_keeps_it_known(index: MatchIndex) -> None:
    log = LOG.replace("better-sqlite3", "sharp").replace("sqlite3.o", "sharp.o")
    result = index.rank(log, commands=RAN)
    assert result.known
    assert result.matches[0].id == "gatsby:sharp"


def _evidence(index: MatchIndex, log: str):  # noqa: ANN202 - test helper
    view = view_excerpt(split_lines(log), None)
    doc = index.docs.get(index.compiled, [index.ordinal["gatsby:sharp"]])[0]
    return doc, view, index.lexical.evidence(doc, view)


def test_subject_is_the_titles_rare_names_beyond_the_phrase(index: MatchIndex) -> None:
    doc, _, ev = _evidence(index, LOG)
    assert ev.best is not None
    assert ev.best.info < THIN_ECHO
    subject = subject_terms(doc, index._rarity, frozenset(ev.best.phrase[2]))
    # The package and the plugin; not the wrapper's words, nor a common verb ("installing").
    assert {"sharp", "plugin"} <= subject
    assert "gyp" not in subject
    assert "install" not in subject


def test_naming_the_tool_or_a_rich_echo_is_not_thin(index: MatchIndex) -> None:
    doc, view, ev = _evidence(index, LOG)
    said = view.terms
    assert subject_missing(ev, doc, said, index._rarity, names_tool=False)
    # The log names the issue's tool: the tool says whose failure it is.
    assert not subject_missing(ev, doc, said, index._rarity, names_tool=True)
    # Any one of the subject's names in the log (or the commands it ran) is enough.
    assert not subject_missing(ev, doc, said | {"gatsbi"}, index._rarity, names_tool=False)
    # An echo that carries a rare term's worth or more says which failure by itself.
    assert ev.best is not None
    rich = type(ev.best)(ev.best.phrase, ev.best.line, ev.best.score, ev.best.matched,
                         THIN_ECHO, ev.best.verbatim)
    ev.best = rich
    assert not subject_missing(ev, doc, said, index._rarity, names_tool=False)
