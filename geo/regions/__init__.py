"""Administrative regions: boundaries and code lists (boundaries), simplified display
geometry (display) and the static map files built from it (mapfiles)."""
