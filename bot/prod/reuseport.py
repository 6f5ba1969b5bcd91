"""Sanic workers that each accept on their own socket (SO_REUSEPORT), not one shared.

Sanic 21.12 (Rasa 3.6's) binds one listening socket and forks the workers onto it. On
Linux the worker that went back to waiting most recently is woken first for a new
connection, so the busy worker keeps winning: measured on this machine with two Rasa
workers, one worker ran every turn of a benchmark level (11 s of CPU) while the other
used none. With ``SO_REUSEPORT`` each worker listens on its own socket for the same
address and the kernel spreads new connections over them.

``install()`` changes two names in ``sanic.server.runners``, used only when Sanic runs
several workers (``serve_multiple``): the parent's socket is bound with SO_REUSEPORT but
never listens (it only reserves the address; the kernel sends connections to listening
sockets only), and each worker binds its own socket, on which Sanic listens once the
worker has loaded the model.
Re-check on any Sanic upgrade (tests/test_rasa_workers.py fails if one worker does all).
"""

from __future__ import annotations

import socket
from typing import Any

from sanic.server import runners

_original_serve = runners.serve


def _reuseport_socket(family: int, address: tuple) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def reserve_address(host: str, port: int, *, backlog: int = 100) -> socket.socket:
    """The parent's socket (``bind_socket`` in serve_multiple): bound, not listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return _reuseport_socket(family, (host, port))


def serve_on_own_socket(**settings: Any) -> Any:
    """A worker (``serve`` in serve_multiple): its own listening socket, same address."""
    reserved: socket.socket | None = settings.get("sock")
    if reserved is not None and settings.get("run_multiple"):
        # Not listening yet: Sanic listens once the worker's start-up listeners (the
        # model load) are done, so no connection waits on a worker that is not ready.
        own = _reuseport_socket(reserved.family, reserved.getsockname())
        reserved.close()  # this process's copy; the parent keeps the address reserved
        settings["sock"] = own
    return _original_serve(**settings)


def install() -> None:
    """Idempotent; before Sanic starts its workers."""
    runners.bind_socket = reserve_address
    runners.serve = serve_on_own_socket


def installed() -> bool:
    return runners.bind_socket is reserve_address and runners.serve is serve_on_own_socket
