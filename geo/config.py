"""Where the project reads and writes its data.

Three directories, each overridable by an environment variable:

* ``PETA_DATA_DIR``  — the data directory (boundaries, code lists, indicators), laid out as
  ``../shared/data``. Default: ``../shared/data`` next to the repository when it exists
  (development and CI), else ``data/fetched`` inside the repository (where
  ``python -m geo fetch`` writes on a fresh machine).
* ``PETA_CACHE_DIR`` — derived artefacts (GeoParquet copies, simplified display geometry,
  generated sample data), keyed by the hashes of their sources. Default ``data/cache``.
* ``PETA_WORKSPACE_DIR`` — data imported by users (Kelola Data). Default ``data/workspace``.

All three defaults are git-ignored.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
FETCHED_DATA = REPO_ROOT / "data" / "fetched"

# Files of the data directory, relative to it. The loader also accepts partial copies
# (e.g. the villages of a few provinces only), see geo.regions.boundaries.
CODE_LISTS = {
    "provinsi": "regions/provinces.csv",
    "kabupaten": "regions/regencies.csv",
    "kecamatan": "regions/districts.csv",
    "desa": "regions/villages.csv",
}
BOUNDARY_FILES = {
    "provinsi": "boundaries/id_provinces_38.geojson",
    "kabupaten": "boundaries/id_regencies_514.geojson",
    "kecamatan": "boundaries/id_districts_all.geojson",
    "desa": "boundaries/id_villages_all.parquet",
}
INDICATOR_DIR = "indicators"


class DataDirError(FileNotFoundError):
    """The data directory is missing or incomplete. The message is user-facing (Indonesian)."""


NO_DATA_GUIDANCE = (
    "Data batas wilayah belum tersedia di komputer ini ({where}).\n"
    "Ada tiga cara untuk melanjutkan:\n"
    "  1. Arahkan variabel lingkungan PETA_DATA_DIR ke folder data yang sudah ada "
    "(misalnya salinan dari kantor lain): PETA_DATA_DIR=/path/ke/data\n"
    "  2. Ambil data dari cermin lokal (intranet atau folder dari flashdisk): "
    "python -m geo fetch --from /media/usb/wilayah\n"
    "  3. Unggah batas wilayah sendiri di halaman 'Kelola Data' pada aplikasi.\n"
    "Jika komputer terhubung ke internet, cukup jalankan: python -m geo fetch"
)


def data_dir() -> Path:
    env = os.environ.get("PETA_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    if (SHARED_DATA / CODE_LISTS["provinsi"]).exists():
        return SHARED_DATA
    return FETCHED_DATA


def cache_dir() -> Path:
    path = Path(os.environ.get("PETA_CACHE_DIR") or REPO_ROOT / "data" / "cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def workspace_dir() -> Path:
    path = Path(os.environ.get("PETA_WORKSPACE_DIR") or REPO_ROOT / "data" / "workspace")
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_path(relative: str) -> Path:
    return data_dir() / relative


def read_text_table(path: Path | str):
    """A CSV of the data directory with every cell as text (codes like "11.10" stay
    strings) and only empty cells missing."""
    import pandas as pd
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def require_data_dir() -> Path:
    """Return the data directory, or raise DataDirError with the guidance for users."""
    root = data_dir()
    missing = [rel for rel in (CODE_LISTS["provinsi"], BOUNDARY_FILES["provinsi"])
               if not (root / rel).exists()]
    if missing:
        raise DataDirError(NO_DATA_GUIDANCE.format(where=f"{root}: tidak ada {', '.join(missing)}"))
    return root
