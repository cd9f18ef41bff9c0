"""The site's per-resource documents are written from cached pieces, not by rdflib's or json's serializers: they
must still be exactly what those would write (JSON-LD) and parse back to the same triples (Turtle, JSON-LD)."""

from __future__ import annotations

import json

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from govgraph.site.documents import (
    TermWriter,
    jsonld_document,
    node_id,
    node_json,
    ntriples_document,
    turtle_document,
)

EX = "https://example.org/"
# Strings json and Turtle must escape, and ones they must leave alone.
AWKWARD = [
    "plain",
    'a "quote" and \\ a backslash',
    "line\nbreak\ttab\r",
    "\x00\x1f\x7f",
    "ü æ ø å – “”",
    "\u2028\u2029",
    "</script>",
]


def awkward_nodes() -> dict:
    s, b = URIRef(EX + "s"), BNode("b1")
    literals = [Literal(text) for text in AWKWARD]
    literals += [Literal(text, lang="da") for text in AWKWARD[:3]]
    literals += [
        Literal("1.0", datatype=XSD.double),
        Literal("01", datatype=XSD.byte),
        Literal("x", datatype=XSD.string),
    ]
    return {
        s: {  # not in the order of the keys: the JSON text must sort them
            URIRef(EX + "søgning"): [b, URIRef(EX + "o")],
            URIRef(EX + "p"): literals,
            RDF.type: [URIRef(EX + "Class"), b],
        },
        b: {RDF.type: [Literal("a literal type")], URIRef(EX + "p"): [Literal("in a blank node")]},
    }


def reference_node(s, predicates: dict) -> dict:
    """The node object as the JSON-LD spec's fromRdf (flattened, expanded) makes it, as plain Python data."""

    def value(o) -> dict:
        if isinstance(o, (URIRef, BNode)):
            return {"@id": node_id(o)}
        if o.language:
            return {"@language": o.language, "@value": str(o)}
        if o.datatype is not None:
            return {"@type": str(o.datatype), "@value": str(o)}
        return {"@value": str(o)}

    node: dict = {"@id": node_id(s)}
    for p, objects in predicates.items():
        if p == RDF.type and not any(isinstance(o, Literal) for o in objects):
            node["@type"] = [node_id(o) for o in objects]
        else:
            node[str(p)] = [value(o) for o in objects]
    return node


def test_a_node_object_is_the_text_json_dumps_writes() -> None:
    cache: dict = {}
    for s, predicates in awkward_nodes().items():
        expected = json.dumps(reference_node(s, predicates), ensure_ascii=False, sort_keys=True)
        assert node_json(s, predicates, cache) == expected
        assert node_json(s, predicates, cache) == expected  # and again, from the cache


def test_the_documents_parse_back_to_the_same_triples() -> None:
    nodes = awkward_nodes()
    triples = {(s, p, o) for s, predicates in nodes.items() for p, objects in predicates.items() for o in objects}
    writer = TermWriter({"ex": EX, "xsd": str(XSD)})

    def parsed(data: bytes, format: str) -> set:
        graph = Graph().parse(data=data.decode("utf-8"), format=format)
        return {(s, p, o) for s, p, o in graph}

    def plain(term):  # RDF 1.1: a plain literal is an xsd:string; blank node labels are the parser's own
        if isinstance(term, BNode):
            return BNode("b1")
        if isinstance(term, Literal) and term.datatype == XSD.string:
            return Literal(str(term))
        return term

    def ground(found: set) -> set:
        return {tuple(plain(t) for t in triple) for triple in found}

    assert ground(parsed(jsonld_document(nodes), "json-ld")) == ground(triples)
    assert ground(parsed(turtle_document(nodes, writer), "turtle")) == ground(triples)
    assert ground(parsed(ntriples_document(nodes, TermWriter({})), "nt")) == ground(triples)


def test_the_site_store_holds_what_govgraph_query_would_query() -> None:
    """The charts and the in-browser runner query a store made from the site's index; it must hold exactly
    the store ``govgraph query`` makes of the same graph (blank nodes and lexical forms included)."""
    import pyoxigraph as ox

    from govgraph.package import open_package
    from govgraph.query import store_from_graph
    from govgraph.site.model import SiteModel
    from govgraph.site.query_runner import site_store

    graph = Graph()
    for s, predicates in awkward_nodes().items():
        for p, objects in predicates.items():
            for o in objects:
                graph.add((s, p, o))
    graph.add((URIRef(EX + "s"), URIRef(EX + "n"), Literal("01", datatype=XSD.byte)))
    graph.add((BNode("not a valid id!"), URIRef(EX + "p"), Literal("x")))
    model = SiteModel(graph, EX, open_package().manifest)

    def quads(store) -> set:
        return set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    assert quads(site_store(model)) == quads(store_from_graph(graph))
    assert len(quads(site_store(model))) == len(graph)


def test_the_runners_ntriples_are_sorted_as_text_with_characters_beyond_ascii() -> None:
    # dataset_ntriples sorts the dump's lines as UTF-8 bytes; that must be the order of the lines as text, also
    # for characters of two, three and four bytes and for a line separator (U+2028) inside a literal.
    from govgraph.package import open_package
    from govgraph.site.model import SiteModel
    from govgraph.site.query_runner import dataset_ntriples

    graph = Graph()
    for i, text in enumerate(["z", "é", "€", "😀", "a\u2028b", "Å", "~", "\u00ff"]):
        graph.add(
            (
                URIRef(f"{EX}id/thing/t{i % 3}"),
                URIRef(f"{EX}def#p{text}" if text.isalpha() else f"{EX}def#p"),
                Literal(text),
            )
        )
    data = dataset_ntriples(SiteModel(graph, EX, open_package().manifest)).decode("utf-8")
    lines = data.split("\n")
    assert lines[-1] == "" and len(lines) == len(graph) + 1
    assert lines[:-1] == sorted(lines[:-1])
    assert dataset_ntriples(SiteModel(Graph(), EX, open_package().manifest)) == b"\n"
