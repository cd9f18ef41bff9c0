"""The site's charts (govgraph.site.charts): accessible SVG figures whose numbers are the bundled queries' rows,
on the home page and on action-plan and programme pages, for the Danish data and for another package, the
same bytes on every run, and no wider than a 360 px phone in real Chromium."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import URIRef

from govgraph.query import run_query
from govgraph.site import SiteBuilder
from govgraph.site.charts import Charts, action_plan_charts, home_charts, programme_charts

from .conftest import ROOT
from .test_site_browser import CHROMIUM_ARGS, chromium  # noqa: F401 (a fixture)

BASE = "https://w3id.org/govgraph/"
ID = BASE + "id/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def builder(built_graph) -> SiteBuilder:
    return SiteBuilder(built_graph, BASE)


def figures(html: str) -> dict[str, ET.Element]:
    """The chart figures of a page fragment, parsed (they are well-formed XML), by id."""
    found = {}
    for match in re.finditer(r'<figure class="chart".*?</figure>', html, flags=re.DOTALL):
        text = match.group().replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        figure = ET.fromstring(text)
        found[figure.get("id")] = figure
    return found


def table_rows(figure: ET.Element) -> list[list[str]]:
    return [["".join(td.itertext()) for td in tr.iter("td")] for tr in figure.iter("tbody").__next__().iter("tr")]


def rows_of(name: str, **params) -> list[dict]:
    result = run_query(name, params or None)
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def test_the_home_page_has_every_chart_each_accessible(builder: SiteBuilder) -> None:
    html = home_charts(builder.model)
    charts = figures(html)
    assert list(charts) == [
        "chart-completion",
        "chart-completion-change",
        "chart-commitments-per-action-plan",
        "chart-policy-areas",
        "chart-money",
        "chart-timeline",
    ]
    for ident, figure in charts.items():
        svg = figure.find(f"{SVG}svg")
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title.text and desc.text, ident
        # labelled and described by the caption (bilingual spans; the switch hides one language)
        ids = {el.get("id") for el in figure.iter() if el.get("id")}
        assert svg.get("aria-labelledby") in ids and svg.get("aria-describedby") in ids
        assert svg.get("viewBox").startswith("0 0 400 ") and svg.get("width") == "100%"
        # every label of the drawing in both languages, or in the one language it has: a group of one <text>
        # per language at one place, as the pages group a text in several languages
        assert list(svg.iter(f"{SVG}text")), ident
        for group in svg.iter(f"{SVG}g"):
            if group.get("class") == "ml":
                texts = list(group)
                assert [el.get("lang") for el in texts] == group.get("data-langs").split(), ident
                assert len(texts) >= 2 and len({(el.get("x"), el.get("y")) for el in texts}) == 1, ident
                assert all(el.get("class") == "tr" for el in texts)
        assert any(g.get("data-langs") == "da en" for g in svg.iter(f"{SVG}g")), ident
        # the data as a table, in a <details>, with a link to the query on the catalogue page
        details = figure.find("details")
        assert details is not None and details.find(".//table") is not None
        query = [a.get("href") for a in figure.iter("a") if a.get("href", "").startswith("queries.html#")]
        assert len(query) == 1, ident
        assert not list(details.find("summary").iter("a")), ident  # nothing interactive inside the <summary>
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_charts_show_the_rows_the_queries_give(builder: SiteBuilder) -> None:
    charts = figures(home_charts(builder.model))

    per_plan = rows_of("commitments-per-action-plan")
    table = table_rows(charts["chart-commitments-per-action-plan"])
    assert [(r[0], int(r[2])) for r in table] == [(str(r["identifier"]), int(r["commitments"])) for r in per_plan]
    bars = [
        el
        for el in charts["chart-commitments-per-action-plan"].iter(f"{SVG}rect")
        if el.find(f"{SVG}title") is not None
    ]
    assert [int(b.find(f"{SVG}title").text.rsplit(": ", 1)[1]) for b in bars] == [
        int(r["commitments"]) for r in per_plan
    ]

    # policy areas: one bar per area, its segments (one per action plan) add up to the query's counts
    by_area = rows_of("commitments-by-action-plan-and-policy-area")
    totals = defaultdict(int)
    for r in by_area:
        totals[str(r["policyAreaLabel"])] += int(r["commitments"])
    policy = charts["chart-policy-areas"]
    assert len(table_rows(policy)) == len(by_area)
    # one bar per area (its segments share a y), largest first, each adding up to the query's count
    bars_by_y: dict[float, int] = defaultdict(int)
    for rect in policy.iter(f"{SVG}rect"):
        if rect.find(f"{SVG}title") is not None:
            bars_by_y[float(rect.get("y"))] += int(rect.find(f"{SVG}title").text.rsplit(": ", 1)[1])
    drawn = [bars_by_y[y] for y in sorted(bars_by_y)]
    assert drawn == sorted(totals.values(), reverse=True)

    completion = rows_of("irm-completion-distribution")
    assert len(table_rows(charts["chart-completion"])) == len(completion)
    change = rows_of("irm-completion-change")
    assert [r[0] for r in table_rows(charts["chart-completion-change"])] == [str(r["identifier"]) for r in change]

    money = [r for r in rows_of("money-by-programme-and-year") if r["amount"] is not None]
    assert len(table_rows(charts["chart-money"])) == len(money)
    timeline = rows_of("timeline")
    assert len(table_rows(charts["chart-timeline"])) == len(timeline) + len(per_plan)


def test_action_plan_and_programme_pages_get_their_own_charts(builder: SiteBuilder) -> None:
    model = builder.model
    ap02 = figures(action_plan_charts(model, URIRef(ID + "action-plan/ap-dnk02"), "doc/action-plan/ap-dnk02"))
    assert set(ap02) == {"chart-completion", "chart-policy-areas"}
    # its two IRM reports, and only this plan's rows
    assert {r[0] for r in table_rows(ap02["chart-completion"])} == {"AP_DNK02"}
    expected_rows = [r for r in rows_of("irm-completion-distribution") if str(r["actionPlanId"]) == "AP_DNK02"]
    assert len(table_rows(ap02["chart-completion"])) == len(expected_rows) > 0
    assert {r[0] for r in table_rows(ap02["chart-policy-areas"])} == {"AP_DNK02"}
    # no IRM completion assessed for AP_DNK04: its page has the policy areas only
    assert set(figures(action_plan_charts(model, URIRef(ID + "action-plan/ap-dnk04"), "doc/action-plan/ap-dnk04"))) == {
        "chart-policy-areas"
    }

    programme = URIRef(ID + "programme/faelles-velfaerd-2015")
    money = figures(programme_charts(model, programme, "doc/programme/faelles-velfaerd-2015"))["chart-money"]
    expected = [r for r in rows_of("money-by-programme-and-year") if r["programme"] == programme]
    assert len(table_rows(money)) == len(expected) > 10
    # links from a page two folders down go back up to the site's root
    assert any(a.get("href") == "../../queries.html#money-by-programme-and-year" for a in money.iter("a"))
    assert programme_charts(model, URIRef(ID + "programme/syv-principper"), "doc/programme/syv-principper") == ""
    # the pages themselves carry them
    html = builder.resources.resource_html(programme, "doc/programme/faelles-velfaerd-2015").decode()
    assert 'id="chart-money"' in html
    assert 'id="chart-timeline"' in builder.resources.home().decode()


def test_the_rows_of_one_plan_or_programme_are_the_querys_rows_for_it_in_its_order(builder: SiteBuilder) -> None:
    """Charts.rows_of groups a query's rows once per site (it filtered them again for every page, which made the
    charts quadratic); a page still gets exactly its own rows, in the query's order."""
    charts = Charts(builder.model)
    plans = set(charts.action_plans().values())
    assert len(plans) >= 4
    for name in ("irm-completion-distribution", "commitments-by-action-plan-and-policy-area"):
        everything = charts.rows(name)
        assert charts.rows_of(name, None, charts.plan_of) == everything
        for plan in plans:
            assert charts.rows_of(name, plan, charts.plan_of) == [r for r in everything if charts.plan_of(r) == plan]
    money = charts.rows("money-by-programme-and-year")
    programmes = {r["programme"] for r in money}
    assert len(programmes) >= 2
    for programme in programmes:
        found = charts.rows_of("money-by-programme-and-year", programme, charts.programme_of)
        assert found == [r for r in money if r["programme"] == programme]
    assert charts.rows_of("money-by-programme-and-year", URIRef(ID + "programme/none"), charts.programme_of) == []


def test_the_charts_are_the_same_bytes_on_every_run(built_graph) -> None:
    first = home_charts(SiteBuilder(built_graph, BASE).model)
    again = SiteBuilder(built_graph, BASE).model
    assert home_charts(again) == first
    assert Charts(again).timeline("index").html("") == Charts(again).timeline("index").html("")


def test_another_package_gets_the_charts_its_data_has(tmp_path: Path) -> None:
    from govgraph.build import build
    from govgraph.package import open_package

    package = open_package(ROOT / "examples" / "northvale")
    graph = build(package.manifest.base_iri, data=package)
    builder = SiteBuilder(graph, package.manifest.base_iri, package.manifest)
    charts = figures(home_charts(builder.model))
    # Northvale has money and a timeline; its action plan has no OGP identifier, so the queries that count
    # commitments per action plan have no rows for it, and those charts are left out rather than drawn empty.
    assert set(charts) == {"chart-money", "chart-timeline"}
    assert "EUR 1.5 m" in ET.tostring(charts["chart-money"], encoding="unicode")


# ------------------------------------------------------------------------------------------- in Chromium


@pytest.mark.slow
def test_no_chart_makes_a_page_wider_than_a_phone(builder: SiteBuilder, chromium: str, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    # The home page, the style and the script as the site writes them (the first files of the site), and two
    # summary pages: not the whole site.
    site = tmp_path / "site"
    site.mkdir()
    wanted = {"site.css", "site.js", "index.html"}
    for relative, data in builder.files():
        if relative in wanted:
            (site / relative).write_bytes(data)
            wanted.discard(relative)
        if not wanted:
            break
    pages = ["index", "doc/action-plan/ap-dnk01", "doc/programme/faelles-velfaerd-2015"]
    for path in pages[1:]:
        relative, data = next(iter(builder.resources.resource_files(URIRef(ID + path.removeprefix("doc/")))))
        assert relative == f"{path}.html"
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 800})
            for path in pages:
                page.goto((site / f"{path}.html").as_uri())
                page.evaluate("() => document.querySelectorAll('figure.chart details').forEach(d => d.open = true)")
                widths = page.evaluate(
                    "() => [...document.querySelectorAll('figure.chart, figure.chart svg, figure.chart .chart-data')]"
                    ".map(el => el.getBoundingClientRect().right)"
                )
                assert widths and max(widths) <= 360, (path, max(widths))
                # in English the Danish labels of the drawings are hidden, and the other way round
                page.evaluate("() => localStorage.setItem('govgraph-lang', 'en')")  # what the switch remembers
                page.reload()
                shown = page.evaluate(
                    "() => [...document.querySelectorAll('figure.chart svg text.tr')]"
                    ".filter(el => getComputedStyle(el).display !== 'none').map(el => el.getAttribute('lang'))"
                )
                assert shown and set(shown) == {"en"}, path
                # without the script (no language chosen) a drawing shows one language, not both on top
                plain_page = browser.new_page(viewport={"width": 360, "height": 800}, java_script_enabled=False)
                plain_page.goto((site / f"{path}.html").as_uri())
                both_shown = plain_page.evaluate(
                    "() => [...document.querySelectorAll('figure.chart svg g.ml')]"
                    ".filter(g => [...g.children].filter(el => getComputedStyle(el).display !== 'none').length > 1)"
                    ".length"
                )
                assert both_shown == 0, path
                plain_page.close()
                if path == "doc/action-plan/ap-dnk01":
                    screenshots = Path(os.environ.get("GOVGRAPH_SCREENSHOT_DIR") or tmp_path)
                    screenshots.mkdir(parents=True, exist_ok=True)
                    page.evaluate(
                        "() => document.querySelectorAll('figure.chart details').forEach(d => d.open = false)"
                    )
                    page.locator("section[aria-labelledby=charts]").screenshot(
                        path=str(screenshots / "site-charts-phone.png")
                    )
        finally:
            browser.close()
