"""The sample registry as a file (CSV/XLSX/GeoJSON/GeoParquet, flags as ya/tidak) and its
summary: ``python -m geo demo``. Every record is SAMPLE data (``sampel=True``).
"""
from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.registry import schema as registry
from geo.registry.schema import FLAGS
from geo.sample.generate import sample_posyandu

# ---------------------------------------------------------------- writing

def _flag_text(series: pd.Series) -> pd.Series:
    return series.map({True: "ya", False: "tidak"}).astype(object).where(series.notna(), None)


def registry_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """The registry as a CSV/XLSX table: schema order, lat/lon to 6 decimals, ya/tidak."""
    table = registry.to_frame(gdf).copy()
    for col in ("lat", "lon"):
        table[col] = table[col].astype(float).round(6)
    for col in (*FLAGS, "sampel"):
        if col in table:
            table[col] = _flag_text(table[col].astype("boolean"))
    return table


def write_registry(gdf: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write a registry by extension: .csv, .xlsx, .geojson, .parquet (GeoParquet).

    CSV/XLSX hold the schema's columns in order (``geo.registry.schema.to_frame``), coordinates with
    6 decimals and flags as ``ya``/``tidak``, so ``geo.registry.validate.read`` reads them back as is.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        registry_table(gdf).to_csv(path, index=False, encoding="utf-8", float_format="%.6f")
    elif suffix == ".xlsx":
        try:
            import xlsxwriter  # noqa: F401  (much faster than openpyxl for 300k rows)
            engine = "xlsxwriter"
        except ImportError:
            engine = "openpyxl"
        registry_table(gdf).to_excel(path, index=False, engine=engine, sheet_name="posyandu")
    elif suffix in (".geojson", ".json"):
        gdf.to_file(path, driver="GeoJSON", engine="pyogrio")
    elif suffix == ".parquet":
        gdf.to_parquet(path, index=False, compression="zstd")
    else:
        raise ValueError(f"jenis berkas tidak didukung: {path.suffix} "
                         "(gunakan .csv, .xlsx, .geojson atau .parquet)")
    return path


def summary(gdf: gpd.GeoDataFrame) -> dict:
    """Headline counts of a registry (for the CLI and logs)."""
    dit = int(gdf["balita_ditimbang"].sum())
    st = int(gdf["balita_stunting"].sum())
    return {
        "posyandu": int(len(gdf)),
        "provinsi": int(gdf["kode_desa"].str[:2].nunique()),
        "desa": int(gdf["kode_desa"].nunique()),
        "aktif": int(gdf["aktif"].sum()),
        "jumlah_kader": int(gdf["jumlah_kader"].sum()),
        "balita_ditimbang": dit,
        "balita_stunting": st,
        "prevalensi_stunting_pct": round(100.0 * st / dit, 2) if dit else None,
        "desa_tanpa_internet": int(gdf.loc[~gdf["internet"].astype(bool), "kode_desa"].nunique()),
        "sampel": bool(gdf["sampel"].all()),
    }


def demo_main(scope: str = "62", seed: int = 0, out: str | Path = "posyandu_sampel.csv") -> dict:
    """Generate (or take from the cache) a sample registry, write it to ``out``, summarise.

    For ``python -m geo demo [--scope] [--seed] --out FILE``. Returns the summary counts
    plus ``out`` (path written), ``scope``, ``seed`` and ``detik`` (seconds taken).
    """
    t0 = time.perf_counter()
    gdf = sample_posyandu(scope, seed)
    path = write_registry(gdf, out)
    return {"scope": scope, "seed": int(seed), "out": str(path), **summary(gdf),
            "detik": round(time.perf_counter() - t0, 2)}
