"""Hazard rasters (InaRISK index or class GeoTIFFs): read and class.

* **Read** (``read_raster``): band 1 (other bands are named in a warning), read once,
  window by window. Everything the header tells is checked before any cell is read: the
  hazard type, the cell type, the size (``MAX_CELLS``, with a message saying how to cut
  the file down), the size of one block (``MAX_BLOCK_BYTES``), the CRS (a file without one
  is refused unless the caller names it), the orientation (a south-up or east-to-west
  raster is flipped; a rotated or sheared one is refused) and the extent (over Indonesia).
  Memory then follows the uint8 class array and one window (``CHUNK_CELLS``), not the
  cell type or what the compression hides (a 16 KB file may declare 120 million float64
  cells). A truncated or corrupted file is refused by name ("berkas GeoTIFF rusak atau
  terpotong"); NaN and +-inf cells get no class and are counted in a warning.
* **Class**: an integer raster of 1/2/3 (0 = no hazard) is a class raster; values 0-1 are
  an index, classed by the breaks the user gives, else the file's own legend (a GeoTIFF
  tag ``BREAKS``/``AMBANG`` such as ``0.4,0.7``), else ``hazard_types.DEFAULT_BREAKS``
  (InaRISK: < 0.333 rendah, < 0.666 sedang, else tinggi). Nodata cells (the file's nodata
  value, NaN) get no class. Kept in memory as uint8 class ranks (0 none, 1-3).

Sampling points and drawing zones from the classes: geo.hazards.raster_zones.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geo.hazards import types as ht
from geo.messages import without_paths

MAX_CELLS = 120_000_000            # cells of one band (the uint8 class array: 120 MB)
MAX_BLOCK_BYTES = 64 * 2 ** 20     # one tile/strip of the file, decoded
CHUNK_CELLS = 1 << 20              # cells read and classed at a time
GDAL_CACHE_MB = 16                 # GDAL block cache while a raster is read (blocks are read once)
DISPLAY_CELLS = 160_000            # cells polygonised for one view
WGS84 = "EPSG:4326"
INDONESIA = (90.0, -15.0, 145.0, 10.0)   # lon/lat box a hazard raster must touch
BREAK_TAGS = ("breaks", "ambang", "class_breaks", "kelas_breaks", "ambang_kelas")


class RasterRefused(Exception):
    """User-facing (Indonesian) reason a raster cannot be used."""


@dataclass
class HazardRaster:
    jenis: str
    ranks: np.ndarray                 # uint8 (rows, cols): 0 none/nodata, 1 rendah … 3 tinggi
    transform: tuple                  # affine coefficients a, b, c, d, e, f
    crs: str                          # WKT or EPSG string
    sumber: str
    sampel: bool = False
    breaks: tuple[float, float] | None = None   # None: a class raster
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # for the report (peringatan)

    @property
    def shape(self) -> tuple[int, int]:
        return self.ranks.shape

    def counts(self) -> dict[str, int]:
        """Cells per class, counted strip by strip (bincount widens to int64)."""
        c = np.zeros(4, dtype=np.int64)
        flat = self.ranks.reshape(-1)
        for i in range(0, flat.size, CHUNK_CELLS):
            c += np.bincount(flat[i:i + CHUNK_CELLS], minlength=4)[:4]
        return {"tidak_ada": int(c[0]), **{k: int(c[i + 1]) for i, k in enumerate(ht.KELAS)}}

    def bounds_wgs84(self) -> tuple[float, float, float, float]:
        return _bounds_wgs84(self.transform, self.crs, *self.shape)


def _file_breaks(tags: dict) -> tuple[float, float] | None:
    for key, value in tags.items():
        if str(key).strip().lower() in BREAK_TAGS:
            return ht.parse_breaks(value)
    return None


def _n(v) -> str:
    return f"{v:,}".replace(",", ".")


@dataclass
class _Header:
    """What the file's header says, checked before any cell is read."""
    kind: str
    crs: str
    transform: tuple          # north-up, west-left (flips applied)
    flip_rows: bool           # the file is south-up (positive y cell size)
    flip_cols: bool           # the file runs east to west (negative x cell size)
    nodata: object
    tags: dict
    notes: list[str]
    warnings: list[str]


def _broken(source: str, where: str) -> RasterRefused:
    return RasterRefused(
        f"{source}: berkas GeoTIFF rusak atau terpotong; {where}. Ekspor ulang raster dari "
        f"aplikasi GIS (atau salin dengan gdal_translate) lalu unggah lagi.")


def _nodata_value(nodata, dtype: np.dtype):
    """The nodata value in the band's type, or None when it matches no cell (absent, or
    outside the range of an integer band); NaN for a float band whose nodata is NaN."""
    if nodata is None:
        return None
    if np.issubdtype(dtype, np.floating):
        return dtype.type(nodata)
    if not float(nodata).is_integer():
        return None
    info = np.iinfo(dtype)
    return dtype.type(int(nodata)) if info.min <= nodata <= info.max else None


def _check_header(src, path: Path, source: str, kind: str | None, crs: str | None,
                  max_cells: int) -> _Header:
    tags = {**src.tags(), **(src.tags(1) if src.count else {})}
    if src.count < 1:
        raise RasterRefused(f"{source}: raster tidak berisi band data")
    notes: list[str] = []
    warnings: list[str] = []
    if kind is None:
        kind = ht.recognise(tags.get("JENIS") or tags.get("jenis") or "") or ht.recognise(path.stem)
        if kind is None:
            kind = ht.recognise(Path(source).stem)
        if kind is None:
            raise RasterRefused(f"{source}: jenis bahaya tidak diketahui; sebutkan jenisnya "
                                f"(--type, pilihan: {', '.join(ht.ORDER)})")
        notes.append(f"Jenis bahaya '{kind}' diambil dari "
                     f"{'tag berkas' if tags.get('JENIS') or tags.get('jenis') else 'nama berkas'}.")
    if src.count > 1:
        rest = "band 2" if src.count == 2 else f"band 2–{src.count}"
        warnings.append(f"raster berisi {src.count} band; hanya band 1 yang dipakai, {rest} "
                        "diabaikan. Bila kelas/indeks bahaya ada di band lain, simpan band itu "
                        "saja (misalnya gdal_translate -b 2) lalu impor lagi.")
    dtype = np.dtype(src.dtypes[0])
    if dtype.kind not in "uif" or dtype.itemsize > 8:
        raise RasterRefused(f"{source}: tipe sel raster {dtype.name} tidak didukung; gunakan "
                            "bilangan bulat (kelas 1–3) atau desimal (indeks 0–1)")
    h, w = src.height, src.width
    if h * w > max_cells:
        raise RasterRefused(
            f"{source}: raster terlalu besar ({_n(w)} × {_n(h)} = {_n(w * h)} sel; batas "
            f"{_n(max_cells)} sel). Potong raster ke wilayah yang diperlukan atau perbesar "
            f"ukuran selnya (misalnya gdal_translate -projwin … atau -tr …) lalu impor lagi.")
    bh, bw = src.block_shapes[0]
    if bh * bw * dtype.itemsize > MAX_BLOCK_BYTES:
        raise RasterRefused(
            f"{source}: satu blok data raster terlalu besar ({_n(bw)} × {_n(bh)} sel, "
            f"{bh * bw * dtype.itemsize / 2 ** 20:.0f} MB setelah dibuka; batas "
            f"{MAX_BLOCK_BYTES // 2 ** 20} MB). Simpan ulang sebagai GeoTIFF bertile "
            "(gdal_translate -co TILED=YES) lalu impor lagi.")
    file_crs = src.crs.to_wkt() if src.crs else None
    if not file_crs and not crs:
        raise RasterRefused(f"{source}: raster tidak punya sistem koordinat (CRS); sebutkan "
                            f"CRS-nya (misalnya EPSG:4326 atau EPSG:32750)")
    if crs and not file_crs:
        notes.append(f"CRS {crs} dipakai (berkas tidak punya CRS).")
    a, b, c, d, e, f = (float(v) for v in tuple(src.transform)[:6])
    if not np.isfinite([a, b, c, d, e, f]).all() or a == 0 or e == 0:
        raise RasterRefused(f"{source}: transformasi geo raster tidak sah (ukuran sel nol atau "
                            "tidak terhingga); periksa georeferensi berkas")
    # A rotation/shear smaller than 1 % of a cell over the whole raster is rounding noise.
    if abs(b) * h > 0.01 * abs(a) or abs(d) * w > 0.01 * abs(e):
        raise RasterRefused(
            f"{source}: raster diputar atau miring (transformasi dengan rotasi/shear: "
            f"b={b:g}, d={d:g}); hanya grid utara-atas yang didukung. Ubah dulu dengan "
            "gdalwarp (misalnya gdalwarp -t_srs EPSG:4326 asal.tif baru.tif) lalu impor lagi.")
    flip_rows, flip_cols = e > 0, a < 0
    if flip_rows:
        f, e = f + e * h, -e
        notes.append("Raster menghadap selatan (ukuran sel y positif); baris dibalik menjadi "
                     "utara-atas.")
    if flip_cols:
        c, a = c + a * w, -a
        notes.append("Raster tersusun dari timur ke barat (ukuran sel x negatif); kolom "
                     "dibalik.")
    return _Header(kind, crs or file_crs, (a, 0.0, c, 0.0, e, f), flip_rows, flip_cols,
                   src.nodata, tags, notes, warnings)


def read_raster(path: str | Path, jenis: str | None = None, *, breaks=None, crs: str | None = None,
                source_name: str | None = None, max_cells: int = MAX_CELLS,
                sample: bool | None = None) -> HazardRaster:
    """A hazard raster from a GeoTIFF; RasterRefused (Indonesian) when it cannot be used.

    Everything the header tells is checked before any cell is read (hazard type, bands,
    cell type, size, block size, CRS, orientation, extent). The cells are then read and
    classed window by window (``CHUNK_CELLS`` cells, aligned to the file's blocks) into the
    uint8 class array, with GDAL's block cache capped (``GDAL_CACHE_MB``): memory follows the
    class array and one window, not the file's cell type or what its compression hides."""
    import rasterio
    from rasterio.errors import RasterioError
    path = Path(path)
    source = source_name or path.name
    kind = ht.recognise(jenis) if jenis else None
    if jenis and kind is None:
        raise RasterRefused(f"jenis bahaya '{jenis}' tidak dikenal; pilihan: {', '.join(ht.ORDER)}")
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB * 2 ** 20):
        try:
            src = rasterio.open(path)
        except (RasterioError, OSError):
            raise RasterRefused(f"{source}: berkas GeoTIFF rusak atau terpotong, atau bukan "
                                "GeoTIFF; berkas tidak dapat dibuka. Ekspor ulang raster lalu "
                                "unggah lagi.") from None
        with src:
            try:
                header = _check_header(src, path, source, kind, crs, max_cells)
            except (RasterioError, OSError):
                raise _broken(source, "keterangan berkas tidak dapat dibaca") from None
            h, w = src.height, src.width
            _check_extent(source, header.transform, header.crs, h, w)
            raster = HazardRaster(header.kind, np.zeros((0, 0), np.uint8), header.transform,
                                  header.crs, source,
                                  bool(sample if sample is not None
                                       else str(header.tags.get("SAMPEL", "")).strip()
                                       in ("1", "true", "True")),
                                  notes=header.notes, warnings=header.warnings)
            raster.ranks, raster.breaks = _read_classes(src, header, breaks,
                                                        _file_breaks(header.tags), source,
                                                        raster.notes, raster.warnings)
    return raster


def _bounds_wgs84(transform, crs, h: int, w: int) -> tuple[float, float, float, float]:
    from rasterio.warp import transform_bounds
    a, b, c, d, e, f = transform
    xs, ys = [c, c + a * w], [f, f + e * h]
    return transform_bounds(crs, WGS84, min(xs), min(ys), max(xs), max(ys))


def _check_extent(source: str, transform, crs, h: int, w: int) -> None:
    try:
        w_, s, e, n = _bounds_wgs84(transform, crs, h, w)
    except Exception as exc:      # pyproj/GDAL cannot transform: the CRS is not usable
        raise RasterRefused(f"{source}: CRS raster tidak dapat dipakai ({without_paths(exc)})") from None
    x0, y0, x1, y1 = INDONESIA
    if not (np.isfinite([w_, s, e, n]).all() and w_ < x1 and e > x0 and s < y1 and n > y0):
        raise RasterRefused(
            f"{source}: raster berada di luar Indonesia (batas {w_:.2f}, {s:.2f}, {e:.2f}, "
            f"{n:.2f} dalam derajat); periksa CRS berkas")


def _windows(h: int, w: int, bh: int, bw: int, cells: int = None):
    """Read windows of about ``cells`` cells made of whole blocks of the file: full-width
    bands of block rows, or, when one block row is wider than that, runs of blocks."""
    from rasterio.windows import Window
    cells = CHUNK_CELLS if cells is None else cells
    bh, bw = max(1, min(bh, h)), max(1, min(bw, w))
    if bh * w <= cells:
        rows, cols = bh * max(1, cells // (bh * w)), w
    else:
        rows, cols = bh, bw * max(1, cells // (bh * bw))
    for r0 in range(0, h, rows):
        for c0 in range(0, w, cols):
            yield Window(c0, r0, min(cols, w - c0), min(rows, h - r0))


def _read_classes(src, header: _Header, user_breaks, file_breaks, source: str,
                  notes: list[str], warnings: list[str]
                  ) -> tuple[np.ndarray, tuple[float, float] | None]:
    """uint8 class ranks of band 1 (0 where nodata/NaN/±inf), read window by window.

    Whether the band is a class raster (integers 0–3) or an index (0–1) is known only once
    every cell was seen, so each window stores both readings in one byte: the index class
    (1–3, by the breaks) in bits 0–1 and the integer class (0–3) in bits 2–3; the right
    half is kept in place at the end. The file is read once."""
    from rasterio.errors import RasterioError
    h, w = src.height, src.width
    dtype = np.dtype(src.dtypes[0])
    is_float = dtype.kind == "f"
    nd = _nodata_value(header.nodata, dtype)
    nd_is_nan = nd is not None and is_float and np.isnan(nd)
    if user_breaks is not None:
        breaks, why = ht.check_breaks(user_breaks), "ambang dari pengguna"
    elif file_breaks is not None:
        breaks, why = file_breaks, "ambang dari legenda berkas (tag BREAKS)"
    else:
        breaks, why = ht.DEFAULT_BREAKS, "ambang bawaan InaRISK (Perka BNPB 2/2012)"
    b0, b1 = (dtype.type(b) for b in breaks) if is_float else (None, None)
    ranks = np.zeros((h, w), dtype=np.uint8)
    n_valid = n_nan = n_pinf = n_ninf = 0
    lo, hi = np.inf, -np.inf
    integral = True
    bh, bw = src.block_shapes[0]
    for win in _windows(h, w, bh, bw):
        try:
            v = src.read(1, window=win)
        except (RasterioError, OSError):
            r0 = int(win.row_off)
            raise _broken(source, f"sel pada baris {_n(r0 + 1)}–{_n(r0 + int(win.height))} "
                                  "tidak dapat dibaca") from None
        if is_float:
            valid = np.isfinite(v)
            if not valid.all():
                nan = int(np.count_nonzero(np.isnan(v)))
                n_nan += nan
                n_pinf += int(np.count_nonzero(v == np.inf))
                n_ninf += int(np.count_nonzero(v == -np.inf))
            if nd is not None and not nd_is_nan:
                valid &= v != nd
        else:
            valid = (v != nd) if nd is not None else np.ones(v.shape, dtype=bool)
        count = int(np.count_nonzero(valid))
        if count:
            n_valid += count
            lo = min(lo, float(v.min(where=valid, initial=np.inf if is_float else
                                      np.iinfo(dtype).max)))
            hi = max(hi, float(v.max(where=valid, initial=-np.inf if is_float else
                                      np.iinfo(dtype).min)))
        cls = valid & (v >= 0) & (v <= 3)
        if is_float:
            if integral and count:
                frac = np.mod(v, 1, where=valid, out=np.zeros(v.shape, v.dtype))
                integral = not bool(np.any(frac))
                cls &= frac == 0
            code = (v >= b0).view(np.uint8) + (v >= b1).view(np.uint8) + np.uint8(1)
            if integral:
                code |= np.where(cls, v, 0).astype(np.uint8) << np.uint8(2)
            code[~valid] = 0
        else:
            code = np.where(cls, v, 0).astype(np.uint8)
        r0, c0 = int(win.row_off), int(win.col_off)
        nr, nc = code.shape
        if header.flip_rows:
            r0, code = h - r0 - nr, code[::-1]
        if header.flip_cols:
            c0, code = w - c0 - nc, code[:, ::-1]
        ranks[r0:r0 + nr, c0:c0 + nc] = code
    if n_nan and not nd_is_nan:
        warnings.append(f"{_n(n_nan)} sel bernilai NaN (bukan angka) dianggap nodata, tanpa "
                        "kelas; periksa nilai nodata raster")
    if n_pinf or n_ninf:
        warnings.append(f"{_n(n_pinf + n_ninf)} sel bernilai tak hingga (+inf {_n(n_pinf)}, "
                        f"-inf {_n(n_ninf)}) dianggap nodata, tanpa kelas; periksa raster "
                        "sumbernya")
    if n_valid == 0:
        raise RasterRefused(f"{source}: semua sel raster kosong (nodata)")
    if not is_float or (hi > 1 and integral):
        if lo < 0 or hi > 3:
            raise RasterRefused(f"{source}: raster kelas harus bernilai 1 (rendah), 2 (sedang), "
                                f"3 (tinggi) atau 0 (tidak ada); ditemukan {lo:g}–{hi:g}")
        if is_float:
            np.right_shift(ranks, 2, out=ranks)
        notes.append("Raster kelas: 1 = rendah, 2 = sedang, 3 = tinggi, 0/nodata = tanpa kelas.")
        return ranks, None
    if lo < 0 or hi > 1:
        raise RasterRefused(f"{source}: nilai indeks bahaya harus 0–1; ditemukan {lo:g}–{hi:g} "
                            f"(atur nilai nodata raster bila itu sel kosong)")
    np.bitwise_and(ranks, 3, out=ranks)
    notes.append(f"Raster indeks 0–1 diklasifikasikan: < {breaks[0]:g} rendah, < {breaks[1]:g} "
                 f"sedang, lainnya tinggi ({why}); {_n(h * w - n_valid)} sel nodata tanpa "
                 "kelas.")
    return ranks, breaks


def write_class_raster(raster: HazardRaster, path: str | Path) -> Path:
    """The class ranks as a compressed uint8 GeoTIFF (0 = none), with type and source tags."""
    import rasterio
    from affine import Affine
    path = Path(path)
    h, w = raster.shape
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB * 2 ** 20), \
            rasterio.open(path, "w", driver="GTiff", height=h, width=w, count=1, dtype="uint8",
                          crs=raster.crs, transform=Affine(*raster.transform), nodata=0,
                          compress="deflate", tiled=True) as dst:
        for win in _windows(h, w, *dst.block_shapes[0]):
            r0, c0 = int(win.row_off), int(win.col_off)
            dst.write(raster.ranks[r0:r0 + int(win.height), c0:c0 + int(win.width)], 1,
                      window=win)
        dst.update_tags(JENIS=raster.jenis, SUMBER=raster.sumber, SAMPEL=int(raster.sampel))
    return path
