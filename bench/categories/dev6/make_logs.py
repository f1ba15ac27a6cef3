"""Produce dev6's failing CI logs by running real toolchains on tiny projects.

Each scenario is a small project broken in one way; its steps run for real here (pytest, mypy,
ruff, flake8, pip, tsc, ESLint, Jest, npm, cargo, rustfmt, clippy, go, gofmt, CMake, gcc, ctest,
Maven offline, RSpec, RuboCop, Bundler, Terraform) until the first one fails, and the output is
wrapped the way GitHub Actions (raw log download: a timestamp on every line, `##[group]Run …`,
`##[error]Process completed with exit code N.`) or GitLab CI (runner preamble, `$ cmd`,
`ERROR: Job failed: exit code N`) prints a job. Only the frame is written here; every line of
a step's output is the tool's own.

    python bench/categories/dev6/make_logs.py TOOLS_DIR [--only NAME]

TOOLS_DIR holds `venv/` (pytest, mypy, ruff, flake8) and `js/node_modules` (typescript,
eslint 8, jest). Writes `logs/produced/<name>.log.gz`. The labels were written by hand after
reading each log (`../labels.tsv`), never from the scenario's name.
"""

# ruff: noqa: E501 - the frames write CI lines out whole, as the CI systems print them

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import SCENARIOS, Scenario  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "logs" / "produced"
START = dt.datetime(2026, 11, 30, 9, 14, 3, tzinfo=dt.UTC)


def run_steps(scenario: Scenario, workdir: Path, env: dict[str, str]) -> list[tuple[str, str, int]]:
    """Run the scenario's steps in order until one fails: (command, output, exit code)."""
    done = []
    for command in scenario.steps:
        proc = subprocess.run(
            ["bash", "-c", command],
            cwd=workdir,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
        done.append((command, proc.stdout, proc.returncode))
        if proc.returncode != 0:
            break
    return done


class Clock:
    def __init__(self) -> None:
        self.now = START

    def tick(self, ms: int = 37) -> str:
        self.now += dt.timedelta(milliseconds=ms)
        return self.now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def github_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    clock = Clock()
    out: list[str] = []

    def emit(line: str, ms: int = 3) -> None:
        out.append(f"{clock.tick(ms)} {line}")

    emit("Current runner version: '2.321.0'")
    emit("##[group]Operating System")
    emit("Ubuntu")
    emit("24.04.1")
    emit("LTS")
    emit("##[endgroup]")
    emit("##[group]Runner Image")
    emit("Image: ubuntu-24.04")
    emit("Version: 20261124.1.0")
    emit("##[endgroup]")
    emit("##[group]GITHUB_TOKEN Permissions")
    emit("Contents: read")
    emit("Metadata: read")
    emit("##[endgroup]")
    emit("Secret source: Actions")
    emit("Prepare workflow directory")
    emit("Prepare all required actions")
    emit("Getting action download info")
    emit(
        "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)"
    )
    for action in scenario.setup_actions:
        emit(
            f"Download action repository '{action}' (SHA:0b93645e9fea7318ecaed2b359559ac225c90a2b)"
        )
    emit("Complete job name: " + scenario.job)
    emit("##[group]Run actions/checkout@v4")
    emit("with:")
    emit(f"  repository: {scenario.repo}")
    emit("  token: ***")
    emit("  fetch-depth: 1")
    emit("##[endgroup]")
    emit(f"Syncing repository: {scenario.repo}")
    emit("##[group]Getting Git version info")
    emit("Working directory is '" + scenario.workdir + "'")
    emit("[command]/usr/bin/git version")
    emit("git version 2.47.1")
    emit("##[endgroup]")
    emit(
        "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +3f9c2d41a7e0b8c5d6f1e2a3b4c5d6e7f8091a2b:refs/remotes/origin/main"
    )
    emit("[command]/usr/bin/git checkout --progress --force -B main refs/remotes/origin/main")
    emit("Switched to a new branch 'main'")
    emit("branch 'main' set up to track 'origin/main'.")
    for action in scenario.setup_actions:
        emit(f"##[group]Run {action}")
        emit("with:")
        emit(f"  {scenario.setup_with}")
        emit("##[endgroup]")
        emit(
            f"Successfully set up {action.split('/')[1].split('@')[0].replace('setup-', '').title()}"
        )
    for command, output, code in steps:
        emit(f"##[group]Run {command.splitlines()[0]}", 400)
        for line in command.splitlines():
            emit(line)
        emit("shell: /usr/bin/bash -e {0}")
        emit("##[endgroup]")
        for line in output.splitlines():
            emit(line, 11)
        if code != 0:
            emit(f"##[error]Process completed with exit code {code}.", 20)
    emit("Post job cleanup.", 300)
    emit("[command]/usr/bin/git version")
    emit("git version 2.47.1")
    emit("Cleaning up orphan processes")
    return "\n".join(out) + "\n"


def gitlab_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    stamp = int(START.timestamp())
    esc = "\x1b[0K"
    out = [
        "\x1b[0KRunning with gitlab-runner 17.6.0 (374d34fd)\x1b[0;m",
        "\x1b[0K  on gitlab-runner-docker-2 t3_xVqz8, system ID: s_6e1b0b4b1a2c\x1b[0;m",
        f'section_start:{stamp}:prepare_executor\r{esc}\x1b[0K\x1b[36;1mPreparing the "docker" executor\x1b[0;m\x1b[0;m',
        f"\x1b[0KUsing Docker executor with image {scenario.image} ...\x1b[0;m",
        f"\x1b[0KPulling docker image {scenario.image} ...\x1b[0;m",
        f"\x1b[0KUsing docker image sha256:4f2a6c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f for {scenario.image} ...\x1b[0;m",
        f"section_end:{stamp + 4}:prepare_executor\r{esc}",
        f"section_start:{stamp + 4}:prepare_script\r{esc}\x1b[0K\x1b[36;1mPreparing environment\x1b[0;m\x1b[0;m",
        "Running on runner-t3xvqz8-project-4127-concurrent-0 via gitlab-runner-docker-2...",
        f"section_end:{stamp + 5}:prepare_script\r{esc}",
        f"section_start:{stamp + 5}:get_sources\r{esc}\x1b[0K\x1b[36;1mGetting source from Git repository\x1b[0;m\x1b[0;m",
        "\x1b[32;1mFetching changes with git depth set to 20...\x1b[0;m",
        f"Initialized empty Git repository in {scenario.workdir}/.git/",
        "\x1b[32;1mCreated fresh repository.\x1b[0;m",
        "\x1b[32;1mChecking out 3f9c2d41 as detached HEAD (ref is main)...\x1b[0;m",
        "",
        "\x1b[32;1mSkipping Git submodules setup\x1b[0;m",
        f"section_end:{stamp + 7}:get_sources\r{esc}",
        f'section_start:{stamp + 7}:step_script\r{esc}\x1b[0K\x1b[36;1mExecuting "step_script" stage of the job script\x1b[0;m\x1b[0;m',
        f"\x1b[0KUsing docker image sha256:4f2a6c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f for {scenario.image} ...\x1b[0;m",
    ]
    code = steps[-1][2]
    for command, output, _ in steps:
        out.append(f"\x1b[32;1m$ {command}\x1b[0;m")
        out.extend(output.splitlines())
    out.append(f"section_end:{stamp + 40}:step_script\r{esc}")
    out.append(
        f"section_start:{stamp + 40}:cleanup_file_variables\r{esc}\x1b[0K\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m\x1b[0;m"
    )
    out.append(f"section_end:{stamp + 41}:cleanup_file_variables\r{esc}")
    out.append(f"\x1b[31;1mERROR: Job failed: exit code {code}\n\x1b[0;m")
    return "\n".join(out) + "\n"


def runner_paths(text: str, scenario: Scenario, tools: Path) -> str:
    """Where this machine keeps the tools, written as where the runner keeps them."""
    python, home = scenario.python_prefix, scenario.home
    text = re.sub(
        r"(?:\.\./)+" + re.escape(str(tools).lstrip("/")) + "/js/node_modules", "node_modules", text
    )
    text = text.replace(f"{tools}/js/node_modules", f"{scenario.workdir}/node_modules")
    text = text.replace(f"{tools}/venv", python)
    text = re.sub(r"/root/\.pyenv/versions/3\.11\.\d+", python, text)
    return re.sub(r"/root/(?=\.(?:rustup|cargo|npm)\b)", home + "/", text)


def circleci_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    """CircleCI's job output as its API and "download" give it: each step's name, then output."""
    out = [
        "Spin up environment",
        "Build-agent version 1.0.262918-5c1b8e23 (2026-11-27T10:11:04+0000)",
        "System information:",
        " Server Version: 24.0.9",
        " Storage Driver: overlay2",
        " Kernel Version: 5.15.0-1057-aws",
        " Operating System: Ubuntu 22.04.4 LTS",
        f"Starting container {scenario.image}",
        f"  image cache not found on this host, downloading {scenario.image}",
        "Status: Downloaded newer image",
        "Time to upload agent and config: 523.41ms",
        "",
        "Preparing environment variables",
        "Using build environment variables:",
        "  BASH_ENV=/tmp/.bash_env-6750e1c2b9f4a71c3d0e2a4f-0-build",
        "  CI=true",
        "  CIRCLECI=true",
        f"  CIRCLE_PROJECT_REPONAME={scenario.repo.split('/')[1]}",
        "",
        "Checkout code",
        "Creating .ssh directory",
        "Adding the following entries to known_hosts:",
        "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        "Cloning git repository",
        f"Cloning into '{scenario.workdir}'...",
        "Checking out branch",
        "Your branch is up to date with 'origin/main'.",
        "",
    ]
    for command, output, code in steps:
        out += [command.splitlines()[0], "#!/bin/bash -eo pipefail", command]
        out += output.splitlines()
        out.append("")
        if code != 0:
            out += [f"Exited with code exit status {code}", ""]
    return "\n".join(out) + "\n"


def jenkins_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    out = [
        "Started by an SCM change",
        "Obtained Jenkinsfile from git https://git.example.org/" + scenario.repo + ".git",
        "[Pipeline] Start of Pipeline",
        "[Pipeline] node",
        f"Running on ci-agent-2 in {scenario.workdir}",
        "[Pipeline] {",
        "[Pipeline] stage",
        "[Pipeline] { (Declarative: Checkout SCM)",
        "[Pipeline] checkout",
        "Selected Git installation does not exist. Using Default",
        "The recommended git tool is: NONE",
        "using credential ci-bot",
        f" > git rev-parse --resolve-git-dir {scenario.workdir}/.git # timeout=10",
        "Fetching changes from the remote Git repository",
        "Checking out Revision 3f9c2d41a7e0b8c5d6f1e2a3b4c5d6e7f8091a2b (refs/remotes/origin/main)",
        'Commit message: "Tidy up"',
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] withEnv",
        "[Pipeline] {",
        "[Pipeline] stage",
        f"[Pipeline] {{ ({scenario.job.split()[0].title()})",
    ]
    code = steps[-1][2]
    for command, output, _ in steps:
        out += ["[Pipeline] sh", f"+ {command}"]
        out += output.splitlines()
    out += [
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] }",
        "[Pipeline] // withEnv",
        "[Pipeline] }",
        "[Pipeline] // node",
        "[Pipeline] End of Pipeline",
        f"ERROR: script returned exit code {code}",
        "Finished: FAILURE",
    ]
    return "\n".join(out) + "\n"


def buildkite_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    out = [
        "~~~ Running global environment hook",
        "$ /etc/buildkite-agent/hooks/environment",
        "~~~ Preparing working directory",
        f"$ cd {scenario.workdir}",
        f"$ git clone -v -- git@github.com:{scenario.repo}.git .",
        "Cloning into '.'...",
        "$ git clean -ffxdq",
        "$ git fetch -v --prune -- origin main",
        "$ git checkout -f 3f9c2d41a7e0b8c5d6f1e2a3b4c5d6e7f8091a2b",
        "HEAD is now at 3f9c2d4 Tidy up",
        "~~~ Running commands",
    ]
    code = steps[-1][2]
    for command, output, _ in steps:
        out.append(f"$ {command}")
        out += output.splitlines()
    out += [
        f"🚨 Error: The command exited with status {code}",
        "^^^ +++",
        f"user command error: exit status {code}",
    ]
    return "\n".join(out) + "\n"


def azure_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    clock = Clock()
    out: list[str] = []

    def emit(line: str, ms: int = 3) -> None:
        out.append(f"{clock.tick(ms)} {line}")

    emit("##[section]Starting: Initialize job")
    emit("Agent name: 'Azure Pipelines 7'")
    emit("Agent machine name: 'fv-az512-331'")
    emit("Current agent version: '4.248.0'")
    emit("##[section]Finishing: Initialize job")
    emit("##[section]Starting: Checkout " + scenario.repo + "@main to s")
    emit("Syncing repository: " + scenario.repo + " (GitHub)")
    emit(
        "##[command]git checkout --progress --force refs/remotes/origin/3f9c2d41a7e0b8c5d6f1e2a3b4c5d6e7f8091a2b"
    )
    emit("HEAD is now at 3f9c2d4 Tidy up")
    emit("##[section]Finishing: Checkout " + scenario.repo + "@main to s")
    for command, output, code in steps:
        title = command.splitlines()[0]
        emit(f"##[section]Starting: {title}", 300)
        emit("==============================================================================")
        emit("Task         : Command line")
        emit(
            "Description  : Run a command line script using Bash on Linux and macOS and cmd.exe on Windows"
        )
        emit("Version      : 2.250.1")
        emit("==============================================================================")
        emit("Generating script.")
        emit("Script contents:")
        emit(command)
        emit("========================== Starting Command Output ===========================")
        emit(
            "[command]/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/6c1e2f0a-4b7d-4e2a-9f3c-1d2e3f4a5b6c.sh"
        )
        for line in output.splitlines():
            emit(line, 11)
        if code != 0:
            emit(f"##[error]Bash exited with code '{code}'.", 20)
        emit(f"##[section]Finishing: {title}")
    emit("##[section]Starting: Finalize Job", 200)
    emit("Cleaning up task key")
    emit("##[section]Finishing: Finalize Job")
    return "\n".join(out) + "\n"


def travis_frame(scenario: Scenario, steps: list[tuple[str, str, int]]) -> str:
    out = [
        "Worker information",
        "hostname: 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f@1.worker-com-5b9c8d7e6f-x2x9z.gce-production-2",
        "version: v6.2.22 https://github.com/travis-ci/worker/tree/9d6f1cba",
        "instance: travis-job-6f1c2d3e",
        "startup: 6.208141378s",
        "Build system information",
        "Build language: generic",
        "Build dist: jammy",
        "travis_fold:start:git.checkout",
        f"$ git clone --depth=50 --branch=main https://github.com/{scenario.repo}.git {scenario.repo}",
        f"Cloning into '{scenario.repo}'...",
        "$ cd " + scenario.repo,
        "$ git checkout -qf 3f9c2d41a7e0b8c5d6f1e2a3b4c5d6e7f8091a2b",
        "travis_fold:end:git.checkout",
        "",
    ]
    code = 0
    for command, output, code in steps:
        out.append(f"$ {command}")
        out += output.splitlines()
        out.append("")
        out.append(f'The command "{command}" exited with {code}.')
    out += ["", f"Done. Your build exited with {code}."]
    return "\n".join(out) + "\n"


FRAMES = {
    "github": github_frame,
    "gitlab": gitlab_frame,
    "circleci": circleci_frame,
    "jenkins": jenkins_frame,
    "buildkite": buildkite_frame,
    "azure": azure_frame,
    "travis": travis_frame,
}
REFRAMES = ("circleci", "jenkins", "buildkite", "azure", "travis")


def build(scenario: Scenario, tools: Path) -> str:
    workdir = Path(scenario.workdir)
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    for name, text in scenario.files.items():
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if scenario.node:
        (workdir / "node_modules").symlink_to(tools / "js" / "node_modules")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "PIP_"))
    }
    env["PATH"] = os.pathsep.join(
        [str(workdir / "node_modules" / ".bin"), str(tools / "venv" / "bin"), env.get("PATH", "")]
    )
    env["PIP_CONFIG_FILE"] = (
        os.devnull
    )  # this machine's mirrors and constraints are not the runner's
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    rc = tools / "terraformrc"
    rc.touch()
    env["TF_CLI_CONFIG_FILE"] = str(rc)
    env["TF_IN_AUTOMATION"] = "1"
    env["CI"] = "true"
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    steps = [
        (cmd, runner_paths(out, scenario, tools), code)
        for cmd, out, code in run_steps(scenario, workdir, env)
    ]
    if steps[-1][2] == 0:
        raise SystemExit(f"{scenario.name}: no step failed")
    return FRAMES[scenario.ci](scenario, steps)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tools", type=Path)
    parser.add_argument("--only")
    parser.add_argument(
        "--reframed",
        action="store_true",
        help="the second batch: each scenario in another CI's frame "
        "(CircleCI, Jenkins, Buildkite, Azure Pipelines, Travis in turn)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for number, scenario in enumerate(SCENARIOS):
        if args.only and scenario.name != args.only:
            continue
        name = scenario.name
        if args.reframed:
            scenario = replace(scenario, ci=REFRAMES[number % len(REFRAMES)])
            name = f"{scenario.name}--{scenario.ci}"
        text = build(scenario, args.tools.resolve())
        with gzip.open(OUT / f"{name}.log.gz", "wt", encoding="utf-8") as handle:
            handle.write(text)
        print(name, len(text.splitlines()), "lines")


if __name__ == "__main__":
    main()
