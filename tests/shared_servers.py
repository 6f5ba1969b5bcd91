"""One real Rasa server and action server shared by the integration tests.

Starting a Rasa server loads the trained model (about a minute on two cores), so the
tests whose setup allows it speak to one pair started once per session
(``shared_servers`` in tests/conftest.py): it has every channel they use (REST,
socket.io, SMS, Rasa's callback channel), one seeded SQLite project database, a
callback inbox and a fake Twilio. Tests that need a server of their own (no action
server, a tracker store holding only their conversations) still use ``run_servers``.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml

from tests.http_stub import HttpStub, http_stub
from tests.servers import ROOT, Servers, run_servers
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, fake_twilio

# Twilio calls this URL; the webhook signatures are computed over it.
SMS_PUBLIC_URL = "https://bot.example.org/webhooks/sms/webhook"
# The socket.io origins the web channel tests connect from.
WEB_ORIGINS = ("http://clinic.test", "http://other.test")
WEB_MAX_MESSAGE_BYTES = 2000


@dataclass
class SharedServers:
    servers: Servers
    db: str  # the project database the action server and the channels write
    env: dict[str, str]  # what the servers run with (a test may need it in this process)
    inbox: HttpStub  # the caregiver's device behind Rasa's callback channel
    twilio: FakeTwilio  # Twilio's Messages API
    page_origin: str  # where the browser test serves the clinic page (an allowed origin)


def listen_port() -> int:
    """A free port below the kernel's ephemeral range: no client socket or port-0 bind
    takes it before the browser test's page server listens on it, minutes later."""
    ranges = Path("/proc/sys/net/ipv4/ip_local_port_range")
    low = int(ranges.read_text().split()[0]) if ranges.exists() else 32768
    for port in random.sample(range(20000, max(low, 20100)), 100):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


@contextmanager
def run_shared_servers(workdir: Path) -> Iterator[SharedServers]:
    from bot.booking.seed import seed_demo
    from bot.db.migrate import upgrade
    from bot.db.models import utcnow

    workdir.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{workdir / 'app.db'}"
    upgrade(db)
    # Open times for the booking tests; twelve weeks, so the conversation sets played one
    # after another on these servers (about 200 bookings) never run out of them.
    seed_demo(utcnow() - timedelta(hours=1), weeks=12, url=db)
    page_origin = f"http://127.0.0.1:{listen_port()}"
    with http_stub() as inbox, fake_twilio() as twilio:
        credentials = yaml.safe_load((ROOT / "credentials.yml").read_text()) or {}
        credentials["callback"] = {"url": f"{inbox.url}/bot"}
        (workdir / "credentials.yml").write_text(yaml.safe_dump(credentials))
        env = {
            "DATABASE_URL": db,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE_URL": twilio.url,
            "SMS_PUBLIC_URL": SMS_PUBLIC_URL,
            "WEB_ALLOWED_ORIGINS": ",".join((*WEB_ORIGINS, page_origin)),
            "WEB_MAX_MESSAGE_BYTES": str(WEB_MAX_MESSAGE_BYTES),
        }
        with run_servers(workdir, env=env, credentials=workdir / "credentials.yml") as running:
            yield SharedServers(running, db, env, inbox, twilio, page_origin)
