"""The scan's classified lines, shared by every log of a process: the same excerpt whatever
was read before, and memory bounded by a budget."""

from __future__ import annotations

import pytest

from knownfix.core.extract import read_log
from knownfix.core.extract import scan as scan_module
from knownfix.core.extract.scan import _Classified

LOG = (b"$ npm test\n> app@1.0.0 test\n"
       b"npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\nError: Cannot find module 'left-pad'\n"
       b"    at Function.Module._resolveFilename (module.js:470:15)\n")
OTHER = (b"$ make\ncc -o app main.c\nmain.c:3:1: error: expected ';' before '}' token\n"
         b"make: *** [app] Error 1\n")


def excerpt(log: bytes) -> tuple[tuple[tuple[int, int], ...], str]:
    found = read_log(iter((log,))).excerpt
    return found.spans, found.text


def test_a_log_reads_the_same_after_others_or_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "CLASSIFIED", _Classified())
    alone = excerpt(LOG)
    excerpt(OTHER)
    assert excerpt(LOG) == alone
    monkeypatch.setattr(scan_module, "CLASSIFIED", _Classified())  # nothing remembered
    assert excerpt(LOG) == alone


def test_the_shared_lines_are_forgotten_past_their_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = _Classified()
    monkeypatch.setattr(small, "BUDGET", 1000)
    raw, clean, rule = small.get(b"npm ERR! code ELIFECYCLE")
    assert (raw, clean) == ("npm ERR! code ELIFECYCLE", "npm ERR! code ELIFECYCLE")
    assert rule is not None
    for n in range(100):
        small.get(f"error: line {n} of a long log".encode())
    assert len(small._lines) < 20  # cleared whenever the budget was spent
    assert small.get(b"npm ERR! code ELIFECYCLE")[2] == rule
