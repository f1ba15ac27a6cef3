"""The line rules of fingerprinting: named, ordered data.

Each normalized excerpt line gets the kind of the first rule that matches it (``re.match``,
anchored at the start):

- ``boilerplate``: says only that something failed ("The command ... exited with 1"); left
  out of both fingerprints and never a title.
- ``frame``: a stack frame or source pointer; part of the strict fingerprint, never a title.
- ``aside``: a line that belongs to the output but never names the failure: a command echoed
  by the shell or CI (``$ make test``, ``+ npm ci``), a service manager's unit header
  (``● web.service - Web app``), a progress or timing line (``Downloading … 45%``,
  ``Finished 'build' after 1.2 s``). Part of the strict fingerprint, never a title while
  another line can be one.
- ``title``: a line that names the failure; the one with the highest ``weight`` becomes the
  title (the first of equals, or the last in a Python traceback, where the raised exception
  comes last). Named groups ``type``, ``code`` and ``msg`` feed the loose fingerprint.

Lines no rule matches are context: in the strict fingerprint, a title only if nothing else is.
What build tools and CI systems print around a failure (epilogues, summaries, Gradle's details)
is in :mod:`knownfix.core.signature.wrapper_rules`.
"""

from __future__ import annotations

from knownfix.core.signature.line_rule import ASIDE, BOILERPLATE, FRAME, TITLE, LineRule
from knownfix.core.signature.versions import LOCATED_FRAMES_SINCE
from knownfix.core.signature.wrapper_rules import (
    SUMMARY_RULES,
    WRAPPER_BOILERPLATE,
    WRAPPER_DETAILS,
)

__all__ = ["ASIDE", "BOILERPLATE", "FRAME", "LINE_RULES", "TITLE", "LineRule"]

_EXC_TYPE = (
    r"(?P<type>(?:[A-Za-z_$][\w$]*\.)*(?:[A-Z][\w$]*)?"
    r"(?:Error|Exception|Exit|Interrupt|Failure|Fault|Timeout|NotFound|Denied|Refused))"
)
_MSG = r"(?::\s*(?P<msg>.*))?$"
_LOCATION = r"(?P<loc>\S*?(?::<line>(?::<col>)?|\(<line>\)|\.\w+:\[<num>(?:,<num>)?\]))"

# A test run's tally: an optional suite name and label ("Nancy.Tests ", "test result: FAILED. "),
# then two or more counters ("<num> tests", "Failures: <num>"), nothing else but a duration.
_COUNTER = r"(?:<num> [A-Za-z]\w*(?: [a-z]+)?|[A-Z]\w*(?: [a-z]+)?: (?:<num>|<duration>))"
_TALLY = (
    r"(?:[A-Za-z][\w.]* +)?(?:[A-Za-z][\w ]{0,30}[:.] +){0,2}"
    r"(?:" + _COUNTER + r"(?:[,;]? +|[,;.]?\s*$)){2,}(?:in <duration>|\(<duration>\))?\s*$"
)

LINE_RULES: tuple[LineRule, ...] = (
    # -- boilerplate: the failure happened, nothing about which ------------------------------
    *WRAPPER_BOILERPLATE,
    LineRule("traceback-header", BOILERPLATE, r"Traceback \(most recent call last\):$"),
    LineRule(
        "chained-exception",
        BOILERPLATE,
        r"(?:During handling of the above exception|The above exception was the direct cause)",
    ),
    LineRule("ci-exit", BOILERPLATE,
             r"(?:##\[error\])?(?:Error: )?Process completed with exit code \d+\.?$"),
    LineRule("travis-exit", BOILERPLATE, r"The command \".*\" (?:exited with|failed)"),
    LineRule("travis-done", BOILERPLATE, r"Done\. Your build exited with \d+\.?$"),
    LineRule("gitlab-exit", BOILERPLATE, r"ERROR: Job failed: exit (?:code|status) \d+"),
    LineRule("jenkins-exit", BOILERPLATE, r"(?:ERROR: )?script returned exit code \d+"),
    LineRule("exit-status", BOILERPLATE, r"exit status \d+$"),
    LineRule(
        "npm-epilogue",
        BOILERPLATE,
        r"npm ERR!(?:\s*$| A complete log of this run| <path>/\S*debug| code ELIFECYCLE$"
        r"| errno \d+$| This is probably not a problem with npm| Failed at the \S+ script"
        r"|\s+<path>/\S*\.log$)",
    ),
    LineRule("yarn-epilogue", BOILERPLATE, r"(?:error Command failed with exit code|info Visit)"),
    LineRule(
        "maven-epilogue",
        BOILERPLATE,
        r"\[(?:ERROR|INFO)\](?:\s*$| -> \[Help \d+\]| Re-run Maven| For more information"
        r"| To see the full stack trace| BUILD FAILURE$| Total time:| Finished at:)",
    ),
    LineRule("gradle-epilogue", BOILERPLATE,
             r"(?:\* (?:Try|Get more help|What went wrong):|BUILD FAILED in|Run with --)"),
    LineRule("rust-epilogue", BOILERPLATE,
             r"error: (?:aborting due to|could not compile|Recipe `\w+` failed)"),
    LineRule("make-epilogue", BOILERPLATE, r"make(?:\[<num>\])?: \*\*\* .*Error \d+"),
    LineRule("make-directory", BOILERPLATE,
             r"make(?:\[<num>\])?: (?:Entering|Leaving) directory|make(?:\[<num>\])?: Nothing to be"
             r" done", since="2026-12-07"),
    LineRule("unittest-summary", BOILERPLATE, r"FAILED \((?:failures|errors)=<num>"),
    LineRule("ci-markers", BOILERPLATE, r"(?:##\[(?:group|endgroup)\]|::(?:end)?group::|travis_)"),
    LineRule("separator", BOILERPLATE, r"[=\-_*#~+.]{3,}(?:\s.*[=\-_*#~+.]{3,})?\s*$"),
    # -- frames and source pointers ------------------------------------------------------
    LineRule("python-frame", FRAME, r"File \"[^\"]*\", line <line>", family="python"),
    LineRule("at-frame", FRAME, r"at \S", family="jvm"),
    # A .NET frame that names its source first (xUnit's and Mono's ``File.cs(445,0): at
    # Ns.Type.Method()``): only some runs print the file, so as context under a generic title it
    # split one failure into two incidents.
    LineRule("located-at-frame", FRAME, r"(?:<path>[/\\])?[^\s(]+\(<line>\): at \S",
             family="jvm", since=LOCATED_FRAMES_SINCE),
    LineRule("java-more", FRAME, r"\.\.\. <num> (?:more|common frames omitted)", family="jvm"),
    LineRule("go-goroutine", FRAME, r"goroutine <num> \[", family="go"),
    LineRule("go-frame", FRAME, r"(?:<path>/)?\S+\.go:<line>(?: \+<hex>)?$", family="go"),
    LineRule(
        "go-call",
        FRAME,
        r"(?:created by )?[\w./*()-]+\.\w+\((?:<addr>|<hex>|<num>|\.\.\.|, |\{.*\})*\)$",
        family="go",
    ),
    LineRule("rust-pointer", FRAME, r"(?:-->|\||<num> \||= note:|<num>: \S)", family="rust"),
    LineRule("caret", FRAME, r"[\s^~|-]*\^[\s^~|-]*$"),
    LineRule("ruby-from", FRAME, r"from \S+:<line>:in ", family="ruby"),
    # A Ruby backtrace line of its own (rake prints them without "from"); the file may have no
    # extension (``bin/rake:27``), so its line number is masked as a plain number.
    LineRule("ruby-frame", FRAME, r"(?:from )?\S+:(?:<line>|<num>):in [`'][^']*'$",
             family="ruby", since="2026-12-08"),
    LineRule(
        "lua-frame",
        FRAME,
        r"(?:\[C\]|\[string \"[^\"]*\"\]|\S+\.lua)(?::<line>)?: in (?:function|main chunk|upvalue"
        r"|local|method|field|\?)",
        since="2026-12-07",
    ),
    # -- asides: echoed commands, unit headers, progress; never the failure's own message --
    # (Gradle's indented reasons first: its ">" is no prompt)
    *WRAPPER_DETAILS,
    LineRule("command-echo", ASIDE, r"(?:\$|\+{1,3}|>|❯|➜|PS [^>]{0,200}>)\s+\S",
             since="2026-12-07"),
    LineRule("ci-command", ASIDE, r"(?:##\[command\]|\[command\]|Step <num>/<num> : |#<num> \[)",
             since="2026-12-07"),
    LineRule(
        "service-header",
        ASIDE,
        r"[●○×]\s*\S+\.(?:service|socket|timer|mount|automount|target|path|scope|slice|device"
        r"|swap)\b",
        since="2026-12-07",
    ),
    # … and the status fields ``systemctl status`` prints under it
    LineRule(
        "service-status",
        ASIDE,
        r"(?:Loaded|Active|Docs|Main PID|Process|Tasks|Memory|CPU|CGroup|Status|TriggeredBy"
        r"|Triggers|Drop-In|Invocation|IP|IO): ",
        since="2026-12-07",
    ),
    LineRule(
        "progress",
        ASIDE,
        r"(?:\S+\s+)?(?:Downloading|Downloaded|Fetching|Receiving objects|Resolving deltas"
        r"|Counting objects|Compressing objects|Writing objects|Unpacking objects|Extracting"
        r"|Pulling|Pushing|Uploading|Uploaded|Progress|Installing|Collecting|Starting|Started"
        r"|Finished|Waiting|Still waiting|Building|Compiling|Linking|Processing)\b[^\n]*"
        r"(?:<num>%|\(<num>/<num>\)|<num>/<num>|after <duration>|in <duration>|\[[=#>\-. ]+\]"
        r"|\.{3}\s*$)",
        since="2026-12-07",
    ),
    LineRule("progress-bar", ASIDE, r"[\[|]?[=#>\-.█▏▎▍▌▋▊▉ ]{5,}[\]|]?\s*<num>%|<num>%\s*[\[|]",
             since="2026-12-07"),
    # … and a test run's tally ("<num> tests, <num> failures, <num> excluded", "Tests run: <num>,
    # Failures: <num>", "test result: FAILED. <num> passed; <num> failed"): it counts failures
    # without naming one, and which counters a runner prints varies between runs.
    LineRule("test-tally", ASIDE, _TALLY, since="2026-12-08"),
    # … and the tallies Vitest splits with bars ("Tests <num> failed | <num> passed (<num>)"),
    # and Docker's note before it pulls an image ("Unable to find image 'node:<num>' locally")
    LineRule("test-tally-bars", ASIDE,
             r"(?:Test Files|Tests)\s+<num> failed(?: \| <num> \w+)*(?: \(<num>\))?\s*$",
             since="2026-12-10"),
    LineRule("docker-pull-note", ASIDE, r"Unable to find image '\S+' locally$", since="2026-12-10"),
    # -- summaries: a wrapper or runner reporting that a step failed (``wrapper_rules``) -----
    *SUMMARY_RULES,
    # -- titles: lines that name the failure -------------------------------------------
    LineRule(
        "java-exception",
        TITLE,
        r"Exception in thread \"[^\"]*\" " + _EXC_TYPE + _MSG,
        weight=11,
        family="jvm",
    ),
    LineRule("go-panic", TITLE, r"panic: (?P<msg>.*)$", weight=11, family="go"),
    LineRule(
        "rust-panic", TITLE, r"thread '[^']*' panicked at (?P<msg>.*)$", weight=11, family="rust"
    ),
    LineRule(
        "compiler-error",
        TITLE,
        _LOCATION + r":? (?:fatal )?error(?: (?P<code>[A-Z]+\d+))?: (?P<msg>.*)$",
        weight=10,
        family="native",
    ),
    LineRule(
        "rust-error",
        TITLE,
        r"error(?:\[(?P<code>E\d{4})\])?: (?P<msg>.*)$",
        weight=10,
        family="rust",
    ),
    LineRule(
        "pytest-error-line",
        TITLE,
        r"E\s+(?:" + _EXC_TYPE + _MSG + r"|(?P<msg2>.*))",
        weight=10,
        family="python",
    ),
    LineRule(
        "ruby-exception",
        TITLE,
        r"(?P<loc>\S+:<line>):in [`'][^']*': (?P<msg>.*) \((?P<type>[A-Z]\w*(?:::\w+)*)\)$",
        weight=10,
        family="ruby",
    ),
    LineRule("exception", TITLE, r"(?:Uncaught )?" + _EXC_TYPE + _MSG, weight=10),
    LineRule("caused-by", TITLE, r"Caused by: " + _EXC_TYPE + _MSG, weight=9, family="jvm"),
    LineRule("go-build", TITLE, r"(?P<loc>\S+\.go:<line>:<col>): (?P<msg>.*)$", weight=9,
             family="go"),
    # … as go vet reports it ("vet: ./inventory.go:<line>:<col>: invalid operation: …")
    LineRule("go-vet", TITLE, r"vet: (?P<loc>\S+\.go:<line>:<col>): (?P<msg>.*)$", weight=9,
             family="go", since="2026-12-11"),
    LineRule(
        "maven-compile", TITLE, r"\[ERROR\] " + _LOCATION + r" (?P<msg>.*)$", weight=9,
        family="jvm",
    ),
    LineRule("go-fatal", TITLE, r"fatal error: (?P<msg>.*)$", weight=9, family="go"),
    # A linter's finding: "src/a.py:<line>:<col>: F401 [*] `os` imported but unused" (ruff,
    # flake8, pycodestyle, pylint's parseable format), "app/a.rb:<line>:<col>: C: Style/Cop:
    # message" (RuboCop)
    LineRule(
        "lint-finding",
        TITLE,
        _LOCATION + r": (?:[CWEFR]: )?(?P<code>[A-Z]{1,3}\d{2,4}|[A-Z]\w*/\w+)(?: \[\*\])?:?"
        r" (?P<msg>.+)$",
        weight=9,
        since="2026-12-10",
    ),
    # Checkstyle's finding: "[WARN] <path>/A.java:<line>:<col>: Unused import - x. [UnusedImports]"
    LineRule("checkstyle-finding", TITLE,
             r"\[(?:WARN|WARNING|ERROR)\] " + _LOCATION + r": (?P<msg>.+?) \[(?P<code>[A-Z]\w+)\]$",
             weight=9, family="jvm", since="2026-12-10"),
    # A runner's line for one failed test: CTest "<num>/<num> Test #<num>: unit_parser
    # .....***Failed", Vitest "× suite > test"
    LineRule("ctest-failed", TITLE,
             r"<num>/<num> Test #<num>: (?P<msg>\S+) \.*\s*\*\*\*(?:Failed|Timeout|Exception)\b",
             weight=7, family="native", since="2026-12-10"),
    LineRule("vitest-failed", TITLE, r"× (?P<msg>\S.*)$", weight=6, family="js",
             since="2026-12-10"),
    # Yarn 2+ reports every problem with its code ("➤ YN0028: │ The lockfile would have been
    # modified …"); YN0000 is its running commentary
    LineRule("yarn-code", TITLE, r"➤ (?P<code>YN0(?!000)\d{3}): (?:│ )?(?P<msg>.+)$", weight=7,
             family="js", since="2026-12-10"),
    LineRule(
        "shell-error",
        TITLE,
        r"(?P<loc>(?:<path>/)?(?:bash|sh|zsh|dash)|\S+\.sh)(?:: line <line>)?: (?P<msg>.*)$",
        weight=8,
        family="shell",
    ),
    LineRule("apt-error", TITLE, r"E: (?P<msg>.*)$", weight=8, family="shell"),
    LineRule("go-test-fail", TITLE, r"--- FAIL: (?P<msg>\S+)", weight=7, family="go"),
    LineRule(
        "pytest-failed",
        TITLE,
        r"FAILED \S+ - (?:" + _EXC_TYPE + _MSG + r"|(?P<msg2>.*))",
        weight=7,
        family="python",
    ),
    LineRule(
        "npm-error", TITLE, r"npm ERR! (?:code (?P<code>E[A-Z0-9_]+)$|(?P<msg>.*))", weight=7,
        family="js",
    ),
    LineRule("jest-failure", TITLE, r"● (?P<msg>.*)$", weight=6, family="js"),
    LineRule("maven-goal", TITLE, r"\[ERROR\] Failed to execute goal (?P<msg>.*)$", weight=7,
             family="jvm"),
    LineRule(
        "error-prefix",
        TITLE,
        r"(?:\[(?:ERROR|FATAL|CRITICAL)\]|(?:ERROR|FATAL|CRITICAL|Error|error|fatal|FAIL|FAILED)"
        r"(?:!|:))\s*(?P<msg>.+)$",
        weight=6,
    ),
    # The operands an assertion reports ("left:  'a'", "Expected: 'x'", "Received: 'y'") are
    # part of the failure's message: their quoted values join the loose fingerprint as an
    # error line's do. The lowest weight: never the title while another line can be.
    # Vitest's reason under a failed test ("→ expected <num> to be <num>"): its message
    LineRule("vitest-reason", TITLE, r"→ (?P<msg>\S.*)$", weight=1, since="2026-12-10"),
    LineRule(
        "assertion-operand",
        TITLE,
        r"(?i:left|right|expected|actual|received|but was|got)\s*: +(?P<msg>\S.*)$",
        weight=1,
        since="2026-12-08",
    ),
    LineRule("warning", TITLE, r"(?:\S+: )?(?P<type>\w*Warning)" + _MSG, weight=3),
    LineRule(
        "error-words-2026-12-06",
        TITLE,
        r".*?\b(?i:errors?|fatal|failed|failure|exception|panic|cannot|can't|could not|unable to"
        r"|not found|no such|denied|refused|timed out|timeout|segmentation fault|killed"
        r"|went wrong|unexpected|invalid|missing|abort(?:ed)?|crash(?:ed)?|violation|mismatch)\b",
        weight=4,
        until="2026-12-07",
    ),
    LineRule(
        "error-words",
        TITLE,
        r".*?\b(?i:errors?|fatal|failed|failure|exception|panic|cannot|can't|could not|unable to"
        r"|not found|no such|denied|refused|timed out|timeout|segmentation fault|killed"
        r"|went wrong|unexpected|invalid|missing|abort(?:ed)?|crash(?:ed)?|violation|mismatch"
        r"|not defined|undefined|unrecognized|not recognized|does not exist|doesn't exist"
        r"|not supported|unsupported|not allowed)\b",
        weight=4,
        since="2026-12-07",
    ),
)
