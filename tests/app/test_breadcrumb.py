"""components.map.breadcrumb on the real code list: the trail of a region, links that change
only ``wilayah``, names escaped."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

from components import data
from components.map import breadcrumb


def test_trail_goes_from_indonesia_down():
    assert breadcrumb.trail("") == [""]
    assert breadcrumb.trail("62.03.01") == ["", "62", "62.03", "62.03.01"]


def test_links_keep_other_parameters_and_change_the_region():
    params = {"wilayah": "62.03", "indikator": "stunting", "lang": "en", "survei": "SSGI 2022"}
    up = parse_qs(breadcrumb.href("62", params)[1:])
    assert up == {"wilayah": ["62"], "indikator": ["stunting"], "lang": ["en"],
                  "survei": ["SSGI 2022"]}
    top = parse_qs(breadcrumb.href("", params)[1:])
    assert "wilayah" not in top and top["lang"] == ["en"]
    assert breadcrumb.href("", {"wilayah": "62"}) == "?"


def test_breadcrumb_of_a_regency_names_every_level_and_links_all_but_the_last():
    out = breadcrumb.breadcrumb_html("62.03", {"wilayah": "62.03", "lang": "id"})
    names = [data.region_name(c) for c in ("62", "62.03")]
    text = re.sub(r"<[^>]+>", "", out)
    assert text == " › ".join(["Indonesia", *map(html.escape, names)]).replace(" › ", "›")
    links = re.findall(r"<a href='([^']*)'", out)
    assert [html.unescape(h) for h in links] == ["?lang=id", "?wilayah=62&lang=id"]
    assert "aria-current='page'" in out


def test_region_names_are_escaped(monkeypatch):
    monkeypatch.setattr(data, "region_name", lambda code: "<script>alert(1)</script> & 'x'")
    out = breadcrumb.breadcrumb_html("62", {"x": "\"><script>"})
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;x&#x27;" in out
