"""Map files for the browser: written once, fetched once, cached by the browser.

The geometry of a map level never changes between reruns; only values and colours do.
So the display geometry of every (level, parent) the dashboard draws, and the Posyandu
points of every kabupaten, are written as compact JSON files under a folder that
Streamlit serves (``static/geo``, git-ignored), in subfolders named by the key of their
sources. The URL changes when the data change, so a browser may keep a file forever
(``fetch(url, {cache: "force-cache"})``); the map HTML carries only values per code.

* Geometry file ``<level>-<key>/<parent or "id">.json``: a GeoJSON FeatureCollection,
  properties ``code``, ``name`` (HTML-escaped), ``lp`` (label point ``[lat, lon]`` inside
  the polygon) and ``ar`` (area, deg², to decide which label wins when labels overlap).
* Points file ``pts-<key>/<kabupaten>.json``: ``{"rows": [[lat, lon, name, village,
  kader, internet, strata, sample, code], ...]}``; texts HTML-escaped; internet 1/0/null.
* Hazard file ``hz-<key>/<region or "id">-<type>.json`` (Risiko Bencana): ``{"zones": a
  FeatureCollection with properties j (type), k (class), s (1 = sample), "high": [[lat,
  lon, name], ...]}`` — the zones of one view and its Posyandu in class tinggi; labels
  and colours come with the map, so one file serves every language.

Files are written atomically (several app processes may write the same file at once).
Nothing here imports streamlit or folium.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import tempfile
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.codes import DIGITS, PARTS
from geo.regions import display

MAPFILES_VERSION = "1"
_written: set[str] = set()
_lock = threading.Lock()


def _write_atomic(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)      # mkstemp makes 0600; a proxy or another user may serve it
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def layer_key(level: str) -> str:
    """Key of a level's display geometry: pipeline, tolerance and source boundaries."""
    extra = (f"{MAPFILES_VERSION}|{display.DISPLAY_VERSION}|{level}|{display.TOLERANCE[level]}"
             f"|{display._source_hash(level)}")
    return hashlib.sha256(extra.encode()).hexdigest()[:12]


def label_points(layer: gpd.GeoDataFrame) -> tuple[list, np.ndarray]:
    """A point inside each polygon ([lat, lon], 4 decimals) and each polygon's area."""
    geoms = layer.geometry.values
    pts = shapely.point_on_surface(geoms)
    xy = shapely.get_coordinates(pts)
    lp = [[round(float(y), 4), round(float(x), 4)] for x, y in xy]
    return lp, shapely.area(geoms)


def geometry_properties(layer: gpd.GeoDataFrame) -> pd.DataFrame:
    """Properties written with the geometry: escaped name, label point, area."""
    lp, area = label_points(layer)
    return pd.DataFrame({"name": [html.escape(str(n)) for n in layer["name"]],
                         "lp": lp, "ar": np.round(area, 5)}, index=layer.index)


def geometry_file(root: Path, level: str, parent: str | None) -> str:
    """Write (once) the display geometry of ``level`` under ``parent``; return its path
    relative to ``root``."""
    rel = f"{level}-{layer_key(level)}/{parent or 'id'}.json"
    target = root / rel
    if str(target) in _written:
        return rel
    if not target.exists():
        layer = display.display_layer(level, parent or None)
        _write_atomic(target, display.geojson_payload(layer, geometry_properties(layer)))
    with _lock:
        _written.add(str(target))
    return rel


def points_key(registry_key: str) -> str:
    return hashlib.sha256(f"{MAPFILES_VERSION}|{registry_key}".encode()).hexdigest()[:12]


def _prefix_at(categories: pd.Index, level: str) -> np.ndarray:
    """The code at ``level`` of each Kemendagri code (fixed widths: 62, 62.71, 62.71.01,
    62.71.01.1001); "" for a code coarser than ``level``."""
    width = sum(DIGITS[:PARTS[level]]) + PARTS[level] - 1
    s = pd.Series(categories.astype(str))
    out = s.str.slice(0, width).to_numpy(dtype=object)
    out[s.str.len().to_numpy() < width] = ""
    return out


def _kabupaten_of(codes: pd.Series) -> pd.Series:
    """Kabupaten code of each (categorical) aggregation code, computed per category."""
    codes = codes.astype("category")
    arr = np.append(_prefix_at(codes.cat.categories, "kabupaten"), "")
    return pd.Series(arr[codes.cat.codes.to_numpy()], index=codes.index)


def _text(values) -> list:
    return [None if pd.isna(v) else html.escape(str(v)) for v in values]


def point_rows(points: pd.DataFrame, names: pd.Series) -> list[list]:
    """Rows of the points file (see module docstring) of some joined Posyandu; posts
    without a usable point (placed by their village code only) are not drawn."""
    points = points.loc[points["lat"].notna() & points["lon"].notna()]
    code = points["kode_agregasi"].astype(str)
    village = code.map(names).fillna(points["kode_desa"])
    internet = points["internet"].astype("boolean")
    kader = points["jumlah_kader"]
    sample = points["sampel"] if "sampel" in points else pd.Series(False, index=points.index)
    return [[round(float(a), 5), round(float(b), 5), n, v,
             None if pd.isna(k) else int(k), None if pd.isna(i) else int(bool(i)), s,
             int(bool(sm)), c]
            for a, b, n, v, k, i, s, sm, c in zip(
                points["lat"], points["lon"], _text(points["nama"]), _text(village), kader,
                internet, _text(points["strata"]), sample, code)]


def points_files(root: Path, joined: pd.DataFrame, registry_key: str, names: pd.Series,
                 kabupaten: list[str] | None = None) -> dict[str, str]:
    """Write (once) the points file of each kabupaten (all, or those listed); return
    kabupaten code → path relative to ``root``. Kabupaten without Posyandu get no file."""
    folder = f"pts-{points_key(registry_key)}"
    kab = _kabupaten_of(joined["kode_agregasi"])
    wanted = set(kabupaten) if kabupaten is not None else None
    out: dict[str, str] = {}
    present = [c for c in sorted(set(kab.to_numpy())) if c and (wanted is None or c in wanted)]
    rels = {c: f"{folder}/{c}.json" for c in present}
    if all(str(root / rel) in _written or (root / rel).exists() for rel in rels.values()):
        with _lock:                  # a restart with the same registry: nothing to split
            _written.update(str(root / rel) for rel in rels.values())
        return rels
    for code, rows in joined.groupby(kab.to_numpy(), sort=True):
        if not code or (wanted is not None and code not in wanted):
            continue
        rel = f"{folder}/{code}.json"
        target = root / rel
        if str(target) not in _written and not target.exists():
            text = json.dumps({"rows": point_rows(rows, names)}, ensure_ascii=False,
                              separators=(",", ":"))
            _write_atomic(target, text)
        with _lock:
            _written.add(str(target))
        out[code] = rel
    return out


def hazard_file(root: Path, key: str, name: str, zones: gpd.GeoDataFrame,
                high: pd.DataFrame) -> str:
    """Write (once) the hazard zones (``jenis``, ``kelas``, ``sampel``, geometry) and the
    Posyandu in tinggi (``lat``, ``lon``, ``nama``) of one view; return the path relative
    to ``root``. ``key`` names the source data, ``name`` the view."""
    folder = "hz-" + hashlib.sha256(f"{MAPFILES_VERSION}|{key}".encode()).hexdigest()[:12]
    rel = f"{folder}/{name}.json"
    target = root / rel
    if str(target) not in _written and not target.exists():
        props = pd.DataFrame({"j": zones["jenis"].astype(str).to_numpy(),
                              "k": zones["kelas"].astype(str).to_numpy(),
                              "s": zones["sampel"].astype(bool).astype(int).to_numpy()},
                             index=zones.index)
        high = high.loc[high["lat"].notna() & high["lon"].notna()]
        rows = [[round(float(a), 5), round(float(b), 5), n]
                for a, b, n in zip(high["lat"], high["lon"], _text(high["nama"]))]
        text = ('{"zones":' + display.geojson_payload(zones[["geometry"]], props) +
                ',"high":' + json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "}")
        _write_atomic(target, text)
    with _lock:
        _written.add(str(target))
    return rel


def counts(joined: pd.DataFrame, level: str, offline_only: bool = False) -> pd.Series:
    """Posyandu per region of ``level`` (code → count), optionally only those without
    internet. Posyandu located only at a coarser level are not counted at a finer one."""
    codes = joined["kode_agregasi"].astype("category")
    idx = codes.cat.codes.to_numpy()
    if offline_only:
        keep = (joined["internet"].astype("boolean").fillna(True) == False).to_numpy()  # noqa: E712
        idx = idx[keep]
    at_level = _prefix_at(codes.cat.categories, level)
    n = np.bincount(idx[idx >= 0], minlength=len(at_level))
    out = pd.Series(n, index=at_level).groupby(level=0).sum()
    return out[(out.index != "") & (out > 0)]
