"""Spatial join: place every Posyandu in the finest polygon available for its area.

Where each point lies (the polygons, prepared for bulk queries) is geo.registry.join_index; this
module applies the Posyandu rules to it: the declared code against the location, the
status of each row, the columns below.

Columns added to the Posyandu table:

``kode_lokasi``       code of the polygon the point falls in (or the nearest one)
``tingkat_lokasi``    level of that polygon (``desa`` or ``kecamatan``)
``kode_kecamatan``, ``kode_kabupaten``, ``kode_provinsi``  — its ancestors
``di_luar``           True when the point lies outside every polygon
``jarak_m``           distance in metres to the nearest polygon (0 when inside)
``tumpang_tindih``    True when the point falls in two or more overlapping polygons
``kode_cocok``        declared ``kode_desa`` agrees with the location (NA if none declared)
``kode_agregasi``     desa code used to aggregate indicators (see below)
``status_lokasi``     cocok | kode_berbeda | di_luar_poligon | tanpa_kode | kode_tidak_dikenal
                      | tanpa_titik

Rules (deterministic, documented in data/README.md):

* Overlap (border slivers, nested villages): when a point is inside several polygons, take
  the one whose code is the declared ``kode_desa`` (or its kecamatan); otherwise the
  smallest polygon by area; remaining ties by the lowest code.
* Outside every polygon: the nearest polygon (geodesic distance to its edge), flagged;
  two polygons at the same distance (a shared edge): the one listed first in the layer.
* Neither the declared code nor the location overwrites the other. Indicators are
  aggregated by ``kode_agregasi``: the declared ``kode_desa`` when it is a known Kemendagri
  code, else the desa of the location (or, where only kecamatan polygons exist, the
  location's kecamatan code). Its categories are the index's code table
  (geo.codetable), so aggregation works on integers.
* A row without a point (no geometry, an empty one or NaN coordinates — a registry kept
  per village, or coordinates refused on import) is not located: ``status_lokasi =
  tanpa_titik``, no ``kode_lokasi``, ``di_luar`` false, ``jarak_m`` NaN; its ancestors and
  ``kode_agregasi`` come from its declared ``kode_desa`` when that is a known code (else it
  has no ``kode_agregasi`` and counts nowhere). A registry where every row has a point takes
  the same path as before (one vectorised test, no copy).
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.codes import truncate
from geo.codetable import CodeTable
from geo.registry.join_index import JoinIndex, Location, build_index, locate

STATUS = ["tanpa_kode", "kode_tidak_dikenal", "di_luar_poligon", "kode_berbeda", "cocok",
          "tanpa_titik"]
_STATUS_DTYPE = pd.CategoricalDtype(STATUS)


def _declared(table: CodeTable, column: pd.Series
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per Posyandu: has a declared code; its table position (-1 if not in the table); the
    table position of its kecamatan prefix (-1 if none); whether it is a known village."""
    has = column.notna().to_numpy()
    pos = table.positions(column)
    inside = pos >= 0
    kec = np.where(inside, table.parent_positions("kecamatan")[pos], -1)
    other = has & ~inside
    if other.any():  # codes outside the table: cut their prefix as text
        kec[other] = table.positions(column[other].astype(str).to_numpy(dtype=str).astype("U8"))
    return has, pos, kec, inside & table.is_village[pos]


def join(posyandu: gpd.GeoDataFrame, index: JoinIndex | None = None,
         known_villages: set[str] | None = None) -> gpd.GeoDataFrame:
    """Return a copy of ``posyandu`` with the location columns (see module doc).
    ``known_villages`` replaces the Kemendagri village list (the codes that count as known)."""
    if index is None:
        index = build_index()
    table, poly_pos = index.table, index.poly_pos
    if known_villages is not None:
        table, poly_pos = index.with_villages(np.sort(np.asarray(list(known_villages), dtype=str)))
    declared_col = posyandu["kode_desa"] if "kode_desa" in posyandu \
        else pd.Series(None, index=posyandu.index, dtype=object)
    has_code, dec_desa, dec_kec, known = _declared(table, declared_col)

    geoms = np.asarray(posyandu.geometry.values, dtype=object)
    point = has_point(geoms)
    located = None if point.all() else np.flatnonzero(point)   # rows with a point

    def declared_here(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Is polygon j (desa or kecamatan) the one point i declares?"""
        if located is not None:
            i = located[i]
        at = np.where(index.is_desa[j], dec_desa[i], dec_kec[i])
        return at == poly_pos[j]

    if located is None:
        loc = locate(index, geoms, declared_here)
    else:
        loc = _spread(locate(index, geoms[located], declared_here), located, len(geoms))
    poly, outside = loc.poly, loc.outside
    where = poly_pos[poly]
    same = np.where(index.is_desa[poly], dec_desa, dec_kec) == where
    status = np.full(len(poly), 4, dtype=np.int8)            # cocok
    status[has_code & ~same] = 3                             # kode_berbeda
    status[outside] = 2                                      # di_luar_poligon
    status[has_code & ~known] = 1                            # kode_tidak_dikenal
    status[~has_code] = 0                                    # tanpa_kode
    if located is not None:
        where[~point] = -1
        status[~point] = 5                                   # tanpa_titik
        same[~point] = False
    # Code columns are categoricals: 300,000 rows share a few thousand distinct codes.
    columns = {col: index.column(index.ancestors[key], poly) for col, key in (
        ("kode_lokasi", "lokasi"), ("tingkat_lokasi", "tingkat"),
        ("kode_kecamatan", "kecamatan"), ("kode_kabupaten", "kabupaten"),
        ("kode_provinsi", "provinsi"))}
    if located is not None:
        columns = _declared_ancestors(columns, ~point, declared_col, known)
    columns.update({
        "di_luar": outside,
        "jarak_m": np.round(loc.distance, 1),
        "tumpang_tindih": loc.overlap,
        "kode_cocok": pd.arrays.BooleanArray(same & has_code, ~has_code | ~point),
        "kode_agregasi": table.categorical(np.where(known, dec_desa, where)),
        "status_lokasi": pd.Categorical.from_codes(status, dtype=_STATUS_DTYPE),
    })
    again = [c for c in columns if c in posyandu]   # joining a joined table again
    kept = posyandu.drop(columns=again) if again else posyandu
    return pd.concat([kept, pd.DataFrame(columns, index=posyandu.index)], axis=1)


def has_point(geoms: np.ndarray) -> np.ndarray:
    """Per row: a usable point (not None, not empty, finite coordinates)."""
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if ok.any():
        x = shapely.get_x(geoms[ok])
        ok[ok] = np.isfinite(x) & np.isfinite(shapely.get_y(geoms[ok]))
    return ok


def _spread(loc: Location, rows: np.ndarray, n: int) -> Location:
    """A Location of the rows with a point, spread to all ``n`` rows (no polygon: -1)."""
    poly = np.full(n, -1, dtype=np.intp)
    outside, overlap = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    dist = np.full(n, np.nan)
    poly[rows], outside[rows], overlap[rows], dist[rows] = \
        loc.poly, loc.outside, loc.overlap, loc.distance
    return Location(poly=poly, outside=outside, distance=dist, overlap=overlap)


def _declared_ancestors(columns: dict, rows: np.ndarray, declared: pd.Series,
                        known: np.ndarray) -> dict:
    """Location columns of the rows without a point: no location, the ancestors of the
    declared code when it is known (else missing)."""
    out = {}
    codes = pd.Series(declared.astype(object).to_numpy()).fillna("")
    fill = rows & known
    for col, cat in columns.items():
        cats = cat.categories
        if col not in ("kode_lokasi", "tingkat_lokasi") and fill.any():
            values = truncate(codes[fill], col.removeprefix("kode_")).to_numpy(dtype=object)
            cats = cats.union(pd.Index(pd.unique(values)))
        dtype = pd.CategoricalDtype(cats)
        recoded = pd.Categorical(cat, dtype=dtype).codes.copy()
        recoded[rows] = -1
        if col not in ("kode_lokasi", "tingkat_lokasi") and fill.any():
            recoded[fill] = cats.get_indexer(values)
        out[col] = pd.Categorical.from_codes(recoded, dtype=dtype)
    return out


def summary(joined: pd.DataFrame) -> dict:
    """Counts of each location status and flag (for reports and the CLI)."""
    return {
        "posyandu": int(len(joined)),
        "status": {k: int(v) for k, v in joined["status_lokasi"].value_counts().items()},
        "di_luar": int(joined["di_luar"].sum()),
        "tumpang_tindih": int(joined["tumpang_tindih"].sum()),
        "tingkat_lokasi": {k: int(v) for k, v in joined["tingkat_lokasi"].value_counts().items()},
    }
