"""`python -m bot web`: serve the demo clinic page and the chat widget from web/.

A tiny stdlib server is enough for a static page and keeps the demo free of a web
framework; a clinic's real site serves web/widget/ and web/vendor/ its own way.
The page learns where the Rasa socket is from a ``<meta>`` tag filled in here, so
the same files work for any Rasa host and port.
"""

from __future__ import annotations

import html
import logging
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from bot.settings import get_settings

logger = logging.getLogger(__name__)

WEB_ROOT = Path(__file__).resolve().parents[1] / "web"
SOCKET_META = '<meta name="cpp-chat-socket-url" content="">'


def content_security_policy(socket_url: str) -> str:
    """Scripts and styles only from this server; the socket only to Rasa.

    Even if bot text ever slipped past the widget's escaping, an injected inline
    script would not run.
    """
    parts = urlsplit(socket_url)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    socket_origins = f"{parts.scheme}://{parts.netloc} {ws_scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {socket_origins}; frame-ancestors 'self'; base-uri 'none'; "
        "form-action 'none'; object-src 'none'"
    )


class PageHandler(SimpleHTTPRequestHandler):
    """Static files from web/, the socket URL put into the page, no directory listings."""

    socket_url = ""

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", content_security_policy(self.socket_url))
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send_page()
        elif "\x00" in unquote(path):  # the file system refuses it: answer, don't hang up
            self.send_error(404, "Not found")
        else:
            super().do_GET()

    def _send_page(self) -> None:
        page = (Path(self.directory) / "index.html").read_text(encoding="utf-8")
        meta = f'<meta name="cpp-chat-socket-url" content="{html.escape(self.socket_url)}">'
        body = page.replace(SOCKET_META, meta).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        self.send_error(404, "Not found")
        return None

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("web: " + format, *args)


def make_server(
    host: str, port: int, socket_url: str, root: Path = WEB_ROOT
) -> ThreadingHTTPServer:
    """The page server, bound but not yet serving (tests run it in a thread)."""
    handler = type("BoundPageHandler", (PageHandler,), {"socket_url": socket_url})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(root)))


@click.command()
@click.option("--host", help="Interface to bind (default: $WEB_HOST).")
@click.option("--port", type=int, help="Port (default: $WEB_PORT).")
@click.option(
    "--socket-url",
    help="Where browsers reach Rasa's socket.io (default: $WEB_SOCKET_URL, else http://$RASA_HOST:$RASA_PORT).",
)
def web(host: str | None, port: int | None, socket_url: str | None) -> None:
    """Serve the demo clinic page with the chat widget (http://localhost:8000/)."""
    settings = get_settings()
    host, port = host or settings.web_host, port or settings.web_port
    server = make_server(host, port, socket_url or settings.web_socket_url or settings.rasa_url)
    click.echo(f"clinic page on http://{'localhost' if host == '127.0.0.1' else host}:{port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
