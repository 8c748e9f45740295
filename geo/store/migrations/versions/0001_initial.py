"""Initial schema: users, versions, current pointers, data version, and the data tables
(Posyandu points, hazard zones, boundaries, indicator tables) with GiST indexes.

Revision ID: 0001
Revises:
"""
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

KINDS = ("posyandu", "batas_provinsi", "batas_kabupaten", "batas_kecamatan", "batas_desa",
         "indikator", "bahaya")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("""
        CREATE TABLE peta_state (
            id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            data_version bigint NOT NULL DEFAULT 0)""")
    op.execute("INSERT INTO peta_state (id, data_version) VALUES (1, 0)")
    op.execute("""
        CREATE TABLE peta_user (
            username text PRIMARY KEY,
            password_hash text,
            role text NOT NULL CHECK (role IN ('editor', 'admin')),
            scope text[] NOT NULL DEFAULT '{}',
            active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now(),
            created_by text)""")
    op.execute("""
        CREATE TABLE peta_version (
            seq bigserial UNIQUE,
            id text PRIMARY KEY,
            kind text NOT NULL,
            action text NOT NULL,
            name text NOT NULL DEFAULT '',
            source text NOT NULL DEFAULT '',
            source_sha256 text,
            created_by text,
            created_at timestamptz NOT NULL DEFAULT now(),
            scope text[],
            base_version text,
            restored_from text,
            rows integer NOT NULL DEFAULT 0,
            counts jsonb,
            report text,
            manifest jsonb NOT NULL DEFAULT '{}')""")
    op.execute("CREATE INDEX peta_version_kind ON peta_version (kind, seq DESC)")
    op.execute("""
        CREATE TABLE peta_current (
            kind text PRIMARY KEY,
            version_id text REFERENCES peta_version (id),
            changed_at timestamptz)""")
    for kind in KINDS:
        op.execute(f"INSERT INTO peta_current (kind) VALUES ('{kind}')")
    flags = ", ".join(f"{c} boolean" for c in (
        "aktif", "internet", "layanan_kesehatan", "layanan_pendidikan",
        "layanan_pekerjaan_umum", "layanan_perumahan", "layanan_trantibumlinmas",
        "layanan_sosial", "sampel"))
    counts = ", ".join(f"{c} integer" for c in (
        "jumlah_kader", "kader_terlatih", "balita_sasaran", "balita_ditimbang",
        "balita_stunting"))
    op.execute(f"""
        CREATE TABLE posyandu (
            version_id text NOT NULL REFERENCES peta_version (id) ON DELETE CASCADE,
            wilayah text, baris integer,
            id text, nama text, kode_desa text, lat double precision, lon double precision,
            strata text, {counts}, {flags}, attrs jsonb,
            geom geometry(Point, 4326))""")
    for table in ("bahaya", "batas"):
        op.execute(f"""
            CREATE TABLE {table} (
                version_id text NOT NULL REFERENCES peta_version (id) ON DELETE CASCADE,
                wilayah text, baris integer, attrs jsonb,
                geom geometry(Geometry, 4326))""")
    op.execute("""
        CREATE TABLE indikator (
            version_id text NOT NULL REFERENCES peta_version (id) ON DELETE CASCADE,
            wilayah text, baris integer, attrs jsonb)""")
    for table in ("posyandu", "bahaya", "batas", "indikator"):
        op.execute(f"CREATE INDEX {table}_version ON {table} (version_id, wilayah)")
    for table in ("posyandu", "bahaya", "batas"):
        op.execute(f"CREATE INDEX {table}_geom ON {table} USING gist (geom)")


def downgrade() -> None:
    for table in ("posyandu", "bahaya", "batas", "indikator", "peta_current", "peta_version",
                  "peta_user", "peta_state"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
