"""Connectivity (Posyandu Digital 2026): the Posyandu without internet one by one, the
candidate site points for site planning, and the published blank-spot context.

* :func:`offline_posyandu` — every Posyandu of a region whose ``internet`` is "no", with its
  desa, kecamatan, kabupaten, coordinates, balita sasaran and kader, and what is published
  about its village. No public list names blank-spot villages one by one (PODES village
  data are not open): ``desa_blank_spot`` is therefore unknown (empty) everywhere, and the
  columns ``blankspot_kabupaten``/``blankspot_sumber`` give the published count of
  blank-spot villages in its kabupaten where there is one. Only Kalimantan Tengah
  (Diskominfo 2025, 376 villages) has a complete per-regency list.
* :func:`village_candidates` — one representative point per village (a point inside the
  polygon, ``shapely.point_on_surface``), the default candidate sites; cached on disk.
* :func:`no_signal_context` — BPS 2023 villages without cellular signal per listed
  province (and what is not published).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from geo import cache

OFFLINE_COLUMNS = ["id", "nama", "kode_desa", "desa", "kecamatan", "kabupaten", "provinsi",
                   "lon", "lat", "balita_sasaran", "jumlah_kader", "desa_blank_spot",
                   "blankspot_kabupaten", "blankspot_sumber"]
CANDIDATE_VERSION = "1"


def in_region(joined: pd.DataFrame, region: str | None) -> pd.DataFrame:
    """Rows of the joined registry inside ``region`` (all for None/"")."""
    if not region:
        return joined
    codes = joined["kode_agregasi"].astype(str)
    return joined.loc[(codes == region) | codes.str.startswith(region + ".")]


def _village_code(rows: pd.DataFrame) -> pd.Series:
    """The village of each Posyandu: the joined village code, else the declared one."""
    agg = rows["kode_agregasi"].astype(str)
    declared = rows["kode_desa"].astype(object)
    return agg.where(agg.str.count(r"\.") == 3, declared).astype(object)


def regency_blankspot() -> pd.DataFrame:
    """Latest published blank-spot village count per kabupaten: code, value, period,
    source (Diskominfo lists; only Kalimantan Tengah's is complete)."""
    from geo.indicators.published import table
    t = table()
    rows = t.loc[(t["indicator"] == "desa_blankspot") & (t["level"] == "kabupaten")]
    rows = rows.sort_values(["code", "year"]).drop_duplicates("code", keep="last")
    return rows[["code", "value", "period", "source"]].reset_index(drop=True)


def offline_posyandu(joined: pd.DataFrame, region: str | None = None,
                     names: pd.Series | None = None) -> pd.DataFrame:
    """Posyandu without internet in ``region`` (columns :data:`OFFLINE_COLUMNS`), sorted
    by kabupaten, kecamatan, desa and name."""
    from geo.regions.boundaries import region_names
    rows = in_region(joined, region)
    rows = rows.loc[rows["internet"].astype("boolean").fillna(True) == False]  # noqa: E712
    names = region_names() if names is None else names
    desa = _village_code(rows)
    kec = desa.astype(str).str.rsplit(".", n=1).str[0]
    kab = rows["kode_kabupaten"].astype(str)
    prov = kab.str.split(".").str[0]
    bs = regency_blankspot().set_index("code")
    out = pd.DataFrame({
        "id": rows["id"].astype(str).to_numpy(),
        "nama": rows["nama"].astype(str).to_numpy(),
        "kode_desa": desa.to_numpy(),
        "desa": desa.map(names).to_numpy(),
        "kecamatan": kec.map(names).to_numpy(),
        "kabupaten": kab.map(names).to_numpy(),
        "provinsi": prov.map(names).to_numpy(),
        "lon": rows["lon"].to_numpy(float).round(6),
        "lat": rows["lat"].to_numpy(float).round(6),
        "balita_sasaran": rows["balita_sasaran"].astype("Int64").to_numpy(),
        "jumlah_kader": rows["jumlah_kader"].astype("Int64").to_numpy(),
        # no published village-level list exists: unknown, never guessed
        "desa_blank_spot": pd.array([pd.NA] * len(rows), dtype="boolean"),
        "blankspot_kabupaten": kab.map(bs["value"]).astype("Int64").to_numpy(),
        "blankspot_sumber": kab.map(bs["period"]).to_numpy(),
    }, columns=OFFLINE_COLUMNS)
    out = out.sort_values(["kabupaten", "kecamatan", "desa", "nama", "id"], na_position="last",
                          kind="stable")
    return out.reset_index(drop=True)


def to_geodataframe(table: pd.DataFrame):
    """A table with lon/lat as a GeoDataFrame of points (EPSG:4326), for GeoJSON export."""
    import geopandas as gpd
    return gpd.GeoDataFrame(table.copy(), geometry=gpd.points_from_xy(table["lon"], table["lat"]),
                            crs="EPSG:4326")


EXPORT_FORMATS = (".csv", ".xlsx", ".geojson")


def export_bytes(df: pd.DataFrame, suffix: str, sheet: str = "data") -> bytes:
    """A table with lon/lat as CSV, XLSX (both formula-safe) or GeoJSON points."""
    from geo.importers.cells import neutralize_cells, to_csv_bytes, to_xlsx_bytes
    if suffix == ".csv":
        return to_csv_bytes(df)
    if suffix == ".xlsx":
        return to_xlsx_bytes(df, sheet=sheet)
    if suffix == ".geojson":
        plain = neutralize_cells(df)
        plain["lon"], plain["lat"] = df["lon"].to_numpy(), df["lat"].to_numpy()
        gdf = to_geodataframe(plain)
        for c in gdf.columns:   # nullable/extension values → plain JSON values
            if c != "geometry":
                gdf[c] = gdf[c].astype(object).where(gdf[c].notna(), None)
        return gdf.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")
    raise ValueError(f"format keluaran tidak dikenal: {suffix} (pilihan: "
                     f"{', '.join(EXPORT_FORMATS)})")


def village_candidates(region: str | None = None) -> pd.DataFrame:
    """One candidate site per village of ``region`` (all villages for None): site_id (the
    village code), kode_desa, nama, lon, lat — a point inside each village polygon.
    Where no village polygons exist (provinces without them), none are returned."""
    from geo.regions.boundaries import boundaries, cache_file, has_level
    if not has_level("desa"):
        return pd.DataFrame(columns=["site_id", "kode_desa", "nama", "lon", "lat"])
    key = cache.key_for([], extra=f"cand|{CANDIDATE_VERSION}|{cache_file('desa').stem}")
    path = cache.path(f"candidates-{key}.parquet")
    if path.exists():
        pts = pd.read_parquet(path)
    else:
        import shapely
        layer = boundaries("desa")
        p = shapely.point_on_surface(layer.geometry.values)
        pts = pd.DataFrame({"site_id": layer["code"].astype(str).to_numpy(),
                            "kode_desa": layer["code"].astype(str).to_numpy(),
                            "nama": layer["name"].astype(str).to_numpy(),
                            "lon": shapely.get_x(p).round(6), "lat": shapely.get_y(p).round(6)})
        pts = pts.sort_values("site_id").reset_index(drop=True)
        _write(pts, path)
    if region:
        inside = (pts["site_id"] == region) | pts["site_id"].str.startswith(region + ".")
        pts = pts.loc[inside]
    return pts.reset_index(drop=True)


def _write(df: pd.DataFrame, path) -> None:
    import io
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    cache.write_bytes_atomic(path, buf.getvalue())


def no_signal_context() -> pd.DataFrame:
    """BPS villages without cellular signal (latest year) per province listed in the
    published source: code, value, year, note. Provinces not listed have no row."""
    from geo.config import INDICATOR_DIR, data_dir, read_text_table
    path = data_dir() / INDICATOR_DIR / "internet_blankspot_reported.csv"
    if not path.exists():
        return pd.DataFrame(columns=["code", "value", "year", "note"])
    df = read_text_table(path)
    df = df.loc[df["metric"] == "villages_no_cellular_signal"].copy()
    df["year"] = pd.to_numeric(df["year"], errors="coerce")
    latest = df["year"].max()
    df = df.loc[df["year"] == latest]
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df[["level", "code", "value", "year", "note"]].reset_index(drop=True)


def demand_from(table: pd.DataFrame) -> pd.DataFrame:
    """Site-planning demand from an offline table: id, nama, lon, lat, balita_sasaran,
    kode_desa (rows without coordinates cannot be planned for and are left out by the
    caller's report)."""
    cols = [c for c in ("id", "nama", "kode_desa", "desa", "kecamatan", "kabupaten", "lon",
                        "lat", "balita_sasaran") if c in table]
    d = table[cols].copy()
    ok = np.isfinite(d["lon"].to_numpy(float)) & np.isfinite(d["lat"].to_numpy(float))
    return d.loc[ok].reset_index(drop=True)


def blankspot_lists() -> pd.DataFrame:
    """What the Diskominfo blank-spot figures cover, per province and period: code,
    period, value (province figure), regencies_listed, regencies_total, regency_sum,
    complete (the listed regencies are all of the province's and sum to its figure)."""
    from geo.indicators.published import table
    from geo.regions.boundaries import code_list
    t = table()
    bs = t.loc[t["indicator"] == "desa_blankspot"]
    regs = code_list("kabupaten")
    rows = []
    for (code, period), prov in bs.loc[bs["level"] == "provinsi"].groupby(["code", "period"]):
        listed = bs.loc[(bs["level"] == "kabupaten") & (bs["period"] == period)
                        & bs["code"].str.startswith(code + ".")]
        total = int(regs["code"].str.startswith(code + ".").sum())
        value = float(prov["value"].iloc[0])
        rows.append({"code": code, "period": period, "value": value,
                     "regencies_listed": int(len(listed)), "regencies_total": total,
                     "regency_sum": float(listed["value"].sum()),
                     "complete": bool(len(listed) == total
                                      and listed["value"].sum() == value)})
    return pd.DataFrame(rows, columns=["code", "period", "value", "regencies_listed",
                                       "regencies_total", "regency_sum", "complete"])
