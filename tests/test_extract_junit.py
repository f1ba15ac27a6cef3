"""JUnit XML reports: detection, failing cases with message and trace, broken and hostile XML."""

from __future__ import annotations

import pytest

from knownfix.core.extract import extract_from_junit, looks_like_junit
from knownfix.errors import InputError

REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="shop" tests="3" failures="1" errors="1">
  <testcase classname="shop.CartTest" name="adds" time="0.01"/>
  <testcase classname="shop.CartTest" name="totals" time="0.02">
    <failure message="expected 23.8 but was 20.0" type="AssertionError">\
AssertionError: expected 23.8 but was 20.0
\tat shop.CartTest.totals(CartTest.java:31)</failure>
  </testcase>
  <testcase classname="shop.CartTest" name="empties" time="0.00">
    <error message="no database" type="java.sql.SQLException"/>
  </testcase>
</testsuite>
"""


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?>\n<testsuites>', True),
        (b"<testsuite name='x'>", True),
        (b"\xef\xbb\xbf<?xml version='1.0'?><!-- generated --><testsuites>", True),
        (b'<?xml version="1.0"?>\n<project>', False),
        (b"Traceback (most recent call last):", False),
        (b"", False),
    ],
)
def test_looks_like_junit(head: bytes, expected: bool) -> None:
    assert looks_like_junit(head) is expected


def test_failures_and_errors_with_message_and_trace() -> None:
    excerpt = extract_from_junit([REPORT])
    assert excerpt.spans == ((4, 7), (8, 10))
    assert excerpt.text.splitlines() == [
        "FAILURE: shop.CartTest.totals",
        "AssertionError: expected 23.8 but was 20.0",
        "\tat shop.CartTest.totals(CartTest.java:31)",
        "ERROR: shop.CartTest.empties",
        "java.sql.SQLException: no database",
    ]


def test_byte_by_byte_gives_the_same_excerpt() -> None:
    assert extract_from_junit(
        [REPORT[i : i + 1] for i in range(len(REPORT))]
    ) == extract_from_junit([REPORT])


def test_crlf_report_counts_lines_like_a_log() -> None:
    assert extract_from_junit([REPORT.replace(b"\n", b"\r\n")]).spans == ((4, 7), (8, 10))


def test_a_passing_report_has_an_empty_excerpt() -> None:
    report = b'<testsuite tests="1"><testcase name="ok"/></testsuite>'
    excerpt = extract_from_junit([report])
    assert excerpt.spans == ()
    assert excerpt.text == ""


def test_line_budget() -> None:
    cases = b"".join(
        b'<testcase name="t%d"><failure message="m">' % i
        + b"frame\n" * 30
        + b"</failure></testcase>\n"
        for i in range(10)
    )
    excerpt = extract_from_junit([b"<testsuite>\n" + cases + b"</testsuite>\n"], max_lines=40)
    assert len(excerpt.text.splitlines()) <= 40
    assert excerpt.text.startswith("FAILURE: t0\nm\nframe")


@pytest.mark.parametrize("data", [b"not xml at all", b"<testsuite><testcase>", b""])
def test_malformed_xml_is_a_clear_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="JUnit XML"):
        extract_from_junit([data])


def test_a_report_cut_short_keeps_the_failures_it_had() -> None:
    cut = REPORT[: REPORT.index(b'<testcase classname="shop.CartTest" name="empties"') + 20]
    excerpt = extract_from_junit([cut])
    assert excerpt.text.startswith("FAILURE: shop.CartTest.totals")


def test_entity_declarations_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;">]>'
        b"<testsuite>&b;</testsuite>"
    )
    with pytest.raises(InputError, match="entity"):
        extract_from_junit([bomb])
