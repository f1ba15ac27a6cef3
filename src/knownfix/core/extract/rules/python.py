"""Python: tracebacks (chained ones too), pytest, unittest and nose."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

_EXC = r"(?:[A-Za-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Failure|Warning|Iteration)"

RULES: tuple[LineRule, ...] = (
    LineRule(
        "py_traceback",
        r"^\s*Traceback \(most recent call last\):",
        "header",
        6,
        "header",
        "traceback",
    ),
    LineRule(
        "py_chain",
        r"^\s*(?:During handling of the above exception|The above exception was the direct)",
        "header",
        2,
        "chain",
    ),
    # pytest
    LineRule("pytest_banner", r"^={3,} (?:FAILURES|ERRORS) ={3,}$", "header", 3, "none"),
    LineRule("pytest_summary_banner", r"^={3,} short test summary info ={3,}$", "summary", 1),
    LineRule(
        "pytest_section",
        r"^_{3,} (?:(?:ERROR|FAILURE) (?:at|collecting) .*|\S.*) _{3,}$",
        "header",
        6,
        "none",
        "section",
    ),
    LineRule("pytest_e", r"^E {1,}\S", "error", 7, "header"),
    LineRule("pytest_location", rf"^\S+\.py:\d+: {_EXC}$", "error", 5, "header", "none"),
    LineRule(
        "pytest_short",
        r"^(?:FAILED|ERROR) \S+::\S+|^(?:FAILED|ERROR) \S+\.py\b",
        "summary",
        3,
        "none",
        "para",
    ),
    LineRule(
        "pytest_result",
        r"^={3,} .*\b\d+ (?:failed|errors?)\b.* ={3,}$|^={3,} .*\berrors? during collection",
        "summary",
        1,
        "none",
        "none",
    ),
    LineRule("pytest_fixture", r"^\s*(?:E\s+)?fixture '\w+' not found", "error", 8),
    # unittest / nose
    LineRule(
        "unittest_header",
        r"^(?:FAIL|ERROR): (?:\w+ \([\w.]+\)|[\w.]+|Failure: \w+)\s*$",
        "header",
        7,
        "none",
        "section",
    ),
    LineRule("unittest_result", r"^FAILED \((?:failures|errors)=\d+", "summary", 1, "none", "none"),
    # Sphinx -W: the warning that became the failure is on the next line.
    LineRule("sphinx_werror", r"^Warning, treated as error:$", "header", 6, "none", "para"),
    LineRule(
        "sphinx_warning", r"^\S+:\d+: (?:WARNING|ERROR|SEVERE): \S", "error", 4, "none", "cont"
    ),
    LineRule(
        "typecheck_summary",
        r"^Found \d+ errors? in \d+ files? \(checked|^build finished with problems",
        "summary",
        1.5,
        "none",
        "none",
    ),
    LineRule("hypothesis_falsifying", r"^\s*Falsifying example:", "error", 6, "none", "cont"),
    LineRule("pylint_module", r"^\*{13} Module \S+$", "header", 5, "none", "para"),
    LineRule("pylint_rating", r"^Your code has been rated at ", "summary", 1, "none", "none"),
    # tox repeats which environment failed; doctest sums up.
    LineRule(
        "tox_failed",
        r"^ERROR:\s+\S+: (?:commands failed|InvocationError)|^\*\*\*Test Failed\*\*\* \d+ fail",
        "closer",
        0.8,
        "none",
        "none",
    ),
    # The exception line that ends a traceback.
    LineRule("py_exception", rf"^\s*{_EXC}(?:: .*|:)?$", "error", 6, "header"),
    LineRule("py_syntax", r"^\s*(?:SyntaxError|IndentationError|TabError): ", "error", 7, "header"),
    LineRule(
        "py_module_missing",
        r"No module named |ModuleNotFoundError|ImportError: cannot import",
        "error",
        7,
        "header",
    ),
    LineRule(
        "pip_error", r"^(?:ERROR|error): (?:Could not|No matching|Command errored)", "error", 6
    ),
    LineRule("pip_resolve", r"^ERROR: Cannot install|ResolutionImpossible", "error", 6),
)

SCAN_TERMS: tuple[str, ...] = (
    r"Traceback \(most",
    r"During handling",
    r"The above exception",
    r"={3,} (?:FAILURES|ERRORS|short test summary)",
    r"_{3,} ",
    # pytest's "E   " lines, after a colour code or a timestamp at most (case matters here).
    r"(?-i:(?m:^)(?:\x1b\[[0-9;]*m|[0-9T:.\-]+Z )*E +\S)",
    r"\w(?:Error|Exception|Exit|Interrupt|Failure|Warning|Iteration)\b",
    r"No module named",
    r"\*{13} Module |code has been rated",
    r"Falsifying example",
    # Case matters: ": warning: " is on every compiler warning.
    r"(?-i:treated as error|: (?:WARNING|SEVERE): |finished with problems)",
)
