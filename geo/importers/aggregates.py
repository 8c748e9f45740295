"""Aggregate tables: counts per desa or kecamatan as offices publish them (e.g. "Data
Posyandu Aktif Kabupaten Kutai Kartanegara 2024": Posyandu and kader per kecamatan).

Such a table is not a registry: it has no Posyandu rows, so no point is invented. Each
recognised count column becomes indicator values of the table's regions at their own
level, with the table's source, in the long shape of geo.importers.indicators (so it is
stored in the workspace as kind ``agregat`` and shown by geo.datasets next to imported
indicators, period = the year):

==========================  =================================================
column (Indonesian/English) indicator
==========================  =================================================
jumlah posyandu             ``posyandu``
posyandu aktif / active     ``posyandu_aktif_jumlah``
posyandu aktif % / pct      ``posyandu_aktif_pct``
jumlah kader / kader        ``kader_jumlah``
kader terlatih, or the      ``kader_terlatih_jumlah`` (tiers are summed; the note
trained tiers (purwa,       says so)
madya, utama)
==========================  =================================================

``kader_per_posyandu`` is derived where a region has both a kader total and a Posyandu
count (active Posyandu when no total is given). Regions: a Kemendagri code (with or
without dots) or a name matched within ``parent`` (exact unambiguous matches applied and
reported; others rejected with the best suggestion) — the same rules as
geo.importers.indicators.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo.codes import level_of, normalize_code
from geo.importers import names as namematch
from geo.importers.header import apply_mapping, find_header
from geo.importers.indicators import ALIASES as IND_ALIASES
from geo.importers.indicators import OUT_COLUMNS, IndicatorImport, _year, parse_value
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.safety import check_type
from geo.importers.schemas import MAX_VALUE
from geo.importers.table import TOTAL_RE, read_cells
from geo.registry.schema import is_blank

KIND = "agregat"
TIERS = ("kader_purwa", "kader_madya", "kader_utama")
COUNT_FIELDS = {
    "posyandu": ("jumlah posyandu", "jml posyandu", "posyandu total", "total posyandu",
                 "posyandu"),
    "posyandu_aktif_jumlah": ("posyandu aktif", "posyandu active", "jumlah posyandu aktif",
                              "jml posyandu aktif", "active posyandu"),
    "posyandu_aktif_pct": ("posyandu aktif pct", "posyandu active pct", "persen posyandu aktif",
                           "posyandu aktif persen", "posyandu aktif %"),
    "kader_jumlah": ("jumlah kader", "jml kader", "kader", "total kader"),
    "kader_terlatih_jumlah": ("kader terlatih", "jumlah kader terlatih", "trained kader"),
    "kader_purwa": ("kader purwa",), "kader_madya": ("kader madya",),
    "kader_utama": ("kader utama",),
}
ALIASES = {
    "kode": (*IND_ALIASES["kode"], "district code", "village code", "kode desa kelurahan"),
    "nama": (*IND_ALIASES["nama"], "district name", "village name", "nama desa kelurahan"),
    "tahun": IND_ALIASES["tahun"], "sumber": IND_ALIASES["sumber"],
    **COUNT_FIELDS,
}
FIELDS = tuple(ALIASES)
UNITS = {"posyandu": "Posyandu", "posyandu_aktif_jumlah": "Posyandu",
         "posyandu_aktif_pct": "%", "kader_jumlah": "kader", "kader_terlatih_jumlah": "kader",
         "kader_per_posyandu": "kader per Posyandu"}


def import_aggregates(path: str | Path, *, level: str | None = None, parent: str | None = None,
                      mapping: dict[str, str | None] | None = None, sheet: str | None = None,
                      source_name: str | None = None) -> IndicatorImport:
    """Import a table of counts per region (see module doc). Never raises for bad rows."""
    path = Path(path)
    source = source_name or path.name
    empty = pd.DataFrame(columns=OUT_COLUMNS)
    try:
        check_type(path, "indikator")   # same file types as indicator tables
        table = read_cells(path, sheet)
        header = apply_mapping(find_header(table, ALIASES, required=("kode", "nama")),
                               mapping, FIELDS)
    except ImportRefused as exc:
        return IndicatorImport(empty, ImportReport.refused(KIND, source, str(exc)))
    notes = list(table.notes)
    notes.append("Pemetaan kolom: " + "; ".join(f"'{c.label}' → {c.field}"
                                                for c in header.columns if c.field) + ".")
    fidx = header.field_index()
    rows = table.rows[header.data_start:]
    counts = [f for f in COUNT_FIELDS if f in fidx]
    if not ({"kode", "nama"} & set(fidx)) or not counts:
        msg = ("tabel agregat harus punya kolom kode atau nama wilayah dan minimal satu kolom "
               "jumlah (Posyandu atau kader)")
        return IndicatorImport(empty, ImportReport.build(KIND, source, len(rows), [], [
            finding(header.rows[0], "", "", msg, REJECTED)], notes, fatal=msg), header)
    tiers = [f for f in TIERS if f in fidx]
    if tiers and "kader_terlatih_jumlah" not in fidx:
        notes.append("Kader terlatih = jumlah kolom " + ", ".join(tiers) + " (tingkat kader "
                     "terlatih seperti diterbitkan; jumlah seluruh kader bisa lebih besar).")
    pcode = normalize_code(parent) if parent else None
    findings = [f for f in table.findings if f["baris"] == 0]   # file-level (encoding)
    out, seen = [], {}
    for rownum, values in rows:
        rec = {f: (values[i] if i < len(values) else None) for f, i in fidx.items()}
        texts = [v for v in values if isinstance(v, str)]
        if normalize_code(rec.get("kode")) is None and texts and TOTAL_RE.match(texts[0]):
            findings.append(finding(rownum, "", texts[0], "baris jumlah/total, bukan data "
                                    "wilayah; tidak diimpor", REJECTED))
            continue
        code, name = normalize_code(rec.get("kode")), rec.get("nama")
        name = None if is_blank(name) else str(name).strip()
        rf = []
        if code is not None and code not in namematch.known_codes(level_of(code)):
            rf.append(finding(rownum, "kode", rec.get("kode"), f"kode {code} tidak ada di "
                              "daftar kode Kemendagri", REJECTED))
        elif code is None and name:
            m = namematch.match_name(name, level or "kecamatan", pcode)
            if m and m.auto:
                code = m.code
                rf.append(finding(rownum, "nama", name, f"kode {code} diisi berdasarkan nama: "
                                  f"{m.describe()}", REPAIRED))
            else:
                sug = f"; saran: {m.describe()}" if m else ""
                rf.append(finding(rownum, "nama", name, "nama wilayah tidak ditemukan pasti di "
                                  f"daftar Kemendagri{sug}; tambahkan kode wilayah", REJECTED))
        elif code is None:
            rf.append(finding(rownum, "kode", "", "kode dan nama wilayah kosong", REJECTED))
        if any(f["tingkat"] == REJECTED for f in rf):
            findings.extend(rf)
            continue
        if code in seen:
            findings.append(finding(rownum, "", code, f"wilayah {code} sudah ada di baris "
                                    f"{seen[code]} (duplikat); tidak diimpor", REJECTED))
            continue
        seen[code] = rownum
        year = _year(rec.get("tahun"))
        src = source if is_blank(rec.get("sumber")) else str(rec["sumber"]).strip()
        vals: dict[str, float] = {}
        for f in counts:
            raw = rec.get(f)
            if is_blank(raw):
                continue
            v = parse_value(raw)
            if v is None or v < 0 or v > MAX_VALUE:
                rf.append(finding(rownum, f, raw, "bukan angka tidak negatif (paling besar "
                                  "1.000.000.000.000); dikosongkan", WARNING))
                continue
            vals[f] = v
        if "kader_terlatih_jumlah" not in vals and any(t in vals for t in tiers):
            vals["kader_terlatih_jumlah"] = sum(vals.pop(t) for t in tiers if t in vals)
        for t in TIERS:
            vals.pop(t, None)
        posts = vals.get("posyandu", vals.get("posyandu_aktif_jumlah"))
        if "kader_jumlah" in vals and posts:
            vals["kader_per_posyandu"] = vals["kader_jumlah"] / posts
        findings.extend(rf)
        if not vals:
            findings.append(finding(rownum, "", "", "tidak ada nilai jumlah yang terisi; tidak "
                                    "diimpor", REJECTED))
            continue
        off = namematch.official_name(level_of(code), code)
        for ind, v in vals.items():
            out.append({"code": code, "name": off or name, "level": level_of(code),
                        "indikator": ind, "tahun": year, "survei": None, "nilai": float(v),
                        "satuan": UNITS.get(ind), "sumber": src, "baris": rownum})
    data = pd.DataFrame(out, columns=OUT_COLUMNS)
    data["tahun"] = pd.array(data["tahun"], dtype="Int64")
    data["nilai"] = data["nilai"].astype(float)
    for c in ("code", "name", "level", "indikator", "survei", "satuan", "sumber"):
        data[c] = data[c].astype(object)
    accepted = sorted(set(int(b) for b in data["baris"])) if len(data) else []
    report = ImportReport.build(KIND, source, len(rows), accepted, findings, notes)
    return IndicatorImport(data, report, header)


def regions_of(data: pd.DataFrame) -> np.ndarray:
    """Distinct region codes of an imported aggregate table."""
    return data["code"].astype(str).unique()
