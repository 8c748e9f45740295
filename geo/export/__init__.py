"""Map pictures and slides made on the server (no browser, no internet):
``mapdata`` gathers what the screen map shows, ``render`` draws it with matplotlib (its
frame and legend panel: ``panel``; the pieces every picture shares: ``draw``)."""
from geo.export.draw import RenderInfo  # noqa: F401
from geo.export.mapdata import MapData, latest_period, long_for, map_data  # noqa: F401
from geo.export.render import render  # noqa: F401
