"""Pokjanal meeting records: agendas (ordered dashboard views), follow-ups (tindak lanjut)
with their figures when decided, their audit trail, and the secretariat role (writes
meeting records, never data).

Revision ID: 0003_meeting
Revises: 0001
"""
from alembic import op

revision = "0003_meeting"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE peta_user DROP CONSTRAINT IF EXISTS peta_user_role_check")
    op.execute("ALTER TABLE peta_user ADD CONSTRAINT peta_user_role_check "
               "CHECK (role IN ('editor', 'admin', 'sekretariat'))")
    op.execute("""
        CREATE TABLE peta_agenda (
            nama text PRIMARY KEY,
            butir jsonb NOT NULL DEFAULT '[]',
            tanggal date NOT NULL DEFAULT current_date,
            revisi integer NOT NULL DEFAULT 1,
            dibuat_oleh text,
            dibuat timestamptz NOT NULL DEFAULT now(),
            diubah_oleh text,
            diubah timestamptz NOT NULL DEFAULT now())""")
    op.execute("""
        CREATE TABLE peta_tindak_lanjut (
            id serial PRIMARY KEY,
            wilayah text NOT NULL,
            indikator text NOT NULL,
            isi text NOT NULL,
            pj text NOT NULL,
            tenggat date NOT NULL,
            status text NOT NULL DEFAULT 'baru'
                CHECK (status IN ('baru', 'berjalan', 'selesai')),
            catatan text NOT NULL DEFAULT '',
            tautan text NOT NULL DEFAULT '',
            nilai_saat_itu double precision,
            periode_saat_itu text,
            peringkat_saat_itu integer,
            dari_saat_itu integer,
            dibuat_oleh text,
            dibuat timestamptz NOT NULL DEFAULT now(),
            diubah_oleh text,
            diubah timestamptz NOT NULL DEFAULT now(),
            selesai_pada timestamptz,
            revisi integer NOT NULL DEFAULT 1)""")
    op.execute("CREATE INDEX peta_tindak_lanjut_wilayah ON peta_tindak_lanjut (wilayah)")
    op.execute("""
        CREATE TABLE peta_rapat_audit (
            seq bigserial PRIMARY KEY,
            waktu timestamptz NOT NULL DEFAULT now(),
            oleh text,
            objek text NOT NULL,
            aksi text NOT NULL,
            wilayah text NOT NULL DEFAULT '',
            rincian jsonb)""")


def downgrade() -> None:
    for table in ("peta_rapat_audit", "peta_tindak_lanjut", "peta_agenda"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("DELETE FROM peta_user WHERE role = 'sekretariat'")
    op.execute("ALTER TABLE peta_user DROP CONSTRAINT IF EXISTS peta_user_role_check")
    op.execute("ALTER TABLE peta_user ADD CONSTRAINT peta_user_role_check "
               "CHECK (role IN ('editor', 'admin'))")
