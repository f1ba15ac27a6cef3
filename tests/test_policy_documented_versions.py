"""The default policy on the failure output of current toolchain versions, as documented.

Beside ``test_policy_documented_output.py``: Terraform and Helm, kubectl rollouts, Docker
BuildKit's ``#8 ERROR``, sbt, mix, SwiftPM and Swift Testing, dotnet test, cargo, Go modules,
ts-jest, npm 10's ``npm error`` prefix, pnpm, Maven's Checkstyle lines, unittest, uv and
Bundler 2.5. Each output is written from the tool's documented format, not from any benchmark
log, with the category ``bench/categories/PROTOCOL.md`` gives it (tsc diagnostics are
type-check, warnings denied by ``-D warnings`` are compile).
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

# (category, output)
CASES: list[tuple[str, str]] = [
    # More toolchains in their current versions: Terraform, Helm, kubectl, Docker BuildKit,
    # sbt, mix, SwiftPM, dotnet, cargo, Go, Jest/ts-jest, npm 10, pnpm, Maven, unittest, uv
    ("configuration",
     '╷\n│ Error: Reference to undeclared input variable\n│ \n│   on main.tf line 5, in '
     'resource "null_resource" "x":\n│    5:     v = var.missing\n╵'),
    ("configuration",
     'Error: Invalid value for variable\n\n  on variables.tf line 1:\n   1: variable "env" {'),
    ("configuration",
     'Error: UPGRADE FAILED: template: app/templates/deploy.yaml:10:20: executing '
     '"app/templates/deploy.yaml" at <.Values.image.tag>: nil pointer evaluating interface '
     '{}.tag'),
    ("configuration",
     'The Deployment "app" is invalid: spec.template.spec.containers[0].image: Required '
     'value'),
    ("configuration",
     'error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 3: '
     'mapping values are not allowed in this context'),
    ("timeout",
     'Waiting for deployment "app" rollout to finish: 0 of 1 updated replicas are '
     'available...\nerror: deployment "app" exceeded its progress deadline'),
    ("compile",
     "#8 [4/4] RUN make\n#8 0.512 main.c:3:5: error: unknown type name 'strin'\n#8 ERROR: "
     'process "/bin/sh -c make" did not complete successfully: exit code: 2\n------\nERROR: '
     'failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2'),
    ("dependency",
     '#5 [2/4] RUN pip install -r requirements.txt\n#5 1.2 ERROR: Could not find a version '
     'that satisfies the requirement nosuch==1.0\n#5 ERROR: process "/bin/sh -c pip install '
     '-r requirements.txt" did not complete successfully: exit code: 1'),
    ("configuration",
     'ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or '
     'directory'),
    ("dependency",
     'ERROR: failed to solve: python:3.99-slim: failed to resolve source metadata for '
     'docker.io/library/python:3.99-slim: docker.io/library/python:3.99-slim: not found'),
    ("compile",
     '[error] /app/src/main/scala/App.scala:3:5: not found: value foo\n[error] one error '
     'found\n[error] (Compile / compileIncremental) Compilation failed'),
    ("test",
     '[info] - should total *** FAILED ***\n[info]   9 did not equal 10 '
     '(CartSpec.scala:12)\n[error] Failed tests:\n[error] \tCartSpec\n[error] (Test / test) '
     'sbt.TestsFailedException: Tests unsuccessful'),
    ("dependency",
     '[error] (update) sbt.librarymanagement.ResolveException: Error downloading '
     'com.acme:lib_2.13:9.9\n[error]   Not found'),
    ("compile",
     '== Compilation error in file lib/cart.ex ==\n** (CompileError) lib/cart.ex:3: '
     'undefined function foo/0'),
    ("test",
     '  1) test totals (CartTest)\n     test/cart_test.exs:5\n     Assertion with == '
     'failed\n     code:  assert Cart.total() == 10\n     left:  9\n     right: 10\n\n'
     'Finished in 0.03 seconds\n3 tests, 1 failure'),
    ("dependency", '** (Mix) Could not find an SCM for dependency :nosuch from App.MixProject'),
    ("compile",
     "/app/Sources/App/main.swift:3:5: error: cannot find 'foo' in scope\nerror: fatalError"),
    ("test",
     "Test Case '-[AppTests.CartTests testTotal]' failed (0.002 seconds).\nExecuted 3 "
     'tests, with 1 failure (0 unexpected) in 0.005 (0.007) seconds'),
    ("test",
     '✘ Test totals() recorded an issue at CartTests.swift:8:5: Expectation failed: (total '
     '→ 9) == 10\n✘ Test run with 3 tests failed after 0.001 seconds with 1 issue.'),
    ("dependency",
     "error: Dependencies could not be resolved because root depends on 'nosuch' "
     '9.0.0..<10.0.0.'),
    ("compile",
     '  Determining projects to restore...\n/app/Cart.cs(3,13): error CS1002: ; expected '
     '[/app/App.csproj]\n\nBuild FAILED.\n\n    0 Warning(s)\n    1 Error(s)'),
    ("test",
     '  Failed CartTests.Total [3 ms]\n  Error Message:\n   Expected: 10\n  But was:  9\n\n'
     'Failed!  - Failed:     1, Passed:     2, Skipped:     0, Total:     3'),
    ("test", 'Test Run Failed.\nTotal tests: 3\n     Passed: 2\n     Failed: 1'),
    ("compile", 'error: could not compile `stats` (bin "stats") due to 2 previous errors'),
    ("test",
     "error: test failed, to rerun pass `--lib`\n\nCaused by:\n  process didn't exit "
     'successfully: `/app/target/debug/deps/stats-abc` (exit status: 101)'),
    ("compile",
     'error: unused variable: `x`\n  |\n  = note: `-D unused-variables` implied by `-D '
     'warnings`\n\nerror: could not compile `stats` (lib) due to 1 previous error'),
    ("compile",
     '# example.com/inv\n./inv.go:20:2: invalid operation: s[item] -= item (mismatched '
     'types int and string)\nFAIL\texample.com/inv [build failed]'),
    ("lint",
     'inv.go:12:2: ineffectual assignment to err (ineffassign)\n1 issues:\n* ineffassign: 1'),
    ("lint", 'Error: inv.go:12:2: ineffectual assignment to err (ineffassign)'),
    ("test",
     '--- FAIL: TestStock (0.00s)\n    --- FAIL: TestStock/empty (0.00s)\n        '
     'inv_test.go:20: Stock() = 1, want 0\nFAIL\nexit status 1\nFAIL\texample.com/inv\t'
     '0.003s'),
    ("dependency",
     'go: github.com/acme/nosuch@v1.0.0: reading github.com/acme/nosuch/go.mod at revision '
     'v1.0.0: unknown revision v1.0.0'),
    ("dependency", 'go: updates to go.mod needed; to update it:\n\tgo mod tidy'),
    ("type-check",
     'FAIL src/cart.test.ts\n  ● Test suite failed to run\n\n    src/cart.test.ts:3:7 - '
     "error TS2322: Type 'string' is not assignable to type 'number'."),
    ("test", '   ✗ totals\n     AssertionError: expected 9 to equal 10\n\n  1 failing'),
    ("lint",
     'src/cart.ts\n  3:7  error  Unexpected any. Specify a different type  '
     '@typescript-eslint/no-explicit-any\n\n✖ 1 problem (1 error, 0 warnings)'),
    ("lint",
     'Checking formatting...\n[warn] src/cart.ts\n[warn] Code style issues found in the '
     'above file. Run Prettier with --write to fix.'),
    ("dependency",
     'npm error code ETARGET\nnpm error notarget No matching version found for '
     'nosuch@^9.0.0.'),
    ("dependency",
     'npm error code E404\nnpm error 404 Not Found - GET '
     'https://registry.npmjs.org/nosuch-pkg - Not found'),
    ("dependency",
     'error Couldn\'t find package "nosuch@^9.0.0" required by "shop@1.0.0" on the "npm" '
     'registry.'),
    ("dependency", ' ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/nosuch: Not Found - 404'),
    ("type-check", "src/index.ts(3,1): error TS1005: ';' expected."),
    ("type-check",
     "src/index.ts:3:1 - error TS2304: Cannot find name 'foo'.\n\nFound 1 error in "
     'src/index.ts:3'),
    ("compile",
     "Failed to compile.\n\n./src/App.js\nModule not found: Error: Can't resolve "
     "'./Missing' in '/app/src'"),
    ("test",
     '[ERROR] Failures: \n[ERROR]   CartTest.totals:12 expected: <10> but was: <9>\n[ERROR] '
     'Tests run: 3, Failures: 1, Errors: 0, Skipped: 0'),
    ("compile",
     '[ERROR] /app/src/main/java/App.java:[3,5] cannot find symbol\n[ERROR]   symbol:   '
     'variable foo\n[INFO] BUILD FAILURE'),
    ("dependency",
     '[ERROR] Failed to execute goal on project app: Could not resolve dependencies for '
     'project com.acme:app:jar:1.0: The following artifacts could not be resolved: '
     'com.acme:nosuch:jar:9.9 (absent)'),
    ("dependency",
     '[ERROR] Plugin org.apache.maven.plugins:maven-nosuch-plugin:9.9 or one of its '
     'dependencies could not be resolved'),
    ("lint",
     "[ERROR] src/main/java/App.java:[3,1] (imports) AvoidStarImport: Using the '.*' form "
     'of import should be avoided - java.util.*.'),
    ("lint",
     '[ERROR] Failed to execute goal '
     'org.apache.maven.plugins:maven-checkstyle-plugin:3.3.1:check (default-cli) on project '
     'app: You have 1 Checkstyle violation.'),
    ("test",
     'ERROR: test_total (test_cart.CartTest.test_total)\n'
     '----------------------------------------------------------------------\nTraceback '
     '(most recent call last):\n  File "/app/test_cart.py", line 6, in test_total\n    '
     "self.assertEqual(total(), 10)\nNameError: name 'total' is not defined\n\nFAILED "
     '(errors=1)'),
    ("compile",
     'Traceback (most recent call last):\n  File "/app/main.py", line 1, in <module>\n    '
     'import cart\n  File "/app/cart.py", line 3\n    def total(:\n              ^\n'
     'SyntaxError: invalid syntax'),
    ("lint",
     'app/cart.py:3:1: E302 expected 2 blank lines, found 1\napp/cart.py:9:80: E501 line '
     'too long (90 > 79 characters)'),
    ("lint",
     '--- app/cart.py\t2024-01-01 00:00:00\n+++ app/cart.py\t2024-01-01 00:00:00\n@@ -1,3 '
     '+1,3 @@\n-x=1\n+x = 1\nwould reformat app/cart.py'),
    ("type-check",
     'app/cart.py:3: error: Incompatible types in assignment (expression has type "str", '
     'variable has type "int")  [assignment]\nFound 1 error in 1 file (checked 2 source '
     'files)'),
    ("dependency",
     'ERROR: Could not find a version that satisfies the requirement nosuch-pkg-xyz (from '
     'versions: none)'),
    ("dependency",
     'ERROR: Ignored the following versions that require a different python version: 2.0 '
     'Requires-Python >=3.12\nERROR: No matching distribution found for foo>=2'),
    ("dependency",
     "Because foo (1.0) depends on bar (>=2) which doesn't match any versions, foo is "
     'forbidden.\nSo, because app depends on foo (1.0), version solving failed.'),
    ("dependency",
     '  × No solution found when resolving dependencies:\n  ╰─▶ Because nosuch was not '
     'found in the package registry and you require nosuch, we can conclude that your '
     'requirements are unsatisfiable.'),
    ("lint",
     'Offenses:\n\napp/cart.rb:3:3: C: [Correctable] Layout/IndentationWidth: Use 2 (not 4) '
     'spaces for indentation.\n\n1 file inspected, 1 offense detected, 1 offense '
     'autocorrectable'),
    ("test", 'rspec ./spec/cart_spec.rb:5 # Cart totals\n\n3 examples, 1 failure'),
    ("dependency",
     'Could not find compatible versions\n\nBecause every version of rails depends on Ruby '
     '>= 9\n  and Gemfile depends on rails >= 0,\n  rails cannot be used.'),
    ("compile", "/app/lib/cart.rb:3: syntax error, unexpected ')' (SyntaxError)"),
    ("compile",
     '[ 50%] Building C object CMakeFiles/app.dir/main.c.o\n/app/main.c: In function '
     "'main':\n/app/main.c:3:5: error: 'x' undeclared (first use in this function)\n"
     'gmake[2]: *** [CMakeFiles/app.dir/build.make:76: CMakeFiles/app.dir/main.c.o] Error 1'),
    ("test",
     '    Start 1: cart_test\n1/1 Test #1: cart_test ........................***Failed    '
     '0.01 sec\n\n0% tests passed, 1 tests failed out of 1'),
    ("crash", '1/1 Test #1: cart_test ........................***Exception: SegFault  0.01 sec'),
    # rustc's unresolved imports: another crate is a dependency, the project's own is compile
    ("dependency", "error[E0432]: unresolved import `serde_json`"),
    ("compile", "error[E0432]: unresolved import `crate::cart`\n --> src/main.rs:1:5"),
    ("compile", "error[E0432]: unresolved import `super::helpers`"),
    # Node's ES modules: a package that is not installed, a path that is wrong
    ("dependency",
     "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/index.js"),
    ("configuration",
     "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/lib/cart.js' imported from "
     "/app/index.js"),
    # go test: a test's nil dereference prints [signal SIGSEGV …] but the runner reports the test
    ("test",
     "--- FAIL: TestStock (0.00s)\npanic: runtime error: invalid memory address or nil pointer "
     "dereference [recovered]\n\tpanic: runtime error: invalid memory address or nil pointer "
     "dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4f1b2a]\n\n"
     "goroutine 7 [running]:\ntesting.tRunner.func1.2({0x51f2a0, 0x6a8f90})\n"
     "FAIL\texample.com/inv\t0.005s"),
    # every tsc diagnostic is type-check, its "Cannot find module './x'" too (Node's is setup)
    ("type-check",
     "src/app.ts(3,21): error TS2307: Cannot find module './foo' or its corresponding type "
     "declarations."),
    ("configuration", "Cannot find module '../lib/cart' from 'src/cart.test.js'"),
    # a YAML parser's "expected …, but found …" is the parser's message, not an assertion
    ("data",
     'yaml.parser.ParserError: while parsing a block mapping\n  in "data/x.yml", line 1, '
     "column 1\nexpected <block end>, but found '-'\n  in \"data/x.yml\", line 3, column 1"),
]


@pytest.mark.parametrize(("category", "text"), CASES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_documented_output_of_current_versions_is_named(category: str, text: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category, text
