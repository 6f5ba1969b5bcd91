"""The staff console: a server-rendered Starlette app (no JavaScript) over Rasa's tracker
store and the project's tables.

``create_app()`` wires the routes (routes_*.py), the strict headers (web_security.py)
and the error pages; every page reads through the console's repositories with the
database URLs given here, so tests point it at their own databases.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.console import routes_admin, routes_auth, routes_conversations, routes_work
from bot.console.pages import (
    STATIC_DIR,
    ConsoleConfig,
    Forbidden,
    NotFound,
    NotSignedIn,
    make_templates,
    render,
)
from bot.console.request_limits import RequestLimitsMiddleware
from bot.console.web_security import SESSION_COOKIE, SecurityHeadersMiddleware, clear_cookie
from bot.settings import get_settings

logger = logging.getLogger("bot.console")


def _clinic() -> tuple[str, ZoneInfo]:
    """The clinic's name for the header and its time zone for every time shown."""
    from bot.clinic import ClinicProfileError, get_profile

    try:
        profile = get_profile()
    except ClinicProfileError:
        logger.warning("console: clinic profile unreadable; showing a generic name and UTC")
        return "Clinic", ZoneInfo("UTC")
    return profile.name, profile.tz


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotSignedIn)
    target = "/login?expired=1" if exc.expired else "/login"
    if request.method == "GET" and request.url.path != "/":
        separator = "&" if "?" in target else "?"
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += f"{separator}next={quote(path, safe='')}"
    response = RedirectResponse(target, status_code=303)
    if exc.expired:
        clear_cookie(request, response, SESSION_COOKIE)
    return response


async def _forbidden(request: Request, exc: Exception) -> Response:
    reason = exc.reason if isinstance(exc, Forbidden) else "Not allowed."
    return render(request, "error.html", {"title": "Not allowed", "message": reason}, 403)


async def _not_found(request: Request, exc: Exception) -> Response:
    message = "There is nothing at this address. The conversation may have been purged."
    return render(request, "error.html", {"title": "Not found", "message": message}, 404)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return await _not_found(request, exc)
    title = "Method not allowed" if exc.status_code == 405 else "Something went wrong"
    return render(request, "error.html", {"title": title, "message": title + "."}, exc.status_code)


def create_app(
    url: str | None = None, tracker_url: str | None = None, idle_minutes: float | None = None
) -> Starlette:
    """The console app. ``url``/``tracker_url`` default to DATABASE_URL and the tracker
    store; ``idle_minutes`` (fractions allowed, for tests) overrides CONSOLE_IDLE_MINUTES."""
    settings = get_settings()
    name, tz = _clinic()
    minutes = settings.console_idle_minutes if idle_minutes is None else idle_minutes
    app = Starlette(
        routes=[
            *routes_auth.routes,
            *routes_work.routes,
            *routes_conversations.routes,
            *routes_admin.routes,
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        # Outermost first: the security headers go on every answer, limits' included.
        middleware=[Middleware(SecurityHeadersMiddleware), Middleware(RequestLimitsMiddleware)],
        exception_handlers={
            NotSignedIn: _not_signed_in,
            Forbidden: _forbidden,
            NotFound: _not_found,
            HTTPException: _http_error,
        },
    )
    app.state.console = ConsoleConfig(
        url=url,
        tracker_url=tracker_url,
        idle=timedelta(minutes=minutes),
        idle_override=idle_minutes is not None,
        clinic_name=name,
        tz=tz,
    )
    app.state.templates = make_templates(tz)
    return app
