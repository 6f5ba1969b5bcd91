"""Rasa's HTTP API takes only JWTs signed with the project's secret (bot.api_auth).

The token pieces alone, then the real Rasa server (tests/servers.py starts it with
``--jwt-secret``, as `make run` and the production stack do).
"""

from __future__ import annotations

import stat
import threading

import httpx
import jwt
import pytest

from bot.api_auth import ADMIN_USER, ALGORITHM, _read_or_create, admin_token, jwt_secret
from bot.prod.rasa_run import rasa_argv
from bot.settings import Settings

# --- Tokens and the secret, no server ------------------------------------------------


def test_admin_token_is_a_short_lived_admin_jwt():
    token = admin_token("s" * 64, seconds=60)
    payload = jwt.decode(token, "s" * 64, algorithms=[ALGORITHM])
    assert payload["user"] == ADMIN_USER == {"username": "cpp-internal", "role": "admin"}
    assert payload["exp"] - payload["iat"] == 60


def test_the_secret_comes_from_the_setting_else_one_file_made_once(tmp_path):
    path = tmp_path / "var" / "rasa-jwt.secret"
    assert jwt_secret(Settings(rasa_jwt_secret="from-env", rasa_jwt_secret_file=path)) == (
        "from-env"
    )
    assert not path.exists()
    made = jwt_secret(Settings(rasa_jwt_secret="", rasa_jwt_secret_file=path))
    assert len(made) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert jwt_secret(Settings(rasa_jwt_secret="", rasa_jwt_secret_file=path)) == made


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    path = tmp_path / "rasa-jwt.secret"
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(_read_or_create(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8 and len(set(got)) == 1


def test_rasa_run_gets_the_secret_as_its_own_arguments():
    assert rasa_argv(["--enable-api", "--port", "5005"], "xyz") == [
        "rasa",
        "run",
        "--enable-api",
        "--port",
        "5005",
        "--jwt-secret",
        "xyz",
        "--jwt-method",
        "HS256",
    ]


# --- The real Rasa server --------------------------------------------------------------

API_ROUTES = [
    ("GET", "/status"),
    ("GET", "/conversations/api-auth-test/tracker"),
    ("GET", "/domain"),
    ("POST", "/model/parse"),
    ("POST", "/conversations/api-auth-test/trigger_intent"),
]


def _call(servers, method: str, path: str, headers: dict | None = None) -> httpx.Response:
    body = {"text": "what is cpp"} if path.endswith("parse") else {"name": "greet"}
    return httpx.request(
        method,
        f"{servers.rasa_url}{path}",
        json=body if method == "POST" else None,
        headers={"Accept": "application/json", **(headers or {})},
        timeout=60,
    )


@pytest.mark.server
@pytest.mark.parametrize(("method", "path"), API_ROUTES)
def test_the_api_refuses_a_call_without_a_valid_token(servers, method, path):
    assert _call(servers, method, path).status_code == 401
    wrong = {"Authorization": f"Bearer {admin_token('not-the-secret-' * 4)}"}
    assert _call(servers, method, path, wrong).status_code == 401
    expired = {"Authorization": f"Bearer {admin_token(seconds=-3600)}"}
    assert _call(servers, method, path, expired).status_code == 401


def _foreign_tokens() -> list[str]:
    """Tokens a prober sends: no algorithm, another HMAC, an RSA header, junk."""
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    payload = {"user": ADMIN_USER, "exp": 4102444800}
    return [
        f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}.",
        jwt.encode(payload, jwt_secret(), algorithm="HS512"),
        f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl",
        "not.a.token",
        "a" * 5000,
    ]


@pytest.mark.server
def test_a_malformed_or_foreign_token_gets_401_not_500(servers):
    for token in _foreign_tokens():
        got = _call(servers, "GET", "/status", {"Authorization": f"Bearer {token}"})
        assert got.status_code == 401, (token[:40], got.status_code, got.text[:200])
        assert "Traceback" not in got.text


def test_rasa_run_installs_the_token_error_handler():
    from bot import rasa_api_errors

    rasa_api_errors.install()
    assert rasa_api_errors.installed()


@pytest.mark.server
@pytest.mark.parametrize(("method", "path"), API_ROUTES[:4])
def test_the_api_accepts_the_projects_admin_token(servers, method, path):
    got = _call(servers, method, path, servers.api_headers())
    assert got.status_code == 200, got.text


@pytest.mark.server
def test_a_user_token_reaches_only_its_own_conversation(servers):
    def user_token(name: str) -> dict[str, str]:
        token = jwt.encode({"user": {"username": name, "role": "user"}}, jwt_secret(), ALGORITHM)
        return {"Authorization": f"Bearer {token}"}

    path = "/conversations/api-auth-test/tracker"
    assert _call(servers, "GET", path, user_token("api-auth-test")).status_code == 200
    assert _call(servers, "GET", path, user_token("someone-else")).status_code == 403


@pytest.mark.server
def test_channel_webhooks_need_no_token(servers):
    assert servers.say("api-auth-webhook", "what is cpp").status_code == 200
    assert httpx.get(f"{servers.rasa_url}/", timeout=10).status_code == 200  # health


@pytest.mark.server
async def test_the_reminder_scheduler_signs_its_calls(servers):
    from types import SimpleNamespace

    from bot.reminders.scheduler import RasaTrigger

    # An output channel no input channel has: Rasa collects the replies, sends nothing.
    reminder = SimpleNamespace(conversation_id="api-auth-trigger", channel="nowhere")
    async with RasaTrigger(servers.rasa_url, attempts=1) as trigger:
        await trigger(reminder)  # raises HTTPStatusError on 401/403
