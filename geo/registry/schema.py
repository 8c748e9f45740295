"""The Posyandu registry: schema, reading (CSV/XLSX) and row-by-row validation.

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
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.codes import level_of, normalize_code

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


def validate(frame: pd.DataFrame, row_numbers: list[int] | None = None,
             known_villages: set[str] | None = None) -> RegistryResult:
    """Check a table already in the schema's columns (strings or numbers, as read).

    ``row_numbers`` gives each row's number in the user's file (default: header is row 1,
    so the first data row is 2). ``known_villages`` is the set of valid desa codes (default:
    the Kemendagri list of the data directory).
    """
    if known_villages is None:
        from geo.importers.names import known_codes
        known_villages = known_codes("desa")
    n = len(frame)
    rows = list(row_numbers) if row_numbers is not None else list(range(2, n + 2))
    problems: list[dict] = []
    missing_cols = [c for c in COLUMNS if c not in frame.columns]
    unplaceable = not any(all(c in frame.columns for c in way) for way in PLACEMENT)
    for col in missing_cols:
        level = REJECTED if col in REQUIRED else WARNING
        msg = (f"kolom wajib '{col}' tidak ada di berkas" if col in REQUIRED
               else f"kolom '{col}' tidak ada di berkas; nilainya dianggap kosong")
        problems.append(problem(1, col, None, msg, level))
    if unplaceable:
        problems.append(problem(1, "kode_desa, lat, lon", None,
                                "berkas tidak punya kolom kode desa maupun kolom lintang dan bujur; "
                                "Posyandu tidak dapat ditempatkan"))
    if unplaceable or any(c in REQUIRED for c in missing_cols):
        return RegistryResult(empty_registry(), pd.DataFrame(problems, columns=PROBLEM_COLUMNS), n)

    out: dict[str, list] = {c: [] for c in (*COLUMNS, "sampel", "status_titik")}
    keep: list[int] = []
    seen_ids: dict[str, int] = {}
    generated: list[int] = []   # positions in ``out`` whose id is generated after the loop
    pre_rejected = frame["status_titik"].tolist() if "status_titik" in frame.columns \
        else [None] * n
    seen_keys: dict[str, tuple[str, int]] = {}
    records = frame.to_dict("records")
    for i, rec in enumerate(records):
        row = rows[i]
        row_problems: list[dict] = []
        rejected = False

        def reject(col, msg):
            nonlocal rejected
            rejected = True
            row_problems.append(problem(row, col, rec.get(col), msg, REJECTED))

        def warn(col, msg, value=None):
            row_problems.append(problem(row, col, rec.get(col) if value is None else value, msg,
                                        WARNING))

        # id
        raw_id = rec.get("id")
        pid = None if is_blank(raw_id) else str(raw_id).strip()
        if isinstance(raw_id, float) and not np.isnan(raw_id) and raw_id.is_integer():
            pid = str(int(raw_id))
        if pid is not None and pid in seen_ids:
            reject("id", f"id '{pid}' sudah dipakai di baris {seen_ids[pid]} (id ganda)")
        elif pid is not None and id_key(pid) in seen_keys:
            other, other_row = seen_keys[id_key(pid)]
            warn("id", f"id '{pid}' hanya berbeda huruf besar/kecil, tanda hubung atau lebar "
                       f"huruf dengan id '{other}' di baris {other_row}; periksa apakah "
                       "keduanya Posyandu yang sama")
        # nama
        nama = None if is_blank(rec.get("nama")) else str(rec.get("nama")).strip()
        if nama is None:
            reject("nama", "nama Posyandu kosong")
        # kode_desa: normalised; an unknown code is kept when a point places the row
        raw_code = rec.get("kode_desa")
        kode = normalize_code(raw_code)
        if not is_blank(raw_code) and (kode is None or level_of(kode) != "desa"):
            kode, code_msg = None, "kode desa tidak berformat kode Kemendagri (contoh 62.71.01.1001)"
        elif kode is not None and kode not in known_villages:
            code_msg = f"kode desa {kode} tidak ada di daftar kode Kemendagri"
        else:
            code_msg = None if kode is not None else "kode desa kosong"
        code_known = code_msg is None
        # coordinates: a usable point, else placed by the known village code
        raw_lat, raw_lon = rec.get("lat"), rec.get("lon")
        lat, lon = _to_number(raw_lat), _to_number(raw_lon)
        given = not (is_blank(raw_lat) and is_blank(raw_lon))
        status = POINT
        why = None
        if pre_rejected[i] == POINT_REJECTED:
            status = POINT_REJECTED        # rejected upstream (importer), already reported
        elif not given:
            status = NO_POINT
        elif lat is None or lon is None:
            status, why = POINT_REJECTED, "lintang/bujur kosong atau bukan angka"
        elif not in_extent(lat, lon):
            status, why = POINT_REJECTED, "koordinat berada di luar wilayah Indonesia"
        if status != POINT:
            original = "; ".join("" if is_blank(v) else str(v).strip() for v in (raw_lat, raw_lon))
            lat = lon = None
            if not code_known:
                reason = ("tanpa koordinat" if status == NO_POINT else
                          f"koordinat ditolak ({why})" if why else "koordinat ditolak")
                rejected = True
                row_problems.append(problem(
                    row, "kode_desa, lat, lon", f"{'' if is_blank(raw_code) else raw_code} | "
                    f"{original}", f"Posyandu tidak dapat ditempatkan: {reason} dan "
                    f"{code_msg}", REJECTED))
            elif why:
                warn("lat, lon", f"{why}; koordinat dikosongkan (titik tidak dipakai), Posyandu "
                                 f"tetap dihitung di desa {kode}", original)
        elif code_msg is not None:
            if is_blank(raw_code):
                warn("kode_desa", "kode desa kosong; desa ditentukan dari koordinat")
            else:
                warn("kode_desa", code_msg + "; desa ditentukan dari koordinat")
        # strata
        strata = rec.get("strata")
        if is_blank(strata):
            strata = None
        else:
            match = [s for s in STRATA if s.lower() == str(strata).strip().lower()]
            if match:
                strata = match[0]
            else:
                warn("strata", "strata harus salah satu dari Pratama, Madya, Purnama, Mandiri; "
                               "nilai dikosongkan")
                strata = None
        # counts
        counts: dict[str, float | None] = {}
        for col in COUNTS:
            raw = rec.get(col)
            val = _to_number(raw)
            if val is None:
                if not is_blank(raw):
                    warn(col, "bukan angka; nilai dikosongkan")
            elif not np.isfinite(val) or val < 0 or not float(val).is_integer():
                warn(col, "harus bilangan bulat tidak negatif; nilai dikosongkan")
                val = None
            elif val > MAX_COUNT:
                warn(col, f"nilai terlalu besar (lebih dari {MAX_COUNT:,}); nilai dikosongkan"
                     .replace(",", "."))
                val = None
            counts[col] = val
        for part, whole, msg in (
            ("kader_terlatih", "jumlah_kader", "kader terlatih melebihi jumlah kader"),
            ("balita_stunting", "balita_ditimbang", "balita stunting melebihi balita ditimbang"),
            ("balita_ditimbang", "balita_sasaran", "balita ditimbang melebihi balita sasaran"),
        ):
            if counts[part] is not None and counts[whole] is not None and counts[part] > counts[whole]:
                warn(part, f"{msg} ({int(counts[part])} > {int(counts[whole])}); nilai dikosongkan")
                counts[part] = None
        # flags
        flags: dict[str, bool | None] = {}
        for col in FLAGS:
            raw = rec.get(col)
            val = parse_flag(raw)
            if val is None and not is_blank(raw):
                warn(col, "harus 'ya' atau 'tidak'; nilai dikosongkan")
            flags[col] = val

        problems.extend(row_problems)
        if rejected:
            continue
        if pid is None:
            generated.append(len(keep))
        else:
            seen_ids[pid] = row
            seen_keys.setdefault(id_key(pid), (pid, row))
        keep.append(i)
        values = {"id": pid, "nama": nama, "kode_desa": kode, "lat": lat, "lon": lon,
                  "strata": strata, **counts, **flags,
                  "sampel": bool(parse_flag(rec.get("sampel")) or False),
                  "status_titik": status}
        for c in out:
            out[c].append(values[c])

    if generated:
        ids = generate_ids([out["kode_desa"][k] for k in generated],
                           [out["nama"][k] for k in generated], taken=set(seen_ids))
        for k, gid in zip(generated, ids):
            out["id"][k] = gid
        problems.append(problem(1, "id", None,
                                f"id Posyandu kosong pada {len(generated)} baris; id dibuat dari "
                                "kode desa dan nama (sama untuk baris yang sama di setiap impor)",
                                WARNING))
    data = pd.DataFrame(out)
    for col in COUNTS:
        data[col] = pd.array(data[col], dtype="Int64") if len(data) else pd.array([], dtype="Int64")
    for col in FLAGS:
        data[col] = pd.array(data[col], dtype="boolean")
    data["lat"] = data["lat"].astype(float)
    data["lon"] = data["lon"].astype(float)
    data["baris"] = [rows[i] for i in keep]
    return RegistryResult(with_points(data), pd.DataFrame(problems, columns=PROBLEM_COLUMNS), n)


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


def read_table(path: str | Path) -> tuple[pd.DataFrame, list[int]]:
    """Read a registry file in the schema's own columns (CSV or XLSX) as strings.

    Returns the table and each row's number in the file. For messy real-world files
    (other header names, encodings, DMS coordinates…) use geo.importers.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        df = pd.read_excel(path, dtype=object, engine="openpyxl")
    elif suffix in (".csv", ".txt"):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                         sep=None, engine="python", encoding="utf-8-sig")
    elif suffix == ".parquet":
        df = pd.read_parquet(path)
    else:
        raise ValueError(f"jenis berkas tidak didukung: {path.suffix} (gunakan CSV atau XLSX)")
    df.columns = [str(c).strip().lower() for c in df.columns]
    # Fully empty lines are not rows a user meant; their numbers stay in the count.
    blank = df.isna().all(axis=1)
    rows = [i + 2 for i in range(len(df)) if not blank.iloc[i]]
    return df.loc[~blank].reset_index(drop=True), rows


def read(path: str | Path) -> RegistryResult:
    """Read and validate a Posyandu registry file (CSV, XLSX or the project's Parquet)."""
    frame, rows = read_table(path)
    return validate(frame, rows)


def to_frame(data: gpd.GeoDataFrame) -> pd.DataFrame:
    """The registry as a plain table in schema order (for CSV/XLSX output)."""
    cols = [c for c in (*COLUMNS, "sampel", "status_titik") if c in data.columns]
    return pd.DataFrame(data[cols])
