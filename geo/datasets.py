"""The datasets the dashboard and the CLI show: the user's imported data when there is
some (workspace, see geo.workspace), else the generated SAMPLE data — always labelled.

Each accessor returns the data and a DatasetInfo saying which dataset it is.
Derived results (the spatial join of the registry) are cached on disk keyed by the
hashes of the registry and of the boundary files.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import cache
from geo.config import data_dir
from geo.stats.intervals import CI_NOT_PUBLISHED

SAMPLE_SCOPE = "nasional"
SAMPLE_SEED = 0
JOIN_VERSION = "2"   # 2: the joined table is written in one row group
SAMPLE_POSYANDU = "Registri Posyandu sampel (nasional, seed 0)"
SAMPLE_HAZARDS = "Bahaya sampel (zona banjir, tanah longsor; raster indeks karhutla)"
SAMPLE_NAMES = {
    SAMPLE_POSYANDU: {"id": SAMPLE_POSYANDU, "en": "Sample Posyandu registry (national, seed 0)"},
    SAMPLE_HAZARDS: {"id": SAMPLE_HAZARDS,
                     "en": "Sample hazards (flood and landslide zones; forest-fire index raster)"},
}


@dataclass(frozen=True)
class DatasetInfo:
    kind: str
    name: str
    date: str
    rows: int
    sample: bool
    path: str

    def label(self, lang: str = "id") -> str:
        rows = f"{self.rows:,}".replace(",", "." if lang == "id" else ",")
        name = SAMPLE_NAMES.get(self.name, {}).get(lang, self.name) if self.sample else self.name
        if self.sample:
            return (f"{name} — DATA SAMPEL buatan, bukan data nyata ({rows} baris)"
                    if lang == "id" else
                    f"{name} — generated SAMPLE data, not real ({rows} rows)")
        return (f"{name} (diimpor {self.date}, {rows} baris)" if lang == "id"
                else f"{name} (imported {self.date}, {rows} rows)")

    def short_label(self, lang: str = "id") -> str:
        """The name and size without the sample sentence, for a line that already says
        DATA SAMPEL: "Registri Posyandu sampel (nasional, seed 0), 303.416 baris"."""
        if not self.sample:
            return self.label(lang)
        rows = f"{self.rows:,}".replace(",", "." if lang == "id" else ",")
        name = SAMPLE_NAMES.get(self.name, {}).get(lang, self.name)
        return f"{name}, {rows} " + ("baris" if lang == "id" else "rows")


def _from_workspace(kind: str, default_name: str):
    """(workspace Version, DatasetInfo) of the current version of ``kind``, or None. The
    info comes from the manifest; the data is read only by ``Version.load()``. The store is
    the workspace folder, or PostGIS when PETA_DATABASE_URL is set (geo.store)."""
    from geo.store import get_store
    version = get_store().current(kind)
    if version is None:
        return None
    meta = version.manifest
    return version, DatasetInfo(kind, meta.get("name", default_name),
                                str(meta.get("imported_at", ""))[:16].replace("T", " "),
                                version.rows, False, str(version.data_path))


def posyandu_info() -> DatasetInfo:
    """Which registry is current — the user's, else the national sample — without reading
    it (the sample is generated and cached first if it is not yet)."""
    found = _from_workspace("posyandu", "registri")
    if found is not None:
        return found[1]
    import pyarrow.parquet as pq

    from geo.sample.generate import _cache_path, sample_posyandu
    path = _cache_path(SAMPLE_SCOPE, SAMPLE_SEED)
    if not path.exists():
        sample_posyandu(SAMPLE_SCOPE, SAMPLE_SEED)
    return DatasetInfo("posyandu", SAMPLE_POSYANDU, "", pq.read_metadata(path).num_rows, True,
                       str(path))


def posyandu() -> tuple[gpd.GeoDataFrame, DatasetInfo]:
    """The user's registry, else the generated national sample."""
    found = _from_workspace("posyandu", "registri")
    if found is not None:
        return found[0].load(), found[1]
    from geo.sample.generate import sample_posyandu
    return sample_posyandu(SAMPLE_SCOPE, SAMPLE_SEED), posyandu_info()


def hazard_layers():
    """(geo.hazards.exposure.HazardLayers, DatasetInfo): the user's hazard zones and rasters (e.g.
    InaRISK/BPBD), else the generated sample (zones and a karhutla index raster)."""
    from geo.hazards.store import sample_layers, user_layers
    found = user_layers()
    if found is not None:
        layers, meta = found
        return layers, DatasetInfo("bahaya", meta["name"], meta["date"], meta["rows"],
                                   layers.sample, meta["path"])
    layers = sample_layers(SAMPLE_SCOPE, SAMPLE_SEED)
    return layers, DatasetInfo("bahaya", SAMPLE_HAZARDS, "",
                               int(len(layers.zones) + len(layers.rasters)), True, "")


def hazard_zones() -> tuple[gpd.GeoDataFrame, DatasetInfo]:
    """The polygon zones of the hazard layers in use (rasters left out)."""
    layers, info = hazard_layers()
    return layers.zones, info


def _join_key(info: DatasetInfo) -> str:
    """Key of the joined table: the boundary copies and the registry file are named by the
    keys of their own sources (a workspace version by its id), so their names suffice."""
    from geo.regions.boundaries import cache_file, has_level
    levels = ["kecamatan", "desa"] if has_level("desa") else ["kecamatan"]
    names = "|".join(cache_file(level).stem for level in levels)
    return cache.key_for([], extra=f"{JOIN_VERSION}|{names}|{info.path}|{info.rows}|{info.date}")


@functools.lru_cache(maxsize=2)
def _joined(key: str) -> gpd.GeoDataFrame:
    path = cache.path(f"joined-{key}.parquet")   # (the key carries JOIN_VERSION)
    if path.exists():
        return gpd.read_parquet(path)
    from geo.registry.join import join
    data, _ = posyandu()   # read only when the joined table is not cached yet
    joined = join(data)
    # read whole, never filtered: one row group reads ~3x faster than 4,096-row groups
    cache.write_parquet_atomic(joined, path, row_group_size=1 << 20)
    return joined


def joined_posyandu() -> gpd.GeoDataFrame:
    """The current registry joined to the boundaries (cached on disk)."""
    return _joined(_join_key(posyandu_info()))


def hazard_classes(joined: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Class of each Posyandu (index aligned) of ``joined`` — by default the current
    registry — per hazard type present and overall (geo.hazards.exposure.classify_posyandu), in
    the current hazard layers."""
    from geo.hazards.exposure import classify_posyandu
    if joined is None:
        joined = joined_posyandu()
    layers, _ = hazard_layers()
    return classify_posyandu(joined, layers.zones, layers.rasters)


def hazard_max(joined: gpd.GeoDataFrame | None = None) -> pd.Series:
    """Highest hazard class of each Posyandu over all hazard types."""
    return hazard_classes(joined)["hazard_max"]


INDICATOR_ALIASES = {"prevalensi stunting": "stunting", "stunting (%)": "stunting",
                     "desa blank spot": "desa_blankspot", "blank spot": "desa_blankspot",
                     "jumlah penduduk": "penduduk", "luas wilayah": "luas"}


def imported_indicators() -> tuple[pd.DataFrame, DatasetInfo | None]:
    """Indicator values imported by users (workspace), in the long shape of
    geo.indicators.registry, for the indicators the dashboard knows (others are kept in the
    workspace but not drawn). The period is the survey name, else the year."""
    from geo.indicators.registry import LONG_COLUMNS
    found = _from_workspace("indikator", "indikator")
    aggregates = _imported_aggregates()
    if found is None:
        return aggregates, None
    long = _long_from_import(found[0].load(), found[0].manifest)
    return pd.concat([long, aggregates], ignore_index=True)[LONG_COLUMNS], found[1]


def _imported_aggregates() -> pd.DataFrame:
    """Counts per region imported from aggregate tables (geo.importers.aggregates): values
    at their own level only, never spread to Posyandu points."""
    from geo.indicators.registry import LONG_COLUMNS
    found = _from_workspace("agregat", "tabel agregat")
    if found is None:
        return pd.DataFrame(columns=LONG_COLUMNS)
    return _long_from_import(found[0].load(), found[0].manifest)


def _long_from_import(data: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """An imported table (indicator or aggregate) in the long shape."""
    from geo.indicators.registry import INDICATORS, LONG_COLUMNS
    ind = data["indikator"].astype(str).str.strip()
    ind = ind.str.lower().map(lambda v: INDICATOR_ALIASES.get(v, v))
    survey = data["survei"].astype(object).where(data["survei"].notna(), None)
    year = data["tahun"].astype(object).where(data["tahun"].notna(), None)
    period = [str(s) if s not in (None, "") else (str(int(float(y))) if y not in (None, "") else "")
              for s, y in zip(survey, year)]
    long = pd.DataFrame({
        "indicator": ind, "code": data["code"].astype(str), "level": data["level"],
        "period": period, "value": pd.to_numeric(data["nilai"], errors="coerce"),
        "numerator": float("nan"), "denominator": float("nan"), "unstable": False,
        "source": data["sumber"].astype(object).where(data["sumber"].notna(),
                                                      meta.get("name", "impor")),
        "ci_low": float("nan"), "ci_high": float("nan"), "rse": float("nan")})
    # an imported value is a published figure: no interval unless one is given
    long["ci_note"] = [CI_NOT_PUBLISHED if i in INDICATORS and INDICATORS[i].unit_id == "%"
                       else None for i in long["indicator"]]
    long = long.loc[long["indicator"].isin(list(INDICATORS)) & long["value"].notna()
                    & (long["code"] != "00")]
    long.loc[long["period"] == "", "period"] = "impor"
    return long[LONG_COLUMNS].reset_index(drop=True)


def long_table(joined: pd.DataFrame | None = None, levels: tuple[str, ...] | None = None,
               hazard: pd.Series | pd.DataFrame | None = None, min_denominator: float | None = None
               ) -> pd.DataFrame:
    """Every indicator value the dashboard and the command line show, in the long shape of
    geo.indicators.registry: published values, replaced by the user's imported values of the same
    (indicator, code, period), the imported values, and — when ``joined`` is given — the
    registry indicators of ``levels`` (default all) aggregated from it."""
    from geo.indicators import registry as indicators
    imported, _ = imported_indicators()
    published = indicators.published_long()
    if len(imported):
        key = ["indicator", "code", "period"]
        published = published.merge(imported[key], on=key, how="left", indicator=True)
        published = published.loc[published.pop("_merge") == "left_only"]
    parts = [published, imported]
    if joined is not None:
        parts.append(indicators.aggregate(
            joined, levels or indicators.LEVELS, hazard,
            indicators.DEFAULT_MIN_DENOMINATOR if min_denominator is None else min_denominator))
    return concat_long([p for p in parts if len(p)] or parts[:1])


LONG_VERSION = "2"


def long_table_cached(versions: str, build) -> pd.DataFrame:
    """``build()`` (a long_table), kept on disk under a key of everything it is computed
    from: ``versions`` (the store's version of every workspace kind), the files of the data
    directory (published indicators, code lists, sample registry), and the source code of
    ``geo``. A server start reads it back (~0.7 s) instead of aggregating the registry to
    every level again (~4 s). The file is written by a background thread."""
    key = cache.key_for([], extra=f"{LONG_VERSION}|{versions}|{cache.code_key()}|"
                                  f"{cache.tree_stamp(data_dir())}")
    path = cache.path(f"long-{key}.parquet")
    if path.exists():
        try:
            return pd.read_parquet(path)
        except Exception:   # a damaged or partial cache file: rebuilt below
            pass
    table = build()

    def write() -> None:
        try:
            cache.write_table_atomic(table, path)
            cache.prune("long-*.parquet", keep=4)
        except OSError:     # a read-only or full cache folder: computed again next start
            pass
    # Not a daemon thread: a process that ends while the file is being written (a CLI
    # command, a test run, a server stopped) waits for it instead of tearing pyarrow down
    # under the writer (an abort or a segmentation fault at exit).
    threading.Thread(target=write, name="peta-long-cache").start()
    return table


def concat_long(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate long tables keeping compact dtypes: text columns as categoricals over the
    union of their values, numbers as float64, ``unstable`` as bool. (A plain concat of a
    categorical registry table with a small text table gives object columns: millions of
    Python strings, several GB for the national registry.)"""
    from pandas.api.types import union_categoricals
    out = {}
    for col in parts[0].columns:
        series = [p[col] for p in parts]
        if col in ("value", "numerator", "denominator"):
            out[col] = np.concatenate([pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
                                       for s in series])
        elif col in ("ci_low", "ci_high", "rse"):      # display precision; 6 million rows
            out[col] = np.concatenate([pd.to_numeric(s, errors="coerce").to_numpy(
                dtype=np.float32) for s in series])
        elif col == "unstable":
            out[col] = np.concatenate([s.fillna(False).to_numpy(dtype=bool) for s in series])
        else:
            cats = [s.astype("category") for s in series]
            cats = [c.cat.set_categories(c.cat.categories.astype(object)) for c in cats]
            out[col] = union_categoricals(cats, ignore_order=True)
    return pd.DataFrame(out)
