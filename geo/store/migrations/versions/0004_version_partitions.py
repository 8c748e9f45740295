"""Data tables partitioned by version: ``posyandu``, ``bahaya``, ``batas`` and
``indikator`` become ``PARTITION BY LIST (version_id)``, one partition per version
(``<table>_v<seq>``, ``seq`` of ``peta_version``), so a save fills a table of its own and
builds its index once (geo.store.tables) instead of updating one big index row by row.

The rows of every existing version move to their version's partition (in the order they
were stored); the B-tree on (version_id, wilayah) goes (a version is its partition), the
GiST index on the geometry stays (one per partition). The foreign key to ``peta_version``
goes too: a partition is created, in the same transaction, for a version row only.
``posyandu`` gains the column ``status_titik`` (every validated registry has it; in the
JSONB ``attrs`` the server parsed it row by row): moved out of ``attrs``, which becomes
NULL when nothing else is left in it.

Downgrade: back to one plain table per kind with the foreign key and both indexes,
``status_titik`` back in ``attrs``.

Revision ID: 0004_version_partitions
Revises: 0003_meeting
"""
from alembic import op
from sqlalchemy import text

revision = "0004_version_partitions"
down_revision = "0003_meeting"
branch_labels = None
depends_on = None

TABLES = ("posyandu", "bahaya", "batas", "indikator")
GEO = ("posyandu", "bahaya", "batas")


def _literal(vid: str) -> str:
    return "'" + vid.replace("'", "''") + "'"


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        old = f"{table}_0003"
        op.execute(f"ALTER TABLE {table} RENAME TO {old}")
        op.execute(f"ALTER INDEX {table}_version RENAME TO {old}_version")
        if table in GEO:
            op.execute(f"ALTER INDEX {table}_geom RENAME TO {old}_geom")
        op.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS) "
                   "PARTITION BY LIST (version_id)")
        cols = [c for (c,) in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND table_schema = current_schema() ORDER BY ordinal_position"), {"t": old})]
        values = ", ".join(cols)
        if table == "posyandu":
            op.execute("ALTER TABLE posyandu ADD COLUMN status_titik text")
            values = ", ".join(
                "NULLIF(attrs - 'status_titik', '{}'::jsonb)" if c == "attrs" else c
                for c in cols) + ", attrs->>'status_titik'"
            cols.append("status_titik")
        if table in GEO:
            op.execute(f"CREATE INDEX {table}_geom ON {table} USING gist (geom)")
        versions = conn.execute(text(
            f"SELECT v.seq, v.id FROM peta_version v WHERE EXISTS "
            f"(SELECT 1 FROM {old} r WHERE r.version_id = v.id) ORDER BY v.seq")).all()
        for seq, vid in versions:
            part, lit = f"{table}_v{int(seq)}", _literal(vid)
            op.execute(f"CREATE TABLE {part} (LIKE {table} INCLUDING DEFAULTS, "
                       f"CONSTRAINT {part}_versi CHECK (version_id = {lit}))")
            op.execute(f"INSERT INTO {part} ({', '.join(cols)}) SELECT {values} FROM {old} "
                       f"WHERE version_id = {lit} ORDER BY ctid")
            op.execute(f"ALTER TABLE {table} ATTACH PARTITION {part} FOR VALUES IN ({lit})")
        op.execute(f"DROP TABLE {old}")


def downgrade() -> None:
    for table in TABLES:
        parted = f"{table}_0004"
        op.execute(f"ALTER TABLE {table} RENAME TO {parted}")
        if table in GEO:
            op.execute(f"ALTER INDEX {table}_geom RENAME TO {parted}_geom")
        op.execute(f"CREATE TABLE {table} (LIKE {parted} INCLUDING DEFAULTS)")
        if table == "posyandu":
            op.execute("ALTER TABLE posyandu DROP COLUMN status_titik")
        cols = [c for (c,) in op.get_bind().execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND table_schema = current_schema() ORDER BY ordinal_position"), {"t": table})]
        values = ", ".join(
            "CASE WHEN status_titik IS NULL THEN attrs ELSE COALESCE(attrs, '{}'::jsonb) "
            "|| jsonb_build_object('status_titik', status_titik) END"
            if c == "attrs" and table == "posyandu" else c for c in cols)
        op.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {values} FROM {parted}")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_version_id_fkey FOREIGN KEY "
                   "(version_id) REFERENCES peta_version (id) ON DELETE CASCADE")
        op.execute(f"CREATE INDEX {table}_version ON {table} (version_id, wilayah)")
        if table in GEO:
            op.execute(f"CREATE INDEX {table}_geom ON {table} USING gist (geom)")
        op.execute(f"DROP TABLE {parted}")
