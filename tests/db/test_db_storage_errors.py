"""A save the database cannot store (disk full, read-only) — issue 30, item 8: the
transaction rolls back, the previous version stays in use and the message says both
(real PostgreSQL: the error is raised by the server with its SQLSTATE)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from geo.store import StorageError, User
from geo.store.postgis import PostgisStore
from tests.db.fixtures import PASSWORDS, registry, registry_rows

ADMIN = User("admin", "admin")


def _failing(errcode: str):
    def write_rows(self, conn, *args, **kwargs):
        conn.execute(text(f"DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = "
                          f"'{errcode}'; END $$"))
    return write_rows


@pytest.mark.parametrize("errcode, message", [
    ("disk_full", "Disk basis data penuh: data tidak tersimpan; versi sebelumnya tetap "
                  "dipakai."),
    ("read_only_sql_transaction", "Basis data hanya-baca: data tidak tersimpan; versi "
                                  "sebelumnya tetap dipakai.")])
def test_database_full_keeps_previous_version(store, monkeypatch, errcode, message):
    first = store.save("posyandu", registry("62.03", 3), name="a.csv", user=ADMIN)
    monkeypatch.setattr(PostgisStore, "_write_rows", _failing(errcode))
    with pytest.raises(StorageError) as info:
        store.save("posyandu", registry("62.03", 5, tag="b"), name="b.csv", user=ADMIN)
    assert str(info.value).startswith(message)
    assert store.current("posyandu").version == first.version
    assert len(store.list_versions("posyandu")) == 1      # rolled back: no version row
    monkeypatch.setattr(PostgisStore, "_copy_rows", _failing(errcode))
    with pytest.raises(StorageError, match="^" + message.split(":")[0]):
        store.restore("posyandu", first.version, user=ADMIN)
    assert store.current("posyandu").version == first.version


def test_cli_save_onto_full_database_exits_2(store, monkeypatch, tmp_path, capsys):
    from geo.importers.cli import main
    src = tmp_path / "r.csv"
    registry_rows("62.03", 2).to_csv(src, index=False)
    monkeypatch.setenv("PETA_PASSWORD", PASSWORDS["kapuas"])
    monkeypatch.setattr(PostgisStore, "_write_rows", _failing("disk_full"))
    rc = main(["import", "posyandu", str(src), "--save", "--user", "kapuas"])
    err = capsys.readouterr().err
    assert rc == 2 and "GAGAL menyimpan: Disk basis data penuh" in err
    assert "versi sebelumnya tetap dipakai" in err and store.current("posyandu") is None
