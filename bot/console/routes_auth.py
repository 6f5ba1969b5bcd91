"""Signing in and out: the login form (double-submit CSRF), lockout, session cookie."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console import accounts, audit, sessions
from bot.console.pages import Forbidden, config, load_session, render
from bot.console.web_security import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    client_address,
    login_csrf_ok,
    new_login_csrf,
    safe_next,
    set_cookie,
)
from bot.settings import get_settings

logger = logging.getLogger("bot.console")


def _login_page(
    request: Request, *, error: str | None = None, username: str = "", status_code: int = 200
) -> Response:
    """The form with a fresh double-submit token in a hidden field and in a cookie."""
    token = new_login_csrf()
    idle = config(request).idle
    minutes = max(1, round(idle.total_seconds() / 60))
    notice = None
    if request.query_params.get("expired"):
        notice = f"You were signed out after {minutes} idle minutes. Please sign in again."
    elif request.query_params.get("bye"):
        notice = "You are signed out."
    response = render(
        request,
        "login.html",
        {
            "login_csrf": token,
            "error": error,
            "notice": notice,
            "username": username,
            "next": safe_next(request.query_params.get("next"), ""),
        },
        status_code=status_code,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, path="/login")
    return response


def login_form(request: Request) -> Response:
    if load_session(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


def _attempt(request: Request, username: str, password: str) -> accounts.LoginResult:
    return accounts.authenticate(
        username, password, client_address(request), url=config(request).url
    )


async def login(request: Request) -> Response:
    form = await request.form()
    if not login_csrf_ok(request, form.get(CSRF_FIELD)):  # type: ignore[arg-type]
        raise Forbidden("The sign-in form expired. Please reload the page and try again.")
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")
    return await run_in_threadpool(_login, request, username, password, form.get("next"))


def _login(request: Request, username: str, password: str, target: object) -> Response:
    cfg = config(request)
    result = _attempt(request, username, password)
    if result.staff is None:
        audit.record(
            result.account or "(not an account)",  # never what was typed: maybe a password
            "login_failed",
            detail={"locked": bool(result.locked)},
            url=cfg.url,
        )
        if result.locked:
            minutes = get_settings().console_login_window_minutes
            error = (
                "Too many failed sign-ins. This account or address is locked for "
                f"{minutes} minutes; ask an administrator if you need help sooner."
            )
            return _login_page(request, error=error, username=username, status_code=429)
        return _login_page(
            request,
            error="That username and password do not match an active account.",
            username=username,
            status_code=401,
        )
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        sessions.end_session(old, url=cfg.url)  # never reuse a token from before sign-in
    token, _csrf = sessions.start_session(result.staff.id, url=cfg.url)
    audit.record(result.staff.username, "login", staff_id=result.staff.id, url=cfg.url)
    response = RedirectResponse(safe_next(target if isinstance(target, str) else None), 303)
    set_cookie(request, response, SESSION_COOKIE, token)
    clear_cookie(request, response, LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_logout, request, form.get(CSRF_FIELD))


def _logout(request: Request, submitted: object) -> Response:
    cfg = config(request)
    session = load_session(request)
    if session is not None:
        if not isinstance(submitted, str) or not sessions.csrf_ok(session, submitted):
            raise Forbidden("The form expired or did not come from this console.")
        sessions.end_session(request.cookies[SESSION_COOKIE], url=cfg.url)
        audit.record(session.staff.username, "logout", staff_id=session.staff.id, url=cfg.url)
        logger.info("console: %s signed out", session.staff.username)
    response = RedirectResponse("/login?bye=1", status_code=303)
    clear_cookie(request, response, SESSION_COOKIE)
    return response


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
