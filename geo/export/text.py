"""Words printed on exported maps and slides (Indonesian first, English second).

geo cannot use components.i18n (it imports Streamlit), so the few texts of the exports
live here; the title follows the screen map's wording (``map_of`` in components.i18n).
"""
from __future__ import annotations

import datetime as dt

LEVEL_NAMES = {"id": {"provinsi": "provinsi", "kabupaten": "kabupaten/kota",
                      "kecamatan": "kecamatan", "desa": "desa/kelurahan"},
               "en": {"provinsi": "province", "kabupaten": "regency/city",
                      "kecamatan": "district", "desa": "village"}}

TEXT: dict[str, tuple[str, str]] = {
    "map_of": ("{indicator} per {level} — {region}", "{indicator} by {level} — {region}"),
    "no_data": ("Tidak ada data", "No data"),
    "sample_mark": ("DATA SAMPEL", "SAMPLE DATA"),
    "sample_posyandu": ("Posyandu di peta ini DATA SAMPEL buatan, bukan registri nyata.",
                        "The Posyandu behind this map are generated SAMPLE data, not a real "
                        "registry."),
    "sample_hazards": ("Zona bahaya DATA SAMPEL buatan, bukan peta InaRISK.",
                       "Hazard zones are generated SAMPLE data, not InaRISK maps."),
    "published_only": ("Nilai terbit (survei); tidak ada data sampel.",
                       "Published (survey) values; no sample data."),
    "source": ("Sumber", "Source"),
    "coverage": ("{n} dari {total} {level} punya nilai {period} yang terbit; abu-abu = belum "
                 "ada nilai.", "{n} of {total} {level} have a published {period} value; grey "
                 "= no value yet."),
    "data": ("Data", "Data"),
    "survey_source": ("{period} (Kemenkes), dihimpun dari {n} publikasi yang mengutipnya",
                      "{period} (Ministry of Health), compiled from {n} publications citing it"),
    "blankspot_source": ("{period}, dihimpun dari {n} publikasi",
                         "{period}, compiled from {n} publications"),
    "boundaries": ("Batas wilayah: cahyadsn/wilayah_boundaries (MIT), indikatif, bukan batas "
                   "resmi", "Boundaries: cahyadsn/wilayah_boundaries (MIT), indicative, not "
                   "official"),
    "made": ("Dibuat {date} · Peta Posyandu", "Made {date} · Peta Posyandu"),
    "ranked_head": ("Peringkat (1 = {worst})", "Rank (1 = {worst})"),
    "worst_high": ("tertinggi", "highest"), "worst_low": ("terendah", "lowest"),
    "more": ("… dan {n} lainnya", "… and {n} more"),
    "sample_short": ("DATA SAMPEL", "SAMPLE DATA"),
    "north": ("U", "N"),
    "scale_note": ("skala pada lintang tengah peta", "scale at the map's central latitude"),
    "hazard_zone": ("Zona bahaya {kelas}", "Hazard zone {kelas}"),
    "hazard_zones_head": ("Zona bahaya {classes} (arsir):", "Hazard zones, {classes} (hatched):"),
    "rendah": ("rendah", "low"), "sedang": ("sedang", "medium"), "tinggi": ("tinggi", "high"),
    "below_standard": ("di bawah standar 5 kader", "below the 5-kader standard"),
    "unstable": ("{n} wilayah dengan penyebut < {d}: nilai tidak stabil",
                 "{n} regions with denominator < {d}: unstable values"),
    "hatch_caution": ("Arsir jarang: hati-hati (RSE 25–50 %)",
                      "Sparse hatching: use with caution (RSE 25–50%)"),
    "hatch_unreliable": ("Arsir rapat: tidak akurat (RSE > 50 % atau penyebut < {d})",
                         "Dense hatching: not accurate (RSE > 50% or denominator < {d})"),
    "change_title": ("Perubahan {indicator} per {level} — {region} ({compare} → {period})",
                     "Change in {indicator} by {level} — {region} ({compare} → {period})"),
    "not_comparable": ("tidak dapat dibandingkan", "not comparable"),
    "not_comparable_list": ("Tidak dapat dibandingkan: {items}.", "Not comparable: {items}."),
    "change_rule": ("Perubahan = {period} − {compare}; kelas simetris di sekitar 0, biru = "
                    "membaik, merah = memburuk.", "Change = {period} − {compare}; classes "
                    "symmetric around 0, blue = improved, red = worsened."),
    "old_geography": ("{period} memakai 34 provinsi (sebelum pemekaran Papua 2022): Papua dan "
                      "Papua Barat mencakup 93–96, yang tampil tanpa data.",
                      "{period} uses 34 provinces (before the 2022 Papua split): Papua and "
                      "Papua Barat cover 93–96, shown without data."),
}

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")


def tr(key: str, lang: str = "id", **values) -> str:
    pair = TEXT[key]
    text = pair[0] if lang == "id" else pair[1]
    return text.format(**values) if values else text


def date_text(day: dt.date | None = None, lang: str = "id") -> str:
    day = day or dt.date.today()
    if lang == "id":
        return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
    return day.strftime("%d %B %Y").lstrip("0")


def num(value: float, decimals: int = 1, lang: str = "id") -> str:
    """1234.5 → '1.234,5' (id) or '1,234.5' (en)."""
    text = f"{float(value):,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


SHORT_PREFIXES = (("Kabupaten ", ""), ("Kab. ", ""), ("Daerah Khusus Ibukota ", "DKI "),
                  ("Daerah Istimewa ", "DI "), ("Kepulauan Bangka Belitung", "Babel"))


def short_name(name: str) -> str:
    """Region name for a label on the map: 'Kabupaten Kapuas' → 'Kapuas'."""
    for prefix, short in SHORT_PREFIXES:
        if name.startswith(prefix):
            return short + name[len(prefix):]
    return name
