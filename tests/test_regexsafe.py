"""Signature regexes: RE2 only, linear time, bounded size, rejections explained."""

from __future__ import annotations

import pytest

from knownfix.core.text.regexsafe import check_regex, compile_linear
from knownfix.errors import PolicyError

ACCEPTED = [
    r"Can't locate revision identified by '[0-9a-f]+'",
    r"^E\s+fixture '\w+' not found",
    r"(a+)+$",  # catastrophic for backtracking engines, linear under RE2
    r"(x+x+)+y",
    r"npm ERR! code ERESOLVE",
    r"(?i)no space left on device",
    r"(?P<module>[\w.]+)",
]

REJECTED = [
    ("(?=core)dumped", "lookahead"),
    ("(?<!not )found", "lookbehind"),
    (r"(\w+) \1", "backreference"),
    ("(?P<w>a)(?P=w)", "named backreference"),
    ("(?>abc)", "atomic group"),
    ("a++", "possessive"),
    ("x{1000}{1000}", "does not compile under RE2"),
    ("(", "does not compile under RE2"),
    ("", "empty regex"),
    ("a" * 1001, "characters long"),
    (r"(\w+\s?){1,1000}" * 3, "RE2 instructions"),
]


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_safe_patterns_pass(pattern: str) -> None:
    assert check_regex(pattern) is None
    assert compile_linear(pattern).pattern == pattern


@pytest.mark.parametrize(("pattern", "words"), REJECTED)
def test_unsafe_patterns_are_explained(pattern: str, words: str) -> None:
    message = check_regex(pattern)
    assert message is not None
    assert words in message


@pytest.mark.parametrize(("pattern", "words"), REJECTED)
def test_compile_linear_raises_policy_error(pattern: str, words: str) -> None:
    with pytest.raises(PolicyError, match=words):
        compile_linear(pattern)


def test_escaped_backslash_digit_is_not_a_backreference() -> None:
    assert check_regex(r"C:\\1") is None


def test_length_limit_is_adjustable() -> None:
    assert check_regex("abc", max_length=2) is not None
    assert check_regex("a" * 1500, max_length=2000) is None


def test_compiled_pattern_matches_in_linear_time_engine() -> None:
    compiled = compile_linear(r"(a+)+$")
    assert compiled.search("a" * 50_000 + "!") is None
    assert compiled.search("aaa") is not None
