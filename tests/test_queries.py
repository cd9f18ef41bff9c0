"""The bundled SPARQL catalogue on the built dataset: headers, golden results, typed parameters, injection,
offline guard and the result formats."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from govgraph.errors import InputErrors
from govgraph.query import (
    REQUIRED_HEADER_FIELDS,
    ParameterError,
    QueryError,
    QueryResult,
    UnknownQueryError,
    bind_params,
    check_offline,
    get_query,
    inject_values,
    list_queries,
    nt,
    parse_query,
    run_query,
    store_from_graph,
)

from .conftest import GOLDEN

QUERIES = [q.name for q in list_queries()]
GOLDEN_QUERIES = GOLDEN / "queries"
ID = "https://w3id.org/govgraph/id/"


@pytest.fixture(scope="session")
def store(built_graph):
    """The built dataset in pyoxigraph, shared by every test of the session."""
    return store_from_graph(built_graph)


def rows_of(result: QueryResult) -> list[tuple[str, ...]]:
    """The rows as N-Triples terms: exact (datatype and language included)."""
    return [tuple("" if t is None else nt(t) for t in row) for row in result.rows]


def run_injected(info, params: dict, store) -> QueryResult:
    """Run the text a remote endpoint would get (parameters in a VALUES block), without the header, so that
    no default is substituted on top."""
    text = inject_values(info.text, bind_params(info, params))
    return run_query("\n".join(line for line in text.splitlines() if not line.startswith("#+")), graph=store)


def is_ordered(name: str) -> bool:
    info = get_query(name)
    return info.form == "SELECT" and info.order == "list"


# ------------------------------------------------------------------------------------------------ headers


def test_catalogue_has_the_promised_queries() -> None:
    assert len(QUERIES) >= 22
    for name in ("reform-initiatives-by-track", "provenance", "annex-table-check", "conflicting-figures"):
        assert name in QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_header(name: str) -> None:
    info = get_query(name)
    header = "\n".join(line for line in info.text.splitlines() if line.startswith("#+"))
    for field in REQUIRED_HEADER_FIELDS:
        assert re.search(rf"^#\+ {field}:", header, re.M), f"{name}: header field {field!r} missing"
    assert info.summary and info.description and info.tags
    assert info.example.startswith(f"govgraph query {name}")
    assert info.method == "GET"
    # Declared parameters and ?_variables are the same set.
    used = set(re.findall(r"[?$]_([A-Za-z][A-Za-z0-9_]*)", re.sub(r"(?m)^#.*$", "", info.text)))
    assert used == {p.name for p in info.params}, f"{name}: ?_ variables {used} vs params"
    for p in info.params:
        assert p.description, f"{name}: parameter {p.name} has no description"
    if info.form == "SELECT":
        projection = info.text[info.text.index("\nSELECT") : info.text.index("\nWHERE")]
        for p in info.params:  # pyoxigraph substitutes projected variables only
            assert f"?_{p.name}" in projection, f"{name}: ?_{p.name} is not projected"
        if info.order == "list":
            assert "\nORDER BY" in info.text, f"{name}: no ORDER BY and no `#+ order: set`"


def test_bad_headers_are_reported() -> None:
    with pytest.raises(QueryError, match="type must be one of"):
        parse_query("#+ params:\n#+   - x: {type: number}\nSELECT * WHERE {}")
    with pytest.raises(QueryError, match="the default of parameter 'n'"):
        parse_query("#+ params:\n#+   - n: {type: integer, default: abc}\nSELECT * WHERE {}")
    with pytest.raises(QueryError, match="unknown header field"):
        parse_query("#+ summmary: typo\nSELECT * WHERE {}")


def test_unknown_query_names_near_ones() -> None:
    with pytest.raises(UnknownQueryError) as info:
        get_query("reform-track")
    assert isinstance(info.value, KeyError)
    assert "reform-tracks" in str(info.value) and not str(info.value).startswith("'")


# ---------------------------------------------------------------------------------------- golden results


def _read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("name", QUERIES)
def test_query_matches_golden(name: str, store, update_golden: bool) -> None:
    result = run_query(name, graph=store)
    text = result.to_csv()
    golden = GOLDEN_QUERIES / f"{name}.csv"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden"
    expected = _read_csv(golden.read_bytes().decode("utf-8"))
    actual = _read_csv(text)
    assert actual[0] == expected[0], "header"
    assert len(actual) > 1, f"{name} returns no rows"
    if is_ordered(name):
        assert actual[1:] == expected[1:]
    else:
        assert sorted(actual[1:]) == sorted(expected[1:])


@pytest.mark.parametrize("name", QUERIES)
def test_values_block_gives_the_same_as_substitution(name: str, store) -> None:
    """What the remote endpoint gets (a VALUES block) answers as the local substitution does."""
    info = get_query(name)
    substituted = run_query(info, graph=store)
    injected = run_injected(info, {}, store)
    assert rows_of(injected) == rows_of(substituted)
    assert injected.boolean == substituted.boolean


def test_the_numbers_make_sense(store) -> None:
    per_plan = run_query("commitments-per-action-plan", graph=store)
    assert sum(int(r[3]) for r in per_plan.rows) == 70
    assert [int(r[3]) for r in per_plan.rows] == [33, 16, 14, 7]
    tracks = run_query("reform-tracks", graph=store)
    assert [int(r[3]) for r in tracks.rows] == [7, 9, 8, 4]
    assert len(run_query("reform-initiatives-by-track", graph=store).rows) == 28
    free = run_query("free-municipalities", graph=store)
    assert len(free.rows) == 9 and {str(r[4]) for r in free.rows} == {"9"}
    (annex,) = run_query("annex-table-check", graph=store).rows
    assert (int(annex[2]), str(annex[3]), str(annex[5])) == (8, "4374000000", "0")
    conflicts = run_query("conflicting-figures", graph=store)
    assert sorted(str(r[1]) for r in conflicts.rows) == ["800000", "815000"]
    principles = run_query("seven-principles", graph=store)
    assert {int(r[0]) for r in principles.rows} == set(range(1, 8)) and len(principles.rows) == 42
    assert run_query("commitment-exists", graph=store).boolean is True
    assert run_query("commitment-exists", {"id": "DK0071"}, graph=store).boolean is False


def test_country_query_on_a_converted_export(ogp_sample: Path) -> None:
    from govgraph.build import convert_ogp_export

    result = run_query("commitments-by-country-and-policy-area", graph=convert_ogp_export(ogp_sample))
    countries = {r[1] for r in result.rows}
    assert len(countries) > 10
    assert sum(int(r[4]) for r in result.rows) >= 558


# ------------------------------------------------------------------------------------------- parameters


def test_parameters_are_typed(store) -> None:
    result = run_query("targets-by-year-and-indicator", {"year": "2020"}, graph=store)
    everything = run_query("targets-by-year-and-indicator", graph=store)
    assert 0 < len(result.rows) < len(everything.rows)
    assert {str(r[0]) for r in result.rows} == {"2020"}
    kl = run_query("institution-roles", {"institution": "ggid:institution/kl"}, graph=store)
    assert kl.rows and {r[0] for r in kl.rows} == {URIRef(ID + "institution/kl")}
    reform = run_query("reform-tracks", {"reform": ID + "programme/kvalitetsreformen"}, graph=store)
    assert reform.rows == []  # the Quality Reform has no tracks
    assert run_query("commitment-assessments", {"id": "DK0018"}, graph=store).rows


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("reform-tracks", {"refrom": "x"}, "no parameter 'refrom'"),
        ("targets-by-year-and-indicator", {"year": "abc"}, "parameter 'year' \\(year\\)"),
        ("targets-by-year-and-indicator", {"year": "20201"}, "parameter 'year'"),
        ("reform-tracks", {"reform": "not an iri"}, "parameter 'reform' \\(iri\\)"),
        ("reform-tracks", {"reform": "relative/path"}, "not an absolute IRI"),
        ("provenance", {"resource": "http://x/a> <http://evil"}, "parameter 'resource'"),
        ("provenance", {"resource": 'http://x/"a'}, "parameter 'resource'"),
    ],
)
def test_bad_parameters_name_the_parameter(store, name: str, params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message) as info:
        run_query(name, params, graph=store)
    assert isinstance(info.value, ValueError)


def test_every_type_binds_a_term() -> None:
    info = parse_query(
        "#+ params:\n"
        "#+   - i: {type: integer}\n#+   - d: {type: decimal}\n#+   - t: {type: date}\n"
        "#+   - y: {type: year}\n#+   - l: {type: langstring}\n#+   - s: {type: string}\n#+   - r: {type: iri}\n"
        "SELECT ?_i ?_d ?_t ?_y ?_l ?_s ?_r WHERE {}"
    )
    terms = bind_params(
        info, {"i": "42", "d": "12.5", "t": "2015-04-01", "y": "2020", "l": "reform@da", "s": 'a "b"', "r": "gg:Reform"}
    )
    assert [nt(t) for t in terms.values()] == [
        '"42"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"12.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        '"2015-04-01"^^<http://www.w3.org/2001/XMLSchema#date>',
        '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>',
        '"reform"@da',
        '"a \\"b\\""',
        "<https://w3id.org/govgraph/def#Reform>",
    ]
    for name, bad in [("t", "2015-02-30"), ("l", "no tag"), ("d", "1,5"), ("i", "4.0")]:
        with pytest.raises(ParameterError, match=f"parameter '{name}'"):
            bind_params(info, {name: bad})


EVIL = [
    'DK0040" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "x' } } DROP ALL #",
    'a\\" } INSERT DATA { <http://evil> <http://evil> <http://evil> } #',
    'line\nbreak\r"quote"\t{}',
    "> <http://evil> .",
    "a\\u0022 } DROP ALL #",
]


@pytest.mark.parametrize("value", EVIL)
def test_a_parameter_cannot_change_the_query(store, value: str) -> None:
    size = len(store)
    # Local substitution: a literal stays a literal.
    assert run_query("commitment-assessments", {"id": value}, graph=store).rows == []
    assert run_query("search-labels", {"text": value}, graph=store).rows == []
    # The VALUES block for a remote endpoint: one row, one term, the same query shape.
    info = get_query("search-labels")
    text = inject_values(info.text, bind_params(info, {"text": value}))
    assert run_injected(info, {"text": value}, store).rows == []
    assert text.count("VALUES") == 1 and text.replace(nt(Literal(value)), "").count("DROP") == 0
    assert len(store) == size


def test_an_iri_parameter_cannot_break_out(store) -> None:
    for value in ["http://x/a> <http://evil", "http://x/{a}", "http://x/a b", "http://x/a|b", "http://x/a\\b"]:
        with pytest.raises(ParameterError):
            run_query("provenance", {"resource": value}, graph=store)


# ------------------------------------------------------------------------------------------------ offline


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <https://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_local_queries_stay_offline(store, query: str) -> None:
    with pytest.raises(QueryError, match=r"SERVICE|FROM"):
        run_query(query, graph=store)


def test_updates_are_refused(store) -> None:
    for update in ["LOAD <http://example.org/data.ttl>", "DROP ALL", "INSERT DATA { <http://a> <http://b> 1 }"]:
        with pytest.raises(QueryError):
            run_query(update, graph=store)


def test_keywords_in_strings_and_iris_are_not_keywords(store) -> None:
    check_offline('SELECT * WHERE { ?s ?p "SERVICE FROM LOAD" . ?s <http://x/SERVICE> ?o } # SERVICE')
    result = run_query('SELECT ?s WHERE { ?s ?p "SERVICE { LOAD" }', graph=store)
    assert result.rows == []


def test_syntax_errors_are_query_errors(store) -> None:
    with pytest.raises(QueryError, match="not valid SPARQL"):
        run_query("SELECT ?x WHERE { ?x ?y }", graph=store)


# ------------------------------------------------------------------------------------- graphs and files


def test_run_on_an_rdflib_graph_and_a_file(built_graph, tmp_path: Path) -> None:
    from govgraph.export import write

    path = write(built_graph, tmp_path / "govgraph.ttl")
    from_file = run_query("reform-tracks", graph=path)
    from_graph = run_query("reform-tracks", graph=built_graph)
    assert rows_of(from_file) == rows_of(from_graph) and len(from_file.rows) == 4
    with pytest.raises(InputErrors, match=r"missing\.ttl: no such file"):  # the input layer's words
        run_query("reform-tracks", graph=tmp_path / "missing.ttl")


# ------------------------------------------------------------------------------------------------ formats


@pytest.fixture
def tricky() -> QueryResult:
    return QueryResult(
        "SELECT",
        ["a", "b", "c"],
        [
            (
                URIRef(ID + "commitment/DK0040"),
                Literal('say "hi", then\nleave'),
                Literal("1", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
            ),
            (None, Literal("velfærd", lang="da"), Literal("tab\there")),
        ],
    )


def test_csv_follows_the_spec(tricky: QueryResult) -> None:
    text = tricky.to_csv()
    assert text.startswith("a,b,c\r\n")
    assert _read_csv(text)[1] == [ID + "commitment/DK0040", 'say "hi", then\nleave', "1"]
    assert _read_csv(text)[2] == ["", "velfærd", "tab\there"]


def test_tsv_follows_the_spec(tricky: QueryResult) -> None:
    lines = tricky.to_tsv().split("\n")
    assert lines[0] == "?a\t?b\t?c"
    assert lines[1] == (
        f'<{ID}commitment/DK0040>\t"say \\"hi\\", then\\nleave"\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    assert lines[2] == '\t"velfærd"@da\t"tab\\there"'


def test_json_follows_the_spec(tricky: QueryResult) -> None:
    doc = json.loads(tricky.to_json())
    assert doc["head"]["vars"] == ["a", "b", "c"]
    first, second = doc["results"]["bindings"]
    assert first["a"] == {"type": "uri", "value": ID + "commitment/DK0040"}
    assert first["c"] == {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert "a" not in second and second["b"] == {"type": "literal", "value": "velfærd", "xml:lang": "da"}
    assert second["c"] == {"type": "literal", "value": "tab\there"}


def test_xml_follows_the_spec(tricky: QueryResult) -> None:
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(tricky.to_xml().encode("utf-8"))
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["a", "b", "c"]
    results = root.findall("r:results/r:result", ns)
    assert results[0].find("r:binding[@name='a']/r:uri", ns).text == ID + "commitment/DK0040"
    assert results[0].find("r:binding[@name='b']/r:literal", ns).text == 'say "hi", then\nleave'
    lit = results[1].find("r:binding[@name='b']/r:literal", ns)
    assert lit.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    assert results[1].find("r:binding[@name='a']", ns) is None


def test_ask_results(store) -> None:
    result = run_query("commitment-exists", graph=store)
    assert json.loads(result.to_json()) == {"head": {}, "boolean": True}
    assert "<boolean>true</boolean>" in result.to_xml()
    assert result.to_csv() == "_askResult\r\ntrue\r\n"
    assert result.to_table() == "true\n"


def test_table_is_aligned_and_compact(store) -> None:
    table = run_query("reform-tracks", graph=store).to_table()
    lines = table.splitlines()
    assert lines[0].split() == ["number", "label", "track", "initiatives", "_reform"]
    assert "ggid:track/bedre-ledelse" in table and "ggid:programme/sammenhaengsreformen" in table
    assert lines[-1] == "(4 rows)"
    assert len({len(line.rstrip()) for line in lines[2:-1]}) >= 1


def test_dataframe_needs_pandas(store, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_query("reform-tracks", graph=store)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        result.to_dataframe()


def test_dataframe_with_pandas(store) -> None:
    pytest.importorskip("pandas")
    frame = run_query("reform-tracks", graph=store).to_dataframe()
    assert list(frame["initiatives"]) == [7, 9, 8, 4]


def test_construct_gives_a_graph(store) -> None:
    result = run_query("describe-resource", {"resource": "ggid:commitment/DK0041"}, graph=store)
    assert result.form == "CONSTRUCT" and result.variables == ["subject", "predicate", "object"]
    assert {row[0] for row in result.rows} == {URIRef(ID + "commitment/DK0041")}
    turtle = result.graph_bytes("turtle").decode()
    assert "ggid:commitment/DK0041" in turtle or "<https://w3id.org/govgraph/id/commitment/DK0041>" in turtle
    ntriples = result.graph_bytes("nt").decode().splitlines()
    assert len(ntriples) == len(result.rows) and ntriples == sorted(ntriples)
    with pytest.raises(QueryError):
        run_query("reform-tracks", graph=store).graph_bytes()


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("targets-by-year-and-indicator", {"year": "2020"}),
        ("institution-roles", {"institution": "ggid:institution/kl"}),
        ("programmes", {"class": "gg:Reform"}),
        ("search-labels", {"text": "digital"}),
        ("commitments-linked-to", {"target": "ggid:principle/dialog-aabenhed-og-klare-maal"}),
    ],
)
def test_values_block_with_given_parameters(store, name: str, params: dict) -> None:
    info = get_query(name)
    substituted = run_query(info, params, graph=store)
    injected = run_injected(info, params, store)
    assert substituted.rows and rows_of(injected) == rows_of(substituted)


def test_an_rdf_star_triple_term_in_a_result_is_a_query_error() -> None:
    """A SPARQL 1.2 TRIPLE() in a user's query gives a QueryError naming the term, not an AttributeError."""
    graph = Graph()
    graph.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("o")))
    with pytest.raises(QueryError, match="RDF-star triple term"):
        run_query("SELECT (TRIPLE(?s, ?p, ?o) AS ?t) WHERE { ?s ?p ?o }", graph=graph)
