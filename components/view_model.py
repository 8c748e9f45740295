"""The view model of the page shown (geo.views.ranked), cached per data version and view:
the map, its table, the key figure "peringkat k dari N" and Peringkat read this one object,
as the exported map, the meeting pack and ``python -m geo rank`` read the same model."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from geo.regions import boundaries as regions
from geo.views import ranked


def _universe(level: str, parent: str) -> pd.Series:
    """Codes of every region of ``level`` under ``parent`` (the Kemendagri list)."""
    codes = regions.code_list(level)["code"]
    return codes.loc[codes.str.startswith(parent + ".")] if parent else codes


def ranked_view(indicator: str, level: str, period: str, compare: str | None,
                region: str) -> ranked.RankedView:
    """The ranked view of ``indicator`` for the regions of ``level`` under ``region`` (a
    shared object: not to be modified)."""
    return _ranked_view(data.data_version(), indicator, level, period, compare or "",
                        region or "")


@st.cache_resource(max_entries=1024, show_spinner=False)
def _ranked_view(dv: str, indicator: str, level: str, period: str, compare: str,
                 region: str) -> ranked.RankedView:
    return ranked.build(lambda p: data.values(indicator, level, p, region or None), indicator,
                        level, period, compare or None, parent=region or None,
                        names=data.names(), universe=_universe(level, region))
