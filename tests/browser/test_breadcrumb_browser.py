"""The breadcrumb on desktop (1366x768 and the default 1920x1080): from a regency up to
its province and to Indonesia, on the same page, keeping the other URL parameters."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect
from test_dashboard import (
    LOAD_TIMEOUT,
    PROVINCE,
    _expected_children,
    _no_traffic_problems,
    _open,
    _screenshot,
    _wait_for_choropleth,
    server,  # noqa: F401  (fixture)
)

BREADCRUMB = "nav.pp-breadcrumb"


@pytest.fixture
def browser_context_args():
    return {"viewport": {"width": 1366, "height": 768}}


def test_breadcrumb_goes_up_keeping_url_state(server, page, external_requests,  # noqa: F811
                                              failed_requests, page_errors, screenshot_dir):
    kabupaten = _expected_children("kabupaten", PROVINCE)
    code = sorted(kabupaten)[2]  # a regency of province 62 (62.03 Kapuas)
    _open(page, server, f"/konektivitas?wilayah={code}&lang=en")
    _wait_for_choropleth(page, len(_expected_children("kecamatan", code)))
    # Desktop: the sidebar is open and the phone's quick bar hidden.
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
    expect(page.locator(".st-key-pp-quickbar")).to_be_hidden()
    crumb = page.locator(BREADCRUMB)
    expect(crumb).to_have_text(re.compile(
        rf"^Indonesia\s*›\s*Kalimantan Tengah\s*›\s*{re.escape(kabupaten[code])}$"))
    expect(crumb.get_by_role("link")).to_have_count(2)  # the current region is no link
    _screenshot(page, screenshot_dir / f"breadcrumb_konektivitas_{code}_1366.png")

    crumb.get_by_role("link", name="Kalimantan Tengah").click()
    expect(page).to_have_url(re.compile(rf"[?&]wilayah={PROVINCE}(&|$)"),
                             timeout=LOAD_TIMEOUT * 1000)
    url = urlparse(page.url)
    assert url.path == "/konektivitas" and parse_qs(url.query)["lang"] == ["en"], page.url
    _wait_for_choropleth(page, len(kabupaten))
    expect(page.locator("h1").first).to_have_text("Connectivity")
    expect(crumb).to_have_text(re.compile(r"^Indonesia\s*›\s*Kalimantan Tengah$"))

    crumb.get_by_role("link", name="Indonesia").click()
    expect(page).not_to_have_url(re.compile(r"[?&]wilayah="), timeout=LOAD_TIMEOUT * 1000)
    assert parse_qs(urlparse(page.url).query)["lang"] == ["en"], page.url
    _wait_for_choropleth(page, len(_expected_children("provinsi", None)))
    expect(crumb).to_have_text("Indonesia")
    _screenshot(page, screenshot_dir / "breadcrumb_konektivitas_indonesia_1366.png")
    # A link loads a new page: requests of the page left behind are aborted, not failed.
    failed_requests[:] = [f for f in failed_requests if "net::ERR_ABORTED" not in f]
    _no_traffic_problems(external_requests, failed_requests, page_errors, page)
