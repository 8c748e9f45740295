"""KPI cards: a row of st.metric for the selected region."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    help: str | None = None
    delta: str | None = None


def show_kpis(kpis: list[Kpi], columns: int = 4) -> None:
    for start in range(0, len(kpis), columns):
        cols = st.columns(columns)
        for col, k in zip(cols, kpis[start:start + columns]):
            col.metric(k.label, k.value, delta=k.delta, help=k.help, delta_color="off")
