"""Size limits at the console's door: headers (count and bytes) and request bodies.

uvicorn passes on any number of headers of any size, and Starlette reads a form of any
size into memory, before a page decides anything. A staff member's browser sends a
dozen headers of a few hundred bytes and forms of a few kilobytes, so anything far
beyond that is refused here with a plain status: 431 for headers, 413 for a body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_HEADERS = 100
MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 64 * 1024  # a note or a form; exports are downloads, not uploads


class RequestTooLarge(Exception):
    """The body went past MAX_BODY_BYTES while it was being read."""


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestLimitsMiddleware:
    """431 for too many or too large headers; 413 for a body over the limit."""

    def __init__(
        self,
        app: ASGIApp,
        max_headers: int = MAX_HEADERS,
        max_header_bytes: int = MAX_HEADER_BYTES,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.max_headers = max_headers
        self.max_header_bytes = max_header_bytes
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        size = sum(len(k) + len(v) for k, v in headers)
        if len(headers) > self.max_headers or size > self.max_header_bytes:
            await _plain(send, 431, "Request headers too large.")
            return
        declared = dict(headers).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await _plain(send, 413, "Request too large.")
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise RequestTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except RequestTooLarge:
            if not started:
                await _plain(send, 413, "Request too large.")
