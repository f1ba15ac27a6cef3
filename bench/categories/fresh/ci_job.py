"""A CI job as the frames print it: its commands' real runs, the runner-written endings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha1

ESC = "\x1b"
CLEAR = f"\r{ESC}[0K"
CHECKOUT = "\x00CHECKOUT\x00"


@dataclass(frozen=True)
class StepRun:
    """One command of the job and what it really printed (checkout path as a placeholder)."""

    command: str
    output: str
    exit_code: int
    seconds: float
    name: str = ""


@dataclass(frozen=True)
class Job:
    project: str
    ecosystem: str
    name: str
    steps: list[StepRun]
    started: datetime
    ending: str = ""  # a runner-written ending (see ENDINGS), or "" for the command's exit
    checkout: StepRun | None = None  # a checkout that really ran (and may have failed)
    services: tuple[str, ...] = ()
    noise: tuple[str, ...] = field(default_factory=tuple)  # setup lines of this job (warnings)

    @property
    def exit_code(self) -> int:
        if self.checkout and self.checkout.exit_code:
            return self.checkout.exit_code
        return next((s.exit_code for s in self.steps if s.exit_code), 0) or (
            1 if self.ending else 0)

    def digest(self, salt: str, size: int = 40) -> str:
        return sha1(f"{self.project}/{self.name}/{salt}".encode()).hexdigest()[:size]


def lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n") if text.strip() else []


def shown(step: StepRun, checkout: str) -> list[str]:
    return lines(step.output.replace(CHECKOUT, checkout))


def cut(job: Job) -> list[StepRun]:
    """The steps a stop-at-first-failure CI shows: up to and including the first failure."""
    shown_steps: list[StepRun] = []
    for step in job.steps:
        shown_steps.append(step)
        if step.exit_code:
            break
    return shown_steps


# Runner-written endings: {ending: {ci: lines}}. {n} is the job's step name, {m} its minutes.
ENDINGS: dict[str, dict[str, list[str]]] = {
    "job-timeout": {
        "github": ["##[error]The job running on runner GitHub Actions {r} has exceeded the "
                   "maximum execution time of {m} minutes.", "##[error]The operation was "
                   "canceled."],
        "gitlab": ["ERROR: Job failed: execution took longer than {m}m0s seconds"],
        "travis": ["", "", "The job exceeded the maximum time limit for jobs, and has been "
                   "terminated."],
        "jenkins": ["Cancelling nested steps due to timeout", "Sending interrupt signal to "
                    "process", "Terminated", "script returned exit code 143"],
        "buildkite": ["# Job timed out after {m} minutes", "# Received cancellation signal, "
                      "interrupting", "🚨 Error: The command was interrupted by a signal: "
                      "terminated"],
        "circleci": ["", "Too long with no output (exceeded {m}m0s): context deadline exceeded"],
    },
    "no-output": {
        "travis": ["", "", "No output has been received in the last 10m0s, this potentially "
                   "indicates a stalled build or something wrong with the build itself.",
                   "Check the details on how to adjust your build configuration on: "
                   "https://docs.travis-ci.com/user/common-build-problems/#build-times-out-"
                   "because-no-output-was-received", "", "The build has been terminated"],
        "circleci": ["", "Too long with no output (exceeded 10m0s): context deadline exceeded"],
        "github": ["##[error]The action 'Run tests' has timed out after {m} minutes."],
        "gitlab": ["ERROR: Job failed: execution took longer than {m}m0s seconds"],
        "jenkins": ["Timeout has been exceeded", "Sending interrupt signal to process",
                    "Terminated", "script returned exit code 143"],
        "buildkite": ["# Job timed out after {m} minutes",
                      "🚨 Error: The command was interrupted by a signal: terminated"],
    },
    "runner-lost": {
        "github": ["##[error]The runner has received a shutdown signal. This can happen when "
                   "the runner service is stopped, or a manually started runner is canceled.",
                   "##[error]The operation was canceled."],
        "gitlab": ["ERROR: Job failed (system failure): aborted: terminated"],
        "jenkins": ["Cannot contact agent-{r}: java.lang.InterruptedException",
                    "Agent agent-{r} was deleted; cancelling node body",
                    "Could not connect to agent-{r} to send interrupt signal to process"],
        "buildkite": ["# The agent was lost", "# Job status: agent lost (exit status -1)"],
        "circleci": ["", "Unexpected infrastructure failure. Please retry this job."],
        "travis": ["", "", "There was an error while running the VM. The build has been "
                   "restarted.", "", "Your build has been stopped."],
    },
    "lost-communication": {
        "github": ["##[error]The hosted runner: GitHub Actions {r} lost communication with the "
                   "server. Anything in your workflow that terminates the runner process, "
                   "starves it for CPU/Memory, or blocks its network access can cause this "
                   "error."],
        "gitlab": ["ERROR: Job failed (system failure): Error response from daemon: "
                   "No such container: runner-zxwgkjap-project-{r}-concurrent-0-build-2"],
        "jenkins": ["FATAL: command execution failed",
                    "hudson.remoting.ChannelClosedException: Channel \"hudson.remoting.Channel@"
                    "6d3b2e1f:agent-{r}\": Remote call on JNLP4-connect connection from "
                    "10.0.3.{r}/10.0.3.{r}:41822 failed. The channel is closing down or has "
                    "closed down",
                    "\tat hudson.remoting.Channel.call(Channel.java:996)",
                    "\tat hudson.Launcher$RemoteLauncher.launch(Launcher.java:1121)",
                    "Caused: java.io.IOException: Backing channel 'agent-{r}' is disconnected."],
        "buildkite": ["# The agent was lost: failed to heartbeat for 3m0s",
                      "# Job status: agent lost (exit status -1)"],
        "circleci": ["", "Your job ran out of compute resources or the machine stopped "
                     "responding. Infrastructure fail."],
        "travis": ["", "", "The job was terminated because the worker running it lost its "
                   "connection. Please restart the job.", ""],
    },
}


def ending_lines(job: Job, ci: str) -> list[str]:
    if not job.ending:
        return []
    table = ENDINGS[job.ending]
    chosen = table.get(ci) or next(iter(table.values()))
    r = int(job.digest("runner-n", 4), 16) % 40 + 2
    return [line.format(r=r, m=10 + r % 50) for line in chosen]
