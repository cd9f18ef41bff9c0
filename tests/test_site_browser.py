"""The generated site in a real headless Chromium (Debian's /usr/bin/chromium driven by Python Playwright): the
DK0040 page, a followed link, the language switch, the search box, the sortable table, and no request leaving
127.0.0.1. A screenshot of the DK0040 page goes to $GOVGRAPH_SCREENSHOT_DIR (else the test's tmp folder)."""

from __future__ import annotations

import functools
import http.server
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from govgraph.package import open_package
from govgraph.site import write_site

from .conftest import http_stub

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TITLE = "Principles for Collaboration on the Modernisation of the Public Sector"


@pytest.fixture(scope="session")
def chromium(system_packages: None) -> str:
    """Debian's chromium (scripts/install-system-packages.sh installs it)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"scripts/install-system-packages.sh ran but {CHROMIUM} is still missing", pytrace=False)
    return CHROMIUM


class QuietFileHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # the test reads requests from the browser instead
        pass


@pytest.fixture(scope="module")
def site_dir(built_graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("browser") / "site", built_graph).path


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[str]:
    """A static file server on 127.0.0.1 over the site, in a thread; what any static host does."""
    with http_stub(functools.partial(QuietFileHandler, directory=str(site_dir))) as url:
        yield url


@pytest.fixture
def browser_page(chromium: str):
    """A fresh page in headless Chromium that records every request and every script error."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.requests = []
            page.errors = []
            page.on("request", lambda request: page.requests.append(request.url))
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            yield page
        finally:
            browser.close()


def test_dk0040_in_a_browser(browser_page, server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server + "doc/commitment/DK0040.html")

    # The title, in Danish by default (the interface; the title itself is English only).
    expect(page.locator("h1")).to_contain_text(TITLE, use_inner_text=True)
    expect(page.locator("html")).to_have_attribute("lang", "da")
    assessments = page.locator("table.assessments tbody tr")
    expect(assessments).to_have_count(9)
    expect(page.locator("#assessments")).to_have_text("IRM-vurderinger", use_inner_text=True)
    expect(page.locator("table.assessments")).to_contain_text(
        "Denmark End-of-Term Report 2014-2016", use_inner_text=True
    )
    expect(assessments.first.locator("td").nth(3)).to_have_text("Væsentlig", use_inner_text=True)

    # The language switch: English, without a server round trip; the choice stays on the next page.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#assessments")).to_have_text("IRM assessments", use_inner_text=True)
    expect(assessments.first.locator("td").nth(3)).to_have_text("Substantial", use_inner_text=True)
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    screenshots = Path(os.environ.get("GOVGRAPH_SCREENSHOT_DIR") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    shot = screenshots / "site-dk0040.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # The cross-document link to the seven principles of Fælles velfærd: follow it.
    principles = page.locator('main a[href$="doc/programme/syv-principper.html"]').first
    expect(principles).to_have_text(
        "Seven principles for collaboration on modernising the public sector", use_inner_text=True
    )
    principles.click()
    expect(page).to_have_url(server + "doc/programme/syv-principper.html")
    expect(page.locator("h1")).to_have_text(
        "Seven principles for collaboration on modernising the public sector", use_inner_text=True
    )
    expect(page.locator('main a[href*="doc/principle/"]')).to_have_count(7)
    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("h1")).to_have_text(
        "Syv principper for samarbejde om modernisering af den offentlige sektor", use_inner_text=True
    )
    # ... and back to DK0040 through "referenced by".
    page.locator('main a[href$="doc/commitment/DK0040.html"]').first.click()
    expect(page).to_have_url(server + "doc/commitment/DK0040.html")

    # The search box: by id, then by a word; the index loads from the site itself.
    search = page.get_by_label("Søg")
    search.fill("DK0040")
    first = page.locator("#search-results a").first
    expect(first).to_contain_text(TITLE, use_inner_text=True)
    search.fill("frikommune")
    expect(page.locator("#search-results a").first).to_be_visible()
    assert page.locator("#search-results a").count() >= 2
    expect(page.locator("#search-status")).to_contain_text("resultat", use_inner_text=True)
    search.fill("syv principper")
    result = page.locator("#search-results a", has_text="Syv principper for samarbejde om modernisering af den")
    result.first.click()
    expect(page).to_have_url(server + "doc/programme/syv-principper.html")

    # The commitments index: sorted by id; a click on a header sorts by that column and says so.
    page.locator("nav a", has_text="Tilsagn").click()
    expect(page).to_have_url(server + "class/gg-Commitment.html")
    rows = page.locator("#commitments tbody tr")
    expect(rows).to_have_count(70)
    expect(rows.first.locator("td").first).to_have_text("DK0001", use_inner_text=True)
    id_header = page.locator("#commitments th").nth(0)
    id_header.get_by_role("button").click()
    expect(id_header).to_have_attribute("aria-sort", "descending")
    expect(rows.first.locator("td").first).to_have_text("DK0070", use_inner_text=True)
    completion = page.locator("#commitments th").nth(4)
    completion.get_by_role("button").click()
    expect(completion).to_have_attribute("aria-sort", "ascending")
    expect(id_header).not_to_have_attribute("aria-sort", re.compile(".*"))
    expect(rows.first.locator("td").nth(4)).not_to_have_text("", use_inner_text=True)

    assert page.errors == []
    assert any(url.endswith("/search-index.js") for url in page.requests)
    outside = [url for url in page.requests if not url.startswith(server)]
    assert outside == [], f"requests outside 127.0.0.1: {outside}"


def test_the_site_works_from_file_urls(browser_page, site_dir: Path) -> None:
    """No server at all: relative links and the script-based search index work from file://."""
    from playwright.sync_api import expect

    page = browser_page
    page.goto((site_dir / "index.html").as_uri())
    # The home page's heading is the package manifest's title, in the default (Danish) interface language.
    expect(page.locator("h1")).to_have_text(open_package().manifest.title["da"], use_inner_text=True)
    page.get_by_label("Søg").fill("DK0040")
    page.locator("#search-results a").first.click()
    expect(page).to_have_url((site_dir / "doc/commitment/DK0040.html").as_uri())
    expect(page.locator("h1")).to_contain_text(TITLE, use_inner_text=True)
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests
