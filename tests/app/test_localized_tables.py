"""Tables read as people write numbers (issue 24): Indonesian decimal comma and thousands dot
in the Indonesian UI, "–" for a missing value (never None, nan or <NA>), integer columns
without decimals, codes and years without a thousands dot."""
from __future__ import annotations

import pandas as pd
from test_pages import _navigation_mode, _sample_data  # noqa: F401 (fixtures)

from components.tables import localized


def _shown(df: pd.DataFrame, lang: str) -> list[list[str]]:
    ctx = localized(df, lang)._translate(False, False)
    return [[c["display_value"] for c in row[1:]] for row in ctx["body"]]


def test_indonesian_and_english_numbers_and_missing_values():
    df = pd.DataFrame({
        "Kode": ["62", "94"], "Nama": ["Kalimantan Tengah", None],
        "Peringkat": pd.array([8, pd.NA], dtype="Int64"),
        "Prevalensi (%)": [27.9, float("nan")], "Posyandu": [1192, 3],
        "Tahun": [2024, 2023], "Catatan": ["", None]})
    assert _shown(df, "id") == [["62", "Kalimantan Tengah", "8", "27,9", "1.192", "2024", ""],
                                ["94", "–", "–", "–", "3", "2023", "–"]]
    assert _shown(df, "en")[0] == ["62", "Kalimantan Tengah", "8", "27.9", "1,192", "2024", ""]


def _display_values(at, column: str) -> pd.DataFrame:
    """What the browser draws of the st.dataframe holding ``column``: the Styler's display
    values sent with it (the grid's accessible DOM copy carries the raw numbers)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
    (el,) = [d for d in at.dataframe if column in d.value.columns]
    return convert_arrow_bytes_to_pandas_df(el.proto.arrow_data.styler.display_values)


def test_peringkat_table_draws_indonesian_decimals_and_dashes():
    from test_pages import open_page  # noqa: PLC0415
    at = open_page("pages/peringkat.py", indikator="stunting", survei="SSGI 2024",
                   banding="SKI 2023")
    assert not at.exception
    shown = _display_values(at, "Peringkat").astype(str)
    cells = shown.to_numpy().ravel().tolist()
    assert not {"None", "nan", "NaN", "<NA>", "NaT"} & set(cells)
    value = shown["Prevalensi stunting (survei) (%)"]
    assert value.str.fullmatch(r"\d{1,2},\d|–").all(), value.tolist()
    assert (value == "–").any()              # provinces without a 2024 value: a dash
    assert shown["Peringkat"].str.fullmatch(r"\d+|–").all()
    at = open_page("pages/peringkat.py", indikator="stunting", survei="SSGI 2024",
                   banding="SKI 2023", lang="en")
    shown = _display_values(at, "Rank").astype(str)
    value = shown["Stunting prevalence (survey) (%)"]
    assert value.str.fullmatch(r"\d{1,2}\.\d|–").all(), value.tolist()
