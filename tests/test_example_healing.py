"""The self-healing example of the README, run as written (on a free port)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from healing_helpers import answers, free_port, wait_until

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "healing"


def test_the_readme_example(tmp_path: Path) -> None:
    folder = tmp_path / "healing"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".knownfix", "web.pid"))
    port = free_port()
    checks = folder / "knownfix-checks.yaml"
    checks.write_text(checks.read_text().replace("8765", str(port)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWNFIX_")}
    env.update(WEB_PORT=str(port), PATH=f"{Path(sys.executable).parent}:{env['PATH']}")

    def knownfix(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "knownfix", *args], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=600)

    def web(command: str) -> None:
        subprocess.run(["python3", "web.py", command], cwd=folder, env=env, check=True,
                       capture_output=True)

    try:
        web("start")
        assert wait_until(lambda: answers(port))
        first = knownfix("check")
        assert first.returncode == 2, first.stdout + first.stderr  # no drift baseline yet
        assert "no baseline yet" in first.stdout
        assert knownfix("check", "--update-baseline").returncode == 0
        web("stop")
        assert wait_until(lambda: not answers(port))
        failed = knownfix("check", "--json")
        assert failed.returncode == 1
        web_line = json.loads(failed.stdout.splitlines()[0])
        incident = web_line["incident"]["id"]
        plan = knownfix("playbook", "run", incident)
        assert plan.returncode == 0
        assert f"python3 web.py start --reason={incident}" in plan.stdout
        assert not answers(port)
        healed = knownfix("playbook", "run", incident, "--execute")
        assert healed.returncode == 0, healed.stdout + healed.stderr
        assert answers(port)
        assert knownfix("check").returncode == 0
        report = knownfix("report").stdout
        assert "| Auto-recovery rate | ≥ 80% | 100% | ✅ met | 1 of 1 incident |" in report

        # The gates catch broken inputs, naming what broke.
        report_file = folder / "reports" / "benchmark_report.json"
        broken = json.loads(report_file.read_text())
        broken["accuracy"] = 1.7
        broken["metrics"]["accuracy"] = 0.79
        report_file.write_text(json.dumps(broken))
        (folder / "datasets" / "sample.csv").write_text("tampered\n")
        lines = [json.loads(line) for line in knownfix("check", "--json").stdout.splitlines()]
        by_name = {line["name"]: line for line in lines}
        assert "$.accuracy: 1.7 is greater than the maximum of 1" in \
            by_name["report-schema"]["message"]
        assert by_name["accuracy"]["message"].startswith("$.metrics.accuracy = 0.79 fell by")
        assert "sample.csv: sha256 mismatch" in by_name["datasets"]["message"]
    finally:
        web("stop")
