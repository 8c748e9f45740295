"""Map pictures (PNG/PDF), the trend chart and the PPTX meeting pack on real data
(Kalimantan Tengah, 62): sizes, the screen map's class colours in the legend pixels, the
PDF renders, every slide has a title and says its sources, DATA SAMPEL exactly where
sample data are drawn, labels never overlap, the scale bar is metric and true."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geo import datasets
from geo.export import charts, latest_period, long_for, map_data, render
from geo.export.draw import local_crs, nice_km
from geo.export.mapdata import period_order
from geo.export.render import figure
from geo.indicators import published
from geo.indicators import registry as indicators
from geo.stats import classify as geo_classify
from geo.stats import ranking

REGION = "62"


def geo(*args, check=True):
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True,
                          text=True, check=check)


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))


@pytest.fixture(scope="module")
def published_long():
    return datasets.long_table()


def test_cli_png_is_1920x1080_with_the_screen_maps_legend_colours(tmp_path, published_long):
    out = tmp_path / "x.png"
    res = geo("map", "--indicator", "stunting", "--region", REGION, "--labels", "--out", str(out))
    meta = json.loads(res.stdout)
    image = Image.open(out).convert("RGB")
    assert image.size == (1920, 1080)
    # The screen map's classes and colours (components.map.choropleth.map_section).
    period = meta["periode"]
    vals = indicators.values(published_long, "stunting", "kabupaten", period, REGION)
    ind = indicators.get("stunting")
    cls = geo_classify.classify(vals["value"], ind, method="fisher_jenks")
    expected = geo_classify.colors_for(ind, len(cls.labels_id)) + [geo_classify.NO_DATA_COLOR]
    assert [e["warna"] for e in meta["legenda"]] == expected
    assert [e["label"].split(" (")[0] for e in meta["legenda"][:-1]] == cls.labels_id
    pixels = np.asarray(image)
    for entry in meta["legenda"]:
        x, y = entry["px"]
        assert tuple(pixels[y, x]) == hex_rgb(entry["warna"]), entry
    # Published values only: no sample mark.
    assert meta["data_sampel"] is False
    # The latest survey with kabupaten values in Kalimantan Tengah.
    assert period == "SSGI 2024"


def test_cli_pdf_opens_and_marks_sample_data(tmp_path):
    out = tmp_path / "kader.pdf"
    res = geo("map", "--indicator", "kader_per_posyandu", "--region", REGION, "--out", str(out))
    meta = json.loads(res.stdout)
    assert meta["data_sampel"] is True
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is missing")
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(out),
                    str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png")
    w, h = page.size
    assert abs(w / h - 297 / 210) < 0.01          # A4 landscape
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "DATA SAMPEL" in text and "Kader per Posyandu" in text


def test_cli_rejects_bad_input_in_indonesian(tmp_path, capsys):
    from geo.cli.main import main  # in-process: four interpreter starts cost more than the checks

    def run(*args):
        rc = main(list(args))
        return rc, capsys.readouterr().err
    rc, err = run("map", "--indicator", "stunting", "--region", "62", "--survey", "SSGI 2030",
                  "--out", str(tmp_path / "x.png"))
    assert rc == 2 and "SSGI 2030" in err and "SSGI 2024" in err
    rc, err = run("map", "--indicator", "stunting", "--region", "99", "--out",
                  str(tmp_path / "x.png"))
    assert rc == 2 and "tidak dikenal" in err
    rc, err = run("map", "--indicator", "stunting", "--out", str(tmp_path / "x.svg"))
    assert rc == 2 and ".png" in err
    rc, err = run("pack", "--region", "62", "--out", str(tmp_path / "x.pdf"))
    assert rc == 2 and ".pptx" in err
    assert not list(tmp_path.iterdir())


def test_sample_mark_only_when_sample_data_are_drawn(published_long):
    data = map_data(published_long, "stunting", REGION)
    assert not data.sample
    _, info = render(data, "png")
    assert not info.sample and not any("SAMPEL" in t for t in info.texts)
    registry = long_for(["posyandu_per_desa"], ("kabupaten",))
    data = map_data(registry, "posyandu_per_desa", REGION)
    assert data.sample == datasets.posyandu_info().sample is True
    _, info = render(data, "png")
    assert info.sample and "DATA SAMPEL" in info.texts


def test_labels_do_not_overlap_and_stay_inside_the_map(published_long):
    data = map_data(published_long, "stunting", "", level="provinsi")  # the national render
    fig, info = figure(data, labels=True)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    names = [t for t in ax.texts if t.get_text() not in ("U",)]
    boxes = [t.get_window_extent(renderer) for t in names]
    assert len(boxes) == len(info.labels) >= 15
    for i, a in enumerate(boxes):
        assert all(not a.overlaps(b) for b in boxes[i + 1:]), names[i].get_text()
    frame = ax.get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in boxes)
    assert info.layout == "below"   # Indonesia (~3:1) spans the width, legend below


def test_scale_bar_is_true_at_the_centre():
    from pyproj import Geod, Transformer
    bounds = (110.7, -3.6, 115.9, 0.8)   # Kalimantan Tengah
    proj = Transformer.from_crs("EPSG:4326", local_crs(bounds), always_xy=True)
    lat = (bounds[1] + bounds[3]) / 2
    (x0, x1), _ = proj.transform([112.0, 113.0], [lat, lat])
    _, _, metres = Geod(ellps="WGS84").inv(112.0, lat, 113.0, lat)
    assert abs((x1 - x0) / metres - 1) < 0.003
    assert [nice_km(v) for v in (0.7, 3, 180, 999)] == [0.5, 2, 100, 500]


def test_latest_period_per_level(published_long):
    assert period_order("SKI 2023") < period_order("SSGI 2024")
    assert period_order("reported 2024") < period_order("SSGI 2024")
    found = latest_period(published_long, "stunting", "kabupaten", REGION)
    rows = indicators.values(published_long, "stunting", "kabupaten", found, REGION)
    assert found == "SSGI 2024" and len(rows) == 7
    assert latest_period(published_long, "kader_per_posyandu", "kabupaten", REGION) == "Registri"


def test_trend_chart_series_targets_and_papua_caveat(published_long):
    png, meta = charts.trend_png(published_long, REGION)
    assert Image.open(io.BytesIO(png)).size[0] > 800
    own = pd.DataFrame(meta["lines"]["Kalimantan Tengah"])
    table = published.table()
    expect = table.loc[(table["code"] == REGION) & (table["indicator"] == "stunting")]
    assert own.set_index("period")["value"].to_dict() == \
        expect.set_index("period")["value"].to_dict()
    national = pd.DataFrame(meta["lines"]["Nasional"])
    assert list(national["year"]) == sorted(national["year"]) and len(national) >= 4
    assert meta["caveat"] is None
    assert charts.caveat("91") and "lama" in charts.caveat("91")
    assert charts.caveat("95") and charts.caveat("91.01")


def test_trend_svg_is_the_pack_chart_as_text_with_decimal_commas(published_long):
    """The dashboard's trend (components.views.trend) is this SVG: the same series as the
    pack's PNG, text kept as text (Indonesian decimal comma), the same bytes for the same
    data, a narrow variant for phones with the legend below the axes."""
    import xml.etree.ElementTree as ET

    code = "62.01"
    wide, meta = charts.trend_svg(published_long, code)
    narrow, meta_narrow = charts.trend_svg(published_long, code, narrow=True)
    _png, meta_png = charts.trend_png(published_long, code)
    assert meta == meta_narrow == meta_png
    assert set(meta["lines"]) == {"Nasional", "Kalimantan Tengah", "Kabupaten Kotawaringin Barat"}
    texts = {"".join(e.itertext()) for e in ET.fromstring(wide).iter("{http://www.w3.org/2000/svg}text")}
    assert "Nasional" in texts and "27,5" in texts and "Target 2024: 14 % (Perpres 72/2021)" in texts
    assert charts.trend_svg(published_long, code)[0] == wide          # deterministic
    width = lambda svg: float(ET.fromstring(svg).get("viewBox").split()[2])  # noqa: E731
    assert width(narrow) < width(wide)
    english, _ = charts.trend_svg(published_long, code, "en")
    assert "National" in english and "27.5" in english
    # a kecamatan has no survey value of its own: its kabupaten and the nation, no empty line
    _svg, kecamatan = charts.trend_svg(published_long, code + ".01")
    assert set(kecamatan["lines"]) == {"Nasional", "Kabupaten Kotawaringin Barat"}


def test_meeting_pack_opens_and_every_slide_has_title_and_sources(tmp_path):
    from pptx import Presentation

    from geo.export.pack import build_pack
    payload, slides = build_pack(REGION)
    prs = Presentation(io.BytesIO(payload))
    assert len(prs.slides) == len(slides) >= 7
    for slide, meta in zip(prs.slides, slides):
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip() == meta["title"]
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        if meta["sources"]:
            assert "Sumber:" in text
        assert ("DATA SAMPEL" in text) == meta["sample"], meta["title"]
    by_title = {m["title"].split(" — ")[0]: m for m in slides}
    assert not by_title["Stunting"]["sample"] and not by_title["Tren stunting 2021–2024"]["sample"]
    assert by_title["Kader"]["sample"] and by_title["Paparan bahaya"]["sample"]
    # The region's rank, counted over the provinces with a value in the latest survey.
    long = datasets.long_table()
    period = latest_period(long, "stunting", "provinsi")
    ranked = ranking.rank_frame(indicators.values(long, "stunting", "provinsi", period)
                                [["code", "value"]].reset_index(drop=True))
    k, n = ranking.position(ranked, REGION)
    stunting = next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Stunting"))
    text = " ".join(s.text_frame.text for s in stunting.shapes if s.has_text_frame)
    assert f"peringkat {k} dari {n} provinsi ({period}" in text
    (tmp_path / "pack.pptx").write_bytes(payload)
