"""govgraph build: deterministic, parseable, no blank nodes, every resource labelled and sourced."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS

from govgraph.build import build
from govgraph.export import serialize

ID = "https://w3id.org/govgraph/id/"


def test_two_builds_are_byte_identical_in_every_format(built_graph) -> None:
    again = build()
    for fmt in ("turtle", "nt", "jsonld", "trig"):
        assert serialize(built_graph, fmt) == serialize(again, fmt), fmt


def test_turtle_and_ntriples_parse_back_to_an_isomorphic_graph(built_graph) -> None:
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        back = Graph().parse(data=serialize(built_graph, fmt), format=parser)
        assert to_isomorphic(back) == to_isomorphic(built_graph), fmt


def test_json_ld_literals_keep_their_lexical_form_and_blank_nodes_survive() -> None:
    """JSON-LD values are strings with their datatype or language, as the spec's fromRdf writes them by default
    (rdflib's writer made integers, doubles and booleans JSON numbers); read back by another parser
    (pyoxigraph's), the graph is the same, blank nodes included."""
    import json

    import pyoxigraph as ox
    from rdflib import Literal
    from rdflib.namespace import XSD

    ex = "https://example.org/"
    g = Graph()
    thing, list_head = URIRef(ex + "thing"), BNode("head")
    for p, o in (
        ("count", Literal("7", datatype=XSD.integer)),
        ("ratio", Literal("2.5E0", datatype=XSD.double)),
        ("flag", Literal("true", datatype=XSD.boolean)),
        ("note", Literal("tekst", lang="da")),
        ("plain", Literal("plain")),
        ("items", list_head),
    ):
        g.add((thing, URIRef(ex + p), o))
    g.add((thing, RDF.type, URIRef(ex + "Thing")))
    g.add((list_head, RDF.first, Literal("a")))
    g.add((list_head, RDF.rest, RDF.nil))
    data = serialize(g, "jsonld")
    [node] = [n for n in json.loads(data) if n["@id"] == ex + "thing"]
    assert node[ex + "count"] == [{"@type": str(XSD.integer), "@value": "7"}]
    assert node[ex + "flag"] == [{"@type": str(XSD.boolean), "@value": "true"}]
    assert node[ex + "note"] == [{"@language": "da", "@value": "tekst"}]
    assert node["@type"] == [ex + "Thing"] and node[ex + "items"] == [{"@id": "_:head"}]
    nt = ox.serialize(ox.parse(data, ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES)
    back = Graph().parse(data=nt, format="nt")
    assert to_isomorphic(back) == to_isomorphic(g)


def test_no_blank_nodes(built_graph) -> None:
    assert not [t for t in built_graph if any(isinstance(x, BNode) for x in t)]


def test_every_minted_resource_has_a_label_and_a_source(built_graph) -> None:
    minted = {s for s in built_graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(ID)}
    assert len(minted) > 1000
    unlabelled = sorted(str(s) for s in minted if built_graph.value(s, RDFS.label) is None)
    assert unlabelled == []
    sources = {s for s in minted if "/id/source/" in str(s) or "/id/excerpt/" in str(s)}
    unsourced = sorted(str(s) for s in minted - sources if built_graph.value(s, PROV.wasDerivedFrom) is None)
    assert unsourced == []


def test_every_referenced_resource_exists(built_graph) -> None:
    """No dangling links: every minted IRI used as an object is also described."""
    described = set(built_graph.subjects())
    dangling = sorted(
        {
            str(o)
            for o in built_graph.objects()
            if isinstance(o, URIRef) and str(o).startswith(ID) and o not in described
        }
    )
    assert dangling == []


def test_vocabulary_terms_used_are_defined(built_graph) -> None:
    gg = "https://w3id.org/govgraph/def"
    used = {p for p in built_graph.predicates() if str(p).startswith(gg)}
    used |= {o for o in built_graph.objects(None, RDF.type) if str(o).startswith(gg)}
    used |= {
        o
        for p, o in built_graph.predicate_objects()
        if isinstance(o, URIRef) and str(o).startswith(gg + "/") and p != OWL.versionIRI
    }
    undefined = sorted(str(t) for t in used if built_graph.value(t, RDF.type) is None)
    assert undefined == []


def test_base_iri_is_configurable() -> None:
    graph = build("https://data.example.org/gov/", vocabulary=False)
    assert (URIRef("https://data.example.org/gov/id/commitment/DK0040"), None, None) in graph
    assert not [s for s in graph.subjects() if str(s).startswith(ID)]


def test_regression_written_files_are_readable_by_others(tmp_path) -> None:
    """Atomic writes once left published files 0600 (mkstemp's mode), which a web server cannot serve."""
    import os
    import stat

    from govgraph.export import write_bytes_atomic

    old = os.umask(0o022)
    try:
        target = tmp_path / "govgraph.ttl"
        write_bytes_atomic(target, b"<a> <b> <c> .\n")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        assert [p.name for p in tmp_path.iterdir()] == ["govgraph.ttl"]
    finally:
        os.umask(old)
