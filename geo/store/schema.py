"""Schema of the PostGIS store: Alembic migrations in geo/store/migrations, applied by the
project itself (on start, and by ``python -m geo db init|migrate``)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK = 7150015   # advisory lock: two processes starting together migrate one after the other


def _config(conn):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(_config(None)).get_current_head()


def current(conn) -> str | None:
    """Schema revision of the database (None before ``db init``)."""
    exists = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
    if exists is None:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine, target: str = "head") -> tuple[str | None, str]:
    """Migrate to the newest revision (or ``target``); returns (before, after)."""
    from alembic import command
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
        before = current(conn)
        if before != (head() if target == "head" else target):
            command.upgrade(_config(conn), target)
        return before, current(conn)


def downgrade(engine, target: str) -> tuple[str | None, str]:
    """Migrate back to revision ``target``; returns (before, after)."""
    from alembic import command
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
        before = current(conn)
        command.downgrade(_config(conn), target)
        return before, current(conn)
