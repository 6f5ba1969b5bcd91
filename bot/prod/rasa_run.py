"""`rasa run` with the HTTP API's JWT secret, kept out of the process list.

Rasa takes the secret only as ``--jwt-secret`` on its command line, where any user
of the host can read it (``ps``). This wrapper reads it from the environment or the
secret file (bot.api_auth) and hands it to Rasa's own command-line entry point in
this process, so the visible command is ``python -m bot.prod.rasa_run ...`` alone.
It also installs the project's speed fixes to Rasa (bot.rasa_patches), so every Rasa
server of the project (Procfile, production stack, tests, benchmark) has them.

Usage: ``python -m bot.prod.rasa_run <the arguments of rasa run>``.
"""

from __future__ import annotations

import sys

from bot.api_auth import ALGORITHM, jwt_secret


def rasa_argv(args: list[str], secret: str) -> list[str]:
    """Rasa's argv: ``rasa run <args> --jwt-secret <secret> --jwt-method HS256``."""
    return ["rasa", "run", *args, "--jwt-secret", secret, "--jwt-method", ALGORITHM]


def main() -> None:
    from bot import rasa_patches

    rasa_patches.install()  # before Rasa builds its actions
    sys.argv = rasa_argv(sys.argv[1:], jwt_secret())
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
