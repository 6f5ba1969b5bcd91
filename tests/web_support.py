"""Shared by the website tests: a credentials file with the website channel."""

from __future__ import annotations

import textwrap
from pathlib import Path


def web_credentials(path: Path) -> Path:
    """credentials.yml with the REST channel and the website channel only."""
    path.write_text(
        textwrap.dedent(
            """\
            bot.channels.rest.CaregiverRestInput:
            bot.channels.web.WebChatInput:
              user_message_evt: user_uttered
              bot_message_evt: bot_uttered
            """
        )
    )
    return path
