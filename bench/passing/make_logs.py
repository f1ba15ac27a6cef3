"""Regenerate the passing and failing CI logs of the passing-run bench from real toolchains.

Each small project under ``projects/`` is copied to a temporary checkout, optionally broken by one
small edit (a failing test, a compile error, a lint error …), and its job's commands are run for
real (pytest, unittest, ruff, mypy, npm, Jest, ESLint, tsc, Mocha, cargo, clippy, go vet, go test,
Maven, RSpec, CMake, CTest). Their real output is then wrapped the way three CI systems print a
job: GitHub Actions (the raw log of a job: timestamped lines, ``##[group]Run …`` steps,
``##[error]Process completed with exit code N.``, the post-job cleanup), GitLab CI (the runner's
trace: ``section_start``/``section_end`` markers, ``$ command`` lines, ``Cleaning up project
directory and file based variables``, ``Job succeeded`` or ``ERROR: Job failed: exit code N``)
and Travis CI (folds, ``The command "…" exited with N.``, ``Done. Your build exited with N.``).

What is not a tool's own output is the CI system's frame around it (runner banners, checkout,
setup steps: fixed text modelled on real logs of each system) and two paths: the temporary
checkout is rewritten to the path each CI uses (``/home/runner/work/…``, ``/builds/…``,
``/home/travis/build/…``) and this machine's Python environment to the CI's Python prefix.
GitHub Actions and GitLab CI stop a job at its first failing step; Travis runs every ``script``
command and fails the build at the end, so the commands after a failure run for real too.
Dependency installs (``npm ci``) run once per project and their real output is shown in every
log of that project.

Writes ``logs/<project>__<scenario>__<ci>.log`` and ``logs/MANIFEST.tsv`` (file, expected
outcome, project, scenario, CI, the first failing command). Needs python (this venv: pytest,
ruff, mypy), node/npm (registry access for ``npm ci``), cargo with clippy, go, mvn (offline, with
a local repository holding JUnit 5 and the usual plugins), rspec, cmake and a C compiler; a
project whose toolchain is missing is skipped with a note.

    .venv/bin/python bench/passing/make_logs.py [--only PROJECT ...] [--list]
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frames import CI_SYSTEMS, Job, StepRun

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROJECTS = HERE / "projects"
LOGS = HERE / "logs"
VENV_BIN = ROOT / ".venv" / "bin"
COPY_IGNORE = shutil.ignore_patterns("node_modules", "target", "dist", "build", "__pycache__",
                                     ".mypy_cache", ".ruff_cache", ".pytest_cache")
STEP_TIMEOUT_S = 600


@dataclass(frozen=True)
class Edit:
    """Break the project: replace ``old`` by ``new`` in ``path`` (``old`` must occur once)."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Scenario:
    name: str
    edits: tuple[Edit, ...] = ()
    why: str = "every step passes"

    @property
    def expect(self) -> str:
        return "pass" if not self.edits else "fail"


@dataclass(frozen=True)
class Project:
    name: str
    ecosystem: str
    tools: tuple[str, ...]
    steps: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    install: str | None = None  # run once in the project folder; its output opens every log
    job: str = "test"
    extra_env: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the folder under projects/ (default: the name)

    @property
    def folder(self) -> Path:
        return PROJECTS / (self.source or self.name)


PY_ADD = "def add(a: int, b: int) -> int:\n    return a + b"

PROJECT_LIST: tuple[Project, ...] = (
    Project(
        "python-calc", "python", ("python", "ruff", "mypy"),
        ("python -m pytest -v", "ruff check .", "mypy src"),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("src/calc/__init__.py", PY_ADD,
                                        "def add(a: int, b: int) -> int:\n    return a - b"),),
                     "pytest: test_add fails"),
            Scenario("fail-lint", (Edit("src/calc/__init__.py", "import logging\n",
                                        "import logging\nimport os\n"),),
                     "ruff: F401 unused import"),
            Scenario("fail-type", (Edit("src/calc/__init__.py", PY_ADD,
                                        "def add(a: int, b: int) -> str:\n    return a + b"),),
                     "mypy: incompatible return value"),
            Scenario("fail-syntax", (Edit("src/calc/__init__.py", "return a / b",
                                          "return (a / b"),), "SyntaxError when the module loads"),
            Scenario("fail-import", (Edit("src/calc/__init__.py", "import logging\n",
                                          "import logging\n\nimport tabulate  # noqa: F401\n"),),
                     "ModuleNotFoundError: a dependency that is not installed"),
        ),
    ),
    Project(
        "python-unittest", "python", ("python",),
        ("python -m unittest discover -s tests -v",),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("src/calc/__init__.py",
                                        'raise ValueError("mean of an empty list")',
                                        "return 0.0"),), "unittest: assertRaises not raised"),
        ),
        extra_env={"PYTHONPATH": "src"}, source="python-calc",
    ),
    Project(
        "js-jest", "javascript", ("npm",),
        ("npm run lint", "npm test"),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("src/cart.js", "(100 - percent)", "(100 + percent)"),),
                     "Jest: discount test fails"),
            Scenario("fail-lint", (Edit("src/cart.js", "function total(items) {",
                                        "function total(items) {\n  const unused = 1;"),),
                     "ESLint: no-unused-vars"),
        ),
        install="npm ci --no-audit --no-fund",
    ),
    Project(
        "ts-mocha", "javascript", ("npm",),
        ("npm run build", "npm test"),
        (
            Scenario("pass"),
            Scenario("fail-type", (Edit("src/slug.ts", "slugify(title: string): string {",
                                        "slugify(title: string): number {"),),
                     "tsc: TS2322 type error"),
            Scenario("fail-test", (Edit("src/slug.ts", '.replace(/^-+|-+$/g, "")', ""),),
                     "Mocha: assertion fails"),
            Scenario("fail-timeout", (Edit("src/slug.ts", "setTimeout(resolve, 10)",
                                           "setTimeout(resolve, 2000)"),),
                     "Mocha: a test exceeds its 500 ms timeout"),
        ),
        install="npm ci --no-audit --no-fund",
    ),
    Project(
        "rust-stats", "rust", ("cargo",),
        ("cargo build", "cargo clippy -- -D warnings", "cargo test"),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("src/lib.rs", "Some((sorted[mid - 1] + sorted[mid]) / 2.0)",
                                        "Some((sorted[mid - 1] + sorted[mid]) / 3.0)"),),
                     "cargo test: median_even fails"),
            Scenario("fail-compile", (Edit("src/lib.rs", "let mid = sorted.len() / 2;",
                                           "let mid: u32 = sorted.len() / 2;"),),
                     "rustc: E0308 mismatched types"),
            Scenario("fail-clippy", (Edit("src/lib.rs", "    }\n    Some(values.iter()",
                                          "    }\n    if values.len() == 0 {\n"
                                          "        return None;\n    }\n    Some(values.iter()"),),
                     "clippy: len_zero denied by -D warnings"),
        ),
        job="check",
    ),
    Project(
        "go-inventory", "go", ("go",),
        ("go vet ./...", "go test -v -short ./..."),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("inventory.go", "total += n", "total = n"),),
                     "go test: TestTotal fails"),
            Scenario("fail-compile", (Edit("inventory.go", "s[item] -= n", "s[item] -= item"),),
                     "go build: mismatched types"),
            Scenario("fail-vet", (Edit("inventory.go", '"remove %d %s: %w", n, item',
                                       '"remove %d %d: %w", n, item'),),
                     "go vet: Errorf format %d has arg of wrong type"),
        ),
    ),
    Project(
        "java-maven", "jvm", ("mvn", "java"),
        ("mvn -B -o test",),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("src/main/java/com/example/bank/Account.java",
                                        "balanceCents += cents;", "balanceCents = cents;"),),
                     "Surefire: depositAddsToBalance fails"),
            Scenario("fail-compile", (Edit("src/main/java/com/example/bank/Account.java",
                                           "return balanceCents;", "return balance;"),),
                     "javac: cannot find symbol"),
        ),
        job="build",
    ),
    Project(
        "ruby-rspec", "ruby", ("rspec",),
        ("rspec --format documentation",),
        (
            Scenario("pass"),
            Scenario("fail-test", (Edit("lib/temperature.rb", "celsius * 9.0 / 5.0 + 32",
                                        "celsius * 9.0 / 5.0"),), "RSpec: expected 212, got 180"),
            Scenario("fail-error", (Edit("lib/temperature.rb", "(fahrenheit - 32) * 5.0 / 9.0",
                                         "(fahrenheit - FREEZING) * 5.0 / 9.0"),),
                     "RSpec: NameError uninitialized constant"),
        ),
        job="spec",
    ),
    Project(
        "c-cmake", "c-cpp", ("cmake", "cc", "ctest"),
        ("cmake -S . -B build", "cmake --build build",
         "ctest --test-dir build --output-on-failure"),
        (
            Scenario("pass"),
            Scenario("fail-compile", (Edit("src/ringbuf.c", "rb->count--;", "rb->count--"),),
                     "gcc: expected ';'"),
            Scenario("fail-test", (Edit("src/ringbuf.c", "rb->head = (rb->head + 1) % 4;",
                                        "rb->head = (rb->head + 1) % 3;"),),
                     "CTest: ringbuf_wraparound fails"),
        ),
        job="build",
    ),
)


def tool_missing(project: Project) -> str | None:
    for tool in project.tools:
        if shutil.which(tool, path=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}") is None:
            return tool
    return None


def run(command: str, cwd: Path, env: dict[str, str]) -> StepRun:
    started = time.monotonic()
    try:
        done = subprocess.run(  # noqa: S603 - our own fixed commands, never log text
            shlex.split(command), cwd=cwd, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=STEP_TIMEOUT_S, check=False,
        )
        output, code = done.stdout.decode("utf-8", "replace"), done.returncode
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode("utf-8", "replace")
        code = 124
    return StepRun(command, output, code, time.monotonic() - started)


def python_prefixes() -> tuple[str, ...]:
    """This machine's Python paths (the venv and the interpreter it was made from)."""
    base = subprocess.run([str(VENV_BIN / "python"), "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    return (str(VENV_BIN.parent), base)


def apply(edits: tuple[Edit, ...], checkout: Path) -> None:
    for edit in edits:
        path = checkout / edit.path
        text = path.read_text(encoding="utf-8")
        if text.count(edit.old) != 1:
            raise SystemExit(f"{edit.path}: the text to replace must occur once: {edit.old!r}")
        path.write_text(text.replace(edit.old, edit.new), encoding="utf-8")


def environment(project: Project) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GITHUB_", "CI", "GITLAB_", "TRAVIS"))}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update({"NO_COLOR": "1", "TERM": "dumb", "CARGO_TERM_COLOR": "never"})
    env.update(project.extra_env)
    return env


def run_scenario(project: Project, scenario: Scenario, install: StepRun | None,
                 workdir: Path) -> list[StepRun]:
    checkout = workdir / project.name
    shutil.copytree(project.folder, checkout, ignore=COPY_IGNORE)
    if (project.folder / "node_modules").is_dir():
        (checkout / "node_modules").symlink_to(project.folder / "node_modules")
    apply(scenario.edits, checkout)
    env = environment(project)
    steps = [install] if install else []
    steps += [run(command, checkout, env) for command in project.steps]
    return [step.rooted(str(checkout), python_prefixes()) for step in steps]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="project names to regenerate")
    parser.add_argument("--list", action="store_true", help="list projects and scenarios")
    args = parser.parse_args()
    chosen = [p for p in PROJECT_LIST if not args.only or p.name in args.only]
    if args.list:
        for p in chosen:
            print(f"{p.name}: {', '.join(s.name for s in p.scenarios)}")
        return 0
    LOGS.mkdir(exist_ok=True)
    manifest = LOGS / "MANIFEST.tsv"
    rows = {}
    if manifest.exists():
        with manifest.open(encoding="utf-8", newline="") as handle:
            rows = {r["file"]: r for r in csv.DictReader(handle, delimiter="\t")}
    start = datetime.now(UTC).replace(microsecond=0)
    for project in chosen:
        missing = tool_missing(project)
        if missing:
            print(f"skip {project.name}: {missing} is not installed")
            continue
        install = None
        if project.install:
            install = run(project.install, project.folder, environment(project))
            install = install.rooted(str(project.folder), python_prefixes())
        for scenario in project.scenarios:
            with tempfile.TemporaryDirectory(prefix="kf-passing-") as tmp:
                steps = run_scenario(project, scenario, install, Path(tmp))
            failed = next((s for s in steps if s.exit_code != 0), None)
            if (failed is None) != (scenario.expect == "pass"):
                raise SystemExit(f"{project.name}/{scenario.name}: expected {scenario.expect}, "
                                 f"got {'a failure in ' + failed.command if failed else 'a pass'}")
            job = Job(project=project.name, ecosystem=project.ecosystem, name=project.job,
                      steps=steps, started=start)
            for ci, frame in CI_SYSTEMS.items():
                name = f"{project.name}__{scenario.name}__{ci}.log"
                (LOGS / name).write_text(frame(job), encoding="utf-8")
                rows[name] = {"file": name, "expect": scenario.expect, "project": project.name,
                              "ecosystem": project.ecosystem, "scenario": scenario.name, "ci": ci,
                              "failing_command": failed.command if failed else "",
                              "why": scenario.why}
            start += timedelta(minutes=7)
            print(f"{project.name}/{scenario.name}: "
                  f"{'passed' if failed is None else 'failed at ' + failed.command}")
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        fields = ["file", "expect", "project", "ecosystem", "scenario", "ci", "failing_command",
                  "why"]
        writer = csv.DictWriter(handle, fields, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[name] for name in sorted(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
