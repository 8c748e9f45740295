"""Indicator tables: one value per region and year/survey (CSV/XLSX, long format).

Columns recognised (Indonesian or English names; the user may map them): region code
(``kode``…) or name (``wilayah``, ``kabupaten/kota``, ``provinsi``…), ``indikator``,
``tahun``, ``survei``, ``nilai``, ``satuan``, ``sumber``. A table without an indicator
column takes the name passed by the caller, else the header of the value column.

Per row: a Kemendagri code (dotted, without dots or as a number) is used directly; a name
without code is matched within ``parent`` (an unambiguous match of at least 90 % is applied
and reported as ``diperbaiki``; otherwise the row is rejected with the best suggestion).
"Indonesia"/"Nasional" gives code ``00``. Values accept decimal commas, thousand
separators and ``%``. Rejected: no region, no/invalid value, total rows, duplicates of
(code, indicator, year, survey).

Output columns: code, name, level, indikator, tahun, survei, nilai, satuan, sumber, baris.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.codes import LEVELS, level_of, normalize_code
from geo.importers import names as namematch
from geo.importers.header import Header, apply_mapping, find_header, normalize_header
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport, finding
from geo.importers.safety import check_type
from geo.importers.schemas import MAX_VALUE
from geo.importers.table import TOTAL_RE, read_cells
from geo.registry.schema import is_blank

KIND = "indikator"
OUT_COLUMNS = ["code", "name", "level", "indikator", "tahun", "survei", "nilai", "satuan",
               "sumber", "baris"]
FIELDS = ("kode", "nama", "indikator", "tahun", "survei", "nilai", "satuan", "sumber")
ALIASES = {
    "kode": ("kode wilayah", "code", "kode kemendagri", "kode kab", "kode kabupaten",
             "kode kab kota", "kode provinsi", "kode prov", "kode kecamatan", "kode kec",
             "kode desa", "province code", "regency code", "district code", "region code",
             "regency_code", "province_code", "district_code"),
    "nama": ("wilayah", "nama wilayah", "kabupaten", "kabupaten kota", "kab kota", "provinsi",
             "kecamatan", "desa", "kelurahan", "desa kelurahan", "region", "name",
             "nama kabupaten", "nama provinsi", "nama kecamatan", "nama desa",
             "province name", "regency name", "province_name", "regency_name", "district_name"),
    "indikator": ("indicator", "metric", "variabel", "jenis data", "jenis indikator"),
    "tahun": ("year", "thn", "tahun data"),
    "survei": ("survey", "sumber survei", "jenis survei"),
    "nilai": ("value", "angka", "persen", "persentase", "prevalensi", "prevalensi stunting",
              "stunting", "stunting pct", "capaian", "jumlah", "nilai indikator"),
    "satuan": ("unit", "satuan nilai"),
    "sumber": ("source", "sumber data", "referensi"),
}
_LEVEL_WORDS = {"provinsi": "provinsi", "province": "provinsi", "kabupaten": "kabupaten",
                "kab": "kabupaten", "regency": "kabupaten", "kota": "kabupaten",
                "kecamatan": "kecamatan", "district": "kecamatan", "desa": "desa",
                "kelurahan": "desa", "village": "desa"}
NATIONAL = {"indonesia", "nasional", "national"}


@dataclass
class IndicatorImport:
    data: pd.DataFrame
    report: ImportReport
    header: Header | None = None

    @property
    def needs_mapping(self) -> bool:
        if self.header is None:
            return False
        mapped = {c.field for c in self.header.columns if c.field}
        return "nilai" not in mapped or not ({"kode", "nama"} & mapped)


def parse_value(v) -> float | None:
    """'23,5' '23.5 %' '1.234.567' '1.234,5' → float; None when not a finite number
    (inf, NaN)."""
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return float(v) if np.isfinite(float(v)) else None
    s = str(v).strip().replace("%", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"[-+]?\d*,\d+", s):
        s = s.replace(",", ".")
    try:
        f = float(s)
    except ValueError:
        return None
    return f if np.isfinite(f) else None


def _year(v) -> int | None:
    if is_blank(v):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        return int(f) if f.is_integer() and 1900 <= f <= 2100 else None
    m = re.search(r"\b(19|20)\d{2}\b", str(v))
    return int(m.group(0)) if m else None


def import_indicators(path: str | Path, *, indicator: str | None = None,
                      level: str | None = None, parent: str | None = None,
                      mapping: dict[str, str | None] | None = None, sheet: str | None = None,
                      source_name: str | None = None) -> IndicatorImport:
    path = Path(path)
    source = source_name or path.name
    empty = pd.DataFrame(columns=OUT_COLUMNS)
    try:
        check_type(path, KIND)
        table = read_cells(path, sheet)
        header = apply_mapping(find_header(table, ALIASES, required=("kode", "nama", "nilai")),
                               mapping, FIELDS)
    except ImportRefused as exc:
        return IndicatorImport(empty, ImportReport.refused(KIND, source, str(exc)))
    if level is not None and level not in LEVELS:
        raise ValueError(level)
    notes = list(table.notes)
    notes.append("Pemetaan kolom: " + "; ".join(f"'{c.label}' → {c.field}"
                                                for c in header.columns if c.field) + ".")
    fidx = header.field_index()
    rows = table.rows[header.data_start:]
    result = IndicatorImport(empty, ImportReport(KIND, source), header)
    if result.needs_mapping:
        msg = ("kolom nilai dan kolom kode atau nama wilayah harus ada; pilih kolom yang sesuai "
               "pada langkah pemetaan kolom")
        result.report = ImportReport.build(KIND, source, len(rows), [], [
            finding(header.rows[0], "", "", msg, REJECTED)], notes, fatal=msg)
        return result
    labels = {c.field: c.label for c in header.columns if c.field}
    if "indikator" not in fidx:
        indicator = indicator or labels["nilai"]
        notes.append(f"Nama indikator: '{indicator}'.")
    if level is None and "nama" in labels:
        words = normalize_header(labels["nama"]).split()
        level = next((_LEVEL_WORDS[w] for w in words if w in _LEVEL_WORDS), None)
    name_levels = [level] if level else ["provinsi", "kabupaten"]
    pcode = normalize_code(parent) if parent else None

    findings, out, seen = list(table.findings), [], {}
    official = {lv: namematch._candidates(lv, None).set_index("code")["name"] for lv in LEVELS}
    for rownum, values in rows:
        rec = {f: (values[i] if i < len(values) else None) for f, i in fidx.items()}
        texts = [v for v in values if isinstance(v, str)]
        if normalize_code(rec.get("kode")) is None and texts and TOTAL_RE.match(texts[0]):
            findings.append(finding(rownum, "", texts[0], "baris jumlah/total, bukan data "
                                    "wilayah; tidak diimpor", REJECTED))
            continue
        rf = []
        code = lv = None
        raw_code, name = rec.get("kode"), rec.get("nama")
        name = None if is_blank(name) else str(name).strip()
        if not is_blank(raw_code):
            c = normalize_code(raw_code)
            if str(raw_code).strip() in ("0", "00"):
                code, lv = "00", "nasional"
            elif c is None:
                rf.append(finding(rownum, "kode", raw_code, "bukan kode wilayah Kemendagri",
                                  WARNING if name else REJECTED))
            else:
                code, lv = c, level_of(c)
                if str(raw_code).strip() != c:
                    rf.append(finding(rownum, "kode", raw_code, f"kode dinormalkan menjadi {c}",
                                      REPAIRED))
                if c not in namematch.known_codes(lv):
                    rf.append(finding(rownum, "kode", raw_code, f"kode {c} tidak ada di daftar "
                                      "kode Kemendagri; nilai tetap diimpor", WARNING))
                elif name:
                    m = namematch.match_name(name, lv, None,
                                             candidates=namematch.official_row(lv, c))
                    if m is None:
                        rf.append(finding(rownum, "nama", name,
                                          f"nama tidak sesuai dengan kode {c} "
                                          f"({official[lv].get(c)}); kode yang dipakai", WARNING))
        if code is None and name and name.strip().lower() in NATIONAL:
            code, lv = "00", "nasional"
        if code is None and name and not any(f["tingkat"] == REJECTED for f in rf):
            best = None
            for cand_level in name_levels:
                m = namematch.match_name(name, cand_level, pcode)
                if m and (best is None or m.score > best[0].score):
                    best = (m, cand_level)
                if m and m.auto:
                    break
            if best and best[0].auto:
                code, lv = best[0].code, best[1]
                rf.append(finding(rownum, "nama", name, f"kode {code} diisi berdasarkan nama: "
                                  f"{best[0].name} (kecocokan {best[0].score:.0f}%)", REPAIRED))
            else:
                sug = f"; saran: {best[0].describe()}" if best else ""
                rf.append(finding(rownum, "nama", name, "nama wilayah tidak ditemukan pasti di "
                                  f"daftar Kemendagri{sug}; tambahkan kode wilayah", REJECTED))
        if code is None and not rf:
            rf.append(finding(rownum, "kode", "", "kode dan nama wilayah kosong", REJECTED))
        raw_val = rec.get("nilai")
        val = None if is_blank(raw_val) else parse_value(raw_val)
        if is_blank(raw_val):
            rf.append(finding(rownum, "nilai", raw_val, "nilai kosong", REJECTED))
        elif val is None:
            rf.append(finding(rownum, "nilai", raw_val, "nilai bukan angka", REJECTED))
        elif abs(val) > MAX_VALUE:
            rf.append(finding(rownum, "nilai", raw_val, "nilai di luar rentang (paling besar "
                              "1.000.000.000.000); tidak diimpor", REJECTED))
        ind = str(rec["indikator"]).strip() if not is_blank(rec.get("indikator")) else indicator
        if not ind:
            rf.append(finding(rownum, "indikator", "", "nama indikator kosong", REJECTED))
        year = _year(rec.get("tahun"))
        if year is None and not is_blank(rec.get("tahun")):
            rf.append(finding(rownum, "tahun", rec.get("tahun"), "tahun tidak dapat dibaca; "
                              "dikosongkan", WARNING))
        if year is None and not is_blank(rec.get("survei")):
            year = _year(rec.get("survei"))
        survey = None if is_blank(rec.get("survei")) else str(rec["survei"]).strip()
        if any(f["tingkat"] == REJECTED for f in rf):
            findings.extend(rf)
            continue
        key = (code, ind, year, survey)
        if key in seen:
            rf.append(finding(rownum, "", "", f"data {code} {ind} {year or ''} sudah ada di baris "
                              f"{seen[key]} (duplikat); tidak diimpor", REJECTED))
            findings.extend(rf)
            continue
        seen[key] = rownum
        findings.extend(rf)
        off_name = official[lv].get(code) if lv in official else None
        out.append({"code": code, "name": off_name or name or "Indonesia", "level": lv,
                    "indikator": ind, "tahun": year, "survei": survey, "nilai": val,
                    "satuan": None if is_blank(rec.get("satuan")) else str(rec["satuan"]).strip(),
                    "sumber": None if is_blank(rec.get("sumber")) else str(rec["sumber"]).strip(),
                    "baris": rownum})
    data = pd.DataFrame(out, columns=OUT_COLUMNS)
    data["tahun"] = pd.array(data["tahun"], dtype="Int64")
    data["nilai"] = data["nilai"].astype(float)
    for c in ("code", "name", "level", "indikator", "survei", "satuan", "sumber"):
        data[c] = data[c].astype(object)
    report = ImportReport.build(KIND, source, len(rows) + table.rejected_rows, list(data["baris"]), findings, notes)
    return IndicatorImport(data, report, header)
