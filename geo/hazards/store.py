"""The hazard layers in use: the user's (workspace) or the SAMPLE ones, and saving imports.

Workspace kinds: ``bahaya`` (polygon zones, GeoParquet) and ``bahaya_raster`` (a table of
rasters plus their class GeoTIFFs). A save replaces only the hazard types of the new file:
importing a flood map keeps the fire raster and the landslide zones already saved.

When the user has saved no hazard data, the sample is used: generated flood and landslide
zones plus a generated karhutla index raster, all marked DATA SAMPEL.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import workspace
from geo.hazards.exposure import HazardLayers
from geo.store import get_store

RASTER_COLUMNS = ["jenis", "file", "sumber", "sampel", "breaks"]


def user_layers() -> tuple[HazardLayers, dict] | None:
    """The user's hazard layers and a description, or None when none were saved."""
    from geo.hazards.raster import read_raster
    zones_v = get_store().current("bahaya")
    raster_v = workspace.current("bahaya_raster")
    if zones_v is None and raster_v is None:
        return None
    zones = zones_v.load() if zones_v is not None else empty_zones()
    rasters = []
    if raster_v is not None:
        for row in raster_v.load().itertuples():
            r = read_raster(raster_v.path / row.file, row.jenis, source_name=row.sumber,
                            sample=bool(row.sampel))
            rasters.append(r)
    versions = [v for v in (zones_v, raster_v) if v is not None]
    meta = {"name": ", ".join(v.name for v in versions),
            "date": max(str(v.imported_at)[:16].replace("T", " ") for v in versions),
            "rows": int(len(zones) + len(rasters)),
            "path": "|".join(str(v.path) for v in versions)}
    return HazardLayers(zones, rasters), meta


def sample_layers(scope: str, seed: int) -> HazardLayers:
    from geo.hazards.zones import sample_hazard_zones, sample_index_raster
    return HazardLayers(sample_hazard_zones(scope, seed), [sample_index_raster(scope, seed)])


def empty_zones() -> gpd.GeoDataFrame:
    from geo.hazards.importer import _empty
    return _empty().drop(columns=["baris"])


def save_zones(zones: gpd.GeoDataFrame, *, name: str, source: str = "", report=None,
               **store_args):
    """Save polygon zones through the store in use (files or PostGIS); zones of other
    types already saved are kept."""
    new_types = set(zones["jenis"].astype(str))
    store = get_store()
    current = store.current("bahaya")
    data = zones.drop(columns=["baris"], errors="ignore")
    if current is not None:
        old = current.load()
        old = old.loc[~old["jenis"].astype(str).isin(new_types)]
        if len(old):
            data = pd.concat([old, data], ignore_index=True)
    data = gpd.GeoDataFrame(data, geometry="geometry", crs=zones.crs)
    return store.save("bahaya", data, name=name, source=source, report=report, **store_args)


def save_raster(raster, *, name: str, source: str = "", report=None, **_store_args):
    """Save a hazard raster (as its class GeoTIFF); rasters of other types are kept.
    Rasters live in the workspace folder of this machine (also with a database store)."""
    from geo.hazards.raster import write_class_raster
    current = workspace.current("bahaya_raster")
    rows, files = [], {}
    if current is not None:
        for row in current.load().itertuples():
            if row.jenis != raster.jenis:
                rows.append({c: getattr(row, c) for c in RASTER_COLUMNS})
                files[row.file] = current.path / row.file
    fname = f"{raster.jenis}.tif"
    with tempfile.TemporaryDirectory(prefix="peta-raster-") as tmp:
        files[fname] = write_class_raster(raster, Path(tmp) / fname)
        rows.append({"jenis": raster.jenis, "file": fname, "sumber": raster.sumber,
                     "sampel": bool(raster.sampel),
                     "breaks": ",".join(f"{b:g}" for b in raster.breaks) if raster.breaks else ""})
        return workspace.save("bahaya_raster", pd.DataFrame(rows, columns=RASTER_COLUMNS),
                              name=name, source=source, report=report, files=files)


def save_import(result, *, name: str, source: str = "", **store_args):
    """Save the result of geo.hazards.importer.import_hazards (polygons or a raster);
    ``store_args`` (user, base_version, source_sha256) go to the store's save."""
    if getattr(result, "raster", None) is not None:
        return save_raster(result.raster, name=name, source=source, report=result.report)
    return save_zones(result.data, name=name, source=source, report=result.report,
                      **store_args)
