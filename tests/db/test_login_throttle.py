"""Password guessing against the PostGIS store (issue 30, item 7): failed logins are counted
per user name in the database (so every app process and the CLI share the count), each
failure waits longer, five failures lock the name for a while (even the right password is
refused, with a message saying when to try again), an admin unlocks, a successful login
resets, every failure and lock is recorded; a NUL byte never reaches PostgreSQL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from geo.store import AuthError, WorkspaceError
from geo.store.users import LoginLocked, failure_delay
from tests.db.fixtures import PASSWORDS, registry_rows

REPO = Path(__file__).resolve().parents[2]
WRONG = "salah-sekali-1"


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch):
    monkeypatch.setenv("PETA_LOGIN_DELAY_S", "0")
    monkeypatch.delenv("PETA_LOGIN_MAX_FAILURES", raising=False)
    monkeypatch.delenv("PETA_LOGIN_LOCK_MINUTES", raising=False)


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def _events(store, name):
    return store.login_events(username=name)["aksi"].tolist()[::-1]     # oldest first


def test_five_failures_lock_even_the_right_password_then_admin_unlocks(store):
    for _ in range(5):
        assert store.authenticate("kapuas", WRONG) is None
    with pytest.raises(LoginLocked) as info:
        store.authenticate("kapuas", PASSWORDS["kapuas"])
    msg = str(info.value)
    assert msg.startswith("Akun kapuas dikunci sementara karena terlalu banyak percobaan "
                          "masuk yang gagal. Coba lagi dalam 15 menit (setelah pukul ")
    assert "minta admin membuka kuncinya" in msg and isinstance(info.value, AuthError)
    assert list(store.locked_users()) == ["kapuas"]
    # the record: five failures and the lock (the refused right password is not a failure)
    assert _events(store, "kapuas") == ["login gagal"] * 5 + ["akun dikunci"]
    detail = store.login_events(username="kapuas")["keterangan"].tolist()
    assert detail[0].startswith("setelah 5 kali gagal masuk; dikunci sampai ")
    assert detail[1].endswith("percobaan 5 dari 5")
    # other names are not affected
    assert store.authenticate("palangka", PASSWORDS["palangka"]) is not None
    # an admin unlocks: the right password works at once, recorded with who unlocked
    assert store.unlock_user("kapuas", by="admin") is True
    assert store.locked_users() == {}
    events = store.login_events(username="kapuas")
    assert events.iloc[0]["aksi"] == "akun dibuka" and events.iloc[0]["oleh"] == "admin"
    assert store.authenticate("kapuas", PASSWORDS["kapuas"]).username == "kapuas"


def test_success_resets_the_count(store):
    for _ in range(4):
        assert store.authenticate("kapuas", WRONG) is None
    assert store.authenticate("kapuas", PASSWORDS["kapuas"]) is not None
    for _ in range(4):
        assert store.authenticate("kapuas", WRONG) is None
    assert store.authenticate("kapuas", PASSWORDS["kapuas"]) is not None
    assert store.locked_users() == {}
    assert "akun dikunci" not in _events(store, "kapuas")


def test_lock_ends_by_itself_and_limits_come_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("PETA_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("PETA_LOGIN_LOCK_MINUTES", "0.02")      # 1.2 s
    assert store.authenticate("kapuas", WRONG) is None
    assert store.authenticate("kapuas", WRONG) is None
    with pytest.raises(LoginLocked):
        store.authenticate("kapuas", PASSWORDS["kapuas"])
    time.sleep(1.5)
    # a fresh count after the lock: one more failure does not lock again at once
    assert store.authenticate("kapuas", WRONG) is None
    assert store.authenticate("kapuas", PASSWORDS["kapuas"]) is not None


def test_unknown_names_are_locked_alike(store):
    """A lock must not tell which names exist."""
    for _ in range(5):
        assert store.authenticate("tidak-ada", WRONG) is None
    with pytest.raises(LoginLocked):
        store.authenticate("tidak-ada", WRONG)
    assert _events(store, "tidak-ada") == ["login gagal"] * 5 + ["akun dikunci"]


def test_the_count_is_shared_by_processes(store, db_url):
    """Two app processes = two stores (own engines): the failures of both add up; the CLI
    (a third process) is refused with the lock's message, exit status 2."""
    from geo.store.postgis import PostgisStore
    other = PostgisStore(db_url, migrate=False)
    try:
        for s in (store, other, store, other, store):
            assert s.authenticate("kapuas", WRONG) is None
        with pytest.raises(LoginLocked):
            other.authenticate("kapuas", PASSWORDS["kapuas"])
    finally:
        other.engine.dispose()
    res = _cli("db", "user", "list")
    rows = {r["username"]: r for r in map(json.loads, res.stdout.splitlines())}
    assert rows["kapuas"]["locked_until"] and "locked_until" not in rows["admin"]


def test_cli_import_refused_while_locked_and_db_unlock(store, tmp_path):
    for _ in range(5):
        store.authenticate("kapuas", WRONG)
    src = tmp_path / "r.csv"
    registry_rows("62.03", 2).to_csv(src, index=False)
    args = ("import", "posyandu", str(src), "--save", "--user", "kapuas")
    env = {"PETA_PASSWORD": PASSWORDS["kapuas"]}
    res = _cli(*args, env=env)
    assert res.returncode == 2 and "Akun kapuas dikunci sementara" in res.stderr
    assert "Traceback" not in res.stderr and store.current("posyandu") is None
    res = _cli("db", "unlock", "kapuas")
    assert res.returncode == 0 and res.stdout.strip() == "Kunci akun kapuas dibuka."
    assert _cli(*args, env=env).returncode == 0
    assert store.current("posyandu").rows == 2
    logins = [json.loads(x) for x in _cli("db", "logins", "--user", "kapuas").stdout.splitlines()]
    assert logins[0]["aksi"] == "akun dibuka" and logins[0]["oleh"] == "cli"


BAD = [("admin\x00", PASSWORDS["admin"]), ("adm\x00in", "x"), ("admin", "admin-rahasia-1\x00"),
       ("admin\n", "x\r\n"), ("ad\x7fmin", "x"), ("ad\ud800min", "x"), ("a" * 121, "x"),
       ("admin", "x" * 1025), ("", PASSWORDS["admin"])]


def test_control_characters_are_a_wrong_login_and_never_reach_postgres(store):
    for name, password in BAD:
        assert store.authenticate(name, password) is None, (name, password)
    for name in ("admin\x00", "adm\x00in", "ad\ud800min", "a" * 121):
        assert store.get_user(name) is None
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM peta_login")).scalar() == 0
    with pytest.raises(WorkspaceError, match="tanpa spasi atau karakter kontrol"):
        store.add_user("baru\x00", "kata-sandi-baru", "admin")
    with pytest.raises(WorkspaceError, match="tanpa karakter kontrol"):
        store.add_user("baru", "kata-sandi\x00baru", "admin")
    with pytest.raises(WorkspaceError, match="tidak ada"):
        store.set_password("admin\x00", "kata-sandi-baru")
    assert store.authenticate("admin", PASSWORDS["admin"]) is not None


def test_failure_delay_grows():
    os.environ["PETA_LOGIN_DELAY_S"] = "0.5"
    try:
        assert [failure_delay(n) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 8]
    finally:
        os.environ["PETA_LOGIN_DELAY_S"] = "0"


def test_failed_login_waits(store, monkeypatch):
    monkeypatch.setenv("PETA_LOGIN_DELAY_S", "0.3")
    store.authenticate("kapuas", WRONG)
    t0 = time.perf_counter()
    store.authenticate("kapuas", WRONG)          # second failure: 0.6 s
    assert time.perf_counter() - t0 >= 0.6


def _masuk() -> AppTest:
    return AppTest.from_file(str(REPO / "pages" / "masuk.py"), default_timeout=120).run()


def _login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login-name").input(name)
    at.text_input(key="login-password").input(password)
    return at.button[0].click().run()


def test_masuk_page_nul_byte_and_lock_message(store):
    at = _masuk()
    _login(at, "admin\x00", PASSWORDS["admin"])
    assert not at.exception
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    for _ in range(5):
        _login(at, "admin", WRONG)
    _login(at, "admin", PASSWORDS["admin"])
    assert not at.exception and not at.success
    [error] = [e.value for e in at.error]
    assert error.startswith("Akun admin dikunci sementara") and "Coba lagi dalam 15 menit" in error


def test_audit_page_shows_locks_and_failed_logins_and_admin_unlocks(store):
    for _ in range(5):
        store.authenticate("kapuas", WRONG)
    at = AppTest.from_file(str(REPO / "pages" / "audit.py"), default_timeout=120)
    at.session_state["peta_user"] = store.get_user("admin")
    at.run()
    assert not at.exception
    assert any("kapuas" in w.value and "Dikunci" in w.value for w in at.warning)
    events = [df.value for df in at.dataframe if "aksi" in df.value.columns]
    assert events and "akun dikunci" in set(events[0]["aksi"])
    at.button(key="ul-go").click().run()
    assert not at.exception and store.locked_users() == {}
    assert "Kunci akun kapuas dibuka." in [s.value for s in at.success]
