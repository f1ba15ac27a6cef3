"""Produce the generated logs of the fresh category bench by really running toolchains.

Each scenario (``scenarios_*.py``) is a small project of ours written into a scratch folder, a
few hidden set-up commands (a throw-away database role, a tiny tmpfs, a local server that
refuses …) and the job's commands, run for real: their output and exit status are what the
tools printed here. The output is then wrapped the way one of six CI systems prints a job
(``frames.py``: GitHub Actions, GitLab CI, Travis CI, Jenkins, Buildkite, CircleCI). Only the
frames and a job ending that a runner writes itself (a job killed at its time limit, a lost
runner: ``Scenario.ending``) are not a tool's own output; paths of this machine are rewritten to
the CI's (checkout, home, Python prefix).

Writes ``logs/gen/<scenario>.log`` and ``logs/gen/MANIFEST.tsv`` (scenario, ecosystem, CI, the
intended failure). The labels are written by hand in ``labels.tsv`` after reading each log.

    .venv/bin/python bench/categories/fresh/make_logs.py [--only NAME ...] [--list]

Needs the tools the scenarios name (python venv with pytest, mypy, ruff, flake8, bandit … at
``$FRESH_VENV``, default ``/tmp/kffresh/venv``; node/npm with registry access; cargo; go; mvn
with an offline repository; ruby; gcc/g++/cmake; erlc; perl; shellcheck; psql, mysql and
redis-cli against the local servers; terraform; root for tmpfs mounts and ``setpriv``). A
scenario whose tool is missing is skipped with a note.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from frames import CHECKOUT, CI_SYSTEMS, Job, StepRun  # noqa: E402

LOGS = HERE / "logs" / "gen"
VENV = Path(os.environ.get("FRESH_VENV", "/tmp/kffresh/venv"))
# the unprivileged user's Python (a venv made from a Python that user can reach, with pytest)
NOBODY_VENV = Path(os.environ.get("FRESH_NOBODY_VENV", "/tmp/kffresh/venv-nobody"))
# checkov pins old versions of common packages: it lives in a venv of its own
CHECKOV_VENV = Path(os.environ.get("FRESH_CHECKOV_VENV", "/tmp/kffresh/checkov-venv"))
WORK = Path(os.environ.get("FRESH_WORK", "/tmp/kffresh/work"))
CACHE = Path(os.environ.get("FRESH_CACHE", "/tmp/kffresh/cache"))  # node_modules, targets
HOMES = {"github": "/home/runner", "gitlab": "/root", "travis": "/home/travis",
         "jenkins": "/var/jenkins_home", "buildkite": "/var/lib/buildkite-agent",
         "circleci": "/home/circleci"}
PY_PREFIX = {"github": "/opt/hostedtoolcache/Python/3.11.7/x64", "gitlab": "/usr/local",
             "travis": "/home/travis/virtualenv/python3.11.7", "jenkins": "/opt/venv",
             "buildkite": "/opt/venv", "circleci": "/home/circleci/.pyenv/versions/3.11.7"}
STEP_TIMEOUT_S = 300


@dataclass(frozen=True)
class Step:
    command: str
    name: str = ""  # "install" marks an install phase (Travis stops the build there)
    timeout: int = STEP_TIMEOUT_S
    memory_kb: int = 0  # a memory limit the job's container imposes (not part of the command)


@dataclass(frozen=True)
class Scenario:
    name: str
    ecosystem: str
    ci: str
    files: dict[str, str]
    steps: tuple[Step | str, ...]
    category: str  # the failure this scenario was built to show (the label is written by hand)
    why: str
    project: str = ""
    tools: tuple[str, ...] = ()
    pre: str = ""  # hidden set-up, run in the checkout before the job (as root)
    post: str = ""  # hidden clean-up, always run
    user: str = ""  # "nobody": the job's commands run as an unprivileged user
    env: dict[str, str] = field(default_factory=dict)
    ending: str = ""
    checkout: str = ""  # a real command whose output is the checkout step
    services: tuple[str, ...] = ()
    noise: tuple[str, ...] = ()
    share: str = ""  # a cached folder (node_modules, target) linked into the checkout
    job: str = "build"

    @property
    def project_name(self) -> str:
        return self.project or self.name.rsplit("-", 1)[0]


def tool_missing(s: Scenario) -> str | None:
    path = f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return next((t for t in s.tools if shutil.which(t, path=path) is None), None)


def environment(s: Scenario, checkout: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "CI", "GITLAB_", "TRAVIS", "VIRTUAL_ENV",
                                "PYTHONPATH", "KNOWNFIX", "PIP_"))}
    env["PATH"] = os.pathsep.join([str(VENV / "bin"), "/root/.cargo/bin", env.get("PATH", ""),
                                   str(CHECKOV_VENV / "bin")])
    env.update({"TERM": "dumb", "CARGO_TERM_COLOR": "never", "NO_COLOR": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_CONFIG_FILE": os.devnull,
                "PIP_CERT": "/etc/ssl/certs/ca-certificates.crt",
                "npm_config_update_notifier": "false",
                "npm_config_fund": "false", "LANG": "C.UTF-8", "GOFLAGS": "-mod=mod",
                "CHECKOUT": str(checkout)})
    if s.user:
        env["HOME"] = str(checkout / ".home")
        env["PATH"] = f"{NOBODY_VENV / 'bin'}{os.pathsep}{env['PATH']}"
    env.update({k: v.replace("{checkout}", str(checkout)) for k, v in s.env.items()})
    return env


def run(command: str, cwd: Path, env: dict[str, str], timeout: int, user: str = "",
        memory_kb: int = 0) -> StepRun:
    argv = ["bash", "-e", "-o", "pipefail", "-c", command]
    if memory_kb:
        argv = ["bash", "-c", 'ulimit -v "$1" && exec bash -e -o pipefail -c "$2"', "limit",
                str(memory_kb), command]
    if user:
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
    started = time.monotonic()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,  # noqa: S603
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        raw, _ = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)  # the whole job, as a CI runner kills it
        raw, _ = process.communicate()
        code = 124
    output = raw.decode("utf-8", "replace")
    if code < 0:  # killed by a signal: bash reports 128 + n
        code = 128 - code
    return StepRun(command, output, code, time.monotonic() - started)


def rooted(step: StepRun, checkout: Path, ci: str) -> StepRun:
    """This machine's paths → the CI's (checkout placeholder, Python prefix, home)."""
    out = step.output.replace(str(checkout), CHECKOUT)
    for venv in (VENV, NOBODY_VENV, CHECKOV_VENV):
        out = out.replace(str(venv), PY_PREFIX[ci]).replace(f"../../{venv.name}/",
                                                            f"{PY_PREFIX[ci]}/")
    # the shared node_modules stands where the CI's cache restore puts it: in the checkout
    out = out.replace(str(CACHE / "js"), CHECKOUT).replace("../../cache/js/", "")
    out = out.replace(str(CACHE), CHECKOUT + "/.cache")
    out = out.replace("/root/", HOMES[ci] + "/").replace(str(WORK), "/tmp")
    command = step.command.replace(str(checkout), CHECKOUT)
    return StepRun(command, out, step.exit_code, step.seconds, step.name)


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if name.endswith(".sh") or text.startswith("#!"):
            path.chmod(0o755)


def run_scenario(s: Scenario) -> Job:
    checkout = WORK / s.project_name
    if checkout.exists():
        for mount in Path("/proc/mounts").read_text().splitlines():  # a tmpfs left behind
            point = mount.split()[1]
            if point.startswith(f"{checkout}/"):
                subprocess.run(["umount", point], check=False)
        shutil.rmtree(checkout)
    checkout.mkdir(parents=True)
    WORK.chmod(0o755)
    write_files(checkout, s.files)
    if s.share:
        shared = CACHE / s.share
        (checkout / Path(s.share).name).symlink_to(shared)
    env = environment(s, checkout)
    checkout_run = None
    steps: list[StepRun] = []
    try:
        if s.pre:
            prepared = run(s.pre, checkout, env, STEP_TIMEOUT_S)
            if prepared.exit_code:
                raise SystemExit(f"{s.name}: set-up failed:\n{prepared.output}")
        if s.user:
            (checkout / ".home").mkdir(exist_ok=True)
            subprocess.run(["chown", "nobody:nogroup", str(checkout / ".home")], check=True)
        if s.checkout:  # cloned into an empty folder, as a runner does
            empty = WORK / f".checkout-{s.project_name}"
            shutil.rmtree(empty, ignore_errors=True)
            empty.mkdir()
            checkout_run = rooted(run(s.checkout, empty, env, 120), empty, s.ci)
            shutil.rmtree(empty)
        if not (checkout_run and checkout_run.exit_code):
            for item in s.steps:
                step = Step(item) if isinstance(item, str) else item  # scenarios import this module
                done = run(step.command, checkout, env, step.timeout, s.user, step.memory_kb)
                steps.append(rooted(StepRun(step.command, done.output, done.exit_code,
                                            done.seconds, step.name), checkout, s.ci))
                if done.exit_code and s.ci != "travis":
                    break
    finally:
        if s.post:
            run(s.post, checkout, env, STEP_TIMEOUT_S)
    return Job(project=s.project_name, ecosystem=s.ecosystem, name=s.job, steps=steps,
               started=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), ending=s.ending,
               checkout=checkout_run, services=s.services, noise=s.noise)


def all_scenarios() -> list[Scenario]:
    import scenarios_infra  # noqa: PLC0415 - the scenario modules are plain data
    import scenarios_langs
    import scenarios_native
    import scenarios_python
    import scenarios_python_runtime
    import scenarios_services
    import scenarios_web

    found: list[Scenario] = []
    for module in (scenarios_python, scenarios_python_runtime, scenarios_web, scenarios_native,
                   scenarios_langs, scenarios_services, scenarios_infra):
        found += module.SCENARIOS
    names = [s.name for s in found]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise SystemExit(f"duplicate scenario names: {sorted(duplicated)}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="scenario names (or prefixes) to regenerate")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    scenarios = all_scenarios()
    chosen = [s for s in scenarios
              if not args.only or any(s.name.startswith(o) for o in args.only)]
    if args.list:
        for s in chosen:
            print(f"{s.name:40} {s.ecosystem:11} {s.ci:9} {s.category:15} {s.why}")
        return 0
    LOGS.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    manifest = LOGS / "MANIFEST.tsv"
    rows: dict[str, dict[str, str]] = {}
    if manifest.exists():
        with manifest.open(encoding="utf-8", newline="") as handle:
            known = {f"{s.name}.log" for s in scenarios}  # drop scenarios that were removed
            rows = {r["file"]: r for r in csv.DictReader(handle, delimiter="\t")
                    if r["file"] in known}
    for s in chosen:
        missing = tool_missing(s)
        if missing:
            print(f"skip {s.name}: {missing} is not installed")
            continue
        job = run_scenario(s)
        if not job.exit_code:
            print(f"!! {s.name}: every step passed; expected a failure ({s.why})")
            continue
        job = Job(**{**job.__dict__, "started": datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
                     + timedelta(minutes=17 * len(rows))})
        name = f"{s.name}.log"
        (LOGS / name).write_text(CI_SYSTEMS[s.ci](job), encoding="utf-8")
        failed = next((st for st in job.steps if st.exit_code), job.checkout)
        rows[name] = {"file": name, "project": s.project_name, "ecosystem": s.ecosystem,
                      "ci": s.ci, "intended": s.category,
                      "failing_command": (failed.command.splitlines()[0] if failed else ""),
                      "exit": str(failed.exit_code if failed else ""), "why": s.why}
        print(f"{s.name}: {s.ci}, exit {rows[name]['exit']} at {rows[name]['failing_command']}")
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        fields = ["file", "project", "ecosystem", "ci", "intended", "failing_command", "exit",
                  "why"]
        writer = csv.DictWriter(handle, fields, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[n] for n in sorted(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
