"""Expanders whose content is drawn only while they are open (issue 29).

Streamlit draws an expander's content on every run, open or not: a closed panel of pickers,
a form with a date picker or a table still cost the browser its code and layout on every
view. ``lazy_expander`` returns the expander only while it is open (opening it reruns the
page, ~0.1 s), and remembers that it was opened: Streamlit keys an element by page, so the
visitor's choice is kept in the session and opens the same panel on the next page too."""
from __future__ import annotations

import streamlit as st


def wanted_key(key: str) -> str:
    """Session key remembering that the visitor opened the expander ``key``."""
    return f"{key}-wanted"


def lazy_expander(label: str, key: str, where=None):
    """The expander ``key`` in ``where`` (default: the current container) when it is open,
    else None (draw nothing into it)."""
    wanted = wanted_key(key)

    def changed() -> None:
        st.session_state[wanted] = bool(st.session_state.get(key))
    box = (where or st).expander(label, key=key, expanded=bool(st.session_state.get(wanted)),
                                 on_change=changed)
    return box if box.open else None
