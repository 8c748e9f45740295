"""A progress bar for a long import on Kelola Data (issue 25): rows done, rows per second
and time left while a large registry is read, checked and saved. The callback is the one
geo's importers call (geo.importers.progress); Streamlit draws each update as it comes
(the page stays responsive: the bar is replaced in place, at most a few times a second).
"""
from __future__ import annotations

import time

import streamlit as st

from components.i18n import fmt_number, lang, pick
from geo.importers.progress import Rate

STAGE = {"baca": ("Membaca berkas", "Reading the file"),
         "periksa": ("Memeriksa baris", "Checking rows"),
         "simpan": ("Menyimpan", "Saving")}
MIN_INTERVAL = 0.25      # seconds between two redraws


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return pick(("{s} detik", "{s} s"), s=seconds)
    return pick(("{m} menit {s} detik", "{m} min {s} s"), m=seconds // 60, s=seconds % 60)


def describe(rate: Rate) -> str:
    """'Memeriksa baris: 120.000 dari 303.416 baris · 25.000 baris/detik · sisa ±8 detik'."""
    language = lang()
    done = fmt_number(rate.done, 0, language)
    text = pick(STAGE.get(rate.stage, (rate.stage, rate.stage))) + ": " + (
        pick(("{d} dari {t} baris", "{d} of {t} rows"), d=done,
             t=fmt_number(rate.total, 0, language)) if rate.total
        else pick(("{d} baris", "{d} rows"), d=done))
    text += " · " + pick(("{r} baris/detik", "{r} rows/s"),
                         r=fmt_number(rate.per_second, 0, language))
    left = rate.seconds_left
    if left is not None:
        text += " · " + pick(("sisa ±{x}", "about {x} left"), x=_duration(left))
    return text


def progress_bar():
    """(callback, close): the callback draws st.progress with the text of ``describe``."""
    bar = st.progress(0.0, text=pick(STAGE["baca"]) + " …")
    rate = Rate()
    last = [0.0]

    def update(stage: str, done: int, total: int | None) -> None:
        rate.update(stage, done, total)
        now = time.perf_counter()
        if now - last[0] < MIN_INTERVAL and not (total and done >= total):
            return
        last[0] = now
        bar.progress(rate.fraction or 0.0, text=describe(rate))

    def close() -> None:
        bar.empty()

    return update, close
