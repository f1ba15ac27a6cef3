"""Header formats: logparser-style formats compiled to a line splitter, and clear errors."""

from __future__ import annotations

import pytest

from knownfix.core.logtemplates import compile_header_format
from knownfix.errors import InputError

SYSLOG = r"<Month> <Day> <Time> <Host> <Component>(\[<Pid>\])?: <Content>"

SPLITS = [
    (
        "space separated",
        r"<Date> <Time> <Pid> <Level> <Component>: <Content>",
        "081109 203615 148 INFO dfs.DataNode: PacketResponder 1 terminating",
        {
            "Date": "081109",
            "Time": "203615",
            "Pid": "148",
            "Level": "INFO",
            "Component": "dfs.DataNode",
        },
        "PacketResponder 1 terminating",
    ),
    (
        "brackets around fields with spaces",
        r"\[<Time>\] \[<Level>\] <Content>",
        "[Sun Dec 04 04:47:44 2005] [notice] jk2_init() Found child 6725",
        {"Time": "Sun Dec 04 04:47:44 2005", "Level": "notice"},
        "jk2_init() Found child 6725",
    ),
    (
        "optional group present",
        SYSLOG,
        "Mar  3 10:01:02 web-1 sshd[1201]: Accepted publickey for deploy",
        {
            "Month": "Mar",
            "Day": "3",
            "Time": "10:01:02",
            "Host": "web-1",
            "Component": "sshd",
            "Pid": "1201",
        },
        "Accepted publickey for deploy",
    ),
    (
        "optional group absent",
        SYSLOG,
        "Mar  3 10:01:02 web-1 kernel: Linux version 6.1",
        {
            "Month": "Mar",
            "Day": "3",
            "Time": "10:01:02",
            "Host": "web-1",
            "Component": "kernel",
            "Pid": "",
        },
        "Linux version 6.1",
    ),
    (
        "pipes",
        r"<Time>\|<Component>\|<Pid>\|<Content>",
        "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
        {"Time": "20171223-22:15:29:606", "Component": "Step_LSC", "Pid": "30002312"},
        "onStandStepChanged 3579",
    ),
    (
        "first colon ends a field",
        r"<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>",
        "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:2181:Election@774] - time out",
        {
            "Date": "2015-07-29",
            "Time": "17:41:44,747",
            "Level": "INFO",
            "Node": "QuorumPeer[myid=1]/0",
            "Component": "0:0:0:2181:Election",
            "Id": "774",
        },
        "time out",
    ),
    ("content only", "<Content>", "  just a message  ", {}, "just a message"),
    (
        "line that does not fit goes whole",
        r"<Date> <Time> <Level>: <Content>",
        "\tat com.example.Foo.bar(Foo.java:12)",
        {},
        "at com.example.Foo.bar(Foo.java:12)",
    ),
]


@pytest.mark.parametrize(
    ("name", "fmt", "line", "fields", "content"), SPLITS, ids=[case[0] for case in SPLITS]
)
def test_split(name: str, fmt: str, line: str, fields: dict[str, str], content: str) -> None:
    header = compile_header_format(fmt)
    assert header.split(line) == (fields, content)


def test_fields_in_order_without_content() -> None:
    assert compile_header_format(SYSLOG).fields == (
        "Month",
        "Day",
        "Time",
        "Host",
        "Component",
        "Pid",
    )


BAD_FORMATS = [
    ("empty", "   ", "empty"),
    ("no content", "<Date> <Time>", "no <Content>"),
    ("content not last", "<Content> <Date>", "must end with <Content>"),
    ("text after content", "<Date> <Content> end", "must end with <Content>"),
    ("bad name", "<Da te> <Content>", "bad field name <Da te>"),
    ("empty name", "<> <Content>", "bad field name <>"),
    ("duplicate", "<Date> <Date> <Content>", "<Date> appears more than once"),
    ("broken pattern", r"<Date> (<Time> <Content>", "not a valid pattern"),
    ("fields run together", "<Date><Time><Content>", "separated by some text"),
]


@pytest.mark.parametrize(("name", "fmt", "message"), BAD_FORMATS, ids=[c[0] for c in BAD_FORMATS])
def test_bad_formats_say_why(name: str, fmt: str, message: str) -> None:
    with pytest.raises(InputError, match="header format") as raised:
        compile_header_format(fmt)
    assert message in str(raised.value)


def test_header_search_is_bounded() -> None:
    # A line that does not fit is given up on without trying every way to cut it.
    header = compile_header_format(SYSLOG)
    hostile = "a " * 50_000 + "[" * 10_000
    assert header.split(hostile) == ({}, hostile.strip())
