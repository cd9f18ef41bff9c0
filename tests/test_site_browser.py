"""The generated site in a real headless Chromium (Debian's /usr/bin/chromium driven by Python Playwright): the
DK0040 page, a followed link, the language switch (also without localStorage), the forgiving search, the
sortable table, every kind of page on a 390 px phone (no horizontal overflow, no visible empty item or cell),
axe-core's accessibility rules on the key pages, and no request leaving 127.0.0.1. Screenshots go to
$GOVGRAPH_SCREENSHOT_DIR (else the test's tmp folder; docs/screenshots/ holds the committed ones)."""

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
    expect(assessments).to_have_count(10)  # seed 001's nine and the Ambition rating of the later page
    expect(page.locator("#assessments")).to_have_text("IRM-vurderinger", use_inner_text=True)
    expect(page.locator("table.assessments")).to_contain_text(
        "Denmark End-of-Term Report 2014-2016", use_inner_text=True
    )
    expect(assessments.first.locator("td").nth(2)).to_have_text("Væsentlig", use_inner_text=True)

    # The language switch: English, without a server round trip; the choice stays on the next page.
    page.get_by_role("link", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#assessments")).to_have_text("IRM assessments", use_inner_text=True)
    expect(assessments.first.locator("td").nth(2)).to_have_text("Substantial", use_inner_text=True)
    expect(page.get_by_role("link", name="English", exact=True)).to_have_attribute("aria-current", "true")

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
    # The choice made with the switch is in the address (?lang=en), and links carry it on.
    expect(page).to_have_url(server + "doc/programme/syv-principper.html?lang=en")
    expect(page.locator("h1")).to_have_text(
        "Seven principles for collaboration on modernising the public sector", use_inner_text=True
    )
    expect(page.locator('main a[href*="doc/principle/"]')).to_have_count(7)
    page.get_by_role("link", name="Dansk", exact=True).click()
    expect(page.locator("h1")).to_have_text(
        "Syv principper for samarbejde om modernisering af den offentlige sektor", use_inner_text=True
    )
    # ... and back to DK0040 through "referenced by".
    page.locator('main a[href$="doc/commitment/DK0040.html"]').first.click()
    expect(page).to_have_url(server + "doc/commitment/DK0040.html?lang=da")

    # The search box: by id, then by a word; the index loads from the site itself.
    search = page.locator("#q")
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
    expect(page).to_have_url(re.compile(re.escape(server + "doc/programme/syv-principper.html")))

    # The commitments index: sorted by id; a click on a header sorts by that column and says so.
    page.locator("nav a", has_text="Tilsagn").click()
    expect(page).to_have_url(re.compile(re.escape(server + "class/gg-Commitment.html")))
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
    page.locator("#q").fill("DK0040")
    page.locator("#search-results a").first.click()
    expect(page).to_have_url((site_dir / "doc/commitment/DK0040.html").as_uri())
    expect(page.locator("h1")).to_contain_text(TITLE, use_inner_text=True)
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests


# Every kind of page: (site path, what its heading says).
PAGE_KINDS = [
    ("index.html", None),
    ("doc/commitment/DK0040.html", "DK0040"),
    ("class/gg-Commitment.html", None),
    ("class/org-Organization.html", None),
    ("doc/action-plan/ap-dnk02.html", "AP_DNK02"),
    ("doc/programme/sammenhaengsreformen.html", None),
    ("doc/institution/digitaliseringsstyrelsen.html", None),
    ("doc/source/seed-001.html", "seed-001"),
    ("doc/source/seed-004.html", "seed-004"),  # hundreds of quoted passages, one of 481 lines
    ("doc/source/ogp-page-dk0034-eot.html", "ogp-page-dk0034-eot"),  # a web page, not quoted
    ("doc/excerpt/seed-001-commitments-item-28-lines-235-237.html", None),  # cited, not quoted
    ("doc/excerpt/seed-004-boks-0-2-lines-464-466.html", None),  # quoted
    ("doc/initiative/bedre-overgange.html", None),  # quotes of an OCR text (seed-002)
    ("doc/assessment/dk0040-denmark-end-of-term-report-2014-2016-completion.html", None),
    ("doc/link/commitment-dk0040-implements-programme-syv-principper.html", "DK0040"),
    ("doc/money/folkeskolereformen-skoleledere-60-mio.html", None),
    ("def/policy-area/open-data.html", None),
    ("def/index.html", None),
    ("def/shapes.html", None),
    ("queries.html", None),
    ("search.html?q=digital", None),
]
# What a page shows that is too wide for it, and its visible list items and cells that hold nothing.
LAYOUT_CHECK = """() => {
  const root = document.documentElement;
  const empty = [...document.querySelectorAll("li, td, th, dd")].filter(e =>
      e.checkVisibility({visibilityProperty: true}) && !e.closest("details:not([open])") && !e.innerText.trim() &&
      !e.querySelector("img, svg, input, select, button"));
  return {overflow: root.scrollWidth - root.clientWidth, empty: empty.map(e => e.outerHTML.slice(0, 160))};
}"""


@pytest.fixture
def phone(chromium: str):
    """A page in headless Chromium the size of a phone (390 px wide; 360 px for the narrowest check)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            page.errors = []
            page.on("pageerror", lambda error: page.errors.append(str(error)))
            yield page
        finally:
            browser.close()


def test_every_kind_of_page_fits_a_phone_and_has_no_empty_item(phone, server: str) -> None:
    """On a 390 px screen (and 360 px) no page is wider than the screen (wide tables scroll inside their box,
    long URLs wrap), and no list item or cell is visibly empty, in either language."""
    problems = []
    for width in (390, 360):
        phone.set_viewport_size({"width": width, "height": 844})
        for path, heading in PAGE_KINDS:
            for lang in ("da", "en"):
                url = server + path + ("&" if "?" in path else "?") + "lang=" + lang
                phone.goto(url)
                if heading is not None:
                    assert heading in phone.locator("h1").inner_text(), path
                found = phone.evaluate(LAYOUT_CHECK)
                if found["overflow"] > 0:
                    problems.append(f"{width}px {path} ({lang}): {found['overflow']} px wider than the screen")
                if found["empty"]:
                    problems.append(f"{width}px {path} ({lang}): empty {found['empty'][:3]}")
    assert problems == []
    assert phone.errors == []


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, as package-lock.json pins it (`make setup` runs npm ci)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make setup` (npm ci installs axe-core)", pytrace=False)
    return AXE


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violation_on_the_key_pages(browser_page, server: str, axe_script: Path, width: int) -> None:
    """axe-core's rules (WCAG 2.x A and AA, and its best practices) on the key pages, in both languages."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in (
        "index.html",
        "doc/commitment/DK0040.html",
        "class/gg-Commitment.html",
        "doc/action-plan/ap-dnk02.html",
        "doc/programme/sammenhaengsreformen.html",
        "doc/source/seed-001.html",
        "def/index.html",
        "queries.html",
        "search.html?q=dk40",
    ):
        for lang in ("da", "en"):
            page.goto(server + path + ("&" if "?" in path else "?") + "lang=" + lang)
            page.add_script_tag(path=str(axe_script))
            result = page.evaluate(
                "async () => { const r = await axe.run(document); return r.violations.map("
                "v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.html)})); }"
            )
            if result:
                found[f"{path} ({lang})"] = result
    assert found == {}
    assert page.errors == []


def test_search_forgives(browser_page, server: str) -> None:
    """Case and diacritics folded, identifiers shortened, words cut short or spelt another way, a filter by
    kind, and a submit button that opens the search page."""
    from playwright.sync_api import expect

    page = browser_page
    page.goto(server + "index.html?lang=en")
    search = page.locator("#q")
    first = page.locator("#search-results a").first
    for query, expected in (
        ("dk40", "DK0040"),
        ("DK0040", "DK0040"),
        ("sammenh", "The Cohesion Reform"),
        ("faelles velfaerd", "Fælles velfærd"),
        ("FÆLLES VELFÆRD", "Fælles velfærd"),
    ):
        search.fill(query)
        expect(first).to_contain_text(expected, use_inner_text=True)
    # Another spelling: "Digitisation" finds the agency the data calls "Danish Agency for Digitalisation" too.
    search.fill("Agency for Digitisation")
    expect(page.locator("#search-results a", has_text="Danish Agency for Digitalisation").first).to_be_visible()
    # The submit button opens the search page, where a kind narrows the results.
    search.fill("digital")
    page.get_by_role("button", name="Search", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"search\.html\?q=digital"))
    results = page.locator("#search-page-results li")
    expect(results.first).to_be_visible()
    everything = results.count()
    expect(page.locator('#search-page-type option[value="org-Organization"]')).to_have_text("organisation")
    page.locator("#search-page-type").select_option(value="org-Organization")
    expect(results.first).to_be_visible()
    assert 0 < results.count() < everything
    kinds = page.locator("#search-page-results li small").all_inner_texts()
    assert kinds and all("organisation" in k.lower() for k in kinds), kinds
    assert page.errors == []


def test_the_language_link_works_without_local_storage(chromium: str, server: str) -> None:
    """?lang=en sets the language, and where localStorage is refused the links within the site carry it on."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(
                "Object.defineProperty(window, 'localStorage', {get() { throw new Error('refused'); }});"
            )
            page.goto(server + "doc/commitment/DK0040.html?lang=en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("#assessments")).to_have_text("IRM assessments", use_inner_text=True)
            page.locator('main a[href$="doc/action-plan/ap-dnk02.html"]').first.click()
            expect(page).to_have_url(server + "doc/action-plan/ap-dnk02.html?lang=en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            page.get_by_role("link", name="Dansk", exact=True).click()
            expect(page.locator("html")).to_have_attribute("lang", "da")
            page.locator('main a[href$="doc/commitment/DK0040.html"]').first.click()
            expect(page).to_have_url(server + "doc/commitment/DK0040.html?lang=da")
            expect(page.locator("#assessments")).to_have_text("IRM-vurderinger", use_inner_text=True)
        finally:
            browser.close()


SCREENSHOTS = [
    ("site-home.png", "index.html?lang=en", 1280),
    ("site-home-phone.png", "index.html?lang=en", 390),
    ("site-dk0040.png", "doc/commitment/DK0040.html?lang=en", 1280),
    ("site-dk0040-phone.png", "doc/commitment/DK0040.html?lang=da", 390),
    ("site-commitments-phone.png", "class/gg-Commitment.html?lang=en", 390),
    ("site-action-plan.png", "doc/action-plan/ap-dnk02.html?lang=en", 1280),
    ("site-source.png", "doc/source/seed-004.html?lang=en#passages", 1280),
    ("site-source-phone.png", "doc/source/seed-004.html?lang=en#passages", 390),
    ("site-programme-sources-phone.png", "doc/programme/moderniseringsmaalsaetningen.html?lang=en#provenance", 390),
    ("site-search.png", "search.html?q=agency+for+digitisation&lang=en", 1280),
]


def test_screenshots(browser_page, server: str, tmp_path: Path) -> None:
    """Screenshots of the key pages on a desktop and a phone (docs/screenshots/ holds the committed ones:
    GOVGRAPH_SCREENSHOT_DIR=docs/screenshots pytest tests/test_site_browser.py -k screenshots)."""
    page = browser_page
    folder = Path(os.environ.get("GOVGRAPH_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, path, width in SCREENSHOTS:
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        shot = folder / name
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000, name
    assert page.errors == []
