"""Tokenizer of the template miner: a table of (name, message, rendered tokens) cases."""

from __future__ import annotations

import pytest

from knownfix.core.logtemplates.tokenize import VARIABLE, render, tokenize

CASES = [
    ("plain words", "Starting the scheduler", "Starting the scheduler"),
    ("number", "retry 3 of 5", "retry <*> of <*>"),
    ("id with digits", "block blk_-4711 on node-12", "block <*> on <*>"),
    ("key value", "uid=0 euid=1000 tty=ssh", "uid=<*> euid=<*> tty=<*>"),
    ("value word after =", "name=android ws=null", "name=<*> ws=<*>"),
    ("empty value keeps shape", "logname= uid=0", "logname= uid=<*>"),
    ("booleans", "overlap: false, visible: True", "overlap: <*>, visible: <*>"),
    ("ipv4 with port", "connect to 10.1.2.3:8080 failed", "connect to <*> failed"),
    ("ipv6", "addr fe80::1c3f:2a:9b01 up", "addr <*> up"),
    ("mac address", "bssid a4:5e:60:ee:ff:01 joined", "bssid <*> joined"),
    ("host with port", "proxy.example.com:443 open", "<*> open"),
    ("host with tld", "resolve api.github.com now", "resolve <*> now"),
    ("java class stays", "at org.apache.Foo.bar done", "at org.apache.Foo.bar done"),
    ("unix path", "reading /etc/app/conf.yaml", "reading <*>"),
    ("path after colon", "source path:/var/log/x", "source path:<*>"),
    ("windows path", r"Loaded C:\Windows\system32\x.dll ok", "Loaded <*> ok"),
    ("url", "GET https://example.org/a?b=c done", "GET <*> done"),
    ("clock time collapses", "at 12:01:59 sharp", "at <*> sharp"),
    ("text date", "connection at Sun Jul 10 03:55:15 2005 closed", "connection at <*> closed"),
    ("date with time zone", "status=M Fri Jul 1 12:00:00 PDT 2005", "status=<*>"),
    ("size unit", "estimated size 12.5 KB, free 3 MB", "estimated size <*>, free <*>"),
    ("quantity with conversion", "sent 1234 bytes (1.2 KB) ok", "sent <*> ok"),
    ("duration", "lifetime <1 sec", "lifetime <*>"),
    ("list of numbers", "IRQs 3 4 5 7 10 11", "IRQs <*>"),
    ("joined values", "range [2,3,4] done", "range [<*>] done"),
    ("quotes at word edges", "country code set to 'US'.", "country code set to 'US'."),
    ("apostrophe inside word", "can't open file", "can't open file"),
    ("leader dots split", "instruction......0", "instruction......<*>"),
    ("whitespace runs", "a   b\tc", "a b c"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("name", "message", "expected"), CASES, ids=[c[0] for c in CASES])
def test_tokenize(name: str, message: str, expected: str) -> None:
    line = tokenize(message)
    assert render(line.tokens, line.spaces) == expected


def test_tokens_and_spaces_line_up() -> None:
    line = tokenize("uid=0 (root) done")
    assert line.tokens == ("uid", "=", VARIABLE, "(", "root", ")", "done")
    assert line.spaces == (False, False, False, True, False, False, True)


def test_digits_do_not_change_tokens() -> None:
    # The miner caches tokens by the digit-blind line: this must hold for its cache to be exact.
    first = tokenize("node-12 at 10.0.0.1:80 took 12 ms on 2024-01-02")
    second = tokenize("node-99 at 19.8.7.6:81 took 99 ms on 2099-09-09")
    assert first == second
