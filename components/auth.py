"""Who is using the app: viewers (no login), editors and admins (PostGIS store only).

* File store (no ``PETA_DATABASE_URL``): no login at all, Kelola Data open — as before.
* PostGIS store: viewing is open unless ``PETA_REQUIRE_LOGIN=1``; Kelola Data and Audit need
  an editor or admin login. Users and argon2 hashes live in the database (geo.store), so
  every app process knows them. Optional OIDC (``st.login``, configured in
  ``.streamlit/secrets.toml``; deploy/DATABASE.md): a user signed in by the identity
  provider is an editor when an active account of the same e-mail exists
  (``python -m geo db user add EMAIL --oidc --scope 62.03``).
"""
from __future__ import annotations

import os

import streamlit as st

from components.i18n import plain, t
from geo.store import DATA_ROLES, AuthError, User, get_store

_KEY = "peta_user"


def store():
    return get_store()


def login_enabled() -> bool:
    """The store has users (PostGIS)."""
    return bool(store().requires_login)


def login_required_to_view() -> bool:
    return login_enabled() and os.environ.get("PETA_REQUIRE_LOGIN", "").lower() in (
        "1", "true", "ya", "yes")


def oidc_provider() -> str | None:
    """``PETA_OIDC_PROVIDER`` ('' = the default [auth] block of secrets.toml)."""
    value = os.environ.get("PETA_OIDC_PROVIDER")
    return None if value is None else value.strip()


def _oidc_user() -> User | None:
    if oidc_provider() is None:
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:   # auth not configured
        return None
    user = store().get_user(str(email)) if email else None
    return user if user is not None and user.active else None


def current_user() -> User | None:
    """The logged-in editor/admin, or None (a viewer). Always None for the file store."""
    if not login_enabled():
        return None
    user = st.session_state.get(_KEY)
    if isinstance(user, User):
        fresh = store().get_user(user.username)   # deactivated or re-scoped since login
        if fresh is None or not fresh.active:
            st.session_state.pop(_KEY, None)
            return None
        return fresh
    return _oidc_user()


def can_edit() -> bool:
    """Kelola Data is usable: the file store, or a logged-in editor/admin (a secretariat
    account records meetings only)."""
    if not login_enabled():
        return True
    user = current_user()
    return user is not None and user.role in DATA_ROLES


def can_view() -> bool:
    return not login_required_to_view() or current_user() is not None


def require_editor() -> User | None:
    """Top of Kelola Data and Audit: stop the page for a viewer (also on a typed URL)."""
    if can_edit():
        return current_user()
    st.error(t("login_required"))   # the Masuk page is in the navigation
    st.stop()


def render_login() -> None:
    """The Masuk page: log in (name + password, or OIDC), or who is logged in + log out."""
    st.title(t("page_masuk"))
    if not login_enabled():
        st.info(t("login_not_needed"))
        return
    user = current_user()
    if user is not None:
        st.success(t("logged_in_as", name=user.username, role=user.role,
                     scope=", ".join(user.scope) or t("all_regions")))
        if st.button(t("logout"), key="logout"):
            st.session_state.pop(_KEY, None)
            if oidc_provider() is not None:
                try:
                    st.logout()
                except Exception:
                    pass
            st.rerun()
        return
    with st.form("login-form"):
        name = st.text_input(t("username"), key="login-name")
        password = st.text_input(t("password"), type="password", key="login-password")
        submitted = st.form_submit_button(t("login"))
    if submitted:
        try:
            found = store().authenticate(name.strip(), password)
        except AuthError as exc:     # locked after too many failures: says until when
            st.error(plain(str(exc)))
        else:
            if found is None:
                st.error(t("login_failed"))
            else:
                st.session_state[_KEY] = found
                st.rerun()
    provider = oidc_provider()
    if provider is not None and st.button(t("login_oidc"), key="login-oidc"):
        st.login(provider) if provider else st.login()
