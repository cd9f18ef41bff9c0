"""Regression tests for defects of govgraph's SHACL engine that the differential fuzzer (bench/shacl_fuzz.py)
found: each test fails on the engine before its fix."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from govgraph.shacl import validate_graph, validate_ntriples, validate_store

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
EX = "http://example.org/"


def _graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def _results(report: Graph) -> list[tuple]:
    """(focus, value, component) of every result, sorted."""
    out = []
    for r in report.objects(None, SH.result):
        out.append(
            (report.value(r, SH.focusNode), report.value(r, SH.value), report.value(r, SH.sourceConstraintComponent))
        )
    return sorted(out, key=lambda t: tuple(map(repr, t)))


# ---------------------------------------------------------------- 1. implicit class targets (SHACL 2.1.3.3)

DATA_WITH_AN_INSTANCE = "ex:x a ex:C ."


@pytest.mark.parametrize(
    ("shape_types", "targets"),
    [
        ("rdfs:Class", False),  # a class with constraints, but not a shape: no target
        ("rdfs:Class, sh:NodeShape", True),
        ("ex:Meta, sh:NodeShape", True),  # ex:Meta rdfs:subClassOf rdfs:Class
        ("rdfs:Class, ex:SpecialShape", True),  # ex:SpecialShape rdfs:subClassOf sh:NodeShape
        ("sh:NodeShape", False),  # a shape, but not a class
    ],
)
def test_an_implicit_class_target_needs_a_class_that_is_also_a_shape(shape_types: str, targets: bool) -> None:
    shapes = _graph(
        f"""ex:Meta rdfs:subClassOf rdfs:Class . ex:SpecialShape rdfs:subClassOf sh:NodeShape .
        ex:C a {shape_types} ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ."""
    )
    conforms, report = validate_graph(_graph(DATA_WITH_AN_INSTANCE), shapes)
    assert conforms is not targets
    assert [f for f, _, _ in _results(report)] == ([URIRef(EX + "x")] if targets else [])


# ---------------------------------------------------------------- 2. ASK validators and blank value nodes

ASK_COMPONENT = """
ex:IriOnly a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:iriOnly ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER (isIRI($value) = $iriOnly) }" ] .
ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; ex:iriOnly true ] .
"""


@pytest.mark.parametrize("validate", ["graph", "ntriples", "store"])
def test_an_ask_validator_is_evaluated_for_a_blank_value_node(validate: str) -> None:
    data = _graph("ex:x ex:p ex:iri, [ ex:q 1 ], [ ex:q 2 ] .")
    shapes = _graph(ASK_COMPONENT)
    if validate == "graph":
        _conforms, report = validate_graph(data, shapes)
    elif validate == "ntriples":
        _conforms, report = validate_ntriples(data.serialize(format="nt").encode(), shapes)
    else:
        store = ox.Store()
        store.load(data.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
        _conforms, report = validate_store(store, shapes)
    results = _results(report)
    assert len(results) == 2  # the two blank nodes, not the IRI
    assert all(isinstance(value, BNode) for _, value, _ in results)
    assert {c for _, _, c in results} == {URIRef(EX + "IriOnly")}


def test_an_ask_validator_with_a_comment_on_its_last_line_still_works() -> None:
    shapes = _graph(ASK_COMPONENT.replace('$iriOnly) }"', '$iriOnly) } # the last line"'))
    _conforms, report = validate_graph(_graph("ex:x ex:p [ ex:q 1 ] ."), shapes)
    assert len(_results(report)) == 1


# ---------------------------------------------------------------- 3. SPARQL sees literals as the data writes them


def test_literal_focus_nodes_the_store_would_merge_stay_apart() -> None:
    # "1"^^xsd:byte and 1 are two RDF terms; the store keeps both as 1 (xsd:integer).
    data = _graph('ex:a ex:p "1"^^xsd:byte . ex:b ex:p 1 .')
    shapes = _graph(
        """ex:S a sh:NodeShape ; sh:targetObjectsOf ex:p ;
        sh:sparql [ sh:select "SELECT $this WHERE { FILTER (isLiteral($this)) }" ] ."""
    )
    _conforms, report = validate_graph(data, shapes)
    focus = sorted(report.objects(None, SH.focusNode), key=repr)
    assert focus == sorted([Literal("1", datatype=XSD.byte), Literal("1", datatype=XSD.integer)], key=repr)
    assert {f.datatype for f in focus} == {XSD.byte, XSD.integer}


def test_a_value_the_query_selects_is_reported_as_the_data_writes_it() -> None:
    # N-Triples: rdflib's Turtle parser would itself rewrite "007"^^xsd:integer as 7.
    x = "http://www.w3.org/2001/XMLSchema#"
    data = "".join(
        f'<{EX}a> <{EX}{p}> "{lexical}"^^<{x}{datatype}> .\n'
        for p, lexical, datatype in (("q", "1.0", "double"), ("r", "12", "byte"), ("s", "007", "integer"))
    ).encode()
    shapes = _graph(
        """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this ?value WHERE { $this ?p ?value }" ] ."""
    )
    _conforms, report = validate_ntriples(data, shapes)
    values = {(str(v), v.datatype) for v in report.objects(None, SH.value)}
    assert values == {("1.0", XSD.double), ("12", XSD.byte), ("007", XSD.integer)}


def test_a_computed_value_that_is_not_in_the_data_is_reported_as_computed() -> None:
    data = _graph('ex:a ex:q "1"^^xsd:byte, "02"^^xsd:integer .')
    shapes = _graph(
        """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this (SUM(?n) AS ?value) WHERE { $this ex:q ?n } GROUP BY $this" ;
                    sh:prefixes [ sh:declare [ sh:prefix "ex" ;
                        sh:namespace "http://example.org/"^^xsd:anyURI ] ] ] ."""
    )
    _conforms, report = validate_graph(data, shapes)
    assert list(report.objects(None, SH.value)) == [Literal("3", datatype=XSD.integer)]


def test_a_stored_form_shared_by_a_rewritten_and_an_unchanged_literal_is_not_mapped_back() -> None:
    # "01"^^xsd:integer is kept as 1, and so is 1 itself: a 1 in a solution may be either, so it stays 1
    # (were only the rewritten literals counted, it would be reported as "01").
    x = "http://www.w3.org/2001/XMLSchema#"
    data = f'<{EX}a> <{EX}p> "01"^^<{x}integer> .\n<{EX}b> <{EX}p> "1"^^<{x}integer> .\n'.encode()
    shapes = _graph(
        """ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this ?value WHERE { ?s <http://example.org/p> ?value }" ] ."""
    )
    _conforms, report = validate_ntriples(data, shapes)
    assert sorted(str(v) for v in report.objects(None, SH.value)) == ["1"]


# Oxigraph cannot keep a literal as written (https://github.com/oxigraph/oxigraph/issues/526): in the store,
# STR("1.0"^^xsd:double) is "1" and DATATYPE("01"^^xsd:byte) is xsd:integer. A query that reads lexical forms
# runs on the data as written when the data has such literals.
XSD_IRI = "http://www.w3.org/2001/XMLSchema#"
REWRITTEN = f'<{EX}a> <{EX}p> "1.0"^^<{XSD_IRI}double> .\n<{EX}a> <{EX}p> "01"^^<{XSD_IRI}byte> .\n'.encode()


def _sparql_shape(where: str) -> Graph:
    return _graph(
        f"""ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:sparql [ sh:select "SELECT $this ?value WHERE {{ $this ?p ?value {where} }}" ] ."""
    )


@pytest.mark.parametrize("validate", ["ntriples", "graph"])
@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('FILTER (STR(?value) = \\"1\\")', []),  # the store would say "1" for both
        ('FILTER (STR(?value) = \\"1.0\\")', [("1.0", XSD.double)]),
        ('FILTER (STR(?value) = \\"01\\")', [("01", XSD.byte)]),
        ("FILTER (DATATYPE(?value) = <{x}integer>)", []),  # the store would say xsd:integer for "01"^^xsd:byte
        ("FILTER (DATATYPE(?value) = <{x}byte>)", [("01", XSD.byte)]),
        ('FILTER (sameTerm(?value, \\"1\\"^^<{x}double>))', []),
    ],
)
def test_a_query_reading_lexical_forms_sees_the_literals_as_written(validate: str, where: str, expected) -> None:
    shapes = _sparql_shape(where.format(x=XSD_IRI))
    if validate == "ntriples":
        _conforms, report = validate_ntriples(REWRITTEN, shapes)
    else:  # rdflib's Turtle parser would rewrite "01"^^xsd:byte itself: N-Triples parsed by pyoxigraph
        data = Graph()
        for q in ox.parse(REWRITTEN, ox.RdfFormat.N_TRIPLES):
            o = Literal(q.object.value, datatype=URIRef(q.object.datatype.value), normalize=False)
            data.add((URIRef(q.subject.value), URIRef(q.predicate.value), o))
        _conforms, report = validate_graph(data, shapes)
    values = sorted((str(v), v.datatype) for v in report.objects(None, SH.value))
    assert values == expected


def test_literal_focus_nodes_the_data_does_not_hold_are_seen_as_written_even_when_false() -> None:
    # A sh:targetNode literal is pre-bound as written ("1.0", not the store's "1"), and a value Python finds
    # false ("0") stays bound (rdflib's initBindings would drop it).
    shapes = _graph(
        """ex:S a sh:NodeShape ; sh:targetNode "1.0"^^xsd:double, "0"^^xsd:integer ;
        sh:sparql [ sh:select "SELECT $this WHERE { FILTER (STR($this) IN (\\"1.0\\", \\"0\\")) }" ] ."""
    )
    _conforms, report = validate_graph(_graph("ex:a ex:p ex:b ."), shapes)
    focus = sorted((str(f), f.datatype) for f in report.objects(None, SH.focusNode))
    assert focus == [("0", XSD.integer), ("1.0", XSD.double)]


def test_a_query_that_reads_values_only_still_runs_on_the_store() -> None:
    # Numbers compare by value, so the store's canonical forms change nothing: 1.0 = 1, and 01 = 1.
    _conforms, report = validate_ntriples(REWRITTEN, _sparql_shape("FILTER (?value = 1)"))
    assert sorted((str(v), v.datatype) for v in report.objects(None, SH.value)) == [
        ("01", XSD.byte),
        ("1.0", XSD.double),
    ]


# ---------------------------------------------------------------- 4. sh:resultPath written in full


def _path_structure(graph: Graph, node) -> object:
    if isinstance(node, URIRef):
        return str(node)
    if (node, RDF.first, None) in graph:
        return [_path_structure(graph, item) for item in Collection(graph, node)]
    return {str(p): _path_structure(graph, o) for p, o in graph.predicate_objects(node)}


def test_a_result_path_with_nested_lists_is_written_in_full() -> None:
    # An alternative path holding a long sequence holding an inverse path: 15+ blank nodes deep.
    path = "[ sh:alternativePath ( ( ex:a ex:b ex:c ex:d ex:e ex:f ex:g [ sh:inversePath ex:h ] ) ex:i ) ]"
    shapes = _graph(
        f"ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property ex:P . ex:P sh:path {path} ; sh:minCount 1 ."
    )
    _conforms, report = validate_graph(_graph("ex:x ex:z 1 ."), shapes)
    [result_path] = list(report.objects(None, SH.resultPath))
    expected = _path_structure(shapes, shapes.value(URIRef(EX + "P"), SH.path))
    assert _path_structure(report, result_path) == expected
    assert len(expected[str(SH.alternativePath)][0]) == 8
