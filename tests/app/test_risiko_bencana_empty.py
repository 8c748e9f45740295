"""Risiko Bencana for regions with nothing to list (issue 30): a regency with no Posyandu
in the registry at all, and one whose Posyandu all lie outside every hazard zone, open in
both languages without an error and say there is nothing, in words."""
from __future__ import annotations

import numpy as np
import pytest
import streamlit as st
from test_pages import _navigation_mode, open_page  # noqa: F401

PAGE = "pages/risiko_bencana.py"
EMPTY = "62.71"       # no Posyandu of the test registry lies in Kota Palangka Raya


@pytest.fixture(scope="module", autouse=True)
def quiet_region(tmp_path_factory):
    """A workspace registry cut from the sample: Posyandu exposed to hazards in Kotawaringin
    Timur (62.02), none at all in 62.71, and in one other regency of province 62 only
    Posyandu outside every zone of every hazard type. Returns that regency's code."""
    from geo import datasets, workspace
    from geo.hazards.exposure import class_ranks
    mp = pytest.MonkeyPatch()
    mp.setenv("PETA_WORKSPACE_DIR", str(tmp_path_factory.mktemp("ws-empty")))
    registry, _ = datasets.posyandu()          # the sample (the workspace is empty)
    joined = datasets.joined_posyandu()
    layers, _ = datasets.hazard_layers()
    _, ranks = class_ranks(joined, layers)
    kab = joined["kode_agregasi"].astype(str).str[:5].to_numpy()
    none = ranks[:, -1] == 0
    quiet = next(k for k in sorted(set(kab[none])) if k.startswith("62.") and k not in (EMPTY, "62.02"))
    exposed = (kab == "62.02") & (ranks[:, -1] == 3)
    keep = np.flatnonzero(exposed | ((kab == quiet) & none))
    workspace.save("posyandu", registry.iloc[keep].reset_index(drop=True),
                   name="registri-uji.csv")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield quiet
    st.cache_resource.clear()
    st.cache_data.clear()
    mp.undo()


def _texts(at) -> str:
    return " ".join(e.value for e in (*at.info, *at.caption, *at.markdown, *at.warning))


SHARE = ("Posyandu di zona tinggi (%)", "Posyandu in high zones (%)")
HIGHEST = ("Kelas tertinggi (semua bahaya)", "Highest class (any hazard)")


def _hazard_tables(at) -> tuple[list, list]:
    """(kecamatan tables, exposed lists) on the page (the map's own table left aside)."""
    frames = [d.value for d in at.dataframe]
    return ([f for f in frames if any(c in f.columns for c in SHARE)],
            [f for f in frames if any(c in f.columns for c in HIGHEST)])


NONE_AT_ALL = {"id": "Tidak ada Posyandu terdaftar di wilayah ini",
               "en": "No Posyandu registered in this region"}
NONE_EXPOSED = {"id": "Tidak ada Posyandu di kelas bahaya yang dipilih di wilayah ini",
                "en": "No Posyandu in the chosen hazard classes in this region"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_region_without_posyandu(lang):
    at = open_page(PAGE, wilayah=EMPTY, **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    texts = _texts(at)
    assert NONE_AT_ALL[lang] in texts, texts
    assert NONE_EXPOSED[lang] in texts, texts
    assert _hazard_tables(at) == ([], [])     # no empty tables: the sentences say it
    if lang == "en":
        return    # AppTest formats widget options in Indonesian on a rerun (test_pages)
    # every class chosen, then none: still nothing, still no error
    for chosen in (["rendah", "sedang", "tinggi"], []):
        at.multiselect(key="exposed-classes").set_value(chosen).run()
        assert not at.exception, at.exception
        assert _hazard_tables(at) == ([], []) and NONE_EXPOSED[lang] in _texts(at)
    # another hazard type
    next(r for r in at.radio if r.key == "hazard_type").set_value("banjir").run()
    assert not at.exception, at.exception
    assert NONE_EXPOSED[lang] in _texts(at)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_region_with_posyandu_none_exposed(quiet_region, lang):
    at = open_page(PAGE, wilayah=quiet_region, **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    texts = _texts(at)
    assert NONE_EXPOSED[lang] in texts, texts
    assert NONE_AT_ALL[lang] not in texts
    (kec,), lists = _hazard_tables(at)         # the kecamatan table, no empty list
    assert lists == []
    if lang == "en":
        return
    assert len(kec) > 0                         # its kecamatan are listed, none exposed
    in_zones = [c for c in kec.columns if c.startswith("Posyandu ")
                and c.split()[-1] in ("rendah", "sedang", "tinggi", "low", "medium", "high")]
    assert len(in_zones) == 3 and kec[in_zones].to_numpy().sum() == 0
    at.multiselect(key="exposed-classes").set_value(["rendah", "sedang", "tinggi"]).run()
    assert not at.exception, at.exception
    assert len(_hazard_tables(at)[1]) == 0 and NONE_EXPOSED[lang] in _texts(at)


def test_exposed_region_still_lists():
    """Control: the exposed regency of the same registry lists its Posyandu in tinggi."""
    at = open_page(PAGE, wilayah="62.02")
    assert not at.exception, at.exception
    (kec,), (listed,) = _hazard_tables(at)
    assert len(kec) > 0 and len(listed) > 0
    assert "Tidak ada Posyandu" not in _texts(at)
