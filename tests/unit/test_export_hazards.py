"""Hazards told truthfully in the exports (issue 24), on real data (Kalimantan Tengah, 62)
and the current hazard layers (the sample: flood and landslide zones plus a karhutla
index raster): the meeting pack's hazard slide names every hazard type that contributes
to its count, with each type's count, and its map draws the zones of every one of those
types; an exported per-type map draws that type only and names the hazard data; every
slide carries speaker notes with its numbers and sources, and a DATA SAMPEL stamp when it
shows sample data."""
from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation

from geo import datasets
from geo.export import long_for, map_data
from geo.export.draw import HAZARD_HATCH
from geo.export.mapdata import counted_types, hazard_type_of
from geo.export.render import figure
from geo.export.text import num
from geo.hazards import types as ht

REGION = "62"


@pytest.fixture(scope="module")
def truth():
    """Per Posyandu of the region, its class per hazard type, straight from the hazard
    layers (not from the indicator table the pack reads)."""
    joined = datasets.joined_posyandu()
    codes = joined["kode_agregasi"].astype(str)
    joined = joined.loc[codes.str.startswith(REGION + ".")]
    classes = datasets.hazard_classes(joined)
    high = int((classes["hazard_max"] == "tinggi").sum())
    per_type = {c[len("hazard_"):]: int((classes[c] == "tinggi").sum())
                for c in classes.columns if c != "hazard_max"}
    return high, {t: n for t, n in per_type.items() if n}


@pytest.fixture(scope="module")
def pack():
    from geo.export.pack import build_pack
    payload, slides = build_pack(REGION)
    return Presentation(io.BytesIO(payload)), slides


def _slide(prs, slides, title: str):
    for slide, meta in zip(prs.slides, slides):
        if meta["title"].startswith(title):
            return slide, meta
    raise AssertionError(f"no slide {title}")


def test_hazard_slide_names_every_type_counted_and_draws_its_zones(pack, truth):
    prs, slides = pack
    high, per_type = truth
    assert len(per_type) >= 2, per_type        # the sample has flood, landslide and karhutla
    slide, meta = _slide(prs, slides, "Paparan bahaya")
    text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    notes = slide.notes_slide.notes_text_frame.text
    assert f"{num(high, 0)} Posyandu di zona bahaya tinggi" in text
    assert "banjir dan tanah longsor, kelas" not in text.lower()     # the old, partial claim
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    legend = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    for t, n in per_type.items():
        name = ht.label(t, "id")
        assert name.lower() in text.lower(), name           # named in the count's sentence
        assert f"{name} {num(n, 0)}" in text, (name, n)     # with its own count
        assert name in legend, name                         # in the picture's legend
        assert f"{name} {num(n, 0)}" in notes               # and in the speaker notes
    # the map draws the tinggi zones of every type it counts, and only of those
    data = meta["map_data"]
    assert set(meta["hazard_types"]) == set(per_type) == set(data.hazard_types)
    assert set(data.hazards["jenis"]) == set(per_type)
    assert set(data.hazards["kelas"]) == {"tinggi"}
    assert all(ht.label(t, "id") in meta["map"].legend for t in per_type)
    # … and the renderer really draws them: one hatched collection, a path per zone
    fig, _ = figure(data)
    hatched = [c for c in fig.axes[0].collections if c.get_hatch() == HAZARD_HATCH]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == len(data.hazards)
    # the source line names the hazard data
    assert "Bahaya sampel" in text and "Sumber" in text
    assert "Bahaya sampel" in notes


def test_every_slide_has_speaker_notes_with_numbers_and_sources(pack):
    prs, slides = pack
    for slide, meta in zip(prs.slides, slides):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.strip(), meta["title"]
        if meta["sources"]:
            assert "Sumber:" in notes, meta["title"]
            assert re.search(r"\d", notes.split("Sumber:")[0]), meta["title"]  # its numbers
        assert ("DATA SAMPEL" in notes) == meta["sample"], meta["title"]
        # a slide with sample data carries the stamp as a shape of its own
        stamps = [s for s in slide.shapes if s.has_text_frame
                  and s.text_frame.text.strip() == "DATA SAMPEL"]
        assert bool(stamps) == meta["sample"], meta["title"]
        for s in slide.shapes:        # body text >= 9 pt: >= 18 px when shown at 1920 px
            if s.has_text_frame:
                for p in s.text_frame.paragraphs:
                    for r in p.runs:
                        assert r.font.size is None or r.font.size.pt >= 9, meta["title"]


def test_exported_per_type_map_draws_that_type_and_names_the_hazard_data():
    """The PNG exported from Risiko Bencana (indicator bahaya_<type>_…): that type's zones,
    the hazard data in its sources, DATA SAMPEL for the sample hazards."""
    layers, info = datasets.hazard_layers()
    present = layers.types()
    assert hazard_type_of("bahaya_banjir_bandang_posyandu_tinggi") == "banjir_bandang"
    assert hazard_type_of("bahaya_semua_posyandu_tinggi") is None
    assert counted_types("bahaya_semua_tinggi_pct", present) == present
    assert counted_types("stunting", present) == []
    karhutla = "bahaya_karhutla_posyandu_tinggi"
    long = long_for([karhutla], ("kabupaten",), REGION)
    data = map_data(long, karhutla, REGION)
    assert data.hazard_types == ["karhutla"]
    assert set(data.hazards["jenis"]) == {"karhutla"} and len(data.hazards)
    assert any("Bahaya sampel" in s for s in data.sources)
    assert data.sample == info.sample is True
    every = map_data(long, "bahaya_semua_posyandu_sedang", REGION)
    assert set(every.hazards["jenis"]) == set(present)
    assert set(every.hazards["kelas"]) == {"sedang"}
