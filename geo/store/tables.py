"""The PostGIS store's data tables: ``posyandu`` (Point, SRID 4326), ``bahaya`` and
``batas`` (geometries) and ``indikator``, one row per data row of a version.

How a version's (Geo)DataFrame becomes rows of its kind's table and back: the fixed typed
columns of the Posyandu registry, every other column in the JSONB ``attrs``, geometries in
EPSG:4326; and the copy of one version's rows inside or outside a region scope into a new
version. The version bookkeeping (``peta_version``, ``peta_current``, conflicts) is in
geo.store.postgis.
"""
from __future__ import annotations

import json
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import text

from geo.registry.cells import per_value
from geo.workspace import KINDS

TABLE = {"posyandu": "posyandu", "bahaya": "bahaya", "indikator": "indikator",
         **{k: "batas" for k in KINDS if k.startswith("batas_")}}
GEO = {"posyandu": True, "bahaya": True, "indikator": False,
       **{k: True for k in KINDS if k.startswith("batas_")}}
POSYANDU_COLUMNS = ("id", "nama", "kode_desa", "lat", "lon", "strata", "jumlah_kader",
                    "kader_terlatih", "balita_sasaran", "balita_ditimbang", "balita_stunting",
                    "aktif", "internet", "layanan_kesehatan", "layanan_pendidikan",
                    "layanan_pekerjaan_umum", "layanan_perumahan", "layanan_trantibumlinmas",
                    "layanan_sosial", "sampel")
_INTS = ("jumlah_kader", "kader_terlatih", "balita_sasaran", "balita_ditimbang",
         "balita_stunting")
_BOOLS = ("aktif", "internet", "layanan_kesehatan", "layanan_pendidikan",
          "layanan_pekerjaan_umum", "layanan_perumahan", "layanan_trantibumlinmas",
          "layanan_sosial")
_IN_SCOPE = ("(wilayah = ANY(CAST(:scope AS text[])) OR EXISTS (SELECT 1 FROM "
             "unnest(CAST(:scope AS text[])) s WHERE wilayah LIKE s || '.%'))")


def _fixed_columns(kind: str) -> tuple[str, ...]:
    return POSYANDU_COLUMNS if kind == "posyandu" else ()


def _json_value(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, (pd.Timestamp, datetime)):
        return v.isoformat()
    return v


def _objects(s: pd.Series) -> list:
    """A column as Python values for psycopg (None for missing)."""
    if s.dtype.kind == "f":
        arr = s.to_numpy(dtype=float)
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        return out.tolist()
    if isinstance(s.dtype, (pd.Int64Dtype, pd.BooleanDtype)):
        return s.to_numpy(dtype=object, na_value=None).tolist()
    out = s.to_numpy(dtype=object)
    out[pd.isna(out)] = None
    return out.tolist()


def _binary_rows(frame: gpd.GeoDataFrame):
    """The rows of a Posyandu version as Python values for a binary COPY: JSONB as its
    binary form (version 1 + text), the point as EWKB with SRID 4326 (None: no point)."""
    n = len(frame)
    geoms = shapely.set_srid(np.asarray(frame.geometry.values, dtype=object), 4326)
    has = ~shapely.is_missing(geoms)
    wkb = np.full(n, None, dtype=object)
    if has.any():
        wkb[has] = shapely.to_wkb(geoms[has], include_srid=True, flavor="extended")
    attrs = per_value(frame["attrs"].to_numpy(dtype=object),
                      lambda a: None if a is None else b"\x01" + a.encode("utf-8"))
    values = {c: _objects(frame[c]) for c in ("wilayah", "baris", *POSYANDU_COLUMNS)}
    for c in (*_INTS, "baris"):
        values[c] = [None if v is None else int(v) for v in values[c]]
    cols = [[frame["version_id"].iloc[0]] * n, values["wilayah"], values["baris"],
            *(values[c] for c in POSYANDU_COLUMNS), attrs.tolist(), wkb.tolist()]
    return zip(*cols)


COPY_TYPES = ("text", "text", "int4", "text", "text", "text", "float8", "float8", "text",
              *(["int4"] * len(_INTS)), *(["bool"] * (len(_BOOLS) + 1)), "bytea", "bytea")


def copy_posyandu(conn, frame: gpd.GeoDataFrame) -> None:
    """Rows of one Posyandu version into the ``posyandu`` table with psycopg's binary COPY,
    inside the caller's transaction (``conn``: a SQLAlchemy connection on psycopg). JSONB
    and geometry travel as bytes in their binary wire forms (``bytea`` on the client side:
    the server reads them with the column's own receive function)."""
    cols = ("version_id", "wilayah", "baris", *POSYANDU_COLUMNS, "attrs", "geom")
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        with cur.copy(f"COPY posyandu ({', '.join(cols)}) FROM STDIN (FORMAT BINARY)") as cp:
            cp.set_types(list(COPY_TYPES))
            for row in _binary_rows(frame):
                cp.write_row(row)


def _attrs_json(data: pd.DataFrame, extra: list) -> list[str]:
    """Each row's extra columns as JSON text (geopandas writes with COPY, which would print
    a dict as Python repr): every column's values encoded once per distinct value, then
    joined row by row — the text ``json.dumps`` of the row's dict gives."""
    if not extra:
        return ["{}"] * len(data)
    parts = []
    for k in extra:
        vals = per_value(data[k].astype(object).to_numpy(dtype=object),
                         lambda v: json.dumps(_json_value(v), ensure_ascii=False))
        parts.append(json.dumps(str(k), ensure_ascii=False) + ": " + vals.astype(object))
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + ", " + p
    return ("{" + joined + "}").tolist()


class DataTablesMixin:
    """Data-table methods of PostgisStore (needs ``self.engine``)."""

    def load_version(self, kind: str, vid: str):
        table = TABLE[kind]
        fixed = _fixed_columns(kind)
        cols = ", ".join(("baris", *fixed, "attrs"))
        with self.engine.connect() as conn:
            if GEO[kind]:
                frame = gpd.read_postgis(
                    text(f"SELECT {cols}, geom FROM {table} WHERE version_id = :v "
                         "ORDER BY baris NULLS LAST, ctid"),
                    conn, geom_col="geom", params={"v": vid})
                frame = frame.rename_geometry("geometry")
                if frame.crs is None:
                    frame = frame.set_crs(4326)
            else:
                frame = pd.read_sql(text(f"SELECT {cols} FROM {table} WHERE version_id = :v "
                                         "ORDER BY baris NULLS LAST, ctid"),
                                    conn, params={"v": vid})
            manifest = conn.execute(text("SELECT manifest FROM peta_version WHERE id = :v"),
                                    {"v": vid}).scalar() or {}
        attrs = pd.DataFrame([a or {} for a in frame.pop("attrs")], index=frame.index)
        for c in attrs.columns:
            frame[c] = attrs[c]
        for c in _INTS:
            if c in frame:
                frame[c] = pd.array(frame[c].astype("Float64").round(), dtype="Int64")
        for c in _BOOLS:
            if c in frame:
                frame[c] = pd.array(frame[c], dtype="boolean")
        if "sampel" in frame:
            frame["sampel"] = frame["sampel"].fillna(False).astype(bool)
        order = [c for c in manifest.get("columns", []) if c in frame.columns]
        rest = [c for c in frame.columns if c not in order]
        frame = frame[order + rest]
        if "geometry" in frame.columns and "geometry" in order:
            pass
        if isinstance(frame, gpd.GeoDataFrame):
            frame = frame.set_geometry("geometry")
        return frame

    def _rows_frame(self, kind: str, data, vid: str, codes: pd.Series):
        fixed = _fixed_columns(kind)
        geo = GEO[kind] and isinstance(data, gpd.GeoDataFrame)
        skip = {"baris", "geometry", *fixed}
        if geo:
            skip.add(data.geometry.name)
        extra = [c for c in data.columns if c not in skip]
        out = pd.DataFrame({"version_id": vid, "wilayah": codes.to_numpy()}, index=data.index)
        out["baris"] = (pd.to_numeric(data["baris"], errors="coerce").astype("Int64")
                        if "baris" in data.columns else pd.array(range(1, len(data) + 1),
                                                                 dtype="Int64"))
        for c in fixed:
            out[c] = data[c] if c in data.columns else None
        out["attrs"] = _attrs_json(data, extra)
        if geo:
            frame = data.to_crs(4326) if data.crs is not None and data.crs.to_epsg() != 4326 \
                else data
            out = gpd.GeoDataFrame(out, geometry=frame.geometry.values, crs=4326)
            out = out.rename_geometry("geom")
        return out

    def _write_rows(self, conn, kind: str, frame) -> None:
        from sqlalchemy.dialects.postgresql import JSONB
        if not len(frame):
            return
        if kind == "posyandu" and isinstance(frame, gpd.GeoDataFrame):
            copy_posyandu(conn, frame)
            return
        dtype = {"attrs": JSONB}
        if isinstance(frame, gpd.GeoDataFrame):
            from geoalchemy2 import Geometry
            gtype = "POINT" if kind == "posyandu" else "GEOMETRY"
            dtype["geom"] = Geometry(gtype, srid=4326)
            frame.to_postgis(TABLE[kind], conn, if_exists="append", index=False, dtype=dtype,
                             chunksize=5000)
        else:
            pd.DataFrame(frame).to_sql(TABLE[kind], conn, if_exists="append", index=False,
                                       dtype=dtype, chunksize=5000, method="multi")

    def _copy_rows(self, conn, kind: str, src: str, dst: str, scope, inside: bool) -> None:
        """Copy rows of version ``src`` to ``dst``: those inside ``scope`` (or outside)."""
        table = TABLE[kind]
        cols = ", ".join(("wilayah", "baris", *_fixed_columns(kind), "attrs",
                          *(("geom",) if GEO[kind] else ())))
        cond = "" if scope is None else (" AND " + ("" if inside else "NOT ") +
                                         f"COALESCE({_IN_SCOPE}, false)")
        conn.execute(text(f"INSERT INTO {table} (version_id, {cols}) SELECT :dst, {cols} "
                          f"FROM {table} WHERE version_id = :src{cond}"),
                     {"dst": dst, "src": src, **({"scope": list(scope)} if scope else {})})
