"""The file store: geo.workspace as it is (a folder on one disk, no users)."""
from __future__ import annotations

import inspect

from .. import workspace
from ..config import workspace_dir
from .base import Store, WorkspaceConflict


class FileStore(Store):
    kind_name = "files"
    requires_login = False

    def current(self, kind):
        return workspace.current(kind)

    def list_versions(self, kind):
        return workspace.list_versions(kind)

    def save(self, kind, data, *, name, source="", report=None, extra=None,
             base_version=None, user=None, source_sha256=None):
        extra = dict(extra or {})
        if source_sha256:
            extra["sha256"] = source_sha256
        if "base_version" in inspect.signature(workspace.save).parameters:
            return workspace.save(kind, data, name=name, source=source, report=report,
                                  extra=extra or None, base_version=base_version)
        if base_version is not None:      # until geo.workspace checks it itself
            cur = workspace.current(kind)
            if (cur.version if cur else None) != base_version:
                raise WorkspaceConflict(
                    "data ini sudah diubah orang lain sejak Anda mulai (versi "
                    f"{cur.version if cur else '-'}); muat ulang halaman lalu impor lagi")
        return workspace.save(kind, data, name=name, source=source, report=report,
                              extra=extra or None)

    def restore(self, kind, version=None, *, user=None):
        return workspace.restore(kind, version)

    def discard(self, kind, *, user=None):
        workspace.discard(kind)

    def data_version(self) -> str:
        """mtime of every ``current.json``: a save by another process shows on its next
        rerun (cheap: a few stat calls)."""
        root = workspace_dir()
        parts = []
        for kind in workspace.KINDS:
            try:
                parts.append(str((root / kind / "current.json").stat().st_mtime_ns))
            except OSError:
                parts.append("-")
        return "files:" + ",".join(parts)
