"""Jena SHACL, the second engine, against pySHACL on tiny shapes and data written here.

These run the real Jena (Debian's libapache-jena-java): the session fixture installs it with
scripts/install-jena.sh when it is missing, and a failing install FAILS the tests (never skips them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bench.jena import (
    DEPENDENCY_JARS,
    JENA_JARS,
    JenaError,
    ResultTuple,
    jena_validate,
    report_results,
)
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
INSTALL = ROOT / "scripts" / "install-jena.sh"
EX = Namespace("http://example.org/")

PREFIXES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
"""

# Core constraints: one per kind the cases below break. The pattern one is a warning, so the severity is compared.
CORE_SHAPES = (
    PREFIXES
    + """
ex:PersonShape a sh:NodeShape ;
    sh:targetClass ex:Person ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] ;
    sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] ;
    sh:property [ sh:path ex:code ; sh:pattern "^[A-Z]{3}$" ; sh:severity sh:Warning ] .
"""
)

# A SHACL-SPARQL constraint, with its prefixes declared the SHACL way (sh:prefixes / sh:declare).
SPARQL_SHAPES = (
    PREFIXES
    + """
ex: a owl:Ontology ; sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:NoSelfKnowledgeShape a sh:NodeShape ;
    sh:targetClass ex:Person ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:message "a person must not know themself" ;
        sh:prefixes ex: ;
        sh:select "SELECT $this ?value WHERE { $this ex:knows $this . BIND ($this AS ?value) }" ;
    ] .
"""
)

# name → (data, the results both engines must give).
CASES: dict[str, tuple[str, set[ResultTuple]]] = {
    "minCount": (
        'ex:bob a ex:Person ; ex:age 40 ; ex:code "BOB" .',
        {(EX.bob, EX.name, SH.MinCountConstraintComponent, SH.Violation)},
    ),
    "datatype": (
        'ex:carol a ex:Person ; ex:name "Carol" ; ex:age "forty" .',
        {(EX.carol, EX.age, SH.DatatypeConstraintComponent, SH.Violation)},
    ),
    "pattern": (
        'ex:dave a ex:Person ; ex:name "Dave" ; ex:code "dav" .',
        {(EX.dave, EX.code, SH.PatternConstraintComponent, SH.Warning)},
    ),
    "conforming": (
        'ex:erin a ex:Person ; ex:name "Erin" ; ex:age 40 ; ex:code "ERN" ; ex:knows ex:bob .',
        set(),
    ),
    "sparql": (
        'ex:frank a ex:Person ; ex:name "Frank" ; ex:knows ex:frank .',
        {(EX.frank, None, SH.SPARQLConstraintComponent, SH.Violation)},
    ),
}


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shapes (core and SPARQL in separate files, and both in one) and one data file per case."""
    root = tmp_path_factory.mktemp("jena")
    written = {
        "core-shapes": CORE_SHAPES,
        "sparql-shapes": SPARQL_SHAPES,
        "shapes": CORE_SHAPES + SPARQL_SHAPES.removeprefix(PREFIXES),
        **{name: PREFIXES + data for name, (data, _) in CASES.items()},
    }
    paths = {}
    for name, text in written.items():
        paths[name] = root / f"{name}.ttl"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def pyshacl_verdict(shapes: list[Path], data: list[Path]) -> tuple[bool, frozenset[ResultTuple]]:
    shapes_graph, data_graph = Graph(), Graph()
    for p in shapes:
        shapes_graph.parse(p)
    for p in data:
        data_graph.parse(p)
    conforms, report, _ = validate(data_graph, shacl_graph=shapes_graph, advanced=True)
    return bool(conforms), report_results(report)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_jena_and_pyshacl_agree(jena: str, files: dict[str, Path], case: str) -> None:
    expected = CASES[case][1]
    report = jena_validate(files["shapes"], files[case])
    conforms, results = pyshacl_verdict([files["shapes"]], [files[case]])
    assert (report.conforms, report.results) == (conforms, results)
    assert report.results == expected
    assert report.conforms is (not expected)


@pytest.mark.slow
def test_several_shapes_and_data_files_are_merged(jena: str, files: dict[str, Path]) -> None:
    shapes = [files["core-shapes"], files["sparql-shapes"]]
    data = [files[case] for case in CASES]
    report = jena_validate(shapes, data)
    conforms, results = pyshacl_verdict(shapes, data)
    assert (report.conforms, report.results) == (conforms, results)
    assert report.results == set().union(*(expected for _, expected in CASES.values()))
    assert not report.conforms


@pytest.mark.slow
def test_jena_failure_is_an_error_with_its_stderr(jena: str, tmp_path: Path, files: dict[str, Path]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    with pytest.raises(JenaError, match=r"(?s)exit 2.*line: 1, col: 1"):
        jena_validate(files["shapes"], bad)


@pytest.mark.slow
def test_bilingual_messages_go_on_the_shape_not_on_the_sparql_constraint(
    jena: str, files: dict[str, Path], tmp_path: Path
) -> None:
    # Jena 4.5 refuses a SPARQL constraint with two sh:message values, even in two languages; it takes any
    # number on the shape. That is why shapes/sparql-constraints.ttl puts its Danish and English messages there.
    bilingual = '"a person must not know themself"@en, "en person må ikke kende sig selv"@da'
    on_constraint = tmp_path / "on-constraint.ttl"
    on_constraint.write_text(SPARQL_SHAPES.replace('"a person must not know themself"', bilingual), encoding="utf-8")
    with pytest.raises(JenaError, match="More than one match"):
        jena_validate(on_constraint, files["sparql"])
    on_shape = tmp_path / "on-shape.ttl"
    on_shape.write_text(
        SPARQL_SHAPES.replace('sh:message "a person must not know themself" ;', "").replace(
            "sh:targetClass ex:Person ;", f"sh:targetClass ex:Person ; sh:message {bilingual} ;"
        ),
        encoding="utf-8",
    )
    report = jena_validate(on_shape, files["sparql"])
    assert (report.conforms, report.results) == pyshacl_verdict([on_shape], [files["sparql"]])
    assert report.results == CASES["sparql"][1]
    assert {(str(m), m.language) for m in report.graph.objects(None, SH.resultMessage)} == {
        ("a person must not know themself", "en"),
        ("en person må ikke kende sig selv", "da"),
    }


def test_complex_result_paths_compare_without_blank_node_labels() -> None:
    report = """
    @prefix sh: <http://www.w3.org/ns/shacl#> .
    @prefix ex: <http://example.org/> .
    [] a sh:ValidationReport ; sh:conforms false ; sh:result [
        sh:focusNode ex:a ; sh:resultSeverity sh:Violation ;
        sh:sourceConstraintComponent sh:MinCountConstraintComponent ;
        sh:resultPath ( ex:p [ sh:inversePath ex:q ] [ sh:alternativePath ( ex:r ex:s ) ] ) ] .
    """
    first, second = Graph().parse(data=report, format="turtle"), Graph().parse(data=report, format="turtle")
    path = ("sequence", (EX.p, ("inverse", EX.q), ("alternative", (EX.r, EX.s))))
    expected = {(EX.a, path, SH.MinCountConstraintComponent, SH.Violation)}
    assert report_results(first) == report_results(second) == expected
    assert isinstance(next(iter(report_results(first)))[0], URIRef)


def test_install_script_checks_the_jars_the_module_uses() -> None:
    match = re.search(r"^JARS=\((.*?)\)", INSTALL.read_text(encoding="utf-8"), re.S | re.M)
    assert match, "JARS=(...) not found in scripts/install-jena.sh"
    assert match[1].split() == [*JENA_JARS, *DEPENDENCY_JARS]
