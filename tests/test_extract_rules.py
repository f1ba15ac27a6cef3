"""Line rules as a case table: (line, the rule that must classify it).

Each line must also be found by the scan pattern (a line the scan misses is never classified),
and the RE2 set and the pure-Python fallback must agree on every line.
"""

from __future__ import annotations

import re

import pytest

from knownfix.core.extract.rules import RULES, RULESET, SCAN, SCAN_SOURCE, candidate_lines
from knownfix.core.extract.rules.base import LineRule, RuleSet

CASES: list[tuple[str, str | None]] = [
    # CI systems
    ("travis_fold:start:install", "travis_start"),
    ("travis_time:end:0b2f:start=1,finish=2,duration=1", "travis_end"),
    ('The command "make test" exited with 2.', "travis_exit"),
    ('The command "make test" exited with 0.', "travis_ok_exit"),
    ("Done. Your build exited with 1.", "travis_done"),
    ("##[group]Run pytest", "gha_group"),
    ("##[error]Process completed with exit code 1.", "gha_exit"),
    ("##[error]Unable to resolve action `actions/chekout@v4`", "gha_error"),
    ("::error file=app.py,line=3::boom", "gha_annotation"),
    ("[Pipeline] sh", "jenkins_stage"),
    ("ERROR: script returned exit code 2", "jenkins_exit"),
    ("ERROR: Job failed: exit code 1", "gitlab_exit"),
    ("$ make test", "shell_command"),
    ("Error: Process exited with code: 3", "child_exit"),
    ("xcodebuild: error: Unable to find a destination", "tool_error"),
    ("E: Unable to locate package libfoo-dev", "apt_error"),
    # benign wording
    ("not ok 6 no errors", "tap_not_ok"),
    ("SKIPPED [1] tests/test_x.py:3: could not import 'pandas'", "skipped"),
    ("Tests Passed: 4, Failed: 0, Skipped: 0", "passed_counts"),
    ("Errors: 0", "zero_counts"),
    ("0 errors, 5 warnings", "zero_counts"),
    # success summaries of many runners, read as counts; a non-zero failure count never is one
    ("14 tests, 0 failures", "passed_counts"),
    ("[info] Tests: succeeded 9, failed 0, canceled 0, ignored 0, pending 0", "passed_counts"),
    ("web1   : ok=3    changed=0    unreachable=0    failed=0    skipped=0", "passed_counts"),
    ("      Tests  15 passed | 1 skipped (16)", "passed_counts"),
    ("  11 passed (9.8s)", "passed_counts"),
    ("black....................................................................Passed",
     "passed_hooks"),
    ("00:03 +47 ~1: All tests passed!", "passed_all"),
    ("STATUS: deployed", "passed_helm"),
    ("[success] Total time: 21 s, completed Nov 5, 2026, 10:02:11 AM", "passed_build_tool"),
    ("INFO: Build completed successfully, 31 total actions", "passed_build_tool"),
    ("\t Executed 9 tests, with 0 failures (0 unexpected) in 0.008 (0.009) seconds",
     "passed_tests_executed"),
    ("Executed 2 out of 4 tests: 4 tests pass.", "passed_tests_executed"),
    ("42 files would be left unchanged.", "passed_formatter"),
    ("   × cart > applies discount", "vitest_failed"),
    ("     → expected 90 to be 85", "vitest_reason"),
    ("      Tests  1 failed | 15 passed (16)", "vitest_summary"),
    ("flake8...................................................................Failed",
     "precommit_failed"),
    ("--- PASS: TestErrorsWrap (0.00s)", "passed"),
    ("DeprecationWarning: the error module is deprecated", "deprecation"),
    ("cc1: all warnings being treated as errors", "werror"),
    ("cc -O2 -Wall -c src/util/error.c -o build/obj/error.o", "compiler_command"),
    # JavaScript
    ("npm ERR! code ELIFECYCLE", "npm_lifecycle"),
    ("npm ERR! A complete log of this run can be found in:", "npm_noise"),
    ("npm ERR! code ERESOLVE", "npm_error"),
    (" ERR_PNPM_OUTDATED_LOCKFILE  Cannot install", "pnpm_error"),
    ("error Command failed with exit code 1.", "child_exit"),
    ("info Visit https://yarnpkg.com/en/docs/cli/run for documentation", "yarn_noise"),
    ("  3 failing", "mocha_failing"),
    ("FAIL src/components/Cart.test.tsx", "jest_fail"),
    ("  ● Cart › shows the empty state", "jest_bullet"),
    ("src/a.ts(41,7): error TS2322: Type 'string' is not assignable", "tsc_error"),
    ("  12:7  error  'config' is assigned a value but never used  no-unused-vars", "eslint_error"),
    ("TypeError: Cannot read property 'block' of undefined", "node_error"),
    # JVM
    ("[ERROR] -> [Help 1]", "maven_noise"),
    ("[ERROR] ", "maven_noise"),
    ("[INFO] BUILD FAILURE", "maven_build_failure"),
    ("[ERROR] /src/A.java:[58,31] cannot find symbol", "maven_compile"),
    ("[ERROR] foo(com.acme.FooTest)  Time elapsed: 0.01 s  <<< FAILURE!", "surefire_failure"),
    ("* What went wrong:", "gradle_what"),
    ("com.acme.FooTest > bar() FAILED", "gradle_test_failed"),
    ("FAILURE: Build failed with an exception.", "gradle_failure_banner"),
    ("BUILD FAILED in 3s", "gradle_failure"),
    ("[info] - computes the distance *** FAILED ***", "scalatest_failed"),
    ("[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful", "sbt_noise"),
    ("Caused by: java.io.IOException: disk full", "java_caused_by"),
    ('Exception in thread "main" java.lang.IllegalStateException: boom', "java_exception"),
    # native
    ("make: *** [Makefile:91: all] Error 2", "make_cascade"),
    ("error: could not compile `ledger` (lib) due to previous error", "rust_noise"),
    ("collect2: error: ld returned 1 exit status", "linker_noise"),
    ("src/resize.c:88:17: error: 'scale_x' undeclared", "cc_error"),
    ("src/resize.c:12:5: warning: unused variable 'x'", "cc_warning"),
    ("❌  /src/A.swift:97:2: unknown attribute 'dynamicMemberLookup'", "xcode_cross"),
    ("CMake Error at CMakeLists.txt:14 (find_package):", "cmake_error"),
    ("main.c:(.text+0x1a): undefined reference to `foo'", "linker_undefined"),
    ("error[E0308]: mismatched types", "rust_error"),
    ("thread 'main' panicked at 'boom', src/main.rs:3:5", "rust_panic"),
    ("---- tests::applies_transfer stdout ----", "rust_test_header"),
    ("--- FAIL: TestBalance (0.00s)", "go_fail"),
    ("panic: runtime error: index out of range [3] with length 3", "go_panic"),
    ("FAIL\tgithub.com/acme/ledger\t0.011s", "go_pkg_fail"),
    ("./main.go:12:3: undefined: foo", "go_compile"),
    ("src/Types.hs:40:1: error: [-Wunused-imports, -Werror=unused-imports]", "ghc_error"),
    # Python
    ("Traceback (most recent call last):", "py_traceback"),
    ("During handling of the above exception, another exception occurred:", "py_chain"),
    (
        "=================================== FAILURES ===================================",
        "pytest_banner",
    ),
    (
        "_________________________ test_total_includes_tax _________________________",
        "pytest_section",
    ),
    ("E       assert 1 == 2", "pytest_e"),
    ("tests/test_cart.py:42: AssertionError", "pytest_location"),
    ("FAILED tests/test_cart.py::test_total - AssertionError", "pytest_short"),
    ("ERROR: test_divide (test_calc.CalcTest)", "unittest_header"),
    ("FAILED (errors=1)", "unittest_result"),
    ("ValueError: invalid literal for int() with base 10: 'x'", "node_error"),
    ("django.db.utils.ProgrammingError: column does not exist", "java_exception"),
    ("KeyError", "py_exception"),
    ("ModuleNotFoundError: No module named 'cv2'", "node_error"),
    ("E       fixture 'report_month' not found", "pytest_e"),
    # other test runners
    ("Failures:", "rspec_failures"),
    ("     Failure/Error: expect(x).to eq(1)", "rspec_failure_error"),
    ("18 examples, 1 failure", "runs_summary"),
    ("  1) test checkout charges the card (Shop.CheckoutTest)", "exunit_test"),
    ("** (MatchError) no match of right hand side value: :error", "exunit_exception"),
    ("There was 1 failure:", "phpunit_there_were"),
    ("Failed asserting that 20.0 matches expected 23.8.", "phpunit_assert"),
    ("PHP Fatal error:  Uncaught Error: Call to undefined function", "php_fatal"),
    ("#   Failed test 'parses dates'", "perl_failed_test"),
    ("t/basic.t ... Dubious, test returned 1 (wstat 256, 0x100)", "perl_dubious"),
    ("[-] Running without params -> Expected and actual values differ!", "pester_failed"),
    ("Error in library(foo) : there is no package called 'foo'", "r_error_in"),
    ("  -- 1. Error: classif_blackboost (@test_classif.R#32)  ------", "testthat_failure"),
    ("── Failure ('test-add.R:3:3'): add works ──────────", "testthat_failure"),
    ("  -- Error (test-io.R:8:3): reads a file -----------", "testthat_failure"),
    # the progress reporter's live report, without the rule drawn around it
    ("Failure ('reporters/fail-many.R:3:5'): Example", "testthat_failure"),
    ("Error ('test-io.R:8:3'): reads a file", "testthat_failure"),
    ("Error (most likely) in the parser", "generic_error"),  # no quoted file:line
    ("gset: basic_props_test...*failed*", "eunit_test_failed"),
    ("*** error reading file ***", "starred_banner"),
    ("*** caught segfault ***", "starred_banner"),
    ("*** prove ***", None),
    ("ERROR: dependency ‘xml2’ is not available for package ‘pkg’", "r_install_failed"),
    ("ERROR: configuration failed for package ‘xml2’", "r_install_failed"),
    ("  installation of package ‘xml2’ had non-zero exit status", "r_install_failed"),
    ("Error: R CMD check found WARNINGs", "testthat_summary"),
    ("Error detected while processing function themis#run[12]..<SNR>3_test:", "vim_error_source"),
    ("E117: Unknown function: calc#nope", "vim_error"),
    ("Vim(call):E121: Undefined variable: s:x", "vim_error"),
    ("E: Unable to locate package libfoo-dev", "apt_error"),
    (
        "spec: Test/Tasty/ExpectedFailure.hs:(48,13)-(52,20): Missing field in record construction"
        " resultDetailsPrinter",
        "haskell_runtime_error",
    ),
    ("prog: src/A.hs:12:5-20: Non-exhaustive patterns in function f", "haskell_runtime_error"),
    ("  Error: testthat unit tests failed", "testthat_summary"),
    ("  Error: Test failures", "testthat_summary"),
    ("  [ FAIL 1 | WARN 0 | SKIP 15 | PASS 367 ]", "testthat_summary"),
    ("suite:recv_message failed on line 535", "erlang_failed_line"),
    # xUnit-style runners
    ("[  FAILED  ] StackTest.PopsInOrder (0 ms)", "gtest_failed"),
    ("/src/stack_test.cc:42: Failure", "gtest_failure"),
    ("The following tests FAILED:", "ctest_failed_list"),
    ("  Failed Shop.Tests.CartTests.TotalIncludesTax [12 ms]", "dotnet_failed"),
    ("Failed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42", "dotnet_summary"),
    ("Errors and Failures:", "nunit_header"),
    ("1) Failed : Shop.Tests.CartTests.TotalIncludesTax", "nunit_item"),
    ("Build FAILED.", "msbuild_failed"),
    ("FAIL in (test-parse) (core_test.clj:12)", "clojure_test"),
    ("Syntax error compiling at (shop/core.clj:3:1).", "clojure_syntax"),
    ("Failure → spec/cart_spec.lua @ 12", "busted_failure"),
    ("# (in test file test/install.bats, line 7)", "bats_location"),
    ("==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020", "sanitizer"),
    ("src/buf.c:12:5: runtime error: signed integer overflow", "sanitizer"),
    ("[error] /src/Geo.scala:14:5: type mismatch;", "sbt_compile"),
    ("e: file:///src/App.kt:12:5 Unresolved reference: foo", "kotlin_compile"),
    (
        "app.rb:12:in `total': undefined method `+' for nil:NilClass (NoMethodError)",
        "ruby_exception",
    ),
    ("== Compilation error in file lib/shop.ex ==", "elixir_compile"),
    (
        "Can't locate JSON/XS.pm in @INC (you may need to install the JSON::XS module)",
        "perl_missing_module",
    ),
    (
        "[ERROR] Failed to execute goal on project api: Could not resolve dependencies",
        "maven_goal_failed",
    ),
    (
        "[ERROR] Failed to execute goal org.jacoco:jacoco-maven-plugin:0.7.9:check (default-check)"
        " on project core: Coverage checks have not been met. See log for details. -> [Help 1]",
        "maven_goal_failed",
    ),
    (
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.20:test"
        " (default-test) on project app: There are test failures.",
        "maven_noise",
    ),
    (
        "[INFO] PMD Failure: com.acme.App:42 Rule:UnusedImports Priority:4 Avoid unused imports"
        " such as 'java.util.List'.",
        "maven_pmd_finding",
    ),
    (
        "[WARNING] src/main/java/com/acme/App.java:[12,8] (imports) UnusedImports: Unused import"
        " - java.util.List.",
        "maven_checkstyle_finding",
    ),
    (
        "[ERROR] Medium: Found reliance on default encoding in com.acme.Y.z(): new"
        " java.io.FileReader(String) [com.acme.Y] At Y.java:[line 42] DM_DEFAULT_ENCODING",
        "spotbugs_finding",
    ),
    ("[INFO] abstract-factory ................................... FAILURE [  2.344 s]",
     "maven_module_failed"),
    ("[INFO] abstract-factory ................................... SUCCESS [  2.344 s]", None),
    (
        "[WARNING] Rule violated for bundle core: lines covered ratio is 0.00, but expected"
        " minimum is 0.80",
        "coverage_threshold",
    ),
    (
        "[ERROR] Failed to execute goal x:y:1:test on project api: There are test failures.",
        "maven_noise",
    ),
    # generic
    ("bash: line 1: pnpm: command not found", "command_not_found"),
    ("cp: cannot stat 'dist/app.js': No such file or directory", "no_such_file"),
    ("Segmentation fault (core dumped)", "signal"),
    ("expected 'gqlgen' but actual is 'graphql-go'", "generic_expected"),
    ("./a.py:3:1: E302 expected 2 blank lines, found 1", "lint_finding"),
    ("Nancy.Tests.BrowserFixture.Should_return_json [FAIL]", "xunit_fail"),
    ("=>text-objects/lexer                                FAIL", "status_suffix"),
    ("ejabberd_SUITE:init_per_group failed", "failed_suffix"),
    ("Something went wrong: error while reading the config", "generic_error"),
    ("      tables:                                   FAIL (0.05s)", "tasty_fail"),
    ("Illegal instruction (core dumped)", "signal"),
    ("Access violation in generated code when reading 0000000000000000", "signal"),
    ("PROCESS-CRASH | application crashed [@ libsystem_kernel.dylib + 0xdfa] | t.js",
     "mozilla_unexpected"),
    ("Test harness: application crashed [@ mozalloc_abort]", "signal"),
    # failure words quoted in a dump of several literals (a call's kwargs) are no failure ...
    ("retry: Calling run_command with args: [['pip', 'install']], kwargs: "
     "{'error_list': [{'substr': 'command not found', 'level': 'x'}]}", None),
    # ... but a message that quotes one thing keeps its rule
    ('starting container process caused "exec: \\"-c\\": executable file not found"',
     "generic_not_found"),
    ("sh: 1: 'jest': command not found", "command_not_found"),
    # a JSON event's double-quoted values are the failure a structured log reports
    ('{"action": "test_status", "status": "FAIL", "expected": "PASS", "test": "a.html"}',
     "generic_fail"),
    ("# Looks like your test exited with 255 just after 1.", "perl_died"),
    ("# Looks like your test died just after 3.", "perl_died"),
    ("# Looks like you failed 1 test of 3.", "perl_looks_like"),
    ("    (2/3) [EXECUTE] (X) 6 should be equal to 4", "vader_failed"),
    ("    (1/2) [EXECUTE] (X) Vim(call):E117: Unknown function: calc#labels", "vader_failed"),
    ("Build step returned: Floating point exception", "signal"),
    # package managers and document checkers
    (
        "Your requirements could not be resolved to an installable set of packages.",
        "composer_unresolvable",
    ),
    ("  Problem 1", "composer_problem"),
    ("    - ERROR | [iOS] unknown: Encountered an unknown error", "cocoapods_error"),
    ("    - WARN  | url: The URL (http://example.org) is not reachable.", "cocoapods_warn"),
    ("    - NOTE  | xcodebuild:  note: Using new build system", None),
    (
        "(<unknown>): did not find expected key while parsing a block mapping at line 3 column 1",
        "yaml_syntax",
    ),
    ("npm ERR!  code ELIFECYCLE", "npm_lifecycle"),
    ("npm ERR! site@1.0.0 lint:css: `stylelint src`", "npm_noise"),
    ('The command "composer install" failed and exited with 2 during .', "travis_exit"),
    # security scanners
    (">> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess call with shell=True",
     "bandit_issue"),
    ("10:00AM WRN leaks found: 1", "secret_leaks"),
    ("Total: 2 (HIGH: 1, CRITICAL: 1)", "trivy_total"),
    ("Command Injection in lodash - https://github.com/advisories/GHSA-35jh-r3h4-6jhm",
     "advisory_id"),
    # linters and formatters
    ("would reformat /home/runner/work/app/app/models.py", "black_file"),
    ("2 files would be reformatted, 14 files would be left unchanged.", "black_summary"),
    ("ERROR: /src/app/views.py Imports are incorrectly sorted and/or formatted.", "isort_file"),
    (
        "[warn] Code style issues found in the above file(s). Forgot to run Prettier?",
        "prettier_check",
    ),
    ("ERROR: src/app.ts[12, 3]: Missing semicolon", "tslint_finding"),
    ("app.js: line 12, col 3, Missing semicolon.", "jshint_finding"),
    ("Error ------------------------------------------------------ src/app.js:12:3", "flow_error"),
    ("docs/index.md: 12: MD009/no-trailing-spaces Trailing spaces", "markdownlint_finding"),
    (
        "docs/index.md:12 MD009/no-trailing-spaces Trailing spaces [Expected: 0 or 2]",
        "markdownlint_finding",
    ),
    (
        "[ant:checkstyle] [ERROR] /src/A.java:12:3: Line is longer than 100 characters.",
        "checkstyle_finding",
    ),
    ("[src/buffer.c:12]: (error) Memory leak: buf", "cppcheck_finding"),
    ("src/a.lua:12:3: (W211) unused variable 'x'", "luacheck_finding"),
    ("autoload/plug.vim:12:3: Undefined variable: foo (see :help E121)", "vint_finding"),
    ("In scripts/build.sh line 12:", "shellcheck_in"),
    ('         ^-- SC2115: Use "${var:?}" to ensure this never expands to /* .', "shellcheck_code"),
    # containers, downloads, shells, TeX
    ("Step 5/12 : RUN make", "docker_step"),
    ("The command '/bin/sh -c make' returned a non-zero code: 2", "docker_nonzero"),
    (
        "docker: Error response from daemon: manifest for acme/app:latest not found.",
        "docker_daemon",
    ),
    ("curl: (22) The requested URL returned error: 404 Not Found", "curl_error"),
    ("W: Failed to fetch http://archive.example.org/dists/bionic/InRelease", "apt_fetch"),
    ("The job exceeded the maximum log length, and has been terminated.", "travis_log_limit"),
    (
        "foo : The term 'foo' is not recognized as the name of a cmdlet, function.",
        "ps_not_recognized",
    ),
    ("At line:1 char:1", "ps_at_line"),
    ("! Undefined control sequence.", "tex_error"),
    ("! LaTeX Error: File `foo.sty' not found.", "tex_error"),
    # more test runners and build tools
    ("ERROR:   py37: commands failed", "tox_failed"),
    ("lerna ERR! npm run test exited 1 in 'core'", "lerna_exit"),
    ("lerna ERR! EUNCOMMIT Working tree has uncommitted changes", "lerna_error"),
    ("Executed 12 of 12 (1 FAILED) (0.5 secs / 0.4 secs)", "karma_summary"),
    ("    Expected 1 to be 2.", "jasmine_expected"),
    ("/src/test.cpp:42: FAILED:", "catch2_failed"),
    ("test cases: 12 | 11 passed | 1 failed", "catch2_summary"),
    (
        '/src/test.cpp(42): error: in "suite/adds": check add(1, 2) == 4 has failed',
        "boost_test_error",
    ),
    ('*** 1 failure is detected in the test module "Master Test Suite"', "boost_test_summary"),
    ("==1234== Invalid read of size 4", "valgrind_error"),
    ("==1234== ERROR SUMMARY: 3 errors from 3 contexts (suppressed: 0 from 0)", "valgrind_summary"),
    ("terminate called after throwing an instance of 'std::runtime_error'", "cpp_terminate"),
    ("  X TotalIsComputed [12ms]", "vstest_failed"),
    ("Total tests: 12. Passed: 11. Failed: 1. Skipped: 0.", "vstest_summary"),
    ("      Assert.Equal() Failure", "xunit_assert"),
    (
        "Unhandled Exception: System.InvalidOperationException: Sequence contains no elements",
        "dotnet_unhandled",
    ),
    ("CSC : error CS2001: Source file 'Foo.cs' could not be found.", "dotnet_error_code"),
    ("   (in test file test/install.bats, line 7)", "bats_location"),
    (
        "Could not find gem 'rails (~> 5.2)' in any of the gem sources listed in your Gemfile.",
        "bundler_missing",
    ),
    ("Failing Scenarios:", "cucumber_failing"),
    ("cucumber features/checkout.feature:12 # Scenario: Pay with card", "cucumber_rerun"),
    (
        "  Liquid Exception: undefined method `[]' for nil:NilClass in _layouts/post.html",
        "jekyll_liquid",
    ),
    ("  *  External link https://example.org/x failed: 404 No error", "htmlproofer_item"),
    ("HTML-Proofer found 3 failures!", "htmlproofer_found"),
    ("### Failure in src/Data/List.hs:12: expression `sort [2,1]'", "doctest_failure"),
    ("src/app.erl:12: The call foo:bar() will never return", "erlang_location"),
    ("src/app.erl:27: Warning: export_all flag enabled", "erlang_warning"),
    ("===> Compiling app failed", "rebar3_error"),
    ("Compilation failed in require at t/basic.t line 3.", "perl_compilation"),
    ("# Looks like you failed 1 test of 3.", "perl_looks_like"),
    ("    (2/3) [EXECUTE] (X) 6 should be equal to 4", "vader_failed"),
    ("    (1/2) [EXECUTE] (X) Vim(call):E117: Unknown function: calc#labels", "vader_failed"),
    (
        "Tests run: 5, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.1 s"
        " <<< FAILURE! - in a.FooTest",
        "surefire_class_failure",
    ),
    ("[ERROR] Tests run: 5, Failures: 0, Errors: 1, Skipped: 0", "surefire_counts_failed"),
    ("[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0", "passed_surefire"),
    ("[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1 s", "zero_counts"),
    ("Illegal switch 'j' specified!", "usage_error"),
    ("Unknown option: --frobnicate", "usage_error"),
    (
        "checking for gcc... configure: WARNING: unrecognized options: --with-foo",
        "configure_warning",
    ),
    ('The command "timeout 35m ci/build.sh" exited with 124.', "killed_exit"),
    ("##[error]Process completed with exit code 137.", "killed_exit"),
    ("An error occurred while loading ./spec/models/user_spec.rb.", "rspec_load_error"),
    ("  Last 13 lines of output:", "r_last_lines"),
    ("Quitting from lines 12-34 (intro.Rmd)", "r_quitting"),
    ("%%% cart_SUITE ==> checkout_totals: FAILED", "ct_test_failed"),
    ("Test run failed! Reason:", "ct_run_failed"),
    ("       expected: [1,2]", "hspec_expected"),
    ("Test Failed at /home/ci/pkg/test/runtests.jl:12", "julia_test_failed"),
    ("FOUND 2 ERRORS AFFECTING 1 LINE", "phpcs_found"),
    (" 12 | ERROR | [x] Missing semicolon", "phpcs_item"),
    ("Test Case '-[CartTests testTotal]' failed (0.012 seconds).", "xctest_case_failed"),
    ("     Executed 12 tests, with 1 failure (0 unexpected) in 0.1 seconds", "xctest_summary"),
    ("    Process exited with code: ExitFailure 1", "stack_exit"),
    ("--  While building package shop-0.1.0 using:", "stack_while"),
    ('File "src/cart.ml", line 12, characters 4-9:', "ocaml_location"),
    ("  ✕ adds an item (12 ms)", "generic_cross"),
    ("Module build failed (from ./node_modules/babel-loader/lib/index.js):", "webpack_error"),
    ("************* Module shop.cart", "pylint_module"),
    ("Your code has been rated at 7.50/10", "pylint_rating"),
    ("Falsifying example: test_total(items=[])", "hypothesis_falsifying"),
    ("/src/cart_test.cpp(12): ERROR: CHECK( total == 4 ) is NOT correct!", "cpp_doctest"),
    ("!!!FAILURES!!!", "cppunit_failures"),
    ("FAIL!  : CartTest::total() Compared values are not the same", "qttest_fail"),
    ("Totals: 3 passed, 1 failed, 0 skipped, 0 blacklisted, 12ms", "qttest_totals"),
    ("An error occurred when executing task 'Test'.", "cake_task_failed"),
    ("lua: src/cart.lua:12: attempt to index a nil value (local 'item')", "lua_runtime"),
    ("Latexmk: Errors, so I did not complete making targets", "latexmk_errors"),
    (
        "Error 17 in paper.tex line 12: Number of `(' doesn't match the number of `)'!",
        "chktex_error",
    ),
    ("Warning, treated as error:", "sphinx_werror"),
    ("/src/docs/index.rst:12: WARNING: undefined label: foo", "sphinx_warning"),
    ("Found 3 errors in 2 files (checked 10 source files)", "typecheck_summary"),
    # nothing to see
    ("Compiling serde v1.0.193", None),
    ("Successfully installed requests-2.22.0", None),
]


@pytest.mark.parametrize(("line", "name"), CASES, ids=[c[0][:40] for c in CASES])
def test_rule_table(line: str, name: str | None) -> None:
    rule = RULESET.classify(line)
    assert (rule.name if rule else None) == name


# "$ cmd" lines matter only when they carry failure words (which the scan then finds).
SCANNED = [c for c in CASES if c[1] and c[1] != "shell_command"]


@pytest.mark.parametrize(("line", "name"), SCANNED, ids=lambda v: str(v)[:30])
def test_scan_finds_every_classified_line(line: str, name: str) -> None:
    assert SCAN.search(line.encode()) is not None, f"the scan never shows {name} lines to the rules"


# Lines that only look like failures: the scan should not hand them to the rules at all (every
# line it shows costs a decode, a clean and a classification). Each term here was once too wide.
UNSCANNED = [
    "warning: 0102a55d:.gitmodules, multiple configurations found for 'submodule.src.path'",
    "*** PowerShell Core Development Environment Installer 1.2.0 for debian",
    "--------- START",
    "/usr/local/gems/rake-12.2.1/exe/rake:27:in `<top (required)>'",
    "checking whether C++ compiler accepts -fsanitize=address,integer,undefined... yes",
    "[ 9 of 19] Compiling ShellCheck.Formatter.CheckStyle ( src/Formatter/CheckStyle.hs )",
    "there were 8 deprecation warnings (since 2.5.5)",
    "Running tests: addrman_tests from test/addrman_tests.cpp",
    "Latexmk: Run number 1 of rule 'pdflatex'",
    "  Installing xunit.assert 2.4.0-beta.1.build3958.",
    "p2p_timeouts.py                        | Passed  | 7 s",
]


@pytest.mark.parametrize("line", UNSCANNED, ids=lambda v: v[:30])
def test_scan_skips_look_alikes(line: str) -> None:
    assert RULESET.classify(line) is None or RULESET.classify(line).role == "benign"
    assert SCAN.search(line.encode()) is None


def test_python_fallback_agrees_with_re2() -> None:
    fallback = RuleSet(RULESET.rules, RULESET.regex, RULESET.by_group, matcher=None)
    for line, _ in CASES:
        assert fallback.classify(line) == RULESET.classify(line), line


def test_rule_names_are_unique_and_patterns_compile_in_python() -> None:
    assert len({rule.name for rule in RULES}) == len(RULES)
    for rule in RULES:
        re.compile(rule.pattern)


def test_duplicate_names_are_refused() -> None:
    rule = LineRule("twice", "x", "error", 1)
    with pytest.raises(ValueError, match="duplicate"):
        RuleSet.compile((rule, rule))


def test_candidate_lines_are_the_lines_the_scan_hits() -> None:
    block = b"ok\nan error here and a failure\nnothing\nFAILED again\n\x1b[31mE   assert\n"
    reference = re.compile(SCAN_SOURCE.encode())
    expected = []
    offset = 0
    for line in block.split(b"\n")[:-1]:
        if reference.search(line):
            expected.append((offset, offset + len(line)))
        offset += len(line) + 1
    assert candidate_lines(block) == expected
    assert expected  # the block does hold hits
    assert [block[a:b] for a, b in expected][0] == b"an error here and a failure"


def test_candidate_lines_without_re2(monkeypatch: pytest.MonkeyPatch) -> None:
    import knownfix.core.extract.rules as rules

    block = b"ok\nan error here and a failure\nnothing\nFAILED again\n"
    expected = candidate_lines(block)
    monkeypatch.setattr(rules, "SCAN", re.compile(SCAN_SOURCE.encode()))
    assert rules.re2_candidate_lines(block) == expected == [(3, 30), (39, 51)]