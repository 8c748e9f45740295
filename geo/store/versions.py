"""Versions of the PostGIS store, as read: ``peta_version`` (every import, restore and
removal: who, when, source file name and sha256, scope, counts, the row-level report) and
``peta_current`` (the version in use per kind); which version last touched a region (the
base a change must start from). The changes themselves are geo.store.changes.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from geo.workspace import KINDS, ManifestFields, WorkspaceError


def overlaps(a, b) -> bool:
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
    store: object     # the PostgisStore it is read from

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


class VersionsMixin:
    """Version-reading methods of PostgisStore (needs ``self.engine``)."""

    def data_version(self) -> str:
        with self.engine.connect() as conn:
            return "db:" + str(conn.execute(text(
                "SELECT data_version FROM peta_state WHERE id = 1")).scalar())

    def data_versions(self) -> dict[str, str]:
        """The current version id of each kind (one small query per rerun)."""
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT kind, version_id FROM peta_current")).all()
        return {kind: str(vid or "-") for kind, vid in rows}

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

    def base_version(self, kind: str, user=None) -> str:
        self._check_kind(kind)
        scope = self._scope_of(user) if user is not None else None
        with self.engine.connect() as conn:
            return self._latest_touching(conn, kind, scope) or ""

    def _latest_touching(self, conn, kind: str, scope) -> str | None:
        for vid, vscope in conn.execute(text(
                "SELECT id, scope FROM peta_version WHERE kind = :k ORDER BY seq DESC"),
                {"k": kind}):
            if overlaps(list(vscope) if vscope is not None else None, scope):
                return vid
        return None

    @staticmethod
    def _scope_of(user):
        return None if user.whole else list(user.scope)

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in KINDS:
            raise WorkspaceError(f"jenis data tidak dikenal: {kind!r} (pilih {', '.join(KINDS)})")
