"""The Posyandu registry: schema and the scalar rules of its validation (applied column by
column by geo.registry.validate, which also reads the schema's own CSV/XLSX/Parquet).

Schema (documented for users in data/README.md):

    id, nama, kode_desa, lat, lon, strata, aktif, jumlah_kader, kader_terlatih,
    balita_sasaran, balita_ditimbang, balita_stunting, internet,
    layanan_kesehatan, layanan_pendidikan, layanan_pekerjaan_umum, layanan_perumahan,
    layanan_trantibumlinmas, layanan_sosial  [, sampel]

Validation never drops a row silently: every problem is returned with the row number as
the user sees it in the spreadsheet (header = row 1), the column, the value and a message in
Bahasa Indonesia. Registries as offices keep them often have no coordinates and no id, so:

* ``lat``/``lon`` are optional. A row is *placed* by a usable point (inside Indonesia's
  extent) or, failing that, by a known Kemendagri ``kode_desa``. A row with a known code
  and no usable point is kept without coordinates (``status_titik = "tanpa_koordinat"``);
  when coordinates were given but are unusable (unparseable, outside Indonesia; at sea far
  from land, see geo.importers.posyandu) they are emptied, the row is flagged
  ``status_titik = "koordinat_ditolak"`` and the original value is reported.
* ``id`` is optional: a missing id is generated from ``kode_desa`` and the normalised name
  (``6271011001-mawar-1``; a suffix ``-2``, ``-3`` … for repeats in file order), so the same
  row gets the same id in every import; one warning says how many ids were generated.
* A row is rejected (``tingkat = "ditolak"``) only when it has no name, a duplicate id, or
  can be placed neither by a point nor by a known code; otherwise it is kept and the
  offending value is emptied and reported (``tingkat = "peringatan"``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

SERVICES = ("layanan_kesehatan", "layanan_pendidikan", "layanan_pekerjaan_umum",
            "layanan_perumahan", "layanan_trantibumlinmas", "layanan_sosial")
COUNTS = ("jumlah_kader", "kader_terlatih", "balita_sasaran", "balita_ditimbang",
          "balita_stunting")
FLAGS = ("aktif", "internet", *SERVICES)
STRATA = ("Pratama", "Madya", "Purnama", "Mandiri")
COLUMNS = ("id", "nama", "kode_desa", "lat", "lon", "strata", "aktif", *COUNTS, "internet",
           *SERVICES)
REQUIRED = ("nama",)
# A file must have at least one way to place a row: coordinates or a village code.
PLACEMENT = (("lat", "lon"), ("kode_desa",))
# status_titik: where the row's point comes from (geo.registry.join draws only "titik").
POINT = "titik"
NO_POINT = "tanpa_koordinat"
POINT_REJECTED = "koordinat_ditolak"
POINT_STATUS = (POINT, NO_POINT, POINT_REJECTED)

# Indonesia's extent with a margin (Sabang–Merauke, Miangas–Rote).
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.0, 141.5)

REJECTED = "ditolak"
WARNING = "peringatan"
PROBLEM_COLUMNS = ["baris", "kolom", "nilai", "pesan", "tingkat"]

# Largest count a Posyandu row can hold (kader, balita): far above any real value, far
# below Int64's limit, so a value such as 1e19 or 1e308 is reported, not a crash.
MAX_COUNT = 1_000_000

_TRUE = {"ya", "y", "yes", "true", "1", "ada", "benar", "aktif"}
_FALSE = {"tidak", "t", "no", "n", "false", "0", "tidak ada", "salah", "tidak aktif", "tdk"}


@dataclass
class RegistryResult:
    """Valid rows (a GeoDataFrame of points, EPSG:4326) and every problem found."""
    data: gpd.GeoDataFrame
    problems: pd.DataFrame
    total_rows: int

    @property
    def rejected_rows(self) -> list[int]:
        p = self.problems
        return sorted(set(p.loc[p["tingkat"] == REJECTED, "baris"].astype(int)))


def problem(row: int, column: str, value, message: str, level: str = REJECTED) -> dict:
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    return {"baris": int(row), "kolom": column, "nilai": text, "pesan": message, "tingkat": level}


def empty_registry() -> gpd.GeoDataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy([], []), crs="EPSG:4326")


def parse_flag(value) -> bool | None:
    """ya/tidak (and common variants) → True/False; None when unreadable or empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def in_extent(lat: float, lon: float) -> bool:
    """Inside Indonesia's extent (with a margin)."""
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def is_blank(value) -> bool:
    """None, NA, NaN or only whitespace."""
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) \
        or (isinstance(value, str) and not value.strip())


_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d_ "), "-")


def id_key(pid: str) -> str:
    """An id folded for near-duplicate detection: Unicode compatibility form (full-width
    letters → ASCII), case folded, every kind of hyphen (and _ or space) as '-'."""
    import unicodedata
    return unicodedata.normalize("NFKC", pid).casefold().translate(_HYPHENS)


def _to_number(value) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def with_points(data: pd.DataFrame) -> gpd.GeoDataFrame:
    """The table as a GeoDataFrame of its points; a row without coordinates has no
    geometry (None), never a made-up point."""
    geom = gpd.points_from_xy(data["lon"], data["lat"])
    has = data["lat"].notna().to_numpy() & data["lon"].notna().to_numpy()
    geom = gpd.GeoSeries(geom, index=data.index).where(has, None)
    return gpd.GeoDataFrame(data, geometry=geom, crs="EPSG:4326")


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^\s*posyandu\b", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "posyandu"


def generate_ids(codes: list, names: list, taken: set[str] | None = None) -> list[str]:
    """Stable ids for rows without one: ``<kode desa without dots>-<normalised name>``, with
    ``-2``, ``-3`` … for repeats in the given order (``tanpa-kode`` when there is no code).
    The same rows in the same order give the same ids in every import."""
    taken = set(taken or ())
    out = []
    for code, name in zip(codes, names):
        base = f"{str(code).replace('.', '') if code else 'tanpa-kode'}-{_slug(name)}"
        gid, k = base, 1
        while gid in taken:
            k += 1
            gid = f"{base}-{k}"
        taken.add(gid)
        out.append(gid)
    return out


def to_frame(data: gpd.GeoDataFrame) -> pd.DataFrame:
    """The registry as a plain table in schema order (for CSV/XLSX output)."""
    cols = [c for c in (*COLUMNS, "sampel", "status_titik") if c in data.columns]
    return pd.DataFrame(data[cols])
