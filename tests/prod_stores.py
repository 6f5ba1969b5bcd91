"""Empty PostgreSQL and Redis stores for the tests that start the production stack."""

from __future__ import annotations

PG_BASE = "postgresql+psycopg2://postgres@127.0.0.1:5432"


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
