"""Queries against a real SPARQL endpoint: an Oxigraph server started on 127.0.0.1 for the session, plus tiny
local HTTP servers for the failures a real server will not produce on demand (slow, 5xx, basic auth).
Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest

from govgraph.query import QueryError, get_query, list_queries, nt, remote, run_query, store_from_graph

from .conftest import QuietHandler, free_port, http_stub, oxigraph_binary, oxigraph_server

pytestmark = pytest.mark.slow
QUERIES = [q.name for q in list_queries()]


@pytest.fixture(scope="session")
def endpoint(built_graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server holding the built dataset; stopped at the end whatever happens."""
    from govgraph.export import write

    binary = oxigraph_binary()
    root = tmp_path_factory.mktemp("oxigraph")
    data = write(built_graph, root / "govgraph.nt")
    location = root / "db"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(data)], check=True, capture_output=True)
    with oxigraph_server(location) as base:
        yield f"{base}/query"


@pytest.fixture(scope="session")
def store(built_graph):
    return store_from_graph(built_graph)


def rows_of(result) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else nt(t) for t in row) for row in result.rows]


@pytest.mark.parametrize("name", QUERIES)
def test_remote_answers_as_local(name: str, endpoint: str, store) -> None:
    local = run_query(name, graph=store)
    remote = run_query(name, endpoint=endpoint)
    assert remote.variables == local.variables
    assert remote.boolean == local.boolean
    info = get_query(name)
    if info.form == "SELECT" and info.order == "list":
        assert rows_of(remote) == rows_of(local)
    else:
        assert sorted(rows_of(remote)) == sorted(rows_of(local))


def test_remote_parameters(endpoint: str, store) -> None:
    for name, params in [
        ("targets-by-year-and-indicator", {"year": "2020"}),
        ("institution-roles", {"institution": "ggid:institution/kl"}),
        ("commitment-assessments", {"id": "DK0018"}),
        ("describe-resource", {"resource": "ggid:track/bedre-ledelse"}),
    ]:
        remote = run_query(name, params, endpoint=endpoint)
        assert remote.rows and sorted(rows_of(remote)) == sorted(rows_of(run_query(name, params, graph=store)))


def test_remote_injection_changes_nothing(endpoint: str) -> None:
    size = run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=endpoint).rows[0][0]
    for value in ['x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o', "a\\u0022 } DROP ALL #", "x' }\n} DROP ALL"]:
        assert run_query("search-labels", {"text": value}, endpoint=endpoint).rows == []
        assert run_query("commitment-exists", {"id": value}, endpoint=endpoint).boolean is False
    assert run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=endpoint).rows[0][0] == size


def test_malformed_query_gives_the_servers_message(endpoint: str) -> None:
    with pytest.raises(QueryError) as info:
        run_query("SELECT ?x WHERE { ?x ?y }", endpoint=endpoint)
    message = str(info.value)
    assert "HTTP 400" in message and endpoint in message
    assert "error" in message.lower() and len(message) > len(f"the endpoint {endpoint} answered HTTP 400")


def test_endpoint_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "RETRY_BACKOFF", 0.01)
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    with pytest.raises(QueryError, match=r"cannot reach the endpoint .* after 3 attempts"):
        run_query("reform-tracks", endpoint=url, retries=2, timeout=2)


# ------------------------------------------------------------------------------ tiny servers for failures

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


@contextlib.contextmanager
def tiny_server(respond: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            respond(self)

        do_POST = do_GET

    with http_stub(Handler, "/sparql") as url:
        yield url


def reply(handler: http.server.BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_timeout_is_reported_and_not_retried() -> None:
    def slow(handler) -> None:
        time.sleep(3)
        with contextlib.suppress(OSError):
            reply(handler, 200, ASK_TRUE, "application/sparql-results+json")

    with tiny_server(slow) as url:
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"did not answer within 0\.3 s"):
            run_query("commitment-exists", endpoint=url, timeout=0.3)
        assert time.monotonic() - started < 2


def test_server_errors_are_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "RETRY_BACKOFF", 0.01)
    seen: list[str] = []

    def flaky(handler) -> None:
        seen.append(handler.path)
        if len(seen) < 3:
            reply(handler, 503, b"busy, try again", "text/plain")
        else:
            reply(handler, 200, ASK_TRUE, "application/sparql-results+json")

    with tiny_server(flaky) as url:
        assert run_query("commitment-exists", endpoint=url, retries=3).boolean is True
    assert len(seen) == 3
    seen.clear()
    with (
        tiny_server(lambda h: (seen.append(h.path), reply(h, 502, b"bad gateway", "text/plain"))) as url,
        pytest.raises(QueryError, match=r"HTTP 502 .* after 2 attempts: bad gateway"),
    ):
        run_query("commitment-exists", endpoint=url, retries=1)
    assert len(seen) == 2


def test_basic_auth_and_the_password_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    password = "s3cret-Pa55word"
    received: list[str] = []

    def guarded(handler) -> None:
        header = handler.headers.get("Authorization", "")
        received.append(header)
        if header == "Basic " + base64.b64encode(f"alice:{password}".encode()).decode():
            reply(handler, 200, ASK_TRUE, "application/sparql-results+json")
        else:  # a careless server that echoes what it got, password included
            reply(handler, 401, f"bad credentials {header} {password}".encode(), "text/plain")

    with tiny_server(guarded) as url:
        assert run_query("commitment-exists", endpoint=url, username="alice", password=password).boolean
        with pytest.raises(QueryError) as info:
            run_query("commitment-exists", endpoint=url, username="bob", password=password, retries=0)
        assert "HTTP 401" in str(info.value)
        assert password not in str(info.value) and password not in repr(info.value)
        token = base64.b64encode(f"bob:{password}".encode()).decode()
        assert token not in str(info.value)
        # From the environment, as in CI.
        monkeypatch.setenv("GOVGRAPH_ENDPOINT_USER", "alice")
        monkeypatch.setenv("GOVGRAPH_ENDPOINT_PASSWORD", password)
        assert run_query("commitment-exists", endpoint=url).boolean
        # A password in the URL is not echoed either.
        with pytest.raises(QueryError) as info:
            run_query("commitment-exists", endpoint=url.replace("//", f"//bob:{password}@"), retries=0)
        assert password not in str(info.value)
    assert received[0].startswith("Basic ")


def test_endpoint_must_be_http() -> None:
    with pytest.raises(QueryError, match="http"):
        run_query("commitment-exists", endpoint="file:///etc/passwd")
