"""JavaScript and TypeScript: npm, yarn, pnpm, node stack traces, mocha, jest, TAP, eslint, tsc."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

_NPM_NOISE = (
    r"code (?:ELIFECYCLE|1)\b|errno \d|Exit status|Failed at the|This is probably not a problem"
    r"|There is likely additional|A complete log of this|not with npm itself"
    r"|Tell the author|You can get (?:their|information)|\s+npm (?:owner|bugs)"
    r"|Test failed\.  See above|node v\d|npm\s+v\d|argv |Linux |Darwin |Windows_NT |cwd "
    r"|If you need help|Please include the following|\s+/\S+\.log$|\S+@\S+ [\w:.\-]+: `"
    r"|command (?:failed|sh -c)|signal SIG|Lifecycle script"
)

RULES: tuple[LineRule, ...] = (
    LineRule(
        "npm_lifecycle",
        r"^npm ERR!\s+(?:code ELIFECYCLE|Test failed\.  See above|errno \d|Exit status \d)",
        "closer",
        0.4,
        "none",
        "none",
    ),
    LineRule("npm_noise", rf"^npm ERR!\s+(?:{_NPM_NOISE})", "noise", 0.4, "none", "none"),
    LineRule("npm_error", r"^npm ERR! \S", "error", 4, "none", "para"),
    LineRule("pnpm_error", r"ERR_PNPM_\w+", "error", 6, "none", "section"),
    LineRule(
        "yarn_noise",
        r"^error Command failed with exit code|^info Visit https://yarnpkg"
        r"|^error Command failed\.$",
        "closer",
        0.4,
        "none",
        "none",
    ),
    LineRule("yarn_error", r"^error (?:An unexpected|Couldn't|Could not|\S+: )", "error", 5),
    LineRule("lerna_exit", r"^lerna ERR! .* exited \d+ in ", "closer", 0.5, "none", "none"),
    LineRule("lerna_error", r"^lerna ERR! \S", "error", 4, "none", "para"),
    LineRule("node_throw", r"^\s*throw (?:err|e|er|error);?$", "noise", 0.5, "none", "none"),
    # Test runners.
    LineRule(
        "jest_summary",
        r"^(?:Test Suites|Tests):\s+\d+ failed|^Ran all test suites",
        "summary",
        1.5,
        "none",
        "none",
    ),
    LineRule("mocha_failing", r"^\s*\d+ failing$", "header", 6, "none", "section"),
    # Vitest: "× suite > test" with its reason "→ expected 90 to be 85" below, and a summary
    # of counts split by "|" ("Tests  1 failed | 15 passed (16)") that says nothing of why.
    LineRule("vitest_failed", r"^\s*× \S", "header", 6, "none", "cont"),
    LineRule(
        "vitest_reason",
        r"^\s+→ (?:expected |[A-Z]\w*(?:Error|Exception)\b|Cannot |Timed? ?out)",
        "error",
        6,
        "header",
        "cont",
    ),
    LineRule("vitest_summary", r"^\s*(?:Test Files|Tests)\s+\d+ failed\b", "summary", 1.5, "none",
             "none"),
    LineRule(
        "jest_fail", r"^\s*FAIL\s+\S+\.(?:[jt]sx?|mjs|cjs|coffee)\b", "header", 7, "none", "section"
    ),
    LineRule("jest_bullet", r"^\s*● ", "header", 6, "none", "section"),
    LineRule("karma_failed", r"\) .* FAILED$|^\s*FAILED TESTS:", "error", 5, "none", "cont"),
    LineRule(
        "karma_summary", r"Executed \d+ of \d+ .*\(\d+ FAILED\)", "summary", 2, "none", "none"
    ),
    # Jasmine / Jest matchers: "Expected 1 to be 2."
    LineRule(
        "jasmine_expected",
        r"^\s*Expected .+ (?:not )?to (?:be|equal|have|contain|match|throw|include)\b",
        "error",
        5,
        "para",
        "cont",
    ),
    # Linters and compilers.
    LineRule(
        "tsc_error",
        r"\(\d+,\d+\): error TS\d+:|:\d+:\d+ - error TS\d+:|: error TS\d+:|^error TS\d+:",
        "error",
        8,
    ),
    LineRule("eslint_error", r"^\s+\d+:\d+\s+(?:error|✖)\s+\S", "error", 6, "header", "para"),
    LineRule("eslint_summary", r"^✖ \d+ problems? \(", "summary", 2, "none", "none"),
    LineRule(
        "webpack_error",
        r"^ERROR in |Module not found: Error:|^Module build failed",
        "error",
        6,
        "none",
        "para",
    ),
    # Node errors and their stack.
    LineRule(
        "node_error",
        r"^\s*(?:Uncaught )?(?:[A-Z]\w*)?(?:Error|Exception)(?: \[\w+\])?: \S",
        "error",
        5,
        "para",
        "cont",
    ),
)

SCAN_TERMS: tuple[str, ...] = (
    r"ERR!",  # "npm ERR!" is often coloured word by word
    r"yarnpkg\.com",
    r"(?-i:Test Suites: |Tests: |Ran all test suites)",
    r"ERR_PNPM",
    r"error ",
    r"\d+ failing",
    r"× |→ |(?:Test Files|Tests)[ \t]+\d+ failed",
    r"FAIL ",
    r"● ",
    r"not ok ",
    r"error TS\d",
    r"✖",
    r"ERROR in |Module build failed",
    r"throw ",
    r"expected [^\n]* to ",  # jasmine
)
