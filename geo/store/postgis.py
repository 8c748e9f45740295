"""The PostGIS store: the workspace in PostgreSQL + PostGIS, shared by every app process.

Tables (geo/store/migrations): ``peta_version`` (every import, restore and removal: who,
when, source file name and sha256, scope, counts, the row-level report), ``peta_current``
(the version in use per kind), ``peta_state`` (one counter bumped by every change: the
cheap "data version" the app's caches are keyed on), ``peta_user`` (editors and admins,
argon2 hashes), and the data tables ``posyandu`` (Point, SRID 4326, GiST), ``bahaya`` and
``batas`` (geometries, GiST) and ``indikator``, partitioned by version.

The store is put together from its concerns: versions as read (geo.store.versions),
changes — save, restore, discard, each one transaction (geo.store.changes) —, a
version's rows (geo.store.tables, geo.store.copy), users (geo.store.users); this module
adds the schema, the audit trail and the status.
"""
from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from sqlalchemy import create_engine, text

from geo.store import schema
from geo.store.base import Store
from geo.store.changes import ChangesMixin
from geo.store.tables import TABLE, DataTablesMixin
from geo.store.users import UsersMixin
from geo.store.versions import DbVersion, VersionsMixin

__all__ = ["PostgisStore", "DbVersion"]


class PostgisStore(UsersMixin, ChangesMixin, VersionsMixin, DataTablesMixin, Store):
    kind_name = "postgis"
    requires_login = True

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                                    connect_args={"application_name": "peta-posyandu"})
        if migrate:
            self.migrate()

    # ------------------------------------------------------------------ schema
    def migrate(self) -> tuple[str | None, str]:
        return schema.upgrade(self.engine)

    def schema_version(self) -> str | None:
        with self.engine.connect() as conn:
            return schema.current(conn)

    # ------------------------------------------------------------------ audit
    def audit(self, limit: int = 500) -> pd.DataFrame:
        with self.engine.connect() as conn:
            df = pd.read_sql(text(
                "SELECT v.id AS versi, v.created_at AS waktu, v.created_by AS oleh, v.kind AS "
                "jenis, v.action AS aksi, array_to_string(v.scope, ', ') AS wilayah, "
                "v.source AS berkas, v.source_sha256 AS sha256, v.rows AS baris, "
                "(v.counts->>'ditolak')::int AS ditolak, v.restored_from AS dari_versi, "
                "(c.version_id = v.id) AS dipakai "
                "FROM peta_version v LEFT JOIN peta_current c ON c.kind = v.kind "
                "ORDER BY v.seq DESC LIMIT :n"), conn, params={"n": int(limit)})
        if len(df):
            df["waktu"] = pd.to_datetime(df["waktu"], utc=True).dt.tz_convert(
                datetime.now().astimezone().tzinfo).dt.strftime("%Y-%m-%d %H:%M:%S")
            df["wilayah"] = df["wilayah"].fillna("").replace("", "semua")
            df["dipakai"] = df["dipakai"].fillna(False).astype(bool)
        return df

    def report(self, vid: str) -> pd.DataFrame:
        """The row-level report saved with an import (empty when there was none)."""
        from geo.importers.report import COLUMNS
        with self.engine.connect() as conn:
            csv = conn.execute(text("SELECT report FROM peta_version WHERE id = :v"),
                               {"v": vid}).scalar()
        if not csv:
            return pd.DataFrame(columns=COLUMNS)
        return pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)

    def status(self) -> dict:
        with self.engine.connect() as conn:
            out = {"store": "postgis", "schema_version": schema.current(conn),
                   "schema_head": schema.head(),
                   "data_version": int(conn.execute(text(
                       "SELECT data_version FROM peta_state")).scalar()),
                   "current": {}, "counts": {}, "versions": {}}
            for kind, vid in conn.execute(text("SELECT kind, version_id FROM peta_current "
                                               "ORDER BY kind")):
                out["current"][kind] = vid
                out["counts"][kind] = int(conn.execute(text(
                    f"SELECT count(*) FROM {TABLE[kind]} WHERE version_id = :v"),
                    {"v": vid}).scalar()) if vid else 0
            for kind, n in conn.execute(text("SELECT kind, count(*) FROM peta_version "
                                             "GROUP BY kind")):
                out["versions"][kind] = int(n)
            out["users"] = {r: int(n) for r, n in conn.execute(text(
                "SELECT role, count(*) FROM peta_user WHERE active GROUP BY role"))}
        return out

