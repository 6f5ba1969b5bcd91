"""Every setting the Python code reads, from environment variables.

The names and embedded defaults are listed once here and in `.env.example`
(the Makefile and honcho export the latter); Rasa's YAML files read the same
names as ``${VAR}``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseSettings


class Settings(BaseSettings):
    clinic_profile: Path = Path("clinic.yml")
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_endpoint_url: str = "http://127.0.0.1:5055/webhook"
    spacy_model_dir: Path = Path("build/spacy/cpp_en")
    database_url: str = "sqlite:///var/app.db"
    safety_alert_webhook_url: str = ""
    # Keyed hash of caregivers' channel identities (bot.identity). Empty: a random key
    # is made once in identity_key_file, which every process on this machine shares.
    identity_hash_key: str = ""
    identity_key_file: Path = Path("var/identity.key")
    # Reflection reminders (python -m bot reminders run).
    reminder_poll_seconds: int = 30
    reminder_grace_minutes: int = 90
    reminder_send_timeout_seconds: float = 10.0

    class Config:
        env_file = None
        case_sensitive = False

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests clear the cache to change them)."""
    return Settings()
