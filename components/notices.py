"""Plain notices about which data a page shows (samples are always said to be samples).

One compact line under the page title — "DATA SAMPEL — Posyandu buatan …; zona bahaya
buatan …. Data yang ditampilkan: …. Unggah data Anda di halaman Kelola Data." — one
element, so that at 1366×768 the map starts on the first screen and the browser draws
one paragraph instead of a warning box and a caption (issue 29)."""
from __future__ import annotations

import html

import streamlit as st

from components import data
from components.i18n import lang, t

NOTICE_CLASS = "pp-notice"
INTRO_CLASS = "pp-intro"      # the grey line under a heading (st.caption's look; its
#                               colour, dark enough to read, is components.a11y's)

CSS = f"""
.{INTRO_CLASS} {{ font-size: .875rem; margin: 0 0 .5rem 0; }}
.{NOTICE_CLASS} {{ font-size: .9rem; line-height: 1.4; margin: 0 0 .55rem 0;
  padding: .3rem .6rem; border-left: 4px solid #b45309; background: #fff7e8;
  color: #111820; overflow-wrap: anywhere; }}
.{NOTICE_CLASS}.pp-real {{ border-left-color: #0b6e4f; background: #f1f5f3; }}
.{NOTICE_CLASS} strong {{ color: #7a3400; letter-spacing: .02em; }}
"""


def notice_text(posyandu, hazards=None, language: str = "id") -> tuple[str, bool]:
    """(the line as HTML, whether it names sample data) for the Posyandu dataset and, on
    pages that show hazards, the hazard dataset (geo.datasets.DatasetInfo). Dataset names
    come from files: escaped."""
    samples, shown = [], [posyandu.short_label(language)]
    if posyandu.sample:
        samples.append(t("notice_sample_posyandu"))
    if hazards is not None:
        if hazards.sample:
            samples.append(t("notice_sample_hazard"))
        else:
            shown.append(hazards.short_label(language))
    line = html.escape(t("dataset_shown", label="; ".join(shown)))
    if samples:
        line = (f"<strong>{html.escape(t('notice_sample'))}</strong> — "
                f"{html.escape('; '.join(samples))}. {line} {html.escape(t('notice_upload'))}")
    return line, bool(samples)


def dataset_notice(hazards: bool = False) -> None:
    """The page's one notice line: sample warnings and the datasets shown."""
    line, sample = notice_text(data.posyandu_info(),
                               data.hazard_zones()[1] if hazards else None, lang())
    kind = "" if sample else " pp-real"
    st.markdown(f"<p class='{NOTICE_CLASS}{kind}' role='note'>{line}</p>", unsafe_allow_html=True)


def page_header(title_key: str, intro_key: str | None = None, projector: bool = False) -> None:
    """The page's title and its one-line introduction: one element (issue 29)."""
    if projector:
        return
    st.markdown(heading_html(1, t(title_key), t(intro_key) if intro_key else ""),
                unsafe_allow_html=True)


def heading_html(level: int, title: str, intro: str = "") -> str:
    """A heading and the small grey line under it (what st.title/st.header and st.caption
    draw as two elements), as one block of HTML; the texts are escaped."""
    line = f"<p class='{INTRO_CLASS}'>{html.escape(intro)}</p>" if intro else ""
    return f"<h{level}>{html.escape(title)}</h{level}>{line}"
