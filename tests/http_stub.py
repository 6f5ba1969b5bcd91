"""A tiny HTTP server on 127.0.0.1 that records what is POSTed to it.

It stands in for Rasa's HTTP API (the scheduler tests) and for a caregiver's device
behind Rasa's callback channel (the reminder server test).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class HttpStub:
    """What the stand-in for Rasa received; ``statuses`` are its next answers (else 200)."""

    url: str
    requests: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)


@contextmanager
def http_stub() -> Iterator[HttpStub]:
    """Start the stub on a free port; it stops when the block ends."""
    stub = HttpStub(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            stub.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = stub.statuses.pop(0) if stub.statuses else 200
            payload = json.dumps({"tracker": {}}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def wait_for_text(stub: HttpStub, words: str, since: int = 0, timeout: float = 30) -> str:
    """The texts POSTed after request number ``since``, once one contains ``words``."""
    deadline = time.monotonic() + timeout
    texts: list[str] = []
    while time.monotonic() < deadline:
        bodies = [r["body"] for r in list(stub.requests)[since:]]
        texts = [(json.loads(b or b"{}").get("text") or "") for b in bodies]
        if any(words in t for t in texts):
            return "\n".join(texts)
        time.sleep(0.2)
    raise AssertionError(f"{words!r} never arrived; got {texts!r}")
