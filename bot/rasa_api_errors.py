"""Rasa's HTTP API answers a malformed or foreign token with 401, not a 500.

Rasa 3.6 checks JWTs with sanic-jwt, which turns an expired or badly signed token into
401 but lets PyJWT's other refusals through: a token whose header names another
algorithm (``alg=none``, HS512, RS256) raised ``InvalidAlgorithmError`` and the API
answered 500 with a traceback. ``install()`` (called by ``bot.prod.rasa_run``, before
Rasa builds its app) adds one handler for every PyJWT error to the app Rasa creates.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import jwt
from rasa import server
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

_original_create_app = server.create_app


async def _refused(request: Request, exception: Exception) -> HTTPResponse:
    """The body of Rasa's own 401 (``ErrorResponse``), without the token's details."""
    import rasa

    body = {
        "version": rasa.__version__,
        "status": "failure",
        "message": "User is not authenticated.",
        "reason": "NotAuthenticated",
        "details": {},
        "help": None,
        "code": HTTPStatus.UNAUTHORIZED,
    }
    return json(body, status=HTTPStatus.UNAUTHORIZED)


def _create_app(*args: Any, **kwargs: Any) -> Sanic:
    app = _original_create_app(*args, **kwargs)
    app.error_handler.add(jwt.exceptions.PyJWTError, _refused)
    return app


def install() -> None:
    """Idempotent."""
    server.create_app = _create_app


def installed() -> bool:
    return server.create_app is _create_app
