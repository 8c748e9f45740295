"""Look-ups that place a Posyandu registry row (used by geo.importers.posyandu).

* ``land_distance_m``: how far a point lies from the nearest province polygon (the sea
  check: a point more than ``SEA_TOLERANCE_M`` from land is refused as a point);
* ``suggest_village``: the Kemendagri village matching a row's village name, within the
  parent region the user chose and the kecamatan/kabupaten names of the row;
  ``exact_match`` says whether such a match is applied without asking, ``match_hint`` is
  the sentence that names a suggestion in a row's report.
"""
from __future__ import annotations

import numpy as np
import shapely

from geo.codes import is_code
from geo.importers import names as namematch
from geo.registry.join_index import boundary_pieces
from geo.registry.schema import is_blank

SEA_TOLERANCE_M = 5000.0
_M_PER_DEGREE = 111_320.0


def land_distance_m(lon: np.ndarray, lat: np.ndarray, land=None) -> np.ndarray:
    """Approximate distance (m) from each point to the nearest land polygon (0 on land).
    NaN for every point when no land layer is available."""
    n = len(lon)
    if n == 0:
        return np.zeros(0)
    if land is None:
        from geo.regions.boundaries import boundaries
        try:
            land = boundaries("provinsi").geometry.values
        except Exception:      # no data directory: the check is skipped (noted)
            return np.full(n, np.nan)
    geoms = np.asarray(land, dtype=object)
    pts = shapely.points(np.asarray(lon, float), np.asarray(lat, float))
    dist = np.full(n, np.nan)
    # points on land: each polygon asks the tree of points for those it covers (a polygon
    # prepared once, not a large polygon tested point by point)
    hit = shapely.STRtree(pts).query(geoms, predicate="covers")
    on_land = np.zeros(n, bool)
    on_land[hit[1]] = True
    dist[on_land] = 0.0
    off = np.flatnonzero(~on_land)
    if len(off):
        # nearest coastline piece (the same segments as the whole polygon, indexed)
        idx, d = _edges(geoms).query_nearest(pts[off], return_distance=True,
                                              all_matches=False)
        dist[off[idx[0]]] = d * _M_PER_DEGREE
    return dist


_EDGES: dict = {}


def _edges(geoms: np.ndarray) -> shapely.STRtree:
    """STRtree of the land polygons' rings cut into short pieces (kept for the same
    polygons: an import checks its rows block by block against the same land)."""
    key = tuple(map(id, geoms))
    if _EDGES.get("key") != key:
        pieces, _ = boundary_pieces(geoms, 32)
        _EDGES.update(key=key, geoms=geoms, tree=shapely.STRtree(pieces))
    return _EDGES["tree"]


def suggest_village(rec: dict, code: str | None, known: set[str],
                    declared: str | None = None) -> namematch.Match | None:
    """Best Kemendagri village for the row's names, within what the code/names tell (and
    within ``declared``, the parent region chosen by the user, when given)."""
    desa = rec.get("nama_desa")
    if is_blank(desa):
        return None
    parent = declared if declared and declared.count(".") >= 2 else None
    if parent is None and code and is_code(code) and (not declared or
                                                      code.startswith(declared + ".")):
        for depth in (3, 2):      # district, then regency prefix of the given code
            prefix = ".".join(code.split(".")[:depth])
            level = "kecamatan" if depth == 3 else "kabupaten"
            if prefix in namematch.known_codes(level):
                parent = prefix
                break
    if parent is None and not is_blank(rec.get("nama_kabupaten")):
        m = namematch.match_name(rec["nama_kabupaten"], "kabupaten",
                                 declared if declared and "." not in declared else None)
        parent = m.code if m and m.auto else None
    if parent is None and declared:
        parent = declared
    if (parent is None or parent.count(".") == 1) and not is_blank(rec.get("nama_kecamatan")):
        m = namematch.match_name(rec["nama_kecamatan"], "kecamatan", parent)
        if m and m.auto:
            parent = m.code
    return namematch.match_name(desa, "desa", parent)


def match_hint(rec: dict) -> str:
    m = rec.get("_match")
    if m is None:
        return ""
    return (f"; saran dari nama desa '{rec.get('nama_desa')}': {m.describe()} — belum "
            "diterapkan, periksa lalu terapkan saran bila benar")


def exact_match(m: namematch.Match | None) -> bool:
    """A name match that is applied without asking: the same name, and only one such."""
    return m is not None and m.score >= 100 and not m.ambiguous
