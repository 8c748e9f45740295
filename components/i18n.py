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
    "page_rapat": ("Rapat", "Meeting"),
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
    "quick_choices": ("Pilih wilayah dan indikator — {region}",
                      "Choose region and indicator — {region}"),
    "breadcrumb": ("Jejak wilayah", "Region trail"),
    "copy_link": ("Tautan halaman ini menyimpan wilayah, indikator dan tahun yang dipilih.",
                  "This page's link keeps the selected region, indicator and year."),
    # map & legend
    "no_data": ("Tidak ada data", "No data"),
    "unstable": ("tidak stabil (penyebut < {n})", "unstable (denominator < {n})"),
    "unstable_mark": ("⚠ tidak stabil", "⚠ unstable"),
    "click_to_drill": ("Klik atau ketuk wilayah pada peta, lalu «Buka wilayah ini» untuk melihat rinciannya.",
                       "Click or tap a region on the map, then «Open this region» to drill down."),
    "map_of": ("{indicator} per {level} — {region}", "{indicator} by {level} — {region}"),
    "rank": ("Peringkat", "Rank"),
    "rank_k_of_n": ("peringkat {k} dari {n}", "rank {k} of {n}"),
    "name": ("Nama", "Name"),
    "code": ("Kode", "Code"),
    "posyandu_count": ("Jumlah Posyandu", "Posyandu"),
    "open_region": ("Buka wilayah ini", "Open this region"),
    "gesture_touch": ("Geser peta dengan dua jari", "Use two fingers to move the map"),
    "gesture_scroll": ("Tekan Ctrl + gulir untuk memperbesar peta",
                       "Use Ctrl + scroll to zoom the map"),
    "gesture_scroll_mac": ("Tekan ⌘ + gulir untuk memperbesar peta",
                           "Use ⌘ + scroll to zoom the map"),
    "posyandu_symbols": ("Lingkaran: jumlah Posyandu per wilayah",
                         "Circles: number of Posyandu per region"),
    "posyandu_layer": ("Posyandu (titik)", "Posyandu (points)"),
    "sample_badge": ("data sampel", "sample data"),
    "village": ("Desa/Kel.", "Village"),
    "kader": ("Kader", "Kader"),
    "internet": ("Internet", "Internet"),
    "strata": ("Strata", "Strata"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "yes_cap": ("Ya", "Yes"),
    "no_cap": ("Tidak", "No"),
    # data notices
    "notice_sample": ("DATA SAMPEL", "SAMPLE DATA"),
    "notice_sample_posyandu": ("Posyandu buatan, bukan registri nyata",
                               "Posyandu generated, not a real registry"),
    "notice_sample_hazard": ("zona bahaya buatan, bukan peta InaRISK",
                             "hazard zones generated, not InaRISK maps"),
    "notice_upload": ("Unggah data Anda di Kelola Data.", "Upload your data in Manage Data."),
    "dataset_shown": ("Data yang ditampilkan: {label}.", "Data shown: {label}."),
    "region_table": ("Tabel nilai {n} wilayah, dengan unduhan CSV dan XLSX",
                     "Table of the values of {n} regions, with CSV and XLSX downloads"),
    "kpi_name": ("Angka utama — {region}", "Key figures — {region}"),
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
    "kpi_high_hazard_help": ("Semua jenis bahaya di data: {types}. Posyandu di zona tinggi "
                             "beberapa jenis dihitung sekali.",
                             "Every hazard type in the data: {types}. A Posyandu in high "
                             "zones of several types is counted once."),
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
    "download_panel": ("Unduh peta (PNG, PDF) dan paket rapat (PPTX)",
                       "Download the map (PNG, PDF) and the meeting pack (PPTX)"),
    "download_map_png": ("PNG (16:9)", "PNG (16:9)"),
    "download_map_pdf": ("PDF (A4)", "PDF (A4)"),
    "download_map_help": ("Peta ini untuk slide atau cetak: judul, legenda, sumber, skala, "
                          "arah utara; dibuat di server tanpa internet.",
                          "This map for slides or print: title, legend, sources, scale, north "
                          "arrow; made on the server without internet."),
    "prepare_pack": ("Siapkan paket rapat (PPTX)", "Prepare meeting pack (PPTX)"),
    "download_pack": ("Unduh paket rapat (PPTX)", "Download meeting pack (PPTX)"),
    "pack_help": ("Slide untuk rapat Pokjanal tentang wilayah terpilih: stunting (peta, "
                  "peringkat, tren), kader, paparan bahaya, konektivitas, tabel peringkat.",
                  "Slides for a Pokjanal meeting on the selected region: stunting (map, rank, "
                  "trend), kader, hazard exposure, connectivity, ranking table."),
    "pack_building": ("Menyusun paket rapat …", "Building the meeting pack …"),
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
    "bencana_intro": ("Bahaya per jenis InaRISK (kelas rendah/sedang/tinggi) dan Posyandu, balita "
                      "sasaran serta kader yang terpapar di tiap wilayah — untuk edukasi bencana "
                      "dan titik kumpul.",
                      "Hazards per InaRISK type (low/medium/high) and the Posyandu, target "
                      "under-fives and kader exposed in each region — for disaster education "
                      "and assembly points."),
    "hazard_type": ("Jenis bahaya", "Hazard type"),
    "all_hazards_are": ("Semua bahaya = setiap jenis di data bahaya: {types}; Posyandu di "
                        "zona tinggi beberapa jenis dihitung sekali.",
                        "All hazards = every type in the hazard data: {types}; a Posyandu in "
                        "high zones of several types is counted once."),
    "sample_mark": ("DATA SAMPEL", "SAMPLE DATA"),
    "presenter_prev_page": ("Halaman sebelumnya (← atau PageUp)", "Previous page (← or PageUp)"),
    "presenter_next_page": ("Halaman berikutnya (→ atau PageDown)", "Next page (→ or PageDown)"),
    "presenter_prev_region": ("Wilayah sebelumnya (↑)", "Previous region (↑)"),
    "presenter_next_region": ("Wilayah berikutnya (↓)", "Next region (↓)"),
    "projector_exit": ("Keluar dari mode proyektor", "Leave projector mode"),
    "hazard_zone_of": ("Zona {type}", "{type} zones"),
    "hatch_classes": ("Arsir jarang → rapat: rendah → tinggi",
                      "Hatching sparse → dense: low → high"),
    "stamp_posyandu": ("Posyandu buatan, bukan registri nyata",
                       "generated Posyandu, not a real registry"),
    "stamp_hazards": ("zona bahaya buatan, bukan InaRISK",
                      "generated hazard zones, not InaRISK"),
    "data_kind": ("Keterangan data", "About the data"),
    "sample_zone_mark": ("zona bahaya DATA SAMPEL", "SAMPLE hazard zones"),
    "posyandu_high": ("Posyandu di zona tinggi", "Posyandu in a high zone"),
    "share_high": ("Posyandu di zona tinggi (%)", "Posyandu in high zones (%)"),
    "balita": ("Balita sasaran", "Target under-fives"),
    "kecamatan": ("Kecamatan", "Sub-district"),
    "kecamatan_table": ("Keterpaparan per kecamatan — {type}", "Exposure per sub-district — {type}"),
    "exposed_list": ("Daftar Posyandu terpapar — {type}", "Exposed Posyandu — {type}"),
    "exposed_count": ("{n} Posyandu dalam daftar", "{n} Posyandu listed"),
    "exposure_none": ("Tidak ada Posyandu terdaftar di wilayah ini, jadi belum ada "
                      "keterpaparan yang dapat dihitung.",
                      "No Posyandu registered in this region, so there is no exposure to "
                      "count."),
    "exposed_none": ("Tidak ada Posyandu di kelas bahaya yang dipilih di wilayah ini ({type}).",
                     "No Posyandu in the chosen hazard classes in this region ({type})."),
    "highest_class": ("Kelas tertinggi (semua bahaya)", "Highest class (any hazard)"),
    "download_geojson": ("Unduh GeoJSON", "Download GeoJSON"),
    "hazard_layer": ("Zona bahaya", "Hazard zones"),
    "hazard_class": ("Kelas bahaya", "Hazard class"),
    "rendah": ("rendah", "low"), "sedang": ("sedang", "medium"), "tinggi": ("tinggi", "high"),
    "none_class": ("di luar zona", "outside zones"),
    "banjir": ("banjir", "flood"), "tanah_longsor": ("tanah longsor", "landslide"),
    "konektivitas_intro": ("Posyandu tanpa internet (registri) dan desa blank spot menurut "
                           "Diskominfo, untuk perencanaan Posyandu Digital 2026.",
                           "Posyandu without internet (registry) and blank-spot villages "
                           "reported by Diskominfo, for the Posyandu Digital 2026 plan."),
    "only_offline": ("Tampilkan hanya Posyandu tanpa internet", "Show only Posyandu without internet"),
    # Konektivitas: blank-spot context, list of Posyandu without internet, site planning
    "blankspot_complete": ("{province}: daftar desa blank spot Diskominfo lengkap per "
                           "kabupaten/kota ({period}, {n} desa).",
                           "{province}: complete Diskominfo list of blank-spot villages by "
                           "regency ({period}, {n} villages)."),
    "blankspot_partial": ("{province}: angka Diskominfo {period} ({n} desa) dengan {listed} "
                          "dari {total} kabupaten/kota disebut (jumlah kabupaten {sum}); "
                          "kabupaten lain tanpa angka terbit.",
                          "{province}: Diskominfo {period} figure ({n} villages) with {listed} "
                          "of {total} regencies listed (regency sum {sum}); the other "
                          "regencies have no published figure."),
    "blankspot_none": ("Tidak ada angka desa blank spot Diskominfo yang terbit untuk wilayah "
                       "ini.", "No Diskominfo blank-spot figure is published for this region."),
    "blankspot_definition": ("Definisi 'blank spot' Diskominfo berbeda dengan 'tanpa sinyal "
                             "seluler' BPS; keduanya tidak dicampur pada satu peta.",
                             "Diskominfo's 'blank spot' differs from BPS 'no cellular signal'; "
                             "the two are never mixed on one map."),
    "no_signal_note": ("BPS {year}: {n} desa tanpa sinyal seluler secara nasional. Sumber hanya "
                       "menyebut {listed} provinsi (10 terbanyak dan yang seluruh desanya "
                       "bersinyal); provinsi lain abu-abu = tidak terbit, bukan nol. Tidak ada "
                       "angka per kabupaten atau desa.",
                       "BPS {year}: {n} villages without cellular signal nationally. The source "
                       "lists only {listed} provinces (the top 10 and those where every village "
                       "has signal); other provinces in grey = not published, not zero. No "
                       "regency or village figures."),
    "offline_title": ("Posyandu tanpa internet — {region}", "Posyandu without internet — {region}"),
    "offline_count": ("{n} Posyandu tanpa internet ({balita} balita sasaran). Klik judul kolom "
                      "untuk mengurutkan.",
                      "{n} Posyandu without internet ({balita} target under-fives). Click a "
                      "column header to sort."),
    "offline_village_note": ("Tidak ada daftar desa blank spot per desa yang terbit (data desa "
                             "PODES tidak terbuka), jadi kolom 'Desa blank spot' kosong = tidak "
                             "diketahui. 'Blank spot di kabupaten' memberi angka Diskominfo "
                             "kabupatennya bila ada; hanya Kalimantan Tengah yang lengkap per "
                             "kabupaten.",
                             "No village-level list of blank spots is published (PODES village "
                             "data are not open), so the column 'Blank-spot village' is empty = "
                             "unknown. 'Blank spots in regency' gives the Diskominfo figure of "
                             "its regency where there is one; only Kalimantan Tengah is complete "
                             "by regency."),
    "col_id": ("ID", "ID"), "col_nama": ("Nama Posyandu", "Posyandu name"),
    "col_kode_desa": ("Kode desa", "Village code"), "col_desa": ("Desa/Kel.", "Village"),
    "col_kecamatan": ("Kecamatan", "District"), "col_kabupaten": ("Kabupaten/Kota", "Regency"),
    "col_provinsi": ("Provinsi", "Province"), "col_lon": ("Bujur", "Longitude"),
    "col_lat": ("Lintang", "Latitude"), "col_balita": ("Balita sasaran", "Target under-fives"),
    "col_kader": ("Kader", "Kader"), "col_blank_desa": ("Desa blank spot", "Blank-spot village"),
    "col_blank_kab": ("Blank spot di kabupaten", "Blank spots in regency"),
    "col_blank_src": ("Sumber blank spot", "Blank-spot source"),
    "plan_title": ("Rencana lokasi situs konektivitas", "Connectivity site plan"),
    "plan_saturated": ("{n} situs sudah menjangkau semua Posyandu tanpa internet yang dapat "
                       "dijangkau dalam radius {r} km ({reached} dari {demand}); situs ke-{next} "
                       "sampai ke-{k} tidak menambah jangkauan, jadi rencana ini memuat {n} "
                       "situs, bukan {k}.",
                       "{n} sites already reach every Posyandu without internet that can be "
                       "reached within {r} km ({reached} of {demand}); sites {next} to {k} would "
                       "add nothing, so this plan has {n} sites, not {k}."),
    "plan_saturated_unreachable": ("{u} Posyandu tidak terjangkau calon lokasi mana pun dalam "
                                   "radius ini.", "{u} Posyandu are out of reach of every "
                                   "candidate site within this radius."),
    "plan_intro": ("Di mana hingga {k} situs (BTS, VSAT/Starlink, Wi-Fi desa) menjangkau "
                   "Posyandu tanpa internet terbanyak? Jarak lingkaran besar (haversine) dalam meter; calon "
                   "lokasi default = satu titik di dalam tiap desa. Metode greedy menjamin "
                   "minimal 1−1/e (≈63 %) dari optimum, dalam praktik jauh lebih dekat; "
                   "hitungan tepat (HiGHS) menunjukkan selisih yang terbukti.",
                   "Where do up to {k} sites (BTS, VSAT/Starlink, village Wi-Fi) reach the most "
                   "Posyandu without internet? Great-circle (haversine) distances in metres; "
                   "default candidates = one point inside each village. The greedy method "
                   "guarantees at least 1−1/e (≈63 %) of the optimum, in practice far closer; "
                   "the exact solve (HiGHS) shows the proven gap."),
    "plan_k": ("Jumlah situs (k)", "Number of sites (k)"),
    "plan_radius": ("Radius jangkauan (km)", "Coverage radius (km)"),
    "plan_weight": ("Bobot", "Weight"),
    "weight_posyandu": ("jumlah Posyandu", "number of Posyandu"),
    "weight_balita": ("balita sasaran", "target under-fives"),
    "plan_candidates": ("Calon lokasi (CSV/XLSX/GeoJSON titik; kosong = satu titik per desa)",
                        "Candidate sites (CSV/XLSX/GeoJSON points; empty = one point per "
                        "village)"),
    "plan_existing": ("Situs yang sudah ada/didanai (opsional; jangkauannya dihitung lebih dulu)",
                      "Existing or funded sites (optional; their coverage counts first)"),
    "plan_exact": ("Hitung tepat dengan HiGHS", "Exact solve with HiGHS"),
    "plan_time_limit": ("Batas waktu (detik)", "Time limit (seconds)"),
    "plan_run_national": ("Hitung rencana nasional", "Compute the national plan"),
    "plan_national_hint": ("Rencana nasional memeriksa semua Posyandu tanpa internet terhadap "
                           "83.402 desa (beberapa detik). Pilih provinsi untuk rencana yang "
                           "langsung mengikuti slider.",
                           "A national plan checks every Posyandu without internet against "
                           "83,402 villages (a few seconds). Pick a province for a plan that "
                           "follows the sliders at once."),
    "plan_no_demand": ("Tidak ada Posyandu tanpa internet di wilayah ini.",
                       "No Posyandu without internet in this region."),
    "plan_no_candidates": ("Tidak ada calon lokasi di wilayah ini; unggah berkas calon lokasi.",
                           "No candidate sites in this region; upload a candidate file."),
    "progress_coverage": ("Membangun himpunan jangkauan …", "Building coverage sets …"),
    "progress_greedy": ("Memilih situs (greedy) …", "Choosing sites (greedy) …"),
    "progress_exact": ("Menghitung tepat (HiGHS) …", "Exact solve (HiGHS) …"),
    "progress_done": ("Selesai", "Done"),
    "kpi_plan_name": ("Angka utama rencana situs", "Key figures of the site plan"),
    "k_of_n": ("{k} dari {n}", "{k} of {n}"),
    "kpi_plan_covered": ("Posyandu terjangkau", "Posyandu reached"),
    "kpi_plan_share": ("Bagian terjangkau", "Share reached"),
    "kpi_plan_sites": ("Situs baru", "New sites"),
    "kpi_plan_unreachable": ("Tak terjangkau calon mana pun", "Reached by no candidate"),
    "plan_method_greedy": ("Greedy (≥ 1−1/e dari optimum). {s} detik.",
                           "Greedy (≥ 1−1/e of the optimum). {s} s."),
    "plan_method_optimal": ("Optimal (terbukti oleh HiGHS). Greedy: {g}. {s} detik.",
                            "Optimal (proven by HiGHS). Greedy: {g}. {s} s."),
    "plan_method_limit": ("Batas waktu HiGHS tercapai: solusi terbaik yang ditemukan, belum "
                          "terbukti optimal; selisih terbukti {gap}. Greedy: {g}. {s} detik.",
                          "HiGHS time limit reached: best plan found, not proven optimal; "
                          "proven gap {gap}. Greedy: {g}. {s} s."),
    "plan_existing_note": ("{n} situs yang ada menjangkau {c} lebih dulu.",
                           "{n} existing sites reach {c} first."),
    "curve_title": ("Kurva jangkauan: k → bagian terjangkau (%)",
                    "Coverage curve: k → share reached (%)"),
    "curve_caption": ("Titik tempat kurva mendatar: situs tambahan tidak lagi banyak menambah.",
                      "Where the curve flattens, extra sites stop paying."),
    "curve_share": ("Bagian terjangkau (%)", "Share reached (%)"),
    "plan_map_title": ("Peta rencana: situs, radius, Posyandu terjangkau dan belum",
                       "Plan map: sites, radius, Posyandu reached and not"),
    "legend_site": ("Situs terpilih (nomor urut) dan radiusnya", "Chosen site (rank) and radius"),
    "legend_existing": ("Situs yang ada", "Existing site"),
    "legend_covered": ("Posyandu terjangkau", "Posyandu reached"),
    "legend_uncovered": ("Posyandu belum terjangkau", "Posyandu not reached"),
    "plan_sites_table": ("Situs terpilih", "Chosen sites"),
    "plan_covered_table": ("Posyandu dan situs yang menjangkaunya",
                           "Posyandu and the site reaching them"),
    "col_rank": ("Urutan", "Rank"), "col_site": ("ID situs", "Site ID"),
    "col_added": ("Tambahan", "Added"), "col_total": ("Kumulatif", "Cumulative"),
    "col_share": ("Bagian kumulatif (%)", "Cumulative share (%)"),
    "col_site_name": ("Nama lokasi", "Site name"), "col_distance": ("Jarak (m)", "Distance (m)"),
    "site_popup": ("Situs #{rank}: {name} — menambah {added}",
                   "Site #{rank}: {name} — adds {added}"),
    "upload_report": ("Laporan berkas", "File report"),

    "peringkat_intro": ("Peringkat wilayah: 1 = terburuk (untuk stunting: prevalensi tertinggi, "
                        "seperti 'peringkat ke-16 tertinggi' dalam laporan). Nilai sama berbagi "
                        "peringkat.",
                        "Regional ranking: 1 = worst (for stunting: the highest prevalence, as "
                        "in 'ranked 16th highest'). Ties share a rank."),
    "rank_change": ("Perubahan peringkat", "Rank change"),
    "change_axis": ("Perubahan nilai ({unit}); di label: peringkat lama → baru",
                    "Change of the value ({unit}); label: rank before → now"),
    "change_worse": ("memburuk", "worse"),
    "change_better": ("membaik", "better"),
    # ranking in words (issue 10)
    "rank_counted": ("Dihitung dari {n} {level} yang nilainya terbit pada {period}",
                     "Counted over the {n} {level} with a published value in {period}"),
    "rank_counted_compare": ("Dibandingkan atas {n} {level} yang punya nilai pada {period} dan "
                             "{compare}", "Compared over the {n} {level} with a value in both "
                             "{period} and {compare}"),
    "rank_missing": ("belum ada: {names}", "missing: {names}"),
    "rank_not_compared": ("tidak dibandingkan (nilai hanya pada satu survei atau tidak "
                          "sebanding): {names}", "not compared (a value in one survey only, or "
                          "not comparable): {names}"),
    "and_n_more": (" dan {n} lainnya", " and {n} more"),
    "since": ("sejak", "since"),
    "pp": ("poin persen", "percentage points"),
    "value_change_text": ("Nilai {prev} ({compare}) → {now}: {change} {unit}.",
                          "Value {prev} ({compare}) → {now}: {change} {unit}."),
    "not_compared": ("Tidak dibandingkan dengan {compare} (tidak ada nilai yang sebanding).",
                     "Not compared with {compare} (no comparable value)."),
    "rank_prev": ("Peringkat sebelumnya", "Previous rank"),
    "rank_both": ("Peringkat pada kedua survei", "Rank over both surveys"),
    "value_prev": ("Nilai sebelumnya", "Previous value"),
    "value_change_col": ("Perubahan nilai ({unit})", "Value change ({unit})"),
    "order_by": ("Urutkan", "Order by"),
    "order_rank": ("Peringkat", "Rank"),
    "order_improved": ("Paling membaik", "Most improved"),
    "order_worsened": ("Paling memburuk", "Most worsened"),
    "period_unavailable": ("Survei «{asked}» dari tautan tidak tersedia untuk tampilan ini; "
                           "ditampilkan {used}.", "Survey «{asked}» from the link is not "
                           "available for this view; showing {used}."),
    "national": ("Indonesia (nasional)", "Indonesia (national)"),
    "year": ("Tahun", "Year"),
    "trend_title": ("Tren {indicator} — {region}", "{indicator} trend — {region}"),
    "trend_alt": ("Grafik garis: {title}, dengan garis nasional dan target nasional; nilainya "
                  "ada di tabel di bawah grafik.", "Line chart: {title}, with the national "
                  "line and the national targets; its values are in the table below the chart."),
    "trend_values": ("Nilai per survei (tabel)", "Values per survey (table)"),
    "curve_k": ("Jumlah situs (k)", "Number of sites (k)"),
    "trend_sources": ("Sumber: SSGI 2021, SSGI 2022, SKI 2023, SSGI 2024 (Kemenkes); target "
                      "nasional: Perpres 72/2021 dan RPJMN 2025–2029.",
                      "Sources: SSGI 2021, SSGI 2022, SKI 2023, SSGI 2024 (Ministry of Health); "
                      "national targets: Perpres 72/2021 and RPJMN 2025–2029."),
    "trend_papua": ("Nilai 2021–2022 untuk Papua (91) dan Papua Barat (92) mencakup provinsi "
                    "sebelum pemekaran 2022; tidak setara dengan nilai sesudahnya.",
                    "The 2021–2022 values of Papua (91) and Papua Barat (92) cover the provinces "
                    "before the 2022 split; they do not equal later values."),
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
    "about_libraries_intro": ("Peta berjalan tanpa internet: pustaka berikut disajikan oleh "
                              "server dasbor ini sendiri, tanpa CDN dan tanpa server ubin peta.",
                              "The maps work without internet: these libraries are served by "
                              "this dashboard's own server, with no CDN and no tile server."),
    # Layanan SPM (Posyandu transformation, Permendagri 13/2024)
    "page_layanan_spm": ("Layanan SPM", "SPM Services"),
    "spm_intro": ("Transformasi Posyandu (Permendagri 13/2024): Posyandu melayani enam bidang "
                  "Standar Pelayanan Minimal — kesehatan, pendidikan, pekerjaan umum, perumahan "
                  "rakyat, trantibumlinmas dan sosial. Peta menunjukkan persentase Posyandu yang "
                  "memberi layanan bidang terpilih; tabel membandingkan semua bidang.",
                  "Posyandu transformation (Permendagri 13/2024): a Posyandu serves six Minimum "
                  "Service Standard (SPM) fields — health, education, public works, public "
                  "housing, public order and safety, social affairs. The map shows the share of "
                  "Posyandu offering the chosen field; the table compares all fields."),
    "spm_posyandu": ("Posyandu", "Posyandu"),
    "spm_all": ("Keenam bidang", "All six fields"),
    "strata_top": ("Strata Purnama+Mandiri", "Strata Purnama+Mandiri"),
    "spm_matrix_title": ("Layanan SPM per {level} — {region}", "SPM services by {level} — {region}"),
    "strata_title": ("Strata Posyandu per {level} — {region}", "Posyandu strata by {level} — {region}"),
    "strata_share_axis": ("Bagian Posyandu", "Share of Posyandu"),
    "strata_note": ("Pratama → Madya → Purnama → Mandiri: tingkat perkembangan Posyandu. "
                    "Posyandu tanpa strata tidak dihitung.",
                    "Pratama → Madya → Purnama → Mandiri: the Posyandu development stage. "
                    "Posyandu without a stratum are not counted."),
    "spm_list_title": ("Daftar Posyandu dan layanannya — {region}",
                       "Posyandu and their services — {region}"),
    "spm_list_hint": ("Pilih kabupaten/kota di panel samping untuk melihat daftar Posyandu dan "
                      "layanannya.",
                      "Pick a regency/city in the sidebar to see the list of Posyandu and their "
                      "services."),
    "id_col": ("ID", "ID"),
    "point_col": ("Titik di peta", "Point on map"),
    "point_yes": ("ada", "yes"),
    "point_no": ("tanpa titik", "no point"),
    "no_point_note": ("{n} Posyandu tanpa titik koordinat yang dapat dipakai: dihitung di "
                      "desanya menurut kode desa, tidak digambar sebagai titik.",
                      "{n} Posyandu without a usable point: counted in their village by its "
                      "code, not drawn as points."),
    "source_of": ("Sumber: {source}", "Source: {source}"),
    "source_pick": ("Sumber data", "Data source"),
    "registry_source": ("Registri Posyandu", "Posyandu registry"),
    "table_source": ("Tabel agregat {period}", "Aggregate table {period}"),
    "spm_services": ("Layanan SPM", "SPM services"),
    "kader_trained_col": ("Kader terlatih 25 keterampilan (%)",
                          "Kader trained in 25 basic skills (%)"),
    "kader_trained_region": ("Kader terlatih (25 keterampilan dasar) di {region}: {value}",
                             "Kader trained (25 basic skills) in {region}: {value}"),
    # editors, login and audit (PostGIS store)
    "page_masuk": ("Masuk", "Log in"),
    "db_unavailable": ("Basis data tidak dapat dihubungi. Coba lagi sebentar lagi; bila tetap "
                       "gagal, hubungi pengelola server (PostgreSQL).",
                       "The database cannot be reached. Try again shortly; if it keeps "
                       "failing, contact the server administrator (PostgreSQL)."),
    "page_audit": ("Audit", "Audit"),
    "audit_meeting": ("Rapat: perubahan agenda dan tindak lanjut",
                      "Meetings: changes of agendas and follow-ups"),
    "username": ("Nama pengguna", "Username"),
    "password": ("Kata sandi", "Password"),
    "login": ("Masuk", "Log in"),
    "login_oidc": ("Masuk dengan akun instansi (SSO)", "Log in with your organisation (SSO)"),
    "logout": ("Keluar", "Log out"),
    "login_failed": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "login_required": ("Halaman ini hanya untuk editor. Silakan masuk dengan akun editor.",
                       "This page is for editors only. Please log in with an editor account."),
    "login_to_view": ("Dasbor ini memerlukan login.", "This dashboard requires a login."),
    "login_not_needed": ("Data disimpan di folder workspace komputer ini; tidak perlu login.",
                         "Data are kept in this computer's workspace folder; no login needed."),
    "logged_in_as": ("Masuk sebagai {name} ({role}; wilayah: {scope}).",
                     "Logged in as {name} ({role}; regions: {scope})."),
    "all_regions": ("semua wilayah", "all regions"),
    "scope_note": ("Baris di luar wilayah {scope} ditolak dan disebut di laporan — menurut kode "
                   "desanya dan juga menurut letak titiknya. Impor Anda mengganti data wilayah "
                   "Anda saja.",
                   "Rows outside {scope} are refused and named in the report — by their "
                   "village code and by where their point lies. Your import replaces your "
                   "regions' data only."),
    "save_failed": ("Tidak disimpan: {msg}", "Not saved: {msg}"),
    "audit_intro": ("Setiap perubahan data: siapa, kapan, jenis, jumlah baris, laporan impor. "
                    "Pilih versi untuk melihat laporannya atau memulihkannya.",
                    "Every data change: who, when, kind, rows, import report. Pick a version "
                    "to see its report or restore it."),
    "audit_files": ("Jejak audit tersedia bila data disimpan di basis data (PETA_DATABASE_URL).",
                    "The audit trail is available when data are kept in the database "
                    "(PETA_DATABASE_URL)."),
    "audit_empty": ("Belum ada perubahan data.", "No data change yet."),
    "audit_version": ("Versi", "Version"),
    "audit_report": ("Laporan impor versi ini", "Import report of this version"),
    "audit_restore": ("Pulihkan versi ini untuk wilayah saya",
                      "Restore this version for my regions"),
    "audit_restored": ("Dipulihkan: {label}.", "Restored: {label}."),
    "users_title": ("Pengguna (editor dan admin)", "Users (editors and admins)"),
    "user_add": ("Tambah pengguna", "Add user"),
    "user_role": ("Peran", "Role"),
    "user_scope": ("Wilayah kewenangan (kode, pisahkan dengan koma; kosong = semua, admin)",
                   "Regions (codes, comma-separated; empty = all, admins only)"),
    "user_added": ("Pengguna {name} dibuat.", "User {name} created."),
    "user_disable": ("Nonaktifkan pengguna", "Deactivate user"),
    "user_disabled": ("Pengguna {name} dinonaktifkan.", "User {name} deactivated."),
    "user_locked": ("Dikunci setelah terlalu banyak gagal masuk: {names}.",
                    "Locked after too many failed logins: {names}."),
    "user_unlock": ("Buka kunci", "Unlock"),
    "user_unlocked": ("Kunci akun {name} dibuka.", "Account {name} unlocked."),
    "login_events": ("Catatan gagal masuk", "Failed logins"),
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
    "url_too_long": ("Nilai '{param}' pada tautan terlalu panjang ({chars} karakter, paling "
                     "banyak 100) sehingga diabaikan.",
                     "The value of '{param}' in the link is too long ({chars} characters, at "
                     "most 100), so it is ignored."),
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


def vega_config(language: str | None = None) -> dict:
    """Vega-Lite ``config`` writing numbers as the UI language does (axes, tooltips, labels
    with a d3 format): Indonesian "22,1" and "1.192"."""
    if (language or lang()) != "id":
        return {}
    return {"locale": {"number": {"decimal": ",", "thousands": ".", "grouping": [3],
                                  "currency": ["Rp", ""]}}}


def with_locale(spec: dict, language: str | None = None) -> dict:
    """A Vega-Lite specification with the number locale of ``language`` (vega_config)."""
    config = vega_config(language)
    if not config:
        return spec
    return {**spec, "config": {**spec.get("config", {}), **config}}
