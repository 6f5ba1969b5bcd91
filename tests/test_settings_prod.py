"""Settings of the production stack: the tracker URL the console reads, the env file,
the nginx config (bot/settings.py, bot/prod)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from bot.prod.envfile import read_env_file
from bot.prod.nginx import render_config
from bot.prod.stack import PROD_ENV, settings_from, stack_env
from bot.settings import Settings


def test_tracker_url_of_the_embedded_default_is_the_sqlite_file():
    assert Settings(tracker_dialect="sqlite", tracker_db="var/t.db").tracker_url == (
        "sqlite:///var/t.db"
    )


def test_tracker_url_is_built_from_host_port_user_and_password():
    url = Settings(
        tracker_dialect="postgresql",
        tracker_host="db.internal",
        tracker_port=5433,
        tracker_user="rasa",
        tracker_password="p@ss:word/1",
        tracker_db="cpp_prod",
    ).tracker_url
    parsed = make_url(url)
    assert (parsed.drivername, parsed.host, parsed.port) == ("postgresql", "db.internal", 5433)
    assert (parsed.username, parsed.password, parsed.database) == (
        "rasa",
        "p@ss:word/1",
        "cpp_prod",
    )


def test_tracker_url_without_a_host_uses_the_local_socket():
    settings = Settings(
        tracker_dialect="postgresql", tracker_host="", tracker_user="", tracker_db="cpp_prod"
    )
    assert settings.tracker_url == "postgresql:///cpp_prod"


def test_prod_env_overrides_the_embedded_defaults_and_the_caller_overrides_both(monkeypatch):
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")  # what the Makefile exports
    monkeypatch.setenv("TRACKER_DB", "var/tracker.db")
    env = stack_env({"TRACKER_DB": "test_x"})
    settings = settings_from(env)
    assert settings.tracker_url == "postgresql://postgres@127.0.0.1:5432/test_x"
    assert settings.rasa_instances == 2 and settings.proxy_port == 8080
    assert env["RASA_TELEMETRY_ENABLED"] == "false"


def test_env_file_format(tmp_path):
    path = tmp_path / "x.env"
    path.write_text("# comment\n\nA=1\nB=\nC='quoted value'\nD=a=b\n")
    assert read_env_file(path) == {"A": "1", "B": "", "C": "quoted value", "D": "a=b"}
    path.write_text("not a setting\n")
    with pytest.raises(ValueError, match=r"x\.env:1"):
        read_env_file(path)


def test_prod_env_names_only_known_settings():
    # Read by other programs than ours: Sanic, the launcher, Rasa (its lock lifetime).
    others = {"sanic_host", "action_port", "tracker_dialect", "ticket_lock_lifetime"}
    known = set(Settings.__fields__) | others
    names = {name.lower() for name in read_env_file(PROD_ENV)}
    assert names <= known, names - known


def test_nginx_config_lists_every_instance_and_fills_every_placeholder(tmp_path):
    text = render_config(
        listen="127.0.0.1:8080", upstream_ports=[5005, 5006], workdir=tmp_path, log_dir=tmp_path
    )
    assert "server 127.0.0.1:5005 " in text and "server 127.0.0.1:5006 " in text
    assert "listen 127.0.0.1:8080;" in text
    assert "{{" not in text
