"""Every dashboard page through Streamlit's AppTest (no browser): pages render for
Indonesia, a province and a regency in both languages; the Ringkasan KPIs equal the
numbers computed here from ``geo``; the map is a streamlit-folium component whose assets
are all local; the view state round-trips through the URL; the Peringkat table; projector
mode.

The app runs in-process, so the ``st.cache_resource`` caches and geo's ``lru_cache`` /
disk caches are shared by all tests: only the first run builds them (the national sample
join, about 20 s without the disk cache). The Posyandu registry is the generated sample
(an empty workspace), so the numbers do not depend on what a user imported.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from geo.indicators import published
from geo.indicators import registry as indicators
from tests.helpers import headings, key_figures

ROOT = Path(__file__).resolve().parents[2]
_PAGES_MANAGER_INIT = PagesManager.__init__
APP = ROOT / "app.py"
TIMEOUT = 300  # the first run may build the caches

# page file, title (id), title (en)
PAGES = [
    ("pages/ringkasan.py", "Ringkasan", "Overview"),
    ("pages/stunting.py", "Stunting", "Stunting"),
    ("pages/kader.py", "Kader", "Kader"),
    ("pages/risiko_bencana.py", "Risiko Bencana", "Disaster Risk"),
    ("pages/konektivitas.py", "Konektivitas", "Connectivity"),
    ("pages/layanan_spm.py", "Layanan SPM", "SPM Services"),
    ("pages/peringkat.py", "Peringkat", "Ranking"),
    ("pages/tentang_data.py", "Tentang Data", "About the Data"),
    ("pages/kelola_data.py", "Kelola Data", "Manage Data"),
]
REGIONS = {"indonesia": "", "prov-62": "62", "kab-62.71": "62.71"}
# Pages that draw a map (all but Tentang Data and Kelola Data).
MAP_PAGES = [p for p, _, _ in PAGES if p not in ("pages/tentang_data.py", "pages/kelola_data.py")]


@pytest.fixture(scope="module", autouse=True)
def _sample_data(tmp_path_factory):
    """An empty workspace (the sample registry is shown) and fresh Streamlit caches
    (another test module may have filled them from its own workspace)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PETA_WORKSPACE_DIR", str(tmp_path_factory.mktemp("ws")))
    mp.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    mp.undo()


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch):
    """Run the entry script as an st.navigation (MPA v2) app, as the server does.

    AppTest resets ``PagesManager.uses_pages_directory`` before every run, and since a
    ``pages/`` folder sits next to app.py Streamlit then wraps the run in its legacy
    pages-folder navigation; a switched-to page whose url_path equals its file name
    (stunting, kader, konektivitas, peringkat) would run alone, without app.py (no
    sidebar, no URL state). A server leaves that mode for good on the first run that
    calls ``st.navigation``; this fixture does the same from the start.
    """
    original = _PAGES_MANAGER_INIT

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def open_page(page: str = "pages/ringkasan.py", **params: str) -> AppTest:
    """A new session opened on ``page`` with the URL query ``params`` (a pasted link).

    AppTest must run the entry page once before it can switch pages. That first run is
    made without parameters: AppTest re-evaluates each widget's ``format_func`` outside
    the script when it collects widget states, where ``components.i18n.t`` always
    answers in Bahasa Indonesia, so a session already in English could not be rerun.
    The parameters then arrive as a link pasted into the running session (the URL
    changed from outside, so it wins over the widgets).
    """
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if page == "pages/ringkasan.py":
        at.query_params.update(params)
        return at.run()
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page)
    at.query_params.update(params)
    return at.run()


def sidebar_labels(at: AppTest) -> list[str]:
    return [w.label for w in (*at.sidebar.radio, *at.sidebar.selectbox)]


def component_args(at: AppTest) -> list[dict]:
    """Decoded json args of each custom component (st_folium) on the page."""
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")]


def test_first_run_of_a_server_runs_inside_app(monkeypatch):
    """A pages/ folder next to app.py puts a freshly started server in Streamlit's legacy
    pages-folder mode until a script calls st.navigation, so a link to /peringkat opened
    first would run the page alone; components.shell.ensure() reruns it inside the app."""
    monkeypatch.setattr(PagesManager, "__init__", _PAGES_MANAGER_INIT)  # no emulation
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page("pages/peringkat.py")
    at.query_params["wilayah"] = "62"
    at.run()
    assert not at.exception
    assert "Bahasa" in sidebar_labels(at)
    assert at.session_state["region"] == "62"


# 1. Every page, three regions, two languages ------------------------------------------

@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("region", list(REGIONS.values()), ids=list(REGIONS))
@pytest.mark.parametrize("page,title_id,title_en", PAGES, ids=[p[6:-3] for p, _, _ in PAGES])
def test_page_renders(page, title_id, title_en, region, lang):
    params = {"lang": lang} | ({"wilayah": region} if region else {})
    at = open_page(page, **params)
    assert not at.exception, at.exception
    # The page ran inside app.py: shared sidebar present, in the right language.
    assert ("Bahasa" if lang == "id" else "Language") in sidebar_labels(at)
    assert headings(at, 1) == [title_id if lang == "id" else title_en]
    # The URL keeps the view.
    assert at.query_params.get("wilayah") == (region or None)
    assert at.query_params.get("lang") == (None if lang == "id" else "en")
    if page in MAP_PAGES:
        # Konektivitas adds the site-plan map below a region's choropleth (a national plan
        # waits for a button)
        plans = 1 if page == "pages/konektivitas.py" and region else 0
        assert len(at.get("component_instance")) == 1 + plans


# 2. Ringkasan KPIs = numbers computed from geo -----------------------------------------

def _fmt(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "id" else text


def expected_kpis(region: str, lang: str) -> dict[str, str]:
    from geo import datasets
    from geo.regions import boundaries as regions

    joined = datasets.joined_posyandu()
    codes = joined["kode_agregasi"].astype(str)
    inside = joined if not region else joined.loc[(codes == region)
                                                  | codes.str.startswith(region + ".")]
    villages = regions.code_list("desa")["code"].astype(str)
    if region:
        villages = villages.loc[(villages == region) | villages.str.startswith(region + ".")]
    posts = len(inside)
    known = inside["jumlah_kader"].dropna()
    labels = {"id": ("Posyandu", "Desa/kelurahan", "Posyandu per desa", "Kader per Posyandu"),
              "en": ("Posyandu", "Villages", "Posyandu per village", "Kader per Posyandu")}[lang]
    return {
        labels[0]: _fmt(posts, 0, lang),
        labels[1]: _fmt(len(villages), 0, lang),
        labels[2]: _fmt(posts / len(villages), 2, lang),
        labels[3]: _fmt(known.sum() / len(known), 2, lang),
    }


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("region", ["", "62", "62.71"], ids=["indonesia", "62", "62.71"])
def test_ringkasan_kpis_match_geo(region, lang):
    params = {"lang": lang} | ({"wilayah": region} if region else {})
    at = open_page(**params)
    assert not at.exception
    shown = key_figures(at)
    expected = expected_kpis(region, lang)
    assert {k: shown.get(k) for k in expected} == expected
    if region == "62":  # the figures of the brief, spelled out
        if lang == "id":
            assert shown["Posyandu"] == "2.573" and shown["Desa/kelurahan"] == "1.571"
            assert re.fullmatch(r"\d,\d\d", shown["Kader per Posyandu"])
        else:
            assert shown["Posyandu"] == "2,573" and shown["Villages"] == "1,571"
            assert re.fullmatch(r"\d\.\d\d", shown["Kader per Posyandu"])


# 3. The map: a component whose JS/CSS are served by the app itself ---------------------

@pytest.fixture()
def recorded_maps(monkeypatch):
    """Every folium map handed to st_folium during the test."""
    from components.map import view as mapview

    maps = []
    original = mapview.st_folium

    def recording(fig, *args, **kwargs):
        maps.append(fig)
        return original(fig, *args, **kwargs)

    monkeypatch.setattr(mapview, "st_folium", recording)
    return maps


_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.mark.parametrize("page", MAP_PAGES, ids=[p[6:-3] for p in MAP_PAGES])
def test_map_assets_are_local(page, recorded_maps):
    from components.map.offline import external_links

    at = open_page(page, wilayah="62")  # province: choropleth, points, hazard zones
    assert not at.exception
    for args in component_args(at):   # Konektivitas: the choropleth and the site plan
        assert args["js_links"] and args["css_links"]
        for url in args["js_links"] + args["css_links"]:
            assert url.startswith("/app/static/"), url
        assert not _REMOTE.search(args["header"]), "remote <script>/<link> in the map header"
        assert not _REMOTE.search(args["html"])
    assert recorded_maps
    for m in recorded_maps:
        assert external_links(m) == []


def test_projector_map_assets_are_local(recorded_maps):
    """Projector mode adds region labels (DivIcon markers) to the map."""
    from components.map.offline import external_links

    at = open_page(wilayah="62.71", proyektor="1")
    assert not at.exception
    (args,) = component_args(at)
    assert all(u.startswith("/app/static/") for u in args["js_links"] + args["css_links"])
    assert recorded_maps and all(external_links(m) == [] for m in recorded_maps)


# 4. URL state round-trip ---------------------------------------------------------------

def test_language_radio_writes_url_and_translates():
    at = open_page("pages/stunting.py")
    assert headings(at, 1) == ["Stunting"] and "lang" not in at.query_params
    assert at.sidebar.radio[0].label == "Bahasa"
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.query_params["lang"] == "en"
    assert at.sidebar.radio[0].label == "Language"
    assert at.sidebar.selectbox[0].label == "Province"
    assert at.session_state["lang"] == "en"

    at = open_page("pages/ringkasan.py")
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.query_params["lang"] == "en"
    assert headings(at, 1) == ["Overview"]
    assert "Villages" in key_figures(at)


def test_province_selectbox_writes_url_and_drills_down():
    at = open_page("pages/kader.py")
    province = at.sidebar.selectbox[0]
    assert province.label == "Provinsi" and province.value == ""
    province.set_value("62").run()
    assert not at.exception
    assert at.query_params["wilayah"] == "62"
    assert at.session_state["region"] == "62"
    # A regency picker appears below the province one, and the map shows regencies.
    assert [s.label for s in at.sidebar.selectbox][:2] == ["Provinsi", "Kabupaten/Kota"]
    at.sidebar.selectbox[1].set_value("62.71").run()
    assert not at.exception
    assert at.query_params["wilayah"] == "62.71"
    # Back to Indonesia: the parameter leaves the URL.
    at.sidebar.selectbox[0].set_value("").run()
    assert not at.exception
    assert "wilayah" not in at.query_params
    assert at.session_state["region"] == ""


def test_pasted_link_wins_over_widget_state():
    """A link opened in a running session (URL changed from outside) sets the view."""
    at = open_page("pages/stunting.py")
    at.query_params["wilayah"] = "62"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "62"
    assert at.query_params["wilayah"] == "62"


# 5. Peringkat ----------------------------------------------------------------------------

def _rank_table(at: AppTest):
    """The ranking table (UI-language headers: Kode, Peringkat, …)."""
    tables = [d.value for d in at.dataframe if "Peringkat" in d.value.columns]
    assert len(tables) == 1, [d.value.columns.tolist() for d in at.dataframe]
    return tables[0].set_index("Kode")


def _key_figures(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "pp-keyfig" in m.value]


def test_peringkat_stunting_ssgi_2022():
    at = open_page("pages/peringkat.py", indikator="stunting", survei="SSGI 2022", banding="-")
    assert not at.exception
    assert at.query_params["indikator"] == "stunting"
    assert at.query_params["survei"] == "SSGI 2022"
    table = _rank_table(at)
    assert table.loc["53", "Peringkat"] == 1
    assert table.loc["64", "Peringkat"] == 16 and table.loc["64", "dari (N)"] == 34
    # Every province is listed; the four created in 2022 without a value, with the reason.
    assert len(table) == 38 and table["Peringkat"].notna().sum() == 34
    assert "pemekaran" in table.loc["94", "Catatan"]
    assert "Peringkat sebelumnya" not in table.columns
    assert not any(c.startswith("rank") for c in table.columns)
    assert any("Dihitung dari 34 provinsi" in c.value for c in at.caption)


def test_peringkat_opens_on_latest_survey_and_compares_with_previous():
    at = open_page("pages/peringkat.py", indikator="stunting")
    assert not at.exception
    assert at.query_params["survei"] == "SSGI 2024" and at.query_params["banding"] == "SKI 2023"
    table = _rank_table(at)
    now = table["Prevalensi stunting (survei) (%)"].notna()
    both = table["Nilai sebelumnya"].notna() & now
    # "Peringkat … dari (N)": the rank in SSGI 2024 over every province with a value (as the
    # map and Stunting say it); the rank over the provinces with values in both surveys is
    # its own column (issue 24: one rank, not "8 dari 13" here and "8 dari 12" there)
    assert (table.loc[now, "dari (N)"] == now.sum()).all() and both.sum() < now.sum()
    assert table.loc[both, "Peringkat pada kedua survei"].max() <= both.sum()
    assert table.loc[~both, "Peringkat pada kedua survei"].isna().all()
    assert table.loc["51", "Perubahan peringkat"] == "tetap"          # Bali
    assert table.loc["62", "Perubahan nilai (poin persen)"] == pytest.approx(-1.4)
    assert table.loc["62", "Perubahan peringkat"].startswith("membaik")
    assert any(c.value.startswith(f"Dibandingkan atas {int(both.sum())} provinsi")
               for c in at.caption)
    # "paling membaik" is one click away: the largest fall in prevalence first.
    at.segmented_control(key="rank-order").set_value("order_improved").run()
    improved = _rank_table(at)["Perubahan nilai (poin persen)"].dropna()
    assert improved.iloc[0] == improved.min()


def test_peringkat_position_of_selected_province():
    at = open_page("pages/peringkat.py", indikator="stunting", survei="SSGI 2022", banding="-",
                   wilayah="64")
    assert not at.exception
    assert any("Kalimantan Timur: peringkat 16 dari 34 (SSGI 2022)" in f for f in _key_figures(at))


def test_province_view_shows_its_national_rank_with_the_count():
    at = open_page("pages/stunting.py", wilayah="62", survei="SKI 2023")
    assert not at.exception
    figures = " ".join(_key_figures(at))
    long = indicators.published_long()
    ski = long.loc[(long["indicator"] == "stunting") & (long["level"] == "provinsi")
                   & (long["period"] == "SKI 2023")].set_index("code")["value"].dropna()
    expected = int((ski > ski["62"]).sum()) + 1
    assert f"Kalimantan Tengah: peringkat {expected} dari {len(ski)} (SKI 2023)" in figures
    assert "Jawa Tengah" in figures and "Banten" in figures and "Papua Selatan" in figures


def test_unavailable_survey_in_url_gives_notice_and_nearest():
    at = open_page("pages/stunting.py", wilayah="62", survei="SSGI 2030")
    assert not at.exception
    assert any("SSGI 2030» dari tautan tidak tersedia" in w.value and "SSGI 2024" in w.value
               for w in at.warning)
    assert at.query_params["survei"] == "SSGI 2024"


def test_stunting_trend_chart_with_national_line():
    """One element: heading, the chart as an SVG picture (wide, and narrow for a phone),
    sources, and the values as a table a person can open and quote."""
    import base64

    import lxml.html

    at = open_page("pages/stunting.py", wilayah="62")
    assert not at.exception
    assert not at.get("vega_lite_chart")          # no chart library on the page (issue 29)
    blocks = [h.proto.body for h in at.get("html") if "<section class='pp-trend'>" in h.proto.body]
    assert len(blocks) == 1
    doc = lxml.html.fromstring(blocks[0])
    assert doc.findtext(".//h2").startswith("Tren Prevalensi stunting")
    assert doc.findtext(".//h2").endswith("Kalimantan Tengah")
    images = doc.findall(".//img")
    assert [i.get("class") for i in images] == ["pp-trend-wide", "pp-trend-narrow"]
    for img in images:
        assert "tabel" in img.get("alt")
        svg = base64.b64decode(img.get("src").split(",", 1)[1]).decode()
        assert "<svg" in svg and "Nasional" in svg and "Kalimantan Tengah" in svg
    assert "SKI 2023" in doc.findtext(".//figcaption")
    head = [th.text_content() for th in doc.findall(".//thead//th")]
    assert head[1:] == ["Nasional", "Kalimantan Tengah"]
    cells = [[td.text_content() for td in tr.findall("td")] for tr in doc.findall(".//tbody/tr")]
    shown = {row[0]: row[1:] for row in cells}
    own = published.table().query("code == '62' and indicator == 'stunting'")
    assert len(own) >= 4
    for period, value in own.set_index("period")["value"].items():    # decimal comma
        assert shown[period][1] == f"{value:.1f} %".replace(".", ",")


# 6. Projector mode -----------------------------------------------------------------------

@pytest.mark.parametrize("region", ["", "62"], ids=["indonesia", "62"])
def test_projector_mode(region):
    params = {"proyektor": "1"} | ({"wilayah": region} if region else {})
    at = open_page(**params)
    assert not at.exception
    assert at.query_params["proyektor"] == "1"
    assert len(at.dataframe) == 0          # tables hidden
    assert not key_figures(at)             # key figures hidden
    if region:                             # the province's own rank stays visible
        at.switch_page("pages/stunting.py").run()
        assert any("Kalimantan Tengah: peringkat" in f for f in _key_figures(at))
        at.switch_page("pages/ringkasan.py").run()
    assert not headings(at, 1)            # page header hidden: the map title is large
    assert len(at.get("component_instance")) == 1
    assert at.button(key="exit-projector").help.startswith("Keluar")     # the way out
    for page in MAP_PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert len(at.dataframe) == 0, page
        assert len(at.get("component_instance")) == 1, page


def test_projector_exit_button():
    at = open_page(proyektor="1")
    at.button(key="exit-projector").click().run()
    assert not at.exception
    assert "proyektor" not in at.query_params
    assert key_figures(at)


def test_presenter_buttons_step_through_regions_and_pages():
    """The projector's control (the keys press the same buttons): ▼ / ▲ the next and
    previous kabupaten of the province in code order, ▶ the next map page."""
    from geo.regions import boundaries
    kabupaten = sorted(boundaries.children("62")["code"].astype(str))
    at = open_page(proyektor="1", wilayah=kabupaten[0])
    at.button(key="pp-next-region").click().run()
    assert not at.exception
    assert at.query_params["wilayah"] == kabupaten[1]
    at.button(key="pp-prev-region").click().run()
    at.button(key="pp-prev-region").click().run()       # wraps round to the last one
    assert at.query_params["wilayah"] == kabupaten[-1]
    def map_title():
        return next(m.value for m in at.markdown if m.value.startswith("<h1"))
    before = map_title()
    at.button(key="pp-next-page").click().run()
    assert not at.exception
    assert at.query_params["proyektor"] == "1" and at.query_params["wilayah"] == kabupaten[-1]
    assert map_title() != before and "stunting" in map_title().lower(), map_title()
    # Indonesia has no sibling: the region buttons are off
    at = open_page(proyektor="1")
    assert at.button(key="pp-next-region").disabled


def test_high_hazard_kpi_names_the_hazard_types_it_counts():
    """Ringkasan's "Posyandu di zona bahaya tinggi" says which hazard types it includes,
    each with its own count (issue 24)."""
    from geo import datasets
    from geo.hazards import types as ht
    at = open_page(wilayah="62")
    value = key_figures(at)["Posyandu di zona bahaya tinggi"]
    help_text = key_figures(at, "help")["Posyandu di zona bahaya tinggi"]
    joined = datasets.joined_posyandu()
    joined = joined.loc[joined["kode_agregasi"].astype(str).str.startswith("62.")]
    classes = datasets.hazard_classes(joined)
    assert value == f"{int((classes['hazard_max'] == 'tinggi').sum()):,}".replace(",", ".")
    for col in classes.columns.drop("hazard_max"):
        n = int((classes[col] == "tinggi").sum())
        label = ht.label(col[len("hazard_"):], "id")
        assert f"{label} {n:,}".replace(",", ".") in help_text, (label, help_text)
