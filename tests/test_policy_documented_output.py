"""The default policy on the failure output each mainstream tool documents.

Each case is what a tool prints when it fails, written from the tool's documented output format
(Gradle and Maven goals, pytest's summary and collection errors, Yarn 2's YN codes, esbuild's
``✘ [ERROR]``, the .NET analyzers' IDE/CA codes, CMake's ``find_package``, Minitest's reports,
GitHub Actions' inputs, Terraform's state lock, kubectl …), not from any benchmark log, with the
category the protocol (``bench/categories/PROTOCOL.md``) gives it. What rules read (and
leave out) is tested in ``test_policy_evidence.py``.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

# (category, output)
CASES: list[tuple[str, str]] = [
    # Gradle
    ("test",
     '> Task :app:test FAILED\n\nFAILURE: Build failed with an exception.\n\n* What went '
     "wrong:\nExecution failed for task ':app:test'.\n> There were failing tests. See the "
     'report at: file:///build/reports/tests/test/index.html'),
    ("compile", "> Task :app:compileJava FAILED\n/src/App.java:5: error: ';' expected\n1 error"),
    ("compile",
     '> Task :app:compileKotlin FAILED\ne: file:///src/App.kt:3:5 Unresolved reference: foo'),
    ("lint", '> Task :app:lint FAILED\nLint found errors in the project; aborting build.'),
    ("lint",
     '> Task :app:ktlintMainSourceSetCheck FAILED\n/src/App.kt:1:1 Unexpected blank line(s) '
     'before "package" (no-blank-line-before-rbrace)'),
    ("dependency",
     '> Could not resolve com.acme:lib:1.0.\n  > Could not get resource '
     "'https://repo.maven.apache.org/maven2/com/acme/lib/1.0/lib-1.0.pom'."),
    # Vitest and Playwright
    ("test",
     " ❯ src/cart.test.ts (12 tests | 1 failed) 21ms\n   × cart > applies discount\n"
     "     → expected 90 to be 85\n Test Files  1 failed | 1 passed (2)\n"
     "      Tests  1 failed | 15 passed (16)"),
    ("test",
     "  1) [chromium] › login.spec.ts:5:1 › shows an error for a wrong password ─────\n\n"
     "    Error: expect(locator).toHaveText(expected) failed\n\n  1 failed\n  11 passed (9.8s)"),
    # Maven
    ("test",
     '[ERROR] Failed to execute goal '
     'org.apache.maven.plugins:maven-surefire-plugin:3.0.0:test (default-test) on project '
     'app: There are test failures.'),
    ("lint",
     '[ERROR] Failed to execute goal '
     'org.apache.maven.plugins:maven-enforcer-plugin:3.0.0:enforce (enforce) on project '
     'app: Some Enforcer rules have failed.'),
    ("dependency",
     '[ERROR] Failed to execute goal on project app: Could not resolve dependencies for '
     'project com.acme:app:jar:1.0: Failed to collect dependencies at com.acme:lib:jar:1.0'),
    ("lint",
     '[ERROR] Failed to execute goal '
     'com.diffplug.spotless:spotless-maven-plugin:2.30.0:check (default) on project app: '
     'The following files had format violations:'),
    ("test",
     '[ERROR] Failed to execute goal '
     'org.apache.maven.plugins:maven-failsafe-plugin:3.0.0:verify (default) on project app: '
     'There are test failures.'),
    # Python
    ("test",
     '=========================== short test summary info ============================\n'
     'FAILED tests/test_cart.py::test_total - assert 9 == 10\n========================= 1 '
     'failed, 3 passed in 0.12s =========================='),
    ("test",
     "ERROR tests/test_cart.py - NameError: name 'x' is not defined\n!!!!!!!!!!!!!!!!!!!! "
     'Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!'),
    ("type-check",
     'app/cart.py:3: error: Name "x" is not defined  [name-defined]\nFound 1 error in 1 '
     'file (checked 3 source files)'),
    ("lint", "app/cart.py:1:1: F401 'os' imported but unused"),
    ("lint", 'All done! ✨ 🍰 ✨\nwould reformat app/cart.py\nOh no! 💥 💔 💥'),
    ("lint", 'ERROR: /app/cart.py Imports are incorrectly sorted and/or formatted.'),
    ("lint", "app/cart.py:12:5: E0602: Undefined variable 'x' (undefined-variable)"),
    ("dependency",
     'ERROR: Could not find a version that satisfies the requirement nosuchpkg==1.0 (from '
     'versions: none)\nERROR: No matching distribution found for nosuchpkg==1.0'),
    ("dependency",
     'ERROR: Cannot install a==1 and b==2 because these package versions have conflicting '
     'dependencies.'),
    ("dependency",
     'Because no versions of foo match >1.0 and project depends on foo (>1.0), version '
     'solving failed.'),
    ("lint", 'ruff check .\nerror: Failed to parse app/x.py:1:5: Expected an expression'),
    ("lint", 'app/x.py:1:8: F401 [*] `os` imported but unused\nFound 1 error.'),
    # JS
    ("dependency",
     'npm ERR! code EINTEGRITY\nnpm ERR! sha512-abc integrity checksum failed when using '
     'sha512: wanted sha512-abc but got sha512-def. (1234 bytes)'),
    ("dependency", 'npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree'),
    ("dependency",
     '➤ YN0028: │ The lockfile would have been modified by this install, which is '
     'explicitly forbidden.'),
    ("dependency", '➤ YN0001: │ Error: foo@npm:1.0.0: No candidates found'),
    ("dependency", ' ERR_PNPM_NO_MATCHING_VERSION  No matching version found for foo@99.0.0'),
    ("dependency",
     ' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because '
     'pnpm-lock.yaml is not up to date with package.json'),
    ("type-check",
     "src/cart.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'."),
    ("type-check",
     "src/cart.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n"
     'Found 1 error in src/cart.ts:3'),
    ("lint",
     "/src/cart.js\n  3:7  error  'x' is assigned a value but never used  no-unused-vars\n\n"
     '✖ 1 problem (1 error, 0 warnings)'),
    ("test",
     'FAIL src/cart.test.js\n  ● cart › totals\n\n    expect(received).toBe(expected) // '
     'Object.is equality\n\nTests:       1 failed, 3 passed, 4 total'),
    ("test",
     '  1 passing (12ms)\n  1 failing\n\n  1) cart\n       totals:\n     AssertionError '
     '[ERR_ASSERTION]: 9 == 10'),
    ("test",
     ' FAIL  src/cart.test.ts > cart > totals\nAssertionError: expected 9 to be 10 // '
     'Object.is equality\n Test Files  1 failed (1)\n      Tests  1 failed | 3 passed (4)'),
    ("compile",
     'ERROR in ./src/index.js\nModule build failed (from '
     './node_modules/babel-loader/lib/index.js):\nSyntaxError: /src/index.js: Unexpected '
     'token (3:4)'),
    ("compile",
     '✘ [ERROR] Could not resolve "./missing"\n\n    src/index.ts:1:19:\n      1 │ import x '
     'from "./missing"'),
    ("compile",
     'error during build:\nRollupError: Could not resolve "./missing" from "src/main.ts"'),
    ("lint",
     '[warn] src/index.js\n[warn] Code style issues found in the above file. Forgot to run '
     'Prettier?'),
    # Go
    ("test",
     '--- FAIL: TestTotal (0.00s)\n    cart_test.go:12: got 9, want 10\nFAIL\nFAIL\t'
     'example.com/cart\t0.005s'),
    ("compile", '# example.com/cart\n./cart.go:12:2: undefined: foo'),
    ("lint", 'cart.go:12:2: Error return value of `f.Close` is not checked (errcheck)'),
    ("dependency",
     'go: example.com/foo@v1.2.3: reading '
     'https://proxy.golang.org/example.com/foo/@v/v1.2.3.mod: 404 Not Found'),
    ("dependency",
     'cart.go:4:2: no required module provides package example.com/foo; to add it:\n\tgo '
     'get example.com/foo'),
    ("crash",
     'panic: runtime error: invalid memory address or nil pointer dereference\n[signal '
     'SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47f4a5]\n\ngoroutine 1 '
     '[running]:\nmain.main()'),
    ("security",
     'Vulnerability #1: GO-2023-1234\n    Improper handling in net/http\n  Found in: '
     'net/http@go1.20\n  Fixed in: net/http@go1.20.1\nYour code is affected by 1 '
     'vulnerability from the Go standard library.'),
    # Rust
    ("compile",
     'error[E0308]: mismatched types\n --> src/lib.rs:3:5\n  |\nerror: could not compile '
     '`stats` (lib) due to 1 previous error'),
    ("lint",
     'error: this `if` has identical blocks\n --> src/lib.rs:3:5\n  = help: for further '
     'information visit '
     'https://rust-lang.github.io/rust-clippy/master/index.html#if_same_then_else\n  = '
     'note: `#[deny(clippy::if_same_then_else)]` on by default'),
    ("test",
     "---- tests::total stdout ----\nthread 'tests::total' panicked at src/lib.rs:10:9:\n"
     'assertion `left == right` failed\n  left: 9\n right: 10\n\nfailures:\n    '
     'tests::total\n\ntest result: FAILED. 3 passed; 1 failed; 0 ignored'),
    ("dependency",
     'error: failed to select a version for the requirement `serde = "^99"`\ncandidate '
     "versions found which didn't match: 1.0.190"),
    ("dependency",
     'error: no matching package named `nosuch` found\nlocation searched: registry '
     '`crates-io`'),
    ("lint", 'Diff in /src/lib.rs at line 1:\n-fn  f() {}\n+fn f() {}'),
    ("security",
     'error: 1 vulnerability found!\nCrate:     time\nVersion:   0.1.43\nTitle:     '
     'Potential segfault in the time crate\nID:        RUSTSEC-2020-0071'),
    # C/C++
    ("compile",
     "/src/main.c:3:5: error: 'x' undeclared (first use in this function)\nmake[2]: *** "
     '[CMakeFiles/app.dir/build.make:76: CMakeFiles/app.dir/main.c.o] Error 1'),
    ("compile",
     "/usr/bin/ld: main.o: in function `main':\nmain.c:(.text+0x5): undefined reference to "
     "`foo'\ncollect2: error: ld returned 1 exit status"),
    ("test", 'The following tests FAILED:\n\t  1 - cart_test (Failed)\nErrors while running CTest'),
    ("test", '50% tests passed, 1 tests failed out of 2'),
    ("dependency",
     'CMake Error at CMakeLists.txt:5 (find_package):\n  By not providing "FindFoo.cmake" '
     'in CMAKE_MODULE_PATH this project has\n  asked CMake to find a package configuration '
     'file provided by "Foo", but\n  CMake did not find one.'),
    ("dependency",
     '-- Could NOT find OpenSSL, try to set the path to OpenSSL root folder in the system '
     'variable OPENSSL_ROOT_DIR (missing: OPENSSL_CRYPTO_LIBRARY OPENSSL_INCLUDE_DIR)'),
    ("crash", '==1234==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000014'),
    # Ruby
    ("test",
     'Failures:\n\n  1) Cart totals\n     Failure/Error: expect(cart.total).to '
     'eq(10)\n\n       expected: 10\n            got: 9\n\n4 examples, 1 failure'),
    ("lint",
     'app/cart.rb:3:5: C: Style/StringLiterals: Prefer single-quoted strings.\n\n1 file '
     'inspected, 1 offense detected'),
    ("dependency", 'Bundler could not find compatible versions for gem "rails":'),
    ("dependency",
     "Could not find gem 'nosuch' in rubygems repository https://rubygems.org/ or installed "
     'locally.'),
    ("test",
     '  1) Failure:\nCartTest#test_total [test/cart_test.rb:5]:\nExpected: 10\n  Actual: '
     '9\n\n4 runs, 4 assertions, 1 failures, 0 errors, 0 skips'),
    ("test",
     '  1) Error:\nCartTest#test_total:\nNameError: undefined local variable or method '
     "`x'\n    test/cart_test.rb:5:in `test_total'\n\n4 runs, 3 assertions, 0 failures, 1 "
     'errors, 0 skips'),
    # .NET
    ("compile",
     "/src/Cart.cs(3,5): error CS0103: The name 'x' does not exist in the current context "
     '[/src/App.csproj]\nBuild FAILED.'),
    ("test",
     '  Failed Cart.Tests.Total [12 ms]\n  Error Message:\n   Assert.Equal() Failure\n'
     'Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:     4, Duration: 12 ms'),
    ("dependency",
     '/src/App.csproj : error NU1101: Unable to find package NoSuch. No packages exist with '
     'this id in source(s): nuget.org'),
    ("lint", '/src/Cart.cs(3,5): error IDE0055: Fix formatting [/src/App.csproj]'),
    ("lint",
     "/src/Cart.cs(3,5): warning CA1822: Member 'Total' does not access instance data "
     "[/src/App.csproj]\n/src/Cart.cs(3,5): error CA1822: Member 'Total' does not access "
     'instance data'),
    # Docker
    ("dependency",
     'ERROR: failed to solve: nosuchimage:latest: failed to resolve source metadata for '
     'docker.io/library/nosuchimage:latest: pull access denied, repository does not exist '
     'or may require authorization'),
    ("configuration",
     'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of '
     'ref abc::def: "/missing.txt": not found'),
    ("configuration",
     'ERROR: failed to solve: dockerfile parse error on line 3: unknown instruction: RUNN'),
    ("permission", 'denied: requested access to the resource is denied'),
    ("permission",
     'Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: '
     'incorrect username or password'),
    # Terraform
    ("configuration",
     '│ Error: Unsupported argument\n│ \n│   on main.tf line 3, in resource "aws_s3_bucket" '
     '"b":\n│    3:   bukket = "x"'),
    ("permission",
     '│ Error: creating S3 Bucket (b): AccessDenied: Access Denied\n│ \tstatus code: 403'),
    ("infrastructure",
     '│ Error: Error acquiring the state lock\n│ \n│ Error message: '
     'ConditionalCheckFailedException: The conditional request failed\n│ Lock Info:'),
    ("lint", 'main.tf\n--- old/main.tf\n+++ new/main.tf\n@@ -1,3 +1,3 @@'),
    ("dependency",
     '│ Error: Failed to query available provider packages\n│ \n│ Could not retrieve the '
     'list of available versions for provider hashicorp/nosuch'),
    # Kubernetes
    ("configuration",
     'error: error validating "deploy.yaml": error validating data: '
     'ValidationError(Deployment.spec): unknown field "replicas2" in '
     'io.k8s.api.apps.v1.DeploymentSpec'),
    ("dependency",
     'Warning  Failed     12s   kubelet  Failed to pull image "nosuch:1": rpc error: code = '
     'NotFound desc = failed to pull and unpack image\n  Warning  Failed  12s  kubelet  '
     'Error: ErrImagePull'),
    ("crash",
     'NAME    READY   STATUS             RESTARTS   AGE\napp-1   0/1     CrashLoopBackOff   '
     '5          3m'),
    ("timeout", 'error: timed out waiting for the condition on deployments/app'),
    ("permission",
     'Error from server (Forbidden): deployments.apps is forbidden: User "ci" cannot create '
     'resource "deployments"'),
    ("network", 'Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout'),
    # network / database / resources / infra generic
    ("network",
     'curl: (7) Failed to connect to api.example.com port 443 after 3 ms: Connection refused'),
    ("network",
     "fatal: unable to access 'https://github.com/acme/x.git/': Could not resolve host: "
     'github.com'),
    ("database",
     'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at '
     '"localhost" (127.0.0.1), port 5432 failed: Connection refused'),
    ("database",
     'ActiveRecord::ConnectionNotEstablished: could not connect to server: Connection '
     'refused\n\tIs the server running on host "localhost" (127.0.0.1) and accepting\n\t'
     'TCP/IP connections on port 5432?'),
    ("disk", 'write /var/lib/docker/tmp/x: no space left on device'),
    ("memory",
     'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript '
     'heap out of memory'),
    ("memory", 'c++: fatal error: Killed signal terminated program cc1plus'),
    ("timeout",
     '##[error]The job running on runner GitHub Actions 2 has exceeded the maximum '
     'execution time of 360 minutes.'),
    ("timeout", 'ERROR: Job failed: execution took longer than 1h0m0s seconds'),
    ("infrastructure",
     '##[error]The runner has received a shutdown signal. This can happen when the runner '
     'service is stopped, or a manually started runner is canceled.'),
    ("flaky", 'tests/test_x.py::test_net RERUN\ntests/test_x.py::test_net PASSED'),
    ("performance",
     '  Package size limit has exceeded by 1.2 kB\n  Size limit: 10 kB\n  Size:       11.2 '
     'kB'),
    ("security", 'found 3 vulnerabilities (1 moderate, 2 high)\n  run `npm audit fix` to fix them'),
    ("security",
     'Run started:2024-01-01\n>> Issue: [B602:subprocess_popen_with_shell_equals_true] '
     'subprocess call with shell=True identified, security issue.\n   Severity: High   '
     'Confidence: High'),
    ("permission",
     'remote: Permission to acme/x.git denied to bot.\nfatal: unable to access '
     "'https://github.com/acme/x.git/': The requested URL returned error: 403"),
    ("permission",
     'npm ERR! code E403\nnpm ERR! 403 403 Forbidden - PUT https://registry.npmjs.org/x - '
     'You do not have permission to publish "x".'),
    ("configuration", 'Error: Input required and not supplied: token'),
    ("configuration", 'npm ERR! Missing script: "lint"'),
    ("configuration", '/home/runner/work/_temp/abc.sh: line 1: pnpm: command not found'),
    ("configuration",
     'Error: Version 3.99 with arch x64 not found\nThe list of all available versions can '
     'be found here: '
     'https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json'),
    ("compile",
     '  File "/app/cart.py", line 3\n    def f(:\n          ^\nSyntaxError: invalid syntax'),
    ("data", "json.decoder.JSONDecodeError: Expecting ',' delimiter: line 3 column 5 (char 20)"),
]


def decide(text: str, step: str = "") -> str:
    return default_policy().decide(FailureFacts(text=text, step=step)).category


@pytest.mark.parametrize(("category", "text"), CASES, ids=[f"{c}-{i}" for i, (c, _) in
                                                           enumerate(CASES)])
def test_documented_output_is_named(category: str, text: str) -> None:
    assert decide(text) == category, text
