"""``python -m geo fetch``: the open upstream boundaries and code lists, downloaded, checked
and converted."""
