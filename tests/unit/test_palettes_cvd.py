"""Every map palette stays readable for colour-blind viewers and on a washed-out projector.

Requirement (issue 28): adjacent classes of a palette are at least
``classify.MIN_ADJACENT_DELTA_E`` = 10 apart in CAM02-UCS (colorspacious's ΔE; about 1
is a just noticeable difference, 10 is a clear step) under every condition below, and the
grey "Tidak ada data" class at least NO_DATA_MIN = 4 from every class (it also has its own
legend entry and its own row label; colour is never the only cue). Conditions: normal
vision, simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009 at severity
100, colorspacious "sRGB1+CVD"), each also after a 30 % blend towards white (a projector
in a lit room), i.e. 8 conditions.
"""
from __future__ import annotations

import numpy as np
import pytest

colorspacious = pytest.importorskip("colorspacious")

from components.views.spm import STRATA_COLORS  # noqa: E402
from geo.export.draw import HAZARD_COLORS  # noqa: E402
from geo.hazards import types as hazard_types  # noqa: E402
from geo.indicators import registry  # noqa: E402
from geo.stats import classify  # noqa: E402

CVD = (None, "deuteranomaly", "protanomaly", "tritanomaly")
WASH = (0.0, 0.3)
NO_DATA_MIN = 4.0


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)]) / 255.0


def seen(hex_color: str, cvd: str | None, wash: float) -> np.ndarray:
    """sRGB (0–1) of a colour as a viewer with ``cvd`` sees it after ``wash`` towards white."""
    c = _rgb(hex_color) * (1 - wash) + wash
    if cvd is None:
        return c
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(colorspacious.cspace_convert(c, space, "sRGB1"), 0, 1)


def delta_e(a: str, b: str, cvd: str | None, wash: float) -> float:
    return float(colorspacious.deltaE(seen(a, cvd, wash), seen(b, cvd, wash),
                                      input_space="sRGB1", uniform_space="CAM02-UCS"))


def worst_adjacent(colors: list[str]) -> tuple[float, str]:
    """Smallest ΔE between adjacent colours over all conditions, and where."""
    return min((delta_e(a, b, cvd, w), f"{a}|{b} {cvd or 'normal'} wash={w}")
               for a, b in zip(colors, colors[1:]) for cvd in CVD for w in WASH)


def _palettes() -> dict[str, list[str]]:
    """Every palette a map or an export draws: choropleth classes (each scheme, every k a
    map can have), the hazard classes of the ten types and of exports, the SPM strata."""
    out, seen_lists = {}, set()
    for ind in registry.INDICATORS.values():      # as maps draw them (reversed or not)
        for k in range(2, classify.MAX_CLASSES + 1):
            colors = classify.colors_for(ind, k)
            if tuple(colors) not in seen_lists:
                seen_lists.add(tuple(colors))
                out[f"{classify.scheme_for(ind)}-{k}-{ind.id}"] = colors
    for name, by_k in classify.SCHEMES.items():
        for k in range(3, classify.MAX_CLASSES + 1):
            out[f"{name}-{k}"] = by_k[k]
    for h in hazard_types.TYPES:
        out[f"hazard-{h.id}"] = list(h.ramp)
    out["hazard-export"] = [HAZARD_COLORS[k] for k in hazard_types.KELAS]
    out["strata"] = list(STRATA_COLORS.values())
    return out


PALETTES = _palettes()


def test_the_simulation_works():
    # red and green: far apart for normal vision, close for a deuteranope (the test can fail)
    assert delta_e("#d62728", "#2ca02c", None, 0) > 30
    assert delta_e("#d62728", "#2ca02c", "deuteranomaly", 0) < 15
    # the old 5-class YlOrRd of ColorBrewer fails the requirement
    old = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    assert worst_adjacent(old)[0] < classify.MIN_ADJACENT_DELTA_E


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_adjacent_classes_stay_apart(name):
    value, where = worst_adjacent(PALETTES[name])
    assert value >= classify.MIN_ADJACENT_DELTA_E, f"{name}: ΔE {value:.1f} at {where}"


@pytest.mark.parametrize("scheme", sorted(classify.SCHEMES))
@pytest.mark.parametrize("k", range(3, classify.MAX_CLASSES + 1))
def test_no_data_grey_differs_from_every_class(scheme, k):
    colors = classify.SCHEMES[scheme][k]
    value = min(delta_e(classify.NO_DATA_COLOR, c, cvd, w)
                for c in colors for cvd in CVD for w in WASH)
    assert value >= NO_DATA_MIN, f"{scheme}: no-data grey only {value:.1f} from a class"


def test_maps_never_draw_more_classes_than_can_be_told_apart():
    import pandas as pd
    values = pd.Series(np.arange(100, dtype=float))
    ind = registry.get("kader_per_posyandu")
    assert len(classify.classify(values, ind, k=9).bins) == classify.MAX_CLASSES
