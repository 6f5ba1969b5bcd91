"""`rasa run` with the HTTP API's JWT secret, kept out of the process list.

Rasa takes the secret only as ``--jwt-secret`` on its command line, where any user
of the host can read it (``ps``). This wrapper reads it from the environment or the
secret file (bot.api_auth) and hands it to Rasa's own command-line entry point in
this process, so the visible command is ``python -m bot.prod.rasa_run ...`` alone.
It also installs the project's speed fixes to Rasa (bot.rasa_patches), so every Rasa
server of the project (Procfile, production stack, tests, benchmark) has them, and sets
the number of Sanic worker processes (``worker_environment``) and of each one's compute
threads (``thread_environment``).

Usage: ``python -m bot.prod.rasa_run <the arguments of rasa run>``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from bot.api_auth import ALGORITHM, jwt_secret
from bot.settings import get_settings


def rasa_argv(args: list[str], secret: str) -> list[str]:
    """Rasa's argv: ``rasa run <args> --jwt-secret <secret> --jwt-method HS256``."""
    return ["rasa", "run", *args, "--jwt-secret", secret, "--jwt-method", ALGORITHM]


def worker_environment(env: Mapping[str, str], rasa_workers: int) -> dict[str, str]:
    """``SANIC_WORKERS`` as Rasa reads it: ``rasa_workers`` processes.

    A value already set wins (the production stack sets 1: there, instances are the
    unit). Rasa allows more than one worker only with a shared lock store (endpoints.yml
    has one); the workers then accept on their own sockets (bot.prod.reuseport).
    """
    return {"SANIC_WORKERS": env.get("SANIC_WORKERS") or str(max(1, rasa_workers))}


def thread_environment(env: Mapping[str, str], encoder_threads: int) -> dict[str, str]:
    """One thread per worker for OpenMP (the sentence encoder, scikit-learn) and BLAS.

    A worker per core already uses every core; the libraries' own pools would spin on
    the same cores between small products (measured: a turn took 4x the CPU at 16
    conversations). Set before anything loads them; a value already set wins.
    """
    return {
        "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS") or str(max(1, encoder_threads)),
        "OPENBLAS_NUM_THREADS": env.get("OPENBLAS_NUM_THREADS") or "1",
    }


def limits_environment(max_request_bytes: int) -> dict[str, str]:
    """Sanic's largest request body (Rasa leaves its default, 100 MB)."""
    return {"SANIC_REQUEST_MAX_SIZE": str(max(1024, max_request_bytes))}


def main() -> None:
    settings = get_settings()
    os.environ.update(thread_environment(os.environ, settings.encoder_threads))
    os.environ.update(limits_environment(settings.rasa_max_request_bytes))
    from bot import rasa_api_errors, rasa_context, rasa_patches

    rasa_patches.install()  # before Rasa builds its actions
    rasa_context.install()  # the question on screen, for the safety layer
    rasa_api_errors.install()  # before Rasa builds its app
    os.environ.update(worker_environment(os.environ, settings.rasa_workers))
    if int(os.environ["SANIC_WORKERS"]) > 1:
        from bot.prod import reuseport

        reuseport.install()  # one accept queue per worker (see its docstring)
    sys.argv = rasa_argv(sys.argv[1:], jwt_secret())
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
