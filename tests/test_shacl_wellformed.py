"""Ill-formed shapes graphs (SHACL's syntax rules) are refused with an error that names the shape and the rule;
the CLI exits 2 and writes no report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from govgraph.shacl import validate_graph
from govgraph.shacl.shapes import ShapesError

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DATA = Graph().parse(data=PREFIXES + "ex:x a ex:C ; ex:p 1, 2 ; ex:q 3 .", format="turtle")
BASE = Path(__file__).parent / "examples" / "valid" / "base.ttl"

# name -> (shapes, what the error must say besides the shape's name)
ILL_FORMED = {
    "two node kinds": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind sh:IRI, sh:Literal .",
        "sh:nodeKind has 2",
    ),
    "lessThan on a node shape": ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:lessThan ex:q .", "sh:lessThan"),
    "minCount on a node shape": ("ex:S sh:targetClass ex:C ; sh:minCount 1 .", "only allowed on a property shape"),
    "node pointing to a property shape": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:P . ex:P sh:path ex:p ; sh:minCount 1 .",
        "must be a node shape",
    ),
    "qualified value shape without counts": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape ex:T ] ."
        " ex:T sh:datatype xsd:integer .",
        "needs sh:qualifiedMinCount or sh:qualifiedMaxCount",
    ),
    "two paths": ("ex:S sh:targetClass ex:C ; sh:path ex:p, ex:q ; sh:minCount 1 .", "sh:path has 2"),
    "a property shape without a path": (
        "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:minCount 1 .",
        "needs a sh:path",
    ),
    "a node shape with a path": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:path ex:p .",
        "must not have a sh:path",
    ),
    "an unknown node kind": ("ex:S sh:targetClass ex:C ; sh:nodeKind sh:Thing .", "sh:nodeKind must be one of"),
    "a string as minCount": ('ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:minCount "1" .', "must be an xsd:integer"),
    "a literal as class": ('ex:S sh:targetClass ex:C ; sh:class "ex:C" .', "must be an IRI"),
    "two datatypes": ("ex:S sh:targetClass ex:C ; sh:datatype xsd:integer, xsd:string .", "sh:datatype has 2"),
    "sh:in not a list": ("ex:S sh:targetClass ex:C ; sh:in ex:notAList .", "well-formed RDF list"),
    "a language range that is not a string": ("ex:S sh:targetClass ex:C ; sh:languageIn ( ex:da ) .", "strings"),
    "a blank property shape's two node kinds": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI, sh:BlankNode ] .",
        "sh:nodeKind has 2",
    ),
    "an unused ill-formed shape": ("ex:Unused a sh:NodeShape ; sh:nodeKind sh:IRI, sh:Literal .", "sh:nodeKind has 2"),
}


@pytest.mark.parametrize("case", sorted(ILL_FORMED))
def test_an_ill_formed_shapes_graph_is_refused_naming_the_shape(case: str) -> None:
    shapes, problem = ILL_FORMED[case]
    with pytest.raises(ShapesError, match="ill-formed shape") as error:
        validate_graph(DATA, Graph().parse(data=PREFIXES + shapes, format="turtle"))
    message = str(error.value)
    assert problem in message
    if "[" in shapes:
        assert "the sh:property [] of ex:S" in message  # a blank node shape is named by where it is used
    else:
        assert "ex:S" in message or "ex:Unused" in message


@pytest.mark.parametrize(
    "shapes",
    [
        # Well-formed: the qualified parameters alone are allowed on node shapes (W3C core/node/qualified-001).
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:qualifiedMinCount 5 .",
        'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated "1"^^xsd:boolean ; sh:nodeKind sh:IRI .',
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ;"
        " sh:qualifiedMaxCount 1 ] .",
    ],
)
def test_well_formed_shapes_are_accepted(shapes: str) -> None:
    validate_graph(DATA, Graph().parse(data=PREFIXES + shapes, format="turtle"))


def test_the_cli_exits_2_on_an_ill_formed_shapes_graph(tmp_path: Path) -> None:
    from govgraph.cli import main

    extra = tmp_path / "extra.ttl"
    extra.write_text(PREFIXES + ILL_FORMED["two node kinds"][0], encoding="utf-8")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["validate", str(BASE), "--shapes", str(extra), "--output", str(out)])
    assert result.exit_code == 2, result.output
    # The shape by the name its file gives it, or by its IRI where the CLI's reader keeps no prefixes.
    assert re.search(r"ill-formed shape (ex:S|<http://example.org/S>): sh:nodeKind has 2 values", result.output)
    assert "(sh:IRI, sh:Literal)" in result.output
    assert not out.exists()
