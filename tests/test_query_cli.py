"""`govgraph queries` and `govgraph query`: the thin command layer over govgraph.query."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from govgraph.cli import main

from .conftest import DATA


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_queries_lists_every_bundled_query_and_shows_one() -> None:
    listing = _run("queries")
    assert listing.exit_code == 0 and len(listing.output.splitlines()) >= 20
    shown = _run("queries", "reform-initiatives-by-track")
    assert shown.exit_code == 0
    assert "param reform: iri" in shown.output and "SELECT" in shown.output


def test_query_csv_is_the_w3c_results_format() -> None:
    result = _run("query", "reform-tracks", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [int(r["initiatives"]) for r in rows] == [7, 9, 8, 4]


def test_query_json_with_a_parameter() -> None:
    result = _run("query", "commitment-assessments", "--param", "id=DK0041", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"head", "results"} and len(data["results"]["bindings"]) >= 2


def test_injection_in_a_parameter_is_a_value_not_query_text() -> None:
    result = _run("query", "commitment-assessments", "--param", 'id=DK0041" } ; DROP ALL ; #', "--format", "csv")
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1  # the header only: no commitment has that id


def test_bad_parameter_value_and_unknown_query_exit_2() -> None:
    assert _run("query", "reform-initiatives-by-track", "--param", "reform=not an iri").exit_code == 2
    assert _run("query", "no-such-query").exit_code == 2
    assert _run("query", "reform-tracks", "--param", "novalue").exit_code == 2
    assert _run("query").exit_code == 2


def test_user_query_file_and_local_network_refusal(tmp_path: Path) -> None:
    mine = tmp_path / "mine.rq"
    mine.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/govgraph/def#Commitment> }", encoding="utf-8"
    )
    result = _run("query", "--file", str(mine), "--format", "tsv")
    assert result.exit_code == 0 and result.output.splitlines()[1] in (
        "70",
        '"70"^^<http://www.w3.org/2001/XMLSchema#integer>',
    )
    remote = tmp_path / "remote.rq"
    remote.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", encoding="utf-8")
    refused = _run("query", "--file", str(remote))
    assert refused.exit_code == 2 and "SERVICE" in refused.output


def test_query_on_a_user_data_file(tmp_path: Path) -> None:
    converted = tmp_path / "ogp.ttl"
    assert _run("convert", "ogp-export", str(DATA / "ogp-export-three-rows.csv"), "-o", str(converted)).exit_code == 0
    result = _run("query", "commitments-by-country-and-policy-area", "--data", str(converted), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Denmark" in result.output and "Ireland" in result.output
    # The policy-area labels come from the bundled vocabulary, which is loaded beside a user's data file.
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all(row["policyAreaLabel"] for row in rows)


def test_construct_as_turtle_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "dk0041.ttl"
    result = _run(
        "query", "describe-resource", "--param", "resource=ggid:commitment/DK0041", "--format", "turtle", "-o", str(out)
    )
    assert result.exit_code == 0 and "DK0041" in out.read_text(encoding="utf-8")


def test_all_queries_run_with_their_examples_into_one_folder(tmp_path: Path) -> None:
    from govgraph.query import list_queries

    result = _run("query", "--all", "--output-dir", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.output
    names = sorted(p.stem for p in tmp_path.iterdir())
    assert names == sorted(q.name for q in list_queries())
    # Each file is what the single query with the example's parameters gives.
    single = _run("query", "institution-roles", "--param", "institution=ggid:institution/kl", "--format", "csv")
    assert (tmp_path / "institution-roles.csv").read_text() == single.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "reform-tracks.csv").read_text())))
    assert [int(r["initiatives"]) for r in rows] == [7, 9, 8, 4]


def test_all_queries_need_a_folder_and_nothing_else() -> None:
    assert _run("query", "--all").exit_code == 2
    assert _run("query", "--all", "reform-tracks", "--output-dir", "x").exit_code == 2


def test_every_example_names_its_query_and_binds_every_required_parameter() -> None:
    from govgraph.query import example_params, list_queries

    for q in list_queries():
        assert q.example.startswith(f"govgraph query {q.name}"), q.name
        required = {p.name for p in q.params if p.default is None}
        assert required <= set(example_params(q)), q.name
