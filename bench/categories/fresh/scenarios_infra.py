"""Jobs the platform failed or stopped: a Docker daemon that is not there, a checkout that cannot
reach the git server, runners that were lost, jobs killed at the CI's time limit; and
infrastructure-as-code tools (Terraform, checkov, kustomize)."""

from __future__ import annotations

from typing import Any

from make_logs import Scenario, Step
from scenarios_langs import maven
from scenarios_native import GOMOD, RATES, RING, cargo_toml
from scenarios_python import INSTALL, ledger, py


def sc(name: str, eco: str, ci: str, files: dict[str, str], steps: tuple[Step | str, ...],
       category: str, why: str, tools: tuple[str, ...], **kw: Any) -> Scenario:
    project = kw.pop("project", name.rsplit("-", 1)[0])
    return Scenario(name=name, ecosystem=eco, ci=ci, files=files, steps=steps,
                    category=category, why=why, project=project, tools=tools,
                    job=kw.pop("job", "build"), **kw)


def clone(host: str, project: str) -> str:
    return f"git clone --depth 1 https://{host}/acme/{project}.git ."


DOCKERFILE = ("FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
              "RUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"-m\", \"app\"]\n")
SLOW_TESTS = {f"tests/test_slow_{i}.py": (
    "import time\n\n\n" + "".join(f"def test_case_{j}():\n    time.sleep(0.4)\n\n\n"
                                  for j in range(6))) for i in range(4)}
TF_MAIN = """terraform {
  required_version = ">= 1.5"
}

variable "env" {
  type = string
}

resource "terraform_data" "release" {
  input = {
    env     = var.env
    version = "1.4.0"
  }
}
"""
K8S_DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: acme/api:latest
          securityContext:
            privileged: true
            runAsUser: 0
          ports:
            - containerPort: 8080
"""

SCENARIOS: list[Scenario] = [
    sc("api-docker-daemon", "docker", "github", {"Dockerfile": DOCKERFILE,
                                                  "requirements.txt": "flask==3.0.3\n"},
       ("docker build -t ghcr.io/acme/api:${GITHUB_SHA:-dev} .",), "infrastructure",
       "docker: Cannot connect to the Docker daemon (no daemon on the runner)", ("docker",),
       job="image"),
    sc("worker-docker-run", "docker", "gitlab", {"Dockerfile": DOCKERFILE,
                                                 "requirements.txt": "celery==5.4.0\n"},
       ("docker info", "docker build -t worker:ci ."), "infrastructure",
       "docker info: daemon not reachable (dind service missing)", ("docker",), job="image"),
    sc("billing-checkout", "python", "jenkins", ledger(), ("python -m pytest",),
       "infrastructure", "checkout: could not resolve the git server",
       ("git",), checkout=clone("git.acme-corp.internal", "billing"), project="billingsvc"),
    sc("mobile-checkout", "javascript", "buildkite", {"package.json": "{}\n"}, ("npm test",),
       "infrastructure", "checkout failed (git server unreachable), retried, job failed",
       ("git",), checkout=clone("gitlab.acme-corp.internal", "mobile"), project="mobile"),
    sc("ledger-checkout", "go", "circleci", {"go.mod": GOMOD.format(name="ledger")},
       ("go test ./...",), "infrastructure", "Checkout code: repository host not resolvable",
       ("git",), checkout=clone("ghe.acme-corp.internal", "ledger"), project="ledgergo"),
    sc("portal-checkout", "ruby", "github", {"Gemfile": "source 'https://rubygems.org'\n"},
       ("bundle exec rspec",), "infrastructure", "actions/checkout: git fetch failed",
       ("git",), checkout=clone("ghe.acme-corp.internal", "portal"), project="portalrb"),
    py("suite-runner-lost", "github", {**ledger(), **SLOW_TESTS},
       (INSTALL, Step("python -m pytest -v -p no:cacheprovider", timeout=4)),
       "infrastructure", "the runner received a shutdown signal mid-run", ending="runner-lost",
       project="suite"),
    py("etl-system-failure", "gitlab", {**ledger(), **SLOW_TESTS},
       (Step("python -m pytest -v -p no:cacheprovider", timeout=3),), "infrastructure",
       "GitLab: Job failed (system failure) while tests ran", ending="lost-communication",
       project="etlpipe"),
    sc("kernel-agent-lost", "rust", "buildkite", {"Cargo.toml": cargo_toml("kernel"),
                                                  "src/lib.rs": RING},
       (Step("cargo test -- --test-threads=1", timeout=2),), "infrastructure",
       "Buildkite: agent lost during the job", ("cargo",), ending="lost-communication",
       project="kernel"),
    maven("gateway-agent-offline", "jenkins", {}, "infrastructure",
          "Jenkins: agent channel closed mid-build", steps=(Step("mvn -B -o verify",
                                                                 timeout=6),),
          ending="lost-communication"),
    py("ml-infra-fail", "circleci", {**ledger(), **SLOW_TESTS},
       (Step("python -m pytest -v -p no:cacheprovider", timeout=3),), "infrastructure",
       "CircleCI: unexpected infrastructure failure", ending="runner-lost", project="mlsvc"),
    py("docs-hosted-runner-lost", "github", {**ledger(), **SLOW_TESTS},
       (Step("python -m pytest -v -p no:cacheprovider -x", timeout=3),), "infrastructure",
       "GitHub: hosted runner lost communication with the server",
       ending="lost-communication", project="docsbuild"),
    sc("stream-go-hang", "go", "github", {"go.mod": GOMOD.format(name="stream"),
                                          "rates.go": RATES.replace("package rates",
                                                                    "package stream"),
                                          "stream_test.go": "package stream\n\nimport (\n"
                                          "\t\"testing\"\n\t\"time\"\n)\n\n"
                                          "func TestReplay(t *testing.T) {\n"
                                          "\tt.Log(\"replaying 10k events\")\n"
                                          "\tdone := make(chan bool)\n\tselect {\n"
                                          "\tcase <-done:\n\tcase <-time.After(2 * time.Hour):"
                                          "\n\t}\n}\n"},
       (Step("go test -v ./...", timeout=6),), "timeout",
       "GitHub: the job exceeded its maximum execution time", ("go",), ending="job-timeout",
       env={"GOCACHE": "/tmp/kffresh/gocache"}),
    maven("catalog-hang", "gitlab", {"src/test/java/com/acme/stock/WaitTest.java":
        "package com.acme.stock;\n\nimport org.junit.jupiter.api.Test;\n\n"
        "class WaitTest {\n    @Test\n    void waitsForIndexer() throws Exception {\n"
        "        System.out.println(\"waiting for the indexer to become ready\");\n"
        "        Thread.sleep(3_600_000);\n    }\n}\n"},
          "timeout", "GitLab: execution took longer than the job timeout",
          steps=(Step("mvn -B -o test", timeout=25),), ending="job-timeout"),
    sc("sim-cargo-hang", "rust", "buildkite", {"Cargo.toml": cargo_toml("sim"),
                                               "src/lib.rs": RING + "\n#[test]\nfn converges() {"
                                               "\n    let mut x = 1u64;\n    while x != 0 { x ="
                                               " x.wrapping_mul(3) | 1; }\n}\n"},
       (Step("cargo test", timeout=15),), "timeout", "Buildkite: job timed out", ("cargo",),
       ending="job-timeout"),
    sc("nightly-script-hang", "shell", "jenkins", {"scripts/sync-mirror.sh":
        "#!/bin/bash\necho \"syncing mirror\"\nfor i in $(seq 1 1000); do\n"
        "  echo \"fetched batch $i\"\n  sleep 1\ndone\n"},
       (Step("./scripts/sync-mirror.sh", timeout=5),), "timeout",
       "Jenkins: timeout step cancelled the build", ("bash",), ending="job-timeout",
       job="nightly"),
    sc("tags-rspec-hang", "ruby", "travis", {"lib/tags.rb": "module Tags\nend\n",
                                             "spec/tags_spec.rb": "RSpec.describe 'tags' do\n"
                                             "  it('syncs with the tag service') do\n"
                                             "    sleep 3600\n  end\nend\n"},
       (Step("rspec --format documentation", timeout=5),), "timeout",
       "Travis: no output received in 10 minutes", ("rspec",), ending="no-output"),
    sc("net-terraform-init", "terraform", "gitlab", {"main.tf": "terraform {\n"
                                                     "  required_providers {\n    aws = {\n"
                                                     "      source  = \"hashicorp/aws\"\n"
                                                     "      version = \"~> 5.40\"\n    }\n  }\n}"
                                                     "\n\nprovider \"aws\" {\n  region = "
                                                     "\"eu-central-1\"\n}\n"},
       ("terraform init -input=false -no-color",), "dependency",
       "terraform init: provider registry unreachable", ("terraform",), job="plan"),
    sc("release-terraform-plan", "terraform", "github", {"main.tf": TF_MAIN},
       ("terraform init -input=false -no-color -backend=false",
        "terraform plan -input=false -no-color"), "configuration",
       "terraform plan: no value for the required variable env (not set in the job)",
       ("terraform",), job="plan"),
    sc("edge-terraform-fmt", "terraform", "circleci", {
        "main.tf": TF_MAIN.replace("    env     = var.env", "    env = var.env")},
       ("terraform fmt -check -diff -no-color",), "lint", "terraform fmt -check: diff",
       ("terraform",), job="lint"),
    sc("platform-checkov-tf", "terraform", "jenkins", {
        "s3.tf": "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n\n"
        "resource \"aws_s3_bucket_public_access_block\" \"logs\" {\n"
        "  bucket = aws_s3_bucket.logs.id\n  block_public_acls = false\n"
        "  restrict_public_buckets = false\n}\n\nresource \"aws_security_group\" \"ssh\" {\n"
        "  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = \"tcp\"\n"
        "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n"},
       ("checkov -d . --framework terraform --compact --quiet",),
       "security", "checkov: failed checks (public S3 access, SSH open to the world)",
       ("terraform",), job="security"),
    sc("cluster-checkov-k8s", "kubernetes", "gitlab", {"k8s/deployment.yaml": K8S_DEPLOY},
       ("checkov -d k8s --framework kubernetes --compact --quiet",), "security",
       "checkov: privileged container, root user, latest tag",
       ("kubectl",), job="security"),
    sc("apps-kustomize", "kubernetes", "buildkite", {
        "overlays/prod/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\nresources:\n  - ../../base\n  - hpa.yaml\n",
        "base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
        "base/deployment.yaml": K8S_DEPLOY},
       ("kubectl kustomize overlays/prod > rendered.yaml",), "configuration",
       "kustomize: a listed resource file does not exist", ("kubectl",), job="render"),
    py("stats-mypy", "travis", {
        "src/stats/agg.py": "from statistics import mean\n\n\n"
        "def summary(values: list[float]) -> dict[str, float]:\n"
        "    return {'mean': mean(values), 'n': len(values), 'label': 'ok'}\n\n\n"
        "def top(values: list[float], k: int = 3) -> list[int]:\n"
        "    return sorted(values)[-k:]\n",
        "src/stats/__init__.py": ""},
       (INSTALL, "mypy --strict src"), "type-check",
       "mypy: dict entry str for float, list[float] returned as list[int]", tools=("mypy",),
       project="statspy"),
    py("hooks-mypy", "jenkins", {
        "src/hooks/registry.py": "from collections.abc import Callable\n\n"
        "_hooks: dict[str, list[Callable[[dict], None]]] = {}\n\n\n"
        "def register(name: str, fn: Callable[[dict], None]) -> None:\n"
        "    _hooks.setdefault(name, []).append(fn)\n\n\n"
        "def fire(name: str, payload: dict) -> int:\n    for fn in _hooks.get(name):\n"
        "        fn(payload)\n    return len(_hooks[name])\n\n\n"
        "register('deploy', lambda p: p['env'].upper())\nregister('deploy', print, 3)\n",
        "src/hooks/__init__.py": ""},
       ("mypy src",), "type-check", "mypy: Optional iterated, too many arguments",
       tools=("mypy",)),
    Scenario(name="forms-tsc", ecosystem="javascript", ci="gitlab", files={
        "package.json": '{"name": "forms", "version": "1.0.0", "private": true, "scripts": '
        '{"typecheck": "tsc --noEmit"}}\n',
        "tsconfig.json": '{"compilerOptions": {"strict": true, "target": "ES2022", "module": '
        '"commonjs", "skipLibCheck": true}, "include": ["src"]}\n',
        "src/validate.ts": "export type Field = { name: string; required: boolean; max?: "
        "number };\n\nexport function check(f: Field, value: string | undefined): string[] {\n"
        "  const errors = [];\n  if (f.required && !value) errors.push(`${f.name} is "
        "required`);\n  if (f.max && value.length > f.max) errors.push(`${f.name} too long`);\n"
        "  return errors;\n}\n\ncheck({ name: 'email', required: 'yes' }, 'a@b.c');\n"},
        steps=("npm run typecheck",), category="type-check",
        why="tsc: possibly undefined, string not assignable to boolean", project="forms",
        tools=("npm",), share="js/node_modules", job="typecheck"),
    Scenario(name="maps-tsc", ecosystem="javascript", ci="circleci", files={
        "package.json": '{"name": "maps", "version": "1.0.0", "private": true, "scripts": '
        '{"build": "tsc -p ."}}\n',
        "tsconfig.json": '{"compilerOptions": {"strict": true, "target": "ES2022", "module": '
        '"commonjs", "outDir": "dist", "skipLibCheck": true}, "include": ["src"]}\n',
        "src/geo.ts": "interface LatLng { lat: number; lng: number }\n\n"
        "export function midpoint(a: LatLng, b: LatLng): LatLng {\n"
        "  return { lat: (a.lat + b.lat) / 2, lon: (a.lng + b.lng) / 2 };\n}\n\n"
        "export const origin: LatLng = { lat: '0', lng: 0 };\n"},
        steps=("npm run build",), category="type-check",
        why="tsc: object literal may only specify known properties; string to number",
        project="maps", tools=("npm",), share="js/node_modules"),
]
