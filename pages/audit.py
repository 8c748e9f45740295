"""Audit: every data change (who, when, kind, rows, report) and restore; editors/admins."""
from components import shell

shell.ensure()

from components.auth import require_editor

user = require_editor()

from components.views.audit import render_audit

render_audit(user)
