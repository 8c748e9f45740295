"""The PostGIS store: the workspace in PostgreSQL + PostGIS, shared by every app process.

Tables (geo/store/migrations): ``peta_version`` (every import, restore and removal: who,
when, source file name and sha256, scope, counts, the row-level report), ``peta_current``
(the version in use per kind), ``peta_state`` (one counter bumped by every change: the
cheap "data version" the app's caches are keyed on), ``peta_user`` (editors and admins,
argon2 hashes), and the data tables ``posyandu`` (Point, SRID 4326, GiST), ``bahaya`` and
``batas`` (geometries, GiST) and ``indikator``.

Every version is a complete snapshot of its kind. An editor's import replaces the rows of
the editor's region scope and copies the rest of the current version unchanged, so imports
by editors of different kabupaten both land. A save is one transaction (all or nothing):
it locks the kind's ``peta_current`` row, refuses a save whose ``base_version`` is not the
latest version that touched an overlapping region (``WorkspaceConflict``), writes, switches
``peta_current`` and bumps the data version last.

This module keeps the versions (bookkeeping, conflicts, restore, audit); how a version's
frame becomes rows of its data table and back is geo.store.tables.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from geo.messages import KEPT
from geo.store.base import DATA_ROLES, Store, User, WorkspaceConflict
from geo.store.scope import acting_user, check_scope, region_codes
from geo.store.tables import TABLE, DataTablesMixin
from geo.store.users import UsersMixin
from geo.workspace import (
    KIND_LABELS,
    KINDS,
    ManifestFields,
    StorageError,
    WorkspaceError,
    check_schema,
)

ACTIONS = {"impor": "impor", "pulihkan": "pulihkan", "hapus": "hapus"}


def _new_id() -> str:
    now = datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:6]}"


#: SQLSTATE of a change the database could not store → the user's message
_DB_STORAGE = {
    "53100": "Disk basis data penuh: data tidak tersimpan; {kept}. Kosongkan ruang disk "
             "server basis data (atau minta admin), lalu simpan ulang.",
    "25006": "Basis data hanya-baca: data tidak tersimpan; {kept}. Minta admin memeriksa "
             "server basis data, lalu simpan ulang.",
    "53200": "Memori server basis data habis: data tidak tersimpan; {kept}. Coba lagi "
             "nanti atau minta admin memeriksa server basis data.",
}


@contextlib.contextmanager
def _storage_errors():
    """A change the database refused for lack of disk (or read-only, out of memory): the
    transaction rolled back, so the previous version stays in use — say so."""
    try:
        yield
    except DBAPIError as exc:
        state = getattr(exc.orig, "sqlstate", None)
        if state in _DB_STORAGE:
            raise StorageError(_DB_STORAGE[state].format(kept=KEPT)) from exc
        raise


def _overlaps(a, b) -> bool:
    """Two scopes share a region (None = every region)."""
    if a is None or b is None:
        return True
    return any(x == y or x.startswith(y + ".") or y.startswith(x + ".") for x in a for y in b)


@dataclass(frozen=True)
class DbVersion(ManifestFields):
    """A version in the database; the same attributes as geo.workspace.Version."""
    kind: str
    version: str
    manifest: dict
    store: PostgisStore

    @property
    def data_path(self) -> str:
        """Not a file: a name unique to this version (geo.datasets keys caches on it)."""
        return f"postgis/{self.kind}/{self.version}"

    @property
    def path(self) -> str:
        return self.data_path

    def load(self):
        return self.store.load_version(self.kind, self.version)

    def __iter__(self):
        yield self.load()
        yield {**self.manifest, "path": self.data_path}

    def label(self) -> str:
        when = self.imported_at
        try:
            when = datetime.fromisoformat(when).astimezone().strftime("%d-%m-%Y %H:%M")
        except ValueError:
            pass
        who = self.manifest.get("created_by")
        by = f", oleh {who}" if who else ""
        return (f"{KIND_LABELS.get(self.kind, self.kind)}: {self.name} ({when}, "
                f"{self.rows} baris{by})")


class PostgisStore(UsersMixin, DataTablesMixin, Store):
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
        from geo.store import schema
        return schema.upgrade(self.engine)

    def schema_version(self) -> str | None:
        from geo.store import schema
        with self.engine.connect() as conn:
            return schema.current(conn)

    def data_version(self) -> str:
        with self.engine.connect() as conn:
            return "db:" + str(conn.execute(text(
                "SELECT data_version FROM peta_state WHERE id = 1")).scalar())

    def data_versions(self) -> dict[str, str]:
        """The current version id of each kind (one small query per rerun)."""
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT kind, version_id FROM peta_current")).all()
        return {kind: str(vid or "-") for kind, vid in rows}

    # ------------------------------------------------------------------ versions
    def _version_row(self, conn, vid: str) -> DbVersion | None:
        row = conn.execute(text(
            "SELECT id, kind, action, name, source, source_sha256, created_by, created_at, "
            "scope, base_version, restored_from, rows, counts, manifest FROM peta_version "
            "WHERE id = :id"), {"id": vid}).mappings().first()
        return self._as_version(row) if row else None

    def _as_version(self, row) -> DbVersion:
        manifest = dict(row["manifest"] or {})
        manifest.update({
            "kind": row["kind"], "version": row["id"], "name": row["name"],
            "source": row["source"], "sha256": row["source_sha256"],
            "imported_at": row["created_at"].astimezone().isoformat(timespec="seconds"),
            "rows": int(row["rows"]), "counts": row["counts"], "action": row["action"],
            "created_by": row["created_by"], "scope": list(row["scope"] or []) or None,
            "base_version": row["base_version"], "restored_from": row["restored_from"]})
        return DbVersion(row["kind"], row["id"], manifest, self)

    def current(self, kind: str) -> DbVersion | None:
        self._check_kind(kind)
        with self.engine.connect() as conn:
            vid = conn.execute(text("SELECT version_id FROM peta_current WHERE kind = :k"),
                               {"k": kind}).scalar()
            return self._version_row(conn, vid) if vid else None

    def list_versions(self, kind: str) -> list[DbVersion]:
        """Versions holding data (imports and restores), newest first."""
        self._check_kind(kind)
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT * FROM peta_version WHERE kind = :k ORDER BY seq DESC"),
                {"k": kind}).mappings().all()
        return [self._as_version(r) for r in rows]

    def base_version(self, kind: str, user: User | None = None) -> str:
        self._check_kind(kind)
        scope = self._scope_of(user) if user is not None else None
        with self.engine.connect() as conn:
            return self._latest_touching(conn, kind, scope) or ""

    def _latest_touching(self, conn, kind: str, scope) -> str | None:
        for vid, vscope in conn.execute(text(
                "SELECT id, scope FROM peta_version WHERE kind = :k ORDER BY seq DESC"),
                {"k": kind}):
            if _overlaps(list(vscope) if vscope is not None else None, scope):
                return vid
        return None

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in KINDS:
            raise WorkspaceError(f"jenis data tidak dikenal: {kind!r} (pilih {', '.join(KINDS)})")

    # ------------------------------------------------------------------ changes
    def _lock(self, conn, kind: str) -> str | None:
        return conn.execute(text("SELECT version_id FROM peta_current WHERE kind = :k "
                                 "FOR UPDATE"), {"k": kind}).scalar()

    def _finish(self, conn, kind: str, vid: str | None, *, switch: bool = True) -> None:
        if vid is not None:
            rows = conn.execute(text(f"SELECT count(*) FROM {TABLE[kind]} WHERE version_id = :v"),
                                {"v": vid}).scalar()
            conn.execute(text("UPDATE peta_version SET rows = :r WHERE id = :v"),
                         {"r": int(rows), "v": vid})
        if switch:
            conn.execute(text("UPDATE peta_current SET version_id = :v, changed_at = now() "
                              "WHERE kind = :k"), {"v": vid, "k": kind})
        # last statement of every change: other processes see the new data version only
        # once everything above is committed
        conn.execute(text("UPDATE peta_state SET data_version = data_version + 1 WHERE id = 1"))

    def _insert_version(self, conn, kind, vid, action, user, scope, *, name="", source="",
                        sha256=None, base=None, restored_from=None, counts=None, report=None,
                        manifest=None) -> None:
        conn.execute(text(
            "INSERT INTO peta_version (id, kind, action, name, source, source_sha256, "
            "created_by, scope, base_version, restored_from, counts, report, manifest) "
            "VALUES (:id, :kind, :action, :name, :source, :sha, :by, :scope, :base, :rf, "
            "CAST(:counts AS jsonb), :report, CAST(:manifest AS jsonb))"),
            {"id": vid, "kind": kind, "action": action, "name": name, "source": source,
             "sha": sha256, "by": user.username, "scope": list(scope) if scope else None,
             "base": base, "rf": restored_from,
             "counts": json.dumps(counts) if counts is not None else None, "report": report,
             "manifest": json.dumps(manifest or {}, ensure_ascii=False, default=str)})

    def _scope_of(self, user: User):
        return None if user.whole else list(user.scope)

    def _editor(self, user: User | None) -> User:
        """The user as stored now (role and scope may have changed since login)."""
        return acting_user(self, user, DATA_ROLES, login="mengubah data memerlukan login editor",
                           refused="bukan editor")

    def save(self, kind, data, *, name, source="", report=None, extra=None, base_version=None,
             user=None, source_sha256=None):
        """Store ``data`` as the new current version of ``kind`` for ``user``'s region (one
        transaction). Rows outside the region — by their declared code, the village they
        are counted in or the polygon their point lies in — are refused (filter them
        first with geo.store.scope.apply_scope so the report names them). Each row is
        stored under the region it is counted in (``wilayah``), so the editor of that
        region is the one who may replace or remove it."""
        self._check_kind(kind)
        user = self._editor(user)
        check_schema(kind, data)
        scope = self._scope_of(user)
        if scope is not None:      # declared, counted and drawn region (geo.store.scope)
            check_scope(kind, data, scope)
        codes = region_codes(kind, data)
        is_geo = isinstance(data, gpd.GeoDataFrame)
        manifest = {"columns": [str(c) for c in data.columns], "geo": is_geo,
                    "crs": "EPSG:4326" if is_geo else None, **(extra or {})}
        vid = _new_id()
        frame = self._rows_frame(kind, data, vid, codes)
        with _storage_errors(), self.engine.begin() as conn:
            cur = self._lock(conn, kind)
            self._check_base(conn, kind, scope, base_version)
            self._insert_version(conn, kind, vid, "impor", user, scope, name=str(name),
                                 source=str(source), sha256=source_sha256, base=base_version,
                                 counts=dict(report.counts) if report is not None else None,
                                 report=report.to_csv() if report is not None else None,
                                 manifest=manifest)
            if cur is not None and scope is not None:
                self._copy_rows(conn, kind, cur, vid, scope, inside=False)
            self._write_rows(conn, kind, frame)
            self._finish(conn, kind, vid)
            return self._version_row(conn, vid)

    def _check_base(self, conn, kind, scope, base_version) -> None:
        """Refuse a change based on an older version than the latest one that touched the
        editor's region (no silent last-writer-wins); ``None`` skips the check."""
        if base_version is None:
            return
        latest = self._latest_touching(conn, kind, scope)
        if (latest or "") != (base_version or ""):
            raise WorkspaceConflict(kind, base_version or "",
                                    self._version_row(conn, latest) if latest else None)

    def restore(self, kind, version=None, *, user=None, base_version=None):
        """Make ``version``'s rows of the user's region current again (a new version that
        records where it came from); default: the version before the latest one that
        touched the region."""
        self._check_kind(kind)
        user = self._editor(user)
        scope = self._scope_of(user)
        with _storage_errors(), self.engine.begin() as conn:
            cur = self._lock(conn, kind)
            self._check_base(conn, kind, scope, base_version)
            if version is None:
                # the version just before the latest one that touched the region
                rows = conn.execute(text("SELECT id, scope FROM peta_version WHERE kind = :k "
                                         "ORDER BY seq DESC"), {"k": kind}).all()
                pos = next((i for i, (vid, vs) in enumerate(rows)
                            if _overlaps(list(vs) if vs is not None else None, scope)), None)
                if pos is None:
                    raise WorkspaceError("tidak ada versi sebelumnya yang dapat dipulihkan")
                version = rows[pos + 1][0] if pos + 1 < len(rows) else None
            target = self._version_row(conn, version) if version is not None else None
            if version is not None and (target is None or target.kind != kind):
                raise WorkspaceError(f"versi {version} tidak ditemukan")
            if target is None:      # the region had no data before: restored to empty
                target = DbVersion(kind, "", {"name": "(kosong)"}, self)
            vid = _new_id()
            self._insert_version(conn, kind, vid, "pulihkan", user, scope, name=target.name,
                                 source=target.source, sha256=target.manifest.get("sha256"),
                                 restored_from=target.version or None,
                                 counts=target.manifest.get("counts"),
                                 manifest={k: target.manifest.get(k)
                                           for k in ("columns", "geo", "crs")})
            if cur is not None and scope is not None:
                self._copy_rows(conn, kind, cur, vid, scope, inside=False)
            if target.version:
                self._copy_rows(conn, kind, target.version, vid, scope, inside=True)
            self._finish(conn, kind, vid)
            return self._version_row(conn, vid)

    def discard(self, kind, *, user=None, base_version=None) -> None:
        """Remove the user's region from the current data (an admin: everything — the app
        falls back to its samples). Recorded as a version; restorable."""
        self._check_kind(kind)
        user = self._editor(user)
        scope = self._scope_of(user)
        with _storage_errors(), self.engine.begin() as conn:
            cur = self._lock(conn, kind)
            self._check_base(conn, kind, scope, base_version)
            if cur is None:
                return
            vid = _new_id()
            manifest = (conn.execute(text("SELECT manifest FROM peta_version WHERE id = :v"),
                                     {"v": cur}).scalar() or {})
            self._insert_version(conn, kind, vid, "hapus", user, scope, name="(dihapus)",
                                 manifest={k: manifest.get(k) for k in ("columns", "geo", "crs")})
            if scope is not None:
                self._copy_rows(conn, kind, cur, vid, scope, inside=False)
            self._finish(conn, kind, vid if scope is not None else None)
            if scope is None:
                conn.execute(text("UPDATE peta_version SET rows = 0 WHERE id = :v"), {"v": vid})

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
        import io

        from geo.importers.report import COLUMNS
        with self.engine.connect() as conn:
            csv = conn.execute(text("SELECT report FROM peta_version WHERE id = :v"),
                               {"v": vid}).scalar()
        if not csv:
            return pd.DataFrame(columns=COLUMNS)
        return pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)

    def status(self) -> dict:
        from geo.store import schema
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


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
