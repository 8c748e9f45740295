"""Validation of a Posyandu registry table, column by column (issue 25).

The rules are those of geo.registry.schema (documented there and in data/README.md); they
are applied to whole columns (geo.registry.cells), and a message is built only for the
rows that fail, in the order a row-by-row reading would give: per row, id, nama,
placement (kode desa / coordinates), strata, counts, count pairs, flags. Duplicate ids
are found by grouping: the first row of an id that is kept keeps it, every later row with
that id is refused; an id that differs from a kept one only by case, hyphen or width is
a warning.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.codes import level_of, normalize_code
from geo.registry.cells import (
    Problems,
    blank,
    blank_mask,
    nones,
    numbers,
    objects,
    per_value,
    stripped,
    text,
)
from geo.registry.schema import (
    _HYPHENS,
    COLUMNS,
    COUNTS,
    FLAGS,
    LAT_RANGE,
    LON_RANGE,
    MAX_COUNT,
    NO_POINT,
    PLACEMENT,
    POINT,
    POINT_REJECTED,
    PROBLEM_COLUMNS,
    REJECTED,
    REQUIRED,
    STRATA,
    WARNING,
    RegistryResult,
    empty_registry,
    generate_ids,
    parse_flag,
    problem,
    with_points,
)

_DESA = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
FORMAT_MSG = "kode desa tidak berformat kode Kemendagri (contoh 62.71.01.1001)"
PAIRS = (("kader_terlatih", "jumlah_kader", "kader terlatih melebihi jumlah kader"),
         ("balita_stunting", "balita_ditimbang", "balita stunting melebihi balita ditimbang"),
         ("balita_ditimbang", "balita_sasaran", "balita ditimbang melebihi balita sasaran"))
# Order of a row's messages (a row read from left to right).
SLOT = {"id": 0, "nama": 1, "place": 2, "strata": 3,
        **{c: 4 + i for i, c in enumerate(COUNTS)},
        **{("pair", p): 10 + i for i, (p, _, _) in enumerate(PAIRS)},
        **{c: 20 + i for i, c in enumerate(FLAGS)}}


def in_extent_v(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """geo.registry.schema.in_extent for arrays (NaN is outside)."""
    with np.errstate(invalid="ignore"):
        return (lat >= LAT_RANGE[0]) & (lat <= LAT_RANGE[1]) & (lon >= LON_RANGE[0]) \
            & (lon <= LON_RANGE[1])


def _pid(v) -> str | None:
    if blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _strip_or_none(v) -> str | None:
    return None if blank(v) else str(v).strip()


def _id_key(pid: str) -> str:
    return unicodedata.normalize("NFKC", pid).casefold().translate(_HYPHENS)


def id_keys(pids: np.ndarray) -> np.ndarray:
    """``_id_key`` of every id: ASCII ids (nearly all) by pyarrow in one pass — NFKC leaves
    them as they are and their case fold is their lower case —, the others one by one."""
    out = np.empty(len(pids), dtype=object)
    if not len(pids):
        return out
    arr = pa.array(pids, type=pa.string())
    ascii_ = np.asarray(pc.fill_null(pc.string_is_ascii(arr), False))
    if ascii_.any():
        folded = pc.replace_substring_regex(pc.ascii_lower(pc.filter(arr, ascii_)), "[_ ]", "-")
        out[ascii_] = folded.to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~ascii_)
    if len(rest):
        out[rest] = [_id_key(p) for p in pids[rest]]
    return out


def _strata(v):
    if blank(v):
        return None, False
    low = str(v).strip().lower()
    match = [s for s in STRATA if s.lower() == low]
    return (match[0], False) if match else (None, True)


def _groups(values: np.ndarray) -> np.ndarray:
    """Group number of each value (strings or None; None → the last group, never first)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes)


def _first(group: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Per group, the position of its first row among ``candidates`` (n when none)."""
    n = len(group)
    first = np.full(group.max(initial=0) + 2, n, dtype=np.int64)
    pos = np.flatnonzero(candidates)
    np.minimum.at(first, group[pos], pos)
    return first


def validate(frame: pd.DataFrame | Mapping, row_numbers: list[int] | None = None,
             known_villages: set[str] | None = None) -> RegistryResult:
    """Check a table already in the schema's columns (strings or numbers, as read).

    ``row_numbers`` gives each row's number in the user's file (default: header is row 1,
    so the first data row is 2). ``known_villages`` is the set of valid desa codes (default:
    the Kemendagri list of the data directory). ``frame`` may also be a mapping of column
    → values (the importer's columns, as read: no table is built for them).
    """
    if known_villages is None:
        from geo.importers.names import known_codes
        known_villages = known_codes("desa")
    n = len(frame) if isinstance(frame, pd.DataFrame) else \
        len(next(iter(frame.values()), []))
    rows = np.asarray(list(row_numbers) if row_numbers is not None else range(2, n + 2),
                      dtype=np.int64)
    head: list[dict] = []
    present = set(frame.columns if isinstance(frame, pd.DataFrame) else frame)
    missing_cols = [c for c in COLUMNS if c not in present]
    unplaceable = not any(all(c in present for c in way) for way in PLACEMENT)
    for col in missing_cols:
        level = REJECTED if col in REQUIRED else WARNING
        msg = (f"kolom wajib '{col}' tidak ada di berkas" if col in REQUIRED
               else f"kolom '{col}' tidak ada di berkas; nilainya dianggap kosong")
        head.append(problem(1, col, None, msg, level))
    if unplaceable:
        head.append(problem(1, "kode_desa, lat, lon", None,
                            "berkas tidak punya kolom kode desa maupun kolom lintang dan bujur; "
                            "Posyandu tidak dapat ditempatkan"))
    if unplaceable or any(c in REQUIRED for c in missing_cols):
        return RegistryResult(empty_registry(), pd.DataFrame(head, columns=PROBLEM_COLUMNS), n)

    def col(c: str) -> np.ndarray:
        return objects(frame[c]) if c in present else nones(n)

    probs = Problems(rows)

    # nama
    nama = stripped(col("nama"), _strip_or_none)
    no_name = np.equal(nama, None)
    probs.add(np.flatnonzero(no_name), SLOT["nama"], "nama",
              [text(v) for v in col("nama")[no_name]], "nama Posyandu kosong", REJECTED)

    # kode_desa: normalised; an unknown code is kept when a point places the row
    raw_code = col("kode_desa")

    def code_info(v):
        if v.__class__ is str and _DESA.fullmatch(v):     # already a village code
            return v, (None if v in known_villages else
                       f"kode desa {v} tidak ada di daftar kode Kemendagri")
        kode = normalize_code(v)
        if not blank(v) and (kode is None or level_of(kode) != "desa"):
            return None, FORMAT_MSG
        if kode is not None and kode not in known_villages:
            return kode, f"kode desa {kode} tidak ada di daftar kode Kemendagri"
        return kode, (None if kode is not None else "kode desa kosong")

    info = per_value(raw_code, code_info)
    kode = [k for k, _ in info]
    code_msg = [m for _, m in info]
    code_known = np.equal(np.asarray(code_msg, dtype=object), None)
    code_blank = blank_mask(raw_code)

    # coordinates: a usable point, else placed by the known village code
    raw_lat, raw_lon = col("lat"), col("lon")
    lat, lat_ok = numbers(raw_lat)
    lon, lon_ok = numbers(raw_lon)
    given = ~(blank_mask(raw_lat) & blank_mask(raw_lon))
    pre = per_value(col("status_titik"),
                    lambda v: isinstance(v, str) and v == POINT_REJECTED).astype(bool)
    why1 = ~pre & given & ~(lat_ok & lon_ok)
    why2 = ~pre & given & lat_ok & lon_ok & ~in_extent_v(lat, lon)
    no_point = ~pre & ~given
    point = ~(pre | no_point | why1 | why2)
    status = np.where(point, POINT, np.where(no_point, NO_POINT, POINT_REJECTED))
    why = np.where(why1, "lintang/bujur kosong atau bukan angka",
                   np.where(why2, "koordinat berada di luar wilayah Indonesia", ""))
    unplaced = ~point & ~code_known
    off = np.flatnonzero(~point)
    original = ["; ".join("" if blank(v) else str(v).strip() for v in (raw_lat[i], raw_lon[i]))
                for i in off]
    rej_pos, rej_val, rej_msg, warn_pos, warn_val, warn_msg = [], [], [], [], [], []
    for k, i in enumerate(off):
        if unplaced[i]:
            reason = ("tanpa koordinat" if no_point[i] else
                      f"koordinat ditolak ({why[i]})" if why[i] else "koordinat ditolak")
            rc = raw_code[i]
            rej_pos.append(i)
            rej_val.append(f"{'' if blank(rc) else rc} | {original[k]}")
            rej_msg.append(f"Posyandu tidak dapat ditempatkan: {reason} dan {code_msg[i]}")
        elif why[i]:
            warn_pos.append(i)
            warn_val.append(original[k])
            warn_msg.append(f"{why[i]}; koordinat dikosongkan (titik tidak dipakai), Posyandu "
                            f"tetap dihitung di desa {kode[i]}")
    probs.add(rej_pos, SLOT["place"], "kode_desa, lat, lon", rej_val, rej_msg, REJECTED)
    probs.add(warn_pos, SLOT["place"], "lat, lon", warn_val, warn_msg, WARNING)
    bad_code = np.flatnonzero(point & ~code_known)
    probs.add(bad_code, SLOT["place"], "kode_desa", [text(raw_code[i]) for i in bad_code],
              ["kode desa kosong; desa ditentukan dari koordinat" if code_blank[i]
               else code_msg[i] + "; desa ditentukan dari koordinat" for i in bad_code], WARNING)
    lat = np.where(point, lat, np.nan)
    lon = np.where(point, lon, np.nan)

    # strata
    raw_strata = col("strata")
    st = per_value(raw_strata, _strata)
    strata = [s for s, _ in st]
    bad = np.flatnonzero(np.fromiter((b for _, b in st), bool, n))
    probs.add(bad, SLOT["strata"], "strata", [text(raw_strata[i]) for i in bad],
              "strata harus salah satu dari Pratama, Madya, Purnama, Mandiri; nilai dikosongkan",
              WARNING)

    # counts
    counts: dict[str, np.ndarray] = {}
    raw_counts = {c: col(c) for c in COUNTS}
    for c in COUNTS:
        raw = raw_counts[c]
        val, ok = numbers(raw)
        not_number = ~ok & ~blank_mask(raw)
        with np.errstate(invalid="ignore"):
            not_int = ok & (~np.isfinite(val) | (val < 0) | (np.floor(val) != val))
            too_big = ok & ~not_int & (val > MAX_COUNT)
        for mask, msg in ((not_number, "bukan angka; nilai dikosongkan"),
                          (not_int, "harus bilangan bulat tidak negatif; nilai dikosongkan"),
                          (too_big, f"nilai terlalu besar (lebih dari {MAX_COUNT:,}); nilai "
                                    "dikosongkan".replace(",", "."))):
            pos = np.flatnonzero(mask)
            probs.add(pos, SLOT[c], c, [text(raw[i]) for i in pos], msg, WARNING)
        counts[c] = np.where(ok & ~not_int & ~too_big, val, np.nan)
    for part, whole, msg in PAIRS:
        a, b = counts[part], counts[whole]
        with np.errstate(invalid="ignore"):
            over = ~np.isnan(a) & ~np.isnan(b) & (a > b)
        pos = np.flatnonzero(over)
        probs.add(pos, SLOT["pair", part], part, [text(raw_counts[part][i]) for i in pos],
                  [f"{msg} ({int(a[i])} > {int(b[i])}); nilai dikosongkan" for i in pos], WARNING)
        counts[part] = np.where(over, np.nan, a)

    # flags
    flags: dict[str, list] = {}
    for c in FLAGS:
        raw = col(c)
        val = per_value(raw, parse_flag)
        bad = np.equal(val, None) & ~blank_mask(raw)
        pos = np.flatnonzero(bad)
        probs.add(pos, SLOT[c], c, [text(raw[i]) for i in pos],
                  "harus 'ya' atau 'tidak'; nilai dikosongkan", WARNING)
        flags[c] = val

    # ids: the first kept row of an id keeps it; later rows with it are refused
    raw_id = col("id")
    pid = stripped(raw_id, _pid)
    has_id = np.not_equal(pid, None)
    kept_pre = ~no_name & ~unplaced
    group = _groups(pid)
    first_kept = _first(group, kept_pre & has_id)
    at = np.arange(n)
    dup = has_id & (first_kept[group] < at)
    dup_pos = np.flatnonzero(dup)
    probs.add(dup_pos, SLOT["id"], "id", [text(raw_id[i]) for i in dup_pos],
              [f"id '{pid[i]}' sudah dipakai di baris {rows[first_kept[group[i]]]} (id ganda)"
               for i in dup_pos], REJECTED)
    keep = kept_pre & ~dup
    if has_id.any():
        keys = np.full(n, None, dtype=object)
        keys[has_id] = id_keys(pid[has_id])
        kgroup = _groups(keys)
        first_key = _first(kgroup, keep & has_id)
        near_pos = np.flatnonzero(has_id & ~dup & (first_key[kgroup] < at))
        near_msg = []
        for i in near_pos:
            f = first_key[kgroup[i]]
            near_msg.append(f"id '{pid[i]}' hanya berbeda huruf besar/kecil, tanda hubung "
                            f"atau lebar huruf dengan id '{pid[f]}' di baris {rows[f]}; "
                            "periksa apakah keduanya Posyandu yang sama")
        probs.add(near_pos, SLOT["id"], "id", [text(raw_id[i]) for i in near_pos], near_msg,
                  WARNING)

    kp = np.flatnonzero(keep)
    ids = [pid[i] for i in kp]
    gen = [k for k, i in enumerate(kp) if pid[i] is None]
    tail: list[dict] = []
    if gen:
        taken = {pid[i] for i in kp if pid[i] is not None}
        made = generate_ids([kode[kp[k]] for k in gen], [nama[kp[k]] for k in gen], taken=taken)
        for k, gid in zip(gen, made):
            ids[k] = gid
        tail.append(problem(1, "id", None,
                            f"id Posyandu kosong pada {len(gen)} baris; id dibuat dari "
                            "kode desa dan nama (sama untuk baris yang sama di setiap impor)",
                            WARNING))
    raw_sampel = col("sampel")
    sampel = per_value(raw_sampel, lambda v: bool(parse_flag(v) or False))
    out = {"id": ids, "nama": nama[kp].tolist(), "kode_desa": [kode[i] for i in kp],
           "lat": lat[kp], "lon": lon[kp], "strata": [strata[i] for i in kp]}
    for c in COUNTS:
        v = counts[c][kp]
        miss = np.isnan(v)
        out[c] = pd.arrays.IntegerArray(np.where(miss, 0, v).astype("int64"), miss)
    for c in FLAGS:
        vals = flags[c][kp]
        miss = np.equal(vals, None)
        out[c] = pd.arrays.BooleanArray(np.where(miss, False, vals).astype(bool), miss)
    out["sampel"] = sampel[kp].tolist()
    out["status_titik"] = status[kp].tolist()
    data = pd.DataFrame({c: out[c] for c in (*COLUMNS, "sampel", "status_titik")})
    data["lat"] = data["lat"].astype(float)
    data["lon"] = data["lon"].astype(float)
    data["baris"] = rows[kp].tolist()
    problems = head + probs.records() + tail
    return RegistryResult(with_points(data), pd.DataFrame(problems, columns=PROBLEM_COLUMNS), n)


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
    blank_rows = df.isna().all(axis=1)
    rows = [i + 2 for i in range(len(df)) if not blank_rows.iloc[i]]
    return df.loc[~blank_rows].reset_index(drop=True), rows


def read(path: str | Path) -> RegistryResult:
    """Read and validate a Posyandu registry file (CSV, XLSX or the project's Parquet)."""
    frame, rows = read_table(path)
    return validate(frame, rows)
