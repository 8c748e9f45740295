"""Texts of the Tentang Data page, built from the data directory's own tables."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from geo.codes import LABEL
from geo.config import REPO_ROOT, data_dir
from geo.indicators import published
from geo.indicators.registry import INDICATORS

BOUNDARY_SOURCE = {
    "id": (
        "- **Batas wilayah** (provinsi, kabupaten/kota, kecamatan, desa/kelurahan): GitHub "
        "`cahyadsn/wilayah_boundaries`, commit `3c5a7960` (20 Agustus 2026), lisensi MIT. "
        "Kode mengikuti Kepmendagri No. 300.2.2-2430 Tahun 2025. Batas bersifat indikatif, "
        "bukan batas resmi BIG/Kemendagri; jangan dipakai untuk keperluan hukum atau luas.\n"
        "- **Daftar kode dan nama wilayah**: GitHub `cahyadsn/wilayah`, commit `b7ad440a` "
        "(8 Agustus 2026), lisensi MIT.\n"
        "- **Penduduk** (Dukcapil, Semester II 2024) dan **luas** (BIG, Desember 2024): "
        "melalui `cahyadsn/wilayah` (MIT).\n"
        "- Folder data yang dipakai: `{root}`."),
    "en": (
        "- **Boundaries** (provinces, regencies/cities, districts, villages): GitHub "
        "`cahyadsn/wilayah_boundaries`, commit `3c5a7960` (20 August 2026), MIT license. "
        "Codes follow Kepmendagri No. 300.2.2-2430/2025. Boundaries are indicative, not the "
        "official BIG/Kemendagri lines; not for legal or area purposes.\n"
        "- **Region codes and names**: GitHub `cahyadsn/wilayah`, commit `b7ad440a` "
        "(8 August 2026), MIT license.\n"
        "- **Population** (Dukcapil, second half 2024) and **area** (BIG, December 2024): via "
        "`cahyadsn/wilayah` (MIT).\n"
        "- Data folder in use: `{root}`."),
}


def boundary_sources(lang: str) -> str:
    return BOUNDARY_SOURCE[lang].format(root=html.escape(str(data_dir())))


def indicator_sources(lang: str = "id") -> pd.DataFrame:
    """One row per indicator, period and source: citation, link and number of regions,
    with headers in the UI language."""
    t = published.table()
    grouped = (t.groupby(["indicator", "period", "level", "source"], dropna=False)
                .agg(wilayah=("code", "nunique"), source_url=("source_url", "first"))
                .reset_index())
    grouped["indicator"] = grouped["indicator"].map(lambda i: INDICATORS[i].label(lang))
    grouped["level"] = grouped["level"].map(lambda lv: LABEL[lang].get(lv, lv))
    grouped = grouped.sort_values(["indicator", "period", "level"]).reset_index(drop=True)
    headers = SOURCE_HEADERS[lang]
    return grouped[list(headers)].rename(columns=headers)


SOURCE_HEADERS = {
    "id": {"indicator": "Indikator", "period": "Survei/periode", "level": "Tingkat",
           "wilayah": "Jumlah wilayah", "source": "Sumber", "source_url": "Tautan"},
    "en": {"indicator": "Indicator", "period": "Survey/period", "level": "Level",
           "wilayah": "Regions", "source": "Source", "source_url": "Link"},
}
CHECK_HEADERS = {
    "id": {"level": "Tingkat", "code": "Kode", "problem": "Temuan", "action": "Tindakan"},
    "en": {"level": "Level", "code": "Code", "problem": "Finding", "action": "Action"},
}


@st.cache_resource(show_spinner=False)
def load_report() -> pd.DataFrame:
    """Findings of the load-time checks of every boundary level (repairs, duplicates…);
    they change only with the data directory, so once per server process."""
    from dataclasses import asdict

    from geo.codes import LEVELS
    from geo.regions import boundaries as regions
    rows = [asdict(p) for level in LEVELS if regions.has_level(level)
            for p in regions.load_problems(level)]
    rows += [asdict(p) for p in regions.check_code_lists()]
    return pd.DataFrame(rows, columns=["level", "code", "problem", "action"])


def vendored_assets() -> pd.DataFrame:
    """The map libraries this server itself serves (package, version, license), read from
    the vendored-asset list shipped beside the files."""
    path = REPO_ROOT / "static" / "vendor" / "VENDOR.md"
    rows = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 4 and cells[0].startswith("`") and cells[3] not in ("project", "-"):
                rows.append((cells[1], cells[2], cells[3]))
    return (pd.DataFrame(rows, columns=["Pustaka / Library", "Versi / Version", "Lisensi / License"])
            .drop_duplicates().reset_index(drop=True))
