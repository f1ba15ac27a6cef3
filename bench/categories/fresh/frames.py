"""How six CI systems print a failed job around its commands' real output.

Modelled on the raw job logs each system serves (the same conventions as
``bench/passing/frames.py``, extended to six systems and to the job endings a runner writes
itself):

* GitHub Actions: every line timestamped, ``##[group]Run …`` step headers, cache restores,
  ``##[error]Process completed with exit code N.``, post-job cleanup.
* GitLab CI: the runner trace with ``section_start``/``section_end`` markers, ``$ command``
  lines, cache extraction, ``ERROR: Job failed: exit code N``.
* Travis CI: ``travis_fold``/``travis_time`` markers, ``The command "…" exited with N.``,
  ``Done. Your build exited with 1.`` (Travis runs every ``script`` command).
* Jenkins: a Pipeline console (``[Pipeline] stage``, ``+ command`` under ``sh``, the git
  plugin's checkout lines, ``ERROR: script returned exit code N``, ``Finished: FAILURE``).
* Buildkite: ``~~~``/``---`` headers of the agent's hooks, ``$ command``, ``🚨 Error: The
  command exited with status N``, ``user command error: exit status N``.
* CircleCI: the steps of a job one after the other (``Spin up environment``, ``Checkout
  code``, ``Restoring cache``, ``#!/bin/bash -eo pipefail``, ``Exited with code exit status N``).

A job's ``ending`` names what the *runner* printed instead of a command's exit (a job killed at
its time limit, a runner that lost contact): those lines are the CI system's own, written from
its documentation and real logs, since they cannot be produced by running a command here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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


# --- GitHub Actions -----------------------------------------------------------------------

GHA_SETUP: dict[str, list[str]] = {
    "python": ["##[group]Run actions/setup-python@v5", "with:", "  python-version: 3.11",
               "  cache: pip", "  check-latest: false", "  token: ***",
               "  update-environment: true", "  allow-prereleases: false", "##[endgroup]",
               "##[group]Installed versions", "Successfully set up CPython (3.11.7)",
               "##[endgroup]", "##[group]Restoring cache", "Received 25165824 of 61299231 "
               "(41.1%), 24.0 MBs/sec", "Received 61299231 of 61299231 (100.0%), 33.1 MBs/sec",
               "Cache Size: ~58 MB (61299231 B)", "Cache restored successfully",
               "Cache restored from key: setup-python-Linux-python-3.11.7-pip-{h}",
               "##[endgroup]"],
    "javascript": ["##[group]Run actions/setup-node@v4", "with:", "  node-version: 20",
                   "  cache: npm", "  always-auth: false", "  check-latest: false",
                   "  token: ***", "##[endgroup]",
                   "Found in cache @ /opt/hostedtoolcache/node/20.20.2/x64",
                   "##[group]Environment details", "node: v20.20.2", "npm: 11.19.1",
                   "yarn: 1.22.22", "##[endgroup]", "[command]/opt/hostedtoolcache/node/20.20.2/"
                   "x64/bin/npm config get cache", "/home/runner/.npm",
                   "Cache hit for: node-cache-Linux-x64-npm-{h}",
                   "Received 31457280 of 40351874 (78.0%), 30.0 MBs/sec",
                   "Cache Size: ~38 MB (40351874 B)",
                   "[command]/usr/bin/tar -xf /home/runner/work/_temp/{u}/cache.tzst -P -C "
                   "/home/runner/work/{p}/{p} --use-compress-program unzstd",
                   "Cache restored successfully", "Cache restored from key: "
                   "node-cache-Linux-x64-npm-{h}"],
    "go": ["##[group]Run actions/setup-go@v5", "with:", "  go-version-file: go.mod",
           "  check-latest: false", "  token: ***", "  cache: true", "##[endgroup]",
           "Setup go version spec 1.19", "Found in cache @ /opt/hostedtoolcache/go/1.19.8/x64",
           "Added go to the path", "Successfully set up Go version 1.19",
           "[command]/opt/hostedtoolcache/go/1.19.8/x64/bin/go env GOMODCACHE",
           "[command]/opt/hostedtoolcache/go/1.19.8/x64/bin/go env GOCACHE",
           "/home/runner/go/pkg/mod", "/home/runner/.cache/go-build",
           "Cache hit for: setup-go-Linux-ubuntu22-go-1.19.8-{h}", "Cache restored successfully",
           "go version go1.19.8 linux/amd64", ""],
    "jvm": ["##[group]Run actions/setup-java@v4", "with:", "  distribution: temurin",
            "  java-version: 17", "  cache: maven", "  java-package: jdk",
            "  check-latest: false", "  server-id: github", "  server-username: GITHUB_ACTOR",
            "  server-password: GITHUB_TOKEN", "  overwrite-settings: true",
            "  job-status: success", "  token: ***", "##[endgroup]",
            "##[group]Installed distributions", "Resolved Java 17.0.15+6 from tool-cache",
            "Setting Java 17.0.15+6 as the default", "", "Java configuration:",
            "  Distribution: temurin", "  Version: 17.0.15+6",
            "  Path: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/17.0.15-6/x64", "",
            "##[endgroup]", "Creating settings.xml with server-id: github",
            "Writing to /home/runner/.m2/settings.xml",
            "Cache restored successfully", "Cache restored from key: "
            "setup-java-Linux-x64-maven-{h}"],
    "ruby": ["##[group]Run ruby/setup-ruby@v1", "with:", "  ruby-version: 3.1",
             "  bundler-cache: true", "##[endgroup]", "##[group]Downloading Ruby",
             "https://github.com/ruby/ruby-builder/releases/download/toolcache/ruby-3.1.2-"
             "ubuntu-22.04.tar.gz", "Took   0.58 seconds", "##[endgroup]",
             "##[group]Extracting  Ruby", "[command]/usr/bin/tar -xz -C /opt/hostedtoolcache/"
             "Ruby/3.1.2 -f /home/runner/work/_temp/{u}", "Took   0.31 seconds",
             "##[endgroup]"],
    "rust": ["##[group]Run dtolnay/rust-toolchain@stable", "with:", "  toolchain: stable",
             "##[endgroup]", "##[group]Run rustup toolchain install stable --profile minimal "
             "--no-self-update", "info: syncing channel updates for 'stable-x86_64-unknown-"
             "linux-gnu'", "info: latest update on 2026-03-26, rust version 1.95.0 "
             "(59807616e 2026-03-26)", "##[endgroup]", "##[group]Run Swatinem/rust-cache@v2",
             "with:", "  prefix-key: v0-rust", "  cache-on-failure: false", "##[endgroup]",
             "... Restoring cache ...", "No cache found."],
    "c-cpp": ["##[group]Run sudo apt-get update && sudo apt-get install -y ninja-build",
              "Hit:1 http://azure.archive.ubuntu.com/ubuntu jammy InRelease",
              "Get:2 http://azure.archive.ubuntu.com/ubuntu jammy-updates InRelease [128 kB]",
              "Fetched 3012 kB in 1s (2480 kB/s)", "Reading package lists...",
              "ninja-build is already the newest version (1.10.1-1).",
              "0 upgraded, 0 newly installed, 0 to remove and 14 not upgraded.", "##[endgroup]"],
}


def github_actions(job: Job) -> str:
    project = job.project
    checkout = f"/home/runner/work/{project}/{project}"
    clock = [job.started]
    out: list[str] = []

    def emit(line: str, ms: float = 0.4) -> None:
        clock[0] += timedelta(milliseconds=ms)
        out.append(f"{clock[0].strftime('%Y-%m-%dT%H:%M:%S.%f')}0Z {line}")

    fill = {"h": job.digest("cache", 64), "u": job.digest("uuid", 32), "p": project}
    head = ["Current runner version: '2.321.0'", "##[group]Operating System", "Ubuntu",
            "22.04.5", "LTS", "##[endgroup]", "##[group]Runner Image",
            "Image: ubuntu-22.04", "Version: 20250105.1.0",
            "Included Software: https://github.com/actions/runner-images/blob/ubuntu22/"
            "20250105.1/images/ubuntu/Ubuntu2204-Readme.md", "##[endgroup]",
            "##[group]Runner Image Provisioner", "2.0.403.1", "##[endgroup]",
            "##[group]GITHUB_TOKEN Permissions", "Contents: read", "Metadata: read",
            "##[endgroup]", "Secret source: Actions", "Prepare workflow directory",
            "Prepare all required actions", "Getting action download info",
            "Download action repository 'actions/checkout@v4' "
            "(SHA:11bd71901bbe5b1630ceea73d27597364c9af683)"]
    for key in ("services",):
        if job.services:
            head += ["##[group]Starting service containers"] + [
                f"Starting {s} service container" for s in job.services] + ["##[endgroup]"]
        del key
    head += [f"Complete job name: {job.name}", "##[group]Run actions/checkout@v4", "with:",
             f"  repository: acme/{project}", "  token: ***", "  ssh-strict: true",
             "  persist-credentials: true", "  clean: true", "  fetch-depth: 1",
             "##[endgroup]", f"Syncing repository: acme/{project}",
             "##[group]Getting Git version info", f"Working directory is '{checkout}'",
             "[command]/usr/bin/git version", "git version 2.47.1", "##[endgroup]"]
    for line in head:
        emit(line, 2.3)
    if job.checkout:
        emit("##[group]Fetching the repository")
        emit(f"[command]/usr/bin/{job.checkout.command}")
        for line in shown(job.checkout, checkout):
            emit(line, 900)
        if job.checkout.exit_code:
            emit("##[endgroup]")
            emit(f"##[error]The process '/usr/bin/git' failed with exit code "
                 f"{job.checkout.exit_code}")
            _gha_cleanup(emit)
            return "\n".join(out) + "\n"
        emit("##[endgroup]")
    else:
        for line in ["##[group]Fetching the repository",
                     "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune "
                     "--no-recurse-submodules --depth=1 origin "
                     f"+{job.digest('commit')}:refs/remotes/origin/main",
                     f" * [new ref]         {job.digest('commit')} -> origin/main",
                     "##[endgroup]", "##[group]Checking out the ref",
                     "[command]/usr/bin/git checkout --progress --force -B main "
                     "refs/remotes/origin/main", "Switched to a new branch 'main'",
                     "branch 'main' set up to track 'origin/main'.", "##[endgroup]",
                     "[command]/usr/bin/git log -1 --format=%H", job.digest("commit")]:
            emit(line, 30)
    for line in GHA_SETUP.get(job.ecosystem, []):
        emit(line.format(**fill), 25)
    for line in job.noise:
        emit(line, 5)
    steps = cut(job)
    for step in steps:
        emit(f"##[group]Run {step.command.splitlines()[0]}", 40)
        for line in step.command.splitlines():
            emit(line)
        emit("shell: /usr/bin/bash -e {0}")
        emit("##[endgroup]")
        body = shown(step, checkout)
        per = step.seconds * 1000 / max(len(body), 1)
        for line in body:
            emit(line, per)
        if step.exit_code and not job.ending:
            emit(f"##[error]Process completed with exit code {step.exit_code}.", 5)
    for line in ending_lines(job, "github"):
        emit(line, 2000)
    _gha_cleanup(emit)
    return "\n".join(out) + "\n"


def _gha_cleanup(emit: Callable[..., None]) -> None:
    for line in ["Post job cleanup.", "[command]/usr/bin/git version", "git version 2.47.1",
                 "Temporarily overriding HOME='/home/runner/work/_temp/5c1e8a2e' before "
                 "making global git config changes",
                 "[command]/usr/bin/git config --local --name-only --get-regexp "
                 "core\\.sshCommand",
                 "[command]/usr/bin/git config --local --name-only --get-regexp "
                 "http\\.https\\:\\/\\/github\\.com\\/\\.extraheader",
                 "http.https://github.com/.extraheader",
                 "[command]/usr/bin/git config --local --unset-all "
                 "http.https://github.com/.extraheader", "Cleaning up orphan processes"]:
        emit(line, 12)


# --- GitLab CI ----------------------------------------------------------------------------

GITLAB_IMAGES = {"python": "python:3.11-slim", "javascript": "node:20-bookworm",
                 "rust": "rust:1.95", "go": "golang:1.19", "jvm": "maven:3.8-eclipse-temurin-17",
                 "ruby": "ruby:3.1", "c-cpp": "gcc:12", "shell": "koalaman/shellcheck-alpine",
                 "beam": "erlang:25", "perl": "perl:5.36", "docker": "docker:24.0",
                 "terraform": "hashicorp/terraform:1.9", "sql": "postgres:15"}


def gitlab_ci(job: Job) -> str:
    checkout = f"/builds/acme/{job.project}"
    image = GITLAB_IMAGES.get(job.ecosystem, "debian:bookworm")
    t = int(job.started.timestamp())
    out: list[str] = []

    def section(name: str, title: str) -> None:
        out.append(f"section_start:{t}:{name}{CLEAR}{ESC}[0K{ESC}[36;1m{title}{ESC}[0;m")

    def end(name: str) -> None:
        out.append(f"section_end:{t}:{name}{CLEAR}")

    out.append(f"{ESC}[0KRunning with gitlab-runner 17.5.3 (12030cf4){ESC}[0;m")
    out.append(f"{ESC}[0K  on green-4.saas-linux-small-amd64.runners-manager.gitlab.com/default "
               f"xS6Vzpvo, system ID: s_{job.digest('runner', 12)}{ESC}[0;m")
    section("prepare_executor", 'Preparing the "docker+machine" executor')
    out.append(f"{ESC}[0KUsing Docker executor with image {image} ...{ESC}[0;m")
    for service in job.services:
        out.append(f"{ESC}[0KStarting service {service} ...{ESC}[0;m")
        out.append(f"{ESC}[0KPulling docker image {service} ...{ESC}[0;m")
    out.append(f"{ESC}[0KPulling docker image {image} ...{ESC}[0;m")
    out.append(f"{ESC}[0KUsing docker image sha256:{job.digest('image', 64)} for {image} with "
               f"digest {image.split(':')[0]}@sha256:{job.digest('digest', 64)} ...{ESC}[0;m")
    end("prepare_executor")
    t += 14
    section("prepare_script", "Preparing environment")
    out.append(f"Running on runner-xs6vzpvo-project-{int(job.digest('pid', 6), 16)}-concurrent-0 "
               f"via runner-xs6vzpvo-s-l-s-amd64-{t}-{job.digest('host', 8)}...")
    end("prepare_script")
    t += 2
    section("get_sources", "Getting source from Git repository")
    out.append(f"{ESC}[32;1mFetching changes with git depth set to 20...{ESC}[0;m")
    out.append(f"Initialized empty Git repository in {checkout}/.git/")
    out.append(f"{ESC}[32;1mCreated fresh repository.{ESC}[0;m")
    if job.checkout:
        out.append(f"$ {job.checkout.command}")
        out.extend(shown(job.checkout, checkout))
        if job.checkout.exit_code:
            end("get_sources")
            out.append("")
            out.append(f"{ESC}[31;1mERROR: Job failed: exit code {job.checkout.exit_code}"
                       f"{ESC}[0;m")
            return "\n".join(out) + "\n"
    out.append(f"{ESC}[32;1mChecking out {job.digest('commit', 8)} as detached HEAD "
               f"(ref is main)...{ESC}[0;m")
    out.append("")
    out.append(f"{ESC}[32;1mSkipping Git submodules setup{ESC}[0;m")
    end("get_sources")
    t += 1
    section("restore_cache", "Restoring cache")
    out.append(f"{ESC}[32;1mChecking cache for {job.ecosystem}-deps-{job.digest('key', 8)}-"
               f"protected...{ESC}[0;m")
    out.append(f"Downloading cache from https://storage.googleapis.com/gitlab-com-runners-cache/"
               f"project/{int(job.digest('pid', 6), 16)}/{job.ecosystem}-deps-"
               f"{job.digest('key', 8)}-protected{ESC}[0;m ")
    out.append(f"{ESC}[32;1mSuccessfully extracted cache{ESC}[0;m")
    end("restore_cache")
    section("step_script", 'Executing "step_script" stage of the job script')
    out.append(f"{ESC}[0KUsing docker image sha256:{job.digest('image', 64)} for {image} with "
               f"digest {image.split(':')[0]}@sha256:{job.digest('digest', 64)} ...{ESC}[0;m")
    out.extend(job.noise)
    for step in cut(job):
        out.append(f"{ESC}[32;1m$ {step.command}{ESC}[0;m")
        out.extend(shown(step, checkout))
        t += max(1, round(step.seconds))
    if job.ending:
        out.extend(ending_lines(job, "gitlab"))
        return "\n".join(out) + "\n"
    end("step_script")
    section("cleanup_file_variables", "Cleaning up project directory and file based variables")
    end("cleanup_file_variables")
    out.append("")
    out.append(f"{ESC}[31;1mERROR: Job failed: exit code {job.exit_code}{ESC}[0;m")
    return "\n".join(out) + "\n"


# --- Travis CI ----------------------------------------------------------------------------

TRAVIS_LANGUAGE = {"python": ("python", "python --version", "Python 3.11.7"),
                   "javascript": ("node_js", "node --version", "v20.20.2"),
                   "rust": ("rust", "rustc --version", "rustc 1.95.0 (59807616e 2026-03-26)"),
                   "go": ("go", "go version", "go version go1.19.8 linux/amd64"),
                   "jvm": ("java", "java -Xmx32m -version", 'openjdk version "17.0.15" '
                           '2025-04-15'),
                   "ruby": ("ruby", "ruby --version", "ruby 3.1.2p20 (2022-04-12 revision "
                            "4491bb740a) [x86_64-linux]"),
                   "c-cpp": ("cpp", "g++ --version", "g++ (Ubuntu 11.4.0-1ubuntu1~22.04) "
                             "11.4.0"),
                   "perl": ("perl", "perl --version", "This is perl 5, version 36")}


def travis_ci(job: Job) -> str:
    checkout = f"/home/travis/build/acme/{job.project}"
    language, version_cmd, version = TRAVIS_LANGUAGE.get(job.ecosystem, ("generic", "", ""))
    t = int(job.started.timestamp() * 1e9)
    out: list[str] = []
    counter = [0]

    def timed(command: str, output: list[str], seconds: float, fold: str = "") -> str:
        nonlocal t
        counter[0] += 1
        mark = job.digest(f"timer{counter[0]}", 8)
        start = t
        t += int(seconds * 1e9) + 3_000_000
        head = f"travis_fold:start:{fold}{CLEAR}" if fold else ""
        tail = f"travis_fold:end:{fold}{CLEAR}" if fold else ""
        body = [f"{head}travis_time:start:{mark}{CLEAR}$ {command}", *output,
                f"travis_time:end:{mark}:start={start},finish={t},duration={t - start}"
                f"{CLEAR}{tail}"]
        return "\n".join(body)

    out.append(f"travis_fold:start:worker_info{CLEAR}{ESC}[33;1mWorker information{ESC}[0m")
    out.append(f"hostname: {job.digest('host', 8)}-2b9c-4a7e-9d5b-{job.digest('h2', 12)}@1."
               "worker-com-7f8c9d6b5-x2k4p.gce-production-3")
    out.append("version: v6.2.23 https://github.com/travis-ci/worker/tree/"
               "3f1b4b5bd8c4c5e1c0b61b5bfb2a1a7f0f9d9e3c")
    out.append(f"instance: travis-job-{job.digest('instance', 8)} travis-ci-ubuntu-2204-"
               "1727101487-0d8f1b2a (via amqp)")
    out.append("startup: 5.905871613s")
    out.append(f"travis_fold:end:worker_info{CLEAR}travis_fold:start:system_info{CLEAR}"
               f"{ESC}[33;1mBuild system information{ESC}[0m")
    out += [f"Build language: {language}", "Build dist: jammy",
            f"Build id: {int(job.digest('build', 8), 16) % 900000000}",
            f"Job id: {int(job.digest('job', 8), 16) % 900000000}",
            "Runtime kernel version: 5.15.0-1063-gcp", f"travis_fold:end:system_info{CLEAR}", ""]
    for service in job.services:
        out.append(timed(f"sudo systemctl start {service}", [], 2.2, "services"))
    if job.checkout:
        out.append(timed(job.checkout.command, shown(job.checkout, checkout),
                         job.checkout.seconds, "git.checkout"))
        if job.checkout.exit_code:
            out.append("")
            out.append(f'{ESC}[31;1mThe command "{job.checkout.command}" failed '
                       f"and exited with {job.checkout.exit_code} during .{ESC}[0m")
            out += ["", "Your build has been stopped."]
            return "\n".join(out) + "\n"
    else:
        out.append(timed(f"git clone --depth=50 --branch=main https://github.com/acme/"
                         f"{job.project}.git acme/{job.project}",
                         [f"Cloning into 'acme/{job.project}'..."], 1.1, "git.checkout"))
    out.append(f"$ cd acme/{job.project}")
    out.append(f"$ git checkout -qf {job.digest('commit')}")
    out.append("")
    out.extend(job.noise)
    if version_cmd:
        out.append(timed(version_cmd, [version], 0.1))
    steps = list(job.steps)
    installs = []
    while steps and steps[0].name == "install":
        installs.append(steps.pop(0))
    for install in installs:
        out.append(timed(install.command, shown(install, checkout), install.seconds, "install"))
        if install.exit_code:
            out.append(f'{ESC}[31;1mThe command "{install.command}" failed and exited with '
                       f"{install.exit_code} during .{ESC}[0m")
            out += ["", "Your build has been stopped."]
            return "\n".join(out) + "\n"
    for step in steps:
        out.append(timed(step.command, shown(step, checkout), step.seconds))
        if job.ending:
            out.extend(ending_lines(job, "travis"))
            return "\n".join(out) + "\n"
        colour = "31" if step.exit_code else "32"
        out[-1] += (f'{ESC}[{colour};1mThe command "{step.command}" exited with '
                    f"{step.exit_code}.{ESC}[0m")
        out.append("")
    out += ["", f"Done. Your build exited with {1 if job.exit_code else 0}."]
    return "\n".join(out) + "\n"


# --- Jenkins ------------------------------------------------------------------------------

def jenkins(job: Job) -> str:
    workspace = f"/var/jenkins_home/workspace/{job.project}_main"
    agent = f"agent-{int(job.digest('agent', 2), 16) % 9 + 1}"
    build = int(job.digest("build", 4), 16) % 900 + 20
    out = ["Started by an SCM change", "Obtained Jenkinsfile from git "
           f"https://git.acme.dev/platform/{job.project}.git",
           "[Pipeline] Start of Pipeline", "[Pipeline] node",
           f"Running on {agent} in {workspace}", "[Pipeline] {",
           "[Pipeline] stage", "[Pipeline] { (Declarative: Checkout SCM)", "[Pipeline] checkout",
           "Selected Git installation does not exist. Using Default",
           "The recommended git tool is: NONE", "using credential jenkins-git-ssh",
           "Cloning the remote Git repository",
           f"Cloning repository https://git.acme.dev/platform/{job.project}.git",
           f" > git init {workspace} # timeout=10",
           f"Fetching upstream changes from https://git.acme.dev/platform/{job.project}.git",
           " > git --version # timeout=10", " > git --version # 'git version 2.39.5'",
           "using GIT_SSH to set credentials Jenkins agent SSH key",
           f" > git fetch --tags --force --progress -- https://git.acme.dev/platform/"
           f"{job.project}.git +refs/heads/*:refs/remotes/origin/* # timeout=10"]
    if job.checkout and job.checkout.exit_code:
        out += [f" > {job.checkout.command} # timeout=10"]
        out += shown(job.checkout, workspace)
        out += ["ERROR: Error cloning remote repo 'origin'",
                "hudson.plugins.git.GitException: Command \"git fetch --tags --force "
                f"--progress -- https://git.acme.dev/platform/{job.project}.git "
                "+refs/heads/*:refs/remotes/origin/*\" returned status code 128:",
                "\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn("
                "CliGitAPIImpl.java:2846)",
                "\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.access$500("
                "CliGitAPIImpl.java:87)",
                "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] }", "[Pipeline] // node",
                "[Pipeline] End of Pipeline", "ERROR: Error cloning remote repo 'origin'",
                "Finished: FAILURE"]
        return "\n".join(out) + "\n"
    out += [f" > git config remote.origin.url https://git.acme.dev/platform/{job.project}.git "
            "# timeout=10", " > git rev-parse refs/remotes/origin/main^{commit} # timeout=10",
            f"Checking out Revision {job.digest('commit')} (refs/remotes/origin/main)",
            " > git config core.sparsecheckout # timeout=10",
            f" > git checkout -f {job.digest('commit')} # timeout=10",
            f"Commit message: \"Merge pull request #{build} from acme/feature\"",
            "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] withEnv", "[Pipeline] {",
            "[Pipeline] stage", "[Pipeline] { (Build)"]
    out += job.noise
    failed = False
    for step in job.steps:
        if failed:
            break
        out += ["[Pipeline] sh"]
        out += [f"+ {line}" for line in step.command.splitlines()]
        out += shown(step, workspace)
        if step.exit_code:
            failed = True
    if job.ending:
        out += ending_lines(job, "jenkins")
    out += ["[Pipeline] }", "[Pipeline] // stage", "[Pipeline] stage",
            "[Pipeline] { (Declarative: Post Actions)", "[Pipeline] junit",
            "Recording test results", "[Checks API] No suitable checks publisher found.",
            "[Pipeline] }", "[Pipeline] // stage", "[Pipeline] }", "[Pipeline] // withEnv",
            "[Pipeline] }", "[Pipeline] // node", "[Pipeline] End of Pipeline"]
    if job.ending in ("job-timeout", "no-output"):
        out += ["Timeout has been exceeded", "Finished: ABORTED"]
    elif job.ending:
        out += ["ERROR: Agent went offline during the build", "Finished: FAILURE"]
    else:
        out += [f"ERROR: script returned exit code {job.exit_code}", "Finished: FAILURE"]
    return "\n".join(out) + "\n"


# --- Buildkite ----------------------------------------------------------------------------

def buildkite(job: Job) -> str:
    ms = int(job.started.timestamp() * 1000)
    root = f"/var/lib/buildkite-agent/builds/ip-10-0-1-{int(job.digest('ip', 2), 16)}-1/acme/" \
           f"{job.project}"
    out: list[str] = []

    def emit(line: str, step_ms: int = 40) -> None:
        nonlocal ms
        ms += step_ms
        out.append(f"_bk;t={ms}\x07{line}")

    for line in ["~~~ Running global environment hook",
                 "$ /etc/buildkite-agent/hooks/environment",
                 "~~~ Preparing working directory", f"$ cd {root}",
                 "# Creating \"" + root + "\""]:
        emit(line)
    if job.checkout:
        emit(f"$ {job.checkout.command}")
        for line in shown(job.checkout, root):
            emit(line, 300)
        if job.checkout.exit_code:
            emit(f"⚠️ Warning: Checkout failed! exit status {job.checkout.exit_code} "
                 "(Attempt 1/3 Retrying in 2s)")
            emit(f"$ {job.checkout.command}")
            for line in shown(job.checkout, root):
                emit(line, 300)
            emit(f"🚨 Error: Failed to checkout plugin / repository: exit status "
                 f"{job.checkout.exit_code}")
            emit("^^^ +++")
            emit(f"🚨 Error: checkout: exit status {job.checkout.exit_code}")
            return "\n".join(out) + "\n"
    else:
        for line in [f"$ git clone -v -- https://github.com/acme/{job.project}.git .",
                     "Cloning into '.'...", "POST git-upload-pack (175 bytes)",
                     "$ git clean -ffxdq", "$ git fetch -v --prune -- origin main",
                     "From https://github.com/acme/" + job.project,
                     " * branch            main       -> FETCH_HEAD",
                     f"$ git checkout -f {job.digest('commit')}",
                     f"HEAD is now at {job.digest('commit', 7)} Bump version",
                     "# Cleaning again to catch any post-checkout changes", "$ git clean -ffxdq",
                     "# Checking to see if git commit information needs to be sent to "
                     "Buildkite...", "$ buildkite-agent meta-data exists buildkite:git:commit",
                     "~~~ Running plugin docker-compose pre-command hook"
                     if job.services else "~~~ Running commands"]:
            emit(line)
    if job.services:
        emit("~~~ Running commands")
    for line in job.noise:
        emit(line)
    for step in cut(job):
        emit(f"$ {step.command}")
        body = shown(step, root)
        per = int(step.seconds * 1000 / max(len(body), 1))
        for line in body:
            emit(line, per)
    if job.ending:
        for line in ending_lines(job, "buildkite"):
            emit(line, 1000)
        return "\n".join(out) + "\n"
    emit("^^^ +++")
    emit(f"🚨 Error: The command exited with status {job.exit_code}")
    emit("^^^ +++")
    emit(f"user command error: exit status {job.exit_code}")
    return "\n".join(out) + "\n"


# --- CircleCI -----------------------------------------------------------------------------

CIRCLE_IMAGES = {"python": "cimg/python:3.11", "javascript": "cimg/node:20.18",
                 "rust": "cimg/rust:1.95", "go": "cimg/go:1.19", "jvm": "cimg/openjdk:17.0",
                 "ruby": "cimg/ruby:3.1", "c-cpp": "cimg/base:2024.12"}


def circleci(job: Job) -> str:
    image = CIRCLE_IMAGES.get(job.ecosystem, "cimg/base:2024.12")
    home = "/home/circleci/project"
    out = ["Spin up environment", "Build-agent version 1.0.263545-77c9cf34 (2025-01-08T14:27:"
           "19+0000)", "System information:", " Server Version: 24.0.9", " Storage Driver: "
           "overlay2", "  Backing Filesystem: xfs", " Cgroup Driver: cgroupfs",
           " Cgroup Version: 1", " Kernel Version: 5.15.0-1057-aws",
           " Operating System: Ubuntu 20.04.6 LTS", " OSType: linux", " Architecture: x86_64",
           "", f"Starting container {image}", f"{image}:", "  using image "
           f"{image}@sha256:{job.digest('image', 64)}", "  pull stats: Image was already "
           "available so the image was not pulled", "  time to create container: 1.021s"]
    for service in job.services:
        out += [f"Starting container {service}", f"  image is cached as {service}, but "
                "refreshing...", "  time to create container: 640ms"]
    out += ["Time to upload agent and config: 442.151822ms", "Time to start containers: "
            "1.152487341s", "", "Preparing environment variables",
            "Using build environment variables:", "  BASH_ENV=/tmp/.bash_env-"
            f"{job.digest('env', 24)}-0-build", "  CI=true", "  CIRCLECI=true",
            "  CIRCLE_BRANCH=main", f"  CIRCLE_BUILD_NUM={int(job.digest('n', 4), 16)}",
            f"  CIRCLE_JOB={job.name}", f"  CIRCLE_PROJECT_REPONAME={job.project}",
            "  CIRCLE_PROJECT_USERNAME=acme", f"  CIRCLE_SHA1={job.digest('commit')}",
            "", "Checkout code"]
    if job.checkout:
        out += ["#!/bin/sh", "set -e", "", "# Workaround old docker images with incorrect $HOME",
                "echo \"Using SSH Config Dir '$SSH_CONFIG_DIR'\"",
                "git --version", job.checkout.command]
        out += shown(job.checkout, home)
        if job.checkout.exit_code:
            out += ["", f"Exited with code exit status {job.checkout.exit_code}", "",
                    "CircleCI received exit code " + str(job.checkout.exit_code)]
            return "\n".join(out) + "\n"
    else:
        out += ["Using SSH Config Dir '/home/circleci/.ssh'", "git version 2.47.1",
                "Cloning git repository", "Cloning into '.'...",
                "Warning: Permanently added the ECDSA host key for IP address '140.82.113.3' "
                "to the list of known hosts.", "Checking out branch",
                f"HEAD is now at {job.digest('commit', 7)} Merge pull request #"
                f"{int(job.digest('pr', 3), 16)} from acme/next"]
    out += ["", "Restoring cache",
            f"Found a cache from build {int(job.digest('cb', 4), 16)} at "
            f"v2-deps-{job.digest('ck', 12)}", "Size: 48 MiB",
            "Cached paths:", "  * /home/circleci/.cache", "", "Downloading cache archive...",
            "Unarchiving cache...", ""]
    out += list(job.noise)
    for step in cut(job):
        title = step.name if step.name and step.name != "install" else step.command.splitlines()[0]
        out += [title, "#!/bin/bash -eo pipefail", *step.command.splitlines(),
                *shown(step, home)]
        if step.exit_code and not job.ending:
            out += ["", f"Exited with code exit status {step.exit_code}", "",
                    f"CircleCI received exit code {step.exit_code}"]
        out.append("")
    out += ending_lines(job, "circleci")
    return "\n".join(out) + "\n"


CI_SYSTEMS: dict[str, Callable[[Job], str]] = {
    "github": github_actions,
    "gitlab": gitlab_ci,
    "travis": travis_ci,
    "jenkins": jenkins,
    "buildkite": buildkite,
    "circleci": circleci,
}
