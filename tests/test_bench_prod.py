"""`make bench` skips the production run with a reason instead of failing at its end."""

from __future__ import annotations

from bench import prod
from bot.prod import nginx


def test_a_machine_without_nginx_gets_a_reason(monkeypatch):
    def missing() -> str:
        raise RuntimeError("nginx is not installed")

    monkeypatch.setattr(nginx, "nginx_binary", missing)
    assert prod.unavailable_reason() == "nginx is not installed (make services installs it)"
