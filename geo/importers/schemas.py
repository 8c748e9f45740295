"""One schema per kind of imported data, checked before every save (issue 30).

The importers name and drop bad rows; a schema is the last gate before a frame is stored
(``geo.workspace.save`` and ``geo.store.postgis.PostgisStore.save`` call :func:`enforce`),
so every consumer (maps, exposure, rankings, exports) can rely on what it reads:

* column names: the columns a kind cannot do without are present;
* types: codes are text in Kemendagri form (``62.03.01.2001``), numbers are numbers and
  finite, counts whole and within range, flags are booleans, text is text without NUL
  bytes (PostgreSQL refuses them), closed sets (strata, hazard class) hold their values;
* keys: ids / region codes unique where a kind needs it;
* geometry: the allowed types, CRS EPSG:4326, finite coordinates on the globe, and no
  missing geometry where a kind needs one.

A frame that breaks its schema is refused as a whole with a message in Indonesian naming
the data, the column, the rule and a few of the rows (:class:`SchemaError`); nothing is
written. Columns a schema does not know are left alone (they are stored as they are).

    from geo.importers.schemas import SCHEMAS, enforce
    enforce("posyandu", frame)           # raises SchemaError, else returns None
    SCHEMAS["agregat"].problems(frame)   # the list of messages
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.codes import LEVELS, PARTS
from geo.hazards.types import KELAS
from geo.registry import schema as registry

WGS84_EPSG = 4326
CODE_RE = r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?"
SLUG_RE = r"[a-z][a-z0-9_]*"
_EXAMPLES = 3

# The kinds (geo.workspace.KINDS) and one more checked by its importer only: "situs".
LABELS = {
    "posyandu": "Registri Posyandu", "batas_provinsi": "Batas provinsi",
    "batas_kabupaten": "Batas kabupaten/kota", "batas_kecamatan": "Batas kecamatan",
    "batas_desa": "Batas desa/kelurahan", "indikator": "Tabel indikator",
    "agregat": "Tabel agregat per wilayah", "bahaya": "Zona bahaya",
    "bahaya_raster": "Raster bahaya", "situs": "Daftar lokasi situs",
}


class SchemaError(ValueError):
    """A frame broke the schema of its kind; ``problems`` lists every broken rule."""

    def __init__(self, kind: str, problems: list[str]):
        self.kind, self.problems = kind, problems
        shown = "; ".join(problems[:4]) + (f"; dan {len(problems) - 4} masalah lain"
                                           if len(problems) > 4 else "")
        super().__init__(f"{LABELS.get(kind, kind)} tidak disimpan karena tidak sesuai "
                         f"skema: {shown}. Data sebelumnya tetap dipakai.")


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` is code, text, number, count, year, flag or choice."""
    name: str
    kind: str
    required: bool = False         # the column must be present
    nullable: bool = True          # empty cells allowed
    unique: bool = False
    low: float | None = None       # inclusive range of numbers
    high: float | None = None
    levels: tuple[str, ...] = ()   # code: the allowed levels (empty: any)
    choices: tuple[str, ...] = ()  # choice: the allowed values
    pattern: str | None = None     # text: a regular expression each value must match


@dataclass(frozen=True)
class Schema:
    kind: str
    columns: tuple[Column, ...]
    geometry: tuple[str, ...] = ()       # allowed geometry types; () = a plain table
    geometry_required: bool = True       # every row has a non-empty geometry
    unique_together: tuple[str, ...] = field(default_factory=tuple)

    def problems(self, frame) -> list[str]:
        out: list[str] = []
        if not isinstance(frame, pd.DataFrame):
            return [f"bukan tabel ({type(frame).__name__})"]
        if frame.columns.duplicated().any():
            dup = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
            out.append(f"kolom ganda: {', '.join(dup)}")
            return out
        rows = _row_numbers(frame)
        for col in self.columns:
            if col.name not in frame.columns:
                if col.required:
                    out.append(f"kolom '{col.name}' tidak ada")
                continue
            out += [f"kolom '{col.name}' {msg}" for msg in _check_column(frame[col.name], col,
                                                                         rows)]
        key = [c for c in self.unique_together if c in frame.columns]
        if len(key) > 1:
            dup = frame.duplicated(key, keep="first").to_numpy()
            if dup.any():
                out.append(f"kombinasi {', '.join(key)} ganda {_where(dup, rows)}")
        out += self._geometry_problems(frame, rows)
        return out

    def _geometry_problems(self, frame, rows) -> list[str]:
        import geopandas as gpd
        is_geo = isinstance(frame, gpd.GeoDataFrame) and frame._geometry_column_name in frame
        if not self.geometry:
            return []
        if not is_geo:
            return ["tidak memiliki geometri"]
        out = []
        epsg = frame.crs.to_epsg() if frame.crs is not None else None
        if epsg != WGS84_EPSG:
            out.append(f"sistem koordinat harus EPSG:4326 (WGS 84), bukan "
                       f"{frame.crs.to_string() if frame.crs is not None else 'tidak diketahui'}")
        geom = frame.geometry
        missing = (geom.isna() | geom.is_empty).to_numpy()
        if self.geometry_required and missing.any():
            out.append(f"geometri kosong {_where(missing, rows)}")
        types = geom.geom_type.to_numpy(dtype=object)
        wrong = ~missing & ~np.isin(types, list(self.geometry))
        if wrong.any():
            found = sorted({str(t) for t in types[wrong]})
            out.append(f"jenis geometri harus {' atau '.join(self.geometry)}, bukan "
                       f"{', '.join(found)} {_where(wrong, rows)}")
        if (~missing).any():
            import shapely
            coords = shapely.get_coordinates(geom.to_numpy()[~missing])
            bad = ~np.isfinite(coords).all() or (np.abs(coords[:, 0]) > 180).any() \
                or (np.abs(coords[:, 1]) > 90).any()
            if bad:
                bounds = shapely.bounds(geom.to_numpy())
                with np.errstate(invalid="ignore"):
                    b = ~missing & (~np.isfinite(bounds).all(axis=1)
                                    | (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1)
                                    | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1))
                out.append(f"koordinat di luar bumi atau bukan angka {_where(b, rows)}")
        return out

    def check(self, frame) -> None:
        problems = self.problems(frame)
        if problems:
            raise SchemaError(self.kind, problems)


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Row numbers as the user knows them: the file's (``baris``) when the frame has it,
    else 1, 2, …"""
    if "baris" in frame.columns:
        b = pd.to_numeric(frame["baris"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.isfinite(b).all():
            return b.astype(np.int64)
    return np.arange(1, len(frame) + 1)


def _where(bad: np.ndarray, rows: np.ndarray, values: pd.Series | None = None) -> str:
    idx = np.flatnonzero(bad)
    shown = []
    for i in idx[:_EXAMPLES]:
        if values is not None:
            v = str(values.iloc[i])
            v = v[:40] + "…" if len(v) > 40 else v
            shown.append(f"{rows[i]}: {v!r}")
        else:
            shown.append(str(rows[i]))
    more = f" dan {len(idx) - _EXAMPLES} lainnya" if len(idx) > _EXAMPLES else ""
    return f"({len(idx)} baris; baris {', '.join(shown)}{more})"


def _present(series: pd.Series) -> np.ndarray:
    return ~series.isna().to_numpy(dtype=bool)


def _is_text(series: pd.Series) -> np.ndarray:
    """True where a present value is a str."""
    values = series.to_numpy(dtype=object)
    return np.fromiter((isinstance(v, str) for v in values), bool, len(values))


def _numbers(series: pd.Series) -> np.ndarray | None:
    """float values (NaN where empty) of a numeric column, None when it is not one (text,
    booleans and objects are not numbers)."""
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        return None
    return series.to_numpy(dtype=float, na_value=np.nan)


def _check_column(series: pd.Series, col: Column, rows: np.ndarray) -> list[str]:
    out = []
    present = _present(series)
    if not col.nullable and (~present).any():
        out.append(f"kosong {_where(~present, rows)}")
    if col.kind in ("code", "text", "choice"):
        text = _is_text(series)
        bad = present & ~text
        if bad.any():
            return out + [f"harus berisi teks {_where(bad, rows, series)}"]
        values = series.astype(object).where(present, "")
        if col.kind == "code":
            ok = values.str.fullmatch(CODE_RE).to_numpy(dtype=bool)
            bad = present & ~ok
            if bad.any():
                out.append(f"harus berisi kode Kemendagri (mis. 62.03.01.2001) "
                           f"{_where(bad, rows, series)}")
            elif col.levels:
                parts = values.str.count(r"\.").to_numpy() + 1
                allowed = [PARTS[lv] for lv in col.levels if lv in PARTS]
                allowed_national = "nasional" in col.levels
                lvl_ok = np.isin(parts, allowed) | (allowed_national & (values == "00").to_numpy())
                bad = present & ~lvl_ok
                if bad.any():
                    out.append(f"harus berisi kode tingkat {' atau '.join(col.levels)} "
                               f"{_where(bad, rows, series)}")
        elif col.kind == "choice":
            bad = present & ~values.isin(col.choices).to_numpy()
            if bad.any():
                out.append(f"harus salah satu dari {', '.join(col.choices)} "
                           f"{_where(bad, rows, series)}")
        nul = present & values.str.contains("\x00", regex=False).to_numpy(dtype=bool)
        if nul.any():
            out.append(f"berisi karakter NUL {_where(nul, rows)}")
        if col.pattern:
            bad = present & ~values.str.fullmatch(col.pattern).to_numpy(dtype=bool)
            if bad.any():
                out.append(f"berisi nilai yang tidak sah {_where(bad, rows, series)}")
    elif col.kind in ("number", "count", "year"):
        nums = _numbers(series)
        if nums is None:
            kind = {"number": "angka", "count": "bilangan bulat", "year": "tahun"}[col.kind]
            return out + [f"harus berisi {kind}, bukan {series.dtype}"]
        finite = np.isfinite(nums)
        bad = present & ~finite
        if bad.any():
            out.append(f"harus berisi angka terhingga (bukan inf/NaN) {_where(bad, rows, series)}")
        with np.errstate(invalid="ignore"):
            if col.kind in ("count", "year"):
                frac = finite & (nums != np.floor(nums))
                if frac.any():
                    out.append(f"harus berisi bilangan bulat {_where(frac, rows, series)}")
            out_of = np.zeros(len(nums), bool)
            if col.low is not None:
                out_of |= finite & (nums < col.low)
            if col.high is not None:
                out_of |= finite & (nums > col.high)
        if out_of.any():
            fmt = (lambda x: str(int(x))) if col.kind == "year" else _fmt
            out.append(f"harus antara {fmt(col.low)} dan {fmt(col.high)} "
                       f"{_where(out_of, rows, series)}")
    elif col.kind == "flag":
        if not pd.api.types.is_bool_dtype(series.dtype):
            values = series.to_numpy(dtype=object)
            is_bool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in values), bool,
                                  len(values))
            bad = present & ~is_bool
            if bad.any():
                out.append(f"harus berisi ya/tidak (boolean) {_where(bad, rows, series)}")
    if col.unique:
        dup = present & series.duplicated(keep="first").to_numpy()
        if dup.any():
            out.append(f"berisi nilai ganda {_where(dup, rows, series)}")
    return out


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    return f"{x:,}".replace(",", ".") if isinstance(x, int) else str(x).replace(".", ",")


MAX_COUNT = float(registry.MAX_COUNT)
MAX_VALUE = 1e12          # any indicator value or aggregate count (a prevalence, a total)
YEARS = (1900, 2100)

_POSYANDU = Schema("posyandu", (
    Column("id", "text", required=True, nullable=False, unique=True),
    Column("nama", "text", required=True, nullable=False),
    Column("kode_desa", "code", levels=("desa",)),
    Column("lat", "number", low=registry.LAT_RANGE[0], high=registry.LAT_RANGE[1]),
    Column("lon", "number", low=registry.LON_RANGE[0], high=registry.LON_RANGE[1]),
    Column("strata", "choice", choices=registry.STRATA),
    *(Column(c, "count", low=0, high=MAX_COUNT) for c in registry.COUNTS),
    *(Column(c, "flag") for c in registry.FLAGS),
    Column("sampel", "flag"),
    Column("status_titik", "choice", choices=registry.POINT_STATUS),
    Column("baris", "count", low=1),
    Column("nama_desa", "text"), Column("nama_kecamatan", "text"),
    Column("nama_kabupaten", "text"),
), geometry=("Point",), geometry_required=False)


def _boundaries(level: str) -> Schema:
    return Schema(f"batas_{level}", (
        Column("code", "code", required=True, nullable=False, unique=True, levels=(level,)),
        Column("name", "text", required=True, nullable=False),
        Column("level", "choice", choices=(level,)),
        Column("parent_code", "code"),
        Column("province_code", "code", levels=("provinsi",)),
        Column("kind", "text"),
    ), geometry=("Polygon", "MultiPolygon"))


def _table(kind: str) -> Schema:
    return Schema(kind, (
        Column("code", "code", required=True, nullable=False,
               levels=("nasional", *LEVELS)),
        Column("name", "text"),
        Column("level", "choice", choices=("nasional", *LEVELS)),
        Column("indikator", "text", required=True, nullable=False),
        Column("tahun", "year", low=YEARS[0], high=YEARS[1]),
        Column("survei", "text"),
        Column("nilai", "number", required=True, nullable=False, low=-MAX_VALUE,
               high=MAX_VALUE),
        Column("satuan", "text"),
        Column("sumber", "text"),
        Column("baris", "count", low=1),
    ), unique_together=("code", "indikator", "tahun", "survei"))


_HAZARD_ZONES = Schema("bahaya", (
    Column("id", "text", nullable=False),
    Column("jenis", "text", required=True, nullable=False, pattern=SLUG_RE),
    Column("kelas", "choice", required=True, nullable=False, choices=KELAS),
    Column("sumber", "text"),
    Column("sampel", "flag"),
    Column("baris", "count", low=1),
), geometry=("Polygon", "MultiPolygon"))

_HAZARD_RASTERS = Schema("bahaya_raster", (
    Column("jenis", "text", required=True, nullable=False, unique=True, pattern=SLUG_RE),
    Column("file", "text", required=True, nullable=False, unique=True,
           pattern=SLUG_RE + r"\.tif"),
    Column("sumber", "text"),
    Column("sampel", "flag"),
    Column("breaks", "text", pattern=r"(-?[0-9.eE+-]+(,-?[0-9.eE+-]+)*)?"),
))

_SITES = Schema("situs", (
    Column("site_id", "text", required=True, nullable=False, unique=True),
    Column("nama", "text"),
    Column("kode_desa", "code", levels=("desa",)),
    Column("lon", "number", required=True, nullable=False, low=-180, high=180),
    Column("lat", "number", required=True, nullable=False, low=-90, high=90),
    Column("baris", "count", low=1),
))

SCHEMAS: dict[str, Schema] = {
    "posyandu": _POSYANDU,
    **{f"batas_{lv}": _boundaries(lv) for lv in LEVELS},
    "indikator": _table("indikator"),
    "agregat": _table("agregat"),
    "bahaya": _HAZARD_ZONES,
    "bahaya_raster": _HAZARD_RASTERS,
    "situs": _SITES,
}


def enforce(kind: str, frame) -> None:
    """Refuse ``frame`` for ``kind`` (SchemaError, message in Indonesian) when it breaks
    the kind's schema. Kinds without a schema pass."""
    schema = SCHEMAS.get(kind)
    if schema is not None:
        schema.check(frame)


__all__ = ["SCHEMAS", "Schema", "Column", "SchemaError", "enforce", "LABELS", "CODE_RE"]
