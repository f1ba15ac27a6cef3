"""The words of a failure's message that fingerprinting keeps or drops: the failing test's name,
identifiers, error codes, the generic words a title made of nothing else says, and the source
hints that name a rule family. Data, like the line rules (``fingerprint_rules``)."""

from __future__ import annotations

# The failing test, when the excerpt names one: pytest node ids, Go and Jest test names,
# JUnit methods, ScalaTest. Added to the loose fingerprint when the title's message is too
# generic, and since 2026-12-09 always. (pattern, since: the fingerprint strategy that added it)
SUBJECT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(?P<subject>[\w./-]+\.py::[\w\[\]<>:.-]+)", ""),
    (r"--- FAIL: (?P<subject>\S+)", ""),
    (r"● (?P<subject>.+?)\s*$", ""),
    (r"(?P<subject>\w+\([\w.$]+Test\w*\))", ""),
    (r"(?P<subject>[\w.$]+Tests?\.\w+)", ""),
    (r"rspec (?P<subject>\S+)", ""),
    (r"- (?P<subject>.+?) \*\*\* FAILED \*\*\*", "2026-12-07"),
    # A runner's numbered failure header: PHPUnit "1) Log_test::test_format_line", ExUnit "1) test
    # sends (FooTest)", Mocha and RSpec "1) Suite does x:"
    # ("1) Failure:" and "1) Error:" of Minitest name nothing: the test is on the next line)
    (r"^\s*<num>\) (?!(?:Failure|Error):?\s*$)(?P<subject>\S.*?):?\s*$", "2026-12-09"),
    # Minitest "CartTest#test_total", unittest "FAIL: test_total (shop.tests.CartTest)", TAP
    # "not ok 3 - total is summed", xUnit "Shop.Tests.CartTest.Total [FAIL]", dotnet test
    # "Failed Shop.Tests.CartTest.Total [12 ms]"
    (r"(?P<subject>\w+#test_\w+)", "2026-12-09"),
    (r"^(?:FAIL|ERROR): (?P<subject>\w+ \([\w.]+\))", "2026-12-09"),
    (r"^not ok <num>(?: -)? (?P<subject>\S.*?)\s*$", "2026-12-09"),
    (r"(?P<subject>[\w.]+) \[FAIL\]", "2026-12-09"),
    (r"^Failed (?P<subject>[\w.]+) \[", "2026-12-09"),
    # a separator that names the failing test: pytest's "_____ test_unsorted_indices _____",
    # Rust's "---- tests::total stdout ----" (left out of the fingerprints as lines)
    (r"^_{3,} (?P<subject>\S+(?: \S+)?) _{3,}$", "2026-12-09"),
    (r"^-{3,} (?P<subject>\S+) stdout -{3,}$", "2026-12-09"),
    # CTest's failed test line, Vitest's failed test
    (r"Test #<num>: (?P<subject>\S+) \.*\s*\*\*\*", "2026-12-10"),
    (r"^× (?P<subject>\S.*?)\s*$", "2026-12-10"),
    # Gradle's failed test "com.acme.CartTest > totalIsSummed() FAILED", XCTest's "Test Case
    # '-[ShopTests.CartTests testTotal]' failed"
    (r"^(?P<subject>[\w.$]+ > \S.*?) FAILED\s*$", "2026-12-11"),
    (r"Test Case '-\[(?P<subject>[\w.]+ \w+)\]' failed", "2026-12-11"),
)

# Identifier-like tokens of a message that say *which* thing failed: a test or function name
# (``Form_validation_test::test_rule_valid_date``, ``Test_popup_beval()``), a file name
# (``install-jdk.sh``), a dotted name. A letter or digit on both sides of ``_ . : # / \ @ + -``,
# or a lower-to-upper case change; plain words and numbers are not identifiers.
IDENTIFIER_TOKEN = r"[\w$.:#/\\@+=-]+"
IDENTIFIER_INSIDE = r"[A-Za-z0-9][_.:#/\\@+-]+[A-Za-z0-9]|[a-z][A-Z]"

# Exception "types" that are only the generic suffix ("Error: ...", "Failure: ..."): they name
# no type, so a title with one of them can still be generic (see fingerprint.GENERIC_TITLE_WORDS).
BARE_TYPES = frozenset({
    "", "Error", "Exception", "Failure", "Fault", "Timeout", "Interrupt", "Exit", "NotFound",
    "Denied", "Refused",
})
# Words that say only that something failed; a title made of nothing else is generic.
FILLER_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "not", "no", "is", "are", "was", "were", "be", "been", "one", "more", "some", "any", "all",
    "each", "this", "that", "it", "its", "error", "errors", "fail", "failed", "failure",
    "failures", "failing", "exception", "exceptions", "occurred", "occur", "happened",
})

# Error codes that name a failure across runs: compiler and linter codes, errno names.
ERROR_CODE_PATTERN = (
    r"\b(?:E\d{4}|TS\d{4,5}|CS\d{4}|C\d{4}|LNK\d{4}|MSB\d{4}|NU\d{4}|SC\d{4}|PLW?\d{4}"
    r"|[A-Z]{2,6}-\d{3,5}|E(?:NOENT|ACCES|PERM|CONNREFUSED|CONNRESET|ADDRINUSE|TIMEDOUT"
    r"|RESOLVE|NOTFOUND|AI_AGAIN|EXIST|ISDIR|NOTDIR|NOSPC|MFILE|PIPE|INTEGRITY|BADENGINE"
    r"|NOTSUP|HOSTUNREACH|NETUNREACH|NOMEM|2BIG|BADF|INVAL))\b"
)

# A source hint (a tool, a language, a file name) that names a rule family: its titles win ties.
HINT_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"pytest|python|pip|tox|\.py\b|django|flask", "python"),
    (r"java|maven|mvn|gradle|kotlin|scala|jvm|junit|sbt", "jvm"),
    (r"\bgo\b|golang|go test|\.go\b", "go"),
    (r"rust|cargo|\.rs\b", "rust"),
    (r"node|npm|yarn|pnpm|jest|mocha|javascript|typescript|\bjs\b|\bts\b|webpack|vite", "js"),
    (r"gcc|clang|cmake|make|c\+\+|cpp|msbuild|dotnet|csharp|\bc#", "native"),
    (r"ruby|rspec|rake|bundle", "ruby"),
    (r"bash|shell|\bsh\b|apt|docker", "shell"),
)
