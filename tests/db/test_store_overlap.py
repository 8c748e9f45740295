"""A save's COPY overlapping its checks (issue 25): the save's thread encodes the rows and
hands them to a thread that sends them and has them indexed and attached, then runs the
checks. Whichever side fails, and whenever, nothing of the change is left — no version
(audit) row, no partition, no table — and the previous version stays in use (a real
PostgreSQL + PostGIS, tests/db/fixtures.py)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from geo.store import User
from geo.store import changes as store_changes
from geo.store import tables as store_tables
from geo.store.copy import Encoded
from geo.store.postgis import PostgisStore
from geo.workspace import SchemaRefused
from tests.db.fixtures import registry

ADMIN = User("admin", "admin")


def _tables(store) -> list[str]:
    """Every version table (attached or not) in the database."""
    with store.engine.connect() as conn:
        return conn.execute(text(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND relname ~ "
            "'^posyandu_v[0-9]+$' ORDER BY relname")).scalars().all()


def _only(store, first) -> None:
    """The store holds ``first`` and nothing of a later change."""
    assert store.current("posyandu").version == first.version
    assert [v.version for v in store.list_versions("posyandu")] == [first.version]
    assert store.audit()["versi"].tolist() == [first.version]
    with store.engine.connect() as conn:
        seq = conn.execute(text("SELECT seq FROM peta_version WHERE id = :v"),
                           {"v": first.version}).scalar()
    assert _tables(store) == [f"posyandu_v{seq}"]
    assert sorted(first.load()["id"]) == sorted(store.current("posyandu").load()["id"])


def test_refusal_after_the_rows_are_stored_and_indexed_leaves_nothing(store, monkeypatch):
    """The checks refuse the data only once the other thread has copied the rows,
    indexed them and attached their table: all of it is rolled back."""
    first = store.save("posyandu", registry("62.03", 3), name="a.csv", user=ADMIN)
    attached = threading.Event()
    real_attach = PostgisStore._attach

    def attach(self, *args):
        real_attach(self, *args)
        attached.set()

    def late_refusal(kind, data, scope):
        assert attached.wait(60), "the rows were never attached"
        raise SchemaRefused("Registri Posyandu tidak disimpan (uji: penolakan terlambat)")

    monkeypatch.setattr(PostgisStore, "_attach", attach)
    monkeypatch.setattr(store_changes, "_check", late_refusal)
    with pytest.raises(SchemaRefused, match="penolakan terlambat"):
        store.save("posyandu", registry("62.03", 30, tag="b"), name="b.csv", user=ADMIN)
    assert attached.is_set()
    _only(store, first)


def test_encoding_error_midway_cancels_the_copy_under_way(store, monkeypatch):
    """The encoding fails after the other thread has started sending the rows: the COPY
    is cancelled, the encoding's error is the one raised, nothing is left, and the
    connection serves the next save."""
    first = store.save("posyandu", registry("62.03", 3), name="a.csv", user=ADMIN)
    sending = threading.Event()
    real_copy = store_tables.copy_buffers
    real_blocks = Encoded.blocks

    def copy_buffers(conn, table, names, buffers):
        def watched():
            for i, buffer in enumerate(buffers):
                yield buffer
                if i == 1:          # the signature and the first rows are at the server
                    sending.set()
        return real_copy(conn, table, names, watched())

    def blocks(self, rows=None):
        parts = real_blocks(self, 4)
        yield next(parts)
        yield next(parts)
        assert sending.wait(60), "the COPY never started"
        raise ValueError("pengodean gagal (uji)")

    monkeypatch.setattr(store_tables, "copy_buffers", copy_buffers)
    monkeypatch.setattr(Encoded, "blocks", blocks)
    with pytest.raises(ValueError, match="pengodean gagal"):
        store.save("posyandu", registry("62.03", 20, tag="b"), name="b.csv", user=ADMIN)
    assert sending.is_set()
    _only(store, first)
    monkeypatch.undo()
    again = store.save("posyandu", registry("62.03", 20, tag="c"), name="c.csv", user=ADMIN)
    assert store.current("posyandu").version == again.version
    assert sorted(again.load()["id"]) == sorted(f"62.03-c{i}" for i in range(20))


def test_database_error_in_the_copy_thread_is_raised_after_the_checks(store, monkeypatch):
    """The server refuses the rows while the checks run: the checks still finish (a
    refused frame is named by them) and then the database's error is raised; nothing is
    left."""
    first = store.save("posyandu", registry("62.03", 3), name="a.csv", user=ADMIN)
    checked = []
    real_check = store_changes._check

    def check(kind, data, scope):
        real_check(kind, data, scope)
        checked.append(len(data))

    def refused(conn, table, names, buffers):
        with conn.connection.driver_connection.cursor() as cur:
            cur.execute("DO $$ BEGIN RAISE EXCEPTION 'ditolak server (uji)'; END $$")

    monkeypatch.setattr(store_changes, "_check", check)
    monkeypatch.setattr(store_tables, "copy_buffers", refused)
    with pytest.raises(Exception, match="ditolak server"):
        store.save("posyandu", registry("62.03", 12, tag="b"), name="b.csv", user=ADMIN)
    assert checked == [12]
    _only(store, first)
