"""Where agendas and follow-ups live: next to the data (geo.store). With the file store in
the workspace folder (geo.meeting.store_files), with the PostGIS store in its database
(geo.meeting.store_db). Who may write and the version checks: geo.meeting.access."""
from __future__ import annotations

from geo.meeting.access import MeetingStore
from geo.meeting.store_db import PostgisMeetingStore
from geo.meeting.store_files import FileMeetingStore
from geo.store import get_store


def meeting_store(data_store=None) -> MeetingStore:
    """The meeting records next to the data of ``data_store`` (default: the store of the
    environment, geo.store.get_store)."""
    data_store = data_store or get_store()
    if getattr(data_store, "kind_name", "") == "postgis":
        return PostgisMeetingStore(data_store)
    return FileMeetingStore(data_store)
