"""What policy rules read of an excerpt, and what they leave out.

Rules read each line without its CI timestamp prefix, and never the source code a compiler,
test runner or traceback quotes, package managers' warnings or a browser's own log lines
(``core/policy/evidence.py``). Rules marked ``outside_test_reports`` (the cause rules of the
default policy) also skip failing tests' names and assertion lines: a test called "handles
ECONNREFUSED" names what it checks, while what a test raised still names the cause.
"""

from __future__ import annotations

from knownfix.core.policy import FailureFacts, default_policy, load_policy, policy_to_yaml
from knownfix.core.policy.evidence import policy_text


def decide(text: str, step: str = "") -> str:
    return default_policy().decide(FailureFacts(text=text, step=step)).category


def test_a_source_line_in_a_code_frame_names_no_cause() -> None:
    # rustc quotes the dependency's code: its "Out of memory" string is not a memory failure
    text = ("error[E0407]: method `oom` is not a member of trait `Alloc`\n"
            "   --> /home/ci/.cargo/registry/src/idx/linked_list_allocator-0.5.0/src/lib.rs:139\n"
            "    |\n"
            '140 | |         panic!("Out of memory");\n'
            "    | |_____^ not a member of trait `Alloc`")
    assert decide(text) == "dependency"
    assert "Out of memory" not in policy_text(text)
    assert "error[E0407]" in policy_text(text)


def test_quoted_code_is_left_out_and_messages_kept() -> None:
    text = ("Traceback (most recent call last):\n"
            '  File "/app/client.py", line 3, in fetch\n'
            "    raise TimeoutError('connection timed out')\n"
            "ValueError: bad literal\n"
            "src/a.c:3:5: error: 'x' undeclared\n"
            "    x = timeout;\n"
            "    ^\n"
            "  > 12 |   expect(fetch()).rejects.toThrow('ECONNREFUSED')\n"
            "FILE: src/a.php\n"
            "  3 | ERROR | Missing doc comment")
    kept = policy_text(text).split("\n")
    assert kept == [
        "Traceback (most recent call last):", '  File "/app/client.py", line 3, in fetch',
        "ValueError: bad literal", "src/a.c:3:5: error: 'x' undeclared",
        "FILE: src/a.php", "  3 | ERROR | Missing doc comment",
    ]


def test_timestamps_are_still_stripped() -> None:
    line = "2024-01-01T10:00:00.1234567Z FAILED tests/a.py::t"
    assert policy_text(line) == "FAILED tests/a.py::t"


def test_warnings_and_a_browsers_own_log_are_not_evidence() -> None:
    text = ("npm WARN EBADENGINE Unsupported engine {\n"
            "warning package.json: No license field\n"
            "[9998:0503/060852.194311:ERROR:bus.cc(427)] Failed to connect to the bus: Failed "
            "to connect to socket /var/run/dbus/system_bus_socket\n"
            "  24 failing\n\n  1) editor opens a document:\n     Error: Failed to show text "
            "document far.js")
    kept = policy_text(text)
    for noise in ("EBADENGINE", "No license", "bus.cc"):
        assert noise not in kept
    assert decide(text) == "test"
    # the same messages at a tool's error level still count
    assert decide("npm ERR! code EBADENGINE\nnpm ERR! engine Unsupported engine") == (
        "configuration")
    assert decide("curl: (7) Failed to connect to localhost port 80: Connection refused") == (
        "network")


def test_a_tests_name_and_its_assertion_name_no_cause() -> None:
    cases = [
        "FAIL src/client.test.js\n  ● client › reports ECONNREFUSED as a friendly message\n\n"
        "    expect(received).toBe(expected)\n\n    Expected: \"cannot reach server\"\n"
        "    Received: \"error\"",
        "Failures:\n\n  1) Client handles Net::ReadTimeout\n     Failure/Error: "
        "expect(client.fetch).to eq(:timeout)\n\n       expected: :timeout\n"
        "            got: :ok\n\n3 examples, 1 failure",
        "FAIL: test_disk_full_message (tests.test_store.StoreTest.test_disk_full_message)\n"
        "AssertionError: 'No space left on device' != 'disk full'\n\nFAILED (failures=1)",
    ]
    for text in cases:
        assert decide(text) == "test", text


def test_what_a_test_raised_still_names_the_cause() -> None:
    pytest_error = ("FAILED tests/test_db.py::test_save - sqlalchemy.exc.OperationalError: "
                    "connection to server at \"localhost\", port 5432 failed: Connection refused\n"
                    "1 failed, 3 passed in 0.4s")
    rspec_error = ("  1) Client fetches the page\n     Failure/Error: visit '/'\n\n"
                   "     Errno::ECONNREFUSED:\n       Connection refused - connect(2) for "
                   "\"api.example.org\" port 443\n\n3 examples, 1 failure")
    assert decide(pytest_error) == "database"
    assert decide(rspec_error) == "network"
    # a go test's message carries the error it got: a host it could not reach is network
    go_error = ("--- FAIL: TestFetch (0.01s)\n    fetch_test.go:12: Get(\"https://example.org\") "
                "= dial tcp: lookup example.org: no such host, want nil\nFAIL")
    assert decide(go_error) == "network"


def test_outside_test_reports_is_a_rule_option_that_round_trips() -> None:
    document = ("version: 1\nname: p\nrules:\n  - name: net\n    when:\n"
                "      any_regex: refused\n      outside_test_reports: true\n"
                "    then: {category: network}\n  - name: tests\n    when:\n"
                "      any_regex: failing\n    then: {category: test}\n")
    policy = load_policy(document)
    assert policy.rules[0].when.outside_test_reports
    assert load_policy(policy_to_yaml(policy)) == policy
    title = "  1) client\n       retries when the connection is refused:\n  1 failing"
    assert policy.decide(FailureFacts(text=title)).category == "test"
    raised = "  1 failing\n  1) client:\n     Error: connect ECONNREFUSED, refused"
    assert policy.decide(FailureFacts(text=raised)).category == "network"


def test_a_guard_reads_the_whole_excerpt_under_outside_test_reports() -> None:
    """``not_regex`` rules a cause out by context (a failing test's name), so it reads the
    excerpt with the test reports a rule marked ``outside_test_reports`` looks past."""
    document = ("version: 1\nname: p\nrules:\n  - name: crash\n    when:\n"
                "      any_regex: 'SIGSEGV'\n      outside_test_reports: true\n"
                "      not_regex: '--- FAIL: '\n    then: {category: crash}\n")
    policy = load_policy(document)
    in_a_test = "--- FAIL: TestParse (0.00s)\n[signal SIGSEGV: segmentation violation]"
    assert policy.decide(FailureFacts(text=in_a_test)).category == "unknown"
    alone = "[signal SIGSEGV: segmentation violation]\nexit status 2"
    assert policy.decide(FailureFacts(text=alone)).category == "crash"


def test_docker_buildkit_step_prefixes_are_looked_past() -> None:
    text = ("#8 [4/4] RUN flake8 app\n#8 0.912 app/cart.py:1:1: F401 'os' imported but unused\n"
            '#8 ERROR: process "/bin/sh -c flake8 app" did not complete successfully: exit code: 1')
    assert "app/cart.py:1:1: F401 'os' imported but unused" in policy_text(text).split("\n")
    assert decide(text) == "lint"


def test_an_exunit_report_under_its_numbered_title_is_kept() -> None:
    text = ("  1) test creates a user (App.UserTest)\n     test/user_test.exs:5\n"
            '     ** (Postgrex.Error) ERROR 42P01 (undefined_table) relation "users" does not '
            "exist\n     stacktrace:\n       (ecto_sql 3.10.1) lib/ecto/adapters/sql.ex:1047\n\n"
            "Finished in 0.1 seconds\n3 tests, 1 failure")
    assert decide(text) == "database"


def test_a_harness_printing_its_settings_as_data_names_no_cause() -> None:
    # mozharness logs each command it retries with the error patterns it will watch for
    dump = ("21:19:37     INFO - retry: Calling run_command with args: [['pip', 'install', "
            "'six==1.16.0']], kwargs: {'error_list': [{'substr': 'command not found', 'level': "
            "'error'}, {'substr': 'Traceback (most recent call last)', 'level': 'error'}], "
            "'cwd': '/builds/worker'}")
    failure = ("REFTEST TEST-UNEXPECTED-FAIL | layout/reftests/a.html == layout/reftests/a-ref"
               ".html | image comparison, max difference: 255")
    kept = policy_text(f"{dump}\n{failure}")
    assert "command not found" not in kept
    assert "TEST-UNEXPECTED-FAIL" in kept
    assert decide(f"{dump}\n{failure}") == "test"
    assert decide(dump) == "unknown"


def test_a_report_about_a_mapping_is_still_evidence() -> None:
    # a verdict before the mapping: the line reports on the data, it is no settings dump
    line = "E       AssertionError: assert {'a': 1, 'b': 2, 'c': 3} == {'a': 1, 'b': 2, 'c': 4}"
    assert policy_text(line) == line
    message = "KeyError raised while reading {'host': 'db', 'port': 5432, 'user': 'ci'}"
    assert policy_text(message) == message
    # fewer keys than a settings dump has: a message quoting one small mapping
    small = "INFO - Using env: {'LANG': 'C', 'HOME': '/root'}"
    assert policy_text(small) == small
