"""``python -m geo``: the command line; each capability registers its commands (geo.cli.main)."""
