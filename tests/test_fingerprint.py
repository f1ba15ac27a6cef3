"""Fingerprints: titles per ecosystem, same failure -> same fingerprints, different failures ->
different ones, loose groups more than strict, reasons, and properties."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.signature.fingerprint import FINGERPRINT_VERSION, fingerprint_excerpt

PYTHON = """\
Traceback (most recent call last):
  File "/home/travis/build/acme/shop/app.py", line 12, in <module>
    main()
  File "/home/travis/build/acme/shop/app.py", line 8, in main
    import requests
ModuleNotFoundError: No module named 'requests'
The command "python app.py" exited with 1."""

PYTHON_CHAINED = """\
Traceback (most recent call last):
  File "/srv/app/config.py", line 3, in load
    value = data["port"]
KeyError: 'port'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/app/main.py", line 5, in <module>
    raise ValueError("bad config in /srv/app/settings.toml")
ValueError: bad config in /srv/app/settings.toml"""

PYTEST = """\
_________________________________ test_add _________________________________
    def test_add():
>       assert add(1, 2) == 4
E       assert 3 == 4
E        +  where 3 = add(1, 2)
tests/test_math.py:5: AssertionError
========================= short test summary info ==========================
FAILED tests/test_math.py::test_add - assert 3 == 4
===================== 1 failed, 3 passed in 0.12s ========================="""

JAVA = """\
Exception in thread "main" java.lang.IllegalStateException: Pool exhausted after 30000ms
\tat com.acme.db.Pool.acquire(Pool.java:88)
\tat com.acme.App.main(App.java:12)
Caused by: java.net.ConnectException: Connection refused (Connection refused)
\tat java.base/sun.nio.ch.Net.connect0(Native Method)
\t... 5 more"""

GO = """\
--- FAIL: TestParse (0.00s)
panic: runtime error: index out of range [5] with length 3 [recovered]

goroutine 7 [running]:
testing.tRunner.func1.2({0x10a3c40, 0xc000016018})
\t/usr/local/go/src/testing/testing.go:1526 +0x24e
main.parse(...)
\t/home/runner/work/app/parse.go:14 +0x1d
exit status 2
FAIL\texample.com/app\t0.012s"""

RUST = """\
   Compiling app v0.1.0 (/home/runner/work/app)
error[E0308]: mismatched types
 --> src/main.rs:4:18
  |
4 |     let x: i32 = "five";
  |            ---   ^^^^^^ expected `i32`, found `&str`
  |            |
  |            expected due to this

error: aborting due to previous error
error: could not compile `app` due to previous error"""

RUST_PANIC = """\
thread 'main' panicked at src/main.rs:2:5:
called `Option::unwrap()` on a `None` value
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"""

NODE = """\
/home/runner/work/app/index.js:3
  const x = undefined.map(y => y);
                      ^

TypeError: Cannot read properties of undefined (reading 'map')
    at Object.<anonymous> (/home/runner/work/app/index.js:3:23)
    at Module._compile (node:internal/modules/cjs/loader:1256:14)
Node.js v18.17.1"""

TSC = """\
src/api.ts(12,5): error TS2345: Argument of type 'string' is not assignable to parameter.
npm ERR! code ELIFECYCLE
npm ERR! errno 2"""

GCC = """\
gcc -O2 -c src/io.c -o build/io.o
src/io.c:41:10: fatal error: zlib.h: No such file or directory
   41 | #include <zlib.h>
      |          ^~~~~~~~
compilation terminated.
make: *** [Makefile:12: build/io.o] Error 1"""

CSHARP = (
    r"C:\agent\_work\1\s\src\App\Program.cs(10,17): error CS0246: "
    "The type or namespace name 'Foo' could not be found"
)

RUBY = """\
app.rb:3:in `greet': undefined method `upcase' for nil:NilClass (NoMethodError)
\tfrom app.rb:7:in `<main>'"""

MAVEN = """\
[INFO] BUILD FAILURE
[ERROR] /home/travis/build/acme/api/src/main/java/Foo.java:[12,5] cannot find symbol
[ERROR] -> [Help 1]"""

NPM = """\
npm ERR! code ERESOLVE
npm ERR! ERESOLVE unable to resolve dependency tree
npm ERR! A complete log of this run can be found in:"""

SHELL = """\
./deploy.sh: line 4: kubectl: command not found
Error: Process completed with exit code 127."""

JEST = """\
  ● Cart › adds an item

    expect(received).toBe(expected) // Object.is equality
    Expected: 3
    Received: 2"""

# (name, excerpt, expected title, the rule the title came from)
TITLES = [
    ("python", PYTHON, "ModuleNotFoundError: No module named 'requests'", "exception"),
    ("python-chained", PYTHON_CHAINED, "ValueError: bad config in <path>/settings.toml",
     "exception"),
    ("pytest", PYTEST, "assert <num> == <num>", "pytest-error-line"),
    ("java", JAVA, 'Exception in thread "main" java.lang.IllegalStateException: '
     "Pool exhausted after <duration>", "java-exception"),
    ("go", GO, "panic: runtime error: index out of range [<num>] with length <num> [recovered]",
     "go-panic"),
    ("rust", RUST, "error[E0308]: mismatched types", "rust-error"),
    ("rust-panic", RUST_PANIC, "thread 'main' panicked at src/main.rs:<line>:<col>: "
     "called `Option::unwrap()` on a `None` value", "rust-panic"),
    ("node", NODE, "TypeError: Cannot read properties of undefined (reading 'map')", "exception"),
    ("tsc", TSC, "src/api.ts(<line>): error TS2345: Argument of type 'string' is not assignable "
     "to parameter.", "compiler-error"),
    ("gcc", GCC, "src/io.c:<line>:<col>: fatal error: zlib.h: No such file or directory",
     "compiler-error"),
    ("csharp", CSHARP, r"<path>\Program.cs(<line>): error CS0246: The type or namespace name "
     "'Foo' could not be found", "compiler-error"),
    ("ruby", RUBY, "app.rb:<line>:in `greet': undefined method `upcase' for nil:NilClass "
     "(NoMethodError)", "ruby-exception"),
    ("maven", MAVEN, "[ERROR] <path>/Foo.java:[<num>] cannot find symbol", "maven-compile"),
    ("npm", NPM, "npm ERR! code ERESOLVE", "npm-error"),
    ("shell", SHELL, "./deploy.sh: line <line>: kubectl: command not found", "shell-error"),
    ("jest", JEST, "● Cart › adds an item", "jest-failure"),
]
EXAMPLES = {name: text for name, text, _, _ in TITLES}


@pytest.mark.parametrize(("name", "excerpt", "title", "rule"), TITLES, ids=[t[0] for t in TITLES])
def test_title_is_the_error_line(name: str, excerpt: str, title: str, rule: str) -> None:
    signature = fingerprint_excerpt(excerpt)
    assert signature.title == title
    assert re.fullmatch(rf"title from excerpt line \d+ \({re.escape(rule)}\)", signature.reasons[0])


def test_title_is_not_boilerplate_or_frame() -> None:
    signature = fingerprint_excerpt(
        '  File "/x/a.py", line 3, in f\nThe command "make test" exited with 2.\nOops here\n'
    )
    assert signature.title == "Oops here"
    assert fingerprint_excerpt("Process completed with exit code 1.").title == "(empty excerpt)"


def test_title_that_announces_continues_on_the_next_line() -> None:
    signature = fingerprint_excerpt(
        "Error: \nInvalid character found in 'tour-1', use '-' for spaces\n"
        "    at checkDirName (/home/travis/build/a/b/tools/check.js:39:10)"
    )
    assert signature.title == "Error: Invalid character found in 'tour-<num>', use '-' for spaces"
    assert "title continues on excerpt line 2" in signature.reasons
    again = fingerprint_excerpt("Error: \nInvalid character found in 'tour-7', use '-' for spaces")
    assert again.loose_fingerprint == signature.loose_fingerprint
    other = fingerprint_excerpt("Error: \nInvalid character found in 'Tour', use '-' for spaces")
    assert other.loose_fingerprint != signature.loose_fingerprint


def test_signature_shape() -> None:
    signature = fingerprint_excerpt(PYTHON)
    assert signature.version == FINGERPRINT_VERSION
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", FINGERPRINT_VERSION)
    assert re.fullmatch(r"[0-9a-f]{16}", signature.fingerprint)
    assert re.fullmatch(r"[0-9a-f]{16}", signature.loose_fingerprint)
    assert signature.to_dict()["version"] == FINGERPRINT_VERSION


def test_reasons_explain_lines_and_masks() -> None:
    reasons = fingerprint_excerpt(PYTHON).reasons
    assert reasons == (
        "title from excerpt line 6 (exception)",
        "strict: 5 lines (2 frames), 2 boilerplate skipped",
        "loose: type ModuleNotFoundError + 3 message words",
        "masked: line-word×2, path-unix×2",
    )
    uuids = fingerprint_excerpt(
        "2026-11-22T01:02:03Z Error: job 123e4567-e89b-12d3-a456-426614174000 lost "
        "(retry of 0f0e0d0c-0b0a-4909-8807-060504030201) in /tmp/a/b.txt"
    ).reasons
    assert "masked: uuid×2, path-unix×1" in uuids
    assert "stripped: leading-timestamp×1" in uuids


# ---- same failure, different run -------------------------------------------------------

SAME_FAILURE = [
    (PYTHON, PYTHON.replace("/home/travis/build/acme/shop", "/Users/dev/src/shop")
     .replace("line 12", "line 14")),
    (JAVA, JAVA.replace("30000ms", "45000ms").replace("Pool.java:88", "Pool.java:91")
     .replace("... 5 more", "... 7 more")),
    (GO, GO.replace("0x10a3c40", "0x10b9e00").replace("[5]", "[9]")
     .replace("goroutine 7", "goroutine 19").replace("0.012s", "0.030s")
     .replace("+0x1d", "+0x2f")),
    ("2026-11-22T05:00:00.1234567Z Error: deploy 9fceb02 failed for job "
     "123e4567-e89b-12d3-a456-426614174000 in /tmp/pytest-of-ci/pytest-12/test_x0 after 12.3s",
     "2026-11-23T06:01:02.7654321Z Error: deploy a1b2c3d failed for job "
     "0f0e0d0c-0b0a-4909-8807-060504030201 in /tmp/pytest-of-bot/pytest-97/test_x0 after 0.8s"),
    ("\x1b[31mERROR\x1b[0m: connect to 10.0.0.12:5432 refused (attempt 3) at 0x7ffe12345678",
     "ERROR: connect to 192.168.1.200:6543 refused (attempt 11) at 0x7f00dead0001"),
    ("FileNotFoundError: [Errno 2] No such file or directory: '/tmp/tmpab12cd_x/out.json'",
     "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/tmpzz99yy_q/out.json'"),
]


@pytest.mark.parametrize(("first", "second"), SAME_FAILURE)
def test_same_failure_same_fingerprints(first: str, second: str) -> None:
    a, b = fingerprint_excerpt(first), fingerprint_excerpt(second)
    assert a.fingerprint == b.fingerprint
    assert a.loose_fingerprint == b.loose_fingerprint
    assert a.title == b.title


def test_different_failures_differ() -> None:
    signatures = [fingerprint_excerpt(text) for text in EXAMPLES.values()]
    assert len({s.fingerprint for s in signatures}) == len(signatures)
    assert len({s.loose_fingerprint for s in signatures}) == len(signatures)
    other_module = PYTHON.replace("'requests'", "'numpy'")
    assert fingerprint_excerpt(other_module).fingerprint != fingerprint_excerpt(PYTHON).fingerprint


# ---- loose: fewer, more stable parts -----------------------------------------------------

LOOSE_VARIANTS = [
    # other frames: another call site of the same failure
    PYTHON.replace("in main\n    import requests", "in boot\n    import requests as r"),
    # extra context lines around it, and no boilerplate
    "Collecting deps...\n" + PYTHON.replace('The command "python app.py" exited with 1.', "")
    + "\nUploading logs",
    # frames only, in another order, with the traceback header gone
    PYTHON.split("\n", 1)[1],
]


@pytest.mark.parametrize("variant", LOOSE_VARIANTS)
def test_loose_is_robust_to_frames_quotes_and_context(variant: str) -> None:
    base, other = fingerprint_excerpt(PYTHON), fingerprint_excerpt(variant)
    assert other.loose_fingerprint == base.loose_fingerprint
    assert other.title.startswith("ModuleNotFoundError: No module named")


def test_loose_groups_more_than_strict() -> None:
    corpus = [PYTHON, *LOOSE_VARIANTS, *EXAMPLES.values(), *(b for _, b in SAME_FAILURE)]
    signatures = [fingerprint_excerpt(text) for text in corpus]
    assert len({s.loose_fingerprint for s in signatures}) < len({s.fingerprint for s in signatures})
    for a, b in itertools.combinations(signatures, 2):
        if a.fingerprint == b.fingerprint:
            assert a.loose_fingerprint == b.loose_fingerprint


def test_loose_keeps_quoted_values_and_ignores_better_masks() -> None:
    # A quoted value says what failed: another missing module is another incident.
    assert fingerprint_excerpt(PYTHON.replace("'requests'", "'numpy'")).loose_fingerprint != (
        fingerprint_excerpt(PYTHON).loose_fingerprint)
    a = fingerprint_excerpt("AttributeError: 'NoneType' object has no attribute 'split'")
    b = fingerprint_excerpt("AttributeError: 'Response' object has no attribute 'json'")
    assert a.loose_fingerprint != b.loose_fingerprint
    # … its variable parts are masked first: the same failure with another id is one incident.
    c = fingerprint_excerpt("KeyError: 'user_123'")
    d = fingerprint_excerpt("KeyError: 'user_98'")
    assert c.loose_fingerprint == d.loose_fingerprint
    # As if a new rule masked "12 MB" as one <size>: the message's plain words do not move.
    c = fingerprint_excerpt("MemoryError: cannot allocate 12 MB for <num> rows")
    d = fingerprint_excerpt("MemoryError: cannot allocate <size> for <num> rows")
    assert c.loose_fingerprint == d.loose_fingerprint


def test_generic_titles_add_the_failing_test() -> None:
    other_test = PYTEST.replace("test_add", "test_sub")
    a, b = fingerprint_excerpt(PYTEST), fingerprint_excerpt(other_test)
    assert a.loose_fingerprint != b.loose_fingerprint
    assert "test tests/test_math.py::test_add" in a.reasons[2]


def test_source_hint_breaks_ties() -> None:
    excerpt = "error: linking failed\nsrc/a.c:3:9: error: 'x' undeclared"
    assert fingerprint_excerpt(excerpt).title == "error: linking failed"
    hinted = fingerprint_excerpt(excerpt, source_hint="make")
    assert hinted.title == "src/a.c:<line>:<col>: error: 'x' undeclared"
    assert "source hint 'make': prefer native rules" in hinted.reasons
    assert fingerprint_excerpt(excerpt, source_hint="build.log").title == "error: linking failed"


def test_empty_and_blank_excerpts() -> None:
    for text in ("", "\n\n", "   \r\n"):
        signature = fingerprint_excerpt(text)
        assert signature.title == "(empty excerpt)"
        assert signature.fingerprint == fingerprint_excerpt("").fingerprint


def test_odd_text_is_handled() -> None:
    signature = fingerprint_excerpt("\udcff\x00 RuntimeError: bad \udc80\n\x1b[0m")
    assert signature.title == "\udcff RuntimeError: bad \udc80"
    assert re.fullmatch(r"[0-9a-f]{16}", signature.fingerprint)


def test_long_title_is_cut() -> None:
    title = fingerprint_excerpt("RuntimeError: " + "word " * 200).title
    assert len(title) == 200
    assert title.endswith("…")


# ---- properties -------------------------------------------------------------------------

LINE = st.sampled_from(
    [
        "Traceback (most recent call last):", '  File "/a/b.py", line 3, in f', "    f()",
        "ValueError: bad value 3", "KeyError: 'x'", "error[E0308]: mismatched types",
        "npm ERR! code E404", "The command \"make\" exited with 2.", "", "at com.x.Y(Y.java:3)",
        "panic: boom", "Step 3/4 : RUN make", "E   assert 1 == 2", "=====", "ok",
    ]
) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=12), st.sampled_from([None, "pytest", "go", "x"]))
def test_fingerprint_is_total_and_deterministic(lines: list[str], hint: str | None) -> None:
    text = "\n".join(lines)
    first = fingerprint_excerpt(text, source_hint=hint)
    assert first == fingerprint_excerpt(text, source_hint=hint)
    assert first.title
    assert len(first.title) <= 200


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=10), st.lists(st.integers(0, 10), max_size=4))
def test_blank_and_boilerplate_lines_change_nothing(lines: list[str], spots: list[int]) -> None:
    noisy = list(lines)
    for spot in spots:
        noisy.insert(min(spot, len(noisy)), "Process completed with exit code 1.")
        noisy.insert(min(spot, len(noisy)), "")
    a, b = fingerprint_excerpt("\n".join(lines)), fingerprint_excerpt("\r\n".join(noisy))
    assert (a.title, a.fingerprint, a.loose_fingerprint) == (b.title, b.fingerprint,
                                                              b.loose_fingerprint)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(["/home/a", "/tmp/x/y"]))
def test_numbers_and_paths_do_not_move_fingerprints(n: int, m: int, home: str) -> None:
    template = "Error {0}: cannot open {2}/data.db (after {1} retries)\n  at db.open(Db.java:{0})"
    a = fingerprint_excerpt(template.format(1, 2, "/srv"))
    b = fingerprint_excerpt(template.format(n, m, home))
    assert (a.fingerprint, a.loose_fingerprint) == (b.fingerprint, b.loose_fingerprint)


# ---- loose (2026-11-23): names, other error lines, generic titles -----------------------------

def test_loose_keeps_different_names_apart() -> None:
    a = fingerprint_excerpt("There was 1 failure: 1) Form_validation_test::test_valid_date")
    b = fingerprint_excerpt("There was 1 failure: 1) Inflector_helper_test::test_plural")
    again = fingerprint_excerpt("There was 2 failure: 7) Form_validation_test::test_valid_date")
    assert a.loose_fingerprint != b.loose_fingerprint
    assert a.loose_fingerprint == again.loose_fingerprint
    assert "1 name" in a.reasons[2]
    paths = [fingerprint_excerpt(f"bash: line 3: /home/u/{d}/install-jdk.sh: No such file")
             for d in ("a", "b/c")]
    assert paths[0].loose_fingerprint == paths[1].loose_fingerprint


def test_other_error_lines_join_the_loose_fingerprint() -> None:
    base = "ValueError: bad config\nKeyError: 'port'"
    other = "ValueError: bad config\nTypeError: cannot add"
    loose = fingerprint_excerpt(base).loose_fingerprint
    assert fingerprint_excerpt(other).loose_fingerprint != loose
    repeated = "ValueError: bad config\nKeyError: 'port'\n  at load()\nKeyError: 'port'"
    assert fingerprint_excerpt(repeated).loose_fingerprint == loose
    assert "+ 1 other error line" in fingerprint_excerpt(base).reasons[2]
    # Since 2026-12-08 the quoted values of other error lines count too: another key, another
    # failure. 2026-12-07 (replayed) did not tell them apart.
    host = "ValueError: bad config\nKeyError: 'host'"
    assert fingerprint_excerpt(host).loose_fingerprint != loose
    older = [fingerprint_excerpt(text, version="2026-12-07").loose_fingerprint
             for text in (base, host)]
    assert older[0] == older[1]


@pytest.mark.parametrize(
    "title", ["3 failing", "Error: One or more errors occurred.", "Error: unit tests failed"]
)
def test_generic_titles_take_what_follows(title: str) -> None:
    first = fingerprint_excerpt(f"{title}\n  1) Cart total is wrong\n  expected 'sum' got 'nan'")
    second = fingerprint_excerpt(f"{title}\n  1) Checkout is slow\n  expected 'fast' got 'slow'")
    rerun = fingerprint_excerpt(f"{title}\n  2) Cart total is wrong\n  expected 'sum' got 'nan'")
    assert first.loose_fingerprint != second.loose_fingerprint
    assert first.loose_fingerprint == rerun.loose_fingerprint
    assert "(generic title)" in first.reasons[2]


def test_reasons_cite_log_lines_when_given() -> None:
    count = PYTHON.count("\n") + 1
    numbers = list(range(100, 100 + count))
    reasons = fingerprint_excerpt(PYTHON, line_numbers=numbers).reasons
    assert reasons[0] == "title from log line 105 (exception)"
    # the mapping only names lines: the fingerprints do not depend on where the excerpt sat
    assert fingerprint_excerpt(PYTHON, line_numbers=numbers).fingerprint == (
        fingerprint_excerpt(PYTHON).fingerprint
    )


# ---- loose (2026-12-06): a token standing alone is the subject of a parser's message ---------

def test_loose_keeps_a_lone_bracket_or_semicolon() -> None:
    frame = "\n    at createScript (vm.js:{}:10)"
    open_paren = fingerprint_excerpt("SyntaxError: Unexpected token (" + frame.format(80))
    close_paren = fingerprint_excerpt("SyntaxError: Unexpected token )" + frame.format(80))
    again = fingerprint_excerpt("SyntaxError: Unexpected token (" + frame.format(99))
    assert open_paren.loose_fingerprint != close_paren.loose_fingerprint
    assert open_paren.loose_fingerprint == again.loose_fingerprint
    # brackets that belong to words are not words of their own
    assert fingerprint_excerpt("Error: bad input (see log)").loose_fingerprint == (
        fingerprint_excerpt("Error: bad input see log").loose_fingerprint
    )


# ---- titles are the failure's own message ---------------------------------------------------

TITLE_CASES = [
    # (case, excerpt, expected title)
    ("service manager header",
     "● web.service - Shop web app\n     Loaded: loaded (/etc/systemd/system/web.service)\n"
     "     Active: failed (Result: exit-code) since Mon 2026-12-07 10:00:00 UTC\n"
     "Dec 07 10:00:00 host web[812]: OSError: [Errno 98] Address already in use",
     "OSError: [Errno 98] Address already in use"),
    ("command echo with grep",
     "$ journalctl -u web | grep -i error\nweb[812]: ERROR: could not bind socket",
     "web[<num>]: ERROR: could not bind socket"),
    ("set -x trace",
     "+ make check-errors\nsrc/a.c:3:9: error: 'x' undeclared",
     "src/a.c:<line>:<col>: error: 'x' undeclared"),
    ("progress line",
     "Downloading error-prone-2.3.jar (45%)\n[=====>      ] 45%\n"
     "Could not transfer artifact com.acme:lib:jar:2.0",
     "Could not transfer artifact com.acme:lib:jar:<num>"),
    ("timing lines of a task runner",
     "[05:26:23] Finished 'build:docs' after 1.14 s\n[05:26:24] Starting 'build'...\n\n"
     "  Package size limit has exceeded by 934 B\n  Package size: 103.91 KB",
     "Package size limit has exceeded by <size>"),
    ("make directory chatter",
     "make[2]: Leaving directory '/build/t'\nflag provided but not defined: -trace2_event_file",
     "flag provided but not defined: -trace2_event_file"),
    ("lua traceback",
     "fail: [string \"bundle:libs/codec.lua\"]:12: No such hash: 3f2a1b9c8d7e\n"
     "stack traceback:\n\t[C]: in function 'assert'\n"
     "\t[string \"bundle:libs/codec.lua\"]:40: in function 'readAs'",
     "fail: [string \"bundle:libs/codec.lua\"]:<num>: No such hash: <hex>"),
]


# 2026-12-10: a checker's count of its findings yields to the findings; runners' test lines
TITLE_CASES += [
    ("ruff finding over its count",
     "$ ruff check .\nsrc/shop/cart.py:3:8: F401 [*] `os` imported but unused\nFound 1 error.\n"
     "[*] 1 fixable with the `--fix` option.",
     "src/shop/cart.py:<line>:<col>: F401 [*] `os` imported but unused"),
    ("rubocop offense over its count",
     "Offenses:\n\napp/cart.rb:12:5: C: Style/GuardClause: Use a guard clause.\n\n"
     "42 files inspected, 1 offense detected",
     "app/cart.rb:<line>:<col>: C: Style/GuardClause: Use a guard clause."),
    ("checkstyle violation over its count",
     "[WARN] src/main/java/A.java:3:8: Unused import - java.util.List. [UnusedImports]\n"
     "[INFO] You have 1 Checkstyle violation.",
     "A.java:<line>:<col>: Unused import - java.util.List. [UnusedImports]"),
    ("yarn's coded message over its commentary",
     "➤ YN0000: ┌ Resolution step\n➤ YN0028: │ The lockfile would have been modified by this "
     "install, which is explicitly forbidden.\n➤ YN0000: Failed with errors in 0s 415ms",
     "The lockfile would have been modified by this install, which is explicitly forbidden."),
    ("vitest test over its tally",
     "❯ src/cart.test.ts (12 tests | 1 failed) 21ms\n   × cart > applies discount\n"
     "     → expected 90 to be 85\n Test Files  1 failed | 1 passed (2)",
     "× cart > applies discount"),
    ("docker's pull note is an aside",
     "Unable to find image 'node:20' locally\ndocker: Error response from daemon: "
     "toomanyrequests: You have reached your pull rate limit.",
     "toomanyrequests: You have reached your pull rate limit."),
]


def test_older_strategies_replay_the_titles_they_gave() -> None:
    # 2026-12-10 changed these titles; an incident 2026-12-09 opened is still found through
    # the fingerprint that strategy gives (see compat_loose_fingerprints).
    text = "src/shop/cart.py:3:8: F401 [*] `os` imported but unused\nFound 1 error."
    old = fingerprint_excerpt(text, version="2026-12-09")
    assert old.title == "Found <num> error."
    assert fingerprint_excerpt(text).title.endswith("F401 [*] `os` imported but unused")
    assert fingerprint_excerpt(text).loose_fingerprint != old.loose_fingerprint


@pytest.mark.parametrize(("case", "text", "title"), TITLE_CASES,
                         ids=[case for case, _, _ in TITLE_CASES])
def test_the_title_is_the_failures_own_message(case: str, text: str, title: str) -> None:
    assert fingerprint_excerpt(text).title.endswith(title), case


def test_an_excerpt_of_asides_only_still_has_a_title() -> None:
    assert fingerprint_excerpt("$ make test").title == "$ make test"


# ---- 2026-12-08: quoted values are literals; Ruby backtraces are frames ----------------------

def test_quoted_values_keep_their_case() -> None:
    title = "** (RuntimeError) Line does not match format: '{}' Is there a dot at the end?"
    values = ("[Runhyve] - VMs", "[runhyve] - VMs")
    upper, lower = (fingerprint_excerpt(title.format(v)) for v in values)
    assert upper.loose_fingerprint != lower.loose_fingerprint
    older = [fingerprint_excerpt(title.format(v), version="2026-12-07").loose_fingerprint
             for v in values]
    assert older[0] == older[1]


RAKE = (
    "rake aborted!\n"
    "No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)\n"
    "{trace}\n"
    "(See full trace by running task with --trace)"
)


@pytest.mark.parametrize(
    "trace",
    [
        "/home/travis/.rvm/gems/ruby-2.2.5/bin/ruby_executable_hooks:15:in `eval'\n"
        "/home/travis/.rvm/gems/ruby-2.2.5/bin/ruby_executable_hooks:15:in `<main>'",
        "/home/travis/.rvm/gems/ruby-2.4.1@global/gems/rake-12.0.0/exe/rake:27:in "
        "`<top (required)>'",
        "from /usr/lib/ruby/rake.rb:3:in `run'",
    ],
)
def test_ruby_backtrace_lines_are_frames(trace: str) -> None:
    # rake prints its backtrace without "from", in files without an extension: another Ruby
    # version or install path is the same failure.
    base = fingerprint_excerpt(RAKE.format(trace="from /usr/lib/ruby/rake.rb:3:in `run'"))
    other = fingerprint_excerpt(RAKE.format(trace=trace))
    assert other.loose_fingerprint == base.loose_fingerprint
    assert "(1 frame)" in base.reasons[1]
    # … but a Ruby exception line is still a title, not a frame.
    raised = fingerprint_excerpt("app.rb:3:in `run': undefined method `x' (NoMethodError)")
    assert raised.title.endswith("(NoMethodError)")
    assert "(0 frames)" in raised.reasons[1]


TALLIES = [
    ("17 doctests, 659 tests, 1 failure", "17 doctests, 656 tests, 1 failure, 3 excluded"),
    ("Tests run: 5, Failures: 1, Errors: 0", "Tests run: 7, Failures: 1, Errors: 0, Skipped: 2"),
    ("Tests: 1 failed, 4 passed, 5 total", "Tests: 1 failed, 1 skipped, 9 passed, 11 total"),
    ("test result: FAILED. 3 passed; 1 failed",
     "test result: FAILED. 3 passed; 1 failed; 2 ignored"),
    ("Nancy.Tests  Total: 151, Errors: 0, Failed: 1", "Nancy.Tests  Total: 150, Failed: 1"),
]


@pytest.mark.parametrize(("tally", "other_tally"), TALLIES)
def test_a_test_runs_tally_is_an_aside(tally: str, other_tally: str) -> None:
    # It counts failures without naming one, and the counters a runner prints vary by run.
    failure = "  1) test adapters start (EndpointTest)\n     ** (RuntimeError) connection refused\n"
    a, b = fingerprint_excerpt(failure + tally), fingerprint_excerpt(failure + other_tally)
    assert a.loose_fingerprint == b.loose_fingerprint
    assert a.title == "** (RuntimeError) connection refused"
    older = [fingerprint_excerpt(failure + t, version="2026-12-07") for t in (tally, other_tally)]
    assert older[0].loose_fingerprint != older[1].loose_fingerprint
    # A tally alone still titles its excerpt.
    assert "(test-tally)" in fingerprint_excerpt(tally).reasons[0]
    # A tally that names the failing class is a title line, not an aside.
    surefire = "Tests run: 3, Failures: 1, Time elapsed: 0.5 s <<< FAILURE! - in com.x.CartTest"
    assert "CartTest" in fingerprint_excerpt(surefire).title


def test_assertion_operands_tell_failures_apart() -> None:
    text = ("  1) test does not log errors (RenderErrorsTest)\n     Assertion with == failed\n"
            "     left:  \"{}\"\n     right: \"\"")
    a = fingerprint_excerpt(text.format("[info] Access Endpoint at http://localhost"))
    b = fingerprint_excerpt(text.format("[info] Plug.SSL is redirecting GET / to https://x.org"))
    again = fingerprint_excerpt(text.format("[info] Access Endpoint at http://localhost"))
    assert a.loose_fingerprint != b.loose_fingerprint
    assert a.loose_fingerprint == again.loose_fingerprint
    # Never the title while another line can be.
    assert not a.title.startswith("left")
    assert fingerprint_excerpt("Expected: 'a'\nReceived: 'b'").title == "Expected: 'a'"


# ---- versions: older strategies replay exactly, and find the incidents they opened ----------

def test_older_strategies_replay_and_give_compat_fingerprints() -> None:
    from knownfix.core.signature.fingerprint import compat_loose_fingerprints
    from knownfix.core.signature.versions import VERSIONS

    assert VERSIONS[-1] == FINGERPRINT_VERSION
    assert list(VERSIONS) == sorted(VERSIONS)
    text = "ModuleNotFoundError: No module named 'yaml'"
    current = fingerprint_excerpt(text)
    older = fingerprint_excerpt(text, version="2026-12-06")
    assert older.version == "2026-12-06"
    # 2026-12-06 left quoted values out of a specific title's loose fingerprint.
    assert older.loose_fingerprint == fingerprint_excerpt(
        text.replace("yaml", "numpy"), version="2026-12-06").loose_fingerprint
    assert older.loose_fingerprint != current.loose_fingerprint
    assert compat_loose_fingerprints(text, current) == (older.loose_fingerprint,)
    same = "RuntimeError: boom"
    assert compat_loose_fingerprints(same, fingerprint_excerpt(same)) == ()


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fingerprint version"):
        fingerprint_excerpt("x", version="1999-01-01")


# ---- 2026-12-09: a summary is a generic title; the test's and the file's names are kept -----

@pytest.mark.parametrize("summary", [
    "FAILURE: Build failed with an exception.",
    "npm ERR! Test failed.  See above for more details.",
    "rake aborted!",
    "There were test failures",
    "Error: Process exited with code: 2",
    "ERROR: One or more tests failed",
    "Errors while running CTest",
    "Compilation failed; see the compiler error output for details.",
    "There were failing tests. See the report at: file:///home/u/build/reports/index.html",
    "Command exited with non-zero status 1",
])
def test_a_summary_is_a_generic_title(summary: str) -> None:
    # It says only that a step failed: what failed is in the lines around it.
    first = fingerprint_excerpt(f"{summary}\n  in cart_spec: total is 'nan'\n  at cart.js:3")
    second = fingerprint_excerpt(f"{summary}\n  in checkout_spec: total is 'slow'\n  at cart.js:3")
    rerun = fingerprint_excerpt(f"{summary}\n  in cart_spec: total is 'nan'\n  at cart.js:9")
    assert first.loose_fingerprint != second.loose_fingerprint
    assert first.loose_fingerprint == rerun.loose_fingerprint
    assert "(generic title)" in first.reasons[2]


def test_a_summary_is_the_title_only_when_nothing_says_more() -> None:
    text = "ERROR: One or more tests failed\nTypeError: cannot read property 'x' of undefined"
    assert fingerprint_excerpt(text).title.startswith("TypeError")
    assert fingerprint_excerpt("BUILD FAILED\n").title == "BUILD FAILED"
    # A plain line says more than a summary: rake's reason is the title, not "rake aborted!".
    rake = "rake aborted!\nNo Rakefile found (looking for: rakefile, Rakefile)\n\n(See full trace)"
    assert fingerprint_excerpt(rake).title.startswith("No Rakefile found")
    # A summary followed by what it is about on the same line stays an error message.
    assert "missing foo" in fingerprint_excerpt("Build failed: missing foo").title


def test_the_failing_test_joins_whatever_the_message() -> None:
    # A message of several words ("could not interpret data type") no longer stands for the
    # test that raised it: two tests, two failures; the same test again, one.
    text = ("____ {} ____\n>   raise TypeError('x')\n"
            "E   TypeError: could not interpret data type\nsputils.py:101: TypeError")
    a = fingerprint_excerpt(text.format("test_unsorted_indices"))
    b = fingerprint_excerpt(text.format("test_show_versions"))
    assert a.loose_fingerprint == fingerprint_excerpt(text.format("test_unsorted_indices")
                                                      ).loose_fingerprint
    assert a.loose_fingerprint != b.loose_fingerprint
    assert "test test_unsorted_indices" in a.reasons[2]
    pytest_node = "FAILED tests/t.py::{} - TypeError: could not interpret data type"
    c = fingerprint_excerpt(pytest_node.format("test_a") + "\nE   TypeError: could not interpret")
    d = fingerprint_excerpt(pytest_node.format("test_b") + "\nE   TypeError: could not interpret")
    assert c.loose_fingerprint != d.loose_fingerprint
    older = [fingerprint_excerpt(pytest_node.format(t) + "\nE   TypeError: could not interpret",
                                 version="2026-12-08").loose_fingerprint for t in ("a", "b")]
    assert older[0] == older[1]


def test_a_numbered_failure_header_names_the_test() -> None:
    text = ("There was 1 failure:\n\n1) {}\nFailed asserting that two strings are equal.\n"
            "--- Expected\n+++ Actual\n/home/travis/build/o/r/tests/x.php:61")
    a = fingerprint_excerpt(text.format("Log_test::test_format_line"))
    b = fingerprint_excerpt(text.format("Inflector_helper_test::test_plural"))
    again = fingerprint_excerpt(text.format("Log_test::test_format_line").replace("61", "75"))
    assert a.title == "Failed asserting that two strings are equal."
    assert a.loose_fingerprint != b.loose_fingerprint
    assert a.loose_fingerprint == again.loose_fingerprint
    assert "test Log_test::test_format_line" in a.reasons[2]


@pytest.mark.parametrize(("one", "other"), [
    ("src/a.c:3:1: error: unused variable 'x'", "src/b.c:3:1: error: unused variable 'x'"),
    ("pkg/cart.go:3:4: undefined: total", "pkg/shop.go:3:4: undefined: total"),
    ("[ERROR] /w/src/Cart.java:[12,5] cannot find symbol", "[ERROR] /w/src/Shop.java:[12,5] "
     "cannot find symbol"),
    ("/w/src/cart.rb:12:in `total': undefined method `x' for nil:NilClass (NoMethodError)",
     "/w/src/shop.rb:12:in `total': undefined method `x' for nil:NilClass (NoMethodError)"),
    ("./src/build.sh: line 3: foo: command not found",
     "./src/deploy.sh: line 3: foo: command not found"),
])
def test_the_file_an_error_points_at_is_kept(one: str, other: str) -> None:
    a, b = fingerprint_excerpt(one), fingerprint_excerpt(other)
    assert a.loose_fingerprint != b.loose_fingerprint
    # … but not its directory, line or column
    moved = re.sub(r"\d+", "7", one).replace("src/", "lib/").replace("pkg/", "cmd/")
    assert fingerprint_excerpt(moved).loose_fingerprint == a.loose_fingerprint
    older = [fingerprint_excerpt(t, version="2026-12-08").loose_fingerprint for t in (one, other)]
    assert older[0] == older[1]


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True),
       st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True),
       st.integers(1, 9999), st.integers(1, 9999))
def test_file_names_tell_compiler_errors_apart(one: str, other: str, n: int, m: int) -> None:
    def error(name: str, line: int) -> str:
        return f"/home/u/src/{name}.c:{line}:{line % 80}: error: expected ';' before '}}' token"

    same = fingerprint_excerpt(error(one, n)).loose_fingerprint == fingerprint_excerpt(
        error(other, m)).loose_fingerprint
    assert same == (one == other)


@pytest.mark.parametrize(("template", "test"), [
    ("  1) Failure:\n{}#test_total [/x/cart_test.rb:12]:\nExpected: 1\n  Actual: 2", "CartTest"),
    ("FAIL: test_total ({})\nAssertionError: 1 != 2", "shop.tests.CartTest"),
    ("not ok 3 - {} is summed\n  got: 1", "total"),
    ("[xUnit.net 00:00:01.23]     Shop.{}.Total [FAIL]\nAssert.Equal() Failure", "CartTest"),
    ("  Failed Shop.{}.Total [12 ms]\n  Error Message:\n   Assert.Equal() Failure", "CartTest"),
    ("---- tests::{} stdout ----\nthread 'main' panicked at 'assertion failed', src/lib.rs:3:5",
     "total"),
    ("____ test_{} ____\n>   assert a == b\nE   AssertionError: assert 1 == 2", "total"),
])
def test_runners_name_the_failing_test(template: str, test: str) -> None:
    a = fingerprint_excerpt(template.format(test))
    b = fingerprint_excerpt(template.format(test + "x"))
    again = fingerprint_excerpt(re.sub(r"\d", "7", template.format(test)))  # another run
    assert a.loose_fingerprint != b.loose_fingerprint
    assert a.loose_fingerprint == again.loose_fingerprint
