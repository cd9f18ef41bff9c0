"""The ontology and its SKOS schemes: complete labels, and in step with what the readers can produce."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from govgraph.build import add_vocabulary
from govgraph.iris import slugify
from govgraph.namespaces import concept, scheme
from govgraph.records import scale_scheme
from govgraph.resources import curated_files
from govgraph.sources.curated import read_curated
from govgraph.sources.ogp_export import OGP_VALUE_COLUMNS, POLICY_AREA_COLUMNS, SCALES

GG = "https://w3id.org/govgraph/def#"


@pytest.fixture(scope="module")
def vocab() -> Graph:
    g = Graph()
    add_vocabulary(g)
    return g


def test_ontology_header(vocab: Graph) -> None:
    ont = URIRef("https://w3id.org/govgraph/def")
    assert (ont, RDF.type, OWL.Ontology) in vocab
    for p in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license")):
        assert vocab.value(ont, p) is not None
    for p in ("title", "description"):
        langs = {o.language for o in vocab.objects(ont, URIRef(f"http://purl.org/dc/terms/{p}"))}
        assert langs == {"da", "en"}


def test_every_term_has_danish_and_english_label_and_comment(vocab: Graph) -> None:
    terms = {s for s in vocab.subjects(RDFS.isDefinedBy, None) if str(s).startswith(GG)}
    assert len(terms) > 100
    missing = []
    for term in sorted(terms):
        for p in (RDFS.label, RDFS.comment):
            if {o.language for o in vocab.objects(term, p)} != {"da", "en"}:
                missing.append(f"{term} {p}")
    assert missing == []


def test_every_concept_is_in_its_scheme_with_an_english_label(vocab: Graph) -> None:
    concepts = set(vocab.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 200
    for c in concepts:
        schemes = list(vocab.objects(c, SKOS.inScheme))
        assert len(schemes) == 1 and (schemes[0], RDF.type, SKOS.ConceptScheme) in vocab, c
        assert "en" in {o.language for o in vocab.objects(c, SKOS.prefLabel)}, c


def test_every_policy_area_and_ogp_value_the_export_can_give_exists(vocab: Graph) -> None:
    for column in POLICY_AREA_COLUMNS:
        assert (URIRef(concept("policy-area", slugify(column))), SKOS.inScheme, URIRef(scheme("policy-area"))) in vocab
    for key in OGP_VALUE_COLUMNS.values():
        assert (URIRef(concept("ogp-value", key)), RDF.type, SKOS.Concept) in vocab


def test_the_15_plus_1_policy_areas_of_the_danish_list_exist(vocab: Graph) -> None:
    for name in (
        "E-Government",
        "Capacity Building",
        "Aid",
        "Public Participation",
        "Anti-Corruption",
        "Marginalized Communities",
        "Human Rights",
        "Private Sector",
        "Open Data",
        "Digital Governance",
        "Justice",
        "Subnational",
        "Civic Space",
        "Legislature",
        "Education",
        "Public Service Delivery",
    ):
        c = URIRef(concept("policy-area", slugify(name)))
        assert "da" in {o.language for o in vocab.objects(c, SKOS.prefLabel)}, name


@pytest.mark.parametrize("methodology", ["classic", "refresh-2021"])
def test_every_irm_value_the_reader_can_give_is_in_the_scale_of_its_methodology(vocab: Graph, methodology: str) -> None:
    for criterion, values in SCALES.items():
        s = URIRef(scheme(scale_scheme(methodology, criterion)))
        assert vocab.value(s, URIRef(GG + "methodology")) == URIRef(concept("irm-methodology", methodology))
        for value in values.values():
            assert (URIRef(concept(scale_scheme(methodology, criterion), value)), SKOS.inScheme, s) in vocab


def test_source_checksums_match_the_seed_files(shared: Path) -> None:
    data = read_curated(curated_files())
    for doc in data.of("source"):
        if doc.key.startswith("seed-"):
            path = shared / "seeds" / doc.fields["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == doc.fields["sha256"], doc.key
