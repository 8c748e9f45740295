"""What a map needs besides its values, prepared once per server process.

* Geometry and Posyandu files (geo.regions.mapfiles) in ``static/geo`` (git-ignored), served by
  Streamlit at ``/app/static/geo/...``: a browser downloads each once.
* Posyandu counts per region (the national and province maps show proportional circles).
* :func:`start_warm_up`: a background thread, started when the server process starts
  (``python -m components.serve``) or at the latest by the first script run, that builds
  every cache a first visitor would otherwise wait for.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from components import data
from components.map import offline
from geo.codes import PARTS
from geo.regions import mapfiles

_LOG = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
GEO_DIR = STATIC_DIR / "geo"
# Up to this level the map shows Posyandu as proportional circles per region; below it,
# as clustered points (one file per kabupaten).
SYMBOL_LEVELS = ("provinsi", "kabupaten")


def static_url(rel: str) -> str:
    """URL of a file below static/geo (under server.baseUrlPath when one is set)."""
    base = offline._default_base().rsplit("/vendor", 1)[0]   # /app/static
    return f"{base}/geo/{rel}"


@st.cache_resource(max_entries=1024, show_spinner=False)
def geometry_url(level: str, parent: str) -> str:
    return static_url(mapfiles.geometry_file(GEO_DIR, level, parent or None))


def _registry_key() -> str:
    info = data.posyandu_info()
    return f"{info.path}|{info.rows}|{info.date}|{mapfiles.layer_key('kecamatan')}"


@st.cache_resource(max_entries=16, show_spinner=False)
def _counts(dv: str, level: str, offline_only: bool) -> pd.Series:
    return mapfiles.counts(data.joined(), level, offline_only)


def symbols(level: str, parent: str, offline_only: bool = False) -> dict[str, int]:
    """Posyandu per region of ``level`` under ``parent`` (code -> count)."""
    c = _counts(data.data_version("posyandu", "batas"), level, offline_only)
    if parent:
        c = c.loc[c.index.str.startswith(parent + ".")]
    return {str(k): int(v) for k, v in c.items() if v}


@st.cache_resource(max_entries=8, show_spinner=False)
def _points_files(key: str) -> dict[str, str]:
    return mapfiles.points_files(GEO_DIR, data.joined(), key, data.names())


def points_urls(region: str) -> list[str]:
    """Points files to draw under ``region`` (a kabupaten or below)."""
    kab = ".".join(region.split(".")[:PARTS["kabupaten"]])
    rel = _points_files(_registry_key()).get(kab)
    return [static_url(rel)] if rel else []


def posyandu_layer(region: str, offline_only: bool = False) -> dict:
    """build_map arguments that draw the Posyandu of the map of ``region``."""
    level = data.map_level(region)
    if level in SYMBOL_LEVELS:
        return {"symbols": symbols(level, region, offline_only)}
    return {"points_urls": points_urls(region), "points_prefix": region,
            "offline_only": offline_only}
