"""The hostile corpus (issue 30): registry files, boundary files, GeoTIFFs and links that
people and crawlers really send, each with what the app must do with it.

Shared by ``python -m benchmarks.hostile`` and the tests (``from benchmarks.hostile_corpus
import star, write_raster``). Every case is built into a folder on demand (nothing is
committed) and carries ``expect``: the outcomes that are right for it —

* ``accepted``: saved, no row refused;
* ``partial``: saved, the bad rows refused and named in the report;
* ``refused``: nothing saved, with a named message.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ACCEPTED, PARTIAL, REFUSED = "accepted", "partial", "refused"
X0, Y0, CELL = 113.0, -1.0, 0.001          # rasters over Kalimantan Tengah, lon/lat
HEADER = "id;nama;kode_desa;lat;lon;jumlah_kader;balita_sasaran"
GOOD = ["P1;Posyandu Melati;62.71.01.1001;-2.21;113.91;5;20",
        "P2;Posyandu Mawar;62.71.01.1002;-2.22;113.92;4;18"]


@dataclass
class Case:
    name: str
    group: str                       # registry, boundaries, raster, url
    expect: tuple[str, ...]
    build: Callable[[Path], list[str]] = field(repr=False)   # folder -> command arguments
    note: str = ""


# ------------------------------------------------------------------------- shared builders

def star(n: int, cx=113.95, cy=-2.2, r=0.05):
    """A star of ``n`` vertices: every other vertex near the centre (the shape that makes
    GEOS's validity check quadratic)."""
    from shapely.geometry import Polygon
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rad = np.where(np.arange(n) % 2 == 0, r, r / 100)
    return Polygon(np.c_[cx + rad * np.cos(t), cy + rad * np.sin(t)])


def write_raster(path, values, transform=None, *, nodata=-1.0, count=1, crs="EPSG:4326",
                 **opts):
    """A GeoTIFF of ``values`` (2-D, or 3-D for several bands) over Kalimantan Tengah."""
    import rasterio
    from affine import Affine
    values = np.asarray(values)
    h, w = values.shape[-2:]
    with rasterio.open(path, "w", driver="GTiff", height=h, width=w, count=count,
                       dtype=values.dtype.name, crs=crs, nodata=nodata,
                       transform=transform or Affine(CELL, 0, X0, 0, -CELL, Y0), **opts) as dst:
        for b in range(1, count + 1):
            dst.write(values if values.ndim == 2 else values[b - 1], b)
    return path


def index_grid(h=512, w=512, seed=0):
    return np.random.default_rng(seed).random((h, w)).astype(np.float32)


def sparse_huge_raster(path, n: int = 10_950):
    """n × n float64 cells declared, tiled, deflated, one tile written (a few KB)."""
    import rasterio
    from affine import Affine
    from rasterio.windows import Window
    with rasterio.open(path, "w", driver="GTiff", height=n, width=n, count=1, dtype="float64",
                       crs="EPSG:4326", transform=Affine(CELL, 0, X0, 0, -CELL, Y0),
                       nodata=-1.0, tiled=True, blockxsize=256, blockysize=256,
                       compress="deflate", sparse_ok=True) as dst:
        dst.write(np.full((256, 256), 0.5), 1, window=Window(0, 0, 256, 256))
    return path


def _geojson(path: Path, codes, geoms, field_name="KDCPUM") -> Path:
    import geopandas as gpd
    gpd.GeoDataFrame({field_name: codes}, geometry=list(geoms), crs="EPSG:4326").to_file(
        path, driver="GeoJSON", engine="pyogrio")
    return path


# ------------------------------------------------------------------------- registry files

def _registry(name: str, rows: list[str], encoding="utf-8", header=HEADER, ext=".csv"):
    def build(folder: Path) -> list[str]:
        path = folder / f"{name}{ext}"
        path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
        return ["import", "posyandu", str(path), "--save"]
    return build


def _raw(name: str, data: bytes, kind="posyandu", ext=".csv"):
    def build(folder: Path) -> list[str]:
        path = folder / f"{name}{ext}"
        path.write_bytes(data)
        return ["import", kind, str(path), "--save"]
    return build


def _wide(folder: Path) -> list[str]:
    extra = [f"kolom_{i}" for i in range(300)]
    path = folder / "kolom_300.csv"
    lines = [";".join([HEADER, *extra])] + [";".join([g, *["x"] * 300]) for g in GOOD]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["import", "posyandu", str(path), "--save"]


def _xlsx_formulas(folder: Path) -> list[str]:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    ws.append(["P1", "=HYPERLINK(\"http://x\",\"klik\")", "62.71.01.1001", -2.21, 113.91, 5, 20])
    ws.append(["P2", "Posyandu Mawar", "62.71.01.1002", "=1/0", 113.92, 4, 18])
    path = folder / "rumus.xlsx"
    wb.save(path)
    return ["import", "posyandu", str(path), "--save"]


REGISTRY = [
    Case("utf16_bom", "registry", (ACCEPTED,), _registry("utf16", GOOD, "utf-16")),
    Case("cp1252_names", "registry", (ACCEPTED,),
         _registry("cp1252", [GOOD[0].replace("Melati", "Café Melati"), GOOD[1]], "cp1252")),
    Case("shift_jis", "registry", (ACCEPTED, PARTIAL, REFUSED),
         _registry("sjis", [GOOD[0].replace("Melati", "メラティ"), GOOD[1]], "shift_jis"),
         "named as Shift-JIS, never garbled silently"),
    Case("csv_formulas", "registry", (ACCEPTED,),
         _registry("rumus", [GOOD[0].replace("Posyandu Melati", "=cmd|' /C calc'!A0"),
                             GOOD[1].replace("Posyandu Mawar", "@SUM(1+1)")])),
    Case("xlsx_formulas", "registry", (ACCEPTED, PARTIAL), _xlsx_formulas),
    Case("huge_cell_5mb", "registry", (ACCEPTED, PARTIAL, REFUSED),
         _registry("sel_besar", [GOOD[0], GOOD[1].replace("Posyandu Mawar", "M" * 5_000_000)])),
    Case("duplicate_ids", "registry", (PARTIAL,),
         _registry("duplikat", [GOOD[0], GOOD[1].replace("P2", "P1")])),
    Case("wrong_codes", "registry", (PARTIAL,),
         _registry("kode_salah", [GOOD[0], "P3;Posyandu Entah;99.99.99.9999;;;5;20"])),
    Case("out_of_range_coords", "registry", (PARTIAL,),
         _registry("koordinat", [GOOD[0], "P3;Posyandu Kutub;;95.0;400.0;5;20",
                                 "P4;Posyandu Inf;;inf;-inf;5;20"])),
    Case("nul_bytes", "registry", (ACCEPTED, PARTIAL),
         _registry("nul", [GOOD[0].replace("Melati", "Mel\x00ati"), GOOD[1]])),
    Case("huge_numbers", "registry", (ACCEPTED, PARTIAL),
         _registry("angka", [GOOD[0].replace(";5;20", ";1e308;1e19"), GOOD[1]])),
    Case("columns_300", "registry", (ACCEPTED,), _wide),
    Case("binary_garbage", "registry", (REFUSED,),
         _raw("sampah", np.random.default_rng(0).bytes(20_000))),
    Case("empty_file", "registry", (REFUSED,), _raw("kosong", b"")),
    Case("header_only", "registry", (REFUSED,), _raw("judul", (HEADER + "\n").encode())),
]


# ------------------------------------------------------------------------- boundary files

def _boundary(name: str, geoms_fn, codes=("62.71.01",), level="kecamatan", parent="62.71"):
    def build(folder: Path) -> list[str]:
        path = _geojson(folder / f"{name}.geojson", list(codes), geoms_fn())
        return ["import", "boundaries", str(path), "--level", level, "--parent", parent,
                "--save"]
    return build


def _palangka():
    from geo.regions import boundaries as regions
    return regions.boundaries("kecamatan", ["62"]).set_index("code").geometry["62.71.01"]


def _moved():
    import shapely
    return [shapely.affinity.translate(_palangka(), xoff=25.0, yoff=-2.0)]   # into Papua


def _world():
    import shapely
    return [shapely.box(-180, -90, 180, 90)]


def _antimeridian():
    from shapely.geometry import Polygon
    return [Polygon([(179.0, -2.0), (-179.0, -2.0), (-179.0, -2.5), (179.0, -2.5)])]


def _points():
    from shapely.geometry import Point
    return [Point(113.9, -2.2)]


BOUNDARIES = [
    Case("real_kecamatan", "boundaries", (ACCEPTED,), _boundary("pahandut", lambda: [_palangka()])),
    Case("spiky_1m_vertices", "boundaries", (REFUSED,),
         _boundary("berduri", lambda: [star(1_000_000)])),
    Case("whole_world", "boundaries", (REFUSED,), _boundary("dunia", _world)),
    Case("antimeridian", "boundaries", (REFUSED,), _boundary("antimeridian", _antimeridian)),
    Case("moved_to_papua", "boundaries", (REFUSED,), _boundary("pindah", _moved)),
    Case("points_only", "boundaries", (REFUSED,), _boundary("titik", _points)),
]


# ------------------------------------------------------------------------- GeoTIFFs

def _tif(name: str, writer, extra=("--type", "banjir")):
    def build(folder: Path) -> list[str]:
        path = folder / f"{name}.tif"
        writer(path)
        return ["import", "hazards", str(path), *extra, "--save"]
    return build


def _truncated(path):
    write_raster(path, index_grid(), compress="deflate")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _corrupted(path):
    write_raster(path, index_grid(1024, 1024), compress="deflate", tiled=True, blockxsize=256,
                 blockysize=256)
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(1)
    for off in rng.integers(2000, len(data) - 100, 400):
        data[off:off + 8] = rng.bytes(8)
    path.write_bytes(bytes(data))


def _affine(a, b, c, d, e, f):
    from affine import Affine
    return Affine(a, b, c, d, e, f)


def _inf(path):
    grid = index_grid()
    grid[:10, :] = np.inf
    grid[10:20, :] = -np.inf
    grid[20:30, :] = np.nan
    write_raster(path, grid)


RASTERS = [
    Case("huge_sparse_float64", "raster", (ACCEPTED,), _tif("besar", sparse_huge_raster),
         "10,950² float64 declared, one tile written"),
    Case("over_cell_limit", "raster", (REFUSED,),
         _tif("terlalu_besar", lambda p: sparse_huge_raster(p, 12_000))),
    Case("truncated", "raster", (REFUSED,), _tif("terpotong", _truncated)),
    Case("corrupted_tiles", "raster", (REFUSED, ACCEPTED), _tif("rusak", _corrupted),
         "deflate tiles overwritten"),
    Case("sheared", "raster", (REFUSED,),
         _tif("miring", lambda p: write_raster(p, index_grid(),
                                               _affine(CELL, 0.0004, X0, 0.0003, -CELL, Y0)))),
    Case("south_up", "raster", (ACCEPTED,),
         _tif("selatan_atas", lambda p: write_raster(p, index_grid(),
                                                     _affine(CELL, 0, X0, 0, CELL, Y0 - 0.5)))),
    Case("two_bands", "raster", (ACCEPTED,),
         _tif("dua_band", lambda p: write_raster(p, np.stack([index_grid(), index_grid(seed=1)]),
                                                 count=2))),
    Case("inf_nan_cells", "raster", (ACCEPTED,), _tif("inf", _inf)),
    Case("no_crs", "raster", (REFUSED,),
         _tif("tanpa_crs", lambda p: write_raster(p, index_grid(), crs=None))),
    Case("outside_indonesia", "raster", (REFUSED,),
         _tif("eropa", lambda p: write_raster(p, index_grid(),
                                              _affine(CELL, 0, 10.0, 0, -CELL, 50.0)))),
    Case("no_type", "raster", (REFUSED,), _tif("indeks", lambda p: write_raster(p, index_grid()),
                                               extra=())),
]


# ------------------------------------------------------------------------- links

URLS = [
    ("pages/stunting.py", {"wilayah": "99.99"}),
    ("pages/kader.py", {"wilayah": "<script>alert(1)</script>"}),
    ("pages/ringkasan.py", {"lang": "xx", "kelas": "zzz", "proyektor": "2"}),
    ("pages/risiko_bencana.py", {"wilayah": "62.71", "bahaya": "tsunami_palsu"}),
    ("pages/risiko_bencana.py", {"wilayah": "62.03", "lang": "en"}),
    ("pages/peringkat.py", {"indikator": "nope", "survei": "SSGI 1999", "banding": "x"}),
    ("pages/konektivitas.py", {"wilayah": "62.71.01.1001"}),
    ("pages/layanan_spm.py", {"wilayah": "62.99", "peta_dasar": "9"}),
    ("pages/tentang_data.py", {"wilayah": "6" * 100_000}),
    ("pages/rapat.py", {"agenda": "../../etc/passwd", "langkah": "-1"}),
    ("pages/stunting.py", {"wilayah": "62\n71", "indikator": "%00"}),
    ("pages/kelola_data.py", {"wilayah": "62", "lang": "en"}),
]


def _url(page: str, params: dict):
    def build(folder: Path) -> list[str]:
        import json
        return ["url", page, json.dumps(params)]
    return build


def url_cases() -> list[Case]:
    out = []
    for page, params in URLS:
        label = "&".join(f"{k}={v[:12]}" for k, v in params.items()).replace("\n", "\\n")
        out.append(Case(f"{page[6:-3]}?{label}", "url", (ACCEPTED,), _url(page, params)))
    return out


def all_cases() -> list[Case]:
    return [*REGISTRY, *BOUNDARIES, *RASTERS, *url_cases()]
