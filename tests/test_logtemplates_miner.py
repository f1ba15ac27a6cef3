"""The online template miner on small logs of the usual kinds, its state and rarity."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from knownfix.core.logtemplates import MinerConfig, TemplateMiner, rarity
from knownfix.core.logtemplates.batch import assign_lines, learn_lines, messages
from knownfix.errors import InputError


def mine(lines: list[str]) -> dict[str, list[int]]:
    """Two passes; the final template of each group -> the 0-based indexes of its lines."""
    miner = TemplateMiner()
    learn_lines(miner, lines)
    groups: dict[str, list[int]] = defaultdict(list)
    ids: dict[str, str] = {}
    for item in assign_lines(miner, lines):
        groups[item.template].append(item.line - 1)
        assert ids.setdefault(item.template, item.cluster) == item.cluster
    return dict(groups)


SSHD = [
    "Invalid user oracle from 203.0.113.5 port 41812",
    "Invalid user admin from 198.51.100.23 port 52001",
    "Invalid user postgres from 192.0.2.44 port 60311",
    "Invalid user test9 from 192.0.2.45 port 60312",
    "pam_unix(sshd:session): session opened for user deploy by (uid=0)",
    "pam_unix(sshd:session): session closed for user deploy",
    "pam_unix(sshd:session): session opened for user backup by (uid=0)",
    "pam_unix(sshd:session): session closed for user backup",
    "pam_unix(sshd:session): session opened for user ci by (uid=0)",
    "pam_unix(sshd:session): session closed for user ci",
    "Failed password for root from 203.0.113.5 port 41990 ssh2",
    "Failed password for root from 203.0.113.6 port 41991 ssh2",
]


def test_sshd_users_are_variables_but_verbs_are_not() -> None:
    assert mine(SSHD) == {
        "Invalid user <*> from <*> port <*>": [0, 1, 2, 3],
        "pam_unix(sshd:session): session opened for user <*> by (uid=<*>)": [4, 6, 8],
        "pam_unix(sshd:session): session closed for user <*>": [5, 7, 9],
        "Failed password for root from <*> port <*>": [10, 11],
    }


def test_hdfs_like_block_ids_and_addresses() -> None:
    lines = [
        "Receiving block blk_-1608999687919862906 src: /10.250.19.12:54106 dest: /10.250.1.2:50010",
        "Receiving block blk_7503483334202473044 src: /10.251.215.16:55695 dest: /10.251.2.3:50010",
        "PacketResponder 1 for block blk_-1608999687919862906 terminating",
        "PacketResponder 2 for block blk_7503483334202473044 terminating",
        "Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6",
        "Received block blk_7503483334202473044 of size 233217 from /10.251.215.16",
    ]
    assert mine(lines) == {
        "Receiving block <*> src: <*> dest: <*>": [0, 1],
        "PacketResponder <*> for block <*> terminating": [2, 3],
        "Received block <*> of size <*> from <*>": [4, 5],
    }


def test_java_app_log_with_a_stack_trace() -> None:
    lines = [
        "Order 100231 created for customer 5521 (3 items, total 59.90 EUR)",
        "Order 100232 created for customer 871 (1 items, total 12.00 EUR)",
        "Payment for order 100233 failed: connection refused",
        "java.net.ConnectException: Connection refused",
        "\tat com.example.shop.payment.PaymentClient.charge(PaymentClient.java:88)",
        "Payment for order 100234 failed: connection refused",
        "java.net.ConnectException: Connection refused",
        "\tat com.example.shop.payment.PaymentClient.charge(PaymentClient.java:91)",
        "Slow request GET /api/orders/100231 took 1250 ms",
        "Slow request GET /api/customers/5521 took 2210 ms",
    ]
    assert mine(lines) == {
        "Order <*> created for customer <*> (<*> items, total <*> EUR)": [0, 1],
        "Payment for order <*> failed: connection refused": [2, 5],
        "java.net.ConnectException: Connection refused": [3, 6],
        "at com.example.shop.payment.PaymentClient.charge(<*>)": [4, 7],
        "Slow request GET <*> took <*>": [8, 9],
    }


def test_nginx_access_log_methods_stay_apart() -> None:
    lines = [
        '203.0.113.9 - - [03/Mar/2024:10:01:02 +0000] "GET /api/items?page=2 HTTP/1.1" 200 5120 '
        '"-" "curl/8.5.0"',
        '203.0.113.9 - - [03/Mar/2024:10:01:03 +0000] "GET /api/items?page=3 HTTP/1.1" 200 4988 '
        '"-" "curl/8.5.0"',
        '192.0.2.14 - - [03/Mar/2024:10:01:13 +0000] "GET /healthz HTTP/1.1" 200 2 "-" '
        '"kube-probe/1.29"',
        '198.51.100.7 - - [03/Mar/2024:10:01:04 +0000] "POST /api/orders HTTP/1.1" 201 311 "-" '
        '"curl/8.5.0"',
    ]
    groups = mine(lines)
    assert groups['<*> - - [<*>] "GET <*>" <*> "-" "<*>"'] == [0, 1, 2]
    assert groups['<*> - - [<*>] "POST <*>" <*> "-" "<*>"'] == [3]


def test_kubernetes_structured_fields_quoted_values_are_values() -> None:
    lines = [
        '"SyncLoop ADD" source="api" pods=["shop/web-7d4b9c8f6d-x2kq9"]',
        '"SyncLoop ADD" source="api" pods=["shop/worker-5f6c7d8b9-abcde"]',
        '"Probe failed" probeType="Readiness" pod="shop/api-6b7c-qwert" output="statuscode: 503"',
        '"Probe failed" probeType="Liveness" pod="shop/api-6b7c-zxcvb" output="statuscode: 500"',
        '"Killing container with a grace period" pod="shop/api-6b7c-qwert" gracePeriod=30',
    ]
    assert mine(lines) == {
        '"SyncLoop ADD" source="<*>" pods=["<*>"]': [0, 1],
        '"Probe failed" probeType="<*>" pod="<*>" output="<*>"': [2, 3],
        '"Killing container with a grace period" pod="<*>" gracePeriod=<*>': [4],
    }


def test_a_value_with_structure_joins_the_template() -> None:
    # Chunk-level fit: "<*>," also takes "LOCAL(127.127.1.0)," and "wpad:80" fits "<*>".
    lines = [
        "synchronized to 10.0.0.1, stratum 2",
        "synchronized to 10.0.0.2, stratum 3",
        "synchronized to LOCAL(127.127.1.0), stratum 10",
    ]
    assert mine(lines) == {"synchronized to <*>, stratum <*>": [0, 1, 2]}


def test_add_reports_new_clusters_and_keeps_ids_stable() -> None:
    miner = TemplateMiner()
    first = miner.add("session closed for user alice")
    assert (first.cluster_id, first.is_new) == ("T1", True)
    assert miner.add("session closed for user alice") == (
        "T1",
        "session closed for user alice",
        False,
    )
    miner.add("session closed for user bob")
    merged = miner.add("session closed for user carol")
    # The third user made the user a variable: all three merged into the oldest cluster.
    assert merged == ("T1", "session closed for user <*>", False)
    assert miner.cluster("T2") == miner.cluster("T1") == ("T1", "session closed for user <*>", 4)
    assert miner.templates() == [("T1", "session closed for user <*>", 4)]
    assert miner.cluster("T99") is None
    assert miner.cluster("nonsense") is None


def test_match_does_not_learn() -> None:
    miner = TemplateMiner()
    miner.add("disk sda1 is full")
    assert miner.match("disk sda2 is full") == ("T1", "disk <*> is full", False)
    assert miner.match("cpu is hot") is None
    assert miner.lines == 1
    assert miner.templates() == [("T1", "disk <*> is full", 1)]


def test_state_round_trip_through_json() -> None:
    miner = TemplateMiner(MinerConfig(variable_threshold=2))
    for line in SSHD:
        miner.add(line)
    state = json.loads(json.dumps(miner.to_state()))
    restored = TemplateMiner.from_state(state)
    assert restored.templates() == miner.templates()
    assert restored.config == miner.config
    assert restored.lines == miner.lines
    for line in SSHD:
        assert restored.match(line) == miner.match(line)
    assert restored.to_state() == state
    # Learning goes on from where it stopped, ids included.
    assert (
        restored.add("Invalid user guest from 192.0.2.1 port 1").cluster_id
        == miner.add("Invalid user guest from 192.0.2.1 port 1").cluster_id
    )


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ([], "state must be an object"),
        ({"version": 99}, "version 99 is not supported"),
        ({"version": 1, "clusters": "x"}, "clusters must be a list"),
        ({"version": 1, "next_number": 2, "clusters": [{"number": 5}]}, "out of range"),
        (
            {
                "version": 1,
                "next_number": 2,
                "clusters": [{"number": 1, "tokens": ["a"], "spaces": [0, 1], "size": 1}],
            },
            "1 tokens but 2 space flags",
        ),
        ({"version": 1, "config": {"colour": 1}}, "bad config"),
        ({"version": 1, "config": {"variable_threshold": 1}}, "at least 2"),
    ],
)
def test_bad_state_is_an_input_error(state: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        TemplateMiner.from_state(state)  # type: ignore[arg-type]


def test_rarity_orders_new_rare_and_routine_lines() -> None:
    miner = TemplateMiner()
    for number in range(200):
        miner.add(f"heartbeat {number} ok")
    miner.add("disk sda1 is full")
    routine = rarity(miner, "heartbeat 999 ok")
    rare = rarity(miner, "disk sda1 is full")
    unseen = rarity(miner, "kernel panic - not syncing")
    assert 0.0 <= routine < 0.1 < rare < unseen == 1.0
    assert rarity(TemplateMiner(), "anything") == 1.0


def test_messages_strip_line_endings() -> None:
    lines = ["first\r\n", "second\r", "third\n", "last"]
    assert list(messages(lines)) == ["first", "second", "third", "last"]


def test_a_huge_line_is_one_token_sequence_like_any_other() -> None:
    miner = TemplateMiner()
    line = " ".join(f"word{i % 7} is fine" for i in range(10_000))
    first = miner.add(line)
    assert first.is_new
    assert miner.add(line.replace("word3", "word9")) == (first.cluster_id, first.template, False)
    assert first.template.startswith("<*> is fine <*> is fine")


def test_many_templates_are_found_back() -> None:
    # Capitalized words are not merged into variables: 600 templates, each found by its lines.
    words = [f"{a}{b}" for a in "BCDFGHJKLM" for b in "aeiouy"]
    lines = [f"{words[i % 60]} {words[(i // 60) % 60]} happened in {i} ms" for i in range(600)]
    miner = TemplateMiner()
    ids = [miner.add(line).cluster_id for line in lines]
    assert len(miner.templates()) == 600
    for line, cluster_id in zip(lines, ids, strict=True):
        found = miner.match(line)
        assert found is not None
        assert found.cluster_id == cluster_id


def test_online_ids_resolve_to_the_final_clusters() -> None:
    words = [f"{a}{b}" for a in "bcdfghjklm" for b in "aeiouy"]
    lines = [f"event {words[i % 60]} {words[(i // 60) % 60]} took {i} ms" for i in range(600)]
    miner = TemplateMiner()
    ids = [miner.add(line).cluster_id for line in lines]
    assert miner.templates() == [("T1", "event <*> <*> took <*>", 600)]
    assert {miner.cluster(i) for i in ids} == {("T1", "event <*> <*> took <*>", 600)}
