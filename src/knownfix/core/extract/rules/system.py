"""Containers, downloads, system packages, PowerShell and TeX: tools any build may call."""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # docker build: each "Step 5/12 : RUN ..." starts a command; its failure ends it.
    LineRule("docker_step", r"^Step \d+/\d+ : ", "step"),
    LineRule(
        "docker_nonzero",
        r"^The command '.*' returned a non-zero code: [1-9]|failed to build: The command '",
        "closer",
        0.8,
        "none",
        "none",
    ),
    # BuildKit names the RUN command that failed in its closing line (``ERROR: failed to solve:
    # process "/bin/sh -c npm ci" did not complete successfully: exit code: 1``; before 0.9
    # ``executor failed running [/bin/sh -c npm ci]: exit code: 1``): the step's command.
    LineRule(
        "docker_solve",
        r'failed to solve: process "/bin/sh -c .*" did not complete successfully'
        r"|executor failed running \[/bin/sh -c .*\]: exit code: [1-9]",
        "closer",
        0.8,
        "none",
        "none",
    ),
    LineRule("docker_daemon", r"Error response from daemon: ", "error", 6, "none", "para"),
    LineRule("curl_error", r"^curl: \(\d+\) ", "error", 5, "none", "none"),
    LineRule("apt_fetch", r"^W: Failed to fetch ", "error", 5, "none", "para"),
    LineRule(
        "travis_log_limit",
        r"^The job exceeded the maximum log length|^Your test run exceeded \d+ minutes",
        "error",
        5,
        "none",
        "none",
    ),
    # PowerShell error records: the message, then "At line:1 char:1" and the code under it.
    LineRule(
        "ps_not_recognized",
        r"is not recognized as (?:the name of a cmdlet|an internal or external command)",
        "error",
        6,
        "none",
        "cont",
    ),
    LineRule("ps_at_line", r"^At (?:line:\d+|\S+:\d+) char:\d+$", "error", 4, "chain", "cont"),
    # TeX: "! Undefined control sequence." and its "l.12 \foo" context below; latexmk's
    # summary; chktex findings.
    LineRule(
        "latexmk_errors",
        r"^Latexmk: Errors, so I did not complete",
        "closer",
        1,
        "none",
        "none",
    ),
    LineRule("chktex_error", r"^Error \d+ in \S+ line \d+: ", "error", 5, "none", "cont"),
    LineRule(
        "tex_error",
        r"^! (?:LaTeX Error: |Undefined control|Missing |Emergency stop|\S)",
        "error",
        6,
        "none",
        "para",
    ),
)

SCAN_TERMS: tuple[str, ...] = (
    r"Step \d+/\d+ : ",
    r"returned a non-zero code|failed to build",
    r"failed to solve: process|executor failed running",
    r"curl: \(",
    r"exceeded the maximum log length|Your test run exceeded",
    r"is not recognized as",
    r"At (?:line:\d+|\S+:\d+) char:",
    r"(?-i:(?m:^)! )",
    r"Latexmk: Errors",
)
