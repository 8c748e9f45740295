"""The row stage of a Posyandu registry import, column by column (issue 25).

What geo.importers.posyandu's docstring describes — total rows, exact duplicate rows,
coordinates (DMS, hemispheres, swapped axes, decimal commas), village codes written
without dots or as numbers, codes confirmed by the user or found from village names,
names holding markup, the extent and the coastline tolerance — applied to whole columns of
cells: plain decimal coordinates (nearly every cell of a real registry) are converted in
one pass, anything else goes through geo.importers.coords.parse_coordinate once per
distinct value; village codes and village names are looked up once per distinct value;
the land check is one bulk query of all points. Messages are built only for the rows
that have one, with their position in the row's list of messages (``slot``) so the report
reads as before, row by row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.codes import normalize_code
from geo.importers import names as namematch
from geo.importers.coords import Coordinate, CoordinateError, parse_coordinate
from geo.importers.placement import exact_match, land_distance_m, suggest_village
from geo.importers.report import REJECTED, REPAIRED, WARNING
from geo.importers.table import TOTAL_RE
from geo.registry.cells import Problems, blank, blank_mask, nones, per_value
from geo.registry.schema import POINT_REJECTED
from geo.registry.validate import _DESA, in_extent_v

_PLAIN = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)?")
_TOTAL_START = frozenset("gGsSſtTjJ")      # first letters TOTAL_RE can match (re.I)
_HINT = ("; saran dari nama desa '{}': {} — belum diterapkan, periksa lalu terapkan saran "
         "bila benar")
# Order of a row's messages in this stage.
SLOT = {"dms_lat": 1, "dms_lon": 2, "swap": 3, "code": 4, "village": 5, "markup": 6,
        "bad_lat": 7, "bad_lon": 8, "sea": 9, "coast": 10}


def fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def finding_text(v) -> str:
    """A value as geo.importers.report.finding stores it."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v)


def code_fix_message(raw, code: str) -> str | None:
    if isinstance(raw, (int, np.integer)) or (isinstance(raw, (float, np.floating))):
        return f"kode desa tersimpan sebagai angka; dinormalkan menjadi {code}"
    text = str(raw).strip()
    if text == code:
        return None
    if "." not in text:
        return f"kode desa ditulis tanpa titik; dinormalkan menjadi {code}"
    return f"penulisan kode desa dinormalkan menjadi {code}"


def totals_and_duplicates(cells: list[np.ndarray], lat: np.ndarray, lon: np.ndarray,
                          numbers: np.ndarray, findings: Problems) -> np.ndarray:
    """Mask of the rows that are kept for the checks: total rows ("Jumlah", no coordinates)
    and rows identical to an earlier one are refused and named."""
    n = len(numbers)
    total = np.zeros(n, bool)
    labels: list[str] = []
    for i in np.flatnonzero(blank_mask(lat) & blank_mask(lon)):
        seen = 0
        for c in cells:
            v = c[i]
            if isinstance(v, str):
                if v[:1] in _TOTAL_START and TOTAL_RE.match(v):
                    total[i] = True
                    labels.append(v)
                    break
                seen += 1
                if seen == 3:
                    break
    findings.add(np.flatnonzero(total), 0, "", labels,
                 "baris jumlah/total, bukan data Posyandu; tidak diimpor", REJECTED)
    dup_pos, dup_msg = [], []
    rest = np.flatnonzero(~total)
    if len(rest) and cells:
        # rows compared as the text of their cells (blank = ""), each column grouped once
        keys = np.empty((len(rest), len(cells)), dtype=np.int64)
        for j, c in enumerate(cells):
            keys[:, j] = _key_codes(c[rest])
        frame = pd.DataFrame(keys, copy=False)
        same = np.flatnonzero(frame.duplicated(keep=False).to_numpy())
        if len(same):
            first: dict = {}
            for k in same:
                j = first.setdefault(keys[k].tobytes(), k)
                if j != k:
                    dup_pos.append(int(rest[k]))
                    dup_msg.append(f"baris sama persis dengan baris {numbers[rest[j]]} "
                                   "(duplikat); tidak diimpor")
    findings.add(dup_pos, 0, "", "", dup_msg, REJECTED)
    live = ~total
    live[dup_pos] = False
    return live


def _key_text(v) -> str:
    return "" if blank(v) else str(v).strip()


def _key_codes(a: np.ndarray) -> np.ndarray:
    """Group number of each cell's text as a duplicate row is compared (blank = "")."""
    codes, uniques = pd.factorize(a, use_na_sentinel=True)
    missing = codes < 0
    if pd.api.types.infer_dtype(uniques, skipna=False) in ("string", "empty") and (
            not missing.any() or np.equal(a[missing], None).all()):
        texts = [u.strip() for u in uniques]
        texts.append("")
        if any(t != u for t, u in zip(texts, uniques)) or "" in texts[:-1]:
            return pd.factorize(np.asarray(texts, dtype=object))[0][codes]
        return np.where(missing, len(uniques), codes)
    return pd.factorize(per_value(a, _key_text))[0]


def _coordinate(v):
    try:
        return parse_coordinate(v)
    except CoordinateError as exc:
        return str(exc)


def _plain_numbers(a: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Mask of the cells written as a plain decimal number (``-2.2083``, ``113,9``), their
    value put in ``value``: in one pass of pyarrow's regex and number parser for a text
    column, else cell by cell."""
    n = len(a)
    if n and pd.api.types.infer_dtype(a, skipna=True) == "string":
        try:
            arr = pa.array(a, type=pa.string(), from_pandas=True)
            plain = pc.fill_null(pc.match_substring_regex(arr, "^" + _PLAIN.pattern + "$"),
                                 False)
            if pc.any(plain).as_py():
                text = pc.replace_substring(pc.filter(arr, plain), ",", ".")
                numbers = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
                mask = plain.to_numpy(zero_copy_only=False)
                if np.isfinite(numbers).all():
                    value[mask] = numbers
                    return mask
            else:
                return np.zeros(n, bool)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    plain = np.fromiter((v.__class__ is str and _PLAIN.fullmatch(v) is not None for v in a),
                        bool, n)
    if plain.any():
        value[plain] = [float(v.replace(",", ".")) for v in a[plain]]
    return plain


def parse_column(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, list, np.ndarray, list]:
    """(value — NaN when none —, parsed mask, axis, converted mask, error message or None)
    of every cell of a coordinate column, as geo.importers.coords.parse_point reads it."""
    n = len(a)
    value = np.full(n, np.nan)
    parsed = np.zeros(n, bool)
    axis: list = [None] * n
    converted = np.zeros(n, bool)
    error: list = [None] * n
    plain = _plain_numbers(a, value)
    parsed[plain] = True
    other = np.flatnonzero(~plain)
    if len(other):
        for i, r in zip(other, per_value(a[other], _coordinate)):
            if isinstance(r, Coordinate):
                value[i], parsed[i], axis[i], converted[i] = r.value, True, r.axis, r.converted
            elif r is not None:
                error[i] = (f"{r}; contoh yang dapat dibaca: -2.2083, -2,2083 atau "
                            "2°12'30\" LS")
    return value, parsed, axis, converted, error


@dataclass
class RowStage:
    """What the row stage hands to geo.registry.validate and to the report."""
    data: dict                          # kept rows: schema column → object array
    rows: np.ndarray                    # their row numbers
    matches: dict = field(default_factory=dict)     # row number → (Match, nama_desa)
    order: list = field(default_factory=list)       # rows with a match, in file order
    decimal_comma: int = 0
    dms: int = 0
    land_missing: bool = False


def check_rows(cells: list[np.ndarray], numbers: np.ndarray, fidx: dict[str, int],
               live: np.ndarray, findings: Problems, *, known_villages, land,
               sea_tolerance_m: float, parent: str | None, overrides: dict[int, str],
               fields: tuple[str, ...]) -> RowStage:
    """The checks of one block of rows (``live``: rows not refused as totals/duplicates).
    Findings go to ``findings`` (positions are those of ``numbers``)."""
    idx = np.flatnonzero(live)
    m = len(idx)

    def col(f: str) -> np.ndarray:
        return cells[fidx[f]][idx] if f in fidx else nones(m)

    def at(pos) -> np.ndarray:
        return idx[np.asarray(pos, dtype=np.int64)]

    raw_lat, raw_lon = col("lat"), col("lon")
    lat, lat_ok, lat_axis, lat_conv, lat_err = parse_column(raw_lat)
    lon, lon_ok, lon_axis, lon_conv, lon_err = parse_column(raw_lon)
    stage = RowStage({}, numbers[idx])
    both = lat_ok & lon_ok
    stage.decimal_comma = int(sum(1 for i in np.flatnonzero(both & ~lat_conv)
                                  if isinstance(raw_lat[i], str) and "," in raw_lat[i]))
    for name, conv, raw, val in (("lat", lat_conv, raw_lat, lat), ("lon", lon_conv, raw_lon, lon)):
        pos = np.flatnonzero(both & conv)
        stage.dms += len(pos)
        findings.add(at(pos), SLOT[f"dms_{name}"], name, [finding_text(raw[i]) for i in pos],
                     [f"koordinat derajat-menit-detik/LU-LS-BT dikonversi ke derajat desimal: "
                      f"{fmt(val[i])}" for i in pos], REPAIRED)
    by_axis = np.fromiter((a == "lon" or b == "lat" for a, b in zip(lat_axis, lon_axis)), bool, m)
    swapped = both & (by_axis | (~in_extent_v(lat, lon) & in_extent_v(lon, lat)))
    pos = np.flatnonzero(swapped)
    findings.add(at(pos), SLOT["swap"], "lat, lon",
                 [f"{raw_lat[i]}; {raw_lon[i]}" for i in pos],
                 [("tanda LU/LS/BT/BB menunjukkan lintang dan bujur tertukar" if by_axis[i] else
                   "lintang dan bujur tertukar (nilai bujur berada di kolom lintang)")
                  + f"; ditukar menjadi lat {fmt(lon[i])}, lon {fmt(lat[i])}" for i in pos],
                 REPAIRED)
    lat, lon = np.where(swapped, lon, lat), np.where(swapped, lat, lon)

    # kode_desa: normalised when it gives a village code; else kept as written
    raw_code = col("kode_desa")
    code_blank = blank_mask(raw_code)

    def normal(v):
        if v.__class__ is str and _DESA.fullmatch(v):     # already a village code
            return v, None
        code = normalize_code(v)
        if code is None or code.count(".") != 3:
            return v, None
        return code, code_fix_message(v, code)

    norm = per_value(raw_code, normal)
    kode = np.empty(m, dtype=object)
    kode[:] = [v if b else c for v, b, (c, _) in zip(raw_code, code_blank, norm)]
    pos = [i for i in range(m) if not code_blank[i] and norm[i][1]]
    findings.add(at(pos), SLOT["code"], "kode_desa", [finding_text(raw_code[i]) for i in pos],
                 [norm[i][1] for i in pos], REPAIRED)

    # a code confirmed by the user, else an exact village-name match within the parent
    rownums = numbers[idx]
    given = [kode[i] if isinstance(kode[i], str) else None for i in range(m)]
    match: list = [None] * m
    over = [i for i in range(m) if int(rownums[i]) in overrides] if overrides else []
    for i in over:
        code, new = given[i], overrides[int(rownums[i])]
        findings.add(at([i]), SLOT["village"], "kode_desa", "" if code is None else code,
                     f"kode desa {'diganti' if code else 'diisi'} dengan saran {new} "
                     f"{namematch.official_name('desa', new)} atas persetujuan pengguna",
                     REPAIRED)
        kode[i] = new
    if "nama_desa" in fidx:
        desa, kec, kab = col("nama_desa"), col("nama_kecamatan"), col("nama_kabupaten")
        overridden = set(over)
        cache: dict = {}
        for i in range(m):
            code = given[i]
            if i in overridden or (code is not None and code in known_villages):
                continue
            key = (desa[i], kec[i], kab[i], code)
            try:
                found = cache[key]
            except (KeyError, TypeError):
                rec = {"nama_desa": desa[i], "nama_kecamatan": kec[i], "nama_kabupaten": kab[i]}
                found = suggest_village(rec, code, known_villages, parent)
                try:
                    cache[key] = found
                except TypeError:
                    pass
            if exact_match(found) and code is None:
                kode[i] = found.code
                findings.add(at([i]), SLOT["village"], "nama_desa", finding_text(desa[i]),
                             f"kode desa diisi dari nama desa: {found.describe()}", REPAIRED)
            elif found is not None:
                match[i] = found
        for i in range(m):
            if match[i] is not None:
                stage.matches[int(rownums[i])] = (match[i], desa[i], kode[i])
                stage.order.append(int(rownums[i]))

    # names holding markup are kept verbatim as text (escaped wherever shown)
    nama = col("nama")
    pos = [i for i in range(m) if isinstance(nama[i], str) and ("<" in nama[i] or ">" in nama[i])]
    findings.add(at(pos), SLOT["markup"], "nama", [nama[i] for i in pos],
                 "nama berisi tanda < atau > (seperti kode HTML); disimpan apa adanya sebagai "
                 "teks, tidak dijalankan", WARNING)

    # land check for the points inside the extent
    inside = ~np.isnan(lat) & ~np.isnan(lon) & in_extent_v(lat, lon)
    dist = np.full(m, np.nan)
    if inside.any():
        dist[inside] = land_distance_m(lon[inside], lat[inside], land)
        stage.land_missing = bool(np.isnan(dist[inside]).all())
    final = [k if isinstance(k, str) else None for k in kode]
    placed = np.fromiter((k is not None and k in known_villages for k in final), bool, m)
    with np.errstate(invalid="ignore"):
        sea = dist > sea_tolerance_m
        coast = ~sea & (dist > 0)
    lat_bad = np.fromiter((e is not None for e in lat_err), bool, m)
    lon_bad = np.fromiter((e is not None for e in lon_err), bool, m)
    bad = lat_bad | lon_bad | sea

    def tail(i: int, msg: str) -> str:
        code = final[i]
        if placed[i]:
            return (f"{msg}; koordinat dikosongkan (titik tidak dipakai), Posyandu tetap "
                    f"dihitung di desa {code}")
        hint = _HINT.format(desa[i], match[i].describe()) if match[i] is not None else ""
        return (f"{msg}; Posyandu tidak dapat ditempatkan: "
                + ("kode desa kosong" if code is None else
                   f"kode desa {code} tidak ada di daftar kode Kemendagri") + hint)

    if "nama_desa" not in fidx:
        desa = nones(m)
    for name, mask, err, raw in (("bad_lat", lat_bad, lat_err, raw_lat),
                                 ("bad_lon", lon_bad, lon_err, raw_lon)):
        for level, sel in ((WARNING, mask & placed), (REJECTED, mask & ~placed)):
            pos = np.flatnonzero(sel)
            findings.add(at(pos), SLOT[name], name[-3:], [finding_text(raw[i]) for i in pos],
                         [tail(i, err[i]) for i in pos], level)
    for level, sel in ((WARNING, sea & placed), (REJECTED, sea & ~placed)):
        pos = np.flatnonzero(sel)
        findings.add(at(pos), SLOT["sea"], "lat, lon", [f"{fmt(lat[i])}; {fmt(lon[i])}" for i in pos],
                     [tail(i, "titik berada di luar daratan Indonesia (di laut atau di negara "
                              f"tetangga), ±{dist[i] / 1000:.1f} km dari daratan Indonesia "
                              "terdekat".replace(".", ",")) for i in pos], level)
    pos = np.flatnonzero(coast & ~bad)
    findings.add(at(pos), SLOT["coast"], "lat, lon", [f"{fmt(lat[i])}; {fmt(lon[i])}" for i in pos],
                 [f"titik berada ±{dist[i]:.0f} m di luar garis pantai peta; periksa koordinat "
                  "(batas peta disederhanakan, titik tetap diimpor)" for i in pos], WARNING)

    keep = ~(bad & ~placed)
    k = np.flatnonzero(keep)

    def coords(values: np.ndarray, ok: np.ndarray) -> np.ndarray:
        out = nones(len(k))
        use = (ok & ~bad)[k]
        out[use] = values[k][use].tolist()
        return out

    data = {}
    for f in fields:
        if f == "lat":
            data[f] = coords(lat, lat_ok)
        elif f == "lon":
            data[f] = coords(lon, lon_ok)
        elif f == "kode_desa":
            data[f] = kode[k]
        elif f in fidx or f in ("sampel", "id"):
            data[f] = col(f)[k]
        elif f in ("nama_desa", "nama_kecamatan", "nama_kabupaten"):
            data[f] = nones(len(k))
    status = nones(len(k))
    status[bad[k]] = POINT_REJECTED
    data["status_titik"] = status
    stage.data = data
    stage.rows = rownums[k]
    return stage
