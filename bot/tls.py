"""One TLS context per process for outgoing HTTPS (Twilio's API, staff alert webhooks).

Each new httpx client loads the CA bundle again, about 50 ms of CPU; an SMS reply is
sent with a client of its own, so the clients share this context instead.
"""

from __future__ import annotations

import ssl
from functools import lru_cache

import httpx


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """httpx's default verifying context (certifi's CA bundle), made once."""
    return httpx.create_ssl_context()
