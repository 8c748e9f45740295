"""The lean first view in AppTest (issue 29): one key-figure element instead of st.metric
cards, one notice line, the region table drawn when opened, the map's scripts as one
bundle."""
from __future__ import annotations

import re

from test_pages import _navigation_mode, _sample_data, component_args, open_page  # noqa: F401

from components.lazy import wanted_key
from components.map.choropleth import TABLE_OPEN
from tests.helpers import key_figures


def _tables(at) -> list[str]:
    return [m.value for m in at.markdown if "class='pp-table'" in m.value]


def test_ringkasan_draws_its_figures_and_notice_as_one_element_each():
    at = open_page(wilayah="62")
    assert not at.exception
    assert len(at.metric) == 0
    assert sum("pp-kfs" in m.value for m in at.markdown) == 1
    assert len(key_figures(at)) == 8
    notices = [m.value for m in at.markdown if "pp-notice" in m.value]
    assert len(notices) == 1 and "DATA SAMPEL" in notices[0]
    assert len(at.warning) == 0          # no separate sample warning box
    # the map loads one script and one stylesheet: the bundle
    (args,) = component_args(at)
    assert len(args["js_links"]) == 1 and "/_bundle/peta-map-" in args["js_links"][0]
    assert len(args["css_links"]) == 1 and "/_bundle/peta-map-" in args["css_links"][0]


def test_region_table_is_drawn_when_opened_and_stays_open():
    from geo.regions import boundaries
    at = open_page(wilayah="62")
    assert not _tables(at) and not at.dataframe       # closed: nothing drawn
    (box,) = [e for e in at.expander if e.label.startswith("Tabel nilai")]
    kabupaten = len(boundaries.children("62"))
    assert box.label.startswith(f"Tabel nilai {kabupaten} wilayah")
    at.session_state[wanted_key(TABLE_OPEN)] = True      # as after a click on it
    at.run()
    assert not at.exception
    (table,) = _tables(at)
    assert table.count("<tr>") == kabupaten + 1               # header + one row per region
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
    assert not {"None", "nan", "NaN", "<NA>"} & set(cells)
    assert set(boundaries.children("62")["code"].astype(str)) <= set(cells)
    labels = [b.label for b in at.get("download_button")]
    assert "Unduh CSV" in labels and "Unduh XLSX" in labels
    at.switch_page("pages/kader.py").run()                    # another page: still open
    assert not at.exception
    (table,) = _tables(at)
    cells = re.findall(r"<td class='num'>([^<]*)</td>", table)
    assert any(re.fullmatch(r"\d+,\d+", c) for c in cells), cells     # decimal comma
