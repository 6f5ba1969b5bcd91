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
    # Threads of the sentence encoder (bot.nlp.encoder) in each process. One: with a Rasa
    # worker per core, more threads only fight over the same cores (README, Benchmark).
    encoder_threads: int = 1
    encoder_cache_size: int = 4096  # texts whose vectors are kept (0: encode every time)
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
    # How chat events reach sockets held by another Rasa worker or instance
    # (bot.channels.web_relay): sqlite (a file, for one host), redis (REDIS_*), or off.
    web_relay: str = "sqlite"
    web_relay_db: str = "var/web-relay.db"
    # Rasa's SQL tracker store (endpoints.yml reads the same names); the console reads it.
    tracker_dialect: str = "sqlite"
    tracker_db: str = "var/tracker.db"
    tracker_host: str = ""  # empty: the local file (SQLite) or the local socket (PostgreSQL)
    tracker_port: int = 5432
    tracker_user: str = ""
    tracker_password: str = ""
    # The embedded default's Rasa server: worker processes (bot.prod.rasa_run) and the
    # SQLite file of their shared conversation locks (endpoints.yml).
    rasa_workers: int = 2
    # The largest request body the Rasa server reads (REST, SMS and API calls); bigger
    # ones get 413 before anything reads them. Rasa's own default is 100 MB.
    rasa_max_request_bytes: int = 256 * 1024
    lock_store_db: str = "var/locks.db"
    # The REST channel (bot/channels/rest.py) is for trusted clients: "open" (the embedded
    # default, for local tools and the tests), "token" (a Bearer REST_CHANNEL_TOKEN is
    # required) or "off" (404). The production settings turn it off.
    rest_channel: str = "open"
    rest_channel_token: str = ""
    # Rate limits at the channels (bot/channels/rate_limits.py), in the limits library's
    # notation ("20/minute;300/day"). Counts live in this process ("memory://": each Rasa
    # worker counts apart) or in Redis ("redis://127.0.0.1:6379/1": shared).
    rate_limit_storage: str = "memory://"
    rate_limit_conversation: str = "20/minute;300/day"  # messages of one conversation
    rate_limit_caller: str = "120/minute;2000/day"  # messages of one address, all chats
    rate_limit_new_conversations: str = "30/hour"  # new web or REST chats of one address
    # Believe the last X-Forwarded-For entry on the Rasa server (set behind nginx): the
    # caller's address for the limits above. Off: the connection's own address.
    channel_trust_proxy: bool = False
    # Redis lock store of the production stack (deploy/endpoints.prod.yml).
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_password: str = ""
    redis_lock_db: int = 0
    redis_key_prefix: str = "cpp"  # letters and digits only (Rasa ignores anything else)
    # Rasa's HTTP API takes only JWTs signed with this (bot.api_auth). Empty: a random
    # secret is made once in rasa_jwt_secret_file, shared by every process on this host.
    rasa_jwt_secret: str = ""
    rasa_jwt_secret_file: Path = Path("var/rasa-jwt.secret")
    # The production stack (python -m bot run-prod, bot/prod).
    rasa_instances: int = 2
    rasa_base_port: int = 5005  # instance i listens on rasa_base_port + i
    proxy_host: str = "127.0.0.1"  # nginx, the only address the stack exposes
    proxy_port: int = 8080
    action_workers: int = 2
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
        from sqlalchemy.engine import URL

        url = URL.create(
            self.tracker_dialect,
            username=self.tracker_user or None,
            password=self.tracker_password or None,
            host=self.tracker_host or None,
            port=self.tracker_port if self.tracker_host else None,
            database=self.tracker_db,
        )
        return url.render_as_string(hide_password=False)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests clear the cache to change them)."""
    return Settings()
