"""The store interface shared by the file store and the PostGIS store, and its users."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.workspace import (  # noqa: F401  (re-exported)
    KIND_LABELS,
    KINDS,
    StorageError,
    WorkspaceConflict,
    WorkspaceError,
)

EDITOR = "editor"
ADMIN = "admin"
SEKRETARIAT = "sekretariat"   # the Pokjanal secretariat: meeting records, never data
ROLES = (EDITOR, ADMIN, SEKRETARIAT)
DATA_ROLES = (EDITOR, ADMIN)  # may import, restore and remove data


class AuthError(WorkspaceError):
    """Not logged in, wrong password, or not allowed (message in Indonesian)."""


@dataclass(frozen=True)
class User:
    """An editor or admin. ``scope``: region codes the user may change (empty = all,
    only for admins)."""
    username: str
    role: str = EDITOR
    scope: tuple[str, ...] = field(default_factory=tuple)
    active: bool = True

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def whole(self) -> bool:
        """May change data of every region (an admin without a scope)."""
        return self.is_admin and not self.scope


class Store:
    """What Kelola Data, the audit page, the CLI and geo.datasets use.

    Versions are objects with ``kind, version, name, source, imported_at, rows, manifest,
    data_path, load(), label()`` (geo.workspace.Version and its database twin).
    """
    kind_name = "files"
    kinds = KINDS
    kind_labels = KIND_LABELS
    #: editing needs a login (False for the file store: a laptop at a meeting)
    requires_login = False

    def current(self, kind: str):
        raise NotImplementedError

    def list_versions(self, kind: str) -> list:
        raise NotImplementedError

    def base_version(self, kind: str, user: User | None = None) -> str | None:
        """The version a save by ``user`` must be based on (the latest one that touched
        the user's region); pass it back to ``save(base_version=…)``."""
        cur = self.current(kind)
        return cur.version if cur else None

    def save(self, kind: str, data, *, name: str, source: str = "", report=None,
             extra: dict | None = None, base_version: str | None = None,
             user: User | None = None, source_sha256: str | None = None):
        raise NotImplementedError

    def restore(self, kind: str, version: str | None = None, *, user: User | None = None):
        raise NotImplementedError

    def discard(self, kind: str, *, user: User | None = None) -> None:
        raise NotImplementedError

    def data_version(self) -> str:
        """Changes whenever any dataset changes (cheap)."""
        return ""

    def data_versions(self) -> dict[str, str]:
        """The version of each kind (``"*"``: all kinds alike), asked once per rerun; the
        app keys its cached tables on the kinds they depend on."""
        return {"*": self.data_version()}

    # users (database only)
    def authenticate(self, username: str, password: str) -> User | None:
        return None

    def get_user(self, username: str) -> User | None:
        return None

    def audit(self, limit: int = 500) -> pd.DataFrame:
        return pd.DataFrame()
