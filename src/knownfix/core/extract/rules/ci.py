"""CI systems: Travis, GitHub Actions, GitLab, Jenkins, and the shells they run.

Step markers bound blocks; exit lines say which step failed and are never the explanation.
"""

from __future__ import annotations

from knownfix.core.extract.rules.base import LineRule

RULES: tuple[LineRule, ...] = (
    # Step boundaries.
    LineRule("travis_start", r"^travis_(?:fold|time):start:", "step"),
    LineRule("travis_end", r"^travis_(?:fold|time):end:", "step"),
    LineRule("gha_group", r"^##\[group\]", "step"),
    LineRule("gha_endgroup", r"^##\[endgroup\]", "step"),
    LineRule("gha_command", r"^##\[command\]|^\[command\]", "step"),
    # GitLab runs these sections after the script failed (after_script, artifacts and caches
    # uploaded on failure, cleanup): they are not the failed step, whose output is above them.
    LineRule(
        "gitlab_after_section",
        r"^section_start:\d+:(?:after_script|upload_artifacts\w*|archive_cache\w*|cleanup\w*)",
        "step",
    ),
    LineRule("gitlab_section", r"^section_start:\d+:", "step"),
    LineRule("gitlab_section_end", r"^section_end:\d+:", "step"),
    LineRule("jenkins_stage", r"^\[Pipeline\] ", "step"),
    # A shell command echoed by the runner (Travis "$ cmd", "set -x" traces): never the failure.
    LineRule("shell_command", r"^\$ \S|^\+ \S", "step"),
    # Exits: the failure is above them.
    # Exit 124 is timeout(1) giving up, 137 and 143 a KILL or TERM signal: the exit line itself
    # says what happened (the output above just stops).
    LineRule(
        "killed_exit",
        r"^The command \".*\" (?:failed and )?exited with (?:124|137|143)(?:\.| during)"
        r"|exit code (?:124|137|143)\.?$",
        "exit",
    ),
    # "failed and exited with 2 during ." is how Travis ends a failed install phase.
    LineRule(
        "travis_exit",
        r"^The command \".*\" (?:failed and )?exited with [1-9]\d*(?:\.| during)",
        "exit",
    ),
    LineRule("travis_done", r"^Done\. Your build exited with [1-9]", "step"),
    LineRule("travis_ok_exit", r"^The command \".*\" exited with 0\.", "step"),
    # Buildbot closes each step with its result: 2 failure, 4 exception, 5 retry, 6 cancelled.
    LineRule(
        "buildbot_step_failed",
        r"^=+ Finished \S.* \(results: [2456], elapsed: ",
        "exit",
    ),
    LineRule("gha_exit", r"^##\[error\]Process completed with exit code [1-9]", "exit"),
    LineRule("gha_exit_plain", r"^Error: Process completed with exit code [1-9]", "exit"),
    LineRule("jenkins_exit", r"^ERROR: script returned exit code [1-9]", "exit"),
    LineRule("jenkins_finished", r"^Finished: (?:FAILURE|UNSTABLE|ABORTED)", "exit"),
    LineRule("gitlab_exit", r"^ERROR: Job failed\b", "exit"),
    LineRule("taskcluster_exit", r"^Unsuccessful task run with exit code: [1-9]", "exit"),
    LineRule(
        "circleci_exit",
        r"^Exited with code (?:exit status )?-?[1-9]|^CircleCI received exit code -?[1-9]"
        r"|^Too long with no output \(exceeded|^Exited with status -?[1-9]",
        "exit",
    ),
    LineRule(
        "buildkite_exit",
        r"^(?:🚨 )?Error: The command exited with status -?[1-9]"
        r"|^user command error: exit status -?[1-9]",
        "exit",
    ),
    LineRule("taskcluster_error", r"^\[taskcluster:error\] \S", "error", 5),
    LineRule("travis_timeout", r"^No output has been received in the last \d+m", "error", 5),
    LineRule("travis_killed", r"^The job exceeded the maximum time limit", "error", 5),
    # Wrappers that report a child's exit status: the failure is above them.
    LineRule(
        "child_exit",
        r"(?:exited|failed|finished|completed) with (?:exit )?(?:code|status)[: ]+\(?[1-9]"
        r"|returned non-zero exit status|errored after \d|^ERROR: \".*\" exited with [1-9]"
        r"|^Command failed with status \(?[1-9]|exit code [1-9]\d*\.?$",
        "closer",
        0.5,
        "none",
        "none",
    ),
    # Annotations that carry a message.
    LineRule("gha_error", r"^##\[error\]\S", "error", 5),
    LineRule("gha_annotation", r"^::error(?: [^:]*)?::", "error", 6),
    # Shells.
    LineRule("clone_failed", r"^Failed to clone from GitHub|^fatal: ", "error", 5),
    LineRule("retry_failed", r"^The command \".*\" failed\. Retrying", "noise", 0.5),
    LineRule("retry_failed_final", r"^The command \".*\" failed \d+ times", "error", 3),
)

KILLED_EXITS = frozenset({"killed_exit"})
"""Exits that report a timeout or a signal: the exit line is part of the explanation."""

STEP_OPENERS = frozenset(
    {"travis_start", "gha_group", "gha_endgroup", "gha_command", "gitlab_section", "jenkins_stage"}
)
"""Step markers that start a new step; a block is in the failed step if none lies between.

GitHub Actions folds a step's command into ``##[group]Run ...`` / ``##[endgroup]``: its output
starts after the ``##[endgroup]``.
"""

SCAN_TERMS: tuple[str, ...] = (
    r"travis_(?:fold|time):",
    r"##\[",
    r"\[command\]",
    r"::error",
    r"section_(?:start|end):",
    r"\[Pipeline\] ",
    r"The command ",
    r"Your build exited",
    r"Finished: ",
    r"Unsuccessful task run|\[taskcluster:error\]",
    r"Exited with code|received exit code|command exited with status|user command error",
    r"Too long with no output",
    r"\(results: [2456], elapsed: ",
    r"No output has been received",
    r"The job exceeded",
    r"not found",
    r"No such file",
    r"cannot access",
    r"Permission denied",
    r"Segmentation fault|core dumped|Killed|Bus error|Aborted|Access violation",
    r"Illegal instruction|Floating point exception|Stack overflow",
    r"Failed to clone|fatal: ",
    r"exited|exit code|exit status|errored after|Command failed",
)
