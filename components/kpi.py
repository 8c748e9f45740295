"""KPI cards: a row of st.metric for the selected region."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.mobile import kpi_container


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    help: str | None = None
    delta: str | None = None


def show_kpis(kpis: list[Kpi], columns: int = 4) -> None:
    """Rows of ``columns`` cards (two per row on narrow screens, components.mobile)."""
    with kpi_container():
        for start in range(0, len(kpis), columns):
            cols = st.columns(columns)
            for col, k in zip(cols, kpis[start:start + columns]):
                col.metric(k.label, k.value, delta=k.delta, help=k.help, delta_color="off")
