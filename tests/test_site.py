"""govgraph site: the static linked-data site. Pages, links, escaping, determinism, the atomic replace, the CLI,
and the content-negotiation rules run in real nginx and Apache httpd servers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from govgraph.cli import main
from govgraph.package import open_package
from govgraph.query import list_queries
from govgraph.site import MARKER, write_site
from govgraph.site.model import LANGUAGE_BOOT

from .conftest import free_port, stop

TITLE = (
    "Principles for Collaboration on the Modernisation of the Public Sector as Well as the Establishment of a "
    "Centre for Public Innovation"
)
DK0040 = URIRef("https://w3id.org/govgraph/id/commitment/DK0040")
PRINCIPLES = URIRef("https://w3id.org/govgraph/id/programme/syv-principper")

TINY = """\
@prefix gg: <https://w3id.org/govgraph/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/ds/id/commitment/XX0001> a gg:Commitment ;
    dcterms:identifier "XX0001" ;
    dcterms:title "<script>alert(1)</script>"@en ;
    rdfs:label "<script>alert(1)</script>"@en, "Tom & \\"Jerry\\" <b>fed</b>"@da ;
    rdfs:seeAlso <javascript:alert(2)> ;
    gg:actionPlan <https://example.org/ds/id/action-plan/p1> .
<https://example.org/ds/id/action-plan/p1> a gg:ActionPlan, <http://example.org/v#Odd?x=1&y=%222%22> ;
    rdfs:label "Plan </script><script>alert(3)</script>"@en .
<https://example.org/ds/id/a/../../../../evil> rdfs:label "tries to leave the site" .
<https://example.org/ds/id/a/.hidden> rdfs:label "a hidden file" .
"""
TINY_BASE = "https://example.org/ds/"


class Page(HTMLParser):
    """The parts of an HTML page the tests look at: elements with their attributes, scripts, ids and text."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._script: dict[str, str] | None = None
        self._buffer: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script":
            self._script, self._buffer = a, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buffer)))
            self._script = None

    def handle_data(self, data: str) -> None:
        (self._buffer if self._script is not None else self.text).append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]

    def structured_data(self) -> list[dict]:
        return [json.loads(text) for a, text in self.scripts if a.get("type") == "application/ld+json"]


@pytest.fixture(scope="session")
def site(built_graph, tmp_path_factory: pytest.TempPathFactory):
    """The site of the bundled dataset, written once for the session."""
    out = tmp_path_factory.mktemp("site") / "public"
    result = write_site(out, built_graph)
    return result


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return path


def page(site, relative: str) -> Page:
    return Page(site.path / relative)


# ------------------------------------------------------------------------------------------- the pages


def test_dk0040_page_shows_title_assessments_links_and_provenance(site) -> None:
    p = page(site, "doc/commitment/DK0040.html")
    text = " ".join(" ".join(p.text).split())
    assert "Principles for Collaboration on the Modernisation of the Public Sector" in text
    # IRM assessments: the table with reports, criteria and values.
    assert "IRM assessments" in text and "IRM-vurderinger" in text
    assert "Denmark End-of-Term Report 2014-2016" in text and "Denmark IRM Progress Report 2014-2015" in text
    hrefs = [a["href"] for a in p.all("a")]
    assert "../../doc/assessment/dk0040-denmark-end-of-term-report-2014-2016-completion.html" in hrefs
    assert "../../def/irm-classic-completion/substantial.html" in hrefs
    # The cross-document link to the seven principles of Fælles velfærd, in both languages.
    assert "../../doc/programme/syv-principper.html" in hrefs
    assert "Syv principper for samarbejde om modernisering af den offentlige sektor" in text
    assert "Seven principles for collaboration on modernising the public sector" in text
    # Referenced by: the cross reference whose subject DK0040 is.
    assert "../../doc/link/commitment-dk0040-implements-programme-syv-principper.html" in hrefs
    # Provenance: source document and locator with lines.
    assert "../../doc/source/seed-001.html" in hrefs
    assert "Commitments, item 28" in text and "lines 235–237" in text
    # Properties link to their definition in the ontology; the OGP page is an ordinary outside link.
    assert "../../def/index.html#actionPlan" in hrefs
    assert "https://www.opengovpartnership.org/members/denmark/commitments/DK0040/" in hrefs
    # Label and interface in both languages, tagged, Danish by default.
    assert p.all("html")[0]["lang"] == "da"
    assert p.all("html")[0]["data-langs"] == "da en"
    # The heading says the identifier; the title is not said again in the table of details.
    html = (site.path / "doc/commitment/DK0040.html").read_text(encoding="utf-8")
    assert f'<h1><span lang="en">DK0040 — {TITLE}</span></h1>' in html
    assert "dcterms:title" not in text and "rdfs:label" not in text and "dcterms:identifier" not in text
    # Link texts are labels: no raw IRIs, no numbers, no "commitment/DK0040 implements ..." keys.
    assert "commitment/DK0040 implements" not in text
    assert "→ gennemfører implements Syv principper" in text
    assert "www.opengovpartnership.org/members/denmark/commitments/DK0040" in text
    # The language switch: links that set the language, the current one marked.
    switch = [a for a in p.all("a") if "hreflang" in a]
    assert [(a["href"], a["hreflang"]) for a in switch] == [
        ("DK0040.html?lang=da", "da"),
        ("DK0040.html?lang=en", "en"),
    ]
    assert switch[0].get("aria-current") == "true"
    [meta] = [a for a in p.all("meta") if a.get("name") == "description"]
    assert meta["content"].startswith("Together with employers and employees")
    assert any(a.get("rel") == "icon" and a["href"] == "../../favicon.svg" for a in p.all("link"))
    assert any(a.get("type") == "submit" for a in p.all("button"))


def _list_items(path: Path) -> list[str]:
    """The inner HTML of every <li> and <td> of a page."""
    import re

    html = path.read_text(encoding="utf-8")
    return re.findall(r"<(?:li|td)[^>]*>(.*?)</(?:li|td)>", html, flags=re.S)


def test_a_text_in_two_languages_is_one_item_and_no_item_is_empty(site) -> None:
    """Where a field has a Danish and an English value, they are one element with a span per language, so
    hiding one language never leaves an empty bullet; and no cell or item is empty at all."""
    import re

    empty = re.compile(r"^\s*$")
    for relative in (
        "doc/programme/syv-principper.html",
        "class/gg-Commitment.html",
        "index.html",
        "doc/institution/digitaliseringsstyrelsen.html",
        "doc/source/seed-001.html",
    ):
        items = _list_items(site.path / relative)
        assert items, relative
        assert not [i for i in items if empty.match(i)], relative
        # A list item never holds only one language's text of a translated pair.
        for item in items:
            spans = re.findall(r'<span lang="(da|en)">', item)
            assert not (
                len(spans) == 1
                and item.strip().startswith("<span lang=")
                and item.strip().endswith("</span>")
                and 'class="tr"' in item
            ), (relative, item)
    html = (site.path / "doc/programme/syv-principper.html").read_text(encoding="utf-8")
    assert '<span class="ml" data-langs="da en"><span lang="da">Syv principper' in html
    css = (site.path / "site.css").read_text(encoding="utf-8")
    assert 'html.lang-en .ml[data-langs~="en"] > :not([lang="en"]) { display: none; }' in css


def test_home_page_is_for_newcomers(site) -> None:
    p = page(site, "index.html")
    text = " ".join(" ".join(p.text).split())
    # What this is, from the manifest, and what OGP and the IRM are.
    assert "Open Government Partnership (OGP)" in text and "Independent Reporting Mechanism" in text
    # Headline figures computed from the data.
    html = (site.path / "index.html").read_text(encoding="utf-8")
    assert '<span class="figure">70</span> <span class="ml" data-langs="da en"><span lang="da">OGP-tilsagn' in html
    assert '<span class="figure">4</span> <span class="ml" data-langs="da en"><span lang="da">handlingsplaner' in html
    assert "(2012–2021)" in text or "action plans (" in text
    # Entry points and the whole dataset to download.
    hrefs = [a["href"] for a in p.all("a")]
    for target in (
        "class/gg-Commitment.html",
        "class/gg-ActionPlan.html",
        "class/gg-PolicyProgramme.html",
        "class/org-Organization.html",
        "govgraph.ttl",
        "govgraph.nt",
        "govgraph.jsonld",
        "queries.html",
    ):
        assert target in hrefs, target
    assert "Query it yourself" in text and "govgraph query" in text
    downloaded = Graph().parse(site.path / "govgraph.ttl", format="turtle")
    assert len(downloaded) > 10_000 and (DK0040, DCTERMS.identifier, Literal("DK0040")) in downloaded
    assert set(Graph().parse(site.path / "govgraph.nt", format="nt")) == set(downloaded)
    assert set(Graph().parse(site.path / "govgraph.jsonld", format="json-ld")) == set(downloaded)


def test_action_plan_and_programme_pages_have_a_summary(site) -> None:
    plan = page(site, "doc/action-plan/ap-dnk02.html")
    text = " ".join(" ".join(plan.text).split())
    assert "AP_DNK02 — Denmark Action Plan 2013-2014" in text
    assert "Summary" in text and "The plan's commitments" in text
    assert "plan-commitments-table" in plan.ids and "summary" in plan.ids
    assert "../../doc/commitment/DK0040.html" in [a["href"] for a in plan.all("a")]
    # The plan's table lists its commitments only (its IRM reports name the plan too).
    html = (site.path / "doc/action-plan/ap-dnk02.html").read_text(encoding="utf-8")
    table = html[html.index('id="plan-commitments-table"') :]
    assert "doc/irm-report/" not in table[: table.index("</table>")]
    figure = int(html.split('<span class="figure">', 1)[1].split("<", 1)[0])  # "N commitments", the first figure
    assert table[: table.index("</table>")].count("<tr>") == 1 + figure and figure > 10
    programme = page(site, "doc/programme/sammenhaengsreformen.html")
    text = " ".join(" ".join(programme.text).split())
    assert "Summary" in text and "Lead" in text


def test_a_source_page_reads_as_a_document(site) -> None:
    p = page(site, "doc/source/seed-001.html")
    text = " ".join(" ".join(p.text).split())
    assert "Cited passages" in text and "Cited by" in text
    # The passages in the order of the document, each with the things that cite it, named by their labels.
    lines = [int(a["data-line"]) for a in p.all("li") if "data-line" in a]
    assert lines == sorted(lines) and len(lines) > 20
    assert "DK0040 — Principles for Collaboration" in text
    assert "seed-001, line" not in text


SEED_004 = "004_668ea457b60d71eb.txt"  # seed-004 in documents.yaml: Fælles velfærd (2015), a government publication
CITED = "seed-004-boks-0-2-lines-464-466"  # the modernisation target of 12 billion kroner in 2020 (box 0.2)


def _seed_lines(name: str) -> list[str]:
    """The lines of a seed document as the package holds it, numbered as `sed -n` numbers them (1-based)."""
    path = open_package().document_file(name)
    assert path is not None, name
    return ["", *path.read_text(encoding="utf-8").split("\n")]


def _passage(html: str, anchor: str) -> str:
    """The <li> of one passage of a source page."""
    start = html.index(f'<li id="{anchor}"')
    return html[start : html.index("</li></ul></div></li>", start)]


def test_a_source_page_quotes_each_cited_passage_with_its_lines_and_what_cites_it(site) -> None:
    """The source page of seed-004 shows the words of each passage it cites, taken from the seed file (in the
    document's language, escaped, as the file has them), the lines as a hint, and a link to what cites it."""
    from html import escape

    lines = _seed_lines(SEED_004)
    html = (site.path / "doc/source/seed-004.html").read_text(encoding="utf-8")
    item = _passage(html, CITED)
    assert '<blockquote class="quote" lang="da">' in item
    assert all(f"{escape(lines[n].strip())}" in item for n in (464, 465, 466))
    assert "Vækstplan DK" in lines[464] and "12 mia. kr. i 2020" in lines[465]
    assert "lines 464–466" in item and "linje 464–466" in item
    assert 'href="../../doc/programme/moderniseringsmaalsaetningen.html"' in item
    assert 'href="../../doc/excerpt/' + CITED + '.html"' in item
    # Every passage of the page whose lines the data names is quoted: none is left a bare line number.
    page_ = page(site, "doc/source/seed-004.html")
    passages = [a for a in page_.all("li") if "data-line" in a]
    assert len(passages) > 20 and html.count('<blockquote class="quote" lang="da">') >= len(passages)


def test_a_resource_page_quotes_its_sources_and_an_excerpt_page_quotes_it_in_full(site) -> None:
    from html import escape

    lines = _seed_lines(SEED_004)
    programme = (site.path / "doc/programme/moderniseringsmaalsaetningen.html").read_text(encoding="utf-8")
    provenance = programme[programme.index('<section aria-labelledby="provenance">') :]
    assert escape(lines[465].strip()) in provenance
    assert '<h3 class="document"><a href="../../doc/source/seed-004.html">' in provenance
    # A long passage shows its first paragraphs and folds the rest, saying where it ends.
    box = (site.path / "doc/box/boks-0-2.html").read_text(encoding="utf-8")
    assert '<details class="quote"><summary>' in box and "Read on (to line " in box
    excerpt = (site.path / f"doc/excerpt/{CITED}.html").read_text(encoding="utf-8")
    assert escape(lines[465].strip()) in excerpt and "<details" not in excerpt.split("</blockquote>")[0]
    assert f'href="../../doc/source/seed-004.html#{CITED}"' in excerpt


def test_a_document_whose_text_is_not_the_packages_to_copy_is_not_quoted(site) -> None:
    """seed-001 (the OGP's page of DK0040) and seed-003 (a Nordic Labour Journal article) are cited by line, but
    their texts are their publishers': the package does not hold them, so their pages quote nothing and say so,
    seed-001's with the page's address."""
    for key in ("seed-001", "seed-003"):
        html = (site.path / f"doc/source/{key}.html").read_text(encoding="utf-8")
        assert "<blockquote" not in html and "The document&#x27;s text is not part of the data" in html
    assert 'href="https://www.opengovpartnership.org/members/denmark/commitments/DK0040/"' in (
        site.path / "doc/source/seed-001.html"
    ).read_text(encoding="utf-8")
    dk0040 = (site.path / "doc/commitment/DK0040.html").read_text(encoding="utf-8")
    assert "<blockquote" not in dk0040[dk0040.index('<section aria-labelledby="provenance">') :]


def test_a_long_passage_is_quoted_in_full(site) -> None:
    """The longest passage of Fælles velfærd (seed-004) is all there, its end folded behind "Read on"."""
    from html import escape

    lines = _seed_lines("004_668ea457b60d71eb.txt")
    html = (site.path / "doc/source/seed-004.html").read_text(encoding="utf-8")
    items = html.split('<li id="')[1:]
    spans = []
    for item in items:
        hint = item.split('<span lang="en">lines ', 1)
        if len(hint) == 2:
            first, last = (int(n) for n in hint[1].split("<", 1)[0].split("–"))
            spans.append((last - first, first, last, item))
    _, first, last, item = max(spans)
    assert last - first > 100
    assert f"Read on (to line {last})" in item and '<blockquote class="quote" lang="da">' in item
    body = [line for line in lines[first : last + 1] if line.strip()]
    assert all(escape(line) in item for line in body)


def test_a_web_page_the_package_does_not_hold_is_never_quoted(site) -> None:
    """An OGP page known by its address (no file in the package) is the OGP's words: its page and the pages
    citing it show its address and the facts taken from it, and no quote."""
    p = page(site, "doc/source/ogp-page-dk0034-eot.html")
    html = p.path.read_text(encoding="utf-8")
    text = " ".join(" ".join(p.text).split())
    assert "<blockquote" not in html and "Read on" not in html
    assert "The document's text is not part of the data; read it at" in text
    assert "https://www.opengovpartnership.org/members/denmark/commitments/DK0034/" in [a["href"] for a in p.all("a")]
    assert "DK0034 — Service Check of Local Government Consultations" in text  # a fact taken from it
    dk0034 = (site.path / "doc/commitment/DK0034.html").read_text(encoding="utf-8")
    provenance = dk0034[dk0034.index('<section aria-labelledby="provenance">') :]
    ogp = provenance[provenance.index("ogp-page-dk0034-eot.html") :]
    assert "<blockquote" not in ogp.split('<h3 class="document">', 1)[0]


def test_a_package_of_ones_own_is_quoted_and_only_from_the_file_it_was_read_from(tmp_path: Path) -> None:
    """A publisher's package (govgraph init) gets its source document quoted; a file that is no longer the
    one the data names (another SHA-256) is not quoted at all, since its lines would be other words."""
    from govgraph.build import build

    package = tmp_path / "town"
    assert CliRunner().invoke(main, ["init", str(package)]).exit_code == 0
    line_5 = (package / "sources" / "example-plan.txt").read_text(encoding="utf-8").split("\n")[4]
    assert line_5.startswith("Initiative 1: one digital front door")
    graph = build(data=package)
    site = write_site(tmp_path / "site", graph, data=package).path
    initiative = (site / "doc/initiative/one-front-door.html").read_text(encoding="utf-8")
    assert f'<blockquote class="quote" lang="en"><p>{line_5}</p></blockquote>' in initiative
    source = (site / "doc/source/example-plan.html").read_text(encoding="utf-8")
    assert f"<p>{line_5}</p>" in source and "not part of the data" not in source
    # The same graph with a changed file: nothing is quoted, and the page says the text is not in the data.
    (package / "sources" / "example-plan.txt").write_text("another text\n" * 20, encoding="utf-8")
    site = write_site(tmp_path / "site", graph, data=package).path
    assert "<blockquote" not in (site / "doc/initiative/one-front-door.html").read_text(encoding="utf-8")
    source = (site / "doc/source/example-plan.html").read_text(encoding="utf-8")
    assert "<blockquote" not in source and "text is not part of the data." in source


def test_search_index_is_a_script_setting_a_global(site) -> None:
    text = (site.path / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.GOVGRAPH_SEARCH="
    assert text.startswith(prefix) and text.endswith(";\n")
    data = json.loads(text[len(prefix) : -2])
    by_path = {e[0]: e for e in data["entries"]}
    dk40 = by_path["doc/commitment/DK0040"]
    assert dk40[2] == "DK0040" and "dk40" in dk40[4].split() and "gg-Commitment" in dk40[3]
    assert by_path["doc/programme/syv-principper"][1]["da"].startswith("Syv principper")
    # Folded: case and diacritics (Sammenhængsreformen → sammenhaengsreformen).
    assert "sammenhaengsreformen" in by_path["doc/programme/sammenhaengsreformen"][4].split()
    assert data["types"]["gg-Commitment"]["en"] == "OGP commitment"
    assert len(data["entries"]) == site.pages


def test_resource_documents_are_turtle_and_json_ld_without_a_remote_context(site) -> None:
    turtle = Graph().parse(site.path / "doc/commitment/DK0040.ttl", format="turtle")
    assert (DK0040, DCTERMS.identifier, Literal("DK0040")) in turtle
    assert (
        PRINCIPLES,
        RDFS.label,
        Literal("Seven principles for collaboration on modernising the public sector", lang="en"),
    ) in turtle
    # Incoming links too: the assessments of DK0040 (seed 001's nine and its later page's Ambition rating).
    assert len(set(turtle.subjects(URIRef("https://w3id.org/govgraph/def#assessedCommitment"), DK0040))) == 10
    raw = (site.path / "doc/commitment/DK0040.jsonld").read_text(encoding="utf-8")
    assert "@context" not in raw
    jsonld = Graph().parse(data=raw, format="json-ld")
    assert set(jsonld) == set(turtle)


def test_embedded_schema_org(site) -> None:
    [data] = page(site, "doc/commitment/DK0040.html").structured_data()
    assert data["@type"] == "CreativeWork" and data["identifier"] == "DK0040"
    assert data["@id"] == str(DK0040)
    assert data["url"] == "https://w3id.org/govgraph/doc/commitment/DK0040.html"
    [org] = page(site, "doc/institution/kl.html").structured_data()
    assert org["@type"] == "GovernmentOrganization"
    [home] = page(site, "index.html").structured_data()
    assert home["@type"] == "Dataset"


def _resolve(here: Path, target: str, root: Path) -> Path:
    path = (here.parent / target).resolve()
    assert path.is_relative_to(root.resolve()), f"{here}: {target} leaves the site"
    return path


def test_every_page_is_accessible_and_every_link_resolves(site) -> None:
    """Walk the whole site: semantic structure on every page, every relative link and #anchor resolves, and
    nothing is loaded from outside the site (no CDN, no web fonts)."""
    root = site.path
    pages = sorted(root.rglob("*.html"))
    ids: dict[Path, set[str]] = {}
    checked = 0
    for path in pages:
        p = Page(path)
        ids[path] = p.ids
        tags = [t for t, _ in p.elements]
        assert tags.count("h1") == 1, path
        assert any(a.get("name") == "description" and a.get("content") for a in p.all("meta")), path
        assert {"header", "nav", "main", "footer"} <= set(tags), path
        assert p.all("main")[0]["id"] == "main" and p.all("a")[0]["href"] == "#main", path
        assert any(a.get("for") == "q" for a in p.all("label")), path
        assert all(a.get("scope") in ("col", "row") for a in p.all("th")), path
        for tag, a in p.elements:
            for attribute in ("href", "src"):
                target = a.get(attribute)
                if target is None:
                    continue
                if attribute == "src" or (tag == "link" and a.get("rel") == "stylesheet"):
                    assert not target.startswith(("http:", "https:", "//")), f"{path}: loads {target}"
                if target.startswith(("http://", "https://")):
                    continue
                assert not target.startswith("/"), f"{path}: {target} is not relative"
                file, _, anchor = target.partition("#")
                file = file.split("?", 1)[0]  # the language switch's ?lang=
                resolved = _resolve(path, file, root) if file else path
                assert resolved.is_file(), f"{path}: {target} does not exist"
                if anchor:
                    if resolved not in ids:
                        ids[resolved] = Page(resolved).ids
                    assert anchor in ids[resolved], f"{path}: no #{anchor} in {file}"
                checked += 1
    assert site.pages >= 2000 and len(pages) > site.pages
    assert checked > 50_000
    css = (root / "site.css").read_text()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_commitments_index_is_a_sortable_table_sorted_by_id(site) -> None:
    p = page(site, "class/gg-Commitment.html")
    headers = p.all("th")[:5]
    assert headers[0]["aria-sort"] == "ascending" and all("aria-sort" not in h for h in headers[1:])
    assert [t for t, _ in p.elements].count("button") >= 5 + 1  # the columns and the search's submit button
    cells = [a for a in p.all("td")]
    ids = [a["data-sort"] for a in cells[0::5]]
    assert len(ids) == 70 and ids == sorted(ids) and ids[0] == "DK0001"
    row = cells[ids.index("DK0040") * 5 : ids.index("DK0040") * 5 + 5]
    assert row[2]["data-sort"] == "Denmark Action Plan 2013-2014"
    assert row[3]["data-sort"] == "Capacity Building; Public Service Delivery"
    assert row[4]["data-sort"] == "Substantial"  # the end-of-term report's verdict


def test_ontology_shapes_and_queries_are_documented(site) -> None:
    onto = page(site, "def/index.html")
    text = " ".join(onto.text)
    assert {"Commitment", "actionPlan", "IRMAssessment", "classes", "schemes"} <= onto.ids
    assert "OGP-tilsagn" in text and "OGP commitment" in text
    hrefs = [a["href"] for a in onto.all("a")]
    assert "#ActionPlan" in hrefs  # the range of gg:actionPlan
    assert "../def/policy-area.html" in hrefs and "../class/gg-Commitment.html" in hrefs
    assert (URIRef("https://w3id.org/govgraph/def#Commitment"), None, None) in Graph().parse(
        site.path / "def/index.ttl"
    )

    shapes = page(site, "def/shapes.html")
    text = " ".join(shapes.text)
    assert {"Commitment", "Label", "UniqueCommitmentIdentifier", "file-commitments"} <= shapes.ids
    assert "sh:targetClass" in text and "Warning" in text and "sh:pattern" in text
    assert "Et tilsagn har præcis én identifikator" in text  # the Danish message
    assert "SELECT $this ?value" in text  # the SPARQL constraint's query
    assert len(Graph().parse(site.path / "def/shapes.ttl", format="turtle")) > 100

    queries = page(site, "queries.html")
    assert {q.name for q in list_queries()} <= queries.ids
    assert "reform-initiatives-by-track" in " ".join(queries.text)

    concept = page(site, "def/policy-area/open-data.html")
    assert "../../doc/commitment/DK0009.html" in [a["href"] for a in concept.all("a")]


def test_concept_pages_show_danish_labels_definitions_and_where_they_come_from(site) -> None:
    """docs/vocabulary.md: a policy area labelled in Danish by govgraph says so; a label that is a source's
    wording links to that source's page; a definition after the OGP glossary is shown in Danish too."""
    html = (site.path / "def/policy-area/public-procurement.html").read_text(encoding="utf-8")
    assert '<h1><span class="ml" data-langs="da en"><span lang="da">Offentlige indkøb</span>' in html
    assert "Danish label: govgraph&#x27;s translation" in html
    qualifier = page(site, "def/qualifier/about.html")
    assert "../../doc/source/seed-004.html" in [a["href"] for a in qualifier.all("a")]
    assert "ordlydens kilde" in " ".join(qualifier.text)
    ontology = " ".join(page(site, "def/index.html").text)
    assert "No domain and no range: A links sheet may relate any two resources" in ontology  # gg:relatedTo
    assert {"PolicyElement", "ProgrammePart", "StatedNumber"} <= page(site, "def/index.html").ids
    major = " ".join(page(site, "def/irm-classic-did-it-open-government/major.html").text)
    assert "Et skridt fremad for forvaltningens åbenhed" in major and "A step forward for government openness" in major


@pytest.mark.slow
def test_the_same_input_gives_a_byte_identical_site(site, tmp_path: Path) -> None:
    from govgraph.build import build

    again = write_site(tmp_path / "again", build())
    first = {p.relative_to(site.path): p.read_bytes() for p in site.path.rglob("*") if p.is_file()}
    second = {p.relative_to(again.path): p.read_bytes() for p in again.path.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


# ------------------------------------------------------------------------------------------- escaping


def test_labels_are_escaped_and_no_script_is_injected(tiny: Path, tmp_path: Path) -> None:
    result = write_site(tmp_path / "out", files=[tiny], base_iri=TINY_BASE)
    html = (result.path / "doc/commitment/XX0001.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;fed&lt;/b&gt;" in html
    for path in result.path.rglob("*.html"):
        p = Page(path)
        for attrs, text in p.scripts:
            if attrs.get("type") in ("application/ld+json", "application/json"):  # JSON-LD, the query runner's
                assert "<" not in text
                json.loads(text)
            elif "src" in attrs:
                assert attrs["src"].endswith(("site.js", "query-runner.js")) and not text
            else:
                assert text == LANGUAGE_BOOT, f"{path}: an unexpected script {text[:80]!r}"
        assert not [t for t, _ in p.elements if t == "b"], path
        assert not any(a.get("href", "").startswith("javascript:") for _, a in p.elements), path
    [data] = Page(result.path / "doc/commitment/XX0001.html").structured_data()
    assert {"@language": "en", "@value": "<script>alert(1)</script>"} in data["name"]
    index = (result.path / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index and "alert(3)" in index
    # IRIs that would make unsafe file names get no page (they are still shown); an odd class gets a hashed name.
    files = {p.relative_to(result.path).as_posix() for p in result.path.rglob("*") if p.is_file()}
    assert not any("evil" in f or "hidden" in f for f in files)
    assert not list(tmp_path.glob("evil*")) and not list(tmp_path.glob("**/evil*"))
    odd = [f for f in files if f.startswith("class/class-")]
    assert len(odd) == 1 and odd[0].endswith(".html")


# ------------------------------------------------------------------------------------------- atomic replace


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_an_older_site_is_replaced_and_nothing_is_left_behind(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site(out, files=[tiny], base_iri=TINY_BASE)
    (out / "doc" / "stale.html").write_text("from an older site")
    write_site(out, files=[tiny], base_iri=TINY_BASE)
    assert not (out / "doc" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "tiny.ttl"]
    assert oct((out).stat().st_mode & 0o777) != oct(0o700)


def test_an_interrupted_run_leaves_the_older_site_whole(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site(out, files=[tiny], base_iri=TINY_BASE)
    before = _tree(out)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_site(out, files=[tiny], base_iri=TINY_BASE, progress=interrupt)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "tiny.ttl"]


def test_a_folder_that_is_not_a_site_is_never_replaced(tiny: Path, tmp_path: Path) -> None:
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    with pytest.raises(ValueError, match="not a govgraph site"):
        write_site(precious, files=[tiny], base_iri=TINY_BASE)
    assert [p.name for p in precious.iterdir()] == ["thesis.tex"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (write_site(empty, files=[tiny], base_iri=TINY_BASE).path / MARKER).is_file()


# ------------------------------------------------------------------------------------------- the CLI


def test_cli_site(tiny: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["site", "-o", str(tmp_path / "out"), "--base-iri", TINY_BASE, str(tiny)])
    assert done.exit_code == 0, done.output
    assert "files" in done.output and (tmp_path / "out/doc/commitment/XX0001.html").is_file()
    assert (tmp_path / "out/doc/action-plan/p1.jsonld").is_file()

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b .\nx:c x:d\n")
    done = runner.invoke(main, ["site", "-o", str(tmp_path / "bad-out"), str(bad)])
    assert done.exit_code == 2 and "bad.ttl" in done.output
    assert not (tmp_path / "bad-out").exists()

    done = runner.invoke(main, ["site", "-o", str(tmp_path / "other"), str(tiny)])  # wrong --base-iri
    assert done.exit_code == 2 and "no resource under https://w3id.org/govgraph/id/" in done.output

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("x")
    done = runner.invoke(main, ["site", "-o", str(tmp_path / "notes"), "--base-iri", TINY_BASE, str(tiny)])
    assert done.exit_code == 2 and "not a govgraph site" in done.output

    done = runner.invoke(main, ["site", str(tiny)])
    assert done.exit_code == 2 and "--output" in done.output


# ------------------------------------------------------------------------------------------- real web servers


def server_binary(names: tuple[str, ...], package: str) -> str:
    for name in names:
        found = shutil.which(name) or next(
            (f"{d}/{name}" for d in ("/usr/sbin", "/sbin") if os.access(f"{d}/{name}", os.X_OK)), None
        )
        if found:
            return found
    pytest.fail(
        f"{names[0]} is missing: install the Debian package {package} (apt-get install -y {package})", pytrace=False
    )


@pytest.fixture(scope="module")
def served_site(site) -> Iterator[Path]:
    """A copy of the site in a folder any user can read: nginx workers and httpd children drop root rights."""
    folder = Path(tempfile.mkdtemp(prefix="govgraph-site-"))
    try:
        folder.chmod(0o755)
        shutil.copytree(site.path, folder / "site")
        for p in [folder / "site", *(folder / "site").rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        yield folder / "site"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(errors="replace") if log.exists() else ""
                raise RuntimeError(f"the server did not start: {text}") from None
            time.sleep(0.05)


def run_server(command: list[str], url: str, log: Path) -> Iterator[str]:
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(url, process, log)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def nginx(system_packages: None, served_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx on 127.0.0.1 with the site's own nginx-map.conf and nginx.conf: at the root of one server, and in
    a sub-folder (alias) of another. Yields the base URL; the sub-folder is at <base>:<port+?>... see below."""
    binary = server_binary(("nginx",), "nginx-light")
    work = tmp_path_factory.mktemp("nginx")
    port, sub_port = free_port(), free_port()
    temp = "".join(f"{kind}_temp_path {work}/tmp;\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "tmp").mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
{user}pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
  access_log off;
  {temp}
  types {{ text/html html; text/css css; text/javascript js; }}
  include {served_site}/nginx-map.conf;
  server {{ listen 127.0.0.1:{port}; root {served_site}; include {served_site}/nginx.conf; }}
  server {{ listen 127.0.0.1:{sub_port}; location /pub/ {{ alias {served_site}/; include {served_site}/nginx.conf; }} }}
}}
"""
    )
    command = [binary, "-c", str(work / "nginx.conf"), "-p", str(work)]
    for url in run_server(command, f"http://127.0.0.1:{port}/", work / "error.log"):
        yield {"root": url, "sub": f"http://127.0.0.1:{sub_port}/pub/"}


@pytest.fixture(scope="module")
def apache(
    system_packages: None, served_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """Apache httpd on 127.0.0.1 reading the site's own .htaccess: at the document root, and in a sub-folder."""
    binary = server_binary(("apache2", "httpd"), "apache2-bin")
    modules = Path("/usr/lib/apache2/modules")
    if not (modules / "mod_rewrite.so").is_file():
        pytest.fail(f"Apache's modules are missing from {modules}: install apache2-bin", pytrace=False)
    work = tmp_path_factory.mktemp("apache")
    (work / "mime.types").write_text("")
    port = free_port()
    loads = "".join(
        f"LoadModule {name}_module {modules}/mod_{name}.so\n"
        for name in ("mpm_event", "authz_core", "dir", "mime", "rewrite", "headers", "alias")
    )
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    grant = "AllowOverride FileInfo\n  Require all granted"
    (work / "httpd.conf").write_text(
        f"""ServerRoot {work}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
Mutex file:{work} default
{loads}TypesConfig {work}/mime.types
{user}DocumentRoot {served_site}
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory {served_site}>
  {grant}
</Directory>
Alias /pub/ {served_site}/
"""
    )
    command = [binary, "-f", str(work / "httpd.conf"), "-DFOREGROUND"]
    for url in run_server(command, f"http://127.0.0.1:{port}/", work / "error.log"):
        yield {"root": url, "sub": url + "pub/"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_CLIENT = "text/turtle, application/rdf+xml;q=0.8, text/html;q=0.1"


def check_negotiation(base: str) -> None:
    for accept, ext in (
        (BROWSER, "html"),
        ("text/turtle", "ttl"),
        (RDF_CLIENT, "ttl"),
        ("application/ld+json", "jsonld"),
        (None, "html"),
    ):
        status, headers, _ = get(base + "id/commitment/DK0040", accept)
        assert status == 303, (base, accept, status)
        assert headers["location"] == base + f"doc/commitment/DK0040.{ext}", (accept, headers["location"])
        assert "accept" in headers.get("vary", "").lower()
    status, headers, body = get(headers["location"].replace(".html", ".ttl"))
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert (DK0040, DCTERMS.identifier, Literal("DK0040")) in Graph().parse(data=body, format="turtle")
    status, headers, body = get(base + "doc/commitment/DK0040.jsonld")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    # A document without an extension is served in the negotiated format.
    for accept, mime in (
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        (BROWSER, "text/html"),
    ):
        status, headers, body = get(base + "doc/commitment/DK0040", accept)
        assert status == 200 and headers["content-type"].startswith(mime), (accept, headers)
    # The ontology and the vocabulary's concepts and schemes.
    assert get(base + "def", "text/turtle")[1]["location"] == base + "def/index.ttl"
    assert get(base + "def/", BROWSER)[1]["location"] == base + "def/index.html"
    assert get(base + "def/policy-area", BROWSER)[1]["location"] == base + "def/policy-area.html"
    assert get(base + "def/policy-area/open-data", "application/ld+json")[1]["location"] == (
        base + "def/policy-area/open-data.jsonld"
    )
    status, headers, body = get(base)
    assert (
        status == 200
        and b"OGP commitments as linked open data</span></span></h1>" in body
        and "utf-8" in headers["content-type"].lower()
    )
    assert get(base + "site.css")[0] == 200 and get(base + "no/such/page.html")[0] == 404


@pytest.mark.slow
def test_nginx_serves_the_303_pattern(nginx: dict[str, str]) -> None:
    check_negotiation(nginx["root"])
    check_negotiation(nginx["sub"])
    assert get(nginx["root"] + "nginx.conf")[0] == 404


@pytest.mark.slow
def test_apache_serves_the_303_pattern(apache: dict[str, str]) -> None:
    check_negotiation(apache["root"])
    check_negotiation(apache["sub"])


def test_texts_are_in_the_packages_language_order() -> None:
    # Regression: the order counted the built-in languages after the package's, so a package that put English
    # first still got Danish first (the built-in ("da", "en") overwrote the package's positions).
    import dataclasses

    from govgraph.site.model import SiteModel

    manifest = dataclasses.replace(open_package().manifest, languages=("en", "da"))
    model = SiteModel(Graph(), "https://example.org/", manifest)
    assert list(model.in_site_order({"da": "tekst", "en": "text", "": "x", "fr": "texte"})) == ["en", "da", "", "fr"]
    assert model.in_site_order({"da": "tekst"}) == {"da": "tekst"}


def test_graph_triples_are_the_graphs_triples_in_every_kind_of_graph() -> None:
    # The site indexes a plain in-memory Graph from its store's own set of triples (rdflib's iteration costs a
    # third of the indexing); any other graph must still give exactly what rdflib's iteration gives.
    from rdflib import Dataset
    from rdflib.plugins.stores.memory import Memory

    from govgraph.build import build
    from govgraph.site.model import graph_triples

    built = build()
    triples = graph_triples(built)
    assert triples is not built  # the fast path: a change in rdflib that loses it shows here
    assert len(triples) == len(built) and set(triples) == set(built)

    shared = Memory()  # two graphs in one store: each gives its own triples only
    first, second = Graph(store=shared, identifier=URIRef("urn:x:1")), Graph(store=shared, identifier=URIRef("urn:x:2"))
    first.add((DK0040, RDFS.label, Literal("one")))
    second.add((DK0040, RDFS.label, Literal("two")))
    second.add((PRINCIPLES, RDFS.label, Literal("three", lang="en")))
    assert set(graph_triples(first)) == set(first) == {(DK0040, RDFS.label, Literal("one"))}
    assert set(graph_triples(second)) == set(second) and len(set(graph_triples(second))) == 2

    dataset = Dataset()
    dataset.graph(URIRef("urn:x:named")).add((DK0040, RDFS.label, Literal("named")))
    dataset.add((PRINCIPLES, RDFS.label, Literal("default")))
    for graph in (dataset, Graph(), Graph(store="SimpleMemory")):
        assert graph_triples(graph) is graph  # iterated as rdflib iterates it
    assert set(graph_triples(Graph())) == set()


def test_fold_folds_case_and_diacritics_the_same_on_either_path() -> None:
    # fold takes a shortcut for ASCII text; both paths must follow the search's rules.
    from govgraph.site.model import fold

    assert fold("Agency for Digitisation DK0040") == "agency for digitisation dk0040"
    assert fold("Ærø Økonomi- og Indenrigsministeriet") == "aero okonomi- og indenrigsministeriet"
    assert fold("Straße café İ") == "strasse cafe i"  # casefold's and NFKD's work
    assert fold("MiXeD 123 !?\t") == "mixed 123 !?\t"
