"""User-interface text in Bahasa Indonesia (default) and English.

``t(key, **values)`` returns the text in the current language (``st.session_state["lang"]``,
kept in the URL by components.state). Numbers are formatted the Indonesian way in ``id``
(``1.234,5``) and the English way in ``en`` (``1,234.5``).
"""
from __future__ import annotations

import math
import re

import streamlit as st

LANGS = ("id", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Peta Posyandu", "Posyandu Map"),
    "app_subtitle": ("Sebaran dan kinerja Posyandu di Indonesia",
                     "Coverage and performance of Posyandu in Indonesia"),
    # navigation
    "page_ringkasan": ("Ringkasan", "Overview"),
    "page_stunting": ("Stunting", "Stunting"),
    "page_kader": ("Kader", "Kader"),
    "page_bencana": ("Risiko Bencana", "Disaster Risk"),
    "page_konektivitas": ("Konektivitas", "Connectivity"),
    "page_peringkat": ("Peringkat", "Ranking"),
    "page_tentang": ("Tentang Data", "About the Data"),
    "page_kelola": ("Kelola Data", "Manage Data"),
    # sidebar
    "region": ("Wilayah", "Region"),
    "indonesia": ("Indonesia", "Indonesia"),
    "province": ("Provinsi", "Province"),
    "regency": ("Kabupaten/Kota", "Regency/City"),
    "district": ("Kecamatan", "District"),
    "all": ("— Semua —", "— All —"),
    "survey": ("Survei/tahun", "Survey/year"),
    "compare": ("Bandingkan dengan", "Compare with"),
    "indicator": ("Indikator", "Indicator"),
    "language": ("Bahasa", "Language"),
    "projector": ("Mode proyektor", "Projector mode"),
    "projector_help": ("Sembunyikan kontrol, peta selebar layar, huruf besar",
                       "Hide controls, full-width map, large text"),
    "basemap": ("Peta dasar daring (butuh internet)", "Online basemap (needs internet)"),
    "classifier": ("Pembagian kelas", "Classification"),
    "fisher_jenks": ("Fisher–Jenks (jeda alami)", "Fisher–Jenks (natural breaks)"),
    "quantiles": ("Kuantil (jumlah sama)", "Quantiles (equal counts)"),
    "copy_link": ("Tautan halaman ini menyimpan wilayah, indikator dan tahun yang dipilih.",
                  "This page's link keeps the selected region, indicator and year."),
    # map & legend
    "no_data": ("Tidak ada data", "No data"),
    "unstable": ("tidak stabil (penyebut < {n})", "unstable (denominator < {n})"),
    "unstable_mark": ("⚠ tidak stabil", "⚠ unstable"),
    "click_to_drill": ("Klik wilayah pada peta untuk melihat rinciannya.",
                       "Click a region on the map to drill down."),
    "map_of": ("{indicator} per {level} — {region}", "{indicator} by {level} — {region}"),
    "rank": ("Peringkat", "Rank"),
    "rank_k_of_n": ("peringkat {k} dari {n}", "rank {k} of {n}"),
    "name": ("Nama", "Name"),
    "code": ("Kode", "Code"),
    "posyandu_layer": ("Posyandu (titik)", "Posyandu (points)"),
    "sample_badge": ("data sampel", "sample data"),
    "village": ("Desa/Kel.", "Village"),
    "kader": ("Kader", "Kader"),
    "internet": ("Internet", "Internet"),
    "strata": ("Strata", "Strata"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    # data notices
    "sample_notice": ("Data Posyandu di peta ini adalah DATA SAMPEL buatan (dibangkitkan dari "
                      "daftar kode Kemendagri agar jumlahnya sesuai angka publikasi), bukan data "
                      "registri nyata. Unggah registri Anda di halaman Kelola Data.",
                      "The Posyandu on this map are generated SAMPLE data (derived from the "
                      "Kemendagri code list to match published totals), not a real registry. "
                      "Upload your registry on the Manage Data page."),
    "dataset_shown": ("Data yang ditampilkan: {label}", "Data shown: {label}"),
    "no_data_dir": ("Data batas wilayah belum tersedia", "Boundary data not available"),
    # KPIs
    "kpi_posyandu": ("Posyandu", "Posyandu"),
    "kpi_villages": ("Desa/kelurahan", "Villages"),
    "kpi_posyandu_per_village": ("Posyandu per desa", "Posyandu per village"),
    "kpi_kader": ("Kader per Posyandu", "Kader per Posyandu"),
    "kpi_stunting_survey": ("Stunting ({period})", "Stunting ({period})"),
    "kpi_stunting_registry": ("Stunting (registri)", "Stunting (registry)"),
    "kpi_no_internet": ("Posyandu tanpa internet", "Posyandu without internet"),
    "kpi_high_hazard": ("Posyandu di zona bahaya tinggi", "Posyandu in high-hazard zones"),
    # tables
    "of_n": ("dari (N)", "of (N)"),
    "numerator": ("Pembilang", "Numerator"),
    "denominator": ("Penyebut", "Denominator"),
    "unstable_col": ("Tidak stabil", "Unstable"),
    "old_geography": ("{period} memakai 34 provinsi (sebelum pemekaran Papua 2022): nilai Papua "
                      "(91) dan Papua Barat (92) mencakup wilayah yang kini menjadi Papua Selatan, "
                      "Papua Tengah, Papua Pegunungan dan Papua Barat Daya (93–96), yang tampil "
                      "tanpa data.",
                      "{period} uses 34 provinces (before the 2022 Papua split): the values of "
                      "Papua (91) and Papua Barat (92) cover today's Papua Selatan, Papua Tengah, "
                      "Papua Pegunungan and Papua Barat Daya (93–96), shown without data."),
    "download_csv": ("Unduh CSV", "Download CSV"),
    "download_xlsx": ("Unduh XLSX", "Download XLSX"),
    # page texts
    "stunting_intro": ("Prevalensi stunting balita menurut survei nasional (SSGI/SKI) dan "
                       "menurut registri Posyandu. Kelas memakai ambang WHO–UNICEF sehingga "
                       "peta antar-tahun dapat dibandingkan.",
                       "Stunting prevalence among under-fives from national surveys (SSGI/SKI) "
                       "and from the Posyandu registry. Classes use the WHO–UNICEF thresholds "
                       "so maps of different years compare."),
    "survey_only_levels": ("Nilai survei tersedia untuk provinsi (dan sebagian kabupaten/kota). "
                           "Di tingkat ini ditampilkan nilai registri.",
                           "Survey values exist for provinces (and some regencies). At this "
                           "level the registry values are shown."),
    "kader_intro": ("Kepadatan kader: kader per Posyandu dan per 1.000 balita sasaran. Standar "
                    "minimal 5 kader per Posyandu; wilayah dengan rata-rata di bawah standar "
                    "ditandai.",
                    "Kader density: kader per Posyandu and per 1,000 target under-fives. The "
                    "standard is at least 5 kader per Posyandu; regions below it are marked."),
    "below_standard": ("di bawah standar 5 kader", "below the 5-kader standard"),
    "regions_below": ("{n} dari {total} wilayah rata-rata di bawah 5 kader per Posyandu",
                      "{n} of {total} regions average below 5 kader per Posyandu"),
    "bencana_intro": ("Zona bahaya banjir dan tanah longsor (kelas rendah/sedang/tinggi) dan "
                      "jumlah Posyandu yang terpapar di tiap wilayah.",
                      "Flood and landslide hazard zones (low/medium/high) and the number of "
                      "Posyandu exposed in each region."),
    "hazard_sample": ("Zona bahaya di peta ini adalah DATA SAMPEL buatan, bukan peta InaRISK. "
                      "Unggah zona bahaya BPBD di halaman Kelola Data.",
                      "The hazard zones on this map are generated SAMPLE data, not InaRISK "
                      "maps. Upload BPBD hazard zones on the Manage Data page."),
    "hazard_layer": ("Zona bahaya", "Hazard zones"),
    "hazard_class": ("Kelas bahaya", "Hazard class"),
    "rendah": ("rendah", "low"), "sedang": ("sedang", "medium"), "tinggi": ("tinggi", "high"),
    "none_class": ("di luar zona", "outside zones"),
    "banjir": ("banjir", "flood"), "tanah_longsor": ("tanah longsor", "landslide"),
    "konektivitas_intro": ("Posyandu tanpa internet (registri) dan desa blank spot menurut "
                           "Diskominfo, untuk perencanaan Posyandu Digital 2026.",
                           "Posyandu without internet (registry) and blank-spot villages "
                           "reported by Diskominfo, for the Posyandu Digital 2026 plan."),
    "blankspot_note": ("Desa blank spot (Diskominfo) hanya tersedia untuk Kalimantan Tengah per "
                       "kabupaten/kota; definisi berbeda dengan 'tanpa sinyal' BPS.",
                       "Blank-spot villages (Diskominfo) are only available for Kalimantan "
                       "Tengah by regency; the definition differs from BPS 'no signal'."),
    "only_offline": ("Tampilkan hanya Posyandu tanpa internet", "Show only Posyandu without internet"),
    "peringkat_intro": ("Peringkat wilayah: 1 = terburuk (untuk stunting: prevalensi tertinggi, "
                        "seperti 'peringkat ke-16 tertinggi' dalam laporan). Nilai sama berbagi "
                        "peringkat.",
                        "Regional ranking: 1 = worst (for stunting: the highest prevalence, as "
                        "in 'ranked 16th highest'). Ties share a rank."),
    "rank_change": ("Perubahan peringkat", "Rank change"),
    "rank_change_help": ("positif = bergerak ke arah peringkat 1 (relatif memburuk)",
                         "positive = moved towards rank 1 (relatively worse)"),
    "note": ("Catatan", "Note"),
    "region_position": ("{region}: {position}", "{region}: {position}"),
    "tentang_intro": ("Sumber, tahun, dan lisensi setiap data di dasbor ini.",
                      "Source, vintage and license of every dataset in this dashboard."),
    "about_shown": ("Data yang ditampilkan", "Data shown"),
    "about_boundaries": ("Batas wilayah dan kode", "Boundaries and codes"),
    "about_checks": ("Pemeriksaan saat memuat (kode unik, induk ada, geometri valid): {n} temuan",
                     "Checks on load (unique codes, parents exist, valid geometry): {n} findings"),
    "about_indicators": ("Indikator publikasi", "Published indicators"),
    "about_libraries": ("Pustaka peta (luring)", "Map libraries (offline)"),
    # errors and bad links
    "page_error": ("Maaf, terjadi galat sehingga bagian ini tidak dapat ditampilkan. Galat "
                   "sudah dicatat di server. Muat ulang halaman, atau pilih wilayah atau "
                   "indikator lain.",
                   "Sorry, an error stopped this part from showing. It has been logged on the "
                   "server. Reload the page, or choose another region or indicator."),
    "url_bad_region": ("Kode wilayah '{value}' pada tautan tidak dikenal; ditampilkan {shown}.",
                       "Region code '{value}' in the link is unknown; showing {shown}."),
    "url_village": ("Tautan menunjuk desa/kelurahan '{value}'; peta tersedia sampai tingkat "
                    "kecamatan, jadi ditampilkan {shown}.",
                    "The link points to village '{value}'; maps go down to district level, so "
                    "{shown} is shown."),
    "url_bad_value": ("Nilai '{value}' untuk '{param}' pada tautan tidak dikenal; dipakai "
                      "pilihan bawaan.",
                      "Value '{value}' for '{param}' in the link is unknown; the default is "
                      "used."),
}


def plain(text, limit: int | None = None) -> str:
    """Text safe inside anything Streamlit renders as Markdown (st.markdown, captions,
    messages, widget labels, radio options): no Markdown, no HTML, no image or link. Use it
    for every user- or file-provided string (file names, column headers, cell values, URL
    parameters). ``limit`` shortens long text first."""
    s = str(text)
    if limit is not None and len(s) > limit:
        s = s[:limit] + "…"
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~$:])", r"\\\1", s)


def lang() -> str:
    value = st.session_state.get("lang", "id")
    return value if value in LANGS else "id"


def pick(pair: tuple[str, str], **values) -> str:
    """The text of an (Indonesian, English) pair in the current language, formatted."""
    text = pair[0] if lang() == "id" else pair[1]
    return text.format(**values) if values else text


def t(key: str, **values) -> str:
    pair = TEXT.get(key)
    return key if pair is None else pick(pair, **values)


def fmt_number(value, decimals: int = 1, language: str | None = None) -> str:
    """1234.5 → '1.234,5' (id) or '1,234.5' (en); NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        if value is not None and value != value:  # pd.NA-safe NaN test
            return "–"
    except TypeError:
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if (language or lang()) == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
