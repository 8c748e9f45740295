"""Safety checks for user uploads and exports.

* Size: an upload larger than ``max_upload_bytes()`` (env ``PETA_MAX_UPLOAD_MB``, default
  200 MB) is refused before it is read.
* Types: only the expected extensions of each kind are read, and their first bytes must
  match the format (an ``.xlsx`` is a zip, a ``.gpkg`` a SQLite file…).
* Zip files (zipped Shapefiles, and XLSX, which is a zip too): entries with absolute paths,
  drive letters or ``..`` are refused, as are symbolic links, more than ``MAX_ZIP_ENTRIES``
  entries, a total uncompressed size above ``max_unzipped_bytes()`` (env
  ``PETA_MAX_UNZIPPED_MB``, default 1024 MB) and a compression ratio above
  ``MAX_RATIO`` (zip bombs). Extraction counts the bytes actually written, so a lying
  header does not help.
* XLSX: read with openpyxl in read-only mode with ``data_only=True`` — cached values only;
  no formula is ever evaluated, external links are not loaded, macros are never run.
* Polygons: a feature with more than ``max_vertices()`` vertices (env
  ``PETA_MAX_VERTICES``, default 100,000) is refused by name before its validity is
  checked (GEOS's validity check is quadratic on spiky shapes: a 50,000-vertex star takes
  ~10 s), and a file with more than ``max_vertices_file()`` (env
  ``PETA_MAX_VERTICES_FILE``, default 10,000,000; the national village layer has 8.8
  million) is refused whole.
* Exports: see geo.importers.cells (cells that a spreadsheet cannot read as formulas).
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from geo.importers.encoding import utf16_without_bom
from geo.importers.report import ImportRefused
from geo.messages import is_storage_error, upload_failed, without_paths

DEFAULT_MAX_UPLOAD_MB = 200
DEFAULT_MAX_UNZIPPED_MB = 1024
DEFAULT_MAX_VERTICES = 100_000          # one polygon feature
DEFAULT_MAX_VERTICES_FILE = 10_000_000  # all features of one file
MAX_ZIP_ENTRIES = 2000
MAX_RATIO = 500          # uncompressed / compressed, whole archive
RATIO_MIN_BYTES = 10 * 2 ** 20  # the ratio check applies from this uncompressed size on

EXTENSIONS = {
    "posyandu": (".csv", ".txt", ".xlsx"),
    "indikator": (".csv", ".txt", ".xlsx"),
    "batas": (".geojson", ".json", ".zip", ".gpkg", ".kml", ".kmz"),
    "bahaya": (".geojson", ".json", ".zip", ".gpkg", ".kml", ".kmz", ".tif", ".tiff"),
    "situs": (".csv", ".txt", ".xlsx", ".geojson", ".json"),
}
TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")   # TIFF and BigTIFF
# Files of a zipped vector dataset that may be extracted (the rest is ignored).
VECTOR_MEMBERS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".geojson", ".json", ".gpkg", ".kml")


def _env_mb(name: str, default: int) -> int:
    try:
        value = int(float(os.environ.get(name, default)))
    except ValueError:
        value = default
    return max(value, 1) * 2 ** 20


def _env_int(name: str, default: int) -> int:
    try:
        value = int(float(os.environ.get(name, default)))
    except ValueError:
        value = default
    return max(value, 1)


def max_vertices() -> int:
    """Vertices of one polygon feature (env PETA_MAX_VERTICES)."""
    return _env_int("PETA_MAX_VERTICES", DEFAULT_MAX_VERTICES)


def max_vertices_file() -> int:
    """Vertices of all the features of one file (env PETA_MAX_VERTICES_FILE)."""
    return _env_int("PETA_MAX_VERTICES_FILE", DEFAULT_MAX_VERTICES_FILE)


def max_upload_bytes() -> int:
    return _env_mb("PETA_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)


def max_unzipped_bytes() -> int:
    return _env_mb("PETA_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB)


def _mb(n: int) -> str:
    return f"{n / 2 ** 20:.0f} MB" if n >= 2 ** 20 else f"{n / 1024:.0f} KB"


def check_size(size_or_path, limit: int | None = None) -> None:
    """Refuse an upload above the size limit."""
    limit = max_upload_bytes() if limit is None else limit
    size = size_or_path if isinstance(size_or_path, int) else Path(size_or_path).stat().st_size
    if size > limit:
        raise ImportRefused(f"berkas terlalu besar ({_mb(size)}); batas unggahan {_mb(limit)}. "
                            "Perkecil berkas (misalnya per kabupaten) atau minta admin menaikkan "
                            "PETA_MAX_UPLOAD_MB.")
    if size == 0:
        raise ImportRefused("berkas kosong (0 byte)")


def _magic(path: Path, n: int = 16) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def check_type(path: str | Path, kind: str) -> str:
    """The file's lower-case extension, after checking it is expected for ``kind`` and that
    the content looks like that format. Raises ImportRefused otherwise."""
    path = Path(path)
    ext = path.suffix.lower()
    family = "batas" if kind.startswith("batas") else kind
    allowed = EXTENSIONS[family]
    if ext == ".xls":
        raise ImportRefused("format .xls (Excel 97-2003) tidak didukung; buka di Excel lalu "
                            "simpan sebagai .xlsx atau .csv")
    if ext not in allowed:
        raise ImportRefused(f"jenis berkas {ext or '(tanpa ekstensi)'} tidak didukung untuk data "
                            f"ini; gunakan {', '.join(allowed)}")
    head = _magic(path)
    if ext in (".xlsx", ".zip", ".kmz") and not head.startswith(b"PK\x03\x04"):
        raise ImportRefused(f"berkas {path.name} bukan berkas {ext} yang sah (isinya tidak sesuai)")
    if ext == ".gpkg" and not head.startswith(b"SQLite format 3"):
        raise ImportRefused(f"berkas {path.name} bukan GeoPackage yang sah")
    if ext in (".tif", ".tiff") and not head.startswith(TIFF_MAGIC):
        raise ImportRefused(f"berkas {path.name} bukan GeoTIFF yang sah (isinya tidak sesuai; "
                            "berkas rusak atau formatnya lain)")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head) is not None
    if ext in (".csv", ".txt", ".geojson", ".json", ".kml") and (
            head.startswith(b"PK\x03\x04") or (b"\x00" in head and not utf16)):
        raise ImportRefused(f"berkas {path.name} bukan berkas teks {ext} (isinya biner)")
    return ext


def _unsafe_name(name: str) -> str | None:
    """Why a zip entry name is unsafe, or None."""
    if "\x00" in name:
        return "nama berisi karakter nol"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        return "jalur absolut"
    if ".." in PurePosixPath(unified).parts:
        return "mengandung '..' (keluar dari folder)"
    return None


def check_zip(path: str | Path, max_total: int | None = None,
              max_entries: int = MAX_ZIP_ENTRIES, max_ratio: float = MAX_RATIO) -> list[zipfile.ZipInfo]:
    """Entries of a zip after the safety checks (path traversal, links, count, size, ratio)."""
    max_total = max_unzipped_bytes() if max_total is None else max_total
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(f"berkas zip rusak atau bukan zip ({without_paths(exc)})") from None
    with zf:
        infos = zf.infolist()
    if len(infos) > max_entries:
        raise ImportRefused(f"zip berisi {len(infos)} berkas (batas {max_entries}); ditolak")
    total = compressed = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        if why:
            raise ImportRefused(f"zip ditolak: entri '{info.filename}' {why}. Berkas seperti ini "
                                "dapat menimpa berkas lain di server.")
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise ImportRefused(f"zip ditolak: entri '{info.filename}' adalah tautan simbolik")
        total += info.file_size
        compressed += info.compress_size
    if total > max_total:
        raise ImportRefused(f"zip ditolak: isi setelah diekstrak {_mb(total)}, melebihi batas "
                            f"{_mb(max_total)} (kemungkinan 'zip bomb')")
    if total >= RATIO_MIN_BYTES and total > max_ratio * max(compressed, 1):
        raise ImportRefused(f"zip ditolak: rasio kompresi {total / max(compressed, 1):.0f}:1 "
                            f"tidak wajar (isi {_mb(total)} dari {_mb(compressed)}; "
                            "kemungkinan 'zip bomb')")
    return infos


def extract_zip(path: str | Path, dest: str | Path, suffixes=VECTOR_MEMBERS,
                max_total: int | None = None) -> list[Path]:
    """Extract the entries with the given suffixes into ``dest`` after ``check_zip``;
    the bytes written are counted against the cap. Returns the extracted paths."""
    max_total = max_unzipped_bytes() if max_total is None else max_total
    infos = check_zip(path, max_total=max_total)
    dest = Path(dest).resolve()
    written, out = 0, []
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if info.is_dir() or not info.filename.lower().endswith(tuple(suffixes)):
                continue
            parts = [p for p in PurePosixPath(info.filename.replace("\\", "/")).parts
                     if p not in ("", ".")]
            if any(p.startswith("__MACOSX") for p in parts) or parts[-1].startswith("._"):
                continue
            target = dest.joinpath(*parts).resolve()
            if dest not in target.parents:
                raise ImportRefused(f"zip ditolak: entri '{info.filename}' keluar dari folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as dst:
                    while block := src.read(1 << 20):
                        written += len(block)
                        if written > max_total:
                            raise ImportRefused("zip ditolak: isi setelah diekstrak melebihi "
                                                f"batas {_mb(max_total)} (kemungkinan 'zip bomb')")
                        dst.write(block)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                if is_storage_error(exc):     # the server's disk, not the zip
                    raise ImportRefused(upload_failed(exc)) from None
                raise ImportRefused(
                    f"zip rusak: entri '{info.filename}' tidak dapat diekstrak (CRC salah, "
                    f"ukuran tidak sesuai atau data terpotong: {without_paths(exc)}). Buat ulang berkas zip "
                    "lalu unggah lagi.") from None
            out.append(target)
    return out


def _open_workbook(path: str | Path):
    import warnings

    import openpyxl
    check_zip(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False,
                                          keep_vba=False)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ImportRefused(f"berkas XLSX tidak dapat dibaca ({type(exc).__name__}); simpan "
                            "ulang dari Excel sebagai .xlsx") from None


def xlsx_sheet_names(path: str | Path) -> list[str]:
    wb = _open_workbook(path)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_xlsx_rows(path: str | Path, sheet: str | None = None, *, max_rows: int | None = None,
                   max_columns: int = 256) -> tuple[list[tuple[int, list]], str, list[str], int]:
    """The non-empty rows of one sheet as (row number, values), the sheet's name, the names
    of all sheets and the number of cells dropped beyond ``max_columns``.

    Cached values only (``data_only``): formulas are not evaluated; a formula cell without
    a cached value reads as empty. The sheet XML is streamed cell by cell (openpyxl's
    parser, as its read-only mode does) without padding rows to the sheet's declared width,
    so the cost follows the cells present: one cell in column XFD does not make every row
    16,384 cells wide. More than ``max_rows`` rows → ImportRefused."""
    from openpyxl.worksheet._reader import WorkSheetParser
    wb = _open_workbook(path)
    try:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise ImportRefused(f"lembar '{sheet}' tidak ada; lembar yang tersedia: "
                                f"{', '.join(names)}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        if not hasattr(ws, "_get_source"):      # a chartsheet
            raise ImportRefused(f"lembar '{ws.title}' bukan lembar data")
        rows: list[tuple[int, list]] = []
        dropped = 0
        with ws._get_source() as src:
            parser = WorkSheetParser(src, ws._shared_strings, data_only=True,
                                     epoch=wb.epoch, date_formats=wb._date_formats,
                                     timedelta_formats=wb._timedelta_formats)
            for idx, cells in parser.parse():
                values: dict[int, object] = {}
                for c in cells:
                    if c["value"] is None:
                        continue
                    if c["column"] > max_columns:
                        dropped += 1
                        continue
                    values[c["column"]] = c["value"]
                if not values:
                    continue
                if max_rows is not None and len(rows) >= max_rows:
                    raise ImportRefused(f"lembar berisi lebih dari {max_rows:,} baris; batas "
                                        "satu impor (PETA_MAX_ROWS)".replace(",", "."))
                width = max(values)
                rows.append((idx, [values.get(j) for j in range(1, width + 1)]))
        return rows, ws.title, names, dropped
    except ImportRefused:
        raise
    except Exception as exc:  # a corrupt sheet inside a valid zip (bad CRC, broken XML)
        raise ImportRefused(f"lembar XLSX rusak dan tidak dapat dibaca ({type(exc).__name__}); "
                            "simpan ulang dari Excel sebagai .xlsx") from None
    finally:
        wb.close()
