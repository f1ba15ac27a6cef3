"""The big categories as the tools print them: rules of the default policy's cat9g sections.

Each new rule has lines where it must fire and a near miss where it must not (then another rule
names the failure, as the protocol in ``bench/categories/PROTOCOL.md`` has it). The outputs are
written from each tool's documented format (pytest's collection errors, Helm's release and lint
errors, the C# compiler's ``file(line,col): error CSxxxx``, cargo, Eclipse Tycho, ctest,
automake's test-suite summary, cargo test's report), not copied from a benchmark log.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

# (rule that must decide, category, failed step's command, output)
FIRES: list[tuple[str, str, str, str]] = [
    ("configuration-project-module", "configuration", "pytest",
     "tests/lib/test_io.py:1: in <module>\n    from tests.helpers import *\n"
     "E   ModuleNotFoundError: No module named 'tests'"),
    ("configuration-project-module", "configuration", "python -m pytest",
     "E   ModuleNotFoundError: No module named 'tests.test_helpers'\n"
     "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!"),
    ("configuration-project-module", "configuration", "pytest",
     "E   ModuleNotFoundError: No module named 'src'"),
    ("deploy-manifest-invalid", "configuration", "helm upgrade --install app ./chart",
     "Error: UPGRADE FAILED: unable to build kubernetes objects from release manifest: "
     "error validating \"\": error validating data: ValidationError(Deployment.spec): "
     "unknown field \"replica\" in io.k8s.api.apps.v1.DeploymentSpec"),
    ("lint-chart-report", "lint", "helm lint ./chart",
     "==> Linting ./chart\n[ERROR] templates/deployment.yaml: unable to parse YAML: error "
     "converting YAML to JSON: yaml: line 12: did not find expected key\n\n"
     "Error: 1 chart(s) linted, 1 chart(s) failed"),
    ("dependency-package-cache-build", "dependency", "unity-builder",
     "Library/PackageCache/com.acme.widgets@1a2b3c4d5e/Runtime/Grid.cs(14,7): error CS0246: "
     "The type or namespace name 'Ookii' could not be found (are you missing a using directive "
     "or an assembly reference?)"),
    ("dependency-package-cache-build", "dependency", "dotnet build",
     "/home/runner/.nuget/packages/acme.analyzers/2.0.0/contentFiles/cs/any/Gen.cs(3,1): "
     "error CS1002: ; expected [/home/runner/work/app/app/App.csproj]"),
    ("dependency-lock-and-resolution", "dependency", "cargo build --locked",
     "error: the lock file /home/runner/work/app/app/Cargo.lock needs to be updated but "
     "--locked was passed to prevent this"),
    ("dependency-lock-and-resolution", "dependency", "mvn -B verify",
     "Error:  Cannot resolve project dependencies:\nError:    Missing requirement: app.site "
     "1.0.0 requires 'org.eclipse.equinox.p2.iu; app.feature.group 0.0.0' but it could not be "
     "found"),
    ("dependency-lock-and-resolution", "dependency", "bundle exec rake",
     "Could not find rake-10.4.2 in any of the sources\nRun `bundle install` to install "
     "missing gems."),
    ("dependency-lock-and-resolution", "dependency", "mix test",
     "==> bcrypt_elixir\ncould not compile dependency :bcrypt_elixir, \"mix compile\" failed. "
     "You can recompile this dependency with \"mix deps.compile bcrypt_elixir\""),
    ("dependency-lock-and-resolution", "dependency", "rebar3 compile",
     "===> Verifying dependencies...\n===> Package not found in any repo: lagerr 3.2.0"),
    ("dependency-lock-and-resolution", "dependency", "npm test",
     "Module build failed: Error: Couldn't find preset \"es2015\" relative to directory "
     "\"/home/travis/build/acme/app\""),
    ("configuration-make-target", "configuration", "make test",
     "make: *** No rule to make target `test'.  Stop."),
    ("test-xctest-report", "test", "xcodebuild test -scheme App",
     "/Users/travis/build/acme/app/AppTests/CartTests.swift:12: error: -[AppTests.CartTests "
     "testTotal] : XCTAssertEqual failed: (\"100\") is not equal to (\"120\")\n"
     "\t Executed 12 tests, with 1 failure (0 unexpected) in 0.020 (0.025) seconds"),
    ("type-check-bundlers", "type-check", "npm run build",
     "ERROR in [at-loader] ./src/cart.ts:12:5 \n    TS2322: Type 'string' is not assignable "
     "to type 'number'."),
    ("compile-error-more-compilers", "compile", "dub test",
     "source/app.d(12,5): Error: undefined identifier `foo`\ndmd failed with exit code 1."),
    ("configuration-tool-settings", "configuration", "golangci-lint run",
     "level=error msg=\"Running error: unknown linters: 'gofumptt', run 'golangci-lint help "
     "linters' to see the list of supported linters\""),
    ("configuration-tool-settings", "configuration", "bundle exec rubocop",
     "Error: unrecognized cop or department Style/RedundantReturnn found in .rubocop.yml\n"
     "Did you mean `Style/RedundantReturn`?"),
    ("configuration-tool-settings", "configuration", "./gradlew build",
     "* What went wrong:\nA problem occurred evaluating project ':app'.\n> Could not find "
     "method implementaton() for arguments [com.acme:lib:1.0] on object of type "
     "org.gradle.api.internal.artifacts.dsl.dependencies.DefaultDependencyHandler."),
    ("dependency-missing-header-msvc", "dependency", "msbuild App.sln",
     "D:\\a\\app\\src\\net.cpp(3,10): fatal error C1083: Cannot open include file: "
     "'boost/asio.hpp': No such file or directory [D:\\a\\app\\App.vcxproj]"),
    ("dependency-lock-and-resolution", "dependency", "terraform init -lockfile=readonly",
     "│ Error: Inconsistent dependency lock file\n│\n│ The following dependency selections "
     "recorded in the lock file are inconsistent with the current configuration:"),
    ("type-check-bundlers", "type-check", "npx next build",
     " ✓ Compiled successfully\n   Linting and checking validity of types ...\n"
     "Failed to compile.\n\n./src/app/page.tsx:12:7\nType error: Type 'number' is not "
     "assignable to type 'string'."),
    ("type-check-bundlers", "type-check", "npm run build",
     "Creating an optimized production build...\nFailed to compile.\n\n"
     "/home/runner/work/app/app/src/App.tsx\nTS2322: Type 'string' is not assignable to "
     "type 'number'."),
    # Travis runs every script command: the tests failed first, flake8 after them
    ("test-summary-first", "test", "flake8 .",
     "FAILED tests/test_cart.py::test_total - assert 100 == 120\n"
     "========================= 1 failed, 11 passed in 0.12s =========================\n"
     'The command "pytest" exited with 1.\n$ flake8 .\n'
     "./app/cart.py:12:80: E501 line too long (92 > 79 characters)\n"
     'The command "flake8 ." exited with 1.'),
    ("test-summary-first", "test", "mypy app",
     "FAILED (failures=1)\n$ mypy app\napp/cart.py:12: error: Incompatible return value type "
     '(got "str", expected "int")  [return-value]\nFound 1 error in 1 file (checked 4 source '
     "files)"),
    ("test-summary-first", "test", "npm run lint",
     "Tests:       1 failed, 11 passed, 12 total\n\n> app@1.0.0 lint\n> eslint src\n\n"
     "/home/travis/build/acme/app/src/cart.js\n  12:5  error  'foo' is not defined  no-undef"
     "\n\n✖ 1 problem (1 error, 0 warnings)"),
    ("test-summary-first", "test", "ctest --output-on-failure",
     "1/2 Test #1: parse ....................Subprocess aborted***Exception:   0.00 sec\n"
     "parse: /src/parse.c:6: main: Assertion `n == 4' failed.\n\n"
     "50% tests passed, 1 tests failed out of 2\n\nThe following tests FAILED:\n"
     "\t  1 - parse (Subprocess aborted)\nErrors while running CTest"),
    # a test program killed by a signal is a crash, not the runner's count (PROTOCOL)
    ("crash-words", "crash", "ctest",
     "1/1 Test #1: io .......................***Exception: SegFault  0.01 sec\n\n"
     "0% tests passed, 1 tests failed out of 1"),
    ("test-summary-first", "test", "make check",
     "FAIL: test_parse\n======================\n# TOTAL: 3\n# PASS:  2\n# FAIL:  1\n"
     "Segmentation fault (core dumped)"),
    ("test-runner-report", "test", "cargo test",
     "---- tests::wraps stdout ----\n\nthread 'tests::wraps' panicked at src/lib.rs:11:9:\n"
     "assertion `left == right` failed\n  left: 4\n right: 0\nstack backtrace:\n"
     "   0: __rustc::rust_begin_unwind"),
]

# (category, failed step's command, output): a near miss of a rule above, and who names it
NEAR_MISSES: list[tuple[str, str, str]] = [
    # a third-party package whose name only starts like a project's test package
    ("dependency", "pytest", "E   ModuleNotFoundError: No module named 'testfixtures'"),
    ("dependency", "pytest", "E   ModuleNotFoundError: No module named 'srcinfo'"),
    # Helm failing for a chart it cannot fetch is not a manifest that does not validate
    ("dependency", "helm upgrade --install app acme/app",
     "Error: INSTALLATION FAILED: chart \"app\" matching 1.2.3 not found in acme index. "
     "(try 'helm repo update'): no chart version found for app-1.2.3"),
    # the linter's step that never ran its linter: no chart was linted
    ("configuration", "helm lint ./chart",
     "/home/runner/work/_temp/1c2d.sh: line 1: helm: command not found"),
    # the C# compiler in the project's own sources is a compile failure
    ("compile", "dotnet build",
     "/home/runner/work/app/app/src/Grid.cs(14,7): error CS0246: The type or namespace name "
     "'Ookii' could not be found"),
    # a lock file merely mentioned, not refused
    ("compile", "cargo build --locked",
     "error[E0308]: mismatched types\n --> src/lib.rs:2:18\nerror: could not compile `app` "
     "(lib) due to 1 previous error"),
    # a test binary that died of a signal under cargo test is a crash
    ("crash", "cargo test",
     "---- tests::parse stdout ----\nerror: test failed, to rerun pass `--lib`\n\nCaused by:\n"
     "  process didn't exit successfully: `/app/target/debug/deps/app-1a2b` (signal: 11, "
     "SIGSEGV: invalid memory reference)"),
    # a build that failed before xcodebuild ran any test is a compile failure
    ("compile", "xcodebuild test -scheme App",
     "/Users/travis/build/acme/app/App/Cart.swift:12:5: error: use of unresolved identifier "
     "'foo'\n** TEST FAILED **\n\nThe following build commands failed:\n\tCompileSwift normal "
     "x86_64 /Users/travis/build/acme/app/App/Cart.swift"),
    # a make target that is a source file is a build failure
    ("compile", "make",
     "make: *** No rule to make target `src/cart.h', needed by `src/cart.o'.  Stop."),
    # a gem the code needs at run time is a dependency, not the Bundler words for installing
    ("dependency", "bundle exec rspec",
     "/home/travis/.rvm/rubies/ruby-2.2.0/lib/ruby/2.2.0/rubygems/core_ext/kernel_require.rb:54:"
     "in `require': cannot load such file -- nokogiri (LoadError)"),
    # golangci-lint's findings are lint; its settings named right
    ("lint", "golangci-lint run",
     "internal/cart/cart.go:21:9: Error return value of `c.Close` is not checked (errcheck)"),
    # MSVC cannot open the project's own source file: not a library's header
    ("compile", "msbuild App.sln",
     "D:\\a\\app\\src\\cart.cpp(12,5): error C2065: 'foo': undeclared identifier"),
    # a bundler that failed to compile on a syntax error, with no type error under it
    ("compile", "npm run build",
     "Creating an optimized production build...\nFailed to compile.\n\n./src/App.js\n"
     "SyntaxError: /home/runner/work/app/app/src/App.js: Unexpected token (12:5)"),
    # the linter failed first: its report comes before the tests' count
    ("lint", "pytest",
     "./app/cart.py:12:80: E501 line too long (92 > 79 characters)\n"
     'The command "flake8 ." exited with 1.\n$ pytest\n'
     "FAILED tests/test_cart.py::test_total - assert 100 == 120\n"
     "========================= 1 failed, 11 passed in 0.12s ========================="),
    # what the tests raised comes before their count and names the cause
    ("database", "pytest",
     "E       psycopg2.OperationalError: could not connect to server: Connection refused\n"
     "FAILED tests/test_q.py::test_q - psycopg2.OperationalError: could not connect\n"
     "============================== 1 failed in 0.31s ==============================="),
    # Mocha counts its failures before it shows them: the count competes with nothing
    ("network", "npm test",
     "  0 passing (12ms)\n  1 failing\n\n  1) api fetches:\n     Error: connect ECONNREFUSED "
     "127.0.0.1:8080"),
    # go test's package line is printed for a binary that panicked after its tests passed
    ("crash", "go test ./...",
     "--- PASS: TestTotal (0.00s)\nPASS\npanic: boom\n\ngoroutine 1 [running]:\n"
     "main.main()\nFAIL\texample.com/cart\t0.004s"),
    # an assertion abort outside any test runner's report stays a crash
    ("crash", "./build/parse input.txt",
     "parse: /src/parse.c:6: main: Assertion `n == 4' failed.\nAborted (core dumped)"),
]


def decide(text: str, step: str) -> tuple[str, str | None]:
    decision = default_policy().decide(FailureFacts(text=text, step=step))
    return decision.category, decision.rule


@pytest.mark.parametrize(("rule", "category", "step", "text"), FIRES,
                         ids=[f"{r}-{i}" for i, (r, *_) in enumerate(FIRES)])
def test_rule_fires_on_the_tools_own_words(rule: str, category: str, step: str,
                                           text: str) -> None:
    assert decide(text, step) == (category, rule)


@pytest.mark.parametrize(("category", "step", "text"), NEAR_MISSES,
                         ids=[f"{c}-{i}" for i, (c, *_) in enumerate(NEAR_MISSES)])
def test_near_miss_goes_to_another_rule(category: str, step: str, text: str) -> None:
    answer, rule = decide(text, step)
    assert answer == category, (rule, text)
    assert rule not in {r for r, *_ in FIRES}, text
