"""The per-row Posyandu import as it was before issue 25 (frozen reference).

tests/unit/test_property_hostile.py runs this and the vectorised geo.importers.posyandu on
generated hostile registries and requires identical reports, accepted tables and
suggestions. It is the old code path verbatim (import_table and
geo.registry.schema.validate), reading cells with the line reader geo.importers.table;
only the scalar helpers (coordinate parser, code normaliser, name matcher) are shared.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.codes import level_of, normalize_code
from geo.importers import names as namematch
from geo.importers.coords import parse_point
from geo.importers.header import apply_mapping, find_header
from geo.importers.placement import (
    SEA_TOLERANCE_M,
    exact_match,
    land_distance_m,
    match_hint,
    suggest_village,
)
from geo.importers.posyandu import KIND, PosyanduImport
from geo.importers.posyandu_columns import (
    ALIASES,
    AUX,
    FIELD_LABELS,
    FIELDS,
    HEADER_FIELDS,
)
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportReport, finding
from geo.importers.table import TOTAL_RE, RawTable
from geo.registry import schema as registry
from geo.registry.schema import (
    COLUMNS,
    COUNTS,
    FLAGS,
    MAX_COUNT,
    NO_POINT,
    PLACEMENT,
    POINT,
    POINT_REJECTED,
    PROBLEM_COLUMNS,
    REQUIRED,
    STRATA,
    RegistryResult,
    _to_number,
    empty_registry,
    generate_ids,
    id_key,
    in_extent,
    is_blank,
    parse_flag,
    problem,
    with_points,
)


def reference_validate(frame: pd.DataFrame, row_numbers: list[int] | None = None,
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



def _fmt(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _code_fix_message(raw, code: str) -> str | None:
    if isinstance(raw, (int, np.integer)) or (isinstance(raw, (float, np.floating))):
        return f"kode desa tersimpan sebagai angka; dinormalkan menjadi {code}"
    text = str(raw).strip()
    if text == code:
        return None
    if "." not in text:
        return f"kode desa ditulis tanpa titik; dinormalkan menjadi {code}"
    return f"penulisan kode desa dinormalkan menjadi {code}"


def reference_import_table(table: RawTable, *, mapping: dict[str, str | None] | None = None,
                 source: str = "", known_villages: set[str] | None = None,
                 land=None, sea_tolerance_m: float = SEA_TOLERANCE_M,
                 parent: str | None = None, overrides: dict[int, str] | None = None
                 ) -> PosyanduImport:
    """Import cells already read (see read_cells). ``parent``: region code the village
    names are matched within; ``overrides``: row → village code confirmed by the user."""
    overrides = dict(overrides or {})
    parent = normalize_code(parent) if parent else None
    header = find_header(table, ALIASES, required=HEADER_FIELDS)
    header = apply_mapping(header, mapping, FIELDS)
    notes = list(table.notes)
    notes.append("Baris judul kolom: " + ", ".join(str(r) for r in header.rows) + ".")
    mapped = [f"'{c.label}' → {c.field}" for c in header.columns if c.field]
    notes.append("Pemetaan kolom: " + ("; ".join(mapped) if mapped else "(tidak ada)") + ".")
    ignored = [c.label for c in header.columns if c.field is None]
    if ignored:
        notes.append("Kolom tidak dipakai: " + ", ".join(f"'{x}'" for x in ignored) + ".")
    result = PosyanduImport(registry.empty_registry(), ImportReport(KIND, source), header)
    missing = result.missing_required
    data_rows = table.rows[header.data_start:]
    if missing:
        labels = ", ".join(f"{FIELD_LABELS[m]} ({m})" for m in missing)
        msg = (f"kolom wajib tidak ditemukan: {labels}. Pilih kolom yang sesuai pada langkah "
               "pemetaan kolom (atau --map 'Judul Kolom=nama_field' di baris perintah).")
        result.report = ImportReport.build(KIND, source, len(data_rows), [],
                                           [finding(header.rows[0], ", ".join(missing), "", msg,
                                                    REJECTED)], notes, fatal=msg)
        return result
    result.rerun = lambda more: reference_import_table(table, mapping=mapping, source=source,
                                             known_villages=known_villages, land=land,
                                             sea_tolerance_m=sea_tolerance_m, parent=parent,
                                             overrides=more)
    result.overrides = overrides
    if known_villages is None:
        known_villages = namematch.known_codes("desa")
    fidx = header.field_index()
    findings: list[dict] = list(table.findings)   # rows the reader refused or changed
    records, rownums = [], []
    seen_rows: dict[tuple, int] = {}
    decimal_comma = dms_rows = 0

    for rownum, values in data_rows:
        rec = {f: (values[i] if i < len(values) else None) for f, i in fidx.items()}
        # Total / subtotal rows: a "Jumlah"/"Total" label and no coordinates.
        texts = [v for v in values if isinstance(v, str)]
        if is_blank(rec.get("lat")) and is_blank(rec.get("lon")) and texts \
                and any(TOTAL_RE.match(t) for t in texts[:3]):
            label = next(t for t in texts[:3] if TOTAL_RE.match(t))
            findings.append(finding(rownum, "", label, "baris jumlah/total, bukan data "
                                    "Posyandu; tidak diimpor", REJECTED))
            continue
        key = tuple("" if is_blank(v) else str(v).strip() for v in values)
        key = key[:max((i for i, v in enumerate(key) if v), default=-1) + 1]
        if key in seen_rows:
            findings.append(finding(rownum, "", "", f"baris sama persis dengan baris "
                                    f"{seen_rows[key]} (duplikat); tidak diimpor", REJECTED))
            continue
        seen_rows[key] = rownum
        row_findings: list[dict] = []
        # Coordinates
        parsed, bad = parse_point(rec)
        for axis, _, _ in bad:
            rec[axis] = None
        if bad:
            rec.setdefault("_bad_point", []).extend(bad)
        plat, plon = parsed["lat"], parsed["lon"]
        if plat is not None and plon is not None:
            lat, lon = plat.value, plon.value
            if isinstance(rec["lat"], str) and "," in rec["lat"] and not plat.converted:
                decimal_comma += 1
            swap_reason = None
            if plat.axis == "lon" or plon.axis == "lat":
                swap_reason = "tanda LU/LS/BT/BB menunjukkan lintang dan bujur tertukar"
            elif not registry.in_extent(lat, lon) and registry.in_extent(lon, lat):
                swap_reason = "lintang dan bujur tertukar (nilai bujur berada di kolom lintang)"
            for axis, p in (("lat", plat), ("lon", plon)):
                if p.converted:
                    dms_rows += 1
                    row_findings.append(finding(
                        rownum, axis, rec[axis],
                        f"koordinat derajat-menit-detik/LU-LS-BT dikonversi ke derajat desimal: "
                        f"{_fmt(p.value)}", REPAIRED))
            if swap_reason:
                lat, lon = lon, lat
                row_findings.append(finding(rownum, "lat, lon", f"{rec['lat']}; {rec['lon']}",
                                            f"{swap_reason}; ditukar menjadi lat {_fmt(lat)}, "
                                            f"lon {_fmt(lon)}", REPAIRED))
            rec["lat"], rec["lon"] = lat, lon
        else:
            for axis, p in (("lat", plat), ("lon", plon)):
                if p is not None:
                    rec[axis] = p.value
        # kode_desa
        raw_code = rec.get("kode_desa")
        if not is_blank(raw_code):
            code = normalize_code(raw_code)
            if code is not None and code.count(".") == 3:
                msg = _code_fix_message(raw_code, code)
                if msg:
                    row_findings.append(finding(rownum, "kode_desa", raw_code, msg, REPAIRED))
                rec["kode_desa"] = code
        # A code confirmed by the user, else an exact village-name match within the parent
        code = rec.get("kode_desa") if isinstance(rec.get("kode_desa"), str) else None
        if rownum in overrides:
            row_findings.append(finding(rownum, "kode_desa", "" if code is None else code,
                                        f"kode desa {'diganti' if code else 'diisi'} dengan saran {overrides[rownum]} "
                                        f"{namematch.official_name('desa', overrides[rownum])} "
                                        "atas persetujuan pengguna", REPAIRED))
            rec["kode_desa"] = overrides[rownum]
        elif (code is None or code not in known_villages) and "nama_desa" in fidx:
            m = suggest_village(rec, code, known_villages, parent)
            if exact_match(m) and code is None:
                rec["kode_desa"] = m.code
                row_findings.append(finding(rownum, "nama_desa", rec.get("nama_desa"),
                                            f"kode desa diisi dari nama desa: {m.describe()}",
                                            REPAIRED))
            elif m is not None:
                rec["_match"] = m
        # Names holding markup are kept verbatim as text (escaped wherever shown).
        nama = rec.get("nama")
        if isinstance(nama, str) and re.search(r"[<>]", nama):
            row_findings.append(finding(rownum, "nama", nama,
                                        "nama berisi tanda < atau > (seperti kode HTML); "
                                        "disimpan apa adanya sebagai teks, tidak dijalankan",
                                        WARNING))
        rec["_findings"] = row_findings
        records.append(rec)
        rownums.append(rownum)

    # Land check (vectorised) for the rows whose coordinates are inside the extent.
    lats = np.array([r["lat"] if isinstance(r.get("lat"), float) else np.nan for r in records])
    lons = np.array([r["lon"] if isinstance(r.get("lon"), float) else np.nan for r in records])
    inside = ~np.isnan(lats) & ~np.isnan(lons)
    inside[inside] = [registry.in_extent(a, b) for a, b in zip(lats[inside], lons[inside])]
    dist = np.full(len(records), np.nan)
    if inside.any():
        dist[inside] = land_distance_m(lons[inside], lats[inside], land)
        if np.isnan(dist[inside]).all():
            notes.append("Pemeriksaan titik di laut dilewati: batas provinsi tidak tersedia.")
    keep_idx = []
    for i, rec in enumerate(records):
        d = dist[i]
        code = rec.get("kode_desa") if isinstance(rec.get("kode_desa"), str) else None
        placed = code is not None and code in known_villages
        bad = rec.pop("_bad_point", [])
        if not np.isnan(d) and d > sea_tolerance_m:
            bad.append(("lat, lon", f"{_fmt(rec['lat'])}; {_fmt(rec['lon'])}",
                        f"titik berada di luar daratan Indonesia (di laut atau di negara "
                        f"tetangga), ±{d / 1000:.1f} km dari daratan Indonesia terdekat".replace(".", ",")))
        if bad:
            for col, raw, msg in bad:
                rec["_findings"].append(finding(
                    rownums[i], col, raw,
                    f"{msg}; koordinat dikosongkan (titik tidak dipakai), Posyandu tetap "
                    f"dihitung di desa {code}" if placed else
                    f"{msg}; Posyandu tidak dapat ditempatkan: "
                    + ("kode desa kosong" if code is None else
                       f"kode desa {code} tidak ada di daftar kode Kemendagri")
                    + match_hint(rec), WARNING if placed else REJECTED))
            rec["lat"] = rec["lon"] = None
            rec["status_titik"] = registry.POINT_REJECTED
        elif not np.isnan(d) and d > 0:
            rec["_findings"].append(finding(
                rownums[i], "lat, lon", f"{_fmt(rec['lat'])}; {_fmt(rec['lon'])}",
                f"titik berada ±{d:.0f} m di luar garis pantai peta; periksa koordinat "
                "(batas peta disederhanakan, titik tetap diimpor)", WARNING))
        if any(f["tingkat"] == REJECTED for f in rec["_findings"]):
            findings.extend(rec["_findings"])   # rejected before validation
            continue
        keep_idx.append(i)

    frame = pd.DataFrame([{c: records[i].get(c) for c in (*FIELDS, "status_titik")}
                          for i in keep_idx], columns=[*FIELDS, "status_titik"])
    for c in FIELDS:
        if c not in fidx and c not in ("sampel", "kode_desa", "lat", "lon", "id", *AUX):
            frame = frame.drop(columns=c)     # validate reports missing optional columns
    vrows = [rownums[i] for i in keep_idx]
    res = reference_validate(frame, vrows, known_villages=known_villages)
    vprob = res.problems.to_dict("records")
    # Missing optional columns: one file-level note instead of row-1 warnings.
    missing_cols = [p["kolom"] for p in vprob if p["baris"] == 1 and p["tingkat"] == WARNING
                    and "tidak ada di berkas" in p["pesan"]]
    vprob = [p for p in vprob if not (p["baris"] == 1 and p["kolom"] in missing_cols
                                      and "tidak ada di berkas" in p["pesan"])]
    if missing_cols:
        notes.append("Kolom tidak ada di berkas (dianggap kosong): " + ", ".join(missing_cols) + ".")

    by_row = dict(zip(rownums, records))
    for p in vprob:
        if p["kolom"] in ("kode_desa", "kode_desa, lat, lon") and p["baris"] in by_row:
            p["pesan"] += match_hint(by_row[p["baris"]])
    sugg_rows = [{"baris": row, "kode_desa": rec["kode_desa"] if isinstance(
                      rec.get("kode_desa"), str) else "",
                  "saran_kode": rec["_match"].code, "saran_nama": rec["_match"].name,
                  "skor": round(rec["_match"].score, 1)}
                 for row, rec in by_row.items() if rec.get("_match") is not None]
    if "kode_desa" not in fidx:
        vprob = [p for p in vprob if not (p["kolom"] == "kode_desa" and p["tingkat"] == WARNING
                                          and "saran" not in p["pesan"])]
        notes.append("Kolom kode desa tidak ada; desa setiap Posyandu ditentukan dari "
                     "koordinatnya.")
    for i in keep_idx:
        findings.extend(records[i]["_findings"])
    findings.extend(vprob)
    data = res.data
    accepted = [int(b) for b in data["baris"]] if len(data) else []
    if decimal_comma:
        notes.append(f"Koma desimal dibaca sebagai pemisah desimal ({decimal_comma} baris).")
    if dms_rows:
        notes.append(f"{dms_rows} nilai koordinat DMS/LU-LS-BT dikonversi ke derajat desimal.")
    if len(data):
        status = data["status_titik"].value_counts()
        no_point = int(status.get(registry.NO_POINT, 0))
        refused = int(status.get(registry.POINT_REJECTED, 0))
        if no_point or refused:
            notes.append(f"{no_point + refused} baris tanpa titik koordinat yang dapat dipakai "
                         f"({no_point} tanpa koordinat, {refused} koordinat ditolak): dihitung "
                         "di desanya menurut kode desa, tidak digambar sebagai titik.")
    result.data = data
    result.report = ImportReport.build(KIND, source, len(data_rows) + table.rejected_rows,
                                       accepted, findings, notes)
    if sugg_rows:
        result.suggestions = pd.DataFrame(sugg_rows)
    return result


