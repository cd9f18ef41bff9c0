"""The release catalogue against the official application profiles, vendored in tests/profiles/ (see its
README): SEMIC's DCAT-AP 3.0.1 shapes (the release's shacl/ set, and the html/shacl/ set with the warnings for
recommended properties and deprecated terms) and the Danish DCAT-AP-DK 2.0.2 shapes. Each set runs with
govgraph's own SHACL engine and with pySHACL, on the bundled package's release and on examples/northvale's:
no violation and no warning, and both engines agree result for result."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH

from govgraph.release import release
from govgraph.shacl import validate_graph

PROFILES = Path(__file__).parent / "profiles"
NORTHVALE = Path(__file__).resolve().parents[1] / "examples" / "northvale"
SEMIC = PROFILES / "dcat-ap-3.0.1"
SETS = {
    "dcat-ap-3.0.1": [SEMIC / "shacl" / "dcat-ap-SHACL.ttl", SEMIC / "shacl" / "ranges.ttl"],
    "dcat-ap-3.0.1-html": [
        SEMIC / "html-shacl" / name
        for name in ("shapes.ttl", "shapes_recommended.ttl", "range.ttl", "deprecateduris.ttl")
    ],
    "dcat-ap-dk-2.0.2": [PROFILES / "dcat-ap-dk-2.0.2" / "dcat-ap-dk_2.0.2_shacl_shapes.ttl"],
}
# SEMIC's dcat-ap-SHACL.ttl names five property shapes (sh:property) that it never defines: no sh:path, no
# constraint. pySHACL refuses such a shapes graph ("exists but is not a well-formed SHACL PropertyShape");
# the test drops those five references, which constrain nothing, and counts them so that a fixed file shows.
UNDEFINED_PROPERTY_SHAPES = {"dcat-ap-3.0.1": 5, "dcat-ap-3.0.1-html": 0, "dcat-ap-dk-2.0.2": 0}


def profile(name: str) -> Graph:
    shapes = Graph()
    for path in SETS[name]:
        shapes.parse(path, format="turtle")
    undefined = [(s, o) for s, o in shapes.subject_objects(SH.property) if shapes.value(o, SH.path) is None]
    assert len(undefined) == UNDEFINED_PROPERTY_SHAPES[name], undefined
    for s, o in undefined:
        shapes.remove((s, SH.property, o))
    return shapes


@pytest.fixture(scope="module")
def shapes() -> dict[str, Graph]:
    return {name: profile(name) for name in SETS}


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory, built_graph: Graph) -> dict[str, Graph]:
    root = tmp_path_factory.mktemp("profiles")
    bundled = release(root / "bundled", graph=built_graph, issued="2024-05-01", compress=True)
    northvale = release(root / "northvale", data=NORTHVALE, issued="2025-06-02")
    return {name: Graph().parse(folder / "catalog.ttl") for name, folder in (("bundled", bundled),
                                                                             ("northvale", northvale))}  # fmt: skip


def results(data: Graph, shapes: Graph, engine: str) -> Counter:
    """(severity, focus node, path, constraint component) of every result, as a multiset."""
    if engine == "govgraph":
        _conforms, report = validate_graph(data, shapes)
    else:
        _conforms, report, _text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, do_owl_imports=False
        )
    return Counter(
        (
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[1],
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1],
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


@pytest.mark.parametrize("engine", ["govgraph", "pyshacl"])
@pytest.mark.parametrize("package", ["bundled", "northvale"])
@pytest.mark.parametrize("name", list(SETS))
def test_the_catalogue_conforms_to_the_official_profile(
    name: str, package: str, engine: str, shapes: dict[str, Graph], catalogues: dict[str, Graph]
) -> None:
    assert results(catalogues[package], shapes[name], engine) == Counter()


def broken(catalogue: Graph) -> Graph:
    """The catalogue with what the earlier releases got wrong: an untyped landing page, a checksum algorithm
    that is not a spdx:ChecksumAlgorithm, a scheme without a title, no contact point, availability, temporal
    coverage, licence type or publisher type, and a byte size that DCAT-AP-DK types differently."""
    g = Graph()
    for triple in catalogue:
        g.add(triple)
    dataset = next(g.subjects(RDF.type, DCAT.Dataset))
    g.remove((g.value(dataset, DCAT.landingPage), RDF.type, FOAF.Document))
    g.remove((None, RDF.type, URIRef("http://spdx.org/rdf/terms#ChecksumAlgorithm")))
    g.remove((URIRef("http://publications.europa.eu/resource/authority/data-theme"), DCTERMS.title, None))
    for p in (DCAT.contactPoint, DCTERMS.temporal):
        g.remove((dataset, p, None))
    g.remove((None, URIRef("http://data.europa.eu/r5r/availability"), None))
    g.remove((None, DCTERMS.type, None))
    distribution = next(g.subjects(RDF.type, DCAT.Distribution))
    g.add((distribution, DCAT.byteSize, Literal(1234, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    return g


EXPECTED = {
    # (set, severity, path) of each defect broken() puts in, as each profile sees it
    "dcat-ap-3.0.1": {
        ("Violation", "http://www.w3.org/ns/dcat#landingPage"),
        ("Violation", "http://spdx.org/rdf/terms#algorithm"),
        ("Violation", "http://purl.org/dc/terms/title"),
        ("Violation", "http://www.w3.org/ns/dcat#byteSize"),
    },
    "dcat-ap-3.0.1-html": {
        ("Violation", "http://www.w3.org/ns/dcat#landingPage"),
        ("Violation", "http://purl.org/dc/terms/title"),
        ("Warning", "http://www.w3.org/ns/dcat#contactPoint"),
        ("Warning", "http://purl.org/dc/terms/temporal"),
        ("Warning", "http://data.europa.eu/r5r/availability"),
        ("Warning", "http://purl.org/dc/terms/type"),
    },
    "dcat-ap-dk-2.0.2": {
        ("Violation", "http://www.w3.org/ns/dcat#landingPage"),
        ("Violation", "http://purl.org/dc/terms/title"),
        ("Violation", "http://www.w3.org/ns/dcat#byteSize"),
    },
}


@pytest.mark.parametrize("engine", ["govgraph", "pyshacl"])
@pytest.mark.parametrize("name", list(SETS))
def test_the_profiles_catch_what_earlier_catalogues_got_wrong(
    name: str, engine: str, shapes: dict[str, Graph], catalogues: dict[str, Graph]
) -> None:
    found = results(broken(catalogues["bundled"]), shapes[name], engine)
    assert EXPECTED[name] <= {(severity, path) for severity, _focus, path, _component in found}, found


@pytest.mark.parametrize("name", list(SETS))
def test_both_engines_agree_on_a_catalogue_that_does_not_conform(
    name: str, shapes: dict[str, Graph], catalogues: dict[str, Graph]
) -> None:
    data = broken(catalogues["northvale"])
    assert results(data, shapes[name], "govgraph") == results(data, shapes[name], "pyshacl")


def test_the_vendored_files_are_the_ones_the_readme_names() -> None:
    readme = (PROFILES / "README.md").read_text(encoding="utf-8")
    for files in SETS.values():
        for path in files:
            assert path.relative_to(PROFILES).as_posix() in readme
    assert "CC BY 4.0" in readme and "no licence" in readme


@pytest.mark.parametrize("name", list(SETS))
def test_govgraph_validate_with_a_profile_as_extra_shapes_finds_nothing(
    name: str, catalogues: dict[str, Graph], shapes: dict[str, Graph], tmp_path: Path
) -> None:
    """`govgraph validate catalog.ttl --shapes <profile>` mixes govgraph's ontology and SKOS schemes in: the
    profiles' concept-scheme shapes then check govgraph's 44 schemes too (each has a dcterms:title). The
    profile is given as the test repairs it: govgraph, like pySHACL, refuses SEMIC's file as it is."""
    from govgraph.validate import validate

    catalogue = tmp_path / "catalog.ttl"
    catalogues["bundled"].serialize(catalogue, format="turtle")
    profile_file = tmp_path / f"{name}.ttl"
    shapes[name].serialize(profile_file, format="turtle")
    report = validate(files=[catalogue], extra_shapes=[profile_file])
    assert report.results == [], report.to_text()


def test_semic_file_as_published_is_refused_naming_the_shape(tmp_path: Path) -> None:
    """The defect the test works around is reported as an ill-formed shape, not ignored (pySHACL agrees)."""
    from govgraph.validate import validate

    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    expected = r"ill-formed shape .*Shape>: the value of sh:property must be a property shape with one sh:path"
    with pytest.raises(ValueError, match=expected):
        validate(files=[data], extra_shapes=SETS["dcat-ap-3.0.1"])
