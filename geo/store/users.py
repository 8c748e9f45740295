"""Editors and admins of the PostGIS store: accounts in ``peta_user`` with argon2id
password hashes (never the password), roles and region scopes.

Password guessing is throttled in the database, so the limit holds across every app
process and the command line: failed attempts are counted per user name (``peta_login``;
any name tried, existing or not, so a lock tells nothing about which names exist). Each
failure waits a little longer before answering (``PETA_LOGIN_DELAY_S``, doubled per
failure, at most 8 s); after ``PETA_LOGIN_MAX_FAILURES`` (5) failures the name is locked
for ``PETA_LOGIN_LOCK_MINUTES`` (15): even the right password is refused with a message
saying when to try again (``LoginLocked``). A successful login, the end of the lock, or
an admin's ``unlock_user`` (``python -m geo db unlock NAMA``) starts the count afresh;
failures older than the lock period are forgotten. Every failure and lock is recorded in
``peta_login_event`` ("login gagal", "akun dikunci", "akun dibuka"; ``login_events``).

A name or password holding a control character (NUL, line breaks…) or too long is a
wrong login at once: it never reaches PostgreSQL (which refuses NUL in text).
"""
from __future__ import annotations

import os
import time
from datetime import datetime

import pandas as pd
from sqlalchemy import text

from geo.store.base import EDITOR, ROLES, AuthError, User
from geo.workspace import WorkspaceError

DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCK_MINUTES = 15.0
DEFAULT_DELAY_S = 0.5
MAX_DELAY_S = 8.0
MAX_NAME_CHARS = 120
MAX_PASSWORD_CHARS = 1024

LOGIN_FAILED = "login gagal"
ACCOUNT_LOCKED = "akun dikunci"
ACCOUNT_UNLOCKED = "akun dibuka"


def _env_number(name: str, default: float, *, minimum: float) -> float:
    try:
        return max(float(os.environ.get(name, default)), minimum)
    except ValueError:
        return default


def max_failures() -> int:
    """Failed logins of one name before it is locked (``PETA_LOGIN_MAX_FAILURES``, 5)."""
    return int(_env_number("PETA_LOGIN_MAX_FAILURES", DEFAULT_MAX_FAILURES, minimum=1))


def lock_minutes() -> float:
    """How long a name stays locked (``PETA_LOGIN_LOCK_MINUTES``, 15)."""
    return _env_number("PETA_LOGIN_LOCK_MINUTES", DEFAULT_LOCK_MINUTES, minimum=0.01)


def failure_delay(attempt: int) -> float:
    """Seconds a failed login waits before answering: ``PETA_LOGIN_DELAY_S`` (0.5) for the
    first failure, doubled for each further one, at most 8 s."""
    base = _env_number("PETA_LOGIN_DELAY_S", DEFAULT_DELAY_S, minimum=0)
    return min(base * 2 ** max(attempt - 1, 0), MAX_DELAY_S)


def clean_credential(value, limit: int) -> str | None:
    """``value`` when it can be a user name or password: a string of at most ``limit``
    characters without control characters (NUL, line breaks, tabs…) or lone surrogates;
    else None."""
    if not isinstance(value, str) or len(value) > limit:
        return None
    for ch in value:
        if ch < " " or "\x7f" <= ch <= "\x9f" or "\ud800" <= ch <= "\udfff":
            return None
    return value


class LoginLocked(AuthError):
    """The name is locked after too many failed logins; ``until`` (aware datetime)."""

    def __init__(self, username: str, until: datetime):
        self.username, self.until = username, until
        left = max(int((until - datetime.now(until.tzinfo)).total_seconds() // 60) + 1, 1)
        super().__init__(
            f"Akun {username} dikunci sementara karena terlalu banyak percobaan masuk yang "
            f"gagal. Coba lagi dalam {left} menit (setelah pukul "
            f"{until.astimezone():%H:%M}), atau minta admin membuka kuncinya.")


class UsersMixin:
    """User methods of PostgisStore (needs ``self.engine``)."""

    def _as_user(self, row) -> User:
        return User(row["username"], row["role"], tuple(row["scope"] or ()), bool(row["active"]))

    def get_user(self, username: str) -> User | None:
        if not clean_credential(username, MAX_NAME_CHARS):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM peta_user WHERE username = :u"),
                               {"u": username}).mappings().first()
        return self._as_user(row) if row else None

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM peta_user ORDER BY username")).mappings()
            return [self._as_user(r) for r in rows]

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches (argon2), else None (after a delay growing
        with the failures of that name). Raises LoginLocked while the name is locked,
        whatever the password."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError
        ph = PasswordHasher()
        name = clean_credential(str(username or "").strip(), MAX_NAME_CHARS)
        password = clean_credential(password or "", MAX_PASSWORD_CHARS)
        if not name or password is None:
            ph.hash("x")    # the same cost as a real attempt
            return None
        attempt = self._reserve_attempt(name)
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM peta_user WHERE username = :u AND active"),
                               {"u": name}).mappings().first()
        ok = False
        if row is None or not row["password_hash"]:
            ph.hash(password or "x")    # same cost whether or not the user exists
        else:
            try:
                ok = ph.verify(row["password_hash"], password)
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok:
            self._record_failure(name, attempt)
            time.sleep(failure_delay(attempt))
            return None
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM peta_login WHERE username = :u"), {"u": name})
        if ph.check_needs_rehash(row["password_hash"]):
            self.set_password(row["username"], password)
        return self._as_user(row)

    # ------------------------------------------------------------------ throttling
    @staticmethod
    def _login_event(conn, username: str, action: str, detail: str = "",
                     by: str | None = None) -> None:
        conn.execute(text("INSERT INTO peta_login_event (username, action, detail, by_user) "
                          "VALUES (:u, :a, :d, :b)"),
                     {"u": username, "a": action, "d": detail, "b": by})

    def _reserve_attempt(self, name: str) -> int:
        """Count this attempt before the password is checked (so parallel guesses cannot
        pass the limit together); its number since the last reset. LoginLocked while the
        name is locked."""
        limit, minutes = max_failures(), lock_minutes()
        locked_until = None
        with self.engine.begin() as conn:
            conn.execute(text("INSERT INTO peta_login (username) VALUES (:u) "
                              "ON CONFLICT (username) DO NOTHING"), {"u": name})
            row = conn.execute(text(
                "SELECT failures, locked_until, locked_until > now() AS locked, "
                "last_failure < now() - make_interval(secs => :w) AS stale "
                "FROM peta_login WHERE username = :u FOR UPDATE"),
                {"u": name, "w": minutes * 60}).mappings().one()
            if row["locked"]:
                locked_until = row["locked_until"]
            else:
                # after a lock ran out, or failures long ago: a fresh count
                fresh = row["locked_until"] is not None or bool(row["stale"])
                attempt = 1 if fresh else int(row["failures"]) + 1
                if attempt > limit:     # guesses in flight already reached the limit
                    locked_until = self._lock_login(conn, name, attempt - 1, minutes)
                else:
                    conn.execute(text("UPDATE peta_login SET failures = :n, locked_until = NULL,"
                                      " last_failure = now() WHERE username = :u"),
                                 {"n": attempt, "u": name})
        if locked_until is not None:
            raise LoginLocked(name, locked_until)
        return attempt

    def _lock_login(self, conn, name: str, failures: int, minutes: float):
        until = conn.execute(text(
            "UPDATE peta_login SET locked_until = now() + make_interval(secs => :s) "
            "WHERE username = :u RETURNING locked_until"),
            {"s": minutes * 60, "u": name}).scalar()
        self._login_event(conn, name, ACCOUNT_LOCKED,
                          f"setelah {failures} kali gagal masuk; dikunci sampai "
                          f"{until.astimezone():%Y-%m-%d %H:%M:%S}")
        return until

    def _record_failure(self, name: str, attempt: int) -> None:
        limit = max_failures()
        with self.engine.begin() as conn:
            self._login_event(conn, name, LOGIN_FAILED,
                              f"kata sandi salah atau pengguna tidak ada/aktif; percobaan "
                              f"{attempt} dari {limit}")
            if attempt >= limit:
                self._lock_login(conn, name, attempt, lock_minutes())

    def unlock_user(self, username: str, *, by: str | None = None) -> bool:
        """Forget the failed logins of ``username`` (an admin's unlock); True when it was
        locked."""
        name = clean_credential(str(username or "").strip(), MAX_NAME_CHARS)
        if not name:
            raise WorkspaceError("nama pengguna tidak sah")
        with self.engine.begin() as conn:
            was = conn.execute(text("DELETE FROM peta_login WHERE username = :u "
                                    "RETURNING coalesce(locked_until > now(), false)"),
                               {"u": name}).scalar()
            self._login_event(conn, name, ACCOUNT_UNLOCKED,
                              "kunci dibuka" if was else "hitungan gagal masuk dihapus", by)
        return bool(was)

    def locked_users(self) -> dict[str, datetime]:
        """Names locked now, with the end of their lock."""
        with self.engine.connect() as conn:
            return dict(conn.execute(text(
                "SELECT username, locked_until FROM peta_login WHERE locked_until > now() "
                "ORDER BY username")).all())

    def login_events(self, limit: int = 200, username: str | None = None) -> pd.DataFrame:
        """Failed logins, locks and unlocks, newest first."""
        where = "WHERE username = :u" if username is not None else ""
        with self.engine.connect() as conn:
            df = pd.read_sql(text(
                "SELECT created_at AS waktu, username AS pengguna, action AS aksi, "
                f"detail AS keterangan, by_user AS oleh FROM peta_login_event {where} "
                "ORDER BY seq DESC LIMIT :n"), conn, params={"n": int(limit), "u": username})
        if len(df):
            df["waktu"] = pd.to_datetime(df["waktu"], utc=True).dt.tz_convert(
                datetime.now().astimezone().tzinfo).dt.strftime("%Y-%m-%d %H:%M:%S")
        return df

    @staticmethod
    def _check_user(username: str, role: str, scope) -> list[str]:
        from geo.codes import is_code
        if (not clean_credential(username, MAX_NAME_CHARS)
                or any(ch.isspace() for ch in username)):
            raise WorkspaceError("nama pengguna harus diisi (paling banyak 120 karakter), "
                                 "tanpa spasi atau karakter kontrol")
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
        if password is not None:
            self._check_password(password)
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

    @staticmethod
    def _check_password(password: str) -> None:
        if len(password or "") < 8:
            raise WorkspaceError("kata sandi minimal 8 karakter")
        if clean_credential(password, MAX_PASSWORD_CHARS) is None:
            raise WorkspaceError(f"kata sandi paling banyak {MAX_PASSWORD_CHARS} karakter, "
                                 "tanpa karakter kontrol (mis. tab atau baris baru)")

    def set_password(self, username: str, password: str) -> None:
        self._check_password(password)
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
        if not clean_credential(username, MAX_NAME_CHARS):
            raise WorkspaceError("pengguna tidak ada")
        with self.engine.begin() as conn:
            n = conn.execute(text(f"UPDATE peta_user SET {assignment} WHERE username = :u"),
                             {"v": value, "u": username}).rowcount
        if not n:
            raise WorkspaceError(f"pengguna {username} tidak ada")

    def remove_user(self, username: str) -> None:
        """Deactivate (the audit trail keeps the name)."""
        self._update_user(username, "active = :v", False)
