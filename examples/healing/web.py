"""A tiny web service for the self-healing example: python3 web.py start | stop | serve.

``start`` runs the service in the background (its pid in web.pid) and returns; ``stop`` kills
it. The port is 8765, or WEB_PORT.
"""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PID_FILE = HERE / "web.pid"
PORT = int(os.environ.get("WEB_PORT", "8765"))


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *_args: object) -> None:
        pass


def main(command: str, *rest: str) -> int:
    if command == "serve":
        http.server.HTTPServer(("127.0.0.1", PORT), Health).serve_forever()
    elif command == "start":
        child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "serve"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        PID_FILE.write_text(str(child.pid))
        print(f"web started on 127.0.0.1:{PORT} (pid {child.pid})", *rest)
    elif command == "stop":
        if PID_FILE.exists():
            try:
                os.kill(int(PID_FILE.read_text()), signal.SIGTERM)
            except ProcessLookupError:
                pass
            PID_FILE.unlink()
        print("web stopped")
    else:
        print("usage: python3 web.py start | stop | serve", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*(sys.argv[1:] or ["help"])))
