"""Event data never executes: hostile incident text reaches real programs and a real HTTP
service as inert data, for every kind of step, and a shell step cannot take it at all."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from healing_helpers import no_sleep
from knownfix.core.healing.schema import load_checks
from knownfix.errors import ConfigError
from knownfix.services.healing import Healer
from knownfix.settings import load_settings
from knownfix.storage.incidents import NewOccurrence
from knownfix.storage.repository import open_store

RECORD = """\
import json, os, sys
with open(os.environ["OUT"], "a") as out:
    out.write(json.dumps({"argv": sys.argv[1:], "title": os.environ.get("TITLE")}) + "\\n")
"""


def hostile_values(tmp: Path) -> list[str]:
    """Each tries, in its own way, to create a marker file or delete a folder."""
    return [
        f"$(touch {tmp}/pwned-1)",
        f"`touch {tmp}/pwned-2`",
        f"x; touch {tmp}/pwned-3; rm -rf {tmp}/victim",
        f"ok\ntouch {tmp}/pwned-4\n",
        f"' && touch {tmp}/pwned-5 #",
        f"$(touch /tmp/pwned) | tee {tmp}/pwned-6 & ${{IFS}}",
    ]


class Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Recorder.seen.append({"path": unquote(self.path), "body": json.loads(body or b"null"),
                              "header": self.headers.get("X-Title")})
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[int]:
    Recorder.seen = []
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def _checks(tmp: Path, port: int) -> str:
    python = sys.executable
    return f"""\
allow: [{python}]
playbooks:
  - name: fix
    for: KF-1
    params: [title, incident_id]
    steps:
      - run: [{python}, {tmp}/record.py, "{{title}}", "--title={{title}}"]
        env: {{TITLE: "{{title}}", OUT: "{tmp}/argv.jsonl"}}
      - http: {{url: "http://127.0.0.1:{port}/hook/{{title}}?id={{incident_id}}", method: POST,
               json: {{title: "{{title}}", nested: ["{{title}}"]}}}}
    verify:
      run: [{python}, {tmp}/record.py, "{{title}}"]
      env: {{OUT: "{tmp}/verify.jsonl"}}
"""


@pytest.mark.parametrize("index", range(6))
def test_hostile_event_data_is_passed_as_inert_text(tmp_path: Path, receiver: int,
                                                    index: int) -> None:
    hostile = hostile_values(tmp_path)[index]
    (tmp_path / "victim").mkdir()
    (tmp_path / "record.py").write_text(RECORD)
    config = load_checks(_checks(tmp_path, receiver), origin=str(tmp_path / "checks.yaml"))
    store = open_store(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        recorded = store.record_occurrence(NewOccurrence(
            source="build.log", title=hostile, fingerprint="f" * 64, loose_fingerprint="l" * 64,
            fingerprint_version="t", excerpt_text=hostile, category="ci", severity="high",
            known_issue_id="KF-1", received_at=datetime.now(UTC),
        ))
        incident = recorded.incident.id
        settings = load_settings(env={}, cwd=tmp_path, database_url="sqlite://")
        healer = Healer(store, settings, config, sleep=no_sleep)
        run = healer.execute(incident, trigger="manual", actor="test")
    finally:
        store.close()
    assert run.status == "succeeded", run.reason
    # Nothing the text asked for happened.
    assert sorted(p.name for p in tmp_path.glob("pwned*")) == []
    assert (tmp_path / "victim").is_dir()
    # The program got the text as written, in one argument and in its environment.
    call = json.loads((tmp_path / "argv.jsonl").read_text().splitlines()[0])
    assert call == {"argv": [hostile, "--title=" + hostile], "title": hostile}
    verify = json.loads((tmp_path / "verify.jsonl").read_text().splitlines()[0])
    assert verify["argv"] == [hostile]
    # The HTTP call got it percent-encoded in the URL and as a JSON string.
    (request,) = Recorder.seen
    assert request["path"] == f"/hook/{hostile}?id={incident}"
    assert request["body"] == {"title": hostile, "nested": [hostile]}


def test_the_marker_of_the_issue_never_appears(tmp_path: Path, receiver: int) -> None:
    """The literal `$(touch /tmp/pwned)` of the issue, through every step kind."""
    marker = Path("/tmp/pwned")
    existed = marker.exists()
    test_hostile_event_data_is_passed_as_inert_text(tmp_path, receiver, 5)
    assert marker.exists() is existed


@pytest.mark.parametrize("argv", [
    '[bash, -c, "echo {title}"]', '[sh, scripts/fix.sh, "{title}"]',
    '[env, "T={title}", bash, x.sh]', '[python3, -c, "import os", "{title}"]',
])
def test_a_shell_step_cannot_take_event_data(argv: str) -> None:
    checks = (f"allow: [bash, sh, env, python3]\nplaybooks:\n  - name: p\n    for: KF-1\n"
              f"    params: [title]\n    steps:\n      - run: {argv}\n"
              f"    verify: {{run: [bash, check.sh]}}\n")
    with pytest.raises(ConfigError, match="takes no event data"):
        load_checks(checks, origin="c.yaml")


def test_a_whole_argument_that_looks_like_an_option_is_refused(tmp_path: Path,
                                                               receiver: int) -> None:
    (tmp_path / "record.py").write_text(RECORD)
    config = load_checks(_checks(tmp_path, receiver), origin=str(tmp_path / "c.yaml"))
    store = open_store(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        recorded = store.record_occurrence(NewOccurrence(
            source="b.log", title="--config=/etc/shadow", fingerprint="f" * 64,
            loose_fingerprint="l" * 64, fingerprint_version="t", excerpt_text="x",
            category="ci", severity="high", known_issue_id="KF-1",
        ))
        healer = Healer(store, load_settings(env={}, cwd=tmp_path), config, sleep=no_sleep)
        from knownfix.errors import InputError

        with pytest.raises(InputError, match="starts with '-'"):
            healer.execute(recorded.incident.id, trigger="manual", actor="t")
    finally:
        store.close()
    assert not (tmp_path / "argv.jsonl").exists()
