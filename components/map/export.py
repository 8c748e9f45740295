"""'Unduh peta' (PNG 1920×1080, PDF A4) and 'Unduh paket rapat (PPTX)' under a map's
legend, in a panel drawn when opened (components.lazy). Pictures are made by geo.export /
geo.export.pack (the same renderer as ``python -m geo map`` and ``python -m geo pack``),
only when asked for: a map picture when its download button is clicked (deferred data),
the meeting pack after a click on "Siapkan"; both are kept per view, so a rerun renders
nothing."""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

import streamlit as st

from components import data, state
from components.i18n import t
from components.lazy import lazy_expander

_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()
_MAX = 12
EXPORT_OPEN = "pp-export-open"     # the download panel's expander
MIME = {"png": "image/png", "pdf": "application/pdf",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def _cached(key: tuple, make):
    """``make()`` once per key (a few recent views kept; safe from the download thread)."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = make()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _MAX:
            _CACHE.popitem(last=False)
    return value


def _slug(*parts: str) -> str:
    return "-".join(p.replace(" ", "").replace(".", "") for p in parts if p)


def _inputs() -> dict:
    """The cached tables the renderer reads, fetched in the script thread (a deferred
    download runs on another thread, outside Streamlit's caches)."""
    layers, z_info = data.hazard_layers()
    return dict(long=data.long_table(), posyandu_info=data.posyandu_info(),
                hazard_info=z_info, hazard_zones=layers.zones, hazard_layers=layers)


def _dv() -> str:
    """The store's data versions of this rerun (every kind): part of every picture's key,
    so an import in any process reaches the next download."""
    return data.data_version()


def map_bytes(inputs: dict, indicator: str, region: str, level: str, period: str, lang: str,
              method: str, fmt: str, labels: bool = True, change_from: str | None = None,
              split_from: str | None = None) -> bytes:
    """The exported map of a view (geo.export), cached per view and day; ``change_from``:
    the change map from that period (geo.export.changemap)."""
    from geo.export import map_data, render
    from geo.export.changemap import change_map_data
    from geo.export.splitmap import render_split
    key = ("map", indicator, region, level, period, lang, method, fmt, labels, dt.date.today(),
           inputs["posyandu_info"], inputs["hazard_info"], change_from, split_from,
           inputs.get("dv"))

    def make():
        if split_from:      # both periods side by side, one legend (geo.export.splitmap)
            pair = [map_data(inputs["long"], indicator, region, period=p, level=level,
                             lang=lang, method=method, posyandu_info=inputs["posyandu_info"],
                             hazard_info=inputs["hazard_info"],
                             hazard_zones=inputs["hazard_zones"],
                             hazard_layers=inputs["hazard_layers"]) for p in (split_from, period)]
            return render_split(*pair, fmt=fmt, method=method)[0]
        if change_from:
            md = change_map_data(inputs["long"], indicator, period, change_from, region, level,
                                 lang)
        else:
            md = map_data(inputs["long"], indicator, region, period=period or None,
                          level=level, lang=lang, method=method,
                          posyandu_info=inputs["posyandu_info"],
                          hazard_info=inputs["hazard_info"],
                          hazard_zones=inputs["hazard_zones"],
                          hazard_layers=inputs["hazard_layers"])
        return render(md, fmt, labels=labels)[0]
    return _cached(key, make)


def pack_bytes(inputs: dict, region: str, lang: str) -> bytes:
    """The meeting pack of a region (geo.export.pack), cached per region, language and day."""
    from geo.export.pack import build_pack
    key = ("pack", region, lang, dt.date.today(), inputs["posyandu_info"], inputs["hazard_info"],
           inputs.get("dv"))
    args = {k: v for k, v in inputs.items() if k != "dv"}
    return _cached(key, lambda: build_pack(region, lang=lang, **args)[0])


def export_buttons(view: state.View, indicator: str, level: str, period: str,
                   change_from: str | None = None, split_from: str | None = None) -> None:
    """Download buttons of the map shown (PNG, PDF) and of the region's meeting pack, in a
    panel drawn when opened (and kept open from view to view once opened)."""
    if view.projector:
        return
    box = lazy_expander(t("download_panel"), EXPORT_OPEN)
    if box is None:
        return
    with box:
        _buttons(view, indicator, level, period, change_from, split_from)


def _buttons(view: state.View, indicator: str, level: str, period: str,
             change_from: str | None, split_from: str | None) -> None:
    region = view.region or ""
    name = _slug("peta", indicator, region or "indonesia",
                 f"{change_from}-{period}" if change_from else
                 f"{split_from}-dan-{period}" if split_from else period)
    inputs = {**_inputs(), "dv": _dv()}
    c1, c2 = st.columns(2)
    for col, fmt in ((c1, "png"), (c2, "pdf")):
        def make(fmt=fmt):
            return map_bytes(inputs, indicator, region, level, period, view.lang,
                             view.classifier, fmt, change_from=change_from,
                             split_from=split_from)
        col.download_button(t(f"download_map_{fmt}"), make, file_name=f"{name}.{fmt}",
                            mime=MIME[fmt], on_click="ignore", key=f"dl-map-{fmt}",
                            help=t("download_map_help"))
    ready_key = f"_pack_ready_{region}_{view.lang}"
    if not st.session_state.get(ready_key):
        if st.button(t("prepare_pack"), key="prepare-pack", help=t("pack_help")):
            with st.spinner(t("pack_building")):
                pack_bytes(inputs, region, view.lang)
            st.session_state[ready_key] = True
    if st.session_state.get(ready_key):
        st.download_button(t("download_pack"), lambda: pack_bytes(inputs, region, view.lang),
                           file_name=_slug("paket-rapat", region or "indonesia") + ".pptx",
                           mime=MIME["pptx"], on_click="ignore", key="dl-pack",
                           help=t("pack_help"))
