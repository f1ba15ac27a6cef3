"""How GitHub Actions, GitLab CI and Travis CI print a job around its commands' output.

The frames are modelled on real logs of each system: the raw log GitHub Actions serves for a job
(every line timestamped, ``##[group]``/``##[endgroup]`` folds, ``Run <command>`` step headers,
``##[error]Process completed with exit code N.`` when a step fails, the post-job cleanup and
``Cleaning up orphan processes``), the trace a GitLab runner streams (``section_start:<unix
time>:<name>`` + ``\\r\\x1b[0K``, green ``$ command`` lines, ``Cleaning up project directory and
file based variables``, ``Job succeeded`` or ``ERROR: Job failed: exit code N``) and the Travis CI
log (``travis_fold``/``travis_time`` markers, ``The command "…" exited with N.``, ``Done. Your build
exited with N.``). The commands' output inside the frames is real (``make_logs.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from hashlib import sha1

CHECKOUT = "\x00CHECKOUT\x00"  # where the temporary checkout's path stood in the output
PYTHON = "\x00PYTHON\x00"  # where the local Python environment's prefix stood
PYTHON_PREFIX = {"github": "/opt/hostedtoolcache/Python/3.11.9/x64", "gitlab": "/usr/local",
                 "travis": "/home/travis/virtualenv/python3.11.9"}
ESC = "\x1b"
CLEAR = f"\r{ESC}[0K"


@dataclass(frozen=True)
class StepRun:
    """One command of the job and what it really printed."""

    command: str
    output: str
    exit_code: int
    seconds: float

    def rooted(self, checkout: str, python_prefixes: tuple[str, ...]) -> StepRun:
        """The same run with the checkout's and Python's paths as placeholders for the frames."""
        output = self.output.replace(checkout, CHECKOUT)
        output = output.replace(checkout.lstrip("/"), CHECKOUT)  # CTest prints it without the /
        for prefix in python_prefixes:
            output = output.replace(prefix, PYTHON)
        return replace(self, output=output)

    def shown(self, checkout: str, ci: str) -> str:
        """The output as the CI system would show it: its checkout and Python paths."""
        return self.output.replace(CHECKOUT, checkout).replace(PYTHON, PYTHON_PREFIX[ci])


@dataclass(frozen=True)
class Job:
    project: str
    ecosystem: str
    name: str
    steps: list[StepRun]
    started: datetime

    @property
    def exit_code(self) -> int:
        return next((s.exit_code for s in self.steps if s.exit_code), 0)

    def digest(self, salt: str, size: int = 40) -> str:
        """A stable fake hash (commit, image digest) for this job."""
        return sha1(f"{self.project}/{self.name}/{salt}".encode()).hexdigest()[:size]


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n") if text.strip() else []


# --- GitHub Actions ---------------------------------------------------------------------------

GHA_SETUP: dict[str, list[str]] = {
    "python": ["##[group]Run actions/setup-python@v5", "with:", "  python-version: 3.11",
               "  check-latest: false", "  token: ***", "  update-environment: true",
               "  allow-prereleases: false", "##[endgroup]",
               "##[group]Installed versions",
               "Successfully set up CPython (3.11.9)", "##[endgroup]"],
    "javascript": ["##[group]Run actions/setup-node@v4", "with:", "  node-version: 20",
                   "  cache: npm", "  always-auth: false", "  check-latest: false",
                   "  token: ***", "##[endgroup]",
                   "Found in cache @ /opt/hostedtoolcache/node/20.12.2/x64",
                   "##[group]Environment details", "node: v20.12.2", "npm: 10.5.0",
                   "yarn: 1.22.22", "##[endgroup]"],
    "go": ["##[group]Run actions/setup-go@v5", "with:", "  go-version: 1.22",
           "  check-latest: false", "  token: ***", "  cache: true", "##[endgroup]",
           "Setup go version spec 1.22", "Found in cache @ /opt/hostedtoolcache/go/1.22.2/x64",
           "Added go to the path", "Successfully set up Go version 1.22",
           "go version go1.22.2 linux/amd64", ""],
    "jvm": ["##[group]Run actions/setup-java@v4", "with:", "  distribution: temurin",
            "  java-version: 17", "  cache: maven", "  java-package: jdk",
            "  check-latest: false", "  server-id: github", "  server-username: GITHUB_ACTOR",
            "  server-password: GITHUB_TOKEN", "  overwrite-settings: true",
            "  job-status: success", "  token: ***", "##[endgroup]",
            "##[group]Installed distributions",
            "Resolved Java 17.0.11+9 from tool-cache",
            "Setting Java 17.0.11+9 as the default", "Creating toolchains.xml for JDK version 17 "
            "from temurin", "", "Java configuration:", "  Distribution: temurin",
            "  Version: 17.0.11+9",
            "  Path: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/17.0.11-9/x64", "",
            "##[endgroup]"],
    "ruby": ["##[group]Run ruby/setup-ruby@v1", "with:", "  ruby-version: 3.3",
             "  bundler-cache: false", "##[endgroup]",
             "##[group]Downloading Ruby",
             "https://github.com/ruby/ruby-builder/releases/download/toolcache/ruby-3.3.1-"
             "ubuntu-22.04.tar.gz", "Took   0.61 seconds", "##[endgroup]",
             "##[group]Extracting  Ruby", "[command]/usr/bin/tar -xz -C /opt/hostedtoolcache/"
             "Ruby/3.3.1 -f /home/runner/work/_temp/ruby.tar.gz", "Took   0.34 seconds",
             "##[endgroup]"],
}
GHA_ENV: dict[str, list[str]] = {
    "python": ["  pythonLocation: /opt/hostedtoolcache/Python/3.11.9/x64",
               "  LD_LIBRARY_PATH: /opt/hostedtoolcache/Python/3.11.9/x64/lib"],
    "jvm": ["  JAVA_HOME: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/17.0.11-9/x64",
            "  JAVA_HOME_17_X64: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/17.0.11-9/x64"],
}


def github_actions(job: Job) -> str:
    checkout = f"/home/runner/work/{job.project}/{job.project}"
    clock = [job.started]
    out: list[str] = []

    def emit(line: str, advance_ms: float = 0.3) -> None:
        clock[0] += timedelta(milliseconds=advance_ms)
        out.append(f"{clock[0].strftime('%Y-%m-%dT%H:%M:%S.%f')}0Z {line}")

    for line in ["Current runner version: '2.317.0'", "##[group]Operating System", "Ubuntu",
                 "22.04.4", "LTS", "##[endgroup]", "##[group]Runner Image",
                 "Image: ubuntu-22.04", "Version: 20240616.1.0",
                 "Included Software: https://github.com/actions/runner-images/blob/ubuntu22/"
                 "20240616.1/images/ubuntu/Ubuntu2204-Readme.md", "##[endgroup]",
                 "##[group]GITHUB_TOKEN Permissions", "Contents: read", "Metadata: read",
                 "##[endgroup]", "Secret source: Actions", "Prepare workflow directory",
                 "Prepare all required actions", "Getting action download info",
                 "Download action repository 'actions/checkout@v4' "
                 "(SHA:692973e3d937129bcbf40652eb9f2f61becf3332)",
                 f"Complete job name: {job.name}", "##[group]Run actions/checkout@v4", "with:",
                 f"  repository: example/{job.project}", "  token: ***", "  ssh-strict: true",
                 "  persist-credentials: true", "  clean: true", "  fetch-depth: 1",
                 "##[endgroup]", f"Syncing repository: example/{job.project}",
                 "##[group]Getting Git version info", f"Working directory is '{checkout}'",
                 "[command]/usr/bin/git version", "git version 2.45.2", "##[endgroup]",
                 "##[group]Fetching the repository",
                 "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune "
                 "--no-recurse-submodules --depth=1 origin "
                 f"+{job.digest('commit')}:refs/remotes/origin/main",
                 " * [new ref]         "
                 f"{job.digest('commit')} -> origin/main", "##[endgroup]",
                 "##[group]Checking out the ref",
                 "[command]/usr/bin/git checkout --progress --force -B main "
                 "refs/remotes/origin/main", "Switched to a new branch 'main'",
                 "branch 'main' set up to track 'origin/main'.", "##[endgroup]",
                 *GHA_SETUP.get(job.ecosystem, [])]:
        emit(line, 2.1)
    for step in job.steps:
        emit(f"##[group]Run {step.command}", 40)
        emit(step.command)
        emit("shell: /usr/bin/bash -e {0}")
        env = GHA_ENV.get(job.ecosystem)
        if env:
            emit("env:")
            for line in env:
                emit(line)
        emit("##[endgroup]")
        lines = _lines(step.shown(checkout, "github"))
        per_line = step.seconds * 1000 / max(len(lines), 1)
        for line in lines:
            emit(line, per_line)
        if step.exit_code:
            emit(f"##[error]Process completed with exit code {step.exit_code}.", 5)
            break
    for line in ["Post job cleanup.", "[command]/usr/bin/git version", "git version 2.45.2",
                 "[command]/usr/bin/git config --local --name-only --get-regexp "
                 "core\\.sshCommand",
                 "[command]/usr/bin/git config --local --name-only --get-regexp "
                 "http\\.https\\:\\/\\/github\\.com\\/\\.extraheader",
                 "http.https://github.com/.extraheader",
                 "[command]/usr/bin/git config --local --unset-all "
                 "http.https://github.com/.extraheader", "Cleaning up orphan processes"]:
        emit(line, 12)
    return "\n".join(out) + "\n"


# --- GitLab CI --------------------------------------------------------------------------------

GITLAB_IMAGES = {"python": "python:3.11", "javascript": "node:20", "rust": "rust:1.78",
                 "go": "golang:1.22", "jvm": "maven:3.9-eclipse-temurin-17",
                 "ruby": "ruby:3.3", "c-cpp": "gcc:13"}


def gitlab_ci(job: Job) -> str:
    checkout = f"/builds/example/{job.project}"
    image = GITLAB_IMAGES.get(job.ecosystem, "alpine:3.19")
    digest = job.digest("image", 64)
    t = int(job.started.timestamp())
    out: list[str] = []

    def section(name: str, title: str) -> None:
        out.append(f"section_start:{t}:{name}{CLEAR}{ESC}[0K{ESC}[36;1m{title}{ESC}[0;m{ESC}[0;m")

    def end(name: str) -> None:
        out.append(f"section_end:{t}:{name}{CLEAR}")

    out.append(f"{ESC}[0KRunning with gitlab-runner 16.11.1 (535ced5f){ESC}[0;m")
    out.append(f"{ESC}[0K  on blue-3.saas-linux-small-amd64.runners-manager.gitlab.com/default "
               f"zxwgkjAP, system ID: s_{job.digest('runner', 12)}{ESC}[0;m")
    section("prepare_executor", 'Preparing the "docker+machine" executor')
    out.append(f"{ESC}[0KUsing Docker executor with image {image} ...{ESC}[0;m")
    out.append(f"{ESC}[0KPulling docker image {image} ...{ESC}[0;m")
    out.append(f"{ESC}[0KUsing docker image sha256:{digest} for {image} with digest "
               f"{image.split(':')[0]}@sha256:{job.digest('digest', 64)} ...{ESC}[0;m")
    end("prepare_executor")
    t += 12
    section("prepare_script", "Preparing environment")
    out.append("Running on runner-zxwgkjap-project-56219032-concurrent-0 via "
               f"runner-zxwgkjap-s-l-s-amd64-{t}-{job.digest('host', 8)}...")
    end("prepare_script")
    t += 2
    section("get_sources", "Getting source from Git repository")
    out.append(f"{ESC}[32;1mFetching changes with git depth set to 20...{ESC}[0;m")
    out.append(f"Initialized empty Git repository in {checkout}/.git/")
    out.append(f"{ESC}[32;1mCreated fresh repository.{ESC}[0;m")
    out.append(f"{ESC}[32;1mChecking out {job.digest('commit', 8)} as detached HEAD "
               f"(ref is main)...{ESC}[0;m")
    out.append("")
    out.append(f"{ESC}[32;1mSkipping Git submodules setup{ESC}[0;m")
    end("get_sources")
    t += 1
    section("step_script", 'Executing "step_script" stage of the job script')
    out.append(f"{ESC}[0KUsing docker image sha256:{digest} for {image} with digest "
               f"{image.split(':')[0]}@sha256:{job.digest('digest', 64)} ...{ESC}[0;m")
    for step in job.steps:
        out.append(f"{ESC}[32;1m$ {step.command}{ESC}[0;m")
        out.extend(_lines(step.shown(checkout, "gitlab")))
        t += max(1, round(step.seconds))
        if step.exit_code:
            break
    end("step_script")
    section("cleanup_file_variables", "Cleaning up project directory and file based variables")
    end("cleanup_file_variables")
    out.append("")
    if job.exit_code:
        out.append(f"{ESC}[31;1mERROR: Job failed: exit code {job.exit_code}")
        out.append(f"{ESC}[0;m")
    else:
        out.append(f"{ESC}[32;1mJob succeeded{ESC}[0;m")
    return "\n".join(out) + "\n"


# --- Travis CI --------------------------------------------------------------------------------

TRAVIS_LANGUAGE = {"python": ("python", "python --version", "Python 3.11.9"),
                   "javascript": ("node_js", "node --version", "v20.12.2"),
                   "rust": ("rust", "rustc --version", "rustc 1.78.0 (9b00956e5 2024-04-29)"),
                   "go": ("go", "go version", "go version go1.22.2 linux/amd64"),
                   "jvm": ("java", "java -Xmx32m -version", 'openjdk version "17.0.11" 2024-04-16'),
                   "ruby": ("ruby", "ruby --version", "ruby 3.3.1 (2024-04-23 revision c56cd86388)"
                            " [x86_64-linux]"),
                   "c-cpp": ("c", "gcc --version", "gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0")}


def travis_ci(job: Job) -> str:
    checkout = f"/home/travis/build/example/{job.project}"
    language, version_cmd, version = TRAVIS_LANGUAGE.get(job.ecosystem, ("generic", "", ""))
    t = int(job.started.timestamp() * 1e9)
    out: list[str] = []
    counter = [0]

    def timer() -> str:
        counter[0] += 1
        return job.digest(f"timer{counter[0]}", 8)

    def timed(command: str, output: str, seconds: float, fold: str | None = None) -> str:
        nonlocal t
        mark = timer()
        start = t
        t += int(seconds * 1e9) + 3_000_000
        head = f"travis_fold:start:{fold}{CLEAR}" if fold else ""
        body = output.rstrip("\n")
        tail = f"travis_fold:end:{fold}{CLEAR}" if fold else ""
        lines = [f"{head}travis_time:start:{mark}{CLEAR}$ {command}"]
        if body:
            lines.append(body)
        lines.append(f"travis_time:end:{mark}:start={start},finish={t},duration={t - start}"
                     f"{CLEAR}{tail}")
        return "\n".join(lines)

    out.append(f"travis_fold:start:worker_info{CLEAR}{ESC}[33;1mWorker information{ESC}[0m")
    out.append("hostname: 6b2c1e7e-2b9c-4a7e-9d5b-3c4f1a2b3c4d@1.worker-com-5d8f9c7b6-abcde."
               "gce-production-2")
    out.append("version: v6.2.22 https://github.com/travis-ci/worker/tree/"
               "9b5ad2b7a2c8c1a2a3d4e5f6a7b8c9d0e1f2a3b4")
    out.append(f"instance: travis-job-{job.digest('instance', 8)} travis-ci-ubuntu-2204-"
               "1714435987-6c0b1d2f (via amqp)")
    out.append("startup: 6.512345678s")
    out.append(f"travis_fold:end:worker_info{CLEAR}travis_fold:start:system_info{CLEAR}"
               f"{ESC}[33;1mBuild system information{ESC}[0m")
    out.append(f"Build language: {language}")
    out.append("Build dist: jammy")
    out.append(f"Build id: {int(job.digest('build', 8), 16) % 900000000}")
    out.append(f"Job id: {int(job.digest('job', 8), 16) % 900000000}")
    out.append(f"travis_fold:end:system_info{CLEAR}")
    out.append("")
    out.append(timed(f"git clone --depth=50 --branch=main https://github.com/example/"
                     f"{job.project}.git example/{job.project}",
                     f"Cloning into 'example/{job.project}'...", 1.2, "git.checkout"))
    out.append(f"$ cd example/{job.project}")
    out.append(f"$ git checkout -qf {job.digest('commit')}")
    out.append("")
    if version_cmd:
        out.append(timed(version_cmd, version, 0.1))
    steps = list(job.steps)
    if steps and steps[0].command.startswith(("npm ci", "npm install", "bundle install")):
        install = steps.pop(0)
        out.append(timed(install.command, install.shown(checkout, "travis"),
                         install.seconds, "install"))
        if install.exit_code:
            out.append(f'{ESC}[31;1mThe command "{install.command}" failed and exited with '
                       f"{install.exit_code} during .{ESC}[0m")
            out.append("")
            out.append("Your build has been stopped.")
            return "\n".join(out) + "\n"
    for step in steps:
        out.append(timed(step.command, step.shown(checkout, "travis"), step.seconds))
        colour = "31" if step.exit_code else "32"
        out[-1] += (f'{ESC}[{colour};1mThe command "{step.command}" exited with '
                    f"{step.exit_code}.{ESC}[0m")
        out.append("")
    out.append("")
    out.append(f"Done. Your build exited with {1 if job.exit_code else 0}.")
    return "\n".join(out) + "\n"


CI_SYSTEMS: dict[str, Callable[[Job], str]] = {
    "github": github_actions,
    "gitlab": gitlab_ci,
    "travis": travis_ci,
}
