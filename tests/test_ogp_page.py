"""The OGP commitment page reader: on seed 001 (and the curated list of 70 Danish commitments
against it), and on pages of other members in every layout variant (tests/data/ogp-pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from govgraph.build import build, convert_ogp_export, convert_ogp_page
from govgraph.cli import main
from govgraph.errors import InputErrors
from govgraph.iris import slugify
from govgraph.namespaces import GG, concept
from govgraph.sources.ogp_page import page_commitments, read_ogp_page

ID = "https://w3id.org/govgraph/id/"


def test_page_reader_reads_the_list_and_the_detail(seed_001: Path) -> None:
    page = read_ogp_page(seed_001)
    assert (page.member, page.commitment_id) == ("Denmark", "DK0040")
    assert page.at_a_glance["Action Plan"].value == "Denmark Action Plan 2013-2014"
    assert page.at_a_glance["Starred"].value == "No"
    assert page.policy_areas == ["Capacity Building", "Public Service Delivery"]
    assert len(page.entries) == 70
    assert sorted(e.id for e in page.entries) == [f"DK{n:04d}" for n in range(1, 71)]
    statuses = {(s.irm_number, s.phase): s.value for s in page.irm_status}
    assert statuses == {
        (7, "mid-term"): "Substantial",
        (7, "end-of-term"): "Substantial",
        (8, "mid-term"): "Substantial",
        (8, "end-of-term"): "Complete",
    }


def test_starred_prefix_becomes_a_flag_not_part_of_the_title(seed_001: Path) -> None:
    entries = {e.id: e for e in read_ogp_page(seed_001).entries}
    assert entries["DK0003"].starred and entries["DK0003"].title == "Management Labs and New Forms of Co-Operation"
    assert entries["DK0026"].starred
    assert entries["DK0026"].title == "Preparing a Digital Reform of the Public Welfare Areas"
    assert sum(e.starred for e in entries.values()) == 2


@pytest.mark.parametrize(
    ("cid", "title", "year", "area"),
    [  # written by hand from seed 001, lines 125-405
        ("DK0001", "Online Open Government Partnership Community", 2012, "E-Government"),
        (
            "DK0018",
            "Creating a Mediation and Complaints Institution for Responsible Business Behaviour",
            2012,
            "Human Rights",
        ),
        ("DK0041", "“Free Municipality” Pilot Projects", 2014, "Subnational"),
        (
            "DK0044",
            "Implementation of a New Charter for Interaction Between Volunteer Denmark/Associations Denmark "
            "and the Public Sector",
            2014,
            "Civic Space",
        ),
        ("DK0058", "Civil Society National Strategy", 2017, "Marginalized Communities"),
        ("DK0070", "Anonymous Whistleblower Portals for Justice System Employees", 2019, "Anti-Corruption"),
    ],
)
def test_handwritten_rows(seed_001: Path, built_graph, cid: str, title: str, year: int, area: str) -> None:
    entry = {e.id: e for e in read_ogp_page(seed_001).entries}[cid]
    assert (entry.title, entry.year, entry.policy_area) == (title, year, area)
    s = URIRef(ID + f"commitment/{cid}")
    titles = {str(t) for t in built_graph.objects(s, GG.shortTitle)} | {
        str(t) for t in built_graph.objects(s, DCTERMS.title)
    }
    assert title in titles
    plan = built_graph.value(s, GG.actionPlan)
    assert built_graph.value(plan, GG.cycleYear) == Literal(str(year), datatype=XSD.gYear)
    assert (s, GG.policyArea, URIRef(concept("policy-area", slugify(area)))) in built_graph


def test_the_70_built_commitments_equal_the_seed_list(seed_001: Path, built_graph) -> None:
    """id, title, year and policy area of every Danish commitment in the graph, against the page reader."""
    expected = {(e.id, e.title, e.year, slugify(e.policy_area)) for e in read_ogp_page(seed_001).entries}
    actual = set()
    for s in built_graph.subjects(RDF.type, GG.Commitment):
        cid = str(built_graph.value(s, DCTERMS.identifier))
        label = str(built_graph.value(s, RDFS.label))
        year = int(str(built_graph.value(built_graph.value(s, GG.actionPlan), GG.cycleYear)))
        for area in built_graph.objects(s, GG.policyArea):
            key = str(area).rsplit("/", 1)[1]
            if (cid, label, year, key) in expected:
                actual.add((cid, label, year, key))
    assert actual == expected
    assert len(set(built_graph.subjects(RDF.type, GG.Commitment))) == 70


def test_dk0040_and_dk0041_assessments(built_graph) -> None:
    def values(cid: str) -> dict[tuple[str, str], str]:
        out = {}
        for a in built_graph.subjects(GG.assessedCommitment, URIRef(ID + f"commitment/{cid}")):
            report = str(built_graph.value(a, GG.report)).rsplit("/", 1)[1]
            criterion = str(built_graph.value(a, GG.criterion)).rsplit("/", 1)[1]
            out[(report, criterion)] = str(built_graph.value(a, GG.value)).rsplit("/", 1)[1]
        return out

    dk40, dk41 = values("DK0040"), values("DK0041")
    assert dk40[("denmark-irm-progress-report-2014-2015", "completion")] == "substantial"
    assert dk40[("denmark-end-of-term-report-2014-2016", "completion")] == "substantial"
    assert dk41[("denmark-irm-progress-report-2014-2015", "completion")] == "substantial"
    assert dk41[("denmark-end-of-term-report-2014-2016", "completion")] == "complete"
    assert (
        dk40[("denmark-end-of-term-report-2014-2016", "did-it-open-government-civic-participation")] == "did-not-change"
    )
    assert dk40[("denmark-end-of-term-report-2014-2016", "starred")] == "no"


def test_dk0018_merges_the_list_and_the_export(built_graph) -> None:
    s = URIRef(ID + "commitment/DK0018")
    assert str(built_graph.value(s, DCTERMS.title)) == (
        "Creating a mediation and complaints institution for responsible business behaviour"
    )
    sources = {str(o) for o in built_graph.objects(s, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))}
    assert any("ogp-export-denmark" in x for x in sources) and any("seed-001" in x for x in sources)
    assert len(list(built_graph.subjects(GG.assessedCommitment, s))) == 7


def test_convert_page_gives_the_list_and_the_detail(seed_001: Path) -> None:
    graph = convert_ogp_page(seed_001)
    assert len(set(graph.subjects(RDF.type, GG.Commitment))) == 70
    s = URIRef(ID + "commitment/DK0003")
    assert (s, GG.starred, Literal(True)) in graph
    dk40 = URIRef(ID + "commitment/DK0040")
    assert (dk40, GG.policyArea, URIRef(concept("policy-area", "public-service-delivery"))) in graph


def test_page_errors_name_the_line(tmp_path: Path, seed_001: Path) -> None:
    text = seed_001.read_text(encoding="utf-8").replace(
        "    DK0051, 2017, E-Government", "    DK51, 2017, E-Government"
    )
    text = text.replace("    DK0052, 2017, E-Government", "    DK0050, 2017, E-Government")
    bad = tmp_path / "page.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        read_ogp_page(bad)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 2
    assert messages[0].startswith(f"{bad}:161:") and "malformed commitment id 'DK51'" in messages[0]
    assert "duplicate commitment id DK0050" in messages[1]


# --- Pages of any member, one per layout variant (tests/data/ogp-pages, written for these tests) ---------

PAGES = Path(__file__).parent / "data" / "ogp-pages"
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
ORG_ORGANIZATION = URIRef("http://www.w3.org/ns/org#Organization")

# Expected of each page, written by hand from the page texts: member code, action plan key and cycle,
# status, lead institution, policy areas, OGP values, and the assessments as
# (criterion, value, methodology, report key).
EXPECTED = {
    "classic-two-reports.txt": {
        "id": "NO0091",
        "member": "NOR",
        "plan": ("norway-action-plan-2016-2018", 2016),
        "status": "inactive",
        "lead": ("Ministry of Local Government and Modernisation",),
        "areas": ("fiscal-openness", "public-participation", "subnational"),
        "values": ("access-to-information", "civic-participation"),
        "assessments": {
            ("verifiability", "yes", "classic", "norway-mid-term-report-2016-2018"),
            ("relevance", "relevant", "classic", "norway-mid-term-report-2016-2018"),
            ("potential-impact", "moderate", "classic", "norway-mid-term-report-2016-2018"),
            ("completion", "substantial", "classic", "norway-end-of-term-report-2016-2018"),
            ("starred", "no", "classic", "norway-end-of-term-report-2016-2018"),
            ("did-it-open-government", "marginal", "classic", "norway-end-of-term-report-2016-2018"),
        },
    },
    "no-member-line.txt": {
        "id": "SE0042",
        "member": "SWE",
        "plan": ("sweden-action-plan-2014-2016", 2014),
        "status": "inactive",
        "lead": (),
        "areas": ("access-to-information",),
        "values": ("access-to-information",),
        "assessments": {  # Early Results: No IRM Data and an empty Potential Impact give nothing
            ("verifiability", "no", "classic", "sweden-irm-progress-report-2014-2015"),
            ("relevance", "relevant", "classic", "sweden-irm-progress-report-2014-2015"),
            ("starred", "no", "classic", "sweden-irm-progress-report-2014-2015"),
        },
    },
    "glued-heading.txt": {
        "id": "FI0077",
        "member": "FIN",
        "plan": ("finland-action-plan-2017-2019", 2017),
        "status": None,
        "lead": ("Ministry of Finance",),
        "areas": ("capacity-building", "public-participation"),
        "values": (),  # "Relevant to OGP Values: Yes" names no value
        "assessments": {
            ("verifiability", "yes", "classic", "finland-irm-progress-report-2017-2018"),
            ("relevance", "relevant", "classic", "finland-irm-progress-report-2017-2018"),
            ("ambition", "low", "classic", "finland-irm-progress-report-2017-2018"),  # "Ambition (see definition)"
            ("did-it-open-government", "did-not-change", "classic", "finland-end-of-term-report-2017-2019"),
        },
    },
    "empty-policy-areas.txt": {
        "id": "KE0033",
        "member": "KEN",
        "plan": ("kenya-action-plan-2018-2020", 2018),
        "status": "active",
        "lead": ("The National Treasury",),
        "areas": (),
        "values": ("access-to-information", "public-accountability"),
        "assessments": {
            ("verifiability", "yes", "classic", "kenya-design-report-2018-2020"),
            ("relevance", "relevant", "classic", "kenya-design-report-2018-2020"),
            ("potential-impact", "minor", "classic", "kenya-design-report-2018-2020"),
            ("starred", "no", "classic", "kenya-design-report-2018-2020"),
        },
    },
    "not-attached-pending.txt": {
        "id": "MX0120",
        "member": "MEX",
        "plan": None,
        "status": None,
        "lead": (),
        "areas": ("open-contracting", "public-procurement"),
        "values": (),
        "assessments": set(),
    },
    "refresh-2021.txt": {
        "id": "SE0061",
        "member": "SWE",
        "plan": ("sweden-action-plan-2021-2023", 2021),
        "status": "active",
        "lead": ("Swedish Food Agency",),
        "areas": ("environment-climate", "open-data", "water-sanitation"),
        "values": ("access-to-information",),
        "assessments": {
            ("verifiability", "yes", "refresh-2021", "sweden-action-plan-review-2021-2023"),
            ("relevance", "relevant", "refresh-2021", "sweden-action-plan-review-2021-2023"),
            ("potential-for-results", "substantial", "refresh-2021", "sweden-action-plan-review-2021-2023"),
            ("completion", "complete", "refresh-2021", "sweden-results-report-2021-2023"),
            ("starred", "yes", "refresh-2021", "sweden-results-report-2021-2023"),
            ("early-results", "significant", "refresh-2021", "sweden-results-report-2021-2023"),
        },
    },
    "design-implementation.txt": {
        "id": "UK0105",
        "member": "GBR",
        "plan": ("united-kingdom-action-plan-2019-2021", 2019),
        "status": "inactive",
        "lead": ("Department for Business, Energy and Industrial Strategy",),
        "areas": ("anti-corruption-and-integrity", "beneficial-ownership"),
        "values": ("access-to-information", "public-accountability", "technology-and-innovation"),
        "assessments": {
            ("verifiability", "yes", "classic", "united-kingdom-design-report-2019-2021"),
            ("relevance", "relevant", "classic", "united-kingdom-design-report-2019-2021"),
            ("potential-impact", "transformative", "classic", "united-kingdom-design-report-2019-2021"),
            ("completion", "limited", "classic", "united-kingdom-implementation-report-2019-2021"),
            ("starred", "no", "classic", "united-kingdom-implementation-report-2019-2021"),
            ("did-it-open-government", "major", "classic", "united-kingdom-implementation-report-2019-2021"),
        },
    },
    "irm-summary.txt": {
        "id": "MX0044",
        "member": "MEX",
        "plan": ("mexico-action-plan-2013-2015", 2013),
        "status": "inactive",
        "lead": ("Ministry of Public Administration",),
        "areas": ("public-service-delivery", "social-accountability"),
        "values": ("civic-participation",),
        "assessments": {
            ("verifiability", "yes", "classic", "mexico-irm-progress-report-2013-2014"),
            ("relevance", "relevant", "classic", "mexico-irm-progress-report-2013-2014"),
            ("potential-impact", "moderate", "classic", "mexico-irm-progress-report-2013-2014"),
            ("starred", "no", "classic", "mexico-end-of-term-report-2013-2015"),
            ("did-it-open-government", "marginal", "classic", "mexico-end-of-term-report-2013-2015"),
            # the end-of-term summary: completion at mid-term and end of term, and the three DIOG values
            ("completion", "limited", "classic", "mexico-irm-progress-report-2013-2014"),
            ("completion", "substantial", "classic", "mexico-end-of-term-report-2013-2015"),
            (
                "did-it-open-government-access-to-information",
                "did-not-change",
                "classic",
                "mexico-end-of-term-report-2013-2015",
            ),
            (
                "did-it-open-government-civic-participation",
                "marginal",
                "classic",
                "mexico-end-of-term-report-2013-2015",
            ),
            (
                "did-it-open-government-public-accountability",
                "did-not-change",
                "classic",
                "mexico-end-of-term-report-2013-2015",
            ),
        },
    },
    "design-and-results-report.txt": {
        "id": "FI0090",
        "member": "FIN",
        "plan": ("finland-action-plan-2019-2023", 2019),
        "status": None,
        "lead": ("Ministry of Justice",),
        "areas": ("lobbying", "open-data"),
        "values": ("access-to-information", "public-accountability"),  # printed without a comma
        "assessments": {
            ("verifiability", "yes", "classic", "finland-design-report-2019-2021"),
            ("relevance", "relevant", "classic", "finland-design-report-2019-2021"),
            ("ambition", "high", "classic", "finland-design-report-2019-2021"),
            # "Marginal Marginal": printed twice, and a DIOG value, given by the results report
            ("did-it-open-government", "marginal", "refresh-2021", "finland-results-report-2019-2023"),
        },
    },
    "with-list.txt": {
        "id": "KE0021",
        "member": "KEN",
        "plan": ("kenya-action-plan-2016-2018", 2016),
        "status": "inactive",
        "lead": ("Council of Governors",),
        "areas": ("public-participation", "subnational"),
        "values": ("civic-participation",),
        "assessments": {  # design ratings: the plan's progress report, which the page does not name
            ("verifiability", "yes", "classic", "kenya-action-plan-2016-2018-progress-report"),
            ("relevance", "relevant", "classic", "kenya-action-plan-2016-2018-progress-report"),
            ("potential-impact", "transformative", "classic", "kenya-action-plan-2016-2018-progress-report"),
            ("completion", "complete", "classic", "kenya-end-of-term-report-2016-2018"),
            ("starred", "yes", "classic", "kenya-end-of-term-report-2016-2018"),
            ("did-it-open-government", "major", "classic", "kenya-end-of-term-report-2016-2018"),
        },
    },
}


def test_every_variant_has_a_page_and_an_expectation() -> None:
    assert sorted(p.name for p in PAGES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_variant_gives_every_field(name: str) -> None:
    want = EXPECTED[name]
    page = read_ogp_page(PAGES / name)
    own = {c.id: c for c in page_commitments(page, "doc")}[want["id"]]
    assert own.country is not None and own.country.code == want["member"]
    assert (
        (own.action_plan.key, own.action_plan.cycle_year) == want["plan"] if want["plan"] else own.action_plan is None
    )
    assert own.status == want["status"]
    assert own.lead_institutions == want["lead"]
    assert own.policy_areas == want["areas"]
    assert own.ogp_values == want["values"]
    got = {(a.criterion, a.value, a.methodology, a.report.key) for a in own.assessments}
    assert got == want["assessments"]
    assert own.description and own.description.split()[0] in page.description


def test_glued_heading_and_empty_policy_areas_are_not_areas() -> None:
    glued = read_ogp_page(PAGES / "glued-heading.txt")
    assert glued.policy_areas == ["Capacity Building", "Public Participation"]
    assert "IRM Report" in glued.at_a_glance  # the glued heading did not swallow the section after it
    empty = read_ogp_page(PAGES / "empty-policy-areas.txt")
    assert empty.policy_areas == [] and empty.policy_areas_line is None


def test_member_line_is_optional_and_the_id_says_whose() -> None:
    page = read_ogp_page(PAGES / "no-member-line.txt")
    assert page.member is None and page.commitment_id == "SE0042"
    (own,) = page_commitments(page, "doc")
    assert own.country.name == "Sweden"
    assert own.page_url == "https://www.opengovpartnership.org/members/sweden/commitments/SE0042/"


def test_list_entries_and_the_page_commitment_merge() -> None:
    page = read_ogp_page(PAGES / "with-list.txt")
    records = {c.id: c for c in page_commitments(page, "doc")}
    assert sorted(records) == ["KE0021", "KE0022", "KE0034"]
    assert records["KE0021"].starred is True and records["KE0022"].starred is False
    assert records["KE0034"].policy_areas == ("open-contracting",) and not records["KE0034"].assessments
    assert len(records["KE0021"].extra_sources) == 2  # the description and the list entry


def _assessments(graph, cid: str) -> set[tuple[str, str, str, str]]:
    out = set()
    for a in graph.subjects(GG.assessedCommitment, URIRef(ID + f"commitment/{cid}")):
        out.add(
            tuple(str(graph.value(a, p)).rsplit("/", 1)[1] for p in (GG.criterion, GG.value, GG.methodology, GG.report))
        )
    return out


def test_placeholders_are_not_known_never_false() -> None:
    graph = convert_ogp_page(PAGES / "not-attached-pending.txt")
    s = URIRef(ID + "commitment/MX0120")
    assert graph.value(s, GG.starred) is None
    assert graph.value(s, GG.actionPlan) is None and graph.value(s, GG.status) is None
    assert graph.value(s, GG.leadInstitution) is None
    assert not _assessments(graph, "MX0120")
    assert not list(graph.subjects(RDF.type, GG.IRMReport))


def test_page_graph_is_written_like_the_export(ogp_sample: Path) -> None:
    """The page's commitment uses the export converter's properties; its lead institution is the same kind of
    resource (an org:Organization minted from the member's code and the name); assessments carry their report,
    whose type says the report kind."""
    export = convert_ogp_export(ogp_sample)
    export_predicates = {p for s in export.subjects(RDF.type, GG.Commitment) for p in export.predicates(s)}
    graph = convert_ogp_page(PAGES / "design-implementation.txt")
    s = URIRef(ID + "commitment/UK0105")
    assert set(graph.predicates(s)) <= export_predicates
    lead = graph.value(s, GG.leadInstitution)
    assert lead == URIRef(ID + "institution/gbr-department-for-business-energy-and-industrial-strategy")
    assert (lead, RDF.type, ORG_ORGANIZATION) in graph
    assert graph.value(s, GG.member) == URIRef(ID + "member/gbr")
    plan = graph.value(s, GG.actionPlan)
    assert graph.value(plan, GG.cycleYear) == Literal("2019", datatype=XSD.gYear)
    report = URIRef(ID + "irm-report/united-kingdom-implementation-report-2019-2021")
    assert graph.value(report, GG.reportType) == URIRef(concept("irm-report-type", "end-of-term-report"))
    assert _assessments(graph, "UK0105") == {
        (c, v, m, r) for c, v, m, r in EXPECTED["design-implementation.txt"]["assessments"]
    }
    for a in graph.subjects(GG.assessedCommitment, s):
        excerpt = graph.value(a, PROV_DERIVED)
        assert graph.value(excerpt, GG.firstLine) is not None  # each rating cites its own line of the page


def test_several_pages_and_a_folder_convert_together(tmp_path: Path, seed_001: Path) -> None:
    out = tmp_path / "pages.ttl"
    result = CliRunner().invoke(main, ["convert", "ogp-page", str(PAGES), str(seed_001), "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out)
    ids = {str(graph.value(s, DCTERMS.identifier)) for s in graph.subjects(RDF.type, GG.Commitment)}
    assert {e["id"] for e in EXPECTED.values()} | {"KE0022", "KE0034", "DK0001", "DK0070"} <= ids
    assert len(list(graph.subjects(RDF.type, GG.SourceDocument))) == len(EXPECTED) + 1


def test_not_a_page_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list\n\nmilk\nbread\n", encoding="utf-8")
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(
        main, ["convert", "ogp-page", str(PAGES / "refresh-2021.txt"), str(bad), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert f"{bad}:1: not an OGP commitment page" in result.output
    assert not out.exists()
    heading_only = tmp_path / "heading.txt"
    heading_only.write_text("Skip Navigation\n\nSomething (AB1234)\n\nJust prose.\n", encoding="utf-8")
    with pytest.raises(InputErrors, match=r"heading\.txt:3: not an OGP commitment page"):
        read_ogp_page(heading_only)


def test_a_value_outside_its_scale_names_its_line(tmp_path: Path) -> None:
    text = (
        (PAGES / "classic-two-reports.txt")
        .read_text(encoding="utf-8")
        .replace("Completion: Substantial", "Completion: Mostly")
    )
    bad = tmp_path / "page.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(
        InputErrors, match=r"page\.txt:44: \[Completion\] 'Mostly' is not a value of the IRM completion"
    ):
        read_ogp_page(bad)


def test_a_package_lists_page_files(tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    result = CliRunner().invoke(main, ["init", str(copy)])
    assert result.exit_code == 0, result.output
    shutil.copy(PAGES / "refresh-2021.txt", copy / "se0061.txt")
    manifest = copy / "package.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "ogp_pages: [se0061.txt]\n", encoding="utf-8")
    graph = build(ID.removesuffix("id/"), data=copy)
    assert _assessments(graph, "SE0061") == EXPECTED["refresh-2021.txt"]["assessments"]


def test_a_saved_list_alone_converts_but_page_sections_need_their_heading(tmp_path: Path) -> None:
    listing = (
        "Skip Navigation\nKenya\n\nCommitments\n\n  1. Open Contracting Portal\n\n    KE0034, 2018, Open Contracting\n"
    )
    only_list = tmp_path / "list.txt"
    only_list.write_text(listing, encoding="utf-8")
    (entry,) = page_commitments(read_ogp_page(only_list), "doc")
    assert (entry.id, entry.country.code, entry.policy_areas) == ("KE0034", "KEN", ("open-contracting",))
    headless = tmp_path / "headless.txt"
    headless.write_text("Skip Navigation\nKenya\n\nStatus: Active\n\n" + listing.split("\n\n", 1)[1], encoding="utf-8")
    with pytest.raises(InputErrors, match=r"headless\.txt:4: no page heading of the form 'Title \(DK0040\)'"):
        read_ogp_page(headless)


def test_results_ratings_without_a_results_report_go_to_the_plans_report(tmp_path: Path) -> None:
    """A page naming only the design report can show an end-of-term "Did it open government?" rating: it is
    the plan's end-of-term report's, not the design report's."""
    text = (PAGES / "empty-policy-areas.txt").read_text(encoding="utf-8")
    page_file = tmp_path / "page.txt"
    page_file.write_text(text.replace("Early Results: Pending IRM Review", "Early Results: Did Not Change"))
    (own,) = page_commitments(read_ogp_page(page_file), "doc")
    rated = {(a.criterion, a.value, a.report.key, a.report.kind) for a in own.assessments}
    assert (
        "did-it-open-government",
        "did-not-change",
        "kenya-action-plan-2018-2020-end-of-term-report",
        "end-of-term-report",
    ) in rated
    assert ("starred", "no", "kenya-design-report-2018-2020", "progress-report") in rated


def test_not_relevant_and_a_summary_without_its_commitment_line(tmp_path: Path) -> None:
    text = (PAGES / "irm-summary.txt").read_text(encoding="utf-8")
    text = text.replace("Relevant to OGP Values: Civic Participation", "Relevant to OGP Values: No")
    text = text.replace("Commitment 12:\n\n", "")
    page_file = tmp_path / "page.txt"
    page_file.write_text(text, encoding="utf-8")
    (own,) = page_commitments(read_ogp_page(page_file), "doc")
    rated = {(a.criterion, a.value, a.report.key) for a in own.assessments}
    assert ("relevance", "not-relevant", "mexico-irm-progress-report-2013-2014") in rated and not own.ogp_values
    assert ("completion", "substantial", "mexico-end-of-term-report-2013-2015") in rated


# --- The Danish IRM record: curated facts of the commitments' OGP pages (ogp-denmark.yaml) --------------


def test_the_pages_give_an_irm_record_to_41_danish_commitments(built_graph) -> None:
    rated = {
        str(built_graph.value(c, DCTERMS.identifier))
        for a in built_graph.subjects(RDF.type, GG.IRMAssessment)
        for c in built_graph.objects(a, GG.assessedCommitment)
    }
    assert len(rated) == 41, sorted(rated)  # 3 before the pages: DK0018 (export), DK0040, DK0041 (seed 001)
    assert {"DK0021", "DK0035", "DK0036", "DK0042", "DK0047", "DK0051", "DK0065", "DK0069", "DK0070"} <= rated


def test_two_versions_of_a_page_write_one_rating_once_and_the_later_ones_ambition(built_graph) -> None:
    """DK0042: the older version says "Not Relevant", the later "No" (one rating, not-relevant); only the later
    shows "Ambition (see definition): Low", under the progress report both name."""
    s = URIRef(ID + "commitment/DK0042")
    got = {
        tuple(str(built_graph.value(a, p)).rsplit("/", 1)[1] for p in (GG.criterion, GG.value, GG.report))
        for a in built_graph.subjects(GG.assessedCommitment, s)
    }
    assert got == {
        ("ambition", "low", "denmark-irm-progress-report-2014-2015"),
        ("relevance", "not-relevant", "denmark-irm-progress-report-2014-2015"),
        ("verifiability", "no", "denmark-irm-progress-report-2014-2015"),
        ("starred", "no", "denmark-end-of-term-report-2014-2016"),
        ("did-it-open-government", "did-not-change", "denmark-end-of-term-report-2014-2016"),
    }


def test_page_facts_sit_beside_the_seeds_each_with_its_source(built_graph) -> None:
    s = URIRef(ID + "commitment/DK0065")
    areas = {str(a).rsplit("/", 1)[1] for a in built_graph.objects(s, GG.policyArea)}
    assert "e-government" in areas  # seed 001's list
    assert {"labor", "open-data", "private-sector", "public-participation"} <= areas  # the page's versions
    cited = {
        str(built_graph.value(built_graph.value(x, DCTERMS.isPartOf), DCTERMS.identifier))
        for x in built_graph.objects(s, PROV_DERIVED)
    }
    assert {"seed-001", "ogp-page-dk0065-pending", "ogp-page-dk0065-design", "ogp-page-dk0065-results"} <= cited
    lead = built_graph.value(s, GG.leadInstitution)
    assert lead == URIRef(ID + "institution/arbejdstilsynet")  # the page's English name is the curated body
    assert built_graph.value(s, GG.status) == URIRef(concept("commitment-status", "active"))
    page = URIRef("https://www.opengovpartnership.org/members/denmark/commitments/DK0065/")
    assert (URIRef(ID + "source/ogp-page-dk0065-design"), RDFS.seeAlso, page) in built_graph


def test_starred_the_seed_badge_and_the_page_rating_are_both_kept(built_graph) -> None:
    dk47 = URIRef(ID + "commitment/DK0047")
    assert built_graph.value(dk47, GG.starred) == Literal(False)  # no badge in seed 001's list
    assert ("starred", "no", "classic", "denmark-end-of-term-report-2014-2016") in _assessments(built_graph, "DK0047")
    # "Starred: Pending IRM Review" on DK0066's page: not known, no rating at all
    assert not {a for a in _assessments(built_graph, "DK0066") if a[0] == "starred"}
    assert ("verifiability", "yes", "classic", "denmark-design-report-2019-2021") in _assessments(built_graph, "DK0066")


def test_ratings_of_an_unnamed_report_go_to_the_plans_named_report(built_graph) -> None:
    """DK0050's page names only the design report but shows the end-of-term DIOG rating: it is the one
    implementation report the other pages of the plan name."""
    assert ("did-it-open-government", "did-not-change", "classic", "denmark-implementation-report-2017-2019") in (
        _assessments(built_graph, "DK0050")
    )


def test_a_curated_page_fact_outside_its_scale_names_the_file_and_line(tmp_path: Path) -> None:
    from govgraph.sources.curated import read_curated
    from govgraph.sources.curated_ogp import curated_commitments

    bad = tmp_path / "pages.yaml"
    bad.write_text(
        "documents:\n"
        "  - key: a-page\n    title: {en: A page}\n    language: en\n"
        "action_plans:\n"
        "  - key: ap-x\n    label: {en: X plan}\n    country: DNK\n    cycle_year: 2019\n"
        "    source: {doc: a-page, section: At-a-Glance}\n"
        "commitments:\n"
        "  - id: DK0099\n    title: T\n    action_plan: ap-x\n    policy_areas: [open-data]\n"
        "    source: {doc: a-page, section: At-a-Glance}\n"
        "commitment_pages:\n"
        "  - key: a-page-v1\n    commitment: DK0099\n    irm_reports: [Denmark Design Report 2019-2021]\n"
        "    verifiable: Maybe\n    source: {doc: a-page, section: At-a-Glance}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors, match=r"pages\.yaml:18: \[Verifiable\] 'Maybe' is not a value"):
        curated_commitments(read_curated([bad]))


def test_a_page_wins_over_its_entry_in_another_pages_list(tmp_path: Path) -> None:
    """MX0120's page has no plan and no ratings; another page lists MX0120: the page still gives the record."""
    listing = "Skip Navigation\nMexico\n\nCommitments\n\n  1. Procurement Data\n\n    MX0120, 2021, Open Data\n"
    (tmp_path / "a-list.txt").write_text(listing, encoding="utf-8")
    shutil.copy(PAGES / "not-attached-pending.txt", tmp_path / "b-page.txt")
    graph = convert_ogp_page(tmp_path)
    s = URIRef(ID + "commitment/MX0120")
    assert str(graph.value(s, DCTERMS.title)) == "Open Procurement Data for Public Works"
    assert len(set(graph.objects(s, PROV_DERIVED))) == 3  # its At-a-Glance, its description, the list item


def test_the_pages_ambition_rating_is_an_irm_assessment(tmp_path: Path) -> None:
    """'Ambition (see definition)' (or 'Ambition') is the OGP's high/low rating of the design: an assessment
    under the page's design-phase report, on the ambition criterion's scale of that report's methodology."""
    from govgraph.build import add_vocabulary
    from govgraph.validate import validate

    text = (PAGES / "refresh-2021.txt").read_text(encoding="utf-8")
    page_file = tmp_path / "se0061.txt"
    page_file.write_text(text.replace("Potential for Results: Substantial", "Ambition: High"), encoding="utf-8")
    graph = convert_ogp_page(page_file)
    assert ("ambition", "high", "refresh-2021", "sweden-action-plan-review-2021-2023") in _assessments(graph, "SE0061")
    (a,) = [a for a in graph.subjects(GG.criterion, URIRef(concept("irm-criterion", "ambition")))]
    assert graph.value(a, GG.value) == URIRef(concept("irm-refresh-2021-ambition", "high"))
    assert graph.value(graph.value(a, PROV_DERIVED), GG.firstLine) == Literal(37)  # the rating's line of the page
    add_vocabulary(graph)
    report = validate(graph)
    assert report.counts()["Violation"] == 0, [r for r in report.results if r.severity == "Violation"][:3]
    bad = tmp_path / "bad.txt"
    bad.write_text(text.replace("Potential for Results: Substantial", "Ambition (see definition): Medium"))
    with pytest.raises(InputErrors, match=r"bad\.txt:37: \[Ambition \(see definition\)\] 'Medium' is not a value"):
        read_ogp_page(bad)


def test_the_later_danish_pages_give_their_ambition_rating(built_graph) -> None:
    """The later versions of the Danish pages show "Ambition (see definition)": 26 commitments, each under
    the design-phase report its page names (hand-checked: DK0044 High, DK0065 High, DK0051 Low)."""
    criterion = URIRef(concept("irm-criterion", "ambition"))
    rated = {
        str(built_graph.value(built_graph.value(a, GG.assessedCommitment), DCTERMS.identifier)): (
            str(built_graph.value(a, GG.value)).rsplit("/", 1)[1],
            str(built_graph.value(a, GG.report)).rsplit("/", 1)[1],
        )
        for a in built_graph.subjects(GG.criterion, criterion)
    }
    assert len(rated) == 26
    assert rated["DK0044"] == ("high", "denmark-irm-progress-report-2014-2015")
    assert rated["DK0065"] == ("high", "denmark-design-report-2019-2021")
    assert rated["DK0051"] == ("low", "denmark-design-report-2017-2019")
