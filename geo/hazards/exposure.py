"""Exposure of Posyandu to hazards: the class of every Posyandu per hazard type (polygon
zones and rasters alike) and the counts per region, type and class.

* ``HazardLayers``: the hazard data in use — polygon zones (schema of geo.hazards.zones) and
  rasters (geo.hazards.raster.HazardRaster), each with its type, source and sample flag.
* ``class_ranks``: per Posyandu and type the highest class rank (0 none, 1 rendah, 2 sedang,
  3 tinggi) over the zones (one bulk STRtree query) and rasters (one NumPy index), plus the
  highest over all types ("semua bahaya").
* ``exposure_counts``: per region of every level, type (and "semua") and class: Posyandu,
  balita sasaran and kader — one ``bincount`` per type and quantity over region×class,
  then the code table's prefix sums for the levels above.
* ``exposed_list``: the Posyandu-level table (id, name, desa, kecamatan, class per type,
  highest class, balita, kader, coordinates); ``exposed_rows`` picks the rows of a region
  and classes from it, the worst first.
* ``class_rank``: the rank of class labels as integers, whatever dtype the labels came in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.codes import LEVELS, truncate, under
from geo.codetable import CodeTable, table_of
from geo.hazards import types as ht
from geo.regions.boundaries import village_codes_sorted
from geo.regions.positions import code_positions

NO_HAZARD = "tidak_ada"
LABELS = np.array([None, *ht.KELAS], dtype=object)
COUNT_KELAS = (*ht.KELAS, NO_HAZARD)
MEASURES = ("posyandu", "balita_sasaran", "kader")
COUNT_COLUMNS = ["code", "level", "type", "kelas", *MEASURES]


@dataclass
class HazardLayers:
    zones: gpd.GeoDataFrame                       # polygons: id, jenis, kelas, sumber, sampel
    rasters: list = field(default_factory=list)   # geo.hazards.raster.HazardRaster

    def types(self) -> list[str]:
        """Hazard types present, in InaRISK's order (unknown types of zones are left out)."""
        found = set(self.zones["jenis"].astype(str)) if len(self.zones) else set()
        found |= {r.jenis for r in self.rasters}
        return [t for t in ht.ORDER if t in found]

    @property
    def sample(self) -> bool:
        flags = list(self.zones["sampel"].astype(bool)) if len(self.zones) else []
        flags += [r.sampel for r in self.rasters]
        return bool(flags) and any(flags)

    def sources(self) -> pd.DataFrame:
        """One row per layer: type, form (poligon/raster), source, sample."""
        rows = []
        if len(self.zones):
            g = self.zones.groupby(["jenis", "sumber"], sort=False)["sampel"].any()
            rows += [(j, "poligon", s, bool(v)) for (j, s), v in g.items()]
        rows += [(r.jenis, "raster", r.sumber, r.sampel) for r in self.rasters]
        return pd.DataFrame(rows, columns=["jenis", "bentuk", "sumber", "sampel"])


def _xy(posyandu: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of every Posyandu: its lat/lon columns (a registry has them), else the
    points' coordinates (straight from shapely: geopandas' .x/.y check every geometry)."""
    if "lon" in posyandu and "lat" in posyandu and \
            pd.api.types.is_numeric_dtype(posyandu["lon"]) and \
            pd.api.types.is_numeric_dtype(posyandu["lat"]):
        return posyandu["lon"].to_numpy(float), posyandu["lat"].to_numpy(float)
    pts = posyandu.geometry
    if pts.crs is not None and not pts.crs.equals("EPSG:4326"):
        pts = pts.to_crs("EPSG:4326")
    arr = np.asarray(pts.array)
    return shapely.get_x(arr), shapely.get_y(arr)


def class_ranks(posyandu: pd.DataFrame, layers: HazardLayers) -> tuple[list[str], np.ndarray]:
    """(types, ranks): ranks is uint8 (n, len(types) + 1) — one column per type, the last
    the highest over all types (including zones of types outside the InaRISK list)."""
    types = layers.types()
    n = len(posyandu)
    ranks = np.zeros((n, len(types) + 1), dtype=np.uint8)
    if n == 0:
        return types, ranks
    col = {t: i for i, t in enumerate(types)}
    zones = layers.zones
    if len(zones):
        pts = posyandu.geometry
        if zones.crs is not None and pts.crs is not None and not pts.crs.equals(zones.crs):
            pts = pts.to_crs(zones.crs)
        ip, iz = zones.sindex.query(np.asarray(pts.array), predicate="intersects")
        rank = zones["kelas"].map(ht.KELAS_RANK).fillna(0).astype(np.uint8).to_numpy()[iz]
        jenis = zones["jenis"].astype(str).to_numpy()[iz]
        for t in types:
            m = jenis == t
            np.maximum.at(ranks[:, col[t]], ip[m], rank[m])
        np.maximum.at(ranks[:, -1], ip, rank)          # unknown types count in the maximum
    if layers.rasters:
        from geo.hazards.raster_zones import sample_ranks
        x, y = _xy(posyandu)
        for r in layers.rasters:
            c = col[r.jenis]
            np.maximum(ranks[:, c], sample_ranks(r, x, y), out=ranks[:, c])
    if types:
        np.maximum(ranks[:, -1], ranks[:, :-1].max(axis=1), out=ranks[:, -1])
    return types, ranks


def classify_posyandu(posyandu: pd.DataFrame, zones: gpd.GeoDataFrame,
                      rasters: list | None = None) -> pd.DataFrame:
    """Highest class of every Posyandu per hazard type present and overall: columns
    ``hazard_<type>`` … and ``hazard_max`` holding rendah/sedang/tinggi or None."""
    types, ranks = class_ranks(posyandu, HazardLayers(zones, list(rasters or [])))
    cols = {f"hazard_{t}": pd.Series(LABELS[ranks[:, i]], index=posyandu.index, dtype=object)
            for i, t in enumerate(types)}
    cols["hazard_max"] = pd.Series(LABELS[ranks[:, -1]], index=posyandu.index, dtype=object)
    return pd.DataFrame(cols, index=posyandu.index)


def ranks_of(classes: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """(types, ranks) back from the labelled frame of ``classify_posyandu``."""
    types = [c[len("hazard_"):] for c in classes.columns if c.startswith("hazard_")
             and c != "hazard_max"]
    cols = [f"hazard_{t}" for t in types] + ["hazard_max"]
    ranks = np.column_stack([classes[c].map(ht.KELAS_RANK).fillna(0).to_numpy(np.uint8)
                             for c in cols]) if len(classes) else \
        np.zeros((0, len(cols)), np.uint8)
    return types, ranks


def _weights(joined: pd.DataFrame) -> dict[str, np.ndarray | None]:
    def num(col):
        if col not in joined:
            return np.zeros(len(joined))
        return np.nan_to_num(pd.to_numeric(joined[col], errors="coerce")
                             .to_numpy(dtype=float, na_value=np.nan))
    return {"posyandu": None, "balita_sasaran": num("balita_sasaran"), "kader": num("jumlah_kader")}


def per_code(joined: pd.DataFrame, ranks: np.ndarray, post: np.ndarray, size: int
             ) -> np.ndarray:
    """Sums per code: array (type+1, class 0–3, measure, code) — one bincount each."""
    w = _weights(joined)
    k = ranks.shape[1]
    out = np.empty((k, 4, len(MEASURES), size))
    for j in range(k):
        key = post * 4 + ranks[:, j]
        for m, name in enumerate(MEASURES):
            out[j, :, m, :] = np.bincount(key, w[name], minlength=size * 4) \
                .reshape(size, 4).T
    return out


_TABLES: dict[int, tuple] = {}


def _positions(codes: pd.Series):
    """(CodeTable, position of each row's code; -1 none). A categorical column (a join's
    ``kode_agregasi``, also when read back from the disk cache) is tabled once per
    categories object, so a rerun does not factorise 300,000 strings again."""
    if not isinstance(codes.dtype, pd.CategoricalDtype):
        return code_positions(codes)
    cats = codes.cat.categories
    table = table_of(cats)
    if table is None:
        held = _TABLES.get(id(cats))
        if held is None or held[0] is not cats:
            t = CodeTable(np.asarray(cats, dtype=object).astype(str), village_codes_sorted(),
                          register=False)
            held = (cats, t, np.append(t.positions(np.asarray(cats, dtype=object).astype(str)),
                                       -1))
            if len(_TABLES) > 8:
                _TABLES.clear()
            _TABLES[id(cats)] = held
        return held[1], held[2][codes.cat.codes.to_numpy()]
    return table, codes.cat.codes.to_numpy()


def exposure_counts(joined: pd.DataFrame, types: list[str], ranks: np.ndarray,
                    levels: tuple[str, ...] = LEVELS, code_column: str = "kode_agregasi",
                    ) -> pd.DataFrame:
    """Posyandu, balita sasaran and kader per region (every level of ``levels``), type
    ("semua" = highest over all types) and class (rendah, sedang, tinggi, tidak_ada).
    Only regions holding a Posyandu get rows. Columns: ``COUNT_COLUMNS`` (code, level,
    type and kelas are categoricals built from integer codes: no string per row)."""
    table, post = _positions(joined[code_column])
    valid = post >= 0
    if not valid.all():
        joined, post, ranks = joined.loc[valid], post[valid], ranks[valid]
    sums = per_code(joined, ranks, post, len(table))          # (k, 4, 3, code)
    k = sums.shape[0]
    flat = sums.reshape(-1, len(table))
    names = [*types, ht.ALL]
    kelas_order = [1, 2, 3, 0]                                # rendah, sedang, tinggi, none
    blocks, region_codes, level_codes = [], [], []
    offset = 0
    for li, level in enumerate(levels):
        totals = table.sums(flat, level).reshape(k, 4, len(MEASURES), -1)
        held = np.flatnonzero(totals[-1, :, 0, :].sum(axis=0) > 0)
        t = totals[:, kelas_order][:, :, :, held]            # (k, class, measure, region)
        blocks.append(t)
        region_codes.append(held + offset)
        level_codes.append(np.full(len(held), li, np.int8))
        offset += len(table.groups(level)[2])
    n = sum(len(r) for r in region_codes)
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in MEASURES else object)
                             for c in COUNT_COLUMNS})
    data = np.concatenate(blocks, axis=3)                    # (k, 4, 3, n)
    region = np.concatenate(region_codes)
    level_of = np.concatenate(level_codes)
    cat = pd.Categorical.from_codes
    frame = pd.DataFrame({
        "code": cat(np.tile(region, k * 4), dtype=table.regions_dtype(tuple(levels))),
        "level": cat(np.tile(level_of, k * 4), categories=list(levels)),
        "type": cat(np.repeat(np.arange(k, dtype=np.int16), 4 * n), categories=names),
        "kelas": cat(np.tile(np.repeat(np.arange(4, dtype=np.int8), n), k),
                     categories=list(COUNT_KELAS)),
        **{m: data[:, :, i, :].reshape(-1).astype(np.int64) for i, m in enumerate(MEASURES)}})
    return frame


def exposure_wide(counts: pd.DataFrame, hazard_type: str) -> pd.DataFrame:
    """One row per region of ``counts`` for one type: code, level, then
    ``<measure>_<kelas>`` for every class and ``tinggi_pct`` (share of Posyandu in tinggi)."""
    sub = counts.loc[counts["type"] == hazard_type]
    wide = sub.pivot_table(index=["code", "level"], columns="kelas", values=list(MEASURES),
                           aggfunc="sum", fill_value=0, observed=True)
    wide.columns = [f"{m}_{k}" for m, k in wide.columns]
    cols = [f"{m}_{k}" for m in MEASURES for k in COUNT_KELAS]
    wide = wide.reindex(columns=cols, fill_value=0).astype("int64").reset_index()
    total = wide[[f"posyandu_{k}" for k in COUNT_KELAS]].sum(axis=1)
    wide["tinggi_pct"] = np.where(total > 0, 100.0 * wide["posyandu_tinggi"] / total.clip(1),
                                  np.nan)
    return wide


def exposed_list(joined: pd.DataFrame, types: list[str], ranks: np.ndarray,
                 names: pd.Series | None = None) -> pd.DataFrame:
    """Posyandu-level exposure: id, nama, kode_desa, desa, kecamatan, kabupaten, <type>_kelas …,
    kelas_tertinggi, balita_sasaran, jumlah_kader, lat, lon (every Posyandu, in order)."""
    from geo.codes import truncate
    lon, lat = _xy(joined)
    where = joined["kode_agregasi"] if "kode_agregasi" in joined else joined["kode_desa"]
    where = where.astype(object).where(where.notna(), None)
    out = pd.DataFrame({"id": joined["id"].astype(str).to_numpy() if "id" in joined
                        else np.arange(len(joined)).astype(str),
                        "nama": joined["nama"].to_numpy() if "nama" in joined else "",
                        "kode_desa": joined["kode_desa"].astype(object).to_numpy()},
                       index=joined.index)
    if names is not None:
        code = pd.Series(where.to_numpy(), index=joined.index, dtype=object)
        desa = code.where(code.fillna("").str.len() > 8)
        out["desa"] = desa.map(names).to_numpy()
        kec = truncate(code.fillna(""), "kecamatan")
        out["kecamatan"] = pd.Series(kec, index=joined.index).map(names).to_numpy()
        kab = truncate(code.fillna(""), "kabupaten")
        out["kabupaten"] = pd.Series(kab, index=joined.index).map(names).to_numpy()
    for i, t in enumerate(types):
        out[f"{t}_kelas"] = LABELS[ranks[:, i]]
    out["kelas_tertinggi"] = LABELS[ranks[:, -1]]
    for col in ("balita_sasaran", "jumlah_kader"):
        out[col] = pd.to_numeric(joined[col], errors="coerce").astype("Int64") \
            if col in joined else pd.array([pd.NA] * len(joined), dtype="Int64")
    out["lat"], out["lon"] = np.round(lat, 6), np.round(lon, 6)
    return out.reset_index(drop=True)


def class_rank(labels) -> np.ndarray:
    """Rank of each class label as int8: rendah 1, sedang 2, tinggi 3, none or unknown 0.

    Not ``labels.map(KELAS_RANK)``: pandas infers a string dtype for a column of labels and
    ``Series.map`` of an empty Series keeps that dtype (there is no value to infer an
    integer from), so the ranks of an empty selection were strings, which have no
    arithmetic (``-rank`` failed for every region without an exposed Posyandu)."""
    values = np.asarray(labels, dtype=object)
    codes = pd.Categorical(values, categories=list(ht.KELAS)).codes
    return (codes + 1).astype(np.int8)


def class_column(hazard_type: str) -> str:
    """Column of ``exposed_list`` holding the class for ``hazard_type`` (``ht.ALL``: the
    highest over all types)."""
    return "kelas_tertinggi" if hazard_type == ht.ALL else f"{hazard_type}_kelas"


def exposed_rows(listing: pd.DataFrame, hazard_type: str, classes, region: str | None = None,
                 code_column: str = "kode_agregasi") -> pd.DataFrame:
    """Rows of ``listing`` (``exposed_list``) whose class for ``hazard_type`` is one of
    ``classes`` and whose region (``code_column``) is ``region`` or under it (every region
    when empty): the highest class first, then by kecamatan and name. No row selected (no
    Posyandu there, none exposed, no class chosen, a type without data) gives an empty
    frame with the same columns, never an error."""
    col = class_column(hazard_type)
    if col not in listing:
        return listing.iloc[:0]
    sel = np.asarray(listing[col].isin(list(classes)), dtype=bool)
    if region:
        where = listing[code_column] if code_column in listing else listing["kode_desa"]
        sel = sel & under(where, region)
    rows = listing.loc[sel]
    keys = ["_r", *[c for c in ("kecamatan", "nama") if c in rows]]
    return rows.assign(_r=-class_rank(rows[col]).astype(np.int16)) \
        .sort_values(keys, kind="stable").drop(columns="_r")


def exposure_by_region(posyandu_with_codes: pd.DataFrame, classes: pd.DataFrame, level: str,
                       column: str = "hazard_max", code_column: str | None = None,
                       ) -> pd.DataFrame:
    """Number of Posyandu per region code and hazard class.

    ``posyandu_with_codes`` has ``kode_desa_lokasi`` (the desa — or kecamatan where no village
    polygon exists — where each point falls; ``code_column`` names another column, and
    without either ``kode_lokasi`` of geo.registry.join is used); codes are truncated to ``level`` with
    ``geo.codes.truncate`` (a kecamatan code stays a kecamatan code at level desa). Posts
    without a location code are left out. ``classes`` is the output of
    :func:`classify_posyandu` (same index); ``column`` picks the hazard (default the maximum).
    Returns columns code, rendah, sedang, tinggi, tidak_ada, total (ints), sorted by code.
    """
    cols = [*ht.KELAS, NO_HAZARD]
    if code_column is None:
        code_column = ("kode_desa_lokasi" if "kode_desa_lokasi" in posyandu_with_codes
                       else "kode_lokasi")
    codes = posyandu_with_codes[code_column]
    has = codes.notna().to_numpy()
    if not has.any():
        return pd.DataFrame({"code": pd.Series(dtype="str"),
                             **{c: pd.Series(dtype="int64") for c in [*cols, "total"]}})
    code = truncate(codes[has].astype(str), level).to_numpy()
    cls = classes[column].reindex(posyandu_with_codes.index)[has]
    cls = cls.astype(object).where(cls.notna(), NO_HAZARD).to_numpy()
    table = pd.crosstab(pd.Series(code, name="code"), pd.Series(cls, name="kelas"))
    table = table.reindex(columns=cols, fill_value=0).astype("int64")
    table["total"] = table[cols].sum(axis=1)
    table.columns.name = None
    return table.sort_index().reset_index()
