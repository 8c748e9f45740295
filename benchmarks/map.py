"""Map benchmark: HTML payload of the maps and the server time of a warm rerun.

    python -m benchmarks.map

Prints one line per case and, last, one JSON object. ``python -m benchmarks.display`` measures the
display geometry (no folium in geo); this script measures what the browser receives: the
folium map's HTML as st_folium sends it, and the server time of reruns measured with
Streamlit's AppTest (script run only; no browser).
"""
from __future__ import annotations

import json
import time

from streamlit.testing.v1 import AppTest

from components.map.view import Choropleth, build_map
from geo import datasets
from geo.config import REPO_ROOT
from geo.indicators import registry as indicators
from geo.regions import display
from geo.stats import classify


def map_html_bytes(level: str, parent: str | None, indicator: str = "posyandu") -> tuple[int, float]:
    """Bytes of HTML+JS of a choropleth map and the seconds to build and render it."""
    from streamlit_folium import _get_header, _get_html, _get_map_string
    joined = datasets.joined_posyandu()
    long = indicators.aggregate(joined, (level,))
    ind = indicators.get(indicator)
    layer = display.display_layer(level, parent)
    vals = indicators.values(long, indicator, level, indicators.REGISTRY_PERIOD, parent)
    vals = vals[["code", "value", "unstable"]]
    cls = classify.classify(vals["value"], ind)
    t0 = time.perf_counter()
    m = build_map(Choropleth(layer=layer, values=vals, indicator=ind, classification=cls,
                             colors=classify.colors_for(ind, len(cls.labels_id)))).whole()
    m.get_root().render()
    size = len(_get_map_string(m)) + len(_get_header(m)) + len(_get_html(m))
    return size, time.perf_counter() - t0


def rerun_seconds(page: str, params: dict, widget_label: str, values: list[str],
                  repeat: int = 4) -> dict:
    """Server time of the first run, and of warm reruns after changing a sidebar selectbox."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=600)
    for k, v in params.items():
        at.query_params[k] = v
    t0 = time.perf_counter()
    at.run()
    at.switch_page(page)
    at.run()
    first = time.perf_counter() - t0
    times = []
    for i in range(repeat):
        box = next(s for s in at.sidebar.selectbox if s.label == widget_label)
        t0 = time.perf_counter()
        box.select(values[(i + 1) % len(values)]).run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return {"first_s": round(first, 2), "warm_rerun_s": round(min(times), 3),
            "warm_rerun_max_s": round(max(times), 3)}


def main() -> dict:
    out: dict = {}
    for name, level, parent in (("indonesia_provinsi", "provinsi", None),
                                ("indonesia_kabupaten", "kabupaten", None),
                                ("62_kabupaten", "kabupaten", "62"),
                                ("62_kecamatan", "kecamatan", "62")):
        size, secs = map_html_bytes(level, parent)
        out[f"{name}_html_mb"] = round(size / 1e6, 2)
        out[f"{name}_build_s"] = round(secs, 3)
        print(f"{name}: HTML {size / 1e6:.2f} MB, build+render {secs:.2f} s", flush=True)
    for name, params in (("kader_indonesia", {}), ("kader_62", {"wilayah": "62"})):
        r = rerun_seconds("pages/kader.py", params, "Indikator",
                          ["kader_per_posyandu", "kader_per_1000_balita"])
        out.update({f"{name}_{k}": v for k, v in r.items()})
        print(f"{name}: first run {r['first_s']} s, warm rerun after changing the indicator "
              f"{r['warm_rerun_s']}–{r['warm_rerun_max_s']} s", flush=True)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
