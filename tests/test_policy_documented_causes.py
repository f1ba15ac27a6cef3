"""The default policy on the causes tools and services document: scanners, services, runners.

The companion of ``test_policy_documented_output.py`` for the causes that outrank a step's stage
(``bench/categories/PROTOCOL.md``, "How to decide" 2): security scanners' summaries (Trivy,
Grype, Snyk, gitleaks, pip-audit, bundler-audit, Semgrep, Checkov, tfsec, Safety), services'
errors (PostgreSQL, MySQL, Redis, SQLite, MongoDB, Prisma), network errors of each stack, the
resource limits (heap, OOM kill, ENOSPC), job time limits of each CI, crashes, refused access,
and a job that names what is not there. Each output is written from the tool's documented
format, not from any benchmark log.
"""

from __future__ import annotations

import pytest

from knownfix.core.policy import FailureFacts, default_policy

# (category, output)
CASES: list[tuple[str, str]] = [
    ("test",
     'Error:\nApplicationTests::RakeDbsTest#test_db_create:\nRuntimeError: rails command '
     'failed (1)\n\nbin/rails test test/rake_test.rb:12'),
    ("test",
     'Failure:\nPostTest#test_title [test/models/post_test.rb:5]:\nExpected false to be '
     'truthy.'),
    ("lint",
     '- ./_site/index.html\n  *  External link https://example.org/ failed: response code 0 '
     "means something's wrong.\n             It's possible libcurl couldn't connect to the "
     'server or perhaps the request timed out.\nHTML-Proofer found 1 failure!'),
    ("lint",
     'FILE: README.md\n  [✖] https://example.org/gone → Status: 404\n\n  ERROR: 1 dead '
     'links found!'),
    # security scanners
    ("security",
     'Total: 3 (UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 1, CRITICAL: 0)\n\n│ openssl │ '
     'CVE-2023-0286 │ HIGH │ fixed │ 3.0.7-r0 │ 3.0.8-r0 │'),
    ("security",
     'NAME     INSTALLED  FIXED-IN  TYPE  VULNERABILITY        SEVERITY\nlodash   '
     '4.17.15    4.17.21   npm   GHSA-35jh-r3h4-6jhm  High\ndiscovered vulnerabilities at '
     'or above the severity threshold'),
    ("security", 'Tested 512 dependencies for known issues, found 3 issues, 3 vulnerable paths.'),
    ("security",
     'Finding:     Generic API Key\nSecret:      REDACTED\nRuleID:      generic-api-key\n\n'
     '10:22AM INF 1 commits scanned.\n10:22AM WRN leaks found: 1'),
    ("security",
     'Found 2 known vulnerabilities in 1 package\nName    Version ID                  Fix '
     'Versions\n------- ------- ------------------- ------------\nrequests 2.19.0 '
     'PYSEC-2018-28       2.20.0'),
    ("security",
     'Name: actionpack\nVersion: 5.2.0\nCVE: CVE-2019-5418\nCriticality: High\nSolution: '
     'upgrade to >= 5.2.2.1\n\nVulnerabilities found!'),
    ("security",
     'Run completed.\n\nResults:\n\n  Ran 12 rules on 40 files: 3 findings.\nerror: 3 '
     'blocking findings'),
    ("security",
     'Check: CKV_AWS_20: "S3 Bucket has an ACL defined which allows public READ access."\n\t'
     'FAILED for resource: aws_s3_bucket.data\nPassed checks: 10, Failed checks: 1, Skipped '
     'checks: 0'),
    ("security",
     'Result #1 HIGH Bucket does not have encryption enabled\n  results\n    0 passed, 1 '
     'potential problem(s) detected.'),
    ("security",
     '+==============================================================================+\n| '
     'REPORT |\n| -> Vulnerability found in django version 2.2.0 |\n| Vulnerability ID: '
     '38752 |\n 1 vulnerability reported'),
    # flaky
    ("flaky",
     '[WARNING] Flakes: \n[WARNING] com.acme.NetTest.fetch\n[ERROR]   Run 1: '
     'NetTest.fetch:12 expected:<1> but was:<0>\n[INFO]   Run 2: PASS\n[ERROR] Tests run: '
     '5, Failures: 0, Errors: 0, Skipped: 0, Flakes: 1'),
    # infrastructure
    ("infrastructure",
     'ERROR: Job failed (system failure): prepare environment: Error response from daemon: '
     'no such image'),
    ("infrastructure",
     'The self-hosted runner: runner-1 lost communication with the server. Verify the '
     'machine is running and has a healthy network connection.'),
    ("infrastructure",
     'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker '
     'daemon running?'),
    ("infrastructure", 'Agent went offline during the build\nFinished: FAILURE'),
    ("infrastructure",
     "fatal: unable to access 'https://github.com/acme/shop.git/': Failed to connect to "
     'github.com port 443: Connection timed out\nThe command "git clone --depth=50 '
     'https://github.com/acme/shop.git acme/shop" failed and exited with 128 during .'),
    ("infrastructure",
     'Error: The operation was canceled.\n##[error]The runner has received a shutdown '
     'signal.'),
    ("infrastructure",
     "##[error]The job was not acquired by Runner of type hosted even after multiple attempts"),
    ("infrastructure",
     "##[error]We stopped hearing from agent Hosted Agent. Verify the agent machine is running"),
    ("infrastructure", "java.io.IOException: Backing channel 'agent-1' is disconnected."),
    ("infrastructure", "Cannot contact agent-1: java.lang.InterruptedException"),
    # data
    # a post whose front matter did not parse is missing: the link checker's report follows from it
    ("data",
     "Error reading file /site/_posts/2019-01-01-a.md: (<unknown>): did not find expected key "
     "while parsing a block mapping at line 2 column 1\n- ./_site/index.html\n  *  internally "
     "linking to /2019/01/01/a.html, which does not exist (line 12)\nHTML-Proofer found 1 "
     "failure!"),
    ("data",
     "data/users.json invalid\n[\n  {\n    instancePath: '/0',\n    schemaPath: "
     "'#/items/required',\n    keyword: 'required',\n    params: { missingProperty: 'email' "
     '},\n    message: "must have required property \'email\'"\n  }\n]'),
    ("data",
     "Schema validation errors were encountered.\n  data/config.yaml::$.port: 'eighty' is "
     "not of type 'integer'"),
    ("data", "jsonschema.exceptions.ValidationError: 'name' is a required property"),
    ("data",
     'yaml.scanner.ScannerError: while scanning a simple key\n  in "data/x.yaml", line 3, '
     "column 1\ncould not find expected ':'"),
    ("data",
     'Validation failed: 2 of 10 expectations failed\nexpect_column_values_to_not_be_null: '
     'FAILED'),
    ("data",
     'pandas.errors.ParserError: Error tokenizing data. C error: Expected 3 fields in line '
     '5, saw 4'),
    # database
    ("database",
     'psql: error: connection to server at "localhost" (127.0.0.1), port 5432 failed: '
     'FATAL:  password authentication failed for user "app"'),
    ("database", 'ERROR:  relation "users" does not exist\nLINE 1: SELECT * FROM users;'),
    ("database",
     "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)"),
    ("database",
     "ERROR 2002 (HY000): Can't connect to local MySQL server through socket "
     "'/var/run/mysqld/mysqld.sock' (2)"),
    ("database",
     'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection '
     'refused.'),
    ("database", 'sqlite3.OperationalError: no such table: users'),
    ("database",
     'pymongo.errors.ServerSelectionTimeoutError: localhost:27017: [Errno 111] Connection '
     'refused'),
    ("database",
     'django.db.utils.IntegrityError: duplicate key value violates unique constraint '
     '"users_email_key"'),
    ("database", "Error: P1001: Can't reach database server at `localhost`:`5432`"),
    ("database",
     'ERROR: deadlock detected\nDETAIL:  Process 123 waits for ShareLock on transaction 456'),
    ("database", 'FATAL:  too many connections for role "app"'),
    ("database", "(Mysql2::Error::ConnectionError) Unknown MySQL server host 'db' (-2)"),
    ("database",
     'MongoServerError: E11000 duplicate key error collection: test.users index: email_1 '
     'dup key'),
    # network
    ("network", "wget: unable to resolve host address 'example.invalid'"),
    ("network",
     "requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=8080): "
     'Max retries exceeded with url: /health'),
    ("network",
     'Error: connect ECONNREFUSED 127.0.0.1:8080\n    at TCPConnectWrap.afterConnect [as '
     'oncomplete] (node:net:1494:16)'),
    ("network",
     'Get "http://127.0.0.1:8080/health": dial tcp 127.0.0.1:8080: connect: connection '
     'refused'),
    ("network", 'curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received'),
    ("network", 'java.net.ConnectException: Connection refused (Connection refused)'),
    ("network",
     'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify '
     'failed: self signed certificate'),
    ("network", "Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server"),
    ("network", 'socket.gaierror: [Errno -2] Name or service not known'),
    ("network",
     'reqwest::Error { kind: Request, url: "http://127.0.0.1:9/", source: '
     'hyper::Error(Connect, ConnectError("tcp connect error", Os { code: 111, kind: '
     'ConnectionRefused }))'),
    ("network",
     "thread 'main' panicked at src/main.rs:5:10:\ncalled `Result::unwrap()` on an `Err` "
     'value: Os { code: 111, kind: ConnectionRefused, message: "Connection refused" }'),
    # memory
    ("memory", 'java.lang.OutOfMemoryError: Java heap space'),
    ("memory",
     '<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - '
     'JavaScript heap out of memory'),
    ("memory", 'fatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw'),
    ("memory",
     'Traceback (most recent call last):\n  File "x.py", line 3, in <module>\nMemoryError'),
    ("memory",
     '/home/runner/work/_temp/abc.sh: line 1:  1234 Killed                  python '
     'train.py\n##[error]Process completed with exit code 137.'),
    ("memory", 'memory allocation of 1099511627776 bytes failed\nAborted (core dumped)'),
    ("memory",
     "error: process didn't exit successfully: `target/debug/deps/x` (signal: 9, SIGKILL: "
     'kill)'),
    # disk
    ("disk", "OSError: [Errno 28] No space left on device: '/tmp/x'"),
    ("disk", 'npm ERR! code ENOSPC\nnpm ERR! syscall write\nnpm ERR! errno -28'),
    ("disk", 'write /tmp/x: no space left on device'),
    ("disk", 'fatal error: error writing to /tmp/ccX.s: No space left on device'),
    ("disk", 'java.io.IOException: No space left on device'),
    ("disk", "dd: error writing '/data/big': No space left on device"),
    # timeout
    ("timeout",
     '##[error]The job running on runner GitHub Actions 3 has exceeded the maximum '
     'execution time of 10 minutes.'),
    ("timeout", 'Too long with no output (exceeded 10m0s): context deadline exceeded'),
    ("timeout", 'ERROR: Job failed: execution took longer than 10m0s seconds'),
    ("timeout",
     'Build timed out (after 10 minutes). Marking the build as failed.\nBuild was aborted'),
    ("timeout",
     '# Timeout: Buildkite agent exceeded the timeout of 10 minutes\nError: The command '
     'exited with status -1'),
    ("timeout",
     'timeout: the monitored command dumped core\nError: Process completed with exit code '
     '124.'),
    ("timeout", 'panic: test timed out after 5s\nrunning tests:\n\tTestSlow (5s)'),
    # crash
    ("crash",
     'Fatal Python error: Segmentation fault\n\nCurrent thread 0x00007f (most recent call '
     'first):'),
    ("crash", './app: line 3: 1234 Segmentation fault      (core dumped) ./app'),
    ("crash",
     "thread 'main' panicked at src/main.rs:3:5:\nindex out of bounds: the len is 3 but the "
     'index is 5\nnote: run with `RUST_BACKTRACE=1`'),
    ("crash",
     'panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\n'
     'main.main()\n\t/app/main.go:8 +0x1d\nexit status 2'),
    ("crash",
     "terminate called after throwing an instance of 'std::runtime_error'\n  what():  boom\n"
     'Aborted (core dumped)'),
    ("crash",
     'Exception in thread "main" java.lang.NullPointerException\n\tat App.main(App.java:3)'),
    ("crash",
     'node:internal/process/promises:288\n            triggerUncaughtException(err, true /* '
     'fromPromise */);\n            ^\n\n[UnhandledPromiseRejection: This error originated '
     'either by throwing inside of an async function without a catch block]'),
    # Node's uncaught exception: file:line, the code and its caret (not read), the error
    ("crash",
     "/app/scripts/release.js:12\n    throw err;\n    ^\n\nTypeError: Cannot read properties "
     "of undefined (reading 'version')\n    at Object.<anonymous> (/app/scripts/release.js:10:20)"
     "\n\nNode.js v18.17.0"),
    # permission
    ("permission", 'bash: ./deploy.sh: Permission denied'),
    ("permission", "Error: EACCES: permission denied, open '/etc/app.conf'"),
    ("permission", "PermissionError: [Errno 13] Permission denied: '/var/lib/app'"),
    ("permission",
     'git@github.com: Permission denied (publickey).\nfatal: Could not read from remote '
     'repository.'),
    ("permission", "mkdir: cannot create directory '/opt/app': Permission denied"),
    ("permission", 'Error: Resource not accessible by integration'),
    ("permission",
     'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied'),
    # configuration
    ("configuration",
     "Error: Cannot find module '/app/scripts/build.js'\n    at Module._resolveFilename "
     '(node:internal/modules/cjs/loader:1077:15)'),
    ("configuration", "make: *** No rule to make target 'tset'.  Stop."),
    ("configuration", "KeyError: 'DATABASE_URL'"),
    ("configuration",
     'error: the following required arguments were not provided:\n  --config <FILE>'),
    ("configuration", 'pytest: error: unrecognized arguments: --cov'),
    ("configuration", 'ERROR: file or directory not found: tests/unit'),
    ("configuration", "Error: ENOENT: no such file or directory, open '/app/config/settings.json'"),
    ("configuration",
     'go: cannot find main module, but found .git/config in /app\n\tto create a module '
     'there, run:\n\tgo mod init'),
    ("configuration", 'error: could not find `Cargo.toml` in `/app` or any parent directory'),
    ("configuration",
     '[ERROR] The goal you specified requires a project to execute but there is no POM in '
     'this directory (/app).'),
    ("configuration",
     "npm ERR! enoent ENOENT: no such file or directory, open '/app/package.json'"),
    ("configuration", 'Could not locate Gemfile or .bundle/ directory'),
    # type-check more
    ("type-check",
     'error: Argument 1 to "f" has incompatible type "str"; expected "int"  [arg-type]\n'
     'Found 1 error in 1 file (checked 1 source file)'),
    ("type-check",
     '/app/src/a.py:3:5 - error: Cannot access member "x" for type "int"\n1 error, 0 '
     'warnings, 0 informations'),
    # compile more
    ("compile", 'main.go:5:2: "fmt" imported and not used'),
    ("compile", 'src/App.java:[12,9] cannot find symbol'),
    ("compile",
     "error: expected ';' after expression\n    x = 1\n         ^\n         ;\n1 error "
     'generated.'),
    ("compile",
     "SyntaxError: Unexpected token '}'\n    at internalCompileFunction "
     '(node:internal/vm:73:18)'),
    ("compile",
     '  File "app.py", line 3\n    print(\'x\'\n         ^\nSyntaxError: \'(\' was never '
     'closed'),
    ("compile", "app.rb:3: syntax error, unexpected end-of-input, expecting `end'"),
    ("dependency",
     'error: linking with `cc` failed: exit status: 1\n  = note: /usr/bin/ld: cannot find '
     '-lfoo'),
    ("compile",
     "Program.cs(5,13): error CS0246: The type or namespace name 'Foo' could not be found"),
    # test more
    ("test",
     '    1) Cart\n       totals:\n\n      AssertionError: expected 9 to equal 10\n      + '
     'expected - actual\n\n      -9\n      +10'),
    ("test",
     'not ok 2 - totals\n  ---\n  operator: equal\n  expected: 10\n  actual:   9\n  ...\n# '
     'fail  1'),
    ("test",
     'FAIL: test_total (tests.test_cart.CartTest.test_total)\n'
     '----------------------------------------------------------------------\n'
     'AssertionError: 9 != 10\n\nFAILED (failures=1)'),
    ("test",
     '[  FAILED  ] CartTest.Total (0 ms)\n[==========] 3 tests from 1 test suite ran. (0 ms '
     'total)\n[  PASSED  ] 2 tests.'),
    ("test",
     'Failures (1):\n  JUnit Jupiter:CartTest:totals()\n    => '
     'org.opentest4j.AssertionFailedError: expected: <10> but was: <9>'),
    ("test",
     "t/cart.t .. 1/3 \n#   Failed test 'totals'\n#   at t/cart.t line 8.\n#          got: "
     "'9'\n#     expected: '10'\n# Looks like you failed 1 test of 3."),
]


@pytest.mark.parametrize(("category", "text"), CASES,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_documented_cause_is_named(category: str, text: str) -> None:
    assert default_policy().decide(FailureFacts(text=text)).category == category, text
