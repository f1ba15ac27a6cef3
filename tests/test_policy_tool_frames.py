"""The tool that failed, read from the frame around its output.

Docker's closing line quotes the RUN command that failed (BuildKit's ``failed to solve:
process "/bin/sh -c …"``, the classic builder's ``The command '/bin/sh -c …' returned a
non-zero code``): that command is the step's command, so ``apk add`` names a dependency
install; a RUN that chains commands does not say which one failed. Google Cloud Build puts
``Step #2 - "name": `` before every line a step prints; analysis looks past it as it does past
timestamps. pytest before 5.0 wrote its closing time out (``in 2.90 seconds``), and helm lint's
findings name the chart file they are about. The log lines are written here, in each tool's
documented output format.
"""

from __future__ import annotations

import pytest

from knownfix.core.extract import read_log
from knownfix.core.extract.lines import clean_line
from knownfix.core.policy import FailureFacts, default_policy


def decide(log: str) -> tuple[str, str]:
    reading = read_log([log.encode()])
    decision = default_policy().decide(
        FailureFacts(text=reading.excerpt.text, step=reading.step))
    return decision.category, reading.step


BUILDKIT = (
    "#7 [2/4] RUN apk add --no-cache libpq-dev gcc\n"
    "#7 0.412 fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz\n"
    "#7 1.020 ERROR: unable to select packages:\n"
    "#7 1.020   libpq-dev (no such package):\n"
    "#7 ERROR: process \"/bin/sh -c apk add --no-cache libpq-dev gcc\" did not complete "
    "successfully: exit code: 1\n"
    "ERROR: failed to solve: process \"/bin/sh -c apk add --no-cache libpq-dev gcc\" did not "
    "complete successfully: exit code: 1\n"
)


@pytest.mark.parametrize("closing", [
    'ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not '
    "complete successfully: exit code: 1",
    "Error: buildx failed with: ERROR: failed to solve: process \"/bin/sh -c pip install -r "
    'requirements.txt" did not complete successfully: exit code: 1',
    "executor failed running [/bin/sh -c pip install -r requirements.txt]: exit code: 1",
    "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 1",
])
def test_docker_closing_line_names_the_run_command(closing: str) -> None:
    category, step = decide(closing + "\n")
    assert step.splitlines()[0] == "pip install -r requirements.txt"
    assert category == "dependency"


def test_buildkit_frame_names_the_install() -> None:
    category, step = decide(BUILDKIT)
    assert "apk add --no-cache libpq-dev gcc" in step.splitlines()
    assert category == "dependency"


@pytest.mark.parametrize("closing", [
    'ERROR: failed to solve: process "/bin/sh -c apt-get update && make all" did not '
    "complete successfully: exit code: 2",
    "The command '/bin/sh -c npm ci && npm run build' returned a non-zero code: 1",
])
def test_a_chained_run_names_no_command(closing: str) -> None:
    category, step = decide(closing + "\n")
    assert "&&" not in step
    assert category == "unknown"


@pytest.mark.parametrize(("line", "clean"), [
    ('Step #1 - "tf validate": │ Error: Unsupported argument', "│ Error: Unsupported argument"),
    ("Step #0: npm ERR! code ERESOLVE", "npm ERR! code ERESOLVE"),
    ("Step 3/7 : RUN make", "Step 3/7 : RUN make"),  # docker's classic step, not a prefix
])
def test_cloud_build_step_prefix_is_cleaned(line: str, clean: str) -> None:
    assert clean_line(line) == clean


def test_terraform_error_under_cloud_build_prefix() -> None:
    log = (
        'Step #1 - "tf validate": ╷\n'
        'Step #1 - "tf validate": │ Error: Unsupported argument\n'
        'Step #1 - "tf validate": │\n'
        'Step #1 - "tf validate": │   on network.tf line 12, in module "vpc":\n'
        'Step #1 - "tf validate": │   12:   zones = var.zones\n'
        'Step #1 - "tf validate": │\n'
        'Step #1 - "tf validate": │ An argument named "zones" is not expected here.\n'
        'Step #1 - "tf validate": ╵\n'
        'ERROR: build step 1 "hashicorp/terraform:1.7" failed: step exited with non-zero '
        "status: 1\n"
    )
    assert decide(log)[0] == "configuration"


@pytest.mark.parametrize("summary", [
    "=================== 2 failed, 40 passed in 12.31 seconds ===================",
    "=================== 1 failed, 3 passed, 1 skipped in 0.42s ===================",
])
def test_pytest_summary_old_and_new_times(summary: str) -> None:
    assert decide(summary + "\n")[0] == "test"


@pytest.mark.parametrize("finding", [
    '[ERROR] templates/: template: web/templates/service.yaml:9:18: executing '
    '"web/templates/service.yaml" at <.Values.service.port>: nil pointer evaluating '
    "interface {}.port",
    "[ERROR] Chart.yaml: version '1.0' is not a valid SemVer",
])
def test_helm_lint_findings_without_the_count(finding: str) -> None:
    log = "==> Linting ./charts/web\n[INFO] Chart.yaml: icon is recommended\n" + finding + "\n"
    assert decide(log)[0] == "lint"


def test_maven_error_line_is_not_a_helm_finding() -> None:
    log = ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:"
           "compile (default-compile) on project web: Compilation failure\n"
           "[ERROR] /src/main/java/web/App.java:[12,8] cannot find symbol\n")
    assert decide(log)[0] == "compile"


GHA_PAGE = (
    "Run {command}\n"
    "  {command}\n"
    "  shell: /usr/bin/bash -e {{0}}\n"
    "  env:\n"
    "    PYTHON_VERSION: 3.12\n"
    "{output}"
    "Error: Process completed with exit code 1.\n"
)


@pytest.mark.parametrize(("command", "output", "category"), [
    ("./scripts/check-format.sh", "", "lint"),
    ("pip install -r requirements.txt", "", "dependency"),
    ("docker push ghcr.io/acme/web:latest",
     "The push refers to repository [ghcr.io/acme/web]\n"
     "denied: permission_denied: write_package\n", "permission"),
])
def test_github_page_step_header_names_the_command(command: str, output: str,
                                                   category: str) -> None:
    got, step = decide(GHA_PAGE.format(command=command, output=output))
    assert step.splitlines()[0] == command
    assert got == category


def test_a_programs_own_run_line_is_no_step_header() -> None:
    log = ("Run started: 2024-05-02 10:00:01\n"
           "Run ./lint.sh to see details\n"
           "Error: Process completed with exit code 1.\n")
    assert "lint.sh" not in decide(log)[1]


# A step that printed no error before its exit: the command echoed last in the explaining
# block ran then, in each CI's own frame (written from their documented job output).
QUIET_STEP = {
    "buildkite": "~~~ Running commands\n$ {c}\n{o}🚨 Error: The command exited with status 3\n",
    "jenkins": ("[Pipeline] sh\n+ {c}\n{o}[Pipeline] }}\n[Pipeline] // stage\n"
                "ERROR: script returned exit code 3\nFinished: FAILURE\n"),
    "circleci": "#!/bin/bash -eo pipefail\n{c}\n{o}\nExited with code exit status 3\n",
    "azure": ("##[section]Starting: Format\nGenerating script.\nScript contents:\n{c}\n"
              "========================== Starting Command Output ===========================\n"
              "[command]/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/4b1c.sh\n"
              "{o}##[error]Bash exited with code '3'.\n##[section]Finishing: Format\n"),
    "gitlab": "$ {c}\n{o}ERROR: Job failed: exit code 3\n",
}


@pytest.mark.parametrize("frame", sorted(QUIET_STEP))
@pytest.mark.parametrize(("command", "output", "category"), [
    ("terraform fmt -check -recursive", "main.tf\nmodules/vpc/outputs.tf\n", "lint"),
    ("dotnet restore", "  Determining projects to restore...\n", "dependency"),
    ("trivy fs --exit-code 1 .", "2024-05-01T10:00:01Z\tINFO\tDetecting vulnerabilities...\n",
     "security"),
])
def test_quiet_step_is_named_by_its_command(frame: str, command: str, output: str,
                                            category: str) -> None:
    got, step = decide(QUIET_STEP[frame].format(c=command, o=output))
    assert step.splitlines()[0] == command
    assert got == category


def test_azure_script_of_several_commands_names_none() -> None:
    log = QUIET_STEP["azure"].format(c="dotnet restore\ndotnet build", o="")
    assert decide(log)[0] == "unknown"


def test_dotnet_sdk_older_than_the_target_framework_is_configuration() -> None:
    log = GHA_PAGE.format(command="dotnet build", output=(
        "/usr/share/dotnet/sdk/6.0.420/Sdks/Microsoft.NET.Sdk/targets/Microsoft.NET."
        "TargetFrameworkInference.targets(144,5): error NETSDK1045: The current .NET SDK does "
        "not support targeting .NET 8.0.  Either target .NET 6.0 or lower, or use a version of "
        "the .NET SDK that supports .NET 8.0. [/home/runner/work/shop/src/Api/Api.csproj]\n"))
    assert decide(log)[0] == "configuration"


def test_a_csharp_compile_error_stays_compile() -> None:
    log = GHA_PAGE.format(command="dotnet build", output=(
        "/home/runner/work/shop/src/Api/Program.cs(12,13): error CS0103: The name 'buildr' "
        "does not exist in the current context [/home/runner/work/shop/src/Api/Api.csproj]\n"))
    assert decide(log)[0] == "compile"
