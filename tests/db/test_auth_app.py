"""Login, OIDC option and page guards with the PostGIS store (Streamlit AppTest)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.db.fixtures import PASSWORDS

ROOT = Path(__file__).resolve().parents[2]


def _page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120).run()


def test_viewer_is_stopped_on_kelola_data_and_audit(store):
    for name in ("kelola_data.py", "audit.py"):
        at = _page(name)
        assert not at.exception
        assert [e.value for e in at.error] == [
            "Halaman ini hanya untuk editor. Silakan masuk dengan akun editor."]
        assert not at.get("file_uploader") and not at.button


def test_login_wrong_then_right_password_and_oidc_button(store, monkeypatch):
    at = _page("masuk.py")
    assert not [b for b in at.button if "SSO" in b.label]   # OIDC off by default
    at.text_input(key="login-name").input("kapuas")
    at.text_input(key="login-password").input("salah-sekali")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    at.text_input(key="login-password").input(PASSWORDS["kapuas"])
    at.button[0].click().run()
    assert "Masuk sebagai kapuas (editor; wilayah: 62.03)." in [s.value for s in at.success]
    assert at.session_state["peta_user"].scope == ("62.03",)
    # OIDC configured by PETA_OIDC_PROVIDER: the SSO button appears; with no identity
    # provider signed in (st.user) the visitor stays a viewer
    monkeypatch.setenv("PETA_OIDC_PROVIDER", "")
    at2 = _page("masuk.py")
    assert any("SSO" in b.label for b in at2.button)
    assert not at2.success
