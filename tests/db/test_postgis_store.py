"""The PostGIS store against a real PostgreSQL + PostGIS (tests/db/fixtures.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from geo.store import AuthError, User, WorkspaceConflict
from tests.db.fixtures import PASSWORDS, registry, registry_rows

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable


def _cli(*args, env=None, **kw):
    return subprocess.run([PY, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300, **kw)


def _current_ids(store, kind="posyandu"):
    data = store.current(kind).load()
    return sorted(data["id"])


def test_schema_postgis_point_gist_and_status(store):
    with store.engine.connect() as conn:
        gtype, srid = conn.execute(text(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'posyandu'")).one()
        indexes = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename = "
                                    "'posyandu'")).scalars().all()
    assert (gtype, srid) == ("POINT", 4326)
    assert any("USING gist (geom)" in d for d in indexes)
    status = store.status()
    assert status["schema_version"] == status["schema_head"] == "0004_version_partitions"
    assert status["current"]["posyandu"] is None and status["counts"]["posyandu"] == 0


def test_cli_import_as_editor_refuses_rows_outside_scope(store, tmp_path):
    """Done-when: db init, import --save as the 62.03 editor (rows of 62.71 refused and
    named), db status shows the new version; the rows are PostGIS points."""
    frame = pd.concat([registry_rows("62.03", 3), registry_rows("62.71", 2)],
                      ignore_index=True)
    src = tmp_path / "registri-kapuas.csv"
    frame.to_csv(src, index=False)
    assert _cli("db", "init").returncode == 0
    report = tmp_path / "laporan.csv"
    res = _cli("import", "posyandu", str(src), "--save", "--user", "kapuas",
               "--report", str(report), env={"PETA_PASSWORD": PASSWORDS["kapuas"]})
    assert res.returncode == 0, res.stderr
    text_report = report.read_text(encoding="utf-8-sig")
    for row in (5, 6):     # file rows of the 62.71 Posyandu (header = row 1)
        assert f"{row},kode_desa,62.71" in text_report
    assert "di luar wilayah kewenangan Anda (62.03)" in text_report
    status = json.loads(_cli("db", "status").stdout)
    vid = status["current"]["posyandu"]
    assert vid and vid in res.stdout and status["counts"]["posyandu"] == 3
    with store.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT v.created_by, v.source, v.source_sha256, v.report, "
            "ST_AsText(p.geom), p.wilayah FROM peta_version v JOIN posyandu p "
            "ON p.version_id = v.id WHERE v.id = :v ORDER BY p.baris LIMIT 1"),
            {"v": vid}).one()
    import hashlib
    assert row[0] == "kapuas" and row[1] == src.name
    assert row[2] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert "62.71" in row[3] and row[4].startswith("POINT(114.35") and row[5].startswith("62.03.")


def test_cli_import_wrong_password_saves_nothing(store, tmp_path):
    src = tmp_path / "r.csv"
    registry_rows("62.03", 2).to_csv(src, index=False)
    res = _cli("import", "posyandu", str(src), "--save", "--user", "kapuas",
               env={"PETA_PASSWORD": "salah-sekali"})
    assert res.returncode == 2 and "login gagal" in res.stderr
    assert store.current("posyandu") is None


def test_save_refuses_rows_outside_scope(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    mixed = pd.concat([registry("62.03", 2), registry("62.71", 1)], ignore_index=True)
    with pytest.raises(AuthError, match="di luar wilayah kewenangan"):
        store.save("posyandu", mixed, name="x", user=kapuas)
    with pytest.raises(AuthError, match="login editor"):
        store.save("posyandu", registry("62.03", 1), name="x", user=None)
    assert store.current("posyandu") is None


def test_row_counted_in_another_region_belongs_to_that_region(store):
    """Issue 30: a code under 62.03 with a point in 62.71 (unknown code: counted in 62.71;
    known code: drawn in 62.71) is refused for the 62.03 editor. Saved by the admin, the
    unknown-code row is stored under the village it is counted in, so the 62.71 editor's
    re-import replaces it."""
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    palangka = store.authenticate("palangka", PASSWORDS["palangka"])
    admin = store.authenticate("admin", PASSWORDS["admin"])
    trick = registry("62.03", 2)
    trick["kode_desa"] = ["62.03.99.9999", trick["kode_desa"].iloc[1]]
    at_palangka = registry("62.71", 1).geometry.iloc[0]
    trick = trick.set_geometry([at_palangka, at_palangka], crs=4326)
    trick["lat"], trick["lon"] = at_palangka.y, at_palangka.x
    for row in range(2):
        with pytest.raises(AuthError, match="titiknya berada di .*62.71"):
            store.save("posyandu", trick.iloc[[row]], name="x", user=kapuas)
    assert store.current("posyandu") is None
    store.save("posyandu", trick.iloc[[0]], name="admin", user=admin)
    with store.engine.connect() as conn:
        (where,) = conn.execute(text("SELECT wilayah FROM posyandu")).scalars().all()
    assert where.startswith("62.71.")
    store.save("posyandu", registry("62.71", 1, tag="p"), name="p", user=palangka,
               base_version=store.base_version("posyandu", palangka))
    assert _current_ids(store) == ["62.71-p0"]


def test_two_editors_merge_by_region_and_reimport_replaces_only_own(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    palangka = store.authenticate("palangka", PASSWORDS["palangka"])
    base_k = store.base_version("posyandu", kapuas)
    base_p = store.base_version("posyandu", palangka)
    store.save("posyandu", registry("62.03", 3), name="k1", user=kapuas, base_version=base_k)
    # palangka started from the same (empty) state, but for another kabupaten: lands too
    store.save("posyandu", registry("62.71", 2), name="p1", user=palangka, base_version=base_p)
    ids = _current_ids(store)
    assert ids == ["62.03-0", "62.03-1", "62.03-2", "62.71-0", "62.71-1"]
    store.save("posyandu", registry("62.03", 1, tag="b"), name="k2", user=kapuas,
               base_version=store.base_version("posyandu", kapuas))
    assert _current_ids(store) == ["62.03-b0", "62.71-0", "62.71-1"]


def test_concurrent_saves_from_same_base_one_lands(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    store.save("posyandu", registry("62.03", 2), name="awal", user=kapuas)
    base = store.base_version("posyandu", kapuas)
    results = {}
    barrier = threading.Barrier(2)

    def save(tag):
        data = registry("62.03", 50, tag=tag)
        barrier.wait()
        try:
            v = store.save("posyandu", data, name=tag, user=kapuas, base_version=base)
            results[tag] = v.version
        except WorkspaceConflict as exc:
            results[tag] = exc

    threads = [threading.Thread(target=save, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    errors = [r for r in results.values() if isinstance(r, Exception)]
    landed = [r for r in results.values() if isinstance(r, str)]
    assert len(errors) == 1 and len(landed) == 1, results
    assert "oleh pengguna lain" in str(errors[0]) and "Tidak ada yang disimpan" in str(errors[0])
    assert store.current("posyandu").version == landed[0]
    assert len(store.current("posyandu").load()) == 50


KILLED_SAVE = """
import sys
import geopandas as gpd
from geo.store.postgis import PostgisStore
s = PostgisStore(sys.argv[1], migrate=False)
user = s.authenticate("kapuas", sys.argv[2])
s.save("posyandu", gpd.read_parquet(sys.argv[3]), name="terbunuh", user=user)
print("SELESAI")
"""


def test_killed_import_leaves_previous_version(store, db_url, tmp_path):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    before = store.save("posyandu", registry("62.03", 3), name="lama", user=kapuas)
    registry("62.03", 400, tag="baru").to_parquet(tmp_path / "baru.parquet")
    engine = create_engine(db_url)
    with engine.connect() as blocker:
        tx = blocker.begin()
        # hold the data-version row: the save writes all its rows, then waits on it (its
        # last statement) — the moment to kill it
        blocker.execute(text("SELECT data_version FROM peta_state FOR UPDATE"))
        proc = subprocess.Popen([PY, "-c", KILLED_SAVE, db_url, PASSWORDS["kapuas"],
                                 str(tmp_path / "baru.parquet")],
                                cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 120
        written = 0
        while time.time() < deadline and proc.poll() is None:
            with engine.connect() as probe:
                waiting = probe.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE 'UPDATE peta_state%'")).scalar()
            if waiting:
                written = 1
                break
            time.sleep(0.1)
        assert written, proc.communicate(timeout=10)
        proc.kill()
        proc.wait(10)
        tx.rollback()
    time.sleep(0.5)
    cur = store.current("posyandu")
    assert cur.version == before.version and cur.name == "lama"
    assert _current_ids(store) == ["62.03-0", "62.03-1", "62.03-2"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM peta_version")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM posyandu WHERE id LIKE '%baru%'")
                            ).scalar() == 0
    engine.dispose()


def test_restore_region_version(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    palangka = store.authenticate("palangka", PASSWORDS["palangka"])
    v1 = store.save("posyandu", registry("62.03", 2), name="k1", user=kapuas)
    store.save("posyandu", registry("62.71", 1), name="p1", user=palangka)
    store.save("posyandu", registry("62.03", 1, tag="b"), name="k2", user=kapuas)
    assert _current_ids(store) == ["62.03-b0", "62.71-0"]
    r = store.restore("posyandu", v1.version, user=kapuas)
    assert r.manifest["restored_from"] == v1.version
    assert _current_ids(store) == ["62.03-0", "62.03-1", "62.71-0"]   # palangka's kept
    audit = store.audit()
    assert audit.iloc[0]["aksi"] == "pulihkan" and audit.iloc[0]["oleh"] == "kapuas"
    assert list(audit["aksi"]) == ["pulihkan", "impor", "impor", "impor"]
    # an editor may restore only their own region: palangka's restore of v1 touches 62.71
    store.restore("posyandu", None, user=palangka)   # the version before p1: no 62.71 rows
    assert _current_ids(store) == ["62.03-0", "62.03-1"]
    store.discard("posyandu", user=store.get_user("admin"))
    assert store.current("posyandu") is None


def test_passwords_are_argon2_hashes_never_clear(store):
    with store.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT username, password_hash FROM peta_user")).all())
        dump = " ".join(str(r) for r in conn.execute(text("SELECT * FROM peta_user")).all())
    for name, pw in PASSWORDS.items():
        assert rows[name].startswith("$argon2id$") and pw not in rows[name]
        assert pw not in dump
    assert store.authenticate("kapuas", PASSWORDS["kapuas"]) == User("kapuas", "editor",
                                                                     ("62.03",))
    assert store.authenticate("kapuas", PASSWORDS["palangka"]) is None
    assert store.authenticate("tidak-ada", "apa-saja-123") is None
    store.remove_user("kapuas")
    assert store.authenticate("kapuas", PASSWORDS["kapuas"]) is None


def test_cli_user_add_and_list(store):
    res = _cli("db", "user", "add", "barsel", "--scope", "62.04",
               env={"PETA_PASSWORD": "barsel-rahasia-1"})
    assert res.returncode == 0, res.stderr
    users = [json.loads(line) for line in _cli("db", "user", "list").stdout.splitlines()]
    assert {"username": "barsel", "role": "editor", "scope": ["62.04"], "active": True} in users
    bad = _cli("db", "user", "add", "x", "--scope", "bukan-kode",
               env={"PETA_PASSWORD": "barsel-rahasia-1"})
    assert bad.returncode == 2 and "kode wilayah tidak dikenal" in bad.stderr


SECOND_PROCESS = """
from geo import datasets
data, info = datasets.posyandu()
print(info.sample, len(data), sorted(data["id"])[0])
"""


def test_second_process_sees_saved_data_and_data_version_moves(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    dv0 = store.data_version()
    store.save("posyandu", registry("62.03", 4), name="k", user=kapuas)
    assert store.data_version() != dv0
    out = subprocess.run([PY, "-c", SECOND_PROCESS], cwd=REPO, capture_output=True, text=True,
                         timeout=300)
    assert out.stdout.split() == ["False", "4", "62.03-0"], out.stderr
