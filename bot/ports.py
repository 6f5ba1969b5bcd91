"""A free TCP port on 127.0.0.1 for a server that will bind it a little later.

A port the kernel hands out for ``bind(0)`` comes from the ephemeral range, which it
also uses for the source port of every outgoing connection. Between choosing the port
and a server binding it (a Rasa model loads for a minute first) a database or HTTP
connection can take it, and the server fails with "Address already in use". Ports
below the ephemeral range are never given out that way: only a program that binds
that very number can clash, and a random choice makes that unlikely.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

PORT_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 20000  # above the well-known and most registered service ports
TRIES = 200


def ephemeral_start() -> int:
    """Where the kernel's ephemeral range begins (32768 if it cannot be read)."""
    try:
        return int(PORT_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port below the ephemeral range that nothing holds now; bind(0) as a last resort."""
    top = ephemeral_start()
    if top - LOWEST > 100:
        for _ in range(TRIES):
            port = random.randrange(LOWEST, top)
            if _bindable(port):
                return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
