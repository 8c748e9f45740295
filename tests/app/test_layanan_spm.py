"""The Layanan SPM page and the trained-kader column of the Kader page (AppTest), on the
generated sample registry of Kalimantan Tengah (62): the figures shown equal the shares
computed here from the joined registry."""
from __future__ import annotations

import pytest

from components.lazy import wanted_key
from components.map.choropleth import TABLE_OPEN
from tests.app.test_pages import _navigation_mode, _sample_data, open_page  # noqa: F401
from tests.helpers import headings, region_tables

PAGE = "pages/layanan_spm.py"


def _inside(region: str):
    from geo import datasets
    joined = datasets.joined_posyandu()
    codes = joined["kode_agregasi"].astype(str)
    return joined.loc[(codes == region) | codes.str.startswith(region + ".")]


def _share(posts, column: str) -> float:
    known = posts[column].dropna().astype(bool)
    return round(100.0 * known.sum() / len(known), 1)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_layanan_spm_province_62(lang):
    at = open_page(PAGE, wilayah="62", **({"lang": lang} if lang == "en" else {}))
    assert not at.exception, at.exception
    assert headings(at, 1) == ["Layanan SPM" if lang == "id" else "SPM Services"]
    assert len(at.get("component_instance")) == 1              # the map
    # the SPM field picker (the meeting panel's selectboxes follow it in the sidebar)
    picker = next(s for s in at.sidebar.selectbox
                  if s.label == ("Indikator" if lang == "id" else "Indicator"))
    assert len(picker.options) == 8                            # 6 fields, all six, strata
    matrix = at.dataframe[0].value
    from geo.regions import boundaries as regions
    assert len(matrix) == len(regions.children("62"))          # one row per kabupaten/kota
    row = matrix.set_index(matrix.columns[0]).loc["62.71"]
    posts = _inside("62.71")
    edu = "pendidikan (%)" if lang == "id" else "education (%)"
    assert row[edu] == pytest.approx(_share(posts, "layanan_pendidikan"))
    top = posts["strata"].dropna().isin(["Purnama", "Mandiri"])
    assert row["Strata Purnama+Mandiri (%)"] == pytest.approx(round(100 * top.mean(), 1))
    assert len(at.get("vega_lite_chart")) == 1          # strata stacked bar


def test_layanan_spm_regency_lists_posyandu_with_services():
    at = open_page(PAGE, wilayah="62.71")
    assert not at.exception, at.exception
    listing = at.dataframe[1].value
    posts = _inside("62.71")
    assert len(listing) == len(posts)
    assert set(listing["kesehatan"]) <= {"✓", "–", "?"}
    assert (listing["kesehatan"] == "✓").sum() == int(posts["layanan_kesehatan"].sum())


def test_switching_the_field_redraws_the_map():
    at = open_page(PAGE, wilayah="62", indikator="layanan_sosial_pct")
    assert not at.exception, at.exception
    assert at.session_state["indicator"] == "layanan_sosial_pct"
    assert any("sosial" in h for h in headings(at, 2))


def test_kader_table_shows_trained_share_beside_kader_per_posyandu():
    at = open_page("pages/kader.py", wilayah="62")
    at.session_state[wanted_key(TABLE_OPEN)] = True      # the table below the map, opened
    at.run()
    assert not at.exception, at.exception
    (table,) = region_tables(at)
    col = "Kader terlatih 25 keterampilan (%)"
    assert col in table.columns
    row = table.set_index(table.columns[0]).loc["62.71"]
    posts = _inside("62.71")
    pair = posts[["jumlah_kader", "kader_terlatih"]].dropna()
    assert float(row[col].replace(",", ".")) == pytest.approx(round(100 * pair["kader_terlatih"].sum()
                                           / pair["jumlah_kader"].sum(), 1))
    assert any("Kader terlatih (25 keterampilan dasar) di" in m.value for m in at.markdown)


def test_rows_without_point_are_not_drawn_and_popups_list_services():
    import pandas as pd

    from components.map.view import point_rows
    pts = pd.DataFrame({
        "nama": ["Posyandu <b>Satu</b>", "Posyandu Dua"], "kode_desa": ["62.71.01.1001"] * 2,
        "lat": [-2.2, float("nan")], "lon": [113.9, float("nan")], "jumlah_kader": [5, 4],
        "internet": [True, False], "strata": ["Madya", "Purnama"], "sampel": [False, False],
        "layanan_kesehatan": pd.array([True, True], dtype="boolean"),
        "layanan_sosial": pd.array([True, pd.NA], dtype="boolean"),
        "layanan_pendidikan": pd.array([False, True], dtype="boolean")})
    rows = point_rows(pts, sample=False, lang="id")
    assert len(rows) == 1 and rows[0][:2] == [-2.2, 113.9]       # the pointless row: none
    assert "Layanan SPM: kesehatan, sosial" in rows[0][2]
    assert "&lt;b&gt;Satu&lt;/b&gt;" in rows[0][2]                # names stay plain text
