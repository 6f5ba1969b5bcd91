"""`python -m bot console`: serve the staff console with uvicorn."""

from __future__ import annotations

import click

from bot.settings import get_settings


@click.command()
@click.option("--host", help="Interface to bind (default: $CONSOLE_HOST).")
@click.option("--port", type=int, help="Port (default: $CONSOLE_PORT).")
def console(host: str | None, port: int | None) -> None:
    """Serve the staff console (http://localhost:8001/); sign in with a `staff add` account."""
    import uvicorn

    from bot.console.app import create_app

    settings = get_settings()
    host, port = host or settings.console_host, port or settings.console_port
    click.echo(f"staff console on http://{'localhost' if host == '127.0.0.1' else host}:{port}/")
    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        # Behind a proxy, X-Forwarded-* are believed only when CONSOLE_TRUST_PROXY says so.
        proxy_headers=settings.console_trust_proxy,
        forwarded_allow_ips="127.0.0.1" if settings.console_trust_proxy else None,
        # No access log: a search's words sit in the query string. The audit log says who
        # looked at what, with search terms left out.
        access_log=False,
        server_header=False,
        # No websockets here; and Rasa pins a websockets too old for uvicorn's "auto".
        ws="none",
    )
