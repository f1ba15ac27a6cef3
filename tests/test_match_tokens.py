"""Tokenization for matching: variable parts vanish, identifying parts become special terms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.match.tokens import (
    BOILERPLATE,
    error_codes,
    exception_types,
    identifier_terms,
    split_lines,
    stem,
    tokenize,
    tokenize_with_surface,
)

# (name, text, terms that must be there, terms that must not)
TOKEN_CASES = [
    ("paraphrase find", "Can't find revision f5ae8e59ef66", {"miss", "revision"}, {"f5ae8e59ef66"}),
    ("paraphrase locate", "Can't locate revision identified by 'abc123'", {"miss", "revision"},
     {"abc123", "locate"}),
    ("not found", "fixture 'db' not found", {"fixtur", "miss"}, {"found"}),
    ("camel case", "TestClient blocked by TrustedHostMiddleware",
     {"testclient", "trustedhostmiddleware", "trust", "host", "middlewar", "block"}, set()),
    ("snake case", "greenlet_spawn has not been called", {"greenlet_spawn", "greenlet", "spawn"},
     {"has", "not", "been"}),
    ("numbers and uuids vanish", "task 3f0c2a7e-6d1b-4c55-9a0e-0b9d1f6e2c11 took 412ms",
     {"task", "took"}, {"412ms", "3f0c2a7e"}),
    ("timed out", "Health check timed out after 4.0s", {"health", "timeout"}, {"timed"}),
    ("out of memory", "Out of memory: Killed process 3117", {"oom", "memori", "kill"}, set()),
    ("segfault", "Segmentation fault (core dumped)", {"crash"}, {"segmentation"}),
    ("plural acronym", "safety reports eight MLflow CVEs", {"cve", "mlflow", "safeti"}, {"es"}),
    ("error code", "npm ERR! code ERESOLVE", {"eresolve"}, set()),
    ("winerror", "PermissionError: [WinError 5] Access is denied",
     {"permissionerror", "winerror5", "access", "deni"}, set()),
    ("exit status", "Process completed with exit code 137.", {"exit137"}, set()),
    ("names with digits", "k3s[912]: x509 on k8s, k3d and ipv6", {"k3s", "x509", "k8s", "k3d",
                                                                  "ipv6"}, {"912"}),
    ("ids with digits vanish", "pod cart-6d9f8c7b5-9lzt8 v1beta1", {"pod", "cart"},
     {"6d9f8c7b5", "9lzt8", "v1beta1"}),
    ("example values", r"Cannot find module 'C:\foo\bar&baz\vite.js' at xxx.internal",
     {"miss", "modul", "vite", "internal"}, {"foo", "bar", "baz", "xxx"}),
]


@pytest.mark.parametrize(("name", "text", "present", "absent"), TOKEN_CASES,
                         ids=[c[0] for c in TOKEN_CASES])
def test_tokenize(name: str, text: str, present: set[str], absent: set[str]) -> None:
    terms = set(tokenize(text))
    assert present <= terms, f"{name}: missing {present - terms}"
    assert not (absent & terms), f"{name}: unexpected {absent & terms}"


CODE_CASES = [
    ("rustc", "error[E0502]: cannot borrow", {"E0502"}),
    ("tsc", "error TS2322: Type 'x' is not assignable", {"TS2322"}),
    ("bandit", ">> Issue: [B301:blacklist] Pickle", {"B301"}),
    ("errno names", "ENOSPC: no space left; ECONNREFUSED 127.0.0.1", {"ENOSPC", "ECONNREFUSED"}),
    ("numbered", "[Errno 28] No space; [WinError 5]; CWE-502", {"Errno 28", "WinError 5",
                                                                "CWE 502"}),
    ("hashes are not codes", "sha256 SHA256 UTF8 ISO8601 MD5", set()),
    ("capital words are not codes", "ERROR ENDING EXPIRED EXCEPTION", set()),
    ("small exit codes say nothing", "exit code 1", set()),
    ("windows hresult", "Install failed: error 0x80070490 (0x8A15000F)", {"0x80070490",
                                                                         "0x8a15000f"}),
    ("addresses and small hex are not codes", "at 0x7ffd1234, flags 0x1f, id 0x80070490ab",
     set()),
]


@pytest.mark.parametrize(("name", "text", "expected"), CODE_CASES, ids=[c[0] for c in CODE_CASES])
def test_error_codes(name: str, text: str, expected: set[str]) -> None:
    assert error_codes(text) == expected, name


def test_exception_types() -> None:
    text = ("java.lang.NullPointerException at x; sqlalchemy.exc.MissingGreenlet: y; "
            "SAWarning: z; raise Error; WinError 5")
    assert exception_types(text) == {"NullPointerException", "MissingGreenlet", "SAWarning"}


def test_stem_folds_inflections() -> None:
    assert stem("libraries") == stem("library")
    assert stem("validation") == stem("validate") == stem("validated")
    assert stem("mounting") == stem("mount")
    assert stem("directories") == stem("directory")


def test_surfaces_keep_the_words_as_written() -> None:
    pairs = dict(tokenize_with_surface("Can't locate revision identified by 'x'"))
    assert pairs["miss"] == "cannot locate"
    assert pairs["revision"] == "revision"


def test_boilerplate_is_stemmed_like_terms() -> None:
    for word in ("error", "failed", "exception", "traceback", "line", "file", "test", "build",
                 "exit", "code"):
        assert stem(word) in BOILERPLATE


def test_identifier_terms() -> None:
    assert identifier_terms("Resolved greenlet_spawn errors; TrustedHostMiddleware in CI") == [
        "greenlet_spawn", "trustedhostmiddleware"]


def test_split_lines_counts_cr_lf_and_lone_cr() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]


@given(st.text(max_size=400))
def test_tokenize_never_raises_and_terms_are_clean(text: str) -> None:
    for term, surface in tokenize_with_surface(text):
        assert term
        assert term == term.lower()
        assert isinstance(surface, str)
        assert not any(c.isspace() for c in term)


@given(st.text(alphabet=st.sampled_from("qk fmarbcdj0123456789_Q"), max_size=80))
def test_marker_lookalikes_are_plain_words(text: str) -> None:
    tokenize("can't find " + text + " qqkfmarkjjjjjjjqq qqkfmarkbqq")


_PHRASE_WORDS = ["can't", "won’t", "isn't", "timed", "out", "time-out", "does", "not", "match",
                 "of", "memory", "segmentation", "fault", "core", "dumped", "cannot", "find",
                 "unable", "to", "locate", "found", "i/o", "no", "such", "exist", "address",
                 "port", "already", "in", "use", "too", "many", "open", "files", "space", "left",
                 "connection", "refused", "reset", "permission", "denied", "file", "or",
                 "directory", "broken", "pipe", "is", "a", "read-only", "system", "network",
                 "unreachable", "route", "host", "exists", "Error:", "EACCES", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_WORDS), max_size=14), st.sampled_from([" ", "  ", "\t"]))
def test_the_phrase_prefilters_never_change_the_terms(words: list[str], sep: str) -> None:
    import re

    from knownfix.core.match import tokens

    line = sep.join(words)
    filtered = tokens.tokenize_with_surface(line)
    everything = re.compile("")  # a prefilter that always says "maybe": every rule runs
    with pytest.MonkeyPatch.context() as patch:
        for name in ("_ANY_CONTRACTION", "_ANY_CONCEPT", "_ANY_ERRNO"):
            patch.setattr(tokens, name, everything)
        assert tokens.tokenize_with_surface(line) == filtered
