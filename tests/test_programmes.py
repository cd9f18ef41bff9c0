"""The reform programmes of the four Danish documents: counts per document and values spot-checked against
the documents themselves (line numbers in the comments)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from govgraph.namespaces import GG, SCHEMA

ID = "https://w3id.org/govgraph/id/"
PREFIXES = """
PREFIX gg: <https://w3id.org/govgraph/def#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def iri(kind: str, key: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{key}")


def count(graph, query: str) -> int:
    return int(next(iter(graph.query(PREFIXES + query)))[0])


def label(graph, s: URIRef, lang: str) -> str:
    return next(str(o) for o in graph.objects(s, RDFS.label) if o.language == lang)


# ---------------------------------------------------------------- counts per document


def test_sammenhaengsreform_has_four_tracks_with_7_9_8_4_initiatives(built_graph) -> None:
    rows = built_graph.query(
        PREFIXES
        + """
        SELECT ?n (COUNT(?i) AS ?c) WHERE {
          ?t a gg:Track ; gg:number ?n ;
             gg:partOfProgramme <https://w3id.org/govgraph/id/programme/sammenhaengsreformen> .
          ?i gg:track ?t } GROUP BY ?n ORDER BY ?n"""
    )
    assert [(int(n), int(c)) for n, c in rows] == [(1, 7), (2, 9), (3, 8), (4, 4)]
    process = count(
        built_graph,
        """SELECT (COUNT(?i) AS ?c) WHERE { ?i a gg:ProcessInitiative ;
        gg:partOfProgramme <https://w3id.org/govgraph/id/programme/sammenhaengsreformen> }""",
    )
    assert process == 4


def test_quality_reform_has_its_nine_example_initiatives(built_graph) -> None:
    numbers = sorted(
        int(n)
        for i in built_graph.subjects(GG.partOfProgramme, iri("programme", "kvalitetsreformen"))
        if (i, RDF.type, GG.Initiative) in built_graph
        for n in built_graph.objects(i, GG.number)
    )
    assert numbers == list(range(1, 10))
    assert built_graph.value(iri("programme", "kvalitetsreformen"), GG.statedInitiativeCount) == Literal(
        180, datatype=XSD.integer
    )


def test_fælles_velfærd_has_59_boxes_5_pejlemærker_and_7_principles(built_graph) -> None:
    assert count(built_graph, "SELECT (COUNT(?b) AS ?c) WHERE { ?b a gg:Box }") == 59
    assert (
        count(
            built_graph,
            """SELECT (COUNT(?g) AS ?c) WHERE { ?g a gg:Goal ;
        gg:goalType <https://w3id.org/govgraph/def/goal-type/pejlemaerke> }""",
        )
        == 5
    )
    numbers = sorted(
        int(n) for p in built_graph.subjects(RDF.type, GG.Principle) for n in built_graph.objects(p, GG.number)
    )
    assert numbers == [1, 2, 3, 4, 5, 6, 7]


def test_social_2020_goals_are_nine_with_measurable_targets(built_graph) -> None:
    goals = set(built_graph.subjects(GG.partOfProgramme, iri("programme", "sociale-2020-maal"))) & set(
        built_graph.subjects(RDF.type, GG.Goal)
    )
    assert len(goals) == 9
    for t in built_graph.subjects(GG.partOfProgramme, iri("programme", "sociale-2020-maal")):
        if (t, RDF.type, GG.Target) in built_graph:
            assert built_graph.value(t, GG.targetYear) == Literal("2020", datatype=XSD.gYear)
            assert built_graph.value(t, SCHEMA.value) is not None and built_graph.value(t, GG.unit) is not None
            assert built_graph.value(t, GG.indicator) is not None


def test_digitalisation_strategy_2016_2020(built_graph) -> None:
    s = iri("programme", "digitaliseringsstrategi-2016-2020")
    assert built_graph.value(s, GG.developedBy) == iri("institution", "digitaliseringsstyrelsen")
    assert set(built_graph.objects(s, GG.onBehalfOf)) == {
        iri("institution", k) for k in ("regeringen", "kl", "danske-regioner")
    }
    numbered = [
        g
        for g in built_graph.subjects(GG.partOfProgramme, s)
        if (g, GG.number, None) in built_graph and (g, RDF.type, GG.Goal) in built_graph
    ]
    assert len(numbered) == 3
    measures = {
        label(built_graph, i, "en")
        for i in built_graph.subjects(GG.partOfProgramme, iri("programme", "offentlige-digitaliseringsstrategier"))
    }
    assert {"NemKonto", "Digital Post"} <= measures


# ---------------------------------------------------------------- values, checked against the documents


def test_quality_reform_money(built_graph) -> None:
    # 000:24-28: DKK 50 billion 2009-2018; DKK 3 billion 2009-2015. 000:33-35: 368, 204 and 230 million.
    m = iri("money", "kvalitetsreformen-investments-2009-2018")
    assert built_graph.value(m, SCHEMA.value).toPython() == Decimal("50000000000")
    assert str(built_graph.value(m, SCHEMA.currency)) == "DKK"
    assert (str(built_graph.value(m, GG.periodStart)), str(built_graph.value(m, GG.periodEnd))) == ("2009", "2018")
    savings = sorted(
        int(built_graph.value(m, SCHEMA.value).toPython()) // 1_000_000
        for m in built_graph.subjects(GG.about, iri("initiative", "shared-service-centres-in-the-danish-public-sector"))
        if (m, RDF.type, GG.MonetaryAmount) in built_graph
    )
    assert savings == [204, 230, 368]


def test_the_seven_principles_were_agreed_by_six_parties(built_graph) -> None:
    # 004:526, 1956: Regeringen, KL, Danske Regioner, FTF, OAO og Akademikerne.
    first = iri("principle", "styring-skal-fokusere-paa-maal-og-resultater")
    assert label(built_graph, first, "da") == "Styring i den offentlige sektor skal fokusere på mål og resultater"
    assert {str(o).rsplit("/", 1)[1] for o in built_graph.objects(first, GG.agreedBy)} == {
        "regeringen",
        "kl",
        "danske-regioner",
        "ftf",
        "oao",
        "akademikerne",
    }


def test_the_nine_free_municipalities_by_name(built_graph) -> None:
    # 004:1676-1677
    names = {
        str(o).rsplit("/", 1)[1]
        for o in built_graph.objects(iri("programme", "frikommuneforsoeg-2012-2015"), GG.participant)
    }
    assert {n for n in names if n.endswith("-kommune")} == {
        f"{m}-kommune"
        for m in (
            "fredensborg",
            "fredericia",
            "gentofte",
            "gladsaxe",
            "odense",
            "odsherred",
            "vejle",
            "vesthimmerlands",
            "viborg",
        )
    }


def test_annex_rows_sum_to_the_stated_total(built_graph) -> None:
    """Bilag Boks 2 (004:4848-5007): eight initiatives whose amounts in 2020 add up to the stated 4.374 mio. kr."""
    rows = list(
        built_graph.query(
            PREFIXES
            + """
        SELECT ?i ?amount WHERE {
          ?i a gg:Initiative ; gg:listedInBox <https://w3id.org/govgraph/id/box/bilag-boks-2> .
          ?m gg:about ?i ; schema:value ?amount }"""
        )
    )
    assert len(rows) == 8
    total = built_graph.value(iri("money", "moderniseringsmaalsaetningen-status-total"), SCHEMA.value).toPython()
    assert total == Decimal("4374000000")
    assert sum(a.toPython() for _, a in rows) == total


def test_disagreeing_sources_are_both_kept_and_queryable(built_graph) -> None:
    """Public employees: 'over 800.000' (002:70) and 'godt 815.000' (004:1912), each with its source."""
    rows = sorted(
        built_graph.query(
            PREFIXES
            + """
        SELECT ?value ?doc WHERE {
          ?f gg:measures <https://w3id.org/govgraph/id/quantity/public-sector-employees> ; schema:value ?value ;
             prov:wasDerivedFrom/dcterms:isPartOf ?doc }"""
        )
    )
    assert [(int(v.toPython()), str(d).rsplit("/", 1)[1]) for v, d in rows] == [
        (800000, "seed-002"),
        (815000, "seed-004"),
    ]


@pytest.mark.parametrize(
    ("subject", "predicate", "object"),
    [  # the cross-document links the programmes issue names
        ("commitment/DK0040", "implements", "programme/syv-principper"),
        ("commitment/DK0043", None, "programme/strategi-for-digital-velfaerd-2013-2020"),
        ("commitment/DK0044", None, "programme/frivillighedscharter"),
        ("commitment/DK0029", None, "institution/statens-it-projektraad"),
        ("commitment/DK0041", None, "programme/frikommuneforsoeg-2012-2015"),
    ],
)
def test_cross_document_links_have_evidence(built_graph, subject: str, predicate: str | None, object: str) -> None:
    s, o = URIRef(ID + subject), URIRef(ID + object)
    links = [x for x in built_graph.subjects(GG.linkSubject, s) if (x, GG.linkObject, o) in built_graph]
    assert links, f"no link {subject} -> {object}"
    assert built_graph.value(links[0], GG.evidence) is not None
    assert len(list(built_graph.objects(links[0], URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))) >= 1
    if predicate:
        assert (s, GG[predicate], o) in built_graph


def test_institutions_are_deduplicated_across_documents(built_graph) -> None:
    kl = iri("institution", "kl")
    docs = {
        str(d).rsplit("/", 1)[1]
        for d in built_graph.query(
            PREFIXES
            + """
        SELECT DISTINCT ?doc WHERE {
          <https://w3id.org/govgraph/id/institution/kl> prov:wasDerivedFrom/dcterms:isPartOf ?doc }"""
        ).bindings
        for d in d.values()
    }
    assert {"seed-002", "seed-003", "seed-004"} <= docs
    assert "Local Government Denmark" in {str(o) for o in built_graph.objects(kl, RDFS.label)} | {
        str(o) for o in built_graph.objects(kl, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
    }
