"""The default policy names the failure kind of the mainstream toolchains.

A table per toolchain: the excerpt a failing job shows, the failed step's facts (its command and
closing lines, as ``read_log`` gives them) where the excerpt alone does not say, and the category
the default policy must give. The excerpts are written the way each tool prints its failures.
"""

from __future__ import annotations

import pytest

from knownfix.core.extract import read_log
from knownfix.core.policy import FailureFacts, default_policy

# (category, case name, excerpt, step facts)
CASES: list[tuple[str, str, str, str]] = [
    # --- Java: Maven, Gradle; Checkstyle, PMD, SpotBugs, Surefire, JUnit
    ("lint", "maven-checkstyle",
     "[ERROR] src/main/java/com/acme/Cart.java:[3,8] (imports) UnusedImports: Unused import - "
     "java.util.List.\n[ERROR] Failed to execute goal org.apache.maven.plugins:"
     "maven-checkstyle-plugin:3.3.0:check (validate) on project shop: You have 1 Checkstyle "
     "violation. -> [Help 1]", ""),
    ("lint", "checkstyle-javadoc",
     "[ant:checkstyle] [ERROR] /src/main/java/Cart.java:12: Missing a Javadoc comment. "
     "[MissingJavadocMethod]", ""),
    ("lint", "gradle-checkstyle",
     "* What went wrong:\nExecution failed for task ':app:checkstyleMain'.\n> Checkstyle rule "
     "violations were found. See the report at: file:///build/reports/checkstyle/main.html", ""),
    ("lint", "maven-pmd",
     "[INFO] PMD Failure: com.acme.Cart:14 Rule:UnusedPrivateField Priority:3 Avoid unused "
     "private fields such as 'count'..\n[ERROR] Failed to execute goal org.apache.maven.plugins:"
     "maven-pmd-plugin:3.21.0:check (default) on project shop: You have 1 PMD violation.", ""),
    ("lint", "spotbugs",
     "[ERROR] Medium: com.acme.Cart.equals(Object) does not check for null argument "
     "[com.acme.Cart] At Cart.java:[line 40] NP_EQUALS_SHOULD_HANDLE_NULL_ARGUMENT\n[ERROR] "
     "Failed to execute goal com.github.spotbugs:spotbugs-maven-plugin:4.7.3.5:check", ""),
    ("test", "surefire",
     "[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< "
     "FAILURE! - in com.acme.CartTest\n[ERROR] totals(com.acme.CartTest)  Time elapsed: 0.01 s  "
     "<<< FAILURE!\norg.opentest4j.AssertionFailedError: expected: <10> but was: <9>", ""),
    ("test", "junit-gradle",
     "CartTest > totalsTheItems() FAILED\n    org.opentest4j.AssertionFailedError at "
     "CartTest.java:21\n\n3 tests completed, 1 failed", ""),
    ("test", "surefire-error",
     "[ERROR] Tests run: 5, Failures: 0, Errors: 1, Skipped: 0\n[ERROR] "
     "com.acme.CartTest.empty  Time elapsed: 0.003 s  <<< ERROR!\n"
     "java.lang.NullPointerException", ""),
    ("compile", "javac-maven",
     "[ERROR] COMPILATION ERROR :\n[ERROR] /src/main/java/com/acme/Cart.java:[12,9] cannot find "
     "symbol\n  symbol:   class Strin", ""),
    ("dependency", "maven-resolve",
     "[ERROR] Failed to execute goal on project shop: Could not resolve dependencies for project "
     "com.acme:shop:jar:1.0: The following artifacts could not be resolved: "
     "com.acme:lib:jar:2.0", ""),
    ("dependency", "gradle-resolve",
     "* What went wrong:\nExecution failed for task ':app:compileJava'.\n> Could not resolve all "
     "files for configuration ':app:compileClasspath'.\n   > Could not find "
     "com.acme:lib:2.0.", ""),
    ("configuration", "java-version",
     "java.lang.UnsupportedClassVersionError: com/acme/App has been compiled by a more recent "
     "version of the Java Runtime (class file version 61.0)", ""),
    # --- Python: pytest, mypy, ruff, flake8, pip
    ("test", "pytest-error-detail",
     "    def test_parse():\n>       parse('x')\nE       ValueError: invalid literal\n\n"
     "tests/test_parse.py:4: ValueError", ""),
    ("type-check", "mypy-codes",
     'app/cart.py:14: error: Incompatible return value type (got "str", expected "int")  '
     "[return-value]\nFound 1 error in 1 file (checked 12 source files)", ""),
    ("lint", "ruff",
     "app/cart.py:1:8: F401 [*] `os` imported but unused\nFound 1 error.\n[*] 1 fixable with "
     "the `--fix` option.", ""),
    ("lint", "flake8", "./app/cart.py:12:80: E501 line too long (88 > 79 characters)", ""),
    ("lint", "black", "would reformat app/cart.py\n\nOh no! 💥 💔 💥\n1 file would be "
     "reformatted, 12 files would be left unchanged.", ""),
    ("dependency", "pip-wheel",
     "  error: subprocess-exited-with-error\n  × Building wheel for psycopg2 (pyproject.toml) did "
     "not run successfully.\n  ERROR: Failed building wheel for psycopg2", ""),
    ("dependency", "pip-network-in-install",
     "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) "
     "after connection broken by 'NewConnectionError': /simple/requests/\nERROR: Could not "
     "install packages due to an OSError: HTTPSConnectionPool(host='pypi.org', port=443)",
     "pip install -r requirements.txt"),
    # --- JavaScript and TypeScript: npm, yarn, pnpm, tsc, ESLint, Jest
    ("dependency", "npm-404",
     "npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/lefpad - "
     "Not found", ""),
    ("dependency", "yarn-missing",
     'error Couldn\'t find package "left-padd@^1.0.0" required by "shop@1.0.0" on the "npm" '
     "registry.", ""),
    ("dependency", "pnpm-lockfile",
     " ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\" because "
     "pnpm-lock.yaml is not up to date with package.json", ""),
    ("type-check", "tsc-pretty",
     "src/cart.ts:12:7 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n"
     "12   const total: number = '3';\n         ~~~~~\n\nFound 1 error in src/cart.ts:12", ""),
    ("lint", "eslint",
     "/src/cart.js\n  12:7  error  'total' is assigned a value but never used  no-unused-vars\n\n"
     "✖ 1 problem (1 error, 0 warnings)", ""),
    ("lint", "prettier-check",
     "Checking formatting...\n[warn] src/cart.js\n[warn] Code style issues found in the above "
     "file. Forgot to run Prettier?", ""),
    ("test", "jest",
     "  ● Cart › totals the items\n\n    expect(received).toBe(expected) // Object.is equality\n"
     "\nTests:       1 failed, 7 passed, 8 total", ""),
    ("test", "mocha-timeout",
     "  1) Cart\n       totals the items:\n     Error: Timeout of 2000ms exceeded. For async tests "
     "and hooks, ensure \"done()\" is called\n\n  7 passing (2s)\n  1 failing", ""),
    ("lint", "npm-run-lint", "/src/cart.js: line 3, col 5, Missing semicolon.", "npm run lint"),
    ("dependency", "cannot-find-module",
     "Error: Cannot find module 'left-pad'\nRequire stack:\n- /src/index.js", ""),
    # --- Go
    ("test", "go-test",
     "--- FAIL: TestTotal (0.00s)\n    cart_test.go:14: got 9, want 10\nFAIL\nFAIL\t"
     "example.com/shop\t0.004s", ""),
    ("compile", "go-build", "# example.com/shop\n./cart.go:9:2: undefined: fmt.Printx", ""),
    ("lint", "golangci-lint",
     "cart.go:12:2: ineffectual assignment to total (ineffassign)\n\ttotal := 0\n\t^", ""),
    ("lint", "gofmt-step", "cart.go", "test -z \"$(gofmt -l .)\""),
    ("dependency", "go-mod",
     "go: example.com/lib@v1.2.3: reading https://proxy.golang.org/example.com/lib/@v/v1.2.3.mod: "
     "404 Not Found", ""),
    # --- Rust: cargo, clippy
    ("compile", "rustc",
     "error[E0308]: mismatched types\n --> src/lib.rs:4:5\nerror: could not compile `shop` (lib) "
     "due to 1 previous error", ""),
    ("lint", "clippy",
     "error: this `if` has identical blocks\n --> src/lib.rs:10:5\n  = help: for further "
     "information visit https://rust-lang.github.io/rust-clippy/master/index.html#if_same_then_else"
     "\n  = note: `#[deny(clippy::if_same_then_else)]` on by default", ""),
    ("test", "cargo-test",
     "---- tests::totals stdout ----\nthread 'tests::totals' panicked at src/lib.rs:20:9:\n"
     "assertion `left == right` failed\n\nfailures:\n    tests::totals\n\ntest result: FAILED. "
     "3 passed; 1 failed", ""),
    ("dependency", "cargo-select",
     "error: failed to select a version for the requirement `serde = \"^9.0\"`\ncandidate "
     "versions found which didn't match: 1.0.195", ""),
    ("lint", "rustfmt", "Diff in /src/lib.rs at line 3:\n-fn a(){}\n+fn a() {}", ""),
    # --- C and C++: CMake, gcc, clang, ctest
    ("compile", "gcc", "src/cart.c:12:5: error: 'count' undeclared (first use in this "
     "function)", ""),
    ("compile", "clang-link",
     "Undefined symbols for architecture arm64:\n  \"_total\", referenced from:\nld: symbol(s) "
     "not found for architecture arm64\nclang: error: linker command failed with exit code 1", ""),
    ("dependency", "cmake-find",
     "CMake Error at CMakeLists.txt:12 (find_package):\n  Could NOT find Boost (missing: "
     "Boost_INCLUDE_DIR)", ""),
    ("test", "ctest",
     "75% tests passed, 1 tests failed out of 4\n\nThe following tests FAILED:\n\t  3 - "
     "cart_test (Failed)\nErrors while running CTest", ""),
    ("configuration", "cmake-config",
     "CMake Error at CMakeLists.txt:3 (project):\n  No CMAKE_CXX_COMPILER could be found.", ""),
    # --- Ruby: bundler, RSpec, RuboCop
    ("dependency", "bundler",
     "An error occurred while installing nokogiri (1.15.2), and Bundler cannot continue.\n"
     "Make sure that `gem install nokogiri -v '1.15.2' --source 'https://rubygems.org/'` "
     "succeeds before bundling.", ""),
    ("test", "rspec",
     "Failures:\n\n  1) Cart totals the items\n     Failure/Error: expect(cart.total).to eq(10)"
     "\n\n       expected: 10\n            got: 9\n\n3 examples, 1 failure", ""),
    ("lint", "rubocop",
     "app/models/cart.rb:3:5: C: Style/StringLiterals: Prefer single-quoted strings.\n\n"
     "12 files inspected, 1 offense detected", ""),
    # --- .NET
    ("compile", "csharp",
     "/src/Cart.cs(12,9): error CS0103: The name 'totl' does not exist in the current context "
     "[/src/Shop.csproj]", ""),
    ("test", "dotnet-test",
     "  Failed Shop.Tests.CartTests.Totals [12 ms]\n  Error Message:\n   Assert.Equal() Failure\n"
     "Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12", ""),
    ("dependency", "nuget",
     "/src/Shop.csproj : error NU1101: Unable to find package Acme.Lib. No packages exist with "
     "this id in source(s): nuget.org", ""),
    # --- Docker
    ("configuration", "docker-copy",
     "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref "
     "abc: \"/app/requirements.txt\": not found", ""),
    ("dependency", "docker-pull",
     "Error response from daemon: manifest for acme/shop:9.9 not found: manifest unknown: "
     "manifest unknown", ""),
    ("permission", "docker-push",
     "denied: requested access to the resource is denied", ""),
    ("infrastructure", "docker-rate-limit",
     "toomanyrequests: You have reached your pull rate limit. You may increase the limit by "
     "authenticating and upgrading", ""),
    # --- Terraform
    ("configuration", "terraform-argument",
     "│ Error: Unsupported argument\n│\n│   on main.tf line 12, in resource \"aws_s3_bucket\" "
     "\"logs\":\n│   12:   acl_x = \"private\"", ""),
    ("permission", "terraform-credentials",
     "│ Error: error configuring Terraform AWS Provider: no valid credential sources for "
     "Terraform AWS Provider found.", ""),
    ("dependency", "terraform-provider",
     "│ Error: Failed to query available provider packages\n│\n│ Could not retrieve the list of "
     "available versions for provider hashicorp/awz", ""),
    # --- Kubernetes
    ("dependency", "k8s-image", "shop-7d9c 0/1 ImagePullBackOff 0 2m", ""),
    ("crash", "k8s-crashloop", "shop-7d9c 0/1 CrashLoopBackOff 5 (30s ago) 4m", ""),
    ("memory", "k8s-oom", "Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137", ""),
    ("configuration", "k8s-manifest",
     "error: unable to recognize \"deploy.yaml\": no matches for kind \"Deployment\" in version "
     "\"apps/v1beta1\"", ""),
    ("permission", "k8s-forbidden",
     "Error from server (Forbidden): deployments.apps is forbidden: User \"ci\" cannot create "
     "resource \"deployments\" in API group \"apps\"", ""),
    ("timeout", "k8s-rollout",
     "error: deployment \"shop\" exceeded its progress deadline", ""),
    # --- CI systems: timeouts and platform failures
    ("timeout", "travis-silent",
     "No output has been received in the last 10m0s, this potentially indicates a stalled build "
     "or something wrong with the build itself.", ""),
    ("timeout", "gha-max-time",
     "##[error]The job running on runner GitHub Actions 3 has exceeded the maximum execution "
     "time of 360 minutes.", ""),
    ("infrastructure", "gitlab-system", "ERROR: Job failed (system failure): Error response from "
     "daemon: no such image", ""),
    # --- Causes that cut across toolchains
    ("database", "postgres-owner",
     'ERROR:  must be owner of relation users\nSTATEMENT:  ALTER TABLE users ADD COLUMN x int', ""),
    ("database", "mysql-connect",
     "Mysql2::Error::ConnectionError: Can't connect to local MySQL server through socket "
     "'/var/run/mysqld/mysqld.sock' (2)", ""),
    ("database", "redis-port", "Error: connect ECONNREFUSED 127.0.0.1:6379", ""),
    ("network", "ruby-read-timeout",
     "Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>", ""),
    ("network", "node-fetch", "FetchError: request to https://api.example.org/v1 failed, reason: "
     "getaddrinfo ENOTFOUND api.example.org", ""),
    ("network", "go-dial", "Get \"https://example.org/data\": dial tcp 93.184.216.34:443: i/o "
     "timeout", ""),
    ("data", "yaml-front-matter",
     "Error reading file /site/_posts/2019-01-01-x.md: (<unknown>): found character that cannot "
     "start any token while scanning for the next token at line 3 column 1", ""),
    ("data", "json-parse", "JSON::ParserError: 783: unexpected token at '{\"a\": }'", ""),
    ("performance", "size-limit",
     "  Package size limit has exceeded by 934 B\n  Size limit:   103 KB\n"
     "  Package size: 103.91 KB", ""),
    ("crash", "segfault-in-tests",
     "tests/test_ext.py::test_parse Fatal Python error: Segmentation fault\n\nCurrent thread "
     "0x00007f (most recent call first):", ""),
    ("dependency", "ghc-module",
     "src/Lib.hs:3:1: error:\n    Could not find module ‘Data.Text’\n    Perhaps you need to add "
     "‘text’ to the build-depends in your .cabal file.", ""),
    ("dependency", "javac-package",
     "[ERROR] /src/main/java/App.java:[3,24] package org.apache.commons.lang3 does not exist", ""),
    ("infrastructure", "checkout", "fatal: Remote branch feature/x not found in upstream origin",
     "git clone --depth=50 --branch=feature/x https://github.com/acme/shop.git acme/shop"),
    ("test", "tasty", "  tables:                            FAIL (0.06s)\n    --- tables.custom",
     ""),
    ("test", "minitest",
     "Failure:\nCartTest#test_totals [/src/test/cart_test.rb:12]:\nExpected false to be truthy.\n\n"
     "bin/rails test test/cart_test.rb:10", ""),
    ("compile", "werror-step",
     "src/a.hs:94:10: Warning:\n    The import of ‘Data.List’ is redundant",
     "Failing due to -Werror."),
    ("compile", "coffee", "test/numbers.coffee:8:25: error: unexpected identifier", ""),
    ("configuration", "exit-127", "something printed nothing useful",
     'The command "./ci/install-jdk.sh --install openjdk11" exited with 127.'),
    ("configuration", "missing-script",
     "/home/ci/.functions: line 104: /home/ci/build/install-jdk.sh: No such file or directory", ""),
    ("configuration", "not-installed",
     "The program 'swift' is currently not installed. To run 'swift' please ask your "
     "administrator to install the package 'swiftlang'", ""),
    ("crash", "erlang-process",
     "Error in process <0.83.0> with exit value:\n{badarg,[{erlang,binary_to_atom,[<<>>]}]}", ""),
    # --- The stage of the step, when the output names no known cause
    ("test", "test-step", "Expected 3 items, saw 2", "bundle exec rake test"),
    ("compile", "build-step", "something went wrong", "make -j4"),
    ("lint", "check-script", "Words not in alphabetical order: foo, bar",
     "./scripts/check-order.sh"),
    ("type-check", "typecheck-step", "src/x.vue: 3 problems", "npm run typecheck"),
    ("dependency", "install-step", "something went wrong", "npm ci"),
    ("security", "security-step", "some output", "pip-audit -r requirements.txt"),
    ("database", "database-step", "something went wrong", "bundle exec rails db:migrate"),
    ("data", "data-step", "something went wrong", "check-jsonschema --schemafile s.json d.json"),
    ("performance", "performance-step", "something went wrong", "npx size-limit"),
    ("configuration", "terraform-step", "something went wrong", "terraform plan -input=false"),
    # --- Messages of scanners, runners and services (new in the second round)
    ("security", "snyk", "Tested 212 dependencies for known issues, found 3 issues, 7 vulnerable "
     "paths.", ""),
    ("security", "grype", "1 error occurred:\n\t* discovered vulnerabilities at or above the "
     "severity threshold", ""),
    ("security", "govulncheck", "Your code is affected by 2 vulnerabilities from 1 module.", ""),
    ("security", "bundler-audit", "Name: rack\nVersion: 2.0.1\nCVE: \nVulnerabilities found!",
     ""),
    ("security", "cargo-audit", "Crate:     time\nID:        RUSTSEC-2020-0071\n"
     "error: 1 vulnerability found!", ""),
    ("flaky", "pytest-rerun", "tests/test_a.py::test_b RERUN\ntests/test_a.py::test_b PASSED\n"
     "ERROR: 1 test was flaky (fail-on-flaky)", ""),
    ("flaky", "surefire-flakes",
     "[WARNING] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Flakes: 1", ""),
    ("memory", "node-heap", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap "
     "out of memory", ""),
    ("memory", "gcc-vm", "virtual memory exhausted: Cannot allocate memory", ""),
    ("timeout", "circleci-silent", "Too long with no output (exceeded 10m0s): context deadline "
     "exceeded", ""),
    ("timeout", "jenkins-timeout", "Cancelling nested steps due to timeout", ""),
    ("infrastructure", "buildkite-agent-lost", "Exited with status -1 (agent lost)", ""),
    ("infrastructure", "jenkins-agent", "hudson.remoting.ChannelClosedException: Channel "
     "\"hudson.remoting.Channel@1:agent-3\": Remote call on agent-3 failed", ""),
    ("infrastructure", "gitlab-get-sources", "fatal: unable to access "
     "'https://gitlab.com/acme/shop.git/': The requested URL returned error: 502",
     "section_start:1796640499:get_sources"),
    ("database", "postgres-clients", "psql: error: FATAL:  sorry, too many clients already", ""),
    ("database", "postgres-relation", 'ERROR:  relation "orders" does not exist at character 15',
     ""),
    ("permission", "sudoers", "ci is not in the sudoers file.  This incident will be reported.",
     ""),
    ("permission", "read-only-fs", "touch: cannot touch '/usr/lib/x': Read-only file system", ""),
    ("data", "ajv", "data/users.json invalid\n[{ instancePath: '/0/age', schemaPath: "
     "'#/items/properties/age/type', message: 'must be integer' }]", ""),
    # --- The class of an exception names the cause when no message does
    ("database", "error-class-db-api", "sqlalchemy.exc.StatementError: boom\n"
     "pg8000.exceptions.InterfaceError: x\nIntegrityError: UNIQUE failed", ""),
    ("permission", "error-class-credentials",
     "botocore.exceptions.NoCredentialsError: Unable to locate credentials", ""),
    ("network", "error-class-host", "java.net.UnknownHostException: artifacts.internal", ""),
    ("configuration", "error-class-settings", "app.settings.MissingSettingError: SECRET_KEY", ""),
    ("data", "error-class-parse", "com.fasterxml.jackson.core.JsonParseException: Unexpected "
     "character ('}' (code 125))", ""),
    ("crash", "uncaught-python", "Traceback (most recent call last):\n  File \"deploy.py\", "
     "line 3, in <module>\n    main()\nZeroDivisionError: division by zero", "python deploy.py"),
    ("crash", "uncaught-java", 'Exception in thread "main" java.lang.IllegalStateException: '
     "no route\n\tat com.acme.App.main(App.java:9)", "java -jar app.jar"),
    ("compile", "python-syntax", "E     File \"/src/calc/__init__.py\", line 18\n"
     "E       return (a / b\nE              ^\nE   SyntaxError: '(' was never closed", ""),
    ("compile", "go-vet-cannot-typecheck", "# example.com/shop\nvet: ./cart.go:20:2: invalid "
     "operation: s[k] -= k (mismatched types int and string)", "go vet ./..."),
    # --- RPM packaging: dnf/yum, mock, rpmbuild (Fedora and RHEL images, Copr, Koji, Packit)
    ("dependency", "dnf-no-match", "Failed to resolve the transaction:\nNo match for argument: "
     "pkgconfig(libfoo) >= 2.0.0\nYou can try to add to command line:\n  --skip-unavailable "
     "to skip unavailable packages", ""),
    ("dependency", "dnf-nothing-provides", "Problem: cannot install the best candidate for the "
     "job\n  - nothing provides gcc = 99.0.0 needed by build-macros-1-1.noarch from updates", ""),
    ("dependency", "dnf4-no-match", "Error: Unable to find a match: python3-foo", "dnf install "
     "-y python3-foo"),
    ("dependency", "rpm-build-deps", "error: Failed build dependencies:\n\tlibfoo-devel is "
     "needed by bar-1.0-1.fc40.x86_64", ""),
    ("dependency", "rpmbuild-source-404", "curl: (22) The requested URL returned error: 404\n"
     "error: Couldn't download https://example.org/releases/bar-1.0.tar.gz", ""),
    ("configuration", "rpmbuild-missing-patch", "RPM build errors:\nerror: Bad file: /builddir/"
     "build/SOURCES/fix-paths.patch: No such file or directory", ""),
    ("test", "rpmbuild-check-stage", "1 runs, 1 assertions, 0 failures, 1 errors, 0 skips\n"
     "error: Bad exit status from /var/tmp/rpm-tmp.AbC123 (%check)\n\nRPM build errors:", ""),
    ("compile", "rpmbuild-build-stage", "make: *** [Makefile:12: all] Error 2\nerror: Bad exit "
     "status from /var/tmp/rpm-tmp.XyZ789 (%build)", ""),
    # the failed step's command names the stage when the output does not
    ("test", "step-run-tests-script", "something odd happened", "./scripts/run-tests.sh"),
    ("test", "step-unittest", "something odd happened", "python -m unittest discover"),
    ("test", "step-test-colon", "something odd happened", "npm run test:unit"),
    ("compile", "step-build-script", "something odd happened", "./ci/build.sh --release"),
    ("compile", "step-rpmbuild", "something odd happened", "rpmbuild -ba shop.spec"),
    ("dependency", "dnf-nothing-provides-requested", "DEBUG util.py:459:  Problem: nothing "
     "provides requested (python3dist(botocore) < 1.38~~ with python3dist(botocore) >= 1.37)", ""),
    # --- Buildbot (Mozilla's CI of the 2010s) and the shells under it
    ("timeout", "buildbot-no-output", "command timed out: 1200 seconds without output, attempting "
     "to kill\nprocess killed by signal 9\nprogram finished with exit code -1", ""),
    ("infrastructure", "buildbot-worker-lost", "remoteFailed: [Failure instance: Traceback "
     "(failure with no frames): <class 'twisted.internet.error.ConnectionLost'>: Connection to "
     "the other side was lost in a non-clean fashion.", ""),
    ("configuration", "bad-interpreter", "/usr/bin/sh: ./scripts/check-locales: /usr/bin/python: "
     "bad interpreter: No such file or directory\nmake: *** [merge-l10n] Error 126", ""),
    # --- A harness stops the program under test (Mozilla's harnesses word it this way)
    ("timeout", "harness-silent-timeout", "TEST-UNEXPECTED-TIMEOUT | automation.py | application "
     "timed out after 370 seconds with no output", ""),
    ("crash", "harness-reports-the-crash-itself", "TEST-UNEXPECTED-FAIL | automation.py | Exited "
     "with code 11 during test run\nPROCESS-CRASH | automation.py | application crashed "
     "[Unknown top frame]", ""),
    ("crash", "harness-process-crash", "PROCESS-CRASH | application crashed [@ libc.so + 0x1f] "
     "| dom/tests/test_workers.js", ""),
]

# (category that must NOT win, case name, excerpt, step facts)
NOT: list[tuple[str, str, str, str]] = [
    ("lint", "checkstyle-warnings-with-a-test-failure",
     "[ant:checkstyle] [WARN] /src/Cart.java:12: Line has trailing spaces. [RegexpSingleline]\n"
     "CartTest > totals FAILED\n    java.lang.AssertionError at CartTest.java:21", ""),
    ("dependency", "install-then-test", "AssertionError: 3 != 4", "npm ci && npm test"),
    ("compile", "gradle-build-failed-tests",
     "CartTest > totals FAILED\n\n3 tests completed, 1 failed\n\nFAILURE: Build failed with an "
     "exception.\n\nBUILD FAILED in 12s", ""),
    ("network", "install-network", "ERROR: Could not install packages due to an OSError: "
     "Connection reset by peer", "pip install -e ."),
    ("data", "serializable-is-not-data",
     "java.io.NotSerializableException: scala.collection.ArrayOps", ""),
    ("crash", "a-test-traceback-is-a-test",
     "Traceback (most recent call last):\nValueError: bad", "python -m pytest"),
    ("test", "lint-under-npm-test", "  /src/a.js:3:5: Missing semicolon.\nnpm ERR! Test failed.  "
     "See above for more details.", "npm test"),
    ("test", "latest-is-no-test-step", "curl: (22) The requested URL returned error: 404",
     "curl -fsSLo app.tar.gz https://example.org/releases/latest/app.tar.gz"),
    ("compile", "a-paths-rpmbuild-is-no-build-step", "curl: (22) The requested URL returned "
     "error: 404", "curl -o /var/lib/copr-rpmbuild/results/app.tar.gz https://example.org/a"),
    # a test failed first; the harness's later timeout or crash follows from it
    ("timeout", "silent-timeout-after-a-failing-test",
     "TEST-UNEXPECTED-FAIL | dom/tests/test_a.html | "
     "assertion count 0 is less than expected\nTEST-UNEXPECTED-TIMEOUT | automation.py | "
     "application timed out after 330 seconds with no output", ""),
    ("lint", "a-compilers-warning-that-prescribes", "src/app.erl:291: Warning: crypto:rand_uniform/"
     "2 is deprecated; use rand:uniform/1\nsrc/app.erl:12: function start/0 undefined", ""),
    ("lint", "a-runtimes-deprecation-warning", "(node:7059) [DEP0005] DeprecationWarning: Buffer() "
     "is deprecated. Please use the Buffer.alloc() method instead.", ""),
    ("lint", "a-go-tests-message-is-no-finding", "--- FAIL: TestTotal (0.00s)\ncart_test.go:12: "
     "total should be 10, got 9\nFAIL", ""),
    ("crash", "process-crash-after-a-failing-test", "FAILED tests/test_a.py::test_b - assert 1 "
     "== 2\nPROCESS-CRASH | application crashed [@ libc.so + 0x1f]", ""),
]


def decide(text: str, step: str) -> str:
    return default_policy().decide(FailureFacts(text=text, step=step)).category


@pytest.mark.parametrize(("category", "name", "text", "step"), CASES,
                         ids=[case[1] for case in CASES])
def test_default_policy_names_the_failure_kind(
    category: str, name: str, text: str, step: str
) -> None:
    assert decide(text, step) == category, name


@pytest.mark.parametrize(("category", "name", "text", "step"), NOT, ids=[case[1] for case in NOT])
def test_default_policy_does_not_name(category: str, name: str, text: str, step: str) -> None:
    assert decide(text, step) != category, name


def test_every_toolchain_of_the_issue_has_cases() -> None:
    names = " ".join(case[1] for case in CASES)
    for tool in ("maven", "gradle", "checkstyle", "pmd", "spotbugs", "surefire", "junit",
                 "pytest", "mypy", "ruff", "flake8", "pip", "npm", "yarn", "pnpm", "tsc",
                 "eslint", "jest", "go-", "cargo", "clippy", "cmake", "gcc", "clang", "ctest",
                 "bundler", "rspec", "rubocop", "dotnet", "docker", "terraform", "k8s"):
        assert tool in names, tool


def test_the_step_facts_of_a_real_log_reach_the_policy() -> None:
    log = ("travis_fold:start:script\n$ ./scripts/check-order.sh\n"
           "Words not in alphabetical order: foo, bar\n"
           'The command "./scripts/check-order.sh" exited with 1.\n\n'
           "Done. Your build exited with 1.\n")
    reading = read_log([log.encode()])
    assert decide(reading.excerpt.text, reading.step) == "lint"


# Bare outputs of checkers (no command line, no CI frame), written the way each tool prints
# its findings; compilers' errors with the same shape must stay compile errors.
BARE: list[tuple[str, str, str]] = [
    ("lint", "staticcheck-code", "pkg/cart.go:14:2: this value of err is never used (SA4006)"),
    ("lint", "yamllint-rule", "deploy/app.yml:3:81: [error] line too long (95 > 80 characters) "
     "(line-length)"),
    ("lint", "golint-should", "cart.go:12:1: exported function Total should have comment or be "
     "unexported"),
    ("lint", "protolint-should", "[api/v1/cart.proto:4:1] File name should be lower_snake_case"
     ".proto."),
    ("lint", "go-vet", "./cart.go:21:2: fmt.Sprintf format %d has arg name of wrong type string"),
    ("lint", "rubocop-banner", "Inspecting 12 files\n..C.W.......\n\nOffenses:\n\n"
     "app/cart.rb:3:1: C: Layout/EmptyLines: Extra blank line detected."),
    ("lint", "erb-lint-banner", "Linting 4 files with 11 linters...\n\napp/views/a.html.erb:2:0"
     ": Remove newline before `%>` to match start of tag."),
    ("lint", "hlint", "src/Cart.hs:8:9: Suggestion: Use fmap\nFound:\n  map f xs\n\n3 hints"),
    ("lint", "pydocstyle", "cart.py:1 at module level:\n        D100: Missing docstring in "
     "public module"),
    ("lint", "puppet-lint", "/etc/puppet/manifests/site.pp - WARNING: double quoted string "
     "containing no variables on line 4"),
    ("lint", "dotenv-linter", ".env:3 The API-KEY key has incorrect delimiter"),
    ("lint", "tslint-prose", "src/cart.ts[12, 5]: missing semicolon"),
    ("lint", "typos", "error: `recieve` should be `receive`\n  --> src/cart.rs:4:8"),
    ("security", "gosec", "/src/cart.go:30:3: [CWE-78] Subprocess launched with variable "
     "(Rule:G204, Severity:MEDIUM, Confidence:HIGH)"),
    ("security", "bandit-short", "app/db.py:12: B608[bandit]: MEDIUM: Possible SQL injection "
     "vector through string-based query construction."),
    ("security", "brakeman", "app/models/cart.rb  9  SQL Injection  General  Possible SQL "
     "injection near line 9: where(\"id = #{params[:id]}\")  High"),
    ("type-check", "psalm", "src/Cart.php:14:9:error - UndefinedVariable: Cannot find "
     "referenced variable $total"),
    ("type-check", "phpstan-raw", "/app/src/Cart.php:21:Access to an undefined property "
     "Cart::$items."),
    ("type-check", "sorbet", "cart.rb:5: Method totl does not exist on Cart https://srb.help/7003"
     "\nErrors: 1"),
    ("compile", "scalac", "Cart.scala:7: error: not found: value totl\n  totl(items)\n  ^\n"
     "one error found"),
    # compilers word their errors the same way and stay compile errors
    ("compile", "javac-should-be-declared", "src/Cart.java:1: error: class Basket is public, "
     "should be declared in a file named Basket.java"),
    ("compile", "go-compile", "./cart.go:9:2: undefined: totl"),
    ("compile", "csharp-error", "Cart.cs(12,9): error CS0103: The name 'totl' does not exist in "
     "the current context"),
]


@pytest.mark.parametrize(("category", "name", "text"), BARE, ids=[case[1] for case in BARE])
def test_a_checkers_bare_output_names_its_kind(category: str, name: str, text: str) -> None:
    assert decide(text, "") == category, name
