"""A library's wrapper that several tools' documents quote (gRPC's ``rpc error: code =
Unavailable desc = …``) does not say which tool failed (``echoes.wrapper_only``).

Own small fixtures: plain phrase tuples ``(text, origin, terms, surfaces, literal)`` and a
knowledge base of three made-up tools whose pages quote the same wrapper around their causes.
"""

from __future__ import annotations

from knownfix.core.match import MatchIndex
from knownfix.core.match.echoes import echoed_by_document, wrapper_only
from knownfix.core.match.lexical import LexicalEvidence, PhraseHit
from match_helpers import issue
from test_match_evidence import fillers

WRAPPER = ("rpc", "unavailabl", "desc")
PHRASE = ("rpc error: code = Unavailable desc = transport is closing", "symptom",
          (*WRAPPER, "transport", "clos"), (), None)


def evidence(matched: tuple[str, ...], shared: tuple[str, ...] | None = None,
             phrase: tuple = PHRASE) -> LexicalEvidence:
    best = PhraseHit(phrase, line=1, score=0.8, matched=matched, info=2.5)
    return LexicalEvidence("deployd:grpc", best=best, hits=(best,),
                           matched_terms=matched if shared is None else shared)


def others(*echoes: tuple[str, ...]) -> dict[str, set[str]]:
    return {f"doc{n}": set(terms) for n, terms in enumerate(echoes)}


def test_a_wrapper_two_other_documents_echo_is_no_tool_s_failure() -> None:
    ev = evidence((*WRAPPER, "transport"))
    echoed = {"deployd": set(ev.best.matched),
              **others((*WRAPPER, "transport"), (*WRAPPER, "connect"), ("transport",))}
    assert wrapper_only(ev, "deployd", echoed, names_tool=False)


def test_the_tool_named_or_the_cause_printed_or_one_other_page_keep_it() -> None:
    ev = evidence((*WRAPPER, "transport"))
    echoed = others((*WRAPPER, "transport"), (*WRAPPER, "transport"))
    # The log names the issue's tool: the words it lacks are an example value, not a cause.
    assert not wrapper_only(ev, "deployd", echoed, names_tool=True)
    # The log prints the phrase's own words elsewhere ("closing").
    assert not wrapper_only(evidence((*WRAPPER, "transport"), (*WRAPPER, "transport", "clos")),
                            "deployd", echoed, names_tool=False)
    # Only one other document echoes the same words: a message two pages quote, not a wrapper.
    assert not wrapper_only(ev, "deployd", others((*WRAPPER, "transport")), names_tool=False)


def test_a_message_echoed_whole_is_no_wrapper() -> None:
    # "CUDA out of memory" on two pages: the whole phrase printed, nothing of it missing.
    phrase = ("CUDA out of memory", "symptom", ("cuda", "out", "memori"), (), None)
    ev = evidence(("cuda", "out", "memori"), phrase=phrase)
    echoed = others(("cuda", "out", "memori"), ("cuda", "out", "memori"))
    assert not wrapper_only(ev, "trainer", echoed, names_tool=False)


def test_echoes_are_gathered_per_document() -> None:
    ev = evidence(WRAPPER)
    assert echoed_by_document([("a", ev), ("a", evidence(("rpc",))), ("b", ev)]) == {
        "a": set(WRAPPER), "b": set(WRAPPER)}


def grpc_docs() -> list:
    docs = []
    for tool in ("deployd", "nodelet", "meshctl"):
        path, run = f"docs/{tool}/faq.md", [f"{tool} sync app"]
        docs += [issue(f"{tool}:auth", path, f"{tool} login denied",
                       [f"{tool} login: permission denied for user"], commands=run),
                 issue(f"{tool}:cfg", path, f"{tool} config invalid",
                       [f"{tool} config parse failed at line"], commands=run)]
    deployd = [issue("deployd:grpc", "docs/deployd/faq.md", "Why the CLI reports rpc error",
                     ["rpc error: code = Unavailable desc = transport is closing"],
                     commands=["deployd sync app"])]
    # The other pages quote the wrapper in the longer stories of their own failures.
    told = [issue(f"{tool}:grpc", f"docs/{tool}/faq.md", f"{tool} {what}", [],
                  root_cause=f"The {what} shows as rpc error: code = Unavailable desc = {why}",
                  commands=[f"{tool} sync app"])
            for tool, what, why in (("nodelet", "sandbox restarts", "oci runtime failed"),
                                    ("meshctl", "sidecar drops", "upstream reset by peer"))]
    return [*docs, *deployd, *told]


def test_another_tool_printing_the_wrapper_is_not_known() -> None:
    index = MatchIndex.build([*grpc_docs(), *fillers()])
    log = ('exporter failed, will retry: "rpc error: code = Unavailable desc = transport is '
           'closing"\n')
    assert index.rank(log).known  # the cause is printed: deployd's own entry
    log = ('exporter failed, will retry: "rpc error: code = Unavailable desc = connection '
           'error: dial tcp: no such host"\n')
    result = index.rank(log)
    assert result.matches[0].id == "deployd:grpc"
    assert not result.known  # (other gates agree here: the unit tests above pin the rule)
