"""Small builders shared by test modules (``from tests.helpers import ...``)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

# Importer report levels
D, R, W = "diperbaiki", "ditolak", "peringatan"


def points(lon, lat, kode=None) -> gpd.GeoDataFrame:
    """Posyandu points with ids T0, T1, … and an optional declared ``kode_desa``."""
    df = pd.DataFrame({"id": [f"T{i}" for i in range(len(lon))], "lon": lon, "lat": lat,
                       "kode_desa": kode if kode is not None else [None] * len(lon)})
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")


def desa_layer(codes: list[str], boxes: list[tuple[float, float, float, float]]
               ) -> gpd.GeoDataFrame:
    """A village layer of boxes (minx, miny, maxx, maxy), one MultiPolygon per code."""
    geoms = [shapely.MultiPolygon([shapely.box(*b)]) for b in boxes]
    return gpd.GeoDataFrame({"code": codes, "level": "desa"}, geometry=geoms, crs="EPSG:4326")


def problems(result) -> list[tuple]:
    """(row, column, value, message, level) of every finding of an import result."""
    p = result.report.problems
    return list(zip(p["baris"], p["kolom"], p["nilai"], p["pesan"], p["tingkat"]))
