"""Kelola Data: import the user's own registry, boundaries, indicators and hazard zones."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components.auth import require_editor

user = require_editor()   # the file store: open as before; the database: editors only

from components.views.data_import import render_data_import

render_data_import(user)
