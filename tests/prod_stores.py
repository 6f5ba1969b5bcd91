"""Empty PostgreSQL and Redis stores for the tests that start the production stack."""

from __future__ import annotations

PG_BASE = "postgresql+psycopg2://postgres@127.0.0.1:5432"

# The production settings turn the REST channel off; these tests talk through it with a
# token, as a trusted client would, and count their limits in their own Redis db.
REST_TOKEN = "prod-test-rest-token"
REST_HEADERS = {"Authorization": f"Bearer {REST_TOKEN}"}


def rest_env(redis_db: int) -> dict[str, str]:
    """REST on with REST_TOKEN; limits far above the tests' traffic (all from 127.0.0.1)."""
    return {
        "REST_CHANNEL": "token",
        "REST_CHANNEL_TOKEN": REST_TOKEN,
        "RATE_LIMIT_STORAGE": f"redis://127.0.0.1:6379/{redis_db}",
        "RATE_LIMIT_CONVERSATION": "1000/minute",
        "RATE_LIMIT_CALLER": "100000/minute",
        "RATE_LIMIT_NEW_CONVERSATIONS": "100000/hour",
    }


def reset_stores(database: str, redis_db: int) -> str:
    """Create ``database`` when missing, empty it and the Redis db, migrate; its URL."""
    import redis
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from bot.db.migrate import upgrade

    url = f"{PG_BASE}/{database}"
    server = create_engine(f"{PG_BASE}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :d")
        if not conn.execute(exists, {"d": database}).first():
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    server.dispose()
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    redis.Redis(host="127.0.0.1", port=6379, db=redis_db).flushdb()
    upgrade(url)
    return url
