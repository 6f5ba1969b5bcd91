"""A stand-in for Twilio: its Messages API on 127.0.0.1, and signed webhook requests.

The fake API records each POST (path, Basic auth, form fields) and answers 201 with a
message sid, or what a test queued in ``answers`` (status, JSON body, delay in seconds).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


@dataclass
class Answer:
    status: int = 201
    body: dict | None = None
    delay: float = 0.0


@dataclass
class FakeTwilio:
    url: str
    sent: list[dict] = field(default_factory=list)  # {"path", "auth", "form", "at"}
    answers: list[Answer] = field(default_factory=list)

    def bodies(self) -> list[str]:
        return [r["form"]["Body"] for r in self.sent]

    def wait_for(self, count: int, timeout: float = 30) -> list[dict]:
        """The first ``count`` requests, once they have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.sent) >= count, f"expected {count} sends, got {self.bodies()!r}"
        return self.sent[:count]


@contextmanager
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            auth = self.headers.get("Authorization", "")
            user_pass = base64.b64decode(auth.split(" ", 1)[1]).decode() if " " in auth else ""
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            with lock:
                answer = fake.answers.pop(0) if fake.answers else Answer()
                number = len(fake.sent) + 1
                fake.sent.append(
                    {"path": self.path, "auth": user_pass, "form": form, "at": time.monotonic()}
                )
            time.sleep(answer.delay)
            body = answer.body or {"sid": f"SM{number:032d}", "status": "queued"}
            payload = json.dumps(body).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (a timeout test)
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def inbound(
    body: str, sid: str, number: str = "+13125550199", to: str = "+15550104478", media: int = 0
) -> dict[str, str]:
    """The form fields Twilio posts for an incoming SMS."""
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": str(media),
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": number,
        "ApiVersion": "2010-04-01",
    }


def signed(url: str, fields: dict[str, str], token: str = AUTH_TOKEN) -> tuple[str, dict]:
    """The url-encoded body and headers Twilio would send (X-Twilio-Signature over ``url``)."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": RequestValidator(token).compute_signature(url, fields),
    }
    return urlencode(fields), headers
