"""A second real triple store: OpenLink Virtuoso 7 (tests/virtuoso.py starts it on 127.0.0.1 over a database of
its own). `govgraph publish` loads the dataset through Virtuoso's Digest-protected Graph Store endpoint, and
every bundled query answers there as on the embedded store, numbers compared by value. Nothing here reaches
beyond 127.0.0.1."""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.export import VOCABULARY_IRI
from govgraph.publish import PublishError, publish, publish_package
from govgraph.query import QueryError, example_params, get_query, list_queries, nt, run_query, store_from_graph

from .virtuoso import Virtuoso, virtuoso_server

pytestmark = pytest.mark.slow

DATASET = "https://w3id.org/govgraph/graph/dataset"
QUERIES = [q.name for q in list_queries()]
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger")}


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tests decide the credentials: none from the environment or the user's own ~/.netrc."""
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_PASSWORD", raising=False)
    empty = tmp_path / "empty.netrc"
    empty.write_text("")
    monkeypatch.setenv("NETRC", str(empty))


@pytest.fixture(scope="module")
def virtuoso(system_packages: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso holding the dataset and its vocabulary in two named graphs, published by govgraph through
    /sparql-graph-crud-auth (HTTP Digest) as docs/virtuoso.md describes."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        publish_package(server.graph_store, DATASET, username=server.user, password=server.password)
        yield server


@pytest.fixture(scope="module")
def dataset_file(built_graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built dataset as N-Triples, for the CLI (which would otherwise build it again for each publish)."""
    path = tmp_path_factory.mktemp("virtuoso-data") / "govgraph.nt"
    built_graph.serialize(path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(built_graph):
    return store_from_graph(built_graph)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def comparable(term) -> tuple[str, ...]:
    """A term as the comparison sees it: numbers and booleans by value (Virtuoso keeps values, not the lexical
    forms: 1.50 comes back as 1.5, "true"^^xsd:boolean as "1"^^xsd:boolean), everything else exactly, as
    its N-Triples form."""
    from rdflib import Literal

    if term is None:
        return ("",)
    datatype = str(term.datatype) if isinstance(term, Literal) and term.datatype is not None else ""
    if datatype in NUMERIC:
        return ("number", str(decimal.Decimal(str(term)).normalize()))
    if datatype == XSD + "boolean":
        return ("boolean", str(str(term).strip() in ("true", "1")))
    return ("term", nt(term))


def rows_of(result) -> list[tuple]:
    return [tuple(comparable(t) for t in row) for row in result.rows]


# --------------------------------------------------------------------------------------- publishing


def test_publish_loads_the_dataset_through_the_digest_graph_store(
    virtuoso: Virtuoso, built_graph, dataset_file: Path
) -> None:
    from rdflib import Graph

    from govgraph.build import add_vocabulary

    vocabulary = Graph()
    add_vocabulary(vocabulary)
    assert virtuoso.count(VOCABULARY_IRI) == len(vocabulary)
    assert virtuoso.count(DATASET) == len(built_graph - vocabulary) > 10_000

    # The CLI, with the whole built dataset in a graph of its own: a Digest answer, the body sent once.
    other = "https://example.org/graph/cli"
    n = len(built_graph)
    # Twice: replaced, not added to. Before each PUT the live graph is read back (a GET, Digest too) and
    # compared: the second publish finds the whole graph there and changes nothing.
    for held, change in ((0, f"+{n} -0"), (n, "+0 -0")):
        code, _out, err = invoke(
            "publish", "--endpoint", virtuoso.graph_store, "--graph", other,
            "--user", virtuoso.user, "--password", virtuoso.password, str(dataset_file),
        )  # fmt: skip
        assert code == 0, err
        assert err.strip() == (
            f"published {n} triples to <{other}> at {virtuoso.graph_store}; "
            f"it held {held} and now holds {n} ({change} triples)"
        )
        assert virtuoso.count(other) == n


def test_a_refusal_shows_virtuosos_own_message(virtuoso: Virtuoso, dataset_file: Path) -> None:
    """Regression: the anonymous Graph Store endpoint answers 403 with an SQL security error while the body is
    still being sent; govgraph dropped that text, or died with "Connection reset by peer"."""
    graph = "https://example.org/graph/refused"
    code, _out, err = invoke(
        "publish", "--endpoint", virtuoso.anonymous_graph_store, "--graph", graph, str(dataset_file)
    )
    assert code == 2
    assert "HTTP 403" in err and "SQ110:SECURITY: Permission denied" in err, err
    assert "no credentials were given" in err
    assert "reset" not in err.lower() and "<html" not in err.lower()
    assert virtuoso.count(graph) == 0


def test_wrong_password_is_refused_without_a_reset(virtuoso: Virtuoso, built_graph) -> None:
    """Virtuoso answers a bad Digest answer at once and closes while the 2 MB body is still being sent: the
    answer is what the user sees."""
    graph = "https://example.org/graph/wrong-password"
    wrong = "not-" + virtuoso.password
    # force: no GET of the live graph first (it would be refused before any body is sent), straight to the PUT
    for force in (True, False):
        with pytest.raises(PublishError) as info:
            publish(virtuoso.graph_store, graph, built_graph, username=virtuoso.user, password=wrong, force=force)
        message = str(info.value)
        assert "HTTP 401" in message and "refused the credentials from options" in message, message
        assert wrong not in message and "reset" not in message.lower() and "closed" not in message
    assert virtuoso.count(graph) == 0


def test_a_user_without_the_update_role_gets_the_servers_reason(virtuoso: Virtuoso, tmp_path: Path) -> None:
    virtuoso.sql("DB.DBA.USER_CREATE ('reader', 'reader-pw');")
    small = tmp_path / "small.nt"
    small.write_text('<https://example.org/a> <https://example.org/p> "x" .\n')
    with pytest.raises(PublishError) as info:
        publish(virtuoso.graph_store, "https://ex.org/graph/reader", small, username="reader", password="reader-pw")
    message = str(info.value)
    assert ("HTTP 401" in message or "HTTP 403" in message) and "reader-pw" not in message, message


# ---------------------------------------------------------------------------------- the bundled queries


@pytest.mark.parametrize("name", QUERIES)
def test_every_bundled_query_answers_as_on_the_embedded_store(name: str, virtuoso: Virtuoso, store) -> None:
    info = get_query(name)
    params = example_params(info)
    local = run_query(info, params, graph=store)
    remote = run_query(info, params, endpoint=virtuoso.sparql, default_graphs=[DATASET, VOCABULARY_IRI])
    assert remote.variables == local.variables
    assert remote.boolean == local.boolean
    if info.form == "SELECT" and info.order == "list":
        assert rows_of(remote) == rows_of(local)
    else:
        assert sorted(rows_of(remote)) == sorted(rows_of(local))
    assert local.rows or local.boolean is not None  # the comparison means something


def test_an_endpoint_url_with_its_own_query_string(virtuoso: Virtuoso, store) -> None:
    """Regression: `--endpoint '.../sparql?default-graph-uri=G'` became `...?default-graph-uri=G?query=...`."""
    from urllib.parse import quote

    graphs = "&".join(f"default-graph-uri={quote(iri, safe='')}" for iri in (DATASET, VOCABULARY_IRI))
    url = f"{virtuoso.sparql}?{graphs}"
    code, out, err = invoke("query", "reform-tracks", "--endpoint", url, "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == run_query("reform-tracks", graph=store).to_csv().splitlines()
    code, out2, err = invoke(
        "query", "reform-tracks", "--endpoint", virtuoso.sparql, "--format", "csv",
        "--default-graph", DATASET, "--default-graph", VOCABULARY_IRI,
    )  # fmt: skip
    assert code == 0, err
    assert out2 == out
    code, _out, err = invoke("query", "reform-tracks", "--endpoint", f"{virtuoso.sparql}?query=ASK%7B%7D")
    assert code == 2 and "query= parameter" in err


def test_without_a_default_graph_virtuoso_answers_over_all_its_graphs(virtuoso: Virtuoso, built_graph) -> None:
    """Why --default-graph matters: Virtuoso's default graph is the union of every graph it holds, its own
    system graphs included."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(run_query(count, endpoint=virtuoso.sparql).rows[0][0])
    named = int(run_query(count, endpoint=virtuoso.sparql, default_graphs=[DATASET, VOCABULARY_IRI]).rows[0][0])
    assert named == len(built_graph)
    assert everything > named


def test_digest_protected_sparql_endpoint(virtuoso: Virtuoso) -> None:
    """Queries through /sparql-auth, which takes HTTP Digest only."""
    sparql_auth = f"{virtuoso.base}/sparql-auth"
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATASET}> {{ ?s ?p ?o }} }}"
    result = run_query(text, endpoint=sparql_auth, username=virtuoso.user, password=virtuoso.password, retries=0)
    assert int(result.rows[0][0]) == virtuoso.count(DATASET)
    with pytest.raises(QueryError, match="HTTP 401") as info:
        run_query(text, endpoint=sparql_auth, username=virtuoso.user, password="wrong-secret", retries=0)
    assert "wrong-secret" not in str(info.value)


def test_default_graphs_with_a_posted_query(virtuoso: Virtuoso, built_graph) -> None:
    """A query sent by POST carries its default-graph-uri parameters in the form body (SPARQL 1.1 Protocol)."""
    from govgraph.query import parse_query

    info = parse_query("#+ method: POST\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count")
    assert info.method == "POST"
    result = run_query(info, endpoint=virtuoso.sparql, default_graphs=[DATASET, VOCABULARY_IRI])
    assert int(result.rows[0][0]) == len(built_graph)


def test_a_default_graph_needs_an_endpoint() -> None:
    code, _out, err = invoke("query", "reform-tracks", "--default-graph", DATASET)
    assert code == 2 and "--default-graph names graphs of an endpoint" in err
    with pytest.raises(QueryError, match="give an endpoint too"):
        run_query("reform-tracks", default_graphs=[DATASET])
    nowhere = "http://127.0.0.1:9/sparql"  # the IRI is checked before anything is sent
    code, _out, err = invoke("query", "reform-tracks", "--endpoint", nowhere, "--default-graph", "x")
    assert code == 2 and "the default graph: 'x' is not an absolute IRI" in err


def test_answers_virtuoso_cut_short(system_packages: None, tmp_path: Path) -> None:
    """Virtuoso stops every answer at its [SPARQL] ResultSetMaxRows without an error. For a SELECT a header
    says so (X-SPARQL-MaxRows), and govgraph refuses the answer rather than pass it on as complete. A graph
    (CONSTRUCT, or a Graph Store GET) is cut at one triple more and nothing says so: which is why
    docs/virtuoso.md asks for a limit above the largest graph, why publish counts the live graph on /sparql
    before it trusts its GET, and what this test pins down."""
    cap = 50
    data = tmp_path / "many.nt"
    data.write_text("".join(f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(200)))
    graph = "https://example.org/graph/many"
    with virtuoso_server(tmp_path / "db", max_rows=cap) as server:
        credentials = {"username": server.user, "password": server.password}
        assert publish(server.graph_store, graph, data, **credentials).triples == 200
        assert server.count(graph) == 200
        every = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryError, match=f"cut the answer at {cap} rows .*ResultSetMaxRows"):
            run_query(every, endpoint=server.sparql, retries=0)
        below = run_query(f"{every} ORDER BY ?s LIMIT {cap - 1}", endpoint=server.sparql, retries=0)
        assert len(below.rows) == cap - 1
        # The silent cut of graphs: a CONSTRUCT, and the live graph publish reads before it replaces it.
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert len(run_query(construct, endpoint=server.sparql, retries=0).rows) == cap + 1
        # publish reads the live graph to see what it would remove: cut short, that check would be wrong (a
        # publish removing most of a large graph would look small), so publish counts it on /sparql and stops.
        with pytest.raises(PublishError, match=rf"holds 200 triples, but the GET of it .* gave only {cap + 1}"):
            publish(server.graph_store, graph, data, dry_run=True, **credentials)
        small = tmp_path / "small.nt"
        small.write_text("".join(data.read_text().splitlines(keepends=True)[:40]))
        with pytest.raises(PublishError, match="raise ResultSetMaxRows above 200"):
            publish(server.graph_store, graph, small, **credentials)
        assert server.count(graph) == 200  # nothing was sent
        assert publish(server.graph_store, graph, small, force=True, **credentials).triples == 40
        assert server.count(graph) == 40
