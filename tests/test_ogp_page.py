"""The OGP commitment page reader on seed 001, and the curated list of 70 Danish commitments against it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from govgraph.build import convert_ogp_page
from govgraph.errors import InputErrors
from govgraph.iris import slugify
from govgraph.namespaces import GG, concept
from govgraph.sources.ogp_page import read_ogp_page

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
