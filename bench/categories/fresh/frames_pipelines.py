"""Jenkins, Buildkite and CircleCI: how each prints a failed job (see frames.py)."""

from __future__ import annotations

from ci_job import Job, cut, ending_lines, shown

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
