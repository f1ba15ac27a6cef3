"""Generate large, realistic knowledge bases (and failing logs of their issues) for kb_scale.py.

Each document is an incident log a team keeps for the tools it runs (three to five tool
families per document, so documents have a subject as real ones do), 500 entries per document
in the shape of the CI incident log (``## N. Title`` with Symptom / Root Cause / Resolution /
Verification fields). An entry is one failure of one tool: an error message from that tool's
real vocabulary with its own names filled in (service, table, package, host, file, test), a
title that paraphrases it, a root cause and fix steps. Entries of one tool share most words
(``password authentication failed for user``), so telling them apart takes the names, as with a
real knowledge base of thousands of issues; many quote the same generic errors (connection
refused, permission denied, timeout).

``failing_log(entry, rng)`` writes a CI log of that failure: setup noise, the command, the
error with the same names (and other numbers, ids and timestamps), and the exit line.

Everything is generated from a seed: the same arguments give the same files.
"""

# ruff: noqa: E501 - the error templates read best one message per line
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ENTRIES_PER_DOC = 500

_TEAMS = ["payments", "search", "identity", "ledger", "catalog", "checkout", "growth", "media",
          "platform", "data", "mobile", "infra", "risk", "support", "billing", "maps",
          "notifications", "reporting", "inventory", "shipping"]
_PARTS = ["api", "worker", "sync", "gateway", "indexer", "scheduler", "exporter", "importer",
          "cache", "router", "notifier", "auth", "ledger", "store", "feed", "bridge", "proxy",
          "reconciler", "uploader", "resolver"]
_NOUNS = ["invoice", "order", "account", "session", "report", "token", "profile", "payment",
          "refund", "event", "tenant", "coupon", "cart", "image", "video", "message", "rating",
          "shipment", "address", "ticket", "plan", "quota", "ledger_entry", "webhook"]
_PKGS = ["left-pad", "lodash", "react-dom", "webpack", "eslint-plugin-import", "typescript",
         "requests", "urllib3", "pydantic", "sqlalchemy", "numpy", "protobuf", "grpcio",
         "jackson-databind", "guava", "log4j-core", "netty-handler", "serde", "tokio", "clap",
         "golang.org/x/net", "github.com/stretchr/testify", "rails", "nokogiri", "puma"]
_HOSTS = ["db-primary", "db-replica", "redis-cache", "kafka-broker", "rabbitmq", "es-node",
          "vault", "registry", "artifactory", "nexus", "minio", "consul", "etcd", "ldap"]


def _svc(rng: random.Random, team: str) -> str:
    return f"{team}-{rng.choice(_PARTS)}"


def _ident(rng: random.Random, words: list[str]) -> str:
    return "_".join(rng.sample(words, 2))


# One tool family: its program, context words, and error templates (message, title, cause,
# fix). Slots: {svc} {noun} {table} {pkg} {host} {port} {file} {test} {ver} {code} {user}.
@dataclass(frozen=True)
class Family:
    program: str
    command: str
    errors: tuple[tuple[str, str, str, str], ...]


FAMILIES: tuple[Family, ...] = (
    Family("psql", "psql -h {host} -U {user} -d {svc} -f migrations/{file}.sql", (
        ('FATAL:  password authentication failed for user "{user}"',
         "{svc} migrations cannot log in to {host} as {user}",
         "The {user} role password was rotated in Vault but the {svc} CI secret still has the old one.",
         "Update the `{user}` secret of {svc} from Vault and re-run the migrate job."),
        ('ERROR:  relation "{table}" does not exist',
         "Missing table {table} when {svc} starts",
         "The {table} migration ran on the primary only; the {svc} test database was created from an old dump.",
         "Recreate the test database with `make db-reset SERVICE={svc}` so every migration runs."),
        ('ERROR:  duplicate key value violates unique constraint "{table}_pkey"',
         "Duplicate primary key on {table} in {svc} fixtures",
         "The {svc} fixtures insert {noun} rows with fixed ids that the sequence also hands out.",
         "Reset the sequence: `SELECT setval('{table}_id_seq', max(id)) FROM {table};`."),
        ('psql: error: connection to server at "{host}" ({ip}), port {port} failed: Connection refused',
         "{svc} cannot reach {host} on port {port}",
         "The {host} service container starts after the {svc} job and is not ready yet.",
         "Add a readiness check: `pg_isready -h {host} -p {port}` in a retry loop before the job."),
    )),
    Family("pytest", "pytest -q tests/{svc}", (
        ("E   AssertionError: assert {noun}_total == expected_{noun}_total",
         "{noun} totals differ in {test}",
         "{svc} rounds {noun} amounts per line while the expected value rounds the sum.",
         "Round once, on the sum, in `{svc}/{file}.py`; update {test}."),
        ("E   fixture '{noun}_factory' not found",
         "{test} fails: fixture {noun}_factory not found",
         "The {noun}_factory fixture moved to the {team} conftest plugin, which {svc} does not load.",
         "Add `pytest_plugins = ['{team}.testing.fixtures']` to {svc}/conftest.py."),
        ("E   ModuleNotFoundError: No module named '{module}'",
         "No module named {module} in {svc} tests",
         "{module} is an optional extra of {svc} that the test image does not install.",
         "Install with the test extra: `pip install -e '.[test]'` in the {svc} CI job."),
        ("FAILED {test} - TimeoutError: {noun} {svc} did not settle within 30s",
         "{test} times out waiting for {noun}",
         "The {svc} test waits on a {noun} event that the stubbed broker never delivers.",
         "Use the in-memory broker of {team}.testing for {test}."),
    )),
    Family("npm", "npm ci && npm run build --workspace {svc}", (
        ("npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\nnpm ERR! peer {pkg}@\"^{ver}\" from {svc}-ui@1.0.0",
         "{svc}-ui install fails on the {pkg} peer dependency",
         "{svc}-ui pins {pkg} {ver} while a plugin wants the next major.",
         "Align {pkg} across the workspace and re-create package-lock.json with `npm install`."),
        ("npm ERR! 404 Not Found - GET https://registry.npmjs.org/@{team}%2f{noun}-sdk - Not found",
         "Private @{team}/{noun}-sdk not found on the public registry",
         "The .npmrc of {svc} lost the scoped registry line for @{team}.",
         "Restore `@{team}:registry=https://npm.pkg.{team}.internal/` in .npmrc."),
        ("Error: Cannot find module '{pkg}/dist/{file}.js'",
         "Cannot find module {pkg}/dist/{file}.js in {svc}",
         "{svc} imports a private path of {pkg} that its {ver} release removed.",
         "Import from the package root of {pkg} instead of dist/{file}.js."),
        ("src/{file}.ts({line},{col}): error TS2339: Property '{noun}Id' does not exist on type '{Noun}'.",
         "TS2339 {noun}Id missing on {Noun} in {svc}",
         "The generated {Noun} type of {svc} dropped {noun}Id after the schema change.",
         "Regenerate the client types: `npm run codegen --workspace {svc}`."),
    )),
    Family("mvn", "mvn -B -pl {svc} verify", (
        ("[ERROR] Failed to execute goal on project {svc}: Could not resolve dependencies for project com.{team}:{svc}:jar:{ver}: Could not find artifact com.{team}:{noun}-client:jar:{ver} in nexus",
         "{svc} cannot resolve com.{team}:{noun}-client {ver}",
         "The {noun}-client {ver} release was never deployed to nexus; only the snapshot exists.",
         "Release {noun}-client with `mvn deploy -P release` or pin the last released version."),
        ("[ERROR] Tests run: {n}, Failures: 1, Errors: 0, Skipped: 0 <<< FAILURE! - in com.{team}.{Noun}ServiceTest",
         "{Noun}ServiceTest fails in {svc}",
         "{Noun}ServiceTest depends on the default time zone of the runner.",
         "Set `-Duser.timezone=UTC` in the surefire argLine of {svc}."),
        ("java.lang.NullPointerException: Cannot invoke \"com.{team}.{Noun}.getId()\" because \"{noun}\" is null",
         "NullPointerException on {Noun}.getId in {svc}",
         "{svc} reads a {noun} that the cache evicted between lookup and use.",
         "Load the {noun} once and pass it along; see the {svc} runbook."),
        ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:3.3.0:check (validate) on project {svc}: You have {n} Checkstyle violations.",
         "Checkstyle violations break {svc} validate",
         "The {svc} module inherited the stricter {team} checkstyle ruleset.",
         "Run `mvn checkstyle:check -pl {svc}` locally and fix the reported lines."),
    )),
    Family("go", "go test ./{svc}/...", (
        ("panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation]\ngoroutine 1 [running]:\ngithub.com/{team}/{svc}/{noun}.(*Client).Fetch(...)",
         "{svc} {noun} client panics with nil pointer dereference",
         "The {noun} Client of {svc} is used before `New{Noun}Client` sets its transport.",
         "Construct the client with New{Noun}Client in {svc}/main.go."),
        ("--- FAIL: Test{Noun}{Part} ({secs}s)\n    {file}_test.go:{line}: got {n}, want {m}",
         "Test{Noun}{Part} fails in {svc}",
         "Test{Noun}{Part} counts {noun}s from a map, whose order Go randomises.",
         "Sort the {noun}s before comparing in {file}_test.go."),
        ("go: github.com/{team}/{noun}@v{ver}: reading github.com/{team}/{noun}/go.mod at revision v{ver}: unknown revision v{ver}",
         "go.mod of {svc} pins an unknown {noun} revision",
         "The v{ver} tag of {team}/{noun} was deleted after {svc} pinned it.",
         "Pin the next tag: `go get github.com/{team}/{noun}@latest` and tidy."),
    )),
    Family("docker", "docker build -t {svc}:{ver} .", (
        ("ERROR: failed to solve: {host}/{team}/{svc}-base:{ver}: not found",
         "Base image {svc}-base:{ver} missing from {host}",
         "The {svc}-base {ver} image was pruned by the {host} retention policy.",
         "Rebuild and push {svc}-base {ver}, or bump the FROM line to a kept tag."),
        ("Error response from daemon: toomanyrequests: You have reached your pull rate limit.",
         "Docker Hub pull rate limit in {svc} builds",
         "{svc} pulls its base image anonymously from Docker Hub.",
         "Log in with the {team} Docker Hub token or pull through the {host} mirror."),
        ("COPY failed: file not found in build context or excluded by .dockerignore: stat {file}/{noun}.yaml: file does not exist",
         "{svc} build cannot COPY {file}/{noun}.yaml",
         "The .dockerignore of {svc} excludes the {file} folder.",
         "Add `!{file}/{noun}.yaml` to .dockerignore."),
    )),
    Family("terraform", "terraform -chdir=envs/{svc} apply -auto-approve", (
        ("Error: creating {Noun} Bucket ({svc}-{noun}-{env}): BucketAlreadyExists",
         "Terraform cannot create bucket {svc}-{noun}-{env}",
         "A bucket named {svc}-{noun}-{env} exists in another account.",
         "Import it with `terraform import` or give the bucket a unique prefix."),
        ("Error: Error acquiring the state lock\nLock Info:\n  ID:        {uuid}\n  Path:      {team}-tfstate/{svc}/terraform.tfstate",
         "State lock of {svc} held by a dead run",
         "A cancelled {svc} pipeline left its DynamoDB lock behind.",
         "Check nobody runs, then `terraform force-unlock {uuid}`."),
        ("Error: Unsupported argument\n  on {file}.tf line {line}, in resource \"aws_{noun}\" \"{svc}\":\n  An argument named \"{arg}\" is not expected here.",
         "Unsupported argument {arg} on aws_{noun} in {svc}",
         "The AWS provider upgrade renamed {arg} on aws_{noun}.",
         "Rename the argument per the provider's upgrade guide in {file}.tf."),
    )),
    Family("kubectl", "kubectl -n {team} rollout status deploy/{svc}", (
        ("error: deployment \"{svc}\" exceeded its progress deadline",
         "Rollout of {svc} exceeds its progress deadline",
         "New {svc} pods fail their readiness probe on /healthz/{noun}.",
         "Fix the /healthz/{noun} handler or raise initialDelaySeconds of {svc}."),
        ("Warning  BackOff  pod/{svc}-{podid}  Back-off restarting failed container {svc} in pod {svc}-{podid}",
         "{svc} pods in CrashLoopBackOff",
         "{svc} exits at start because the {noun} config map key is missing.",
         "Add the `{noun}.yaml` key to the {svc} config map and roll out again."),
        ("Error from server (Forbidden): deployments.apps \"{svc}\" is forbidden: User \"system:serviceaccount:{team}:deployer\" cannot patch resource \"deployments\"",
         "Deployer cannot patch the {svc} deployment",
         "The {team} deployer role lost patch on deployments in the RBAC cleanup.",
         "Grant patch on deployments to the {team} deployer Role."),
    )),
    Family("cargo", "cargo test -p {svc}", (
        ("error[E0308]: mismatched types\n  --> {svc}/src/{file}.rs:{line}:{col}\n   |\n   = note: expected struct `{Noun}Id`, found `u64`",
         "E0308 {Noun}Id vs u64 in {svc}",
         "{svc} still passes raw u64 ids where {Noun}Id is now required.",
         "Wrap the id: `{Noun}Id::from(id)` in {file}.rs."),
        ("error: failed to select a version for the requirement `{pkg} = \"^{ver}\"`",
         "cargo cannot select {pkg} {ver} for {svc}",
         "{svc} requires {pkg} {ver}, yanked from crates.io.",
         "Update the requirement in {svc}/Cargo.toml and run `cargo update -p {pkg}`."),
    )),
    Family("ssh", "ansible-playbook -i inventories/{team} deploy-{svc}.yml", (
        ("fatal: [{host}]: UNREACHABLE! => {{\"changed\": false, \"msg\": \"Failed to connect to the host via ssh: Permission denied (publickey).\"}}",
         "Ansible cannot reach {host} for {svc}: publickey denied",
         "The deploy key of {svc} is not in authorized_keys on {host} after the rebuild.",
         "Re-run the bootstrap role on {host} to install the {team} deploy key."),
        ("fatal: [{host}]: FAILED! => {{\"msg\": \"The task includes an option with an undefined variable. The error was: '{noun}_port' is undefined\"}}",
         "{noun}_port undefined when deploying {svc}",
         "The {team} inventory has no {noun}_port for {host}.",
         "Add `{noun}_port` to group_vars of {team}."),
    )),
)


@dataclass(frozen=True)
class Entry:
    """One generated known issue: where it is, and what its failure prints."""

    doc: str
    number: int
    title: str
    message: str
    command: str


def _fill(template: str, names: dict[str, str]) -> str:
    return template.format(**names)


def _names(rng: random.Random, team: str) -> dict[str, str]:
    noun = rng.choice(_NOUNS)
    svc = _svc(rng, team)
    return {
        "team": team, "svc": svc, "noun": noun, "Noun": noun.title().replace("_", ""),
        "table": _ident(rng, _NOUNS), "pkg": rng.choice(_PKGS), "host": rng.choice(_HOSTS),
        "port": str(rng.choice([5432, 6379, 9092, 5672, 9200, 8200, 2379])),
        "file": rng.choice(_PARTS) + "_" + rng.choice(["util", "models", "views", "client",
                                                        "handlers", "config", "main"]),
        "test": f"tests/test_{noun}.py::test_{rng.choice(_PARTS)}_{rng.choice(_NOUNS)}",
        "ver": f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        "user": f"{team}_{rng.choice(['app', 'ro', 'migrator', 'batch'])}",
        "module": f"{team}_{rng.choice(_PARTS)}",
        "Part": rng.choice(_PARTS).title(), "env": rng.choice(["dev", "stage", "prod"]),
        "arg": rng.choice(["acl", "versioning", "policy", "retention", "tags_all", "logging"]),
        "ip": f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "uuid": f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}"
                f"-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}",
        "podid": f"{rng.getrandbits(32):08x}"[:8] + "-" + f"{rng.getrandbits(20):05x}",
        "n": str(rng.randint(2, 400)), "m": str(rng.randint(2, 400)),
        "line": str(rng.randint(3, 900)), "col": str(rng.randint(1, 80)),
        "secs": f"{rng.random() * 3:.2f}", "code": str(rng.randint(100, 999)),
    }


def generate(root: Path, issues: int, seed: int = 7) -> list[Entry]:
    """Write ``issues`` entries as documents of ``ENTRIES_PER_DOC`` under ``root``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    entries: list[Entry] = []
    docs = max(1, -(-issues // ENTRIES_PER_DOC))
    for d in range(docs):
        team = _TEAMS[d % len(_TEAMS)]
        families = rng.sample(FAMILIES, rng.randint(3, 5))
        name = f"{team}-{d:04d}-incidents.md"
        count = min(ENTRIES_PER_DOC, issues - d * ENTRIES_PER_DOC)
        parts = [f"# {team.title()} incident log {d}\n\nFailures the {team} team debugged, "
                 "with the fix that worked.\n"]
        for n in range(1, count + 1):
            family = rng.choice(families)
            message, title, cause, fix = rng.choice(family.errors)
            names = _names(rng, team)
            text = _fill(message, names)
            command = _fill(family.command, names)
            symptom = text.splitlines()[0] if "\n" in text else text
            parts.append(
                f"\n## {n}. {_fill(title, names)}\n\n"
                f"- **Symptom:** `{command.split(' ', 1)[0]}` fails with `{symptom}`.\n"
                f"- **Root Cause:** {_fill(cause, names)}\n"
                f"- **Resolution:** {_fill(fix, names)}\n"
                f"- **Verification:** `{command}` passes.\n")
            entries.append(Entry(name, n, _fill(title, names), text, command))
        (root / name).write_text("".join(parts), encoding="utf-8")
    return entries


def failing_log(entry: Entry, rng: random.Random) -> str:
    """A CI log of ``entry``'s failure: setup noise, the command, the error, the exit."""
    clock = rng.randint(0, 3000)
    day = rng.randint(10, 28)

    def stamp() -> str:
        nonlocal clock
        clock += rng.randint(1, 9)
        return f"2026-11-{day}T10:{clock // 60 % 60:02d}:{clock % 60:02d}.{rng.randint(0, 9999999):07d}Z"

    noise = ["Runner image: ubuntu-22.04", "Fetching the repository",
             f"HEAD is now at {rng.getrandbits(28):07x} Merge pull request #{rng.randint(10, 9000)}",
             "Restoring cache", f"Cache restored from key: deps-{rng.getrandbits(40):010x}",
             "Installing dependencies", f"added {rng.randint(100, 1500)} packages in {rng.randint(2, 60)}s"]
    lines = [f"{stamp()} {line}" for line in noise]
    lines.append(f"{stamp()} ##[group]Run {entry.command}")
    lines.append(f"{stamp()} $ {entry.command}")
    lines += [f"{stamp()} {line}" for line in entry.message.splitlines()]
    lines.append(f"{stamp()} ##[error]Process completed with exit code {rng.choice([1, 2])}.")
    return "\n".join(lines) + "\n"


def sample_logs(entries: list[Entry], count: int, seed: int = 11) -> Iterator[tuple[Entry, str]]:
    """``count`` failing logs of entries drawn at random (with the entry they belong to)."""
    rng = random.Random(seed)
    for _ in range(count):
        entry = rng.choice(entries)
        yield entry, failing_log(entry, rng)
