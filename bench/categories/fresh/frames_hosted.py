"""GitHub Actions, GitLab CI and Travis CI: how each prints a failed job (see frames.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ci_job import CLEAR, ESC, Job, cut, ending_lines, shown

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
