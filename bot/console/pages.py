"""What every console page shares: who is signed in, rendering, audit, CSRF checks.

Route modules call these helpers so the rules (sign-in required, admins only, one
audit row per view, CSRF on every change) live in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from bot.console import audit, sessions
from bot.console.web_security import CSRF_FIELD, SESSION_COOKIE

logger = logging.getLogger("bot.console")

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


@dataclass(frozen=True)
class ConsoleConfig:
    """Where the app reads from, fixed when the app is created (tests pass their own)."""

    url: str | None
    tracker_url: str | None
    idle: timedelta
    idle_override: bool  # create_app(idle_minutes=...) rather than CONSOLE_IDLE_MINUTES
    clinic_name: str
    tz: ZoneInfo


class NotSignedIn(Exception):
    """No valid session: the handler sends the browser to the sign-in page."""

    def __init__(self, expired: bool) -> None:
        super().__init__("not signed in")
        self.expired = expired


class Forbidden(Exception):
    """Signed in, but this page or action is not for this role (or the CSRF token is wrong)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotFound(Exception):
    """An unknown conversation, flag or handoff."""


# What a form did, shown after its redirect (?done=KEY); never text from the request.
DONE_MESSAGES = {
    "reviewed": "Marked as reviewed.",
    "tag": "Tag added.",
    "note": "Note added.",
    "acknowledged": "Safety flag acknowledged.",
    "resolved": "Safety flag resolved.",
    "handoff": "Handoff request resolved.",
}


# The highest page number a list accepts: far past any real list, small enough that
# (page - 1) * per_page always fits the database's integers.
MAX_PAGE = 100_000


def page_number(request: Request) -> int:
    """``?page=`` as a page number from 1 to MAX_PAGE; anything else is page 1."""
    try:
        page = int(request.query_params.get("page", "1"))
    except ValueError:
        return 1
    return min(max(1, page), MAX_PAGE)


def config(request: Request) -> ConsoleConfig:
    return request.app.state.console


_NOT_LOADED = object()


def load_session(request: Request) -> sessions.SessionInfo | None:
    """The session of this browser, or None (no cookie, ended, idle too long, disabled).

    Looked up once per request and kept on the request itself, so it goes with it (a
    cache keyed on requests kept every request ever made, signed in or not).
    """
    loaded = getattr(request.state, "console_session", _NOT_LOADED)
    if loaded is not _NOT_LOADED:
        return loaded
    token = request.cookies.get(SESSION_COOKIE)
    session = None
    if token:
        cfg = config(request)
        idle = cfg.idle if cfg.idle_override else None
        session = sessions.load_session(token, url=cfg.url, idle=idle)
    request.state.console_session = session
    return session


def require_staff(request: Request) -> sessions.SessionInfo:
    """The signed-in staff member; otherwise NotSignedIn (handled as a redirect to /login)."""
    session = load_session(request)
    if session is None:
        raise NotSignedIn(expired=SESSION_COOKIE in request.cookies)
    request.state.session = session
    return session


def require_admin(request: Request) -> sessions.SessionInfo:
    session = require_staff(request)
    if session.staff.role != "admin":
        logger.info("console: %s refused admin page %s", session.staff.username, request.url.path)
        raise Forbidden("This page is for administrators.")
    return session


def check_csrf(session: sessions.SessionInfo, form: Any) -> None:
    """Every changing form carries the session's CSRF token; anything else is refused."""
    submitted = form.get(CSRF_FIELD)
    if not isinstance(submitted, str) or not sessions.csrf_ok(session, submitted):
        raise Forbidden("The form expired or did not come from this console. Please try again.")


FormHandler = Callable[[Request, sessions.SessionInfo, Any], Response]


def form_action(handler: FormHandler, *, admin: bool = False) -> Callable:
    """A POST endpoint that changes something: signed in (as an admin when asked), a
    valid CSRF token, then ``handler(request, session, form)`` off the event loop.

    Every changing route goes through here, so none can forget the CSRF check.
    """

    def _checked(request: Request, form: Any) -> Response:
        session = require_admin(request) if admin else require_staff(request)
        check_csrf(session, form)
        return handler(request, session, form)

    async def endpoint(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(_checked, request, form)

    return endpoint


def record(
    request: Request,
    session: sessions.SessionInfo,
    action: str,
    *,
    conversation_id: str | None = None,
    target: str | None = None,
    detail: dict | None = None,
) -> None:
    """One audit row for what this staff member just saw or did."""
    audit.record(
        session.staff.username,
        action,
        staff_id=session.staff.id,
        conversation_id=conversation_id,
        target=target,
        detail=detail,
        url=config(request).url,
    )


# --- Rendering -------------------------------------------------------------------------


def _local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M", tz: ZoneInfo | None = None):
    if value is None:
        return ""
    return value.astimezone(tz).strftime(fmt) if tz else value.strftime(fmt)


def highlight(text: str | None, evidence: list[str] | tuple[str, ...] = ()) -> Markup:
    """The text escaped, with each safety evidence phrase wrapped in <mark>."""
    text = text or ""
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for phrase in sorted({e.strip() for e in evidence if e and e.strip()}, key=len, reverse=True):
        start = lowered.find(phrase.lower())
        while start != -1:
            end = start + len(phrase)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = lowered.find(phrase.lower(), end)
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def detail_items(detail: dict[str, Any] | None) -> list[str]:
    """An audit entry's detail as short "key: value" strings, empty values left out."""
    items = []
    for key, value in (detail or {}).items():
        if isinstance(value, dict):
            inner = [
                k if v is True else f"{k}={v}"
                for k, v in value.items()
                if v not in (None, False, "")
            ]
            if inner:
                items.append(f"{key}: {', '.join(inner)}")
        elif value not in (None, "", {}, []):
            items.append(f"{key}: {value}")
    return items


def make_templates(tz: ZoneInfo) -> Jinja2Templates:
    """Jinja2 with autoescaping on: everything a caregiver typed is shown as text."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = lambda value, fmt="%Y-%m-%d %H:%M": _local_time(value, fmt, tz)
    env.filters["highlight"] = highlight
    env.filters["detail_items"] = detail_items
    env.filters["percent"] = lambda value: "" if value is None else f"{value * 100:.0f}%"
    env.filters["label"] = lambda value: str(value or "").replace("_", " ")
    return Jinja2Templates(env=env)


def query_url(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """A page with the shared layout context: clinic name, staff member, CSRF token, nav."""
    cfg = config(request)
    session = getattr(request.state, "session", None)
    base = {
        "clinic_name": cfg.clinic_name,
        "staff": session.staff if session else None,
        "csrf_token": session.csrf_token if session else "",
        "csrf_field": CSRF_FIELD,
        "path": request.url.path,
        "query_url": lambda **changes: query_url(request, **changes),
    }
    base.update(context or {})
    return request.app.state.templates.TemplateResponse(
        request, name, base, status_code=status_code
    )
