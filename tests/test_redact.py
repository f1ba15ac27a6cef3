"""Redaction: a corpus of fake secrets and look-alikes, private keys across lines (also
streamed), and properties (idempotent, total, keeps lines, linear on hostile input)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.secrets.redact import (
    SECRET_RULES,
    SecretRule,
    redact,
    redact_explain,
    redact_lines,
)

CORPUS = Path(__file__).parent / "data" / "redact"


def _jsonl(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


SECRETS = _jsonl("secrets.jsonl")
LOOKALIKES = _jsonl("lookalikes.jsonl")
REDACTED = re.compile(r"\[REDACTED:([a-z-]+)\]")


def _read(name: str) -> str:
    return (CORPUS / name).read_bytes().decode("utf-8")


@pytest.mark.parametrize("case", SECRETS, ids=[c["name"] for c in SECRETS])
def test_secret_is_redacted(case: dict[str, str]) -> None:
    text, fired = redact_explain(case["text"])
    assert text == case["expected"]
    assert list(fired) == REDACTED.findall(case["expected"])


@pytest.mark.parametrize("case", LOOKALIKES, ids=[c["name"] for c in LOOKALIKES])
def test_lookalike_survives(case: dict[str, str]) -> None:
    assert redact_explain(case["text"]) == (case["text"], ())


def test_corpus_covers_every_rule() -> None:
    fired = {name for case in SECRETS for name in redact_explain(case["text"])[1]}
    assert {rule.name for rule in SECRET_RULES} - fired == set()
    assert len(SECRETS) >= 40
    assert len(LOOKALIKES) >= 30


def test_no_secret_value_survives_anywhere() -> None:
    # Each secret in the corpus is the text the expected output replaced; none may remain.
    for case in SECRETS:
        out = redact(case["text"])
        for token in re.findall(r"[A-Za-z0-9_/+-]{16,}", case["text"]):
            if token not in case["expected"]:
                assert token not in out, case["name"]


def test_private_key_block_across_lines() -> None:
    text = _read("private_key_block.log")
    out, fired = redact_explain(text)
    assert out == _read("private_key_block.expected.log")
    assert fired == ("aws-access-key", "private-key", "private-key", "private-key")
    assert out.count("\n") == text.count("\n")
    assert out.count("\r\n") == text.count("\r\n")


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000])
def test_redact_lines_streams_private_keys(chunk: int) -> None:
    text = _read("private_key_block.log")
    lines = text.splitlines(keepends=True)
    items = ["".join(lines[i : i + chunk]) for i in range(0, len(lines), chunk)]
    out = list(redact_lines(items))
    assert len(out) == len(items)
    assert "".join(out) == _read("private_key_block.expected.log")


def test_redact_lines_accepts_lines_without_ends() -> None:
    lines = ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "AQEAvL7", "", "ok"]
    assert list(redact_lines(lines)) == [
        "-----BEGIN PRIVATE KEY-----",
        "[REDACTED:private-key]",
        "[REDACTED:private-key]",
        "",
        # Known limitation: a bare word right after a key cut short reads as key material.
        "[REDACTED:private-key]",
    ]


def test_key_cut_short_gives_the_log_back() -> None:
    text = (
        "-----BEGIN EC PRIVATE KEY-----\n"
        "MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n"
        "Step 3/7 : RUN make\n"
    )
    assert redact(text) == (
        "-----BEGIN EC PRIVATE KEY-----\n[REDACTED:private-key]\nStep 3/7 : RUN make\n"
    )


def test_line_ends_are_kept() -> None:
    text = "a\r\ntoken=abcdef123\rb\n\nc"
    assert redact(text) == "a\r\ntoken=[REDACTED:secret-assignment]\rb\n\nc"
    assert redact("") == ""


def test_placeholders_are_not_secrets() -> None:
    text = "password=*** token=$GITHUB_TOKEN secret=${{ secrets.X }} key: <your-key> pwd=null"
    assert redact(text) == text


def test_odd_text_is_handled() -> None:
    for text in ("\udcff\udc80 token=abc123", "\x00\x01\ufffd", "é" * 10, "\t\v\f"):
        out = redact(text)
        assert redact(out) == out
    assert redact("\udcff token=abc123") == "\udcff token=[REDACTED:secret-assignment]"


def test_bad_rule_is_refused() -> None:
    from knownfix.core.secrets.redact import _Redactor

    with pytest.raises(ValueError, match="only group"):
        _Redactor((SecretRule("bad", r"(a)(?P<secret>b)", ("a",)),))
    with pytest.raises(ValueError, match="lower case"):
        _Redactor((SecretRule("bad", r"Ab", ("Ab",)),))


def test_rule_names_fit_the_label() -> None:
    for rule in SECRET_RULES:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)
    assert len({r.name for r in SECRET_RULES}) == len(SECRET_RULES)


# ---- properties -------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "password", "token", "secret", "_", "-", "=", ":", " ", "\"", "'", "\\", "\n", "\r\n",
        "://", "@", "/", "AKIA", "ASIA", "AIza", "ghp_", "github_pat_", "glpat-", "xoxb-",
        "xapp-1-", "sk_live_", "npm_", "pypi-AgE", "eyJ", ".", "Authorization", "Bearer ", "-u ",
        "--", "<", ">", "&sig=", "AccountKey=", "hooks.slack.com/services/", "[REDACTED:jwt]",
        "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----", "ABCDEFGHIJKLMNOP",
        "abcdefghijklmnop", "0123456789", "+/==", "{", "}", ",", ";", "$", "*", "x",
    ]
)
texts = st.lists(FRAGMENTS, max_size=40).map("".join) | st.text(max_size=120)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=200, deadline=None)
@given(texts)
def test_redact_keeps_lines_and_never_raises(text: str) -> None:
    out, fired = redact_explain(text)
    assert len(re.findall(r"\r\n|\r|\n", out)) == len(re.findall(r"\r\n|\r|\n", text))
    assert len(fired) <= out.count("[REDACTED:")
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    assert "".join(redact_lines(lines)) == out


@settings(max_examples=300, deadline=None)
@given(texts)
def test_keyword_prefilter_never_hides_a_match(text: str) -> None:
    from knownfix.core.secrets.redact import _REDACTOR

    for line in re.split(r"\r\n|\r|\n", text):
        if _REDACTOR.regex.search(line):
            assert _REDACTOR.may_match(line)


# ---- hostile input: linear time, asserted by finishing with the right output -------------

HOSTILE_UNITS = [
    "AKIA", "AIza", "ghp_", "github_pat_", "glpat-", "xoxb-", "xapp-1-", "sk_live_", "npm_",
    "pypi-AgE", "eyJ", "eyJa.", "a://", "a://b:", "Authorization: ", "Bearer ", "-u a:",
    "password=", "a_password", "'password':", "--password ", "<password>", "AccountKey=",
    "&sig=", "aws_secret_access_key=", "\"", "password=\"", "\\", "password: ", "a:password ",
    "-----BEGIN PRIVATE KEY-----", "hooks.slack.com/services/", " -u ", "a-password",
]


@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_hostile_line_finishes(unit: str) -> None:
    line = unit * (100_000 // len(unit))
    out = redact(line)
    assert "\n" not in out
    assert redact(out) == out


@pytest.mark.parametrize("unit", ["a://", " -u ", "&sig=", "-----BEGIN PRIVATE KEY-----"])
def test_one_megabyte_hostile_line(unit: str) -> None:
    line = unit * (1_000_000 // len(unit))
    out = redact(line)
    assert len(out) >= len(line) // 2
    assert out.count("\n") == 0
