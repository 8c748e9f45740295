"""Small builders shared by test modules (``from tests.helpers import ...``)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

# Importer report levels
D, R, W = "diperbaiki", "ditolak", "peringatan"

# A messy registry as a Dinkes office sends it (title row, ";", decimal commas, DMS, a
# swapped pair, a duplicate id, a sea point, a duplicate row, an unknown code, a <script>
# name, a total row); written in Windows-1252 by the tests.
MESSY_CSV = """Daftar Posyandu Kecamatan Pahandut – Tahun 2024;;;;;;;;;;

No;ID Posyandu;Nama Posyandu;Kode Desa;Desa/Kelurahan;Lintang;Bujur;Jml Kader;Kader Terlatih;Strata;Aktif
1;P001;Posyandu Melati;6271011001;Pahandut;2°12'30" LS;113°54'45" BT;5;3;Madya;Ya
2;P002;Posyandu Mawar Café;62.71.01.1002;Panarung;-2,2210;113,9100;4;4;Purnama;ya
3;P003;Posyandu Anggrek;62.71.01.1003;Langkai;113,9200;-2,2150;3;2;pratama;tidak

4;P004;<script>alert(1)</script>;62.71.01.1003;Langkai;-2,2200;113,9300;x;1;Mandiri;Ya
5;P001;Posyandu Dobel;62.71.01.1004;Tumbang Rungan;-2,2300;113,9400;2;1;Madya;Ya
6;P006;Posyandu Laut Jawa;62.71.01.1005;Pahandut Seberang;-4,5000;112,5000;2;1;Madya;Ya
4;P004;<script>alert(1)</script>;62.71.01.1003;Langkai;-2,2200;113,9300;x;1;Mandiri;Ya
7;P007;Posyandu Kenanga;62.71.01.1099;Pahandut Seberang;-2,2050;113,9200;6;6;Madya;Ya
8;P008;Posyandu Manila;62.71.01.1001;Pahandut;14,6000;121,0000;2;1;Madya;Ya
Jumlah;;;;;;;20;17;;
"""


def points(lon, lat, kode=None) -> gpd.GeoDataFrame:
    """Posyandu points with ids T0, T1, … and an optional declared ``kode_desa``."""
    df = pd.DataFrame({"id": [f"T{i}" for i in range(len(lon))], "lon": lon, "lat": lat,
                       "kode_desa": kode if kode is not None else [None] * len(lon)})
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")


def desa_layer(codes: list[str], boxes: list[tuple[float, float, float, float]]
               ) -> gpd.GeoDataFrame:
    """A village layer of boxes (minx, miny, maxx, maxy), one MultiPolygon per code."""
    geoms = [shapely.MultiPolygon([shapely.box(*b)]) for b in boxes]
    return gpd.GeoDataFrame({"code": codes, "level": "desa"}, geometry=geoms, crs="EPSG:4326")


def problems(result) -> list[tuple]:
    """(row, column, value, message, level) of every finding of an import result."""
    p = result.report.problems
    return list(zip(p["baris"], p["kolom"], p["nilai"], p["pesan"], p["tingkat"]))



def use_empty_workspace(tmp_path, monkeypatch) -> None:
    """An empty workspace under ``tmp_path``, run from the repository root (as the server)."""
    from pathlib import Path
    monkeypatch.setenv("PETA_WORKSPACE_DIR", str(tmp_path / "ws"))
    monkeypatch.chdir(Path(__file__).resolve().parents[1])


def kelola_data_app(timeout: float = 300):
    """The Kelola Data page in AppTest, run once."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    page = Path(__file__).resolve().parents[1] / "pages" / "kelola_data.py"
    return AppTest.from_file(str(page), default_timeout=timeout).run()


# Smallest frames that fit the schema of their kind (geo.importers.schemas), for tests of
# the stores that do not care about the content.
def indicator_frame(n: int = 1) -> pd.DataFrame:
    return pd.DataFrame({"code": ["62"] * n, "indikator": [f"indikator_{i}" for i in range(n)],
                         "nilai": [float(i) for i in range(n)]})


def zones_frame(n: int = 1, jenis: str = "banjir") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": [f"z{i}" for i in range(n)], "jenis": [jenis] * n,
                             "kelas": ["tinggi"] * n, "sampel": [False] * n},
                            geometry=[shapely.box(113 + i * .1, -2, 113.05 + i * .1, -1.95)
                                      for i in range(n)], crs="EPSG:4326")


def boundary_frame(n: int = 1, level: str = "kabupaten") -> gpd.GeoDataFrame:
    codes = {"provinsi": "{:02d}", "kabupaten": "62.{:02d}", "kecamatan": "62.71.{:02d}",
             "desa": "62.71.01.{:04d}"}[level]
    return gpd.GeoDataFrame({"code": [codes.format(i + 1) for i in range(n)],
                             "name": [f"Wilayah {i}" for i in range(n)], "level": [level] * n},
                            geometry=[shapely.box(113 + i * .1, -2, 113.05 + i * .1, -1.95)
                                      for i in range(n)], crs="EPSG:4326")


def parse_key_figures(markup: str) -> list[dict]:
    """label (without its help mark), value and help of each figure of components.kpi's
    definition list."""
    import lxml.html
    figures = []
    for item in lxml.html.fromstring(markup).iterfind(".//dl/div"):
        dt, dd = item.find("dt"), item.find("dd")
        tip = dt.find(".//span[@class='pp-kf-tip']")
        help_text = tip.text_content() if tip is not None else ""
        for mark in dt.findall(".//span[@class='pp-kf-help']"):
            mark.drop_tree()
        figures.append({"label": dt.text_content(), "value": dd.text_content(),
                        "help": help_text})
    return figures


def key_figures(at, field: str = "value") -> dict[str, str]:
    """{label: value} (or help) of the key figures an AppTest run drew (components.kpi)."""
    return {f["label"].strip(): f[field].strip() for m in at.markdown if "pp-kfs" in m.value
            for f in parse_key_figures(m.value)}


def region_tables(at) -> list[pd.DataFrame]:
    """The HTML tables below the maps of an AppTest run (components.tables.html_table), as
    the text a person reads in each cell."""
    return [_read_table(m.value) for m in at.markdown if "class='pp-table'" in m.value]


def _read_table(markup: str) -> pd.DataFrame:
    import lxml.html
    table = lxml.html.fromstring(markup).find(".//table")
    head = [th.text_content() for th in table.findall("./thead/tr/th")]
    rows = [[td.text_content() for td in tr.findall("./td")] for tr in table.findall("./tbody/tr")]
    return pd.DataFrame(rows, columns=head)


def headings(at, level: int) -> list[str]:
    """The text of the level-``level`` headings an AppTest run drew: st.title (1) or
    st.header (2), and the headings written as HTML with the line under them in one
    element (components.notices.heading_html)."""
    import lxml.html
    native = at.title if level == 1 else at.header
    found = [h.value for h in native]
    for m in at.markdown:
        if f"<h{level}>" in m.value:
            found += [h.text_content() for h in lxml.html.fromstring(m.value).iter(f"h{level}")]
    return found
