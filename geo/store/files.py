"""The file store: geo.workspace as it is (a folder on one disk, no users)."""
from __future__ import annotations

from geo import workspace
from geo.config import workspace_dir
from geo.store.base import Store
from geo.store.scope import check_scope


class FileStore(Store):
    kind_name = "files"
    requires_login = False

    def current(self, kind):
        return workspace.current(kind)

    def list_versions(self, kind):
        return workspace.list_versions(kind)

    def save(self, kind, data, *, name, source="", report=None, extra=None,
             base_version=None, user=None, source_sha256=None):
        """The workspace save; no logins here, but a save made for a user with a region
        scope still refuses rows outside it (geo.store.scope.check_scope), as the
        PostGIS store does."""
        if user is not None and getattr(user, "scope", None):
            check_scope(kind, data, list(user.scope))
        extra = dict(extra or {})
        if source_sha256:
            extra["sha256"] = source_sha256
        return workspace.save(kind, data, name=name, source=source, report=report,
                              extra=extra or None, base_version=base_version)

    def restore(self, kind, version=None, *, user=None, base_version=None):
        return workspace.restore(kind, version, base_version=base_version)

    def discard(self, kind, *, user=None, base_version=None):
        workspace.discard(kind, base_version=base_version)

    def base_version(self, kind, user=None):
        return workspace.current_version(kind)

    def data_versions(self) -> dict[str, str]:
        """mtime of each kind's ``current.json``: a save by another process shows on its
        next rerun (cheap: a few stat calls)."""
        root = workspace_dir()
        out = {}
        for kind in workspace.KINDS:
            try:
                out[kind] = str((root / kind / "current.json").stat().st_mtime_ns)
            except OSError:
                out[kind] = "-"
        return out

    def data_version(self) -> str:
        return "files:" + ",".join(self.data_versions().values())
