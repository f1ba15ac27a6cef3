"""The shipped default policy, tested as a table of realistic log excerpts per category.

Each category has positive excerpts (the category must win) and negative ones (that category
must not win). KNOWN_INCORRECT lists excerpts we know the default policy gets wrong, so that a
fix shows up as a test to update rather than going unnoticed.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

POSITIVE: list[tuple[str, str, str]] = [
    # (category, case name, excerpt)
    ("compile", "gcc", "src/main.c:12:5: error: 'count' undeclared (first use in this function)\n"
     "   12 |     count++;\n      |     ^~~~~"),
    ("compile", "clang-link", "Undefined symbols for architecture arm64:\n"
     '  "_foo", referenced from:\nclang: error: linker command failed with exit code 1'),
    ("compile", "rustc", "error[E0308]: mismatched types\n --> src/lib.rs:4:5\n"
     "error: could not compile `demo` (lib) due to 1 previous error"),
    ("compile", "javac", "src/main/java/App.java:7: error: cannot find symbol\n"
     "        Strin name = \"x\";\n        ^\n  symbol:   class Strin"),
    ("compile", "maven", "[ERROR] COMPILATION ERROR :\n"
     "[ERROR] /build/src/main/java/App.java:[7,9] cannot find symbol"),
    ("type-check", "tsc", "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to "
     "type 'number'."),
    ("compile", "go-build", "# example.com/app\n./main.go:9:2: undefined: fmt.Printx"),
    ("compile", "python-syntax", '  File "app.py", line 3\n    def f(:\n          ^\n'
     "SyntaxError: invalid syntax"),
    ("test", "pytest", "FAILED tests/test_api.py::test_create_user - assert 404 == 201\n"
     "========================= 1 failed, 41 passed in 3.21s ========================="),
    ("test", "pytest-assert", ">       assert response.status_code == 201\n"
     "E       assert 404 == 201"),
    ("test", "unittest", "FAIL: test_add (test_math.MathTest)\n"
     "Traceback (most recent call last):\nAssertionError: 3 != 4\n\nRan 5 tests in 0.002s\n\n"
     "FAILED (failures=1)"),
    ("test", "junit", "[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0\n"
     "[ERROR] testTotal(ShopTest)  Time elapsed: 0.01 s  <<< FAILURE!\n"
     "org.opentest4j.AssertionFailedError: expected: <10> but was: <9>"),
    ("test", "go-test", "--- FAIL: TestParse (0.00s)\n    parse_test.go:14: got 2, want 3\n"
     "FAIL\nFAIL\texample.com/parse\t0.004s"),
    ("test", "rspec", "Failures:\n\n  1) Cart totals the items\n     Failure/Error: "
     "expect(cart.total).to eq(10)\n\n3 examples, 1 failure"),
    ("test", "jest", "  ● Cart › totals the items\n\n    expect(received).toBe(expected)\n\n"
     "Tests:       1 failed, 7 passed, 8 total"),
    ("test", "phpunit", "1) CartTest::testTotal\nFailed asserting that 9 matches expected 10.\n\n"
     "FAILURES!\nTests: 4, Assertions: 6, Failures: 1."),
    ("test", "exunit", "  1) test totals the items (CartTest)\n     Assertion with == failed\n"
     "     code:  assert Cart.total(cart) == 10\n\nFinished in 0.05 seconds\n3 tests, 1 failure"),
    ("dependency", "pip", "ERROR: Cannot install app==1.0 because these package versions have "
     "conflicting dependencies.\nERROR: ResolutionImpossible: for help visit "
     "https://pip.pypa.io/en/latest/topics/dependency-resolution/"),
    ("dependency", "pip-missing", "ERROR: Could not find a version that satisfies the requirement "
     "reqeusts==2.31 (from versions: none)\nERROR: No matching distribution found for reqeusts"),
    ("dependency", "npm", "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency "
     "tree\nnpm ERR! Could not resolve dependency:\nnpm ERR! peer react@\"^17\" from x@1.0.0"),
    ("dependency", "maven", "[ERROR] Failed to execute goal on project shop: Could not resolve "
     "dependencies for project com.acme:shop:jar:1.0: Could not find artifact "
     "com.acme:lib:jar:2.0 in central"),
    ("dependency", "cargo", "error: failed to select a version for the requirement `serde = "
     '"^9.0"`\ncandidate versions found which didn\'t match: 1.0.190'),
    ("dependency", "go", "go: example.com/app imports\n\tgithub.com/acme/lib: cannot find module "
     "providing package github.com/acme/lib"),
    ("lint", "ruff", "src/app.py:1:8: F401 [*] `os` imported but unused\nFound 1 error.\n"
     "[*] 1 fixable with the `--fix` option."),
    ("lint", "flake8", "./app/models.py:14:80: E501 line too long (88 > 79 characters)\n"
     "./app/models.py:20:1: W391 blank line at end of file"),
    ("lint", "eslint", "/app/src/cart.js\n  12:7  error  'total' is assigned a value but never "
     "used  no-unused-vars\n\n✖ 1 problem (1 error, 0 warnings)"),
    ("type-check", "mypy", 'src/app.py:12: error: Argument 1 to "add" has incompatible type '
     '"str"; expected "int"  [arg-type]\nFound 1 error in 1 file (checked 8 source files)'),
    ("type-check", "pyright", '/app/src/cart.py:4:12 - error: Cannot access attribute "totl" '
     'for class "Cart" (reportAttributeAccessIssue)\n1 error, 0 warnings, 0 informations'),
    ("security", "bandit", ">> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess "
     "call with shell=True identified, security issue.\n   Severity: High   Confidence: High"),
    ("security", "safety", "-> Vulnerability found in jinja2 version 2.10\n"
     "   Vulnerability ID: 38834\n Scan was completed. 2 vulnerabilities were reported."),
    ("security", "pip-audit", "Found 2 known vulnerabilities in 1 package\nName    Version ID"
     "             Fix Versions\nurllib3 1.26.4  PYSEC-2023-192 1.26.18"),
    ("security", "npm-audit", "# npm audit report\n\nminimist  <1.2.6\nSeverity: critical\n"
     "Prototype Pollution\n\n3 vulnerabilities (1 moderate, 2 critical)"),
    ("security", "trivy", "app.tar (debian 12.1)\n\nTotal: 3 (UNKNOWN: 0, LOW: 1, MEDIUM: 1, "
     "HIGH: 1, CRITICAL: 0)\n│ libssl3 │ CVE-2023-5678 │ HIGH │"),
    ("database", "alembic", "alembic.util.exc.CommandError: Can't locate revision identified by "
     "'4f2a9c1e7b3d'"),
    ("database", "alembic-connection", "INFO  [alembic.runtime.migration] Running upgrade\n"
     "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "
     '"db" (10.0.0.5), port 5432 failed: Connection refused'),
    ("database", "flyway", "ERROR: Validate failed: Migrations have failed validation\n"
     "Migration checksum mismatch for migration version 3"),
    ("database", "psql", 'psql: error: connection to server on socket "/tmp/.s.PGSQL.5432" '
     "failed: No such file or directory"),
    ("database", "postgres-relation", 'ERROR:  relation "users" does not exist at character 15\n'
     "STATEMENT:  SELECT * FROM users"),
    ("database", "deadlock", "ERROR:  deadlock detected\nDETAIL:  Process 4121 waits for "
     "ShareLock on transaction 8812; blocked by process 4130."),
    ("network", "refused", "requests.exceptions.ConnectionError: HTTPConnectionPool(host='api', "
     "port=8080): Max retries exceeded with url: /health (Caused by NewConnectionError: "
     "Failed to establish a new connection: [Errno 111] Connection refused)"),
    ("network", "timed-out-connecting", "Error: timed out connecting to registry.acme.io:443 "
     "after 30s"),
    ("network", "dns", "curl: (6) Could not resolve host: artifacts.acme.internal"),
    ("network", "tls", "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] "
     "certificate verify failed: unable to get local issuer certificate"),
    ("network", "econnreset", "Error: read ECONNRESET\n    at TCP.onStreamRead "
     "(node:internal/stream_base_commons:217:20)"),
    ("network", "bad-gateway", "error: RPC failed; HTTP 502 curl 22 The requested URL returned "
     "error: 502"),
    ("network", "unavailable", "Response: 503 Service Unavailable from https://api.acme.io/v1"),
    ("permission", "eacces", "npm ERR! code EACCES\nnpm ERR! syscall mkdir\n"
     "npm ERR! Error: EACCES: permission denied, mkdir '/usr/lib/node_modules/x'"),
    ("permission", "denied", "bash: ./deploy.sh: Permission denied"),
    ("permission", "403", "remote: Permission to acme/app.git denied to ci-bot.\n"
     "fatal: unable to access 'https://github.com/acme/app.git/': The requested URL returned "
     "error: 403"),
    ("permission", "aws", "An error occurred (AccessDenied) when calling the PutObject "
     "operation: Access Denied"),
    ("configuration", "env-var", "KeyError: 'DATABASE_URL'\n  File \"settings.py\", line 8, in "
     "<module>\n    DATABASE_URL = os.environ['DATABASE_URL']"),
    ("dependency", "module", "ModuleNotFoundError: No module named 'yaml'"),
    ("dependency", "import", "ImportError: cannot import name 'soft_unicode' from "
     "'markupsafe'"),
    ("configuration", "command", "/home/runner/work/_temp/abc.sh: line 3: poetry: command not "
     "found\nError: Process completed with exit code 127."),
    ("configuration", "unset", "Error: AWS_REGION is not set; export it before deploying"),
    ("disk", "enospc", "OSError: [Errno 28] No space left on device: '/tmp/build/cache.bin'"),
    ("disk", "docker", "failed to register layer: write /usr/lib/libLLVM.so: no space left on "
     "device"),
    ("disk", "actions", "System.IO.IOException: There is not enough space on the disk."),
    ("memory", "oom-killed", "Out of memory: Killed process 4312 (java) total-vm:8123456kB"),
    ("memory", "killed", "Running tests...\nKilled\nError: Process completed with exit code 137."),
    ("memory", "python", "  File \"load.py\", line 9, in load\n    rows = list(reader)\n"
     "MemoryError"),
    ("memory", "java-heap", 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap '
     "space"),
    ("memory", "node-heap", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap "
     "out of memory"),
    ("timeout", "job", "##[error]The job running on runner GitHub Actions 4 has exceeded the "
     "maximum execution time of 360 minutes."),
    ("test", "pytest-timeout", "E   Failed: Timeout >30.0s\n"
     "FAILED tests/test_sync.py::test_full_sync"),
    ("timeout", "go", "panic: test timed out after 10m0s\nrunning tests:\n\tTestSync (10m0s)"),
    ("timeout", "grpc", "rpc error: code = DeadlineExceeded desc = context deadline exceeded"),
    ("timeout", "jest", "thrown: \"Exceeded timeout of 5000 ms for a test.\""),
    ("data", "jsonschema", "jsonschema.exceptions.ValidationError: 'accuracy' is a required "
     "property\n\nFailed validating 'required' in schema"),
    ("data", "json-decode", "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 "
     "(char 0)"),
    ("data", "js-json", "SyntaxError: Unexpected token < in JSON at position 0\n"
     "    at JSON.parse (<anonymous>)"),
    ("data", "checksum", "ERROR: checksum mismatch for datasets/train.parquet: expected "
     "9f2c..., got 1ab4..."),
    ("data", "schema-gate", "❌ Schema validation failed: benchmark_report.json"),
    ("drift", "detected", "Data drift detected: feature 'age' PSI=0.31 exceeds threshold 0.2"),
    ("drift", "model", "WARNING model drift alert: prediction distribution shifted (KS=0.41)"),
    ("drift", "terraform", "Error: configuration drift detected in 3 resources; run terraform "
     "apply"),
    ("performance", "tolerance", "p95 latency regression beyond tolerance: 412ms vs baseline "
     "300ms (+37%)"),
    ("performance", "criterion", "parse/large   time:   [12.4 ms 12.6 ms 12.9 ms]\n"
     "                change: [+18.2% +19.9% +21.5%] (p = 0.00 < 0.05)\n"
     "                Performance has regressed."),
    ("performance", "slower", "benchmark test_sort: 23.5% slower than baseline (tolerance 10%)"),
    ("flaky", "rerun-passed", "tests/test_net.py::test_fetch RERUN\n"
     "tests/test_net.py::test_fetch PASSED\n=========== 12 passed, 1 rerun in 4.01s ==========="),
    ("flaky", "marked", "Flaky test detected: CheckoutTest.testPayment passed on retry 2 of 3"),
    ("flaky", "intermittent", "This test fails intermittently on macOS runners (see #412)"),
    ("test", "xunit", "Shop.Tests.CartFacts.Totals_items [FAIL]\n      Assert.Equal() Failure\n"
     "      Expected: 10\n      Actual:   9"),
    ("test", "xctest", "CartTests.testTotal, XCTAssertEqual failed: (\"9\") is not equal to "
     "(\"10\")"),
    ("test", "scalatest", "[info] - totals the items *** FAILED ***\n[info]   9 did not equal 10"),
    ("test", "prove", "t/cart.t ....... Dubious, test returned 1 (wstat 256, 0x100)\n"
     "Failed 1/12 subtests"),
    ("test", "r-testthat", "Running the tests in 'tests/testthat.R' failed.\n"
     "── 1. Failure: cart totals the items (@test-cart.R#12) ──"),
    ("test", "rust-test", "thread 'cart::totals' panicked at 'assertion failed: `(left == right)`'"
     "\n\ntest result: FAILED. 11 passed; 1 failed; 0 ignored"),
    ("test", "ctest", "      Start 12: cart_totals\n12/40 Test #12: cart_totals ......***Failed    "
     "0.02 sec\ntest_cart FAILED"),
    ("compile", "sbt", "[error] /build/src/main/scala/shop/Cart.scala:12:8: not found: value "
     "totl\n[error] (Compile / compileIncremental) Compilation failed"),
    ("compile", "xcpretty", "❌  /build/Sources/Cart.swift:41:9: use of unresolved identifier "
     "'totl'"),
    ("compile", "erlang", "src/cart.erl:41: variable 'Totl' is unbound"),
    ("compile", "js-syntax", "/app/build.js:3\nasync function main() {\n      ^^^^^^^^\n"
     "SyntaxError: Unexpected token function"),
    ("dependency", "shared-lib", "/usr/bin/app: error while loading shared libraries: "
     "libssl.so.1.1: cannot open shared object file: No such file or directory"),
    ("configuration", "autoconf", "checking for gcc... no\nconfigure: error: no acceptable C "
     "compiler found in $PATH"),
    ("configuration", "rake", "rake aborted!\nNo Rakefile found (looking for: rakefile, Rakefile)"),
    ("dependency", "cmake-find", "CMake Error at CMakeLists.txt:12 (find_package):\n"
     "  Could NOT find OpenSSL (missing: OPENSSL_CRYPTO_LIBRARY)"),
    ("dependency", "r-install", "ERROR: dependency 'xml2' is not available for package 'shop'\n"
     "* removing '/usr/lib/R/site-library/shop'\nInstallation failed."),
    ("network", "git-connect", "fatal: unable to access 'https://github.com/acme/app.git/': "
     "Failed to connect to github.com port 443: Connection timed out"),
    ("network", "tls-alert", "curl: (35) SSL connect error (ssl3_read_bytes: sslv3 alert "
     "handshake failure)"),
    ("timeout", "gnu-timeout", 'The command "timeout 30m ./ci/build.sh" exited with 124.'),
    ("infrastructure", "karma", "Chrome 120 (Linux x86_64) ERROR\n  Disconnected, because no "
     "message in 30000 ms."),
    ("lint", "markdownlint", "docs/setup.md:12 MD040/fenced-code-language Fenced code blocks "
     "should have a language specified"),
    ("lint", "rubocop", "app/models/cart.rb:1:1: C: Style/FrozenStringLiteralComment: Missing "
     "frozen string literal comment.\n1 file inspected, 1 offense detected"),
    ("lint", "swiftlint", "/build/Sources/Cart.swift:12:9: warning: Colon Violation: Colons "
     "should be next to the identifier when specifying a type. (colon)"),
    ("crash", "segfault", "./run_tests.sh: line 4:  4121 Segmentation fault      (core dumped) "
     "./cart_bench"),
    ("crash", "asan", "==4121==ERROR: AddressSanitizer: heap-use-after-free on address "
     "0x602000000010 at pc 0x4f5e2a"),
    ("crash", "rust-panic", "thread 'main' panicked at 'called `Option::unwrap()` on a `None` "
     "value', src/main.rs:12:5"),
    ("crash", "go-panic", "panic: runtime error: invalid memory address or nil pointer "
     "dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2f1c]"),
    ("crash", "python-fatal", "Fatal Python error: Segmentation fault\n\nCurrent thread "
     "0x00007f (most recent call first):\n  File \"ext.py\", line 12 in load"),
    # Order matters: the more actionable cause wins over the symptom.
    ("memory", "pytest-memoryerror", "FAILED tests/test_big.py::test_load - MemoryError\n"
     "==================== 1 failed, 3 passed in 8.20s ===================="),
    ("dependency", "pytest-collect", "ERROR collecting tests/test_api.py\nImportError while "
     "importing test module '/src/tests/test_api.py'.\nE   ModuleNotFoundError: No module named "
     "'httpx'"),
    ("network", "pip-read-timeout", "pip._vendor.urllib3.exceptions.ReadTimeoutError: "
     "HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out."),
    ("network", "npm-dns", "npm ERR! code EAI_AGAIN\nnpm ERR! request to "
     "https://registry.npmjs.org/left-pad failed, reason: getaddrinfo EAI_AGAIN"),
    ("dependency", "go-revision", "go: github.com/acme/lib@v1.2.3: reading github.com/acme/lib/"
     "go.mod at revision v1.2.3: unknown revision v1.2.3"),
    ("database", "lock-timeout", "ERROR 1205 (HY000): Lock wait timeout exceeded; try "
     "restarting transaction"),
    ("disk", "postgres-disk", 'ERROR:  could not extend file "base/16384/2619": No space left on '
     "device"),
]

POSITIVE += [
    ("type-check", "flow", "Error ------------------------------------ src/cart.js:12:7\n\n"
     "Cannot assign `total` to `x` because string [1] is incompatible with number [2].\n\n"
     "Found 1 error"),
    ("type-check", "phpstan", " ------ ---------------------------\n  Line   src/Cart.php\n"
     " ------ ---------------------------\n  12     Method Cart::total() should return "
     "int but returns string.\n [ERROR] Found 1 error"),
    ("infrastructure", "log-length", "The job exceeded the maximum log length, and has been "
     "terminated."),
    ("infrastructure", "docker-daemon", "docker: Cannot connect to the Docker daemon at "
     "unix:///var/run/docker.sock. Is the docker daemon running?"),
    ("infrastructure", "runner-lost", "The hosted runner: GitHub Actions 12 lost communication "
     "with the server. Anything in your workflow that terminates the runner process, starves it "
     "for CPU/Memory, or blocks its network access can cause this error."),
    ("infrastructure", "apt-mirror", "E: Failed to fetch http://archive.ubuntu.com/ubuntu/pool/main/"
     "o/openssl/libssl1.1_1.1.1f-1ubuntu2.19_amd64.deb  Hash Sum mismatch"),
]

NEGATIVE: list[tuple[str, str, str]] = [
    ("type-check", "mypy-ok", "Success: no issues found in 12 source files"),
    ("infrastructure", "docker-ok", "Successfully built 3f2a1b9c8d7e\nSuccessfully tagged "
     "shop:latest"),
    # (category that must NOT win, case name, excerpt)
    ("compile", "cargo-ok", "   Compiling demo v0.1.0 (/src)\n    Finished `dev` profile "
     "[unoptimized + debuginfo] target(s) in 2.31s"),
    ("test", "pytest-ok", "============================= 42 passed in 3.02s ============"),
    ("test", "junit-ok", "[INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 0"),
    ("dependency", "pip-ok", "Successfully installed requests-2.31.0 urllib3-2.0.4"),
    ("lint", "ruff-ok", "All checks passed!"),
    ("lint", "mypy-ok", "Success: no issues found in 12 source files"),
    ("security", "npm-ok", "added 312 packages, and audited 313 packages in 4s\n\n"
     "found 0 vulnerabilities"),
    ("security", "trivy-ok", "Total: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)"),
    ("database", "migrate-ok", "INFO  [alembic.runtime.migration] Running upgrade 1a2b -> 3c4d, "
     "add users table\n12 migrations applied successfully"),
    ("network", "pool", "Connection pool size: 10; connected to db.internal:5432 in 12ms"),
    ("permission", "chmod", "chmod 755 ./scripts/deploy.sh\nPermissions updated for 3 files"),
    ("configuration", "loaded", "Loaded configuration from config.yaml (12 keys)"),
    ("disk", "usage", "Filesystem      Size  Used Avail Use% Mounted on\n"
     "/dev/sda1        84G   41G   43G  49% /"),
    ("memory", "usage", "Memory usage: 512MB of 4GB (12%)"),
    ("timeout", "configured", "Request completed in 120ms (timeout=30s)"),
    ("data", "schema-ok", "Schema validated OK: 120 records, 0 errors"),
    ("drift", "no-drift", "No drift detected (PSI=0.01, threshold 0.2)"),
    ("performance", "faster", "Benchmark complete: 1.2x faster than baseline"),
    ("dependency", "git-branch", "warning: Could not find remote branch feature/x to clone.\n"
     "fatal: Remote branch feature/x not found in upstream origin"),
    ("crash", "handled", "Recovered from worker restart; 0 crashes in the last 24h"),
    ("test", "tap-ok", "ok 1 - cart totals\nok 2 - cart empties\n1..2"),
    ("compile", "warnings-only", "   Compiling shop v0.1.0\nwarning: unused variable: `x`\n"
     "    Finished release [optimized] target(s) in 12.1s"),
    ("flaky", "retrying", "Retrying request (attempt 2 of 3) ...\nERROR: 1 failed, 2 rerun in "
     "9.12s"),
]

KNOWN_INCORRECT: list[tuple[str, str, str]] = [
    # (what it should be, what the default policy says, excerpt): documented limits.
    ("test", "network", "FAILED tests/test_client.py::test_retry - assert 'Connection refused' "
     "in message"),
]


def _decide(text: str) -> str:
    return default_policy().decide(FailureFacts(text=text)).category


@pytest.mark.parametrize(("category", "name", "text"), POSITIVE, ids=[c[1] for c in POSITIVE])
def test_default_policy_recognises(category: str, name: str, text: str) -> None:
    decision = default_policy().decide(FailureFacts(text=text))
    assert decision.category == category, (name, decision.rule)


@pytest.mark.parametrize(("category", "name", "text"), NEGATIVE, ids=[c[1] for c in NEGATIVE])
def test_default_policy_does_not_claim(category: str, name: str, text: str) -> None:
    assert _decide(text) != category


@pytest.mark.parametrize(
    ("expected", "actual", "text"), KNOWN_INCORRECT, ids=[c[0] for c in KNOWN_INCORRECT]
)
def test_known_incorrect_cases_still_wrong(expected: str, actual: str, text: str) -> None:
    # When one of these starts passing, move it to POSITIVE.
    assert _decide(text) == actual != expected


def test_every_category_has_three_positives_and_a_negative() -> None:
    categories = {rule.then.category for rule in default_policy().rules}
    for category in categories:
        assert sum(1 for c, _, _ in POSITIVE if c == category) >= 3, category
        assert any(c == category for c, _, _ in NEGATIVE), category


def test_nothing_matching_gives_the_default() -> None:
    decision = default_policy().decide(FailureFacts(text="the weather is nice today"))
    assert (decision.category, decision.severity, decision.rule) == ("unknown", "medium", None)


def test_negatives_that_look_like_success_are_unknown() -> None:
    for _, name, text in NEGATIVE:
        if name.endswith("-ok"):
            assert _decide(text) == "unknown", name
