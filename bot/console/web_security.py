"""HTTP-level protections of the staff console: headers, cookies, CSRF, client address.

Kept apart from the pages so each rule is written once: every response gets the same
strict headers, every cookie the same flags, every changing form the same CSRF check.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.settings import get_settings

SESSION_COOKIE = "cpp_console"
LOGIN_CSRF_COOKIE = "cpp_login_csrf"
CSRF_FIELD = "csrf_token"

# No inline script or style anywhere: injected markup could neither run nor restyle the page.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Pages show conversations: never keep them in a shared browser's cache.
    "Cache-Control": "no-store",
}


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() != "cache-control"
                ]
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def is_https(request: Request) -> bool:
    """The scheme the browser used; X-Forwarded-Proto counts only behind a trusted proxy."""
    if get_settings().console_trust_proxy:
        forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        if forwarded:
            return forwarded == "https"
    return request.url.scheme == "https"


def secure_cookies(request: Request) -> bool:
    """Whether cookies get the Secure flag (CONSOLE_SECURE_COOKIE: auto, true or false)."""
    mode = get_settings().console_secure_cookie.strip().lower()
    if mode == "true":
        return True
    if mode == "false":
        return False
    return is_https(request)


def client_address(request: Request) -> str:
    """The address login attempts are counted by (X-Forwarded-For only behind a trusted proxy)."""
    if get_settings().console_trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded[:64]
    return (request.client.host if request.client else "unknown")[:64]


def set_cookie(
    request: Request, response: Response, name: str, value: str, path: str = "/"
) -> None:
    """A cookie scripts cannot read and other sites cannot make the browser send."""
    response.set_cookie(
        name,
        value,
        path=path,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
    )


def clear_cookie(request: Request, response: Response, name: str, path: str = "/") -> None:
    response.delete_cookie(
        name, path=path, httponly=True, samesite="strict", secure=secure_cookies(request)
    )


def new_login_csrf() -> str:
    """The double-submit token of the login form (there is no session yet to hold one)."""
    return secrets.token_urlsafe(32)


def login_csrf_ok(request: Request, submitted: str | None) -> bool:
    """The login form's hidden token must equal its cookie (a cross-site form can't read it)."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted or "")


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to after a form; anything else (another site) is ignored."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
