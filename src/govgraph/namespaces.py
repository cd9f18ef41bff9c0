"""The namespaces govgraph writes, and the prefixes every output binds (in this order)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

GG = Namespace("https://w3id.org/govgraph/def#")
# SKOS concept schemes of the ontology: <VOCAB><scheme> and <VOCAB><scheme>/<concept>.
VOCAB = "https://w3id.org/govgraph/def/"
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "gg": str(GG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "cv": str(CV),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sh": str(SH),
}


def concept(scheme: str, key: str) -> str:
    """IRI of a concept of one of govgraph's SKOS schemes, e.g. concept('policy-area', 'open-data')."""
    return f"{VOCAB}{scheme}/{key}"


def scheme(name: str) -> str:
    return f"{VOCAB}{name}"


def bind_prefixes(graph, base: str | None = None) -> None:
    """Bind govgraph's prefixes (replacing rdflib's defaults) so that outputs are stable and readable."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    if base is not None:
        graph.bind("ggid", base + "id/", override=True, replace=True)
