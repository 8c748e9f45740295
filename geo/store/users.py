"""Editors and admins of the PostGIS store: accounts in ``peta_user`` with argon2id
password hashes (never the password), roles and region scopes."""
from __future__ import annotations

from sqlalchemy import text

from geo.store.base import EDITOR, ROLES, User
from geo.workspace import WorkspaceError


class UsersMixin:
    """User methods of PostgisStore (needs ``self.engine``)."""

    def _as_user(self, row) -> User:
        return User(row["username"], row["role"], tuple(row["scope"] or ()), bool(row["active"]))

    def get_user(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM peta_user WHERE username = :u"),
                               {"u": username}).mappings().first()
        return self._as_user(row) if row else None

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM peta_user ORDER BY username")).mappings()
            return [self._as_user(r) for r in rows]

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches (argon2), else None."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM peta_user WHERE username = :u AND active"),
                               {"u": str(username).strip()}).mappings().first()
        ph = PasswordHasher()
        if row is None or not row["password_hash"]:
            ph.hash(password or "x")    # same cost whether or not the user exists
            return None
        try:
            ph.verify(row["password_hash"], password or "")
        except (VerificationError, InvalidHashError):
            return None
        if ph.check_needs_rehash(row["password_hash"]):
            self.set_password(row["username"], password)
        return self._as_user(row)

    @staticmethod
    def _check_user(username: str, role: str, scope) -> list[str]:
        from geo.codes import is_code
        if not username or len(username) > 120 or any(ch.isspace() for ch in username):
            raise WorkspaceError("nama pengguna harus diisi, tanpa spasi")
        if role not in ROLES:
            raise WorkspaceError(f"peran harus salah satu dari {', '.join(ROLES)}")
        codes = [s.strip() for s in (scope or []) if s and s.strip()]
        bad = [s for s in codes if not is_code(s)]
        if bad:
            raise WorkspaceError(f"kode wilayah tidak dikenal: {', '.join(bad)} "
                                 "(contoh 62 atau 62.03)")
        if role == EDITOR and not codes:
            raise WorkspaceError("editor memerlukan wilayah kewenangan (mis. 62.03)")
        return codes

    def add_user(self, username: str, password: str | None, role: str = EDITOR,
                 scope=(), *, by: str | None = None) -> User:
        """Add an editor/admin. ``password`` None: an OIDC-only account (no local login)."""
        codes = self._check_user(username, role, scope)
        if password is not None and len(password) < 8:
            raise WorkspaceError("kata sandi minimal 8 karakter")
        from argon2 import PasswordHasher
        pw_hash = PasswordHasher().hash(password) if password is not None else None
        with self.engine.begin() as conn:
            exists = conn.execute(text("SELECT 1 FROM peta_user WHERE username = :u"),
                                  {"u": username}).scalar()
            if exists:
                raise WorkspaceError(f"pengguna {username} sudah ada")
            conn.execute(text("INSERT INTO peta_user (username, password_hash, role, scope, "
                              "created_by) VALUES (:u, :h, :r, :s, :b)"),
                         {"u": username, "h": pw_hash, "r": role, "s": codes, "b": by})
        return User(username, role, tuple(codes))

    def set_password(self, username: str, password: str) -> None:
        if len(password or "") < 8:
            raise WorkspaceError("kata sandi minimal 8 karakter")
        from argon2 import PasswordHasher
        self._update_user(username, "password_hash = :v", PasswordHasher().hash(password))

    def set_user(self, username: str, *, role: str | None = None, scope=None,
                 active: bool | None = None) -> User:
        user = self.get_user(username)
        if user is None:
            raise WorkspaceError(f"pengguna {username} tidak ada")
        role = role or user.role
        codes = self._check_user(username, role, user.scope if scope is None else scope)
        with self.engine.begin() as conn:
            conn.execute(text("UPDATE peta_user SET role = :r, scope = :s, active = :a "
                              "WHERE username = :u"),
                         {"r": role, "s": codes, "u": username,
                          "a": user.active if active is None else bool(active)})
        return self.get_user(username)

    def _update_user(self, username: str, assignment: str, value) -> None:
        with self.engine.begin() as conn:
            n = conn.execute(text(f"UPDATE peta_user SET {assignment} WHERE username = :u"),
                             {"v": value, "u": username}).rowcount
        if not n:
            raise WorkspaceError(f"pengguna {username} tidak ada")

    def remove_user(self, username: str) -> None:
        """Deactivate (the audit trail keeps the name)."""
        self._update_user(username, "active = :v", False)
