"""Boundary polygons of one administrative level, from any polygon file in any CRS.

Fields (case-insensitive; the caller may name them): the code field of the level
(BIG: ``KDPPUM``/``KDPKAB``/``KDCPUM``/``KDEPUM``; also ``kode``, ``code``…), the name
field (BIG: ``WADMPR``/``WADMKK``/``WADMKC``/``WADMKD``, then ``NAMOBJ``, ``nama``,
``name``) and, for reconciling names, the parents' code or name fields. BPS codes
(``KDBBPS``, ``KDEBPS``…) are never used: they are not Kemendagri codes.

Per feature (``baris`` = feature number, first = 1):
* a code of the level in the Kemendagri list → used, official name;
* a code written without dots → normalised (``diperbaiki``);
* no usable code → the name is matched to the Kemendagri list within the parent (``--parent``,
  or the parent's code/name fields of the feature): an unambiguous match of at least 90 %
  is applied and reported (``diperbaiki``); otherwise the feature is rejected with the best
  suggestion — a polygon without a code cannot be joined to anything;
* a code not in the list → kept with a warning (new regions appear between lists);
* outside ``--parent`` (by code), not a polygon, empty, more vertices than the limit
  (geo.importers.safety), across the antimeridian or beyond Indonesia's extent → rejected;
* a polygon not lying mostly inside its parent's polygon → rejected (``outside_parent``):
  the parent is the deepest ancestor of the code (``--parent`` is one) whose polygon is
  known (geo.regions: saved or bundled boundaries). Levels were simplified independently
  at source and do not share edges (data README §1), so slivers are allowed: what counts
  is the part more than ``PARENT_MARGIN_DEG`` (≈ 2 km) outside, which must stay under
  ``MAX_SHARE_OUTSIDE`` of the area, and the feature must come within
  ``PARENT_REACH_DEG`` (≈ 28 km: small islands the simplified polygons leave out). A
  feature outside its parent but inside its grandparent is kept with a warning (the
  bundled desa/kecamatan layers disagree in a few places, e.g. 11.05.02); a polygon in
  another province or covering the world is refused. No parent polygon: not checked (noted);
* invalid geometry → repaired (each part made valid, polygonal parts unioned), reported;
* several features with one code (islands stored separately) → merged into one
  MultiPolygon, reported as a warning.

Output (EPSG:4326): code, name, level, parent_code, province_code, kind, geometry.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.codes import LEVELS, PARTS, level_of, normalize_code
from geo.importers import names as namematch
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.vector import (
    dropped_parts_finding,
    find_field,
    geometry_findings,
    only_polygons,
    read_vector,
    repair,
)
from geo.regions.boundaries import BOUNDARY_COLUMNS, repair_geometries
from geo.regions.boundaries import CRS as WGS84

CODE_FIELDS = {
    "provinsi": ("KDPPUM", "kode_prov", "kd_prov", "kode_provinsi", "kdprov", "prov_code"),
    "kabupaten": ("KDPKAB", "kode_kab", "kd_kab", "kode_kabupaten", "kode_kabkota", "kdkab",
                  "kab_code"),
    "kecamatan": ("KDCPUM", "kode_kec", "kd_kec", "kode_kecamatan", "kdkec", "kec_code"),
    "desa": ("KDEPUM", "kode_desa", "kd_desa", "kode_kel", "kode_desa_kel", "kddesa",
             "desa_code"),
}
GENERIC_CODE_FIELDS = ("code", "kode", "kode_wilayah", "kode_kemendagri", "kdppum_kemendagri")
NAME_FIELDS = {
    "provinsi": ("WADMPR", "nama_prov", "provinsi", "nama_provinsi", "propinsi"),
    "kabupaten": ("WADMKK", "nama_kab", "kabupaten", "kab_kota", "nama_kabupaten", "kabkot",
                  "nama_kabkota"),
    "kecamatan": ("WADMKC", "nama_kec", "kecamatan", "nama_kecamatan"),
    "desa": ("WADMKD", "nama_desa", "desa", "kelurahan", "desa_kel", "nama_kel"),
}
GENERIC_NAME_FIELDS = ("NAMOBJ", "nama", "name", "nama_wilayah")
PARENT_MARGIN_DEG = 0.02      # ≈ 2 km: slivers between levels simplified independently
MAX_SHARE_OUTSIDE = 0.5       # of a feature's area, farther than the margin from its parent
PARENT_REACH_DEG = 0.25       # ≈ 28 km: how far off its parent a feature (an island) may lie
KM_PER_DEG = 111.32


@dataclass
class BoundaryImport:
    data: gpd.GeoDataFrame
    report: ImportReport
    level: str
    fields: dict[str, str | None]


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in BOUNDARY_COLUMNS[:-1]},
                            geometry=gpd.GeoSeries([], crs=WGS84), crs=WGS84)


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    s = str(v).strip()
    return s or None


def _region_label(code: str) -> str:
    """'62 Kalimantan Tengah' (the code alone when it is not in the list)."""
    try:
        df = namematch._candidates(level_of(code), None)
    except ValueError:
        return code
    name = df.loc[df["code"] == code, "name"]
    return f"{code} {name.iloc[0]}" if len(name) else code


def _resolve_parent(row, level: str, parent: str | None, fields: dict) -> str | None:
    """The deepest known ancestor of the feature: --parent, the feature's parent codes, or
    its parent names matched level by level."""
    best = parent
    for lv in LEVELS[:LEVELS.index(level)]:
        if best and best.count(".") + 1 >= PARTS[lv]:
            continue           # already known at this depth
        code_f, name_f = fields.get(f"code_{lv}"), fields.get(f"name_{lv}")
        code = normalize_code(row.get(code_f)) if code_f else None
        if code and code.count(".") + 1 == PARTS[lv] and code in namematch.known_codes(lv) \
                and (best is None or code.startswith(best + ".")):
            best = code
            continue
        name = _text(row.get(name_f)) if name_f else None
        if name:
            m = namematch.match_name(name, lv, best)
            if m and m.auto:
                best = m.code
                continue
        break
    return best


class _Parents:
    """Polygons of parent regions (geo.regions.boundaries: the saved boundaries, else the
    bundled ones), prepared, one per code; None where a code has no polygon here."""

    def __init__(self):
        self._cache: dict[str, object] = {}
        self._levels: dict[tuple[str, str], dict] = {}

    def polygon(self, code: str):
        if code not in self._cache:
            poly = self._level(level_of(code), code[:2]).get(code)
            if poly is not None and not poly.is_empty:
                # a copy of the cached boundary's polygon, prepared for this import only:
                # GEOS builds a prepared polygon's indexes in place on its first queries,
                # and another import may be querying the cached object at the same time
                poly = shapely.from_wkb(shapely.to_wkb(poly))
                shapely.prepare(poly)
            else:
                poly = None
            self._cache[code] = poly
        return self._cache[code]

    def _level(self, level: str, province: str) -> dict:
        """{code: polygon} of one level in one province (read once)."""
        key = (level, province)
        if key not in self._levels:
            from geo.regions.boundaries import boundaries
            try:
                df = boundaries(level, province)
                self._levels[key] = dict(zip(df["code"], df.geometry.values))
            except Exception:        # level not available here: not checked
                self._levels[key] = {}
        return self._levels[key]

    def of(self, code: str) -> list[tuple[str, object]]:
        """(code, polygon) of the ancestors of ``code`` whose polygon is known, deepest
        first (``--parent`` is one of the ancestors)."""
        parts = code.split(".")
        found = []
        for depth in range(len(parts) - 1, 0, -1):
            anc = ".".join(parts[:depth])
            poly = self.polygon(anc)
            if poly is not None:
                found.append((anc, poly))
        return found


def outside_parent(geom, parent) -> str | None:
    """Why ``geom`` does not lie mostly inside ``parent`` (Indonesian), or None. Slivers are
    allowed: only the part of ``geom`` more than ``PARENT_MARGIN_DEG`` outside the parent
    counts (the part outside, eroded by the margin), and it must stay under
    ``MAX_SHARE_OUTSIDE`` of the area. A feature farther than ``PARENT_REACH_DEG`` from the
    parent is outside whatever its size (nearer, a small island the simplified parent
    polygon leaves out is kept)."""
    if shapely.contains(parent, geom):
        return None
    if not shapely.dwithin(geom, parent, PARENT_REACH_DEG):
        km = float(shapely.distance(geom, parent)) * KM_PER_DEG
        return f"letaknya ±{km:,.0f} km dari batas wilayah induk".replace(",", ".")
    area = float(shapely.area(geom))
    out = shapely.difference(geom, parent)
    if float(shapely.area(out)) <= MAX_SHARE_OUTSIDE * area:    # eroding only shrinks it
        return None
    far = shapely.buffer(out, -PARENT_MARGIN_DEG, quad_segs=2)
    share = float(shapely.area(far)) / area if area > 0 else 0.0
    if share > MAX_SHARE_OUTSIDE:
        return (f"{share:.0%} luasnya berada lebih dari ±{PARENT_MARGIN_DEG * KM_PER_DEG:.0f} km "
                "di luar batas wilayah induk")
    return None


def _parent_findings(n: int, code: str, geom, parents: _Parents, unchecked: set
                     ) -> list[dict]:
    """A rejection when the polygon does not lie in its parent; a warning when it lies in
    its grandparent but not in the parent (the levels' polygons disagree, data README §1)."""
    found = parents.of(code)
    if not found:
        unchecked.add(code)
        return []
    (anc, poly), *higher = found
    why = outside_parent(geom, poly)
    if why is None:
        return []
    if higher and outside_parent(geom, higher[0][1]) is None:
        return [finding(n, "geometry", code,
                        f"poligon {code} tidak cocok dengan batas induknya {_region_label(anc)} "
                        f"({why}), tetapi berada di dalam {_region_label(higher[0][0])}; "
                        "diterima, periksa kode wilayahnya", WARNING)]
    return [finding(n, "geometry", code,
                    f"poligon {code} tidak berada di dalam wilayah induknya "
                    f"{_region_label(anc)}: {why}; periksa kode wilayah atau sistem "
                    "koordinat", REJECTED)]


def import_boundaries(path: str | Path, level: str, *, parent: str | None = None,
                      crs: str | None = None, layer: str | None = None,
                      code_field: str | None = None, name_field: str | None = None,
                      source_name: str | None = None) -> BoundaryImport:
    """Import the boundaries of one level (provinsi/kabupaten/kecamatan/desa)."""
    path = Path(path)
    source = source_name or path.name
    if level not in LEVELS:
        raise ValueError(f"tingkat tidak dikenal: {level}")
    kind = f"batas_{level}"
    if parent is not None:
        pc = normalize_code(parent)
        if pc is None or pc.count(".") + 1 >= PARTS[level]:
            return BoundaryImport(_empty(), ImportReport.refused(
                kind, source, f"kode induk {parent!r} tidak valid untuk tingkat {level}"), level, {})
        parent = pc
    try:
        read = read_vector(path, kind, crs=crs, layer=layer)
    except ImportRefused as exc:
        return BoundaryImport(_empty(), ImportReport.refused(kind, source, str(exc)), level, {})
    gdf = read.frame
    cols = list(gdf.columns)
    fields: dict[str, str | None] = {
        "code": code_field if code_field in cols else (
            find_field(cols, CODE_FIELDS[level]) or find_field(cols, GENERIC_CODE_FIELDS)),
        "name": name_field if name_field in cols else (
            find_field(cols, NAME_FIELDS[level]) or find_field(cols, GENERIC_NAME_FIELDS)),
    }
    for lv in LEVELS[:LEVELS.index(level)]:
        fields[f"code_{lv}"] = find_field(cols, CODE_FIELDS[lv])
        fields[f"name_{lv}"] = find_field(cols, NAME_FIELDS[lv])
    notes = list(read.notes)
    notes.append(f"Kolom kode: {fields['code'] or '(tidak ada)'}; kolom nama: "
                 f"{fields['name'] or '(tidak ada)'}.")
    if not fields["code"] and not fields["name"]:
        msg = (f"kolom kode atau nama wilayah tidak ditemukan (kolom yang ada: "
               f"{', '.join(c for c in cols if c != 'geometry')}); pilih kolomnya")
        return BoundaryImport(_empty(), ImportReport.build(kind, source, len(gdf), [], [
            finding(0, "", "", msg, REJECTED)], notes, fatal=msg), level, fields)

    known = namematch.known_codes(level)
    official = namematch._candidates(level, None).set_index("code")
    findings: list[dict] = []
    kept: list[dict] = []
    first_row_of: dict[str, int] = {}
    depth = PARTS[level]
    parents, unchecked = _Parents(), set()
    for i, row in enumerate(gdf.drop(columns="geometry").to_dict("records")):
        n = i + 1
        geom = gdf.geometry.iloc[i]
        raw_code = row.get(fields["code"]) if fields["code"] else None
        name = _text(row.get(fields["name"])) if fields["name"] else None
        row_f: list[dict] = []
        code = None
        if _text(raw_code):
            c = normalize_code(raw_code)
            if c is None or c.count(".") + 1 != depth:
                row_f.append(finding(n, fields["code"], raw_code,
                                     f"bukan kode Kemendagri tingkat {level}; dicari dari nama",
                                     WARNING))
            else:
                code = c
                if str(raw_code).strip() != c:
                    row_f.append(finding(n, fields["code"], raw_code,
                                         f"kode dinormalkan menjadi {c}", REPAIRED))
        if code is None:
            par = _resolve_parent(row, level, parent, fields)
            m = namematch.match_name(name, level, par) if name else None
            where = f" di {_region_label(par)}" if par else ""
            if m and m.auto:
                code = m.code
                row_f.append(finding(n, fields["name"], name,
                                     f"kode {m.code} diisi berdasarkan nama{where}: "
                                     f"{m.name} (kecocokan {m.score:.0f}%)", REPAIRED))
            else:
                if not name:
                    msg = "tidak ada kode maupun nama wilayah"
                elif m:
                    why = (f"tidak dapat dipastikan (mirip juga dengan {m.runner_up})"
                           if m.ambiguous else "kecocokan terlalu rendah")
                    msg = (f"nama '{name}' tidak ditemukan pasti di daftar Kemendagri{where}; "
                           f"saran: {m.describe()}, {why}. Tambahkan kolom kode atau perbaiki nama")
                else:
                    msg = (f"nama '{name}' tidak ditemukan di daftar Kemendagri{where}; tambahkan "
                           "kolom kode atau perbaiki nama")
                row_f.append(finding(n, fields["name"] or fields["code"] or "", name, msg,
                                     REJECTED))
        if code is not None and parent and not code.startswith(parent + "."):
            row_f.append(finding(n, fields["code"] or fields["name"], code,
                                 f"kode {code} berada di luar wilayah induk {parent}", REJECTED))
        row_f.extend(geometry_findings(n, geom, value=code or "", within_indonesia=True))
        if any(f["tingkat"] == REJECTED for f in row_f):
            findings.extend(row_f)
            continue
        dropped = dropped_parts_finding(n, geom)
        if dropped:
            row_f.append(dropped)
        geom = only_polygons(geom)
        geom, reason = repair(geom)
        if reason:
            row_f.append(finding(n, "geometry", "", f"geometri tidak valid ({reason}); "
                                 "diperbaiki", REPAIRED))
        if geom is None or geom.is_empty:
            row_f.append(finding(n, "geometry", "", "geometri kosong setelah diperbaiki",
                                 REJECTED))
            findings.extend(row_f)
            continue
        if depth > 1:
            parent_f = _parent_findings(n, code, geom, parents, unchecked)
            row_f.extend(parent_f)
            if any(f["tingkat"] == REJECTED for f in parent_f):
                findings.extend(row_f)
                continue
        if code not in known:
            row_f.append(finding(n, fields["code"] or fields["name"], code,
                                 f"kode {code} tidak ada di daftar kode Kemendagri; dipakai "
                                 "dengan nama dari berkas", WARNING))
        if code in first_row_of:
            row_f.append(finding(n, fields["code"] or fields["name"], code,
                                 f"kode {code} juga dipakai fitur {first_row_of[code]}; "
                                 "poligonnya digabung", WARNING))
        else:
            first_row_of[code] = n
        findings.extend(row_f)
        kept.append({"baris": n, "code": code,
                     "name": official["name"].get(code, name) if code in known else name,
                     "kind": official["kind"].get(code) if code in known else None,
                     "geometry": geom})
    if unchecked:
        notes.append(f"Batas wilayah induk tidak tersedia untuk {len(unchecked)} kode; letak "
                     "poligonnya terhadap induk tidak diperiksa.")
    accepted = [k["baris"] for k in kept]
    if kept:
        df = pd.DataFrame(kept)
        merged = df.groupby("code", sort=True).agg(
            name=("name", "first"), kind=("kind", "first"),
            geometry=("geometry", lambda g: shapely.union_all(list(g)) if len(g) > 1 else g.iloc[0]))
        merged = merged.reset_index()
        geoms, _ = repair_geometries(merged["geometry"].values)
        merged["geometry"] = geoms
        merged["level"] = level
        merged["parent_code"] = merged["code"].str.rsplit(".", n=1).str[0] if depth > 1 else None
        merged["province_code"] = merged["code"].str[:2]
        data = gpd.GeoDataFrame(merged[BOUNDARY_COLUMNS[:-1]], geometry=list(merged["geometry"]),
                                crs=WGS84)
        if len(merged) != len(kept):
            notes.append(f"{len(kept)} fitur diterima menjadi {len(merged)} wilayah "
                         "(fitur berkode sama digabung).")
    else:
        data = _empty()
    report = ImportReport.build(kind, source, len(gdf), accepted, findings, notes)
    return BoundaryImport(data, report, level, fields)


def to_geojson(data: gpd.GeoDataFrame, path: str | Path) -> None:
    """Write the imported boundaries as GeoJSON (EPSG:4326), atomically."""
    from geo.cache import write_bytes_atomic
    write_bytes_atomic(Path(path), data.to_json(drop_id=True).encode("utf-8"))
