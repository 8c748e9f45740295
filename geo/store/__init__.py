"""Where imported datasets live: one interface, two stores.

* ``FileStore`` (default): the workspace folder of geo.workspace, as on a laptop — no
  server, no login (Kelola Data open as before).
* ``PostgisStore`` when ``PETA_DATABASE_URL=postgresql+psycopg://…`` is set: PostgreSQL +
  PostGIS shared by several app processes, with editors, region scopes, versions with
  who/when/sha256/report, and restore. The schema is created and migrated on first use
  (Alembic, geo/store/migrations).

``get_store()`` returns the store of the current environment (one per URL per process).
"""
from __future__ import annotations

import functools
import os

from geo.store.base import (
    ADMIN,
    DATA_ROLES,
    EDITOR,
    ROLES,
    SEKRETARIAT,
    AuthError,
    StorageError,
    Store,
    User,
    WorkspaceConflict,
    WorkspaceError,
)
from geo.store.scope import in_scope, scope_text

__all__ = ["get_store", "database_url", "Store", "User", "AuthError", "StorageError",
           "WorkspaceConflict", "WorkspaceError", "ADMIN", "EDITOR", "ROLES", "DATA_ROLES",
           "SEKRETARIAT", "in_scope", "scope_text"]


def database_url() -> str | None:
    """``PETA_DATABASE_URL`` (a SQLAlchemy URL, ``postgresql+psycopg://user:pw@host/db``)."""
    return (os.environ.get("PETA_DATABASE_URL") or "").strip() or None


@functools.lru_cache(maxsize=4)
def _store_for(url: str | None) -> Store:
    if url is None:
        from geo.store.files import FileStore
        return FileStore()
    from geo.store.postgis import PostgisStore
    return PostgisStore(url)


def get_store() -> Store:
    """The store selected by the environment (``PETA_DATABASE_URL`` set → PostGIS)."""
    return _store_for(database_url())
