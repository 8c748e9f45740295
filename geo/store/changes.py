"""Changes of the PostGIS store: save (an import), restore and discard, each one
transaction (all or nothing).

Every version is a complete snapshot of its kind. An editor's import replaces the rows of
the editor's region scope and copies the rest of the current version unchanged, so imports
by editors of different kabupaten both land. A change locks the kind's ``peta_current``
row, refuses a change whose ``base_version`` is not the latest version that touched an
overlapping region (``WorkspaceConflict``), writes the version row (the audit trail), fills
the new version's own table and attaches it (geo.store.tables), switches ``peta_current``
and bumps the data version last.
"""
from __future__ import annotations

import contextlib
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import geopandas as gpd
from psycopg import Error as PsycopgError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from geo.messages import KEPT
from geo.store.base import DATA_ROLES, WorkspaceConflict
from geo.store.copy import Encoded, Handover
from geo.store.scope import acting_user, check_scope, region_codes
from geo.store.tables import version_columns
from geo.store.versions import DbVersion, overlaps
from geo.workspace import StorageError, WorkspaceError, check_schema


def new_id() -> str:
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
def storage_errors():
    """A change the database refused for lack of disk (or read-only, out of memory): the
    transaction rolled back, so the previous version stays in use — say so. Through
    SQLAlchemy (DBAPIError) or from the COPY on the driver's connection (psycopg)."""
    try:
        yield
    except (DBAPIError, PsycopgError) as exc:
        state = getattr(getattr(exc, "orig", exc), "sqlstate", None)
        if state in _DB_STORAGE:
            raise StorageError(_DB_STORAGE[state].format(kept=KEPT)) from exc
        raise


def _check(kind: str, data, scope) -> None:
    """The checks of a save: the schema of ``kind``, then every row inside ``scope``."""
    check_schema(kind, data)
    if scope is not None:      # declared, counted and drawn region (geo.store.scope)
        check_scope(kind, data, scope)


class ChangesMixin:
    """Change methods of PostgisStore (needs ``self.engine``, the versions, users and
    data-table mixins)."""

    def _lock(self, conn, kind: str) -> str | None:
        return conn.execute(text("SELECT version_id FROM peta_current WHERE kind = :k "
                                 "FOR UPDATE"), {"k": kind}).scalar()

    def _finish(self, conn, kind: str, vid: str | None, rows: int = 0, *,
                switch: bool = True) -> None:
        if vid is not None:
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
                        manifest=None) -> int:
        """The version's row (its audit record); returns its number (``seq``)."""
        return conn.execute(text(
            "INSERT INTO peta_version (id, kind, action, name, source, source_sha256, "
            "created_by, scope, base_version, restored_from, counts, report, manifest) "
            "VALUES (:id, :kind, :action, :name, :source, :sha, :by, :scope, :base, :rf, "
            "CAST(:counts AS jsonb), :report, CAST(:manifest AS jsonb)) RETURNING seq"),
            {"id": vid, "kind": kind, "action": action, "name": name, "source": source,
             "sha": sha256, "by": user.username, "scope": list(scope) if scope else None,
             "base": base, "rf": restored_from,
             "counts": json.dumps(counts) if counts is not None else None, "report": report,
             "manifest": json.dumps(manifest or {}, ensure_ascii=False, default=str)}
        ).scalar()

    def _editor(self, user):
        """The user as stored now (role and scope may have changed since login)."""
        return acting_user(self, user, DATA_ROLES, login="mengubah data memerlukan login editor",
                           refused="bukan editor")

    @contextlib.contextmanager
    def _change(self, kind, user, base_version):
        """``(conn, user, scope, current version)`` of a restore or a discard: the kind
        checked, the editor and their region known, a transaction begun (``_begin``)."""
        self._check_kind(kind)
        user = self._editor(user)
        scope = self._scope_of(user)
        with storage_errors(), self.engine.begin() as conn:
            yield conn, user, scope, self._begin(conn, kind, scope, base_version)

    def _begin(self, conn, kind, scope, base_version) -> str | None:
        """Start a change of ``kind``: lock it, refuse a stale base version; the current
        version id (None: no data yet)."""
        cur = self._lock(conn, kind)
        self._check_base(conn, kind, scope, base_version)
        return cur

    def _check_base(self, conn, kind, scope, base_version) -> None:
        """Refuse a change based on an older version than the latest one that touched the
        editor's region (no silent last-writer-wins); ``None`` skips the check."""
        if base_version is None:
            return
        latest = self._latest_touching(conn, kind, scope)
        if (latest or "") != (base_version or ""):
            raise WorkspaceConflict(kind, base_version or "",
                                    self._version_row(conn, latest) if latest else None)

    def save(self, kind, data, *, name, source="", report=None, extra=None, base_version=None,
             user=None, source_sha256=None):
        """Store ``data`` as the new current version of ``kind`` for ``user``'s region (one
        transaction). Rows outside the region — by their declared code, the village they
        are counted in or the polygon their point lies in — are refused (filter them
        first with geo.store.scope.apply_scope so the report names them). Each row is
        stored under the region it is counted in (``wilayah``), so the editor of that
        region is the one who may replace or remove it.

        The checks of ``data`` (its schema, the editor's scope) run while the server
        stores and indexes the new rows: this thread encodes the COPY data, hands it to a
        thread that only sends it and then has the rows indexed (``_store_rows``), and
        runs the checks meanwhile; the transaction commits only once they have passed,
        and when they refuse the data their refusal is the error raised, whatever failed
        before."""
        self._check_kind(kind)
        user = self._editor(user)
        scope = self._scope_of(user)
        ran = []

        def checks():
            ran.append(True)
            _check(kind, data, scope)

        try:
            return self._save(kind, data, checks, name=name, source=source, report=report,
                              extra=extra, base_version=base_version, user=user, scope=scope,
                              source_sha256=source_sha256)
        except Exception:
            if not ran:      # a refused frame is named by the checks, not by what broke
                checks()
            raise

    def _save(self, kind, data, checks, *, name, source, report, extra, base_version, user,
              scope, source_sha256):
        codes = region_codes(kind, data)
        is_geo = isinstance(data, gpd.GeoDataFrame)
        manifest = {"columns": [str(c) for c in data.columns], "geo": is_geo,
                    "crs": "EPSG:4326" if is_geo else None, **(extra or {})}
        vid = new_id()
        columns = version_columns(kind, data, vid, codes)
        with storage_errors(), self.engine.begin() as conn:
            cur = self._begin(conn, kind, scope, base_version)
            seq = self._insert_version(
                conn, kind, vid, "impor", user, scope, name=str(name), source=str(source),
                sha256=source_sha256, base=base_version,
                counts=dict(report.counts) if report is not None else None,
                report=report.to_csv() if report is not None else None, manifest=manifest)
            part = self._new_rows(conn, kind, vid, seq)
            rows = 0
            if cur is not None and scope is not None:
                rows += self._copy_rows(conn, kind, cur, vid, part, scope, inside=False)
            rows += self._store_rows(conn, kind, vid, part, Encoded(columns, len(data)),
                                     checks)
            self._finish(conn, kind, vid, rows)
            return self._version_row(conn, vid)

    def _store_rows(self, conn, kind, vid, part, data: Encoded, checks) -> int:
        """The rows ``data`` into the version's table ``part``, indexed and attached (in a
        thread: the server's work), while this thread encodes them and then runs
        ``checks``; the rows stored. On any error here (the encoding, a refusal by the
        checks) the COPY is cancelled, or the attach skipped, and the error raised once
        the thread has stopped (the caller's transaction then rolls back)."""
        handover = Handover()

        def server_side() -> int:
            n = self._write_rows(conn, kind, data, part, handover)
            if not handover.abandoned:
                self._attach(conn, kind, vid, part)
            return n

        with ThreadPoolExecutor(1, thread_name_prefix="peta-copy") as pool:
            stored = pool.submit(server_side)
            try:
                for block in data.blocks():
                    if stored.done():       # the COPY failed: its error is raised below
                        break
                    handover.put(block)
                handover.close()
                checks()             # meanwhile; nothing is committed unless they pass
            except BaseException:
                handover.abandon()
                raise
            return stored.result()

    def restore(self, kind, version=None, *, user=None, base_version=None):
        """Make ``version``'s rows of the user's region current again (a new version that
        records where it came from); default: the version before the latest one that
        touched the region."""
        with self._change(kind, user, base_version) as (conn, user, scope, cur):
            if version is None:
                # the version just before the latest one that touched the region
                rows = conn.execute(text("SELECT id, scope FROM peta_version WHERE kind = :k "
                                         "ORDER BY seq DESC"), {"k": kind}).all()
                pos = next((i for i, (vid, vs) in enumerate(rows)
                            if overlaps(list(vs) if vs is not None else None, scope)), None)
                if pos is None:
                    raise WorkspaceError("tidak ada versi sebelumnya yang dapat dipulihkan")
                version = rows[pos + 1][0] if pos + 1 < len(rows) else None
            target = self._version_row(conn, version) if version is not None else None
            if version is not None and (target is None or target.kind != kind):
                raise WorkspaceError(f"versi {version} tidak ditemukan")
            if target is None:      # the region had no data before: restored to empty
                target = DbVersion(kind, "", {"name": "(kosong)"}, self)
            vid = new_id()
            seq = self._insert_version(
                conn, kind, vid, "pulihkan", user, scope, name=target.name,
                source=target.source, sha256=target.manifest.get("sha256"),
                restored_from=target.version or None, counts=target.manifest.get("counts"),
                manifest={k: target.manifest.get(k) for k in ("columns", "geo", "crs")})
            part = self._new_rows(conn, kind, vid, seq)
            n = 0
            if cur is not None and scope is not None:
                n += self._copy_rows(conn, kind, cur, vid, part, scope, inside=False)
            if target.version:
                n += self._copy_rows(conn, kind, target.version, vid, part, scope, inside=True)
            self._attach(conn, kind, vid, part)
            self._finish(conn, kind, vid, n)
            return self._version_row(conn, vid)

    def discard(self, kind, *, user=None, base_version=None) -> None:
        """Remove the user's region from the current data (an admin: everything — the app
        falls back to its samples). Recorded as a version; restorable."""
        with self._change(kind, user, base_version) as (conn, user, scope, cur):
            if cur is None:
                return
            vid = new_id()
            manifest = (conn.execute(text("SELECT manifest FROM peta_version WHERE id = :v"),
                                     {"v": cur}).scalar() or {})
            seq = self._insert_version(
                conn, kind, vid, "hapus", user, scope, name="(dihapus)",
                manifest={k: manifest.get(k) for k in ("columns", "geo", "crs")})
            if scope is None:       # everything removed: no rows, no data in use
                self._finish(conn, kind, None)
                return
            part = self._new_rows(conn, kind, vid, seq)
            n = self._copy_rows(conn, kind, cur, vid, part, scope, inside=False)
            self._attach(conn, kind, vid, part)
            self._finish(conn, kind, vid, n)
