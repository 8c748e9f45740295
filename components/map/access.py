"""The map for keyboard and screen-reader users (WCAG 2.2 AA), configured here and drawn
by the accessibility part of static/vendor/_project/peta-map.js:

* the map's frame is a document of its own: it gets the page's language, a title, a main
  landmark with a (visually hidden) heading and the map's one-sentence summary;
* every region is a focusable element in reading order (north to south, west to east),
  its accessible name "Kabupaten Kapuas: Prevalensi stunting (survei) 21,7 %, peringkat 5
  dari 14"; Enter opens it (the drill-down a click on «Buka wilayah ini» makes), Escape
  goes one level up (the breadcrumb's parent), the focused region is outlined and shows
  its tooltip;
* a searchable list of the map's regions beside it (a phone's national map is too small
  to tap a province; a keyboard user may prefer typing a name): choosing one opens it;
* the one-sentence summary (highest and lowest region, how many without data; the facts
  from geo.stats.summary) is also written above the map in the page.

Every text here is plain text: the script sets it with setAttribute/textContent, never
as HTML.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data, state
from components.i18n import fmt_number, pick, t
from geo.codes import LABEL
from geo.stats import summary as geo_summary

TEXT = {
    "summary": ("Peta ini menunjukkan {indicator} di {n} {level}: tertinggi {hi}, "
                "terendah {lo}{missing}.",
                "This map shows {indicator} for {n} {level}: highest {hi}, lowest {lo}{missing}."),
    "summary_none": ("Peta ini menunjukkan {indicator} di {n} {level}; belum ada data untuk "
                     "semuanya.",
                     "This map shows {indicator} for {n} {level}; none of them has data yet."),
    "missing": ("; {m} tanpa data", "; {m} without data"),
    "keys": ("Tombol Tab menuju wilayah berikutnya, Enter membuka wilayah, Escape kembali "
             "satu tingkat.",
             "Tab moves to the next region, Enter opens it, Escape goes one level up."),
    "keys_leaf": ("Tombol Tab menuju wilayah berikutnya, Escape kembali satu tingkat.",
                  "Tab moves to the next region, Escape goes one level up."),
    "map": ("Peta", "Map"),
    "jump": ("Cari dan buka wilayah", "Find and open a region"),
    "jump_placeholder": ("Ketik nama wilayah…", "Type a region's name…"),
}
JUMP_KEY = "_pp_jump"


def _value_text(value, ch) -> str:
    return f"{fmt_number(value, ch.indicator.decimals, ch.lang)} {ch.indicator.unit(ch.lang)}"


def region_labels(ch) -> dict[str, str]:
    """Accessible name of each region: "name: indicator value unit, rank k of n" (plain
    text; "Tidak ada data" when it has no value)."""
    v = ch.values.set_index("code")
    # each column once as a dict (a column looked up per region cost ~4 ms a view)
    values, ranks, ofs = ({} if c not in v else v[c].to_dict() for c in ("value", "rank", "of"))
    label = ch.indicator.label(ch.lang)
    out = {}
    for code, name in zip(ch.layer["code"], ch.layer["name"]):
        value = values.get(code)
        text = f"{name}: {label} "
        if value is None or pd.isna(value):
            out[code] = text + t("no_data").lower()
            continue
        text += _value_text(value, ch)
        rank, of = ranks.get(code), ofs.get(code)
        if rank is not None and of is not None and pd.notna(rank) and pd.notna(of):
            text += ", " + t("rank_k_of_n", k=int(rank), n=int(of))
        out[code] = text
    return out


def summary_text(ch, level: str) -> str:
    """One sentence: how many regions, the highest and the lowest, how many without data."""
    codes = list(ch.layer["code"])
    values = ch.layer["code"].map(ch.values.set_index("code")["value"])
    s = geo_summary.summarise(codes, values.tolist())
    names = dict(zip(ch.layer["code"], ch.layer["name"]))
    indicator = ch.indicator.label(ch.lang).lower() if ch.lang == "en" else \
        ch.indicator.label(ch.lang)
    level_text = LABEL[ch.lang][level].lower()
    if s.highest is None:
        return pick(TEXT["summary_none"], indicator=indicator, n=s.n, level=level_text)

    def named(pair):
        return f"{names.get(pair[0], pair[0])} ({_value_text(pair[1], ch)})"

    missing = pick(TEXT["missing"], m=s.n_missing) if s.n_missing else ""
    return pick(TEXT["summary"], indicator=indicator, n=s.n, level=level_text,
                hi=named(s.highest), lo=named(s.lowest), missing=missing)


def parent_of(region: str) -> str | None:
    """The region one level up ("" = Indonesia), None at Indonesia."""
    if not region:
        return None
    return region.rsplit(".", 1)[0] if "." in region else ""


def config(ch, *, level: str, region: str, title: str, drill: bool) -> dict:
    """cfg.a11y of a view (components.map.view.build_map)."""
    up = parent_of(region)
    return {
        "lang": ch.lang,
        "title": f"{pick(TEXT['map'])}: {title}" if title else pick(TEXT["map"]),
        "summary": summary_text(ch, level),
        "keys": pick(TEXT["keys"] if drill else TEXT["keys_leaf"]),
        "labels": region_labels(ch),
        "up": up,
        "upName": (data.region_name(up) if up else t("indonesia")) if up is not None else None,
    }


def _jumped() -> None:
    code = st.session_state.get(JUMP_KEY) or ""
    st.session_state[JUMP_KEY] = None
    if code:
        state.set_value("region", code)


def jump_list(layer) -> None:
    """The searchable list of the regions drawn (st.selectbox filters as one types);
    choosing one opens it like the map's «Buka wilayah ini»."""
    names = dict(zip(layer["code"], layer["name"]))
    options = sorted(names, key=lambda c: str(names[c]))
    st.selectbox(pick(TEXT["jump"]), options, index=None, key=JUMP_KEY,
                 placeholder=pick(TEXT["jump_placeholder"]),
                 format_func=lambda c: str(names.get(c, c)), on_change=_jumped)
