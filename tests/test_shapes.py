"""The SHACL shapes: every constraint proven by an invalid example with its exact result, the built dataset
conforms, and the shapes graph itself is valid SHACL."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from govgraph.cli import main
from govgraph.inputs import read_graph
from govgraph.namespaces import PREFIXES, scheme
from govgraph.records import scale_scheme
from govgraph.sources.ogp_export import SCALES
from govgraph.validate import shapes_graph, validate

EXAMPLES = Path(__file__).parent / "examples"
BASE = EXAMPLES / "valid" / "base.ttl"
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))
NAMES = {**PREFIXES, "ex": "https://example.org/id/"}

# Each constraint parameter and the component a result for it names.
PARAMETERS = {
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "pattern": "Pattern",
    "languageIn": "LanguageIn",
    "uniqueLang": "UniqueLang",
    "class": "Class",
    "in": "In",
    "node": "Node",
    "or": "Or",
    "hasValue": "HasValue",
    "lessThanOrEquals": "LessThanOrEquals",
    "minInclusive": "MinInclusive",
    "qualifiedMinCount": "QualifiedMinCount",
    "sparql": "SPARQL",
    "equals": "Equals",
}


def expand(name: str) -> str:
    if name == "-":
        return ""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    return NAMES[prefix] + local if prefix in NAMES else name


def expected(path: Path) -> set[tuple[str, str, str, str]]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^# expect: (\S+) (\S+) (\S+) (\S+)$", line):
            out.add(tuple(expand(x) for x in m.groups()))
    assert out, f"{path.name} has no '# expect:' line"
    return out


def actual(report) -> set[tuple[str, str, str, str]]:
    return {(r.focus, r.path, r.component, str(SH) + r.severity) for r in report.results}


def test_the_valid_base_has_no_results_at_all() -> None:
    report = validate(files=[BASE])
    assert report.results == []


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_each_invalid_example_gives_exactly_its_expected_results(example: Path) -> None:
    report = validate(files=[BASE, example])
    assert actual(report) == expected(example)


def test_every_constraint_component_used_in_the_shapes_has_an_invalid_example() -> None:
    shapes = shapes_graph()
    used = {
        PARAMETERS[str(p)[len(str(SH)) :]]
        for p in shapes.predicates()
        if str(p).startswith(str(SH)) and str(p)[len(str(SH)) :] in PARAMETERS
    }
    # sh:hasValue is used only inside sh:node and sh:or alternatives, so it shows as those components.
    proven = {c.rsplit("#", 1)[1].removesuffix("ConstraintComponent") for e in INVALID for _, _, c, _ in expected(e)}
    assert used - {"HasValue"} <= proven, f"constraints with no invalid example: {sorted(used - {'HasValue'} - proven)}"
    unknown = (
        {str(p) for p in shapes.predicates() if str(p).startswith(str(SH))}
        - {str(SH) + k for k in PARAMETERS}
        - {
            str(SH) + k
            for k in (
                "path",
                "targetClass",
                "targetNode",
                "targetSubjectsOf",
                "property",
                "message",
                "severity",
                "qualifiedValueShape",
                "select",
                "prefixes",
                "declare",
                "prefix",
                "namespace",
                "name",
                "description",
            )
        }
    )
    assert unknown == set(), f"shapes use constraint parameters this test does not know: {unknown}"


def test_the_built_dataset_conforms_with_few_warnings() -> None:
    report = validate()
    counts = report.counts()
    assert counts["Violation"] == 0
    # Kept few on purpose: amounts whose source gives no year or period. No Info: every institution has its
    # kind, the lead institutions the OGP names included (they are curated ones, govgraph.sources.institution_names).
    assert counts["Warning"] <= 10 and counts["Info"] == 0, [r for r in report.results if r.severity == "Info"][:3]
    assert {r.path or r.component.rsplit("#", 1)[1] for r in report.results if r.severity == "Warning"} == {
        "OrConstraintComponent"
    }


def test_the_shapes_graph_is_valid_shacl() -> None:
    import pyshacl
    from pyshacl.shapes_graph import ShapesGraph  # noqa: F401 - imported to fail early if pySHACL changes

    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True, advanced=True)
    assert conforms, text


def test_every_irm_scale_names_exactly_one_criterion_and_methodology() -> None:
    """The sh:equals checks on assessments rely on it."""
    from govgraph.build import add_vocabulary

    vocab = Graph()
    add_vocabulary(vocab)
    gg = "https://w3id.org/govgraph/def#"
    for methodology in ("classic", "refresh-2021"):
        for criterion in SCALES:
            s = URIRef(scheme(scale_scheme(methodology, criterion)))
            assert [str(o).rsplit("/", 1)[1] for o in vocab.objects(s, URIRef(gg + "scaleOf"))] == [criterion]
            assert [str(o).rsplit("/", 1)[1] for o in vocab.objects(s, URIRef(gg + "methodology"))] == [methodology]


def test_messages_are_in_danish_and_english() -> None:
    shapes = shapes_graph()
    for s in set(shapes.subjects(SH.message, None)):
        assert {m.language for m in shapes.objects(s, SH.message)} == {"da", "en"}, s


# ---------------------------------------------------------------- the command


def _run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_exit_codes() -> None:
    assert _run(str(BASE)).exit_code == 0
    assert _run(str(BASE), str(EXAMPLES / "invalid" / "pattern.ttl")).exit_code == 1
    warning = str(EXAMPLES / "invalid" / "qualified-min-count.ttl")
    assert _run(str(BASE), warning).exit_code == 0
    assert _run(str(BASE), warning, "--fail-on", "warning").exit_code == 1
    info = str(EXAMPLES / "invalid" / "min-count-info.ttl")
    assert _run(str(BASE), info, "--fail-on", "warning").exit_code == 0
    assert _run(str(BASE), info, "--fail-on", "info").exit_code == 1


def test_input_errors_exit_2_with_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b .\n", encoding="utf-8")
    result = _run(str(bad))
    assert result.exit_code == 2 and f"{bad}:2:" in result.output
    assert _run(str(tmp_path / "missing.ttl")).exit_code == 2
    assert _run(str(tmp_path / "data.xyz")).exit_code == 2
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "https://schema.org/", "@id": "http://x/a"}', encoding="utf-8")
    result = _run(str(remote))
    assert result.exit_code == 2 and "is not fetched" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "turtle", "markdown", "junit"])
def test_report_formats(fmt: str) -> None:
    result = _run(str(BASE), str(EXAMPLES / "invalid" / "pattern.ttl"), "--format", fmt)
    assert result.exit_code == 1
    out = result.output
    if fmt == "json":
        data = json.loads(out)
        assert data["conforms"] is False and data["counts"]["Violation"] == 1
        assert data["results"][0]["component"].endswith("PatternConstraintComponent")
    elif fmt == "turtle":
        g = Graph().parse(data=out, format="turtle")
        assert (None, SH.conforms, None) in g and len(list(g.subjects(SH.resultSeverity, None))) == 1
    elif fmt == "junit":
        root = ET.fromstring(out)
        assert root.find("testsuite").get("failures") == "1"
    elif fmt == "markdown":
        assert "| Violation | `ex:commitment/dk43`" in out or "| Violation |" in out
    else:
        assert "1 violations" in out and "dk43" in out


def test_extra_shapes_are_applied(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gg: <https://w3id.org/govgraph/def#> .
<https://example.org/shapes#NeedsDescription> a sh:NodeShape ; sh:targetClass gg:Commitment ;
    sh:property [ sh:path <http://purl.org/dc/terms/description> ; sh:minCount 1 ] .
""",
        encoding="utf-8",
    )
    assert _run(str(BASE)).exit_code == 0
    assert _run(str(BASE), "--shapes", str(extra)).exit_code == 1


def test_rdfs_inference_option_runs() -> None:
    assert _run(str(BASE), "--inference", "rdfs").exit_code == 0


def test_the_report_never_mentions_a_focus_outside_the_data() -> None:
    report = validate(files=[BASE, EXAMPLES / "invalid" / "class.ttl"])
    assert {r.focus for r in report.results} == {"https://example.org/id/principle/one"}
    assert URIRef


def test_regression_filled_in_messages_keep_their_language() -> None:
    """pySHACL returned SPARQL messages untagged, so the Danish one was shown as the English one."""
    report = validate(files=[BASE, EXAMPLES / "invalid" / "sparql.ttl"])
    assert report.results[0].message("en") == "Commitment identifier DK0040 is used by more than one commitment."
    assert report.results[0].message("da").startswith("Tilsagnsidentifikatoren DK0040")


@pytest.mark.parametrize("fmt", ["trig", "nt", "jsonld", "turtle"])
def test_regression_named_graphs_are_validated_not_dropped(fmt: str, tmp_path: Path) -> None:
    """TriG data in named graphs was once dropped, so any TriG file 'conformed'. Every format now validates
    the same triples, and a defect inside a named graph is found."""
    from govgraph.export import serialize

    graph = read_graph([BASE, EXAMPLES / "invalid" / "pattern.ttl"])
    path = tmp_path / f"data.{ {'turtle': 'ttl', 'jsonld': 'jsonld', 'nt': 'nt', 'trig': 'trig'}[fmt] }"
    path.write_bytes(serialize(graph, fmt))
    report = validate(files=[path])
    assert report.counts()["Violation"] == 1
    nquads = tmp_path / "data.nq"
    nquads.write_text(
        '<https://example.org/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en '
        "<https://example.org/graph/1> .\n",
        encoding="utf-8",
    )
    assert len(read_graph([nquads])) == 1
