"""The OGP commitments export reader and converter, on every row of the real sample and on bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from govgraph.build import convert_ogp_export
from govgraph.errors import InputErrors
from govgraph.namespaces import GG, concept
from govgraph.sources.dates import parse_date
from govgraph.sources.ogp_export import EXPECTED_COLUMNS, commitment_number, read_ogp_export

from .conftest import DATA, GOLDEN

ID = "https://w3id.org/govgraph/id/"


def test_every_row_of_the_sample_converts(ogp_sample: Path) -> None:
    records = read_ogp_export(ogp_sample)
    assert len(records) == 558
    assert len({r.country.code for r in records}) == 75
    graph = convert_ogp_export(ogp_sample)
    assert len(set(graph.subjects(RDF.type, GG.Commitment))) == 558
    assert not any(isinstance(t, type(None)) for t in graph)


def test_the_header_matches_the_reader_exactly(ogp_sample: Path) -> None:
    header = next(csv.reader(ogp_sample.open(encoding="utf-8")))
    assert sorted(header) == sorted(EXPECTED_COLUMNS)


def test_dk0018_fields(ogp_sample: Path) -> None:
    dk = {r.id: r for r in read_ogp_export(ogp_sample)}["DK0018"]
    assert dk.title == "Creating a mediation and complaints institution for responsible business behaviour"
    assert dk.action_plan.ogp_id == "AP_DNK01" and dk.action_plan.cycle_year == 2012
    assert dk.lead_institutions == ("Danish Business Agency",)
    assert dk.supporting_text is None
    assert set(dk.policy_areas) == {"legislation", "private-sector", "human-rights"}
    assert dk.ogp_values == ("public-accountability",)
    assert (dk.start.lexical, dk.start.datatype) == ("2012-04", "gYearMonth")
    values = {(a.report.kind, a.criterion): a.value for a in dk.assessments}
    assert values == {
        ("progress-report", "specificity"): "high",
        ("progress-report", "verifiability"): "yes",
        ("progress-report", "relevance"): "relevant",
        ("progress-report", "potential-impact"): "moderate",
        ("progress-report", "completion"): "complete",
        ("progress-report", "starred-2015-formula"): "yes",
        ("progress-report", "starred"): "no",
    }
    assert {a.report.year for a in dk.assessments} == {2014}


def test_assessments_are_resources_with_report_and_methodology(ogp_sample: Path) -> None:
    graph = convert_ogp_export(ogp_sample)
    s = URIRef(ID + "assessment/dk0018-ap-dnk01-progress-report-2014-completion")
    assert (s, GG.assessedCommitment, URIRef(ID + "commitment/DK0018")) in graph
    assert (s, GG.value, URIRef(concept("irm-classic-completion", "complete"))) in graph
    report = graph.value(s, GG.report)
    assert graph.value(report, GG.publicationYear) == Literal("2014", datatype=XSD.gYear)


@pytest.mark.parametrize(
    ("text", "lexical", "datatype"),
    [
        ("12/31/2022", "2022-12-31", "date"),
        ("31/12/2014", "2014-12-31", "date"),
        ("April 2012", "2012-04", "gYearMonth"),
        ("2016", "2016", "gYear"),
        ("7/15/1905", "2023", "gYear"),  # a year Excel stored as a day number
        ("43525", "2019-03-01", "date"),  # an Excel serial day number
        ("Underway", None, None),
        ("2/30/2020", None, None),
    ],
)
def test_dates_are_read_as_precisely_as_written(text: str, lexical: str | None, datatype: str | None) -> None:
    value = parse_date(text)
    assert (value.lexical, value.datatype) == (lexical, datatype)
    assert value.original == text


def test_unreadable_dates_are_kept_as_text_not_guessed(ogp_sample: Path) -> None:
    graph = convert_ogp_export(ogp_sample)
    texts = {str(o) for o in graph.objects(None, GG.startDateText)}
    assert "Underway" in texts and "I quarter of 2021" in texts


def test_commitment_numbers_are_labels_with_float_damage_repaired() -> None:
    assert commitment_number("2.2999999999999998") == "2.3"
    assert commitment_number("3.2.5") == "3.2.5"
    assert commitment_number("B.1.A") == "B.1.A"


def test_golden_rows_are_isomorphic(update_golden: bool) -> None:
    """Three rows (Denmark, a local member, an IRM Refresh row) against a reviewed golden graph."""
    graph = convert_ogp_export(DATA / "ogp-export-three-rows.csv")
    golden = GOLDEN / "ogp-export-three-rows.ttl"
    if update_golden:
        golden.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    expected = Graph().parse(golden)
    if to_isomorphic(graph) != to_isomorphic(expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(graph))
        pytest.fail(
            "converted graph differs from the golden file (rerun with --update-golden after review)\n"
            f"missing: {sorted(missing)[:5]}\nextra: {sorted(extra)[:5]}"
        )


# ---------------------------------------------------------------- bad input


def _write_export(tmp_path: Path, mutate) -> Path:
    rows = list(csv.reader((DATA / "ogp-export-three-rows.csv").open(encoding="utf-8", newline="")))
    mutate(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / "export.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _errors(path: Path) -> list[str]:
    with pytest.raises(InputErrors) as info:
        read_ogp_export(path)
    return [str(e) for e in info.value.errors]


def test_missing_id_names_file_line_and_field(tmp_path: Path) -> None:
    def mutate(rows):
        rows[2][0] = ""

    path = _write_export(tmp_path, mutate)
    errors = _errors(path)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:")
    assert "[Commitment Unique Identifier] missing commitment id" in errors[0]


def test_malformed_and_duplicate_ids_are_all_reported_at_once(tmp_path: Path) -> None:
    def mutate(rows):
        rows[1][0] = "dk18"
        rows[3][0] = rows[2][0]

    errors = _errors(_write_export(tmp_path, mutate))
    assert len(errors) == 2
    assert "malformed commitment id 'dk18'" in errors[0]
    assert "duplicate commitment id" in errors[1] and "first on line" in errors[1]


def test_unknown_column_layout(tmp_path: Path) -> None:
    def mutate(rows):
        rows[0][5] = "Continent"

    errors = _errors(_write_export(tmp_path, mutate))
    assert ":1:" in errors[0]
    assert "missing columns: Region" in errors[0] and "unknown columns: Continent" in errors[0]


def test_bad_rating_value_names_the_column(tmp_path: Path) -> None:
    def mutate(rows):
        rows[1][rows[0].index("Specificity")] = "Enormous"

    errors = _errors(_write_export(tmp_path, mutate))
    assert "[Specificity] 'Enormous' is not a value of the IRM specificity scale" in errors[0]


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    assert "cannot read the file" in _errors(tmp_path / "missing.csv")[0]
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(",".join(EXPECTED_COLUMNS).encode() + b"\nDK0018,Dinamarca \xe9\n")
    errors = _errors(latin)
    assert f"{latin}:2:" in errors[0] and "not UTF-8" in errors[0]


def test_dataset_members_are_typed_literals(ogp_sample: Path) -> None:
    graph = convert_ogp_export(ogp_sample)
    for o in graph.objects(None, GG.cycleYear):
        assert o.datatype == XSD.gYear
    for o in graph.objects(None, DCTERMS.identifier):
        assert isinstance(o, Literal)


@pytest.mark.slow
def test_regression_the_whole_converted_sample_conforms_to_the_shapes(ogp_sample: Path) -> None:
    """Action plans read from an export once had no provenance; every converted resource now conforms."""
    from govgraph.build import add_vocabulary
    from govgraph.validate import validate

    graph = convert_ogp_export(ogp_sample)
    add_vocabulary(graph)
    report = validate(graph)
    assert report.counts()["Violation"] == 0, report.to_text()[:2000]
    assert report.counts()["Warning"] == 0
