"""Importers for real-world files (Kelola Data page and ``python -m geo import``).

Every importer returns the accepted rows and an ImportReport naming every rejected or
changed row (baris, kolom, nilai, pesan, tingkat); valid rows are kept even when others
fail. Files are checked by geo.importers.safety before they are read.

    from geo.importers import import_posyandu, import_boundaries, import_indicators

Hazard zones and rasters are imported by geo.hazards.importer.
"""
from geo.importers.posyandu import PosyanduImport, apply_suggestions, import_posyandu  # noqa: F401
from geo.importers.report import REJECTED, REPAIRED, WARNING, ImportRefused, ImportReport  # noqa: F401


def __getattr__(name):   # the vector importers pull in GDAL only when used
    if name in ("import_boundaries", "BoundaryImport"):
        from geo.importers import boundaries
        return getattr(boundaries, name)
    if name in ("import_indicators", "IndicatorImport"):
        from geo.importers import indicators
        return getattr(indicators, name)
    raise AttributeError(name)
