"""Masuk: editors and admins log in (PostGIS store); viewers need no account."""
from components import shell

shell.ensure()

from components.auth import render_login

render_login()
