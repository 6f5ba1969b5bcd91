"""The demo page server answers every path, hostile ones included."""

from __future__ import annotations

import socket
import threading

import pytest

from bot.web_server import make_server


@pytest.fixture
def page_server():
    server = make_server("127.0.0.1", 0, "http://127.0.0.1:5005")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _status(port: int, path: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"GET " + path + b" HTTP/1.0\r\nHost: x\r\n\r\n")
        head = conn.recv(200)
    assert head, "the server hung up without an answer"
    return int(head.split()[1])


@pytest.mark.parametrize("path", [b"/%00", b"/widget/%00.js", b"/a%00b/../index.html"])
def test_a_nul_byte_in_the_path_gets_an_answer(page_server, path):
    assert _status(page_server, path) == 404


def test_the_page_and_a_missing_file(page_server):
    assert _status(page_server, b"/") == 200
    assert _status(page_server, b"/nope.js") == 404
