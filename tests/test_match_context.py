"""Which tool a known issue is about, and the evidence that makes a real-world match known.

Knowledge bases here are small documents written for these tests: two tools that both document
"connection refused", twins that share a long webhook error and differ in one line, and a log
whose excerpt does not say which tool printed it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.match import CommandLines, MatchIndex
from knownfix.core.match.context import build_context, path_terms, program_names
from knownfix.core.match.layered import Scored, corroborated, decide_known
from knownfix.core.match.lexical import LexicalEvidence, PhraseHit
from knownfix.core.match.phrases import Phrase, index_issue, issue_terms
from knownfix.core.match.tokens import tokenize
from knownfix.core.records import KnownIssue
from match_helpers import issue


def database_doc() -> list[KnownIssue]:
    path = "docs/quarrydb/common-errors.md"
    return [
        issue("db:refused", path, "connection refused", ["connection refused"],
              commands=["quarry start --join=host:26257"],
              root_cause="No node of the quarry cluster listens on that address."),
        issue("db:ssl", path, "node is running secure mode, SSL connection required",
              ["node is running secure mode, SSL connection required"],
              commands=["quarry cert create-client root"]),
        issue("db:clock", path, "clock synchronization error",
              ["clock synchronization error: this node is more than 500ms away"],
              commands=["quarry node status"]),
    ]


def webhook_doc() -> list[KnownIssue]:
    path = "docs/gatekeeper/webhook.md"
    shared = 'Internal error occurred: failed calling webhook "validate.gatekeeper.io"'
    return [
        issue("gk:refused", path, "Error 1: connect: connection refused",
              [shared, "connect: connection refused"],
              commands=["gkctl check api", "kubectl -n gatekeeper get pods"]),
        issue("gk:timeout", path, "Error 2: i/o timeout",
              [shared, "dial tcp 10.0.0.69:443: i/o timeout"],
              commands=["gkctl check api", "kubectl -n gatekeeper logs deploy/gk"]),
        issue("gk:x509", path, "Error 3: x509: certificate signed by unknown authority",
              [shared, "x509: certificate signed by unknown authority"],
              commands=["gkctl check api", "kubectl -n gatekeeper get secret gk-ca"]),
    ]


def other_docs() -> list[KnownIssue]:
    """Unrelated documents: a tool name is only a tool name if few documents use it."""
    out = []
    for n, tool in enumerate(("sitegen", "pkgtool", "tracer")):
        path = f"docs/{tool}/faq.md"
        for k in range(3):
            out.append(issue(f"{tool}:{k}", path, f"{tool} problem {k}",
                             [f"{tool} fails with error E{n}{k}01 while reading the config"],
                             commands=[f"{tool} build --verbose"]))
    return out


def kb() -> MatchIndex:
    return MatchIndex.build([*database_doc(), *webhook_doc(), *other_docs()])


def test_path_terms_name_what_a_document_is_about() -> None:
    expected = {*tokenize("quarrydb"), *tokenize("quarry"), *tokenize("common")}
    assert expected <= path_terms("docs/quarrydb/common-errors.md")
    assert "docs" not in path_terms("docs/quarrydb/common-errors.md")


def test_program_names_are_those_two_issues_run() -> None:
    terms = [issue_terms(i) for i in database_doc()]
    assert set(tokenize("quarry")) <= program_names(terms)
    assert "kubectl" not in program_names(terms)


def test_a_document_learns_its_tool_and_not_common_words() -> None:
    context = build_context([issue_terms(i) for i in [*database_doc(), *webhook_doc(),
                                                       *other_docs()]])
    quarry = context.terms["docs/quarrydb/common-errors.md"]
    assert set(tokenize("quarry")) <= set(quarry)
    assert not set(tokenize("connection refused error")) & set(quarry)
    score, terms = context.match("docs/quarrydb/common-errors.md",
                                 frozenset(tokenize("quarry sql --host=db")))
    assert score >= 0.65
    assert terms
    assert context.match("docs/quarrydb/common-errors.md", frozenset({"nothing"})) == (0.0, ())


def test_a_document_with_few_issues_teaches_no_word_of_its_text() -> None:
    # Too few issues to tell the tool's words from the failure's: only the programs its
    # commands run (and its folder, here "x", too short) may name its tool
    # (tests/test_match_named_tools.py).
    one = [issue("x:1", "docs/x/one.md", "Widget fails", ["widget fails"],
                 commands=["xtool run"])]
    context = build_context([issue_terms(i) for i in [*one, *other_docs()]])
    assert set(context.terms["docs/x/one.md"]) == set(tokenize("xtool"))
    bare = [issue("x:1", "docs/x/one.md", "Widget fails", ["widget fails"])]
    assert not build_context([issue_terms(i) for i in [*bare, *other_docs()]]).knows(
        "docs/x/one.md")


def test_a_generic_message_of_another_tool_is_never_known() -> None:
    # A tracer log: "connection refused" is all it shares with the database's issue.
    log = ("tracer: sender failed: could not send 17 spans\n"
           "Caused by: java.net.ConnectException: Connection refused\n")
    result = kb().rank(log)
    assert result.matches
    assert not result.known


@pytest.mark.parametrize(("origin", "score", "info", "mass", "expected"), [
    ("symptom", 1.0, 3.5, 5.0, True),    # a quoted message, printed whole, rare words and all
    ("symptom", 1.0, 1.9, 12.0, False),  # printed whole, but common words ("CUDA out of memory")
    ("title", 0.77, 3.9, 12.0, False),   # another document's heading, echoed in part
    ("symptom", 0.8, 3.0, 5.0, False),   # part of the message, little else in common
    ("symptom", 0.65, 3.4, 16.0, True),  # much of it, in a log sharing much more (a runbook)
])
def test_a_match_from_another_tools_document_needs_its_quoted_symptom(
        origin: str, score: float, info: float, mass: float, expected: bool) -> None:
    phrase: Phrase = ("the message", origin, ("message",), ("message",), None)
    ev = LexicalEvidence("doc:issue", mass=mass, tool=0.0,
                         best=PhraseHit(phrase, line=1, score=score, matched=("message",),
                                        info=info))
    assert corroborated(ev, foreign_tool=True) is expected
    assert corroborated(ev, foreign_tool=False)  # no other tool named: rare words or mass do


def test_an_uncorroborated_runner_up_of_another_tool_does_not_make_the_top_doubtful() -> None:
    def scored(issue_id: str, score: float, *, foreign: bool, corroborated: bool) -> Scored:
        return Scored(issue(issue_id, "docs/x.md", issue_id, [issue_id]), score, ("lexical",),
                      (), confident=True, corroborated=corroborated, foreign=foreign)

    top = scored("argo:x509", 0.76, foreign=False, corroborated=True)
    alike = scored("scanner:x509", 0.70, foreign=True, corroborated=False)
    assert decide_known([top, alike])
    # A runner-up the evidence does tie to itself still makes the top doubtful,
    assert not decide_known([top, scored("other:x509", 0.70, foreign=True, corroborated=True)])
    # and so does any runner-up when the top is itself another tool's.
    assert not decide_known([scored("a", 0.76, foreign=True, corroborated=True), alike])


def test_the_commands_a_log_ran_name_the_tool_the_excerpt_does_not() -> None:
    excerpt = "dial tcp 10.20.4.12:26257: connect: connection refused\nFailed running \"sql\"\n"
    alone = kb().rank(excerpt)
    with_tool = kb().rank(excerpt, commands=["quarry sql --host=db-2:26257"])
    assert with_tool.matches[0].id == "db:refused"
    top_alone = {m.id: m.score for m in alone.matches}
    top_with = {m.id: m.score for m in with_tool.matches}
    assert top_with["db:refused"] > top_alone.get("db:refused", 0.0)


def test_twins_are_told_apart_by_the_line_only_one_of_them_quotes() -> None:
    log = ('Error from server (InternalError): error when creating "issuer.yaml": Internal error '
           'occurred: failed calling webhook "validate.gatekeeper.io": failed to call webhook: '
           'Post "https://gk-webhook.gatekeeper.svc:443/validate": dial tcp 10.43.1.7:443: '
           "connect: connection refused\n")
    result = kb().rank(log, commands=["kubectl apply -f issuer.yaml"])
    assert result.matches[0].id == "gk:refused"
    assert result.known


def test_x509_is_a_term_and_tells_a_twin() -> None:
    assert "x509" in tokenize("x509: certificate signed by unknown authority")
    assert "abc123" not in tokenize("revision 'abc123'")
    log = ('Internal error occurred: failed calling webhook "validate.gatekeeper.io": '
           "tls: failed to verify certificate: x509: certificate signed by unknown authority\n")
    assert kb().rank(log).matches[0].id == "gk:x509"


@pytest.mark.parametrize(
    ("doc_words", "log_line"),
    [
        ("Port already in use", "Error: listen EADDRINUSE: address already in use :::8081"),
        ("Pods fail with too many open files", "failed to create fsnotify watcher: EMFILE"),
        ("permission denied on the socket", "Error: EACCES: open '/var/run/app.sock'"),
    ],
)
def test_errno_messages_meet_their_codes(doc_words: str, log_line: str) -> None:
    assert set(tokenize(doc_words)) & set(tokenize(log_line))


def test_command_lines_are_collected_across_chunks_and_bounded() -> None:
    ran = CommandLines()
    chunks = [b"noise\n$ quarry s", b"ql --host=db\n+ make test\n##[group]Run pnpm build\n",
              b"> vite\nError: boom\n"]
    passed = list(ran.watch(chunks))
    assert passed == chunks  # the log itself goes on unchanged
    assert ran.lines == ["quarry sql --host=db", "make test", "pnpm build", "vite"]
    many = CommandLines()
    list(many.watch([b"".join(b"$ cmd%d\n" % n for n in range(500))]))
    assert len(many.lines) == 40


_ECHO_LINE = re.compile(
    r"^[ \t]*(?:\$|\+|>|PS [^>\n]{0,80}>|(?:##\[group\])?Run|Step \d+/\d+ : RUN|RUN)[ \t]+"
    r"([^\r\n]{1,300})", re.MULTILINE)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["", "  ", "\t"]),
                  st.sampled_from(["$ ", "+ ", "> ", "Run ", "##[group]Run ", "RUN ",
                                   "Step 2/7 : RUN ", "PS C:\\w> ", "", "x$ ", "Error: "]),
                  st.text(alphabet="abc -=/$+>\r", max_size=12)),
        max_size=30),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_command_lines_do_not_depend_on_where_the_blocks_are_cut(
    lines: list[tuple[str, str, str]], cuts: list[int]
) -> None:
    text = "\n".join(indent + lead + rest for indent, lead, rest in lines)
    data = text.encode()
    expected: list[str] = []
    for m in _ECHO_LINE.finditer(text):  # the whole log at once, line by line
        found = m.group(1).strip()
        if found and found not in expected and len(expected) < 40:
            expected.append(found)
    bounds = sorted({c for c in cuts if c < len(data)} | {0, len(data)})
    ran = CommandLines()
    list(ran.watch([data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]))
    assert ran.lines == expected


def test_quoted_commands_and_prose_symptoms_are_not_verbatim_evidence() -> None:
    doc = issue("x:1", "docs/x.md", "Stack deletion blocked",
                ["If the credentials used to delete clusters do not have that permission, "
                 "the delete fails"],
                commands=["clusterctl delete cluster"],
                root_cause="`clusterctl delete` turns protection off first.")
    phrases = {(origin, text) for text, origin, *_ in index_issue(doc).phrases}
    assert not any(origin == "quoted" and text == "clusterctl delete" for origin, text in phrases)
    assert any(origin == "described" for origin, _ in phrases)


def test_a_quoted_template_slot_is_not_a_message_the_log_must_echo() -> None:
    doc = issue("lint:1", "docs/lint.md", "couldn't find the config to extend from",
                ['Linter couldn\'t find the config "${configName}" to extend from.'])
    quoted = {text for text, origin, *_ in index_issue(doc).phrases if origin == "quoted"}
    assert "${configName}" not in quoted
    log = 'Linter couldn\'t find the config "airbnb-base" to extend from.\n'
    index = MatchIndex.build([doc, *other_docs()])
    result = index.rank(log)
    assert result.matches[0].id == "lint:1"
    assert result.known


def ranking_kb() -> MatchIndex:
    """A package manager whose FAQ quotes `node_modules` in many answers (a name other pages
    use too), and a desktop framework whose FAQ documents its own install failure."""
    pkg = "docs/linker/faq.md"
    app = "docs/shellapp/faq.md"
    return MatchIndex.build([
        issue("pkg:flat", pkg, "Why is my `node_modules` not flat?",
              ["Packages are linked into `node_modules` from a store"]),
        issue("pkg:win", pkg, "Is the nested `node_modules` layout incompatible with Windows?",
              ["Long paths inside `node_modules`"]),
        issue("pkg:hoist", pkg, "How do I hoist `node_modules`?",
              ["Tools expect a hoisted `node_modules`"]),
        issue("app:install", app, "When running npm install shellapp",
              ["The postinstall script cannot reach the release mirror"]),
        issue("app:gpu", app, "shellapp window stays blank", ["GPU process crashed"],
              resolution="Delete `node_modules` and install again."),
        issue("app:sign", app, "shellapp code signing fails", ["codesign exited with 1"]),
        *other_docs(),
    ])


def test_a_name_echoed_from_another_document_counts_less_than_the_named_tools_message() -> None:
    log = ("npm ERR! code ECONNRESET\n"
           "npm ERR! path /home/dev/notes/node_modules/shellapp\n"
           "npm ERR! command failed\n")
    assert ranking_kb().rank(log).matches[0].id == "app:install"
