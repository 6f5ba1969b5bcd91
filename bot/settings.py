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
    # SMS (bot/channels/sms.py): Twilio's webhook format. Without an auth token every
    # webhook is refused, since its signature cannot be checked.
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""  # empty: the clinic profile's sms_number
    twilio_api_base_url: str = "https://api.twilio.com"
    sms_public_url: str = "http://127.0.0.1:5005/webhooks/sms/webhook"
    sms_send_timeout_seconds: float = 10.0
    sms_send_attempts: int = 3
    # The clinic website's chat (web/ and bot/channels/web.py).
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_allowed_origins: str = "http://localhost:8000,http://127.0.0.1:8000"
    web_max_message_bytes: int = 4096
    web_socket_url: str = ""  # behind a proxy: the public URL of Rasa's socket.io
    # Rasa's SQL tracker store (endpoints.yml reads the same names); the console reads it.
    tracker_dialect: str = "sqlite"
    tracker_db: str = "var/tracker.db"
    # The staff console (python -m bot console).
    console_host: str = "127.0.0.1"
    console_port: int = 8001
    console_idle_minutes: int = 15
    console_login_max_failures: int = 5  # per account and per address, within the window
    console_login_window_minutes: int = 15
    console_secure_cookie: str = "auto"  # auto: Secure when the request came over https
    console_trust_proxy: bool = False  # believe X-Forwarded-Proto/-For from a local proxy
    retention_days: int = 365  # python -m bot purge: default age of transcripts to delete

    class Config:
        env_file = None
        case_sensitive = False

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def tracker_url(self) -> str:
        """SQLAlchemy URL of Rasa's tracker store, built the way Rasa builds it."""
        if self.tracker_dialect == "sqlite":
            return f"sqlite:///{self.tracker_db}"
        return f"{self.tracker_dialect}:///{self.tracker_db}"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests clear the cache to change them)."""
    return Settings()
