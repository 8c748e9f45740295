"""Map pictures and slides made on the server (no browser, no internet):
``mapdata`` gathers what the screen map shows, ``render`` draws it with matplotlib."""
from geo.export.mapdata import MapData, latest_period, long_for, map_data  # noqa: F401
from geo.export.render import RenderInfo, render  # noqa: F401
