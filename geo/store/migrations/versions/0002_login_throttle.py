"""Login throttling and login audit: failed attempts per user name (``peta_login``, shared
by every app process) and login events (``peta_login_event``: "login gagal", "akun
dikunci", "login ditolak", "akun dibuka").

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # any name tried, existing or not (a lock that only existing accounts get would tell
    # which names exist)
    op.execute("""
        CREATE TABLE peta_login (
            username text PRIMARY KEY,
            failures integer NOT NULL DEFAULT 0,
            last_failure timestamptz,
            locked_until timestamptz)""")
    op.execute("""
        CREATE TABLE peta_login_event (
            seq bigserial PRIMARY KEY,
            created_at timestamptz NOT NULL DEFAULT now(),
            username text NOT NULL,
            action text NOT NULL,
            detail text NOT NULL DEFAULT '',
            by_user text)""")
    op.execute("CREATE INDEX peta_login_event_user ON peta_login_event (username, seq DESC)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS peta_login_event")
    op.execute("DROP TABLE IF EXISTS peta_login")
