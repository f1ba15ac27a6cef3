"""A wrapper is a wrapper by its shape, in one document too (``echoes.field_cause_missing``):
``rpc error: code = Unavailable desc = transport is closing`` holds its message in a field, and
a log that echoes the wrapper with another message in that field is another failure.

``wrapper_only`` needs two other documents among the candidates quoting the same wrapper; the
Collector's export log (``desc = connection error: … no such host``) was called Argo CD's
*transport is closing* entry again once fewer pages quoted gRPC's wrapper.
"""

from __future__ import annotations

import pytest

from knownfix.core.match import MatchIndex
from knownfix.core.match.echoes import cause_missing, field_cause_missing
from knownfix.core.match.lexical import PhraseHit
from knownfix.core.match.phrases import make_phrase
from match_helpers import issue
from test_match_evidence import fillers

GRPC = "rpc error: code = Unavailable desc = transport is closing"


def hit(text: str, matched: tuple[str, ...]) -> PhraseHit:
    phrase = make_phrase(text, "symptom")
    assert phrase is not None
    return PhraseHit(phrase, line=1, score=0.8, matched=matched, info=2.0)


@pytest.mark.parametrize(("text", "matched", "missing"), [
    # The wrapper and the next link's first word ("transport: Error while dialing"): another.
    (GRPC, ("rpc", "unavailabl", "desc", "transport"), True),
    (GRPC, ("rpc", "unavailabl", "desc"), True),
    # The message in the field is printed: the same failure.
    (GRPC, ("rpc", "unavailabl", "desc", "transport", "clos"), False),
    ('level=error msg="cannot open ledger"', ("level",), True),
    ('level=error msg="cannot open ledger"', ("level", "open", "ledger"), False),
    # No field holding a message: the shape says nothing.
    ("x509: certificate signed by unknown authority", ("x509",), False),
    ("Error: description = none", ("description",), False),
])
def test_a_message_in_a_field_must_be_echoed(
        text: str, matched: tuple[str, ...], missing: bool) -> None:
    assert field_cause_missing(hit(text, matched)) is missing
    assert cause_missing(hit(text, matched)) is missing


def deploy_doc() -> list:
    path = "docs/deployd/faq.md"
    return [issue("deployd:grpc", path, "Why the CLI reports rpc error", [GRPC]),
            issue("deployd:auth", path, "deployd login denied",
                  ["deployd login: permission denied for user"]),
            issue("deployd:cfg", path, "deployd config invalid",
                  ["deployd config parse failed at line"])]


def test_one_page_s_wrapper_with_another_message_is_not_known() -> None:
    # Only one page quotes the wrapper: ``wrapper_only`` cannot see it, the shape does.
    index = MatchIndex.build([*deploy_doc(), *fillers()])
    log = ('exporter failed, will retry: "rpc error: code = Unavailable desc = connection '
           'error: desc = \\"transport: Error while dialing: dial tcp: no such host\\""\n')
    result = index.rank(log)
    assert result.matches[0].id == "deployd:grpc"
    assert not result.known
    log = ('exporter failed, will retry: "rpc error: code = Unavailable desc = transport is '
           'closing"\n')
    assert index.rank(log).known
