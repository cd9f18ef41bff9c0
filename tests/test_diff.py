"""govgraph diff: changes between two releases (or RDF files) in domain terms, in a fixed order."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from govgraph.cli import main
from govgraph.diff import diff
from govgraph.export import write
from govgraph.namespaces import GG, ORG, SCHEMA, bind_prefixes
from govgraph.release import release

BASE = "https://w3id.org/govgraph/"
ID = BASE + "id/"
DEF = "https://w3id.org/govgraph/def/"
DK0040_TITLE = (
    "Principles for Collaboration on the Modernisation of the Public Sector as Well as the Establishment of a "
    "Centre for Public Innovation"
)


@pytest.fixture(scope="module")
def old(tmp_path_factory: pytest.TempPathFactory, built_graph: Graph) -> Path:
    return release(tmp_path_factory.mktemp("old") / "release", graph=built_graph, issued="2024-05-01")


def copy(graph: Graph) -> Graph:
    g = Graph()
    bind_prefixes(g, BASE)
    g += graph
    return g


@pytest.fixture(scope="module")
def first_changes(tmp_path_factory: pytest.TempPathFactory, built_graph: Graph) -> Path:
    """A commitment removed, an assessment value and a title changed."""
    g = copy(built_graph)
    g.remove((URIRef(ID + "commitment/DK0040"), None, None))
    g.set(
        (
            URIRef(ID + "assessment/dk0018-ap-dnk01-progress-report-2014-completion"),
            GG.value,
            URIRef(DEF + "irm-classic-completion/substantial"),
        )
    )
    g.set((URIRef(ID + "commitment/DK0041"), DCTERMS.title, Literal("Free municipalities", lang="en")))
    return write(g, tmp_path_factory.mktemp("new") / "changed.ttl")


@pytest.fixture(scope="module")
def second_changes(tmp_path_factory: pytest.TempPathFactory, built_graph: Graph) -> Path:
    """One change of every other kind the diff names, and one it only counts."""
    g = copy(built_graph)
    dk0005 = URIRef(ID + "commitment/DK0005")
    g.set((dk0005, GG.actionPlan, URIRef(ID + "action-plan/ap-dnk02")))
    g.set((dk0005, GG.starred, Literal(True)))
    g.add((dk0005, GG.status, URIRef(DEF + "commitment-status/inactive")))
    for key in ("DK0003", "DK0002"):
        g.remove((URIRef(ID + "commitment/" + key), None, None))
    dk0071 = URIRef(ID + "commitment/DK0071")
    g.add((dk0071, RDF.type, GG.Commitment))
    g.add((dk0071, DCTERMS.identifier, Literal("DK0071")))
    g.add((dk0071, DCTERMS.title, Literal("Open budgets", lang="en")))
    g.add((dk0071, RDFS.label, Literal("Open budgets", lang="en")))
    agency = URIRef(ID + "institution/test-agency")
    g.add((agency, RDF.type, ORG.Organization))
    g.add((agency, RDFS.label, Literal("Test Agency", lang="en")))
    g.remove((URIRef(ID + "institution/kl"), None, None))
    g.remove((URIRef(ID + "initiative/accreditation"), None, None))
    g.remove((URIRef(ID + "assessment/dk0018-ap-dnk01-progress-report-2014-starred"), None, None))
    g.set(
        (
            URIRef(ID + "money/fv15-0-2-omprioriteret-knap-4-5-mia"),
            SCHEMA.value,
            Literal("4600000000.0", datatype=XSD.decimal),
        )
    )
    g.set((URIRef(ID + "goal/digitaliseringsstrategi-2016-2020-aim"), DCTERMS.description, Literal("x", lang="en")))
    programme = URIRef(ID + "programme/beskaeftigelsesreformen")
    g.remove((programme, RDFS.label, Literal("Reform af beskæftigelsesindsatsen", lang="da")))
    g.add((programme, RDFS.label, Literal("Beskæftigelsesreformen", lang="da")))
    return write(g, tmp_path_factory.mktemp("new") / "changed.nt")


def test_a_removed_commitment_a_changed_assessment_and_title(old: Path, first_changes: Path) -> None:
    changes = diff(old, first_changes)
    assert changes.to_text() == (
        f"govgraph diff {old} → {first_changes}: 2 triples added, 19 removed\n"
        "\n"
        "Commitments removed (1)\n"
        f"  DK0040 {DK0040_TITLE}\n"
        "\n"
        "Titles and labels changed (1)\n"
        '  DK0041 dcterms:title@en: "“Free Municipality” Pilot Projects" → "Free municipalities"\n'
        "\n"
        "IRM assessments changed (1)\n"
        "  DK0018 Completion (IRM progress report on Denmark action plan 2012-2014 (2014)): Complete → Substantial\n"
    )
    assert changes.to_markdown() == (
        f"Changes from {old} to {first_changes}: 2 triples added, 19 removed.\n"
        "\n"
        "### Commitments removed (1)\n"
        "\n"
        f"- `DK0040` {DK0040_TITLE}\n"
        "\n"
        "### Titles and labels changed (1)\n"
        "\n"
        '- `DK0041` dcterms:title@en: "“Free Municipality” Pilot Projects" → "Free municipalities"\n'
        "\n"
        "### IRM assessments changed (1)\n"
        "\n"
        "- `DK0018` Completion (IRM progress report on Denmark action plan 2012-2014 (2014)): Complete → Substantial\n"
    )
    data = json.loads(changes.to_json())
    assert data["changed"] is True and (data["triples_added"], data["triples_removed"]) == (2, 19)
    assert data["commitments_removed"] == [{"id": "DK0040", "title": DK0040_TITLE, "resource": "commitment/DK0040"}]
    assert data["assessments_changed"] == [
        {
            "assessment": "assessment/dk0018-ap-dnk01-progress-report-2014-completion",
            "commitment": "DK0018",
            "criterion": "Completion",
            "report": "IRM progress report on Denmark action plan 2012-2014 (2014)",
            "old": "Complete",
            "new": "Substantial",
        }
    ]
    assert data["labels_changed"] == [
        {
            "resource": "DK0041",
            "property": "dcterms:title",
            "language": "en",
            "old": "“Free Municipality” Pilot Projects",
            "new": "Free municipalities",
        }
    ]
    assert data["other_changes"] == []


def test_every_other_kind_of_change(old: Path, second_changes: Path) -> None:
    assert diff(old, second_changes).to_text() == (
        f"govgraph diff {old} → {second_changes}: 12 triples added, 56 removed\n"
        "\n"
        "Commitments added (1)\n"
        "  DK0071 Open budgets\n"
        "\n"
        "Commitments removed (2)\n"
        "  DK0002 Online OGP Handbook for Public Authorities and Institutions\n"
        "  DK0003 Management Labs and New Forms of Co-Operation\n"
        "\n"
        "Titles and labels changed (1)\n"
        '  programme/beskaeftigelsesreformen rdfs:label@da: "Reform af beskæftigelsesindsatsen" → '
        '"Beskæftigelsesreformen"\n'
        "\n"
        "Commitments: identifier, action plan, status or star changed (3)\n"
        "  DK0005 action plan: Denmark action plan 2012-2014 → Denmark Action Plan 2013-2014\n"
        "  DK0005 status: (none) → Inactive\n"
        "  DK0005 starred: false → true\n"
        "\n"
        "IRM assessments removed (1)\n"
        "  DK0018 Starred (IRM progress report on Denmark action plan 2012-2014 (2014)): No\n"
        "\n"
        "Institutions added (1)\n"
        "  institution/test-agency Test Agency\n"
        "\n"
        "Institutions removed (1)\n"
        "  institution/kl Local Government Denmark\n"
        "\n"
        "Reform initiatives removed (1)\n"
        "  initiative/accreditation Accreditation\n"
        "\n"
        "Money amounts changed (1)\n"
        "  money/fv15-0-2-omprioriteret-knap-4-5-mia Reprioritisation secured through modernisation measures since "
        "2012 up to 2020: value 4500000000 → 4600000000\n"
        "\n"
        "Other changed triples, by class (1)\n"
        "  gg:Goal +1 -1\n"
    )


def test_the_same_data_in_another_format_has_no_changes(old: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    # N-Quads with the TriG's named graphs (merged for the diff), and RDF/XML.
    quads = ox.parse(path=str(old / "govgraph.trig"), format=ox.RdfFormat.TRIG)
    ox.serialize(quads, str(tmp_path / "govgraph.nq"), ox.RdfFormat.N_QUADS)
    triples = ox.parse(path=str(old / "govgraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, str(tmp_path / "govgraph.rdf"), ox.RdfFormat.RDF_XML)
    for path in (old / "govgraph.ttl", old / "govgraph.trig", old / "govgraph.jsonld", *tmp_path.iterdir()):
        changes = diff(old, path)
        assert not changes.has_changes, path.name
        assert changes.to_text() == f"govgraph diff {old} → {path}: no changes\n"
        assert changes.to_markdown() == f"No changes from {old} to {path}.\n"
        assert json.loads(changes.to_json())["changed"] is False


def test_the_bundled_dataset_diffs_in_under_a_second(old: Path, second_changes: Path) -> None:
    start = time.perf_counter()
    diff(old, second_changes)
    assert time.perf_counter() - start < 1.0


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_formats_and_exit_codes(old: Path, first_changes: Path, tmp_path: Path) -> None:
    code, out, _ = invoke(str(old), str(first_changes))
    assert code == 0 and out == diff(old, first_changes).to_text()
    code, out, _ = invoke(str(old), str(first_changes), "--format", "json", "--exit-code")
    assert code == 1 and json.loads(out)["commitments_removed"][0]["id"] == "DK0040"
    code, out, _ = invoke(str(old), str(old / "govgraph.ttl"), "--format", "markdown", "--exit-code")
    assert code == 0 and out == f"No changes from {old} to {old / 'govgraph.ttl'}.\n"
    target = tmp_path / "changes.md"
    code, out, _ = invoke(str(old), str(first_changes), "--format", "markdown", "-o", str(target))
    assert code == 0 and out == "" and target.read_text(encoding="utf-8").startswith("Changes from ")


def test_input_errors_exit_2_with_no_output(old: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    code, out, err = invoke(str(tmp_path / "missing"), str(old), "-o", str(target))
    assert (code, out) == (2, "") and f"{tmp_path / 'missing'}: no such file or folder" in err
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    code, out, err = invoke(str(old), str(bad), "-o", str(target))
    assert (code, out) == (2, "") and f"{bad}:3:" in err and "not valid Turtle" in err
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps({"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a"}))
    code, out, err = invoke(str(remote), str(old))
    assert (code, out) == (2, "") and "remote JSON-LD @context" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = invoke(str(empty), str(old))
    assert (code, out) == (2, "") and "not a release folder" in err
    assert not target.exists()


def test_a_changed_commitment_identifier_is_named(old: Path, tmp_path: Path, built_graph: Graph) -> None:
    """Regression: an identifier changed on the same resource was only counted as `gg:Commitment +1 -1`."""
    g = copy(built_graph)
    g.set((URIRef(ID + "commitment/DK0001"), DCTERMS.identifier, Literal("DK0099")))
    changes = diff(old, write(g, tmp_path / "renamed.nt"))
    assert changes.commitments_changed == [{"id": "DK0099", "property": "identifier", "old": "DK0001", "new": "DK0099"}]
    assert changes.other_changes == []
    assert "DK0099 identifier: DK0001 → DK0099" in changes.to_text()
