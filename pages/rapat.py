"""Rapat: the Pokjanal meeting's agendas (presented in projector mode) and follow-ups."""
from components import shell

shell.ensure()  # a first link after a server start runs the page inside the app

from components.views.meeting import render_meeting

render_meeting()
