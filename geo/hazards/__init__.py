"""Disaster hazards: the ten InaRISK types (types), hazard rasters (raster) and zone polygons
(zones, importer), the store of imported hazard data (store), Posyandu exposure per class
(exposure) and the ``geo exposure``/``geo hazards`` commands (cli). The exposure indicators are
registered with the others in geo.indicators.hazards."""
