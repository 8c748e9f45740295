"""Version partitions of the PostGIS store (issue 25): each version's rows are a table of
their own, filled by a binary COPY built column by column and attached as the version's
partition; migration 0004 moves the rows of an existing database (a real PostgreSQL +
PostGIS, tests/db/fixtures.py)."""
from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon
from sqlalchemy import create_engine, text

from geo.store import StorageError, User, schema
from geo.store import tables as store_tables
from geo.store.copy import copy_rows
from geo.store.postgis import PostgisStore
from geo.store.scope import region_codes
from geo.store.tables import POSYANDU_COLUMNS, version_columns
from geo.workspace import SchemaRefused
from tests.db.fixtures import PASSWORDS, registry

ADMIN = User("admin", "admin")
#: psycopg's own types of the COPY columns (jsonb and geometry as their binary forms)
REFERENCE_TYPES = ["text", "text", "int4", "text", "text", "text", "float8", "float8", "text",
                   *["int4"] * 5, *["bool"] * 9, "text", "bytea", "bytea"]
#: every column as text, to compare two tables row by row
AS_TEXT = ", ".join(["version_id", "wilayah", "baris", *POSYANDU_COLUMNS, "attrs::text",
                     "encode(ST_AsEWKB(geom), 'hex')"])


def _awkward_registry() -> gpd.GeoDataFrame:
    """A registry with what a COPY must get right: missing counts and flags, text in
    many scripts with quotes and separators, an empty optional text, a row without a
    point, and an extra column of mixed values (stored as JSON)."""
    frame = registry("62.03", 7)
    frame["nama"] = ["Posyandu Ñusa \"Indah\"", "Melati\t1\n2", "Mawar \\ 3", "Ṭulip 🌱",
                     "Kenanga, 'Kita'", "Anggrek;", "Dahlia"]
    frame["jumlah_kader"] = pd.array([5, None, 0, 7, None, 2, 1], dtype="Int64")
    frame["internet"] = pd.array([True, None, False, True, None, False, True],
                                 dtype="boolean")
    frame["strata"] = frame["strata"].astype(object)
    frame.loc[2, "strata"] = None
    frame["catatan"] = ["a", None, 3, 2.5, True, "é\"", "x"]
    geoms = list(frame.geometry)
    geoms[3] = None
    frame = frame.set_geometry(gpd.GeoSeries(geoms, crs=4326, index=frame.index))
    return frame


def _reference_rows(frame, codes, vid: str):
    """The same rows as Python values for psycopg's ``write_row`` (the row-by-row writer
    the store used before, kept here as the reference)."""
    extra = [c for c in frame.columns if c not in ("baris", "geometry", *POSYANDU_COLUMNS)]
    for i in range(len(frame)):
        row = frame.iloc[i]

        def value(c, row=row):
            v = row[c] if c in frame.columns else None
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                return None
            return v.item() if isinstance(v, np.generic) else v

        attrs = {k: store_tables._json_value(row[k]) for k in extra}
        geom = row.geometry
        yield (vid, codes.iloc[i], int(row["baris"]),
               *(value(c) for c in POSYANDU_COLUMNS),
               b"\x01" + json.dumps(attrs, ensure_ascii=False).encode() if extra else None,
               None if geom is None else shapely.to_wkb(shapely.set_srid(geom, 4326),
                                                        include_srid=True))


def test_copy_sends_what_psycopg_sends(store):
    """The column-by-column COPY (several blocks) stores exactly what psycopg's
    row-by-row writer stores for the same rows."""
    frame = _awkward_registry()
    codes = region_codes("posyandu", frame)
    cols = ("version_id", "wilayah", "baris", *POSYANDU_COLUMNS, "attrs", "geom")
    with store.engine.begin() as conn:
        for t in ("mine", "theirs"):
            conn.execute(text(f"CREATE TEMP TABLE {t} (LIKE posyandu)"))
        n = copy_rows(conn, "mine", version_columns("posyandu", frame, "v-uji", codes),
                      len(frame), block_rows=3)
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY theirs ({', '.join(cols)}) FROM STDIN "
                                           "(FORMAT BINARY)") as cp:
            cp.set_types(REFERENCE_TYPES)
            for row in _reference_rows(frame, codes, "v-uji"):
                cp.write_row(row)
        mine = conn.execute(text(f"SELECT {AS_TEXT} FROM mine ORDER BY baris")).all()
        theirs = conn.execute(text(f"SELECT {AS_TEXT} FROM theirs ORDER BY baris")).all()
    assert n == len(frame) == len(mine)
    assert mine == theirs
    nulls = dict(zip(["version_id", "wilayah", "baris", *POSYANDU_COLUMNS, "attrs", "geom"],
                     zip(*mine)))
    assert nulls["geom"][3] is None and nulls["jumlah_kader"][1] is None
    assert nulls["nama"][1] == "Melati\t1\n2" and nulls["nama"][3] == "Ṭulip 🌱"


def test_save_and_load_keep_every_value(store):
    """What is saved is what loads back: missing counts and flags, text, a row without a
    point, the extra column; boundaries (polygons) and an indicator table too."""
    frame = _awkward_registry().drop(columns="catatan")
    frame["catatan"] = ["a", None, "3", "", "b", "é\"", "x"]
    saved = store.save("posyandu", frame, name="aneh.csv", user=ADMIN)
    back = saved.load()
    assert list(back.columns) == list(frame.columns)
    for c in frame.columns:
        if c == "geometry":
            assert [None if g is None else g.wkt for g in back.geometry] == \
                [None if g is None else g.wkt for g in frame.geometry]
        else:
            assert back[c].astype(object).where(back[c].notna(), None).tolist() == \
                frame[c].astype(object).where(frame[c].notna(), None).tolist(), c
    # a registry without the optional status_titik loads without it
    bare = store.save("posyandu", frame.drop(columns="status_titik"), name="b", user=ADMIN)
    assert list(bare.load().columns) == [c for c in frame.columns if c != "status_titik"]
    square = Polygon([(113, -3), (114, -3), (114, -2), (113, -2)])
    hole = Polygon([(114, -3), (115, -3), (115, -2), (114, -2)],
                   [[(114.4, -2.6), (114.6, -2.6), (114.6, -2.4)]])
    batas = gpd.GeoDataFrame({"code": ["62.03", "62.71"], "name": ["Kapuas", "Palangka"]},
                             geometry=[square, hole], crs=4326)
    back = store.save("batas_kabupaten", batas, name="b.geojson", user=ADMIN).load()
    assert list(back["code"]) == ["62.03", "62.71"]
    assert [g.equals_exact(h, 0) for g, h in zip(back.geometry, batas.geometry)] == [True] * 2
    table = pd.DataFrame({"code": ["62.03", "62.71"], "indikator": ["stunting"] * 2,
                          "nilai": [21.5, np.nan], "tahun": [2024, 2024]})
    table.loc[1, "nilai"] = 30.0
    back = store.save("indikator", table, name="i.csv", user=ADMIN).load()
    assert back[["code", "indikator", "nilai"]].values.tolist() == \
        [["62.03", "stunting", 21.5], ["62.71", "stunting", 30.0]]


def _partitions(conn, table="posyandu"):
    return dict(conn.execute(text(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = CAST(:t AS regclass) "
        "ORDER BY c.relname"), {"t": table}).all())


def test_each_version_is_a_partition_with_its_index(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    v1 = store.save("posyandu", registry("62.03", 3), name="a", user=ADMIN)
    v2 = store.save("posyandu", registry("62.03", 2, tag="b"), name="b", user=kapuas)
    with store.engine.connect() as conn:
        parts = _partitions(conn)
        seqs = dict(conn.execute(text("SELECT id, seq FROM peta_version")).all())
        assert parts == {f"posyandu_v{seqs[v.version]}": f"FOR VALUES IN ('{v.version}')"
                         for v in (v1, v2)}
        assert conn.execute(text("SELECT count(*) FROM ONLY posyandu")).scalar() == 0
        for part in parts:
            indexes = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename = "
                                        ":t"), {"t": part}).scalars().all()
            assert any("USING gist (geom)" in d for d in indexes), indexes
            rows = conn.execute(text(f"SELECT DISTINCT version_id FROM {part}")).scalars()
            assert len(list(rows)) == 1
    assert store.status()["counts"]["posyandu"] == 2
    assert [v.rows for v in store.list_versions("posyandu")] == [2, 3]


def test_scoped_save_after_a_whole_save_keeps_the_others_rows(store):
    """An editor's save after the admin's whole registry: the other regions' rows are
    the admin's, value for value; the admin's version stays whole and restorable."""
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    palangka = store.authenticate("palangka", PASSWORDS["palangka"])
    whole = pd.concat([registry("62.03", 5), registry("62.71", 4)], ignore_index=True)
    first = store.save("posyandu", whole, name="nasional.csv", user=ADMIN)
    store.save("posyandu", registry("62.03", 2, tag="k"), name="kapuas.csv", user=kapuas,
               base_version=store.base_version("posyandu", kapuas))
    now = store.current("posyandu").load()
    assert sorted(now["id"]) == ["62.03-k0", "62.03-k1", "62.71-0", "62.71-1", "62.71-2",
                                 "62.71-3"]
    theirs = first.load()
    theirs = theirs[theirs["id"].str.startswith("62.71")].reset_index(drop=True)
    kept = now[now["id"].str.startswith("62.71")].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, theirs)
    assert len(first.load()) == 9
    store.save("posyandu", registry("62.71", 1, tag="p"), name="palangka.csv", user=palangka)
    assert sorted(store.current("posyandu").load()["id"]) == ["62.03-k0", "62.03-k1",
                                                              "62.71-p0"]
    store.restore("posyandu", first.version, user=ADMIN)
    pd.testing.assert_frame_equal(store.current("posyandu").load(), first.load())


def test_scoped_discard_keeps_other_regions_and_is_restorable(store):
    kapuas = store.authenticate("kapuas", PASSWORDS["kapuas"])
    whole = pd.concat([registry("62.03", 3), registry("62.71", 2)], ignore_index=True)
    store.save("posyandu", whole, name="semua.csv", user=ADMIN)
    store.discard("posyandu", user=kapuas, base_version=store.base_version("posyandu", kapuas))
    assert sorted(store.current("posyandu").load()["id"]) == ["62.71-0", "62.71-1"]
    assert store.current("posyandu").rows == 2 and store.audit().iloc[0]["aksi"] == "hapus"
    store.restore("posyandu", None, user=kapuas)      # the version before the removal
    assert sorted(store.current("posyandu").load()["id"]) == sorted(whole["id"])
    store.discard("posyandu", user=ADMIN)
    assert store.current("posyandu") is None
    back = store.restore("posyandu", None, user=ADMIN)
    assert back.rows == 5 and sorted(back.load()["id"]) == sorted(whole["id"])


def test_database_error_during_the_copy_keeps_previous_version(store, monkeypatch):
    """The COPY runs on the driver's connection: a full disk there is named like any
    other (StorageError) and the previous version stays in use."""
    first = store.save("posyandu", registry("62.03", 3), name="a.csv", user=ADMIN)

    def full(conn, table, names, buffers):
        with conn.connection.driver_connection.cursor() as cur:
            cur.execute("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = "
                        "'disk_full'; END $$")

    monkeypatch.setattr(store_tables, "copy_buffers", full)
    with pytest.raises(StorageError, match="^Disk basis data penuh"):
        store.save("posyandu", registry("62.03", 4, tag="b"), name="b.csv", user=ADMIN)
    assert store.current("posyandu").version == first.version
    with store.engine.connect() as conn:
        seq = conn.execute(text("SELECT seq FROM peta_version WHERE id = :v"),
                           {"v": first.version}).scalar()
        assert list(_partitions(conn)) == [f"posyandu_v{seq}"]


def test_refused_frame_is_named_by_its_schema_not_by_the_database(store):
    """The schema check runs while the server indexes the rows; a frame it refuses (a NUL
    character, which PostgreSQL refuses in text too) is refused by the schema's
    message, and nothing is saved."""
    bad = registry("62.03", 3)
    bad.loc[1, "nama"] = "Posyandu\x00Mawar"
    with pytest.raises(SchemaRefused, match="tidak sesuai skema"):
        store.save("posyandu", bad, name="nul.csv", user=ADMIN)
    dup = registry("62.03", 3)
    dup["id"] = "sama"
    with pytest.raises(SchemaRefused, match="tidak sesuai skema"):
        store.save("posyandu", dup, name="dup.csv", user=ADMIN)
    assert store.current("posyandu") is None and store.list_versions("posyandu") == []
    with store.engine.connect() as conn:
        assert _partitions(conn) == {}


# ---------------------------------------------------------------- migration 0004
OLD_POSYANDU = ("INSERT INTO posyandu (version_id, wilayah, baris, id, nama, kode_desa, lat, "
                "lon, jumlah_kader, aktif, attrs, geom) VALUES (:v, :w, :b, :id, :nama, :w, "
                ":lat, :lon, :k, true, CAST(:attrs AS jsonb), "
                "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))")


def _old_database(url: str) -> None:
    """A database at revision 0003 with versions stored as the store did then: one
    posyandu table (an editor's version copying the rows it kept), boundaries and an
    indicator table."""
    engine = create_engine(url)
    schema.upgrade(engine, "0003_meeting")
    with engine.begin() as conn:
        for vid, kind, scope in (("v1", "posyandu", None), ("v2", "posyandu", ["62.03"]),
                                 ("v3", "batas_kabupaten", None), ("v4", "indikator", None)):
            conn.execute(text(
                "INSERT INTO peta_version (id, kind, action, name, created_by, scope, "
                "manifest) VALUES (:id, :k, 'impor', :id, 'admin', :s, '{}')"),
                {"id": vid, "k": kind, "s": scope})
        rows = [("v1", "62.71.01.1001", 1, "P-1", -2.2, 113.9),
                ("v1", "62.03.01.2001", 2, "K-1", -2.9, 114.3),
                ("v1", "62.71.01.1002", 3, "P-2", -2.21, 113.91),
                ("v2", "62.71.01.1001", 1, "P-1", -2.2, 113.9),       # kept from v1
                ("v2", "62.71.01.1002", 3, "P-2", -2.21, 113.91),
                ("v2", "62.03.01.2001", 1, "K-9", -2.95, 114.35)]
        for i, (v, w, b, pid, lat, lon) in enumerate(rows):
            conn.execute(text(OLD_POSYANDU), {"v": v, "w": w, "b": b, "id": pid,
                                              "nama": f"Posyandu {pid}", "lat": lat,
                                              "lon": lon, "k": i,
                                              "attrs": json.dumps({"status_titik": "titik"})})
        conn.execute(text(
            "INSERT INTO batas (version_id, wilayah, baris, attrs, geom) VALUES ('v3', "
            "'62.03', 1, '{\"code\": \"62.03\", \"name\": \"Kapuas\"}', ST_GeomFromText("
            "'POLYGON((113 -3, 114 -3, 114 -2, 113 -2, 113 -3))', 4326))"))
        conn.execute(text(
            "INSERT INTO indikator (version_id, wilayah, baris, attrs) VALUES ('v4', "
            "'62.03', 1, '{\"code\": \"62.03\", \"indikator\": \"x\", \"nilai\": 1.5}')"))
        for kind, vid in (("posyandu", "v2"), ("batas_kabupaten", "v3"), ("indikator", "v4")):
            conn.execute(text("UPDATE peta_current SET version_id = :v WHERE kind = :k"),
                         {"v": vid, "k": kind})
        conn.execute(text("UPDATE peta_version SET rows = 3 WHERE id IN ('v1')"))
    engine.dispose()


def _plain(conn, table: str) -> str:
    return conn.execute(text("SELECT relkind FROM pg_class WHERE relname = :t"),
                        {"t": table}).scalar()


def test_migration_0004_keeps_every_version_readable(pg_cluster):
    url = pg_cluster.create_db("peta_migrasi_0004")
    _old_database(url)
    store = PostgisStore(url)                      # migrates to the newest revision
    try:
        assert store.schema_version() == schema.head() == "0004_version_partitions"
        current = store.current("posyandu").load()
        # by row number, then as stored (K-9 was the editor's first row)
        assert current["id"].tolist() == ["P-1", "K-9", "P-2"]
        assert current.geometry.iloc[1].equals(Point(114.35, -2.95))
        assert current["status_titik"].tolist() == ["titik"] * 3
        assert store.load_version("posyandu", "v1")["id"].tolist() == ["P-1", "K-1", "P-2"]
        assert store.current("batas_kabupaten").load()["name"].tolist() == ["Kapuas"]
        assert store.current("indikator").load()["nilai"].tolist() == [1.5]
        with store.engine.connect() as conn:
            assert _plain(conn, "posyandu") == "p" and _plain(conn, "posyandu_0003") is None
            assert sorted(_partitions(conn)) == ["posyandu_v1", "posyandu_v2"]
            assert list(_partitions(conn, "batas")) == ["batas_v3"]
            # status_titik moved out of attrs into its column; nothing else was in attrs
            assert conn.execute(text("SELECT count(*) FROM posyandu WHERE attrs IS NOT NULL "
                                     "OR status_titik IS DISTINCT FROM 'titik'")).scalar() == 0
        # the migrated database takes new changes: an editor's save keeps 62.71's rows
        # of v2, and an old version is restored for the editor's region
        store.add_user("kapuas", PASSWORDS["kapuas"], "editor", ["62.03"])
        kapuas = store.get_user("kapuas")
        store.save("posyandu", registry("62.03", 1, tag="m"), name="baru", user=kapuas)
        assert sorted(store.current("posyandu").load()["id"]) == ["62.03-m0", "P-1", "P-2"]
        store.restore("posyandu", "v1", user=kapuas)
        assert sorted(store.current("posyandu").load()["id"]) == ["K-1", "P-1", "P-2"]
        # and back: one plain table per kind with its foreign key and indexes
        schema.downgrade(store.engine, "0003_meeting")
        with store.engine.connect() as conn:
            assert _plain(conn, "posyandu") == "r" and _partitions(conn) == {}
            assert conn.execute(text("SELECT count(*) FROM posyandu")).scalar() == 12
            assert conn.execute(text("SELECT count(*) FROM posyandu WHERE version_id = 'v1' "
                                     "AND id = 'K-1'")).scalar() == 1
            names = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename "
                                          "= 'posyandu'")).scalars())
            assert names == {"posyandu_version", "posyandu_geom"}
            assert conn.execute(text("SELECT count(*) FROM pg_constraint WHERE conrelid = "
                                     "'posyandu'::regclass AND contype = 'f'")).scalar() == 1
            assert conn.execute(text("SELECT DISTINCT attrs->>'status_titik' FROM posyandu "
                                     "WHERE version_id IN ('v1', 'v2')")).scalars().all() == \
                ["titik"]
        schema.upgrade(store.engine)
        v1 = store.load_version("posyandu", "v1")
        assert v1["id"].tolist() == ["P-1", "K-1", "P-2"]
        assert v1["status_titik"].tolist() == ["titik"] * 3
    finally:
        store.engine.dispose()
