"""`govgraph publish` against a real, empty Oxigraph server on 127.0.0.1, and against tiny local HTTP servers
for what Oxigraph will not do on demand (demand a password, fail with 500, answer 200/413/404). Nothing here
reaches beyond 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import io
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import govgraph.publish
from govgraph.cli import main
from govgraph.errors import InputErrors
from govgraph.publish import PublishError, publish
from govgraph.query import nt, run_query

from .conftest import QuietHandler, count_triples, free_port, http_stub, oxigraph_server

pytestmark = pytest.mark.slow

DATASET = "https://w3id.org/govgraph/graph/dataset"
OTHER = "https://example.org/graph/other"
SMALL_TTL = """@prefix ex: <https://example.org/> .
ex:a ex:p "one" .
ex:b ex:p "two" .
ex:c ex:p "three" .
"""
USER, PASSWORD = "alice", "s3cret-Pa55/word"


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tests decide the credentials: none from the environment or the user's own ~/.netrc."""
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_PASSWORD", raising=False)
    empty = tmp_path / "empty.netrc"
    empty.write_text("")
    monkeypatch.setenv("NETRC", str(empty))


# ------------------------------------------------------------------------------------ a real Oxigraph server


@dataclass
class Oxigraph:
    base: str  # http://127.0.0.1:PORT

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    def count(self, graph: str) -> int:
        """Triples in one named graph, counted by the server."""
        return count_triples(self.query, graph)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """An EMPTY Oxigraph server (the default graph is the union of all graphs, so the bundled queries see the
    published named graph); stopped at the end whatever happens."""
    root = tmp_path_factory.mktemp("publish-oxigraph")
    with oxigraph_server(root / "db", "--union-default-graph") as base:
        yield Oxigraph(base)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_publish_replaces_the_graph_and_is_idempotent(oxigraph: Oxigraph, built_graph, tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    publish(oxigraph.store, OTHER, small)
    assert oxigraph.count(OTHER) == 3

    first = publish(oxigraph.store, DATASET)  # the built dataset
    assert first.triples == len(built_graph) > 10_000
    assert first.status in (200, 201, 204) and first.seconds > 0
    assert first.endpoint == oxigraph.store and first.graph == DATASET
    assert oxigraph.count(DATASET) == len(built_graph)

    second = publish(oxigraph.store, DATASET, built_graph)  # again: replaced, not added
    assert second.status in (200, 204)
    assert oxigraph.count(DATASET) == len(built_graph)

    assert second.before == second.after == len(built_graph) and not second.changes.has_changes

    # Replacing 16k triples with 3 removes more than half of the live graph: refused, unless forced.
    with pytest.raises(PublishError, match=rf"holds {len(built_graph)} triples and this would remove"):
        publish(oxigraph.store, DATASET, small)
    assert oxigraph.count(DATASET) == len(built_graph)  # nothing was sent
    smaller = publish(oxigraph.store, DATASET, small, force=True)
    assert smaller.triples == 3
    assert oxigraph.count(DATASET) == 3  # the small file replaced the big graph; nothing merged
    assert oxigraph.count(OTHER) == 3  # other graphs untouched


def test_cli_publish_then_a_bundled_query_answers_from_it(oxigraph: Oxigraph, built_graph) -> None:
    # The graph holds the 3 triples of the test before, all of which go: --force says that is meant.
    code, out, err = invoke("publish", "--endpoint", oxigraph.store, "--graph", DATASET, "--force")
    assert code == 0, err
    assert err.strip() == f"published {len(built_graph)} triples to <{DATASET}> at {oxigraph.store}"
    assert out == ""
    assert oxigraph.count(DATASET) == len(built_graph)

    code, out, err = invoke("query", "starred-commitments", "--endpoint", oxigraph.query, "--format", "csv")
    assert code == 0, err
    local = run_query("starred-commitments", graph=built_graph)
    assert local.rows  # the check below means something
    assert out.splitlines() == local.to_csv().splitlines()
    remote = run_query("starred-commitments", endpoint=oxigraph.query)
    assert [tuple(nt(t) for t in row) for row in remote.rows] == [tuple(nt(t) for t in row) for row in local.rows]


def test_files_of_every_format(oxigraph: Oxigraph, tmp_path: Path) -> None:
    graph = Graph().parse(data=SMALL_TTL, format="turtle")
    iri = "https://example.org/graph/formats"
    force = {"force": True}  # each file replaces the triples of the one before: meant, so forced
    for name, fmt in [("g.nt", "nt"), ("g.jsonld", "json-ld")]:
        path = tmp_path / name
        graph.serialize(path, format=fmt)
        assert publish(oxigraph.store, iri, path, **force).triples == 3
        assert oxigraph.count(iri) == 3
    # Quad files: one graph (named, as `govgraph build -o x.trig` writes, or the default graph) is published.
    trig = tmp_path / "one.trig"
    trig.write_text("@prefix ex: <https://example.org/> .\nex:g1 { ex:a ex:p 1 . ex:b ex:p 2 . }\n")
    assert publish(oxigraph.store, iri, trig, **force).triples == 2
    assert oxigraph.count(iri) == 2
    jsonld = tmp_path / "named.jsonld"  # JSON-LD can hold a named graph too: its triples are not lost
    jsonld.write_text(
        '{"@context": {"ex": "https://example.org/"}, "@id": "ex:g1", '
        '"@graph": [{"@id": "ex:a", "ex:p": "one"}, {"@id": "ex:b", "ex:p": "two"}]}'
    )
    assert publish(oxigraph.store, iri, jsonld, **force).triples == 2
    assert oxigraph.count(iri) == 2
    nq = tmp_path / "default.nq"
    nq.write_text('<https://example.org/a> <https://example.org/p> "x" .\n')
    assert publish(oxigraph.store, iri, nq, **force).triples == 1
    assert oxigraph.count(iri) == 1


def test_a_file_is_sent_as_written(tmp_path: Path) -> None:
    """Regression: a pyoxigraph store keeps numbers and dates by value, so going through one would have sent
    "9.0"^^xsd:decimal as "9" and "007"^^xsd:integer as "7"; publish sends the file's own terms."""
    path = tmp_path / "forms.ttl"
    path.write_text(
        "@prefix ex: <https://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:a ex:p "9.0"^^xsd:decimal, "007"^^xsd:integer, "2020-01-01"^^xsd:date, "x"@da .\n'
        'ex:a ex:p "9.0"^^xsd:decimal .\n'  # the same triple again: streamed, so sent again (the store keeps one)
    )
    body = io.BytesIO()
    assert govgraph.publish.write_ntriples(path, body) == 5
    sent = body.getvalue().decode("utf-8")
    assert '"9.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in sent
    assert '"007"^^<http://www.w3.org/2001/XMLSchema#integer>' in sent
    assert len(sent.splitlines()) == 5
    assert isomorphic(Graph().parse(data=sent, format="nt"), Graph().parse(path))


def test_a_quad_file_with_several_graphs_is_refused(oxigraph: Oxigraph, tmp_path: Path) -> None:
    iri = "https://example.org/graph/quads"
    trig = tmp_path / "two.trig"
    trig.write_text(
        "@prefix ex: <https://example.org/> .\nex:g1 { ex:a ex:p 1 . }\nex:g2 { ex:b ex:p 2 . }\nex:c ex:p 3 .\n"
    )
    code, _out, err = invoke("publish", "--endpoint", oxigraph.store, "--graph", iri, str(trig))
    assert code == 2
    assert "two.trig" in err
    assert "several graphs (<https://example.org/g1> and <https://example.org/g2>, at least)" in err
    assert oxigraph.count(iri) == 0  # nothing sent
    jsonld = tmp_path / "two.jsonld"
    jsonld.write_text(
        '{"@context": {"ex": "https://example.org/"}, "@graph": ['
        '{"@id": "ex:g1", "@graph": [{"@id": "ex:a", "ex:p": "one"}]}, {"@id": "ex:b", "ex:p": "two"}]}'
    )
    with pytest.raises(InputErrors, match="several graphs"):
        publish(oxigraph.store, iri, jsonld)
    assert oxigraph.count(iri) == 0


def test_reader_sees_the_old_graph_or_the_new_one_never_a_part(
    oxigraph: Oxigraph, built_graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a big graph is PUT, a reader counting in a loop sees the old count or the new one, never a partial
    or empty graph (this holds because publish sends one PUT and Oxigraph applies it in one transaction)."""
    iri = "https://example.org/graph/atomic"
    # A small spool limit sends the body from a temporary file, as for a graph of many megabytes.
    monkeypatch.setattr(govgraph.publish, "SPOOL_BYTES", 64 * 1024)
    publish(oxigraph.store, iri, built_graph)
    old = len(built_graph)
    big = Graph()
    for i in range(60_000):
        big.add((URIRef(f"https://example.org/big/{i}"), URIRef("https://example.org/p"), Literal(i)))
    new = len(big)

    observed: list[tuple[float, int]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            started = time.monotonic()
            observed.append((started, oxigraph.count(iri)))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = publish(oxigraph.store, iri, big, force=True)  # all 16k old triples go: meant
        finished = time.monotonic()
        time.sleep(0.3)  # let the reader see the new graph too
    finally:
        stop.set()
        thread.join()
    counts = {n for _t, n in observed}
    assert counts <= {old, new}, f"a reader saw a partial graph: {sorted(counts)}"
    assert new in counts
    during = [n for t, n in observed if finished - result.seconds <= t <= finished]
    assert len(during) >= 5, "the reader must have read while the PUT was under way for the test to mean anything"
    assert oxigraph.count(iri) == new


# ------------------------------------------------------------------------------- input errors: nothing sent


@dataclass
class Recorder:
    """A tiny graph store that demands Basic auth and records every request it gets."""

    status: int = 204
    body: bytes = b""
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)

    def expected_header(self) -> str:
        return "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


@contextlib.contextmanager
def recording_store(recorder: Recorder) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # the live graph, read before a PUT: this store holds none (404)
            authorization = self.headers.get("Authorization", "")
            recorder.requests.append({"method": self.command, "path": self.path, "authorization": authorization})
            status = 404 if authorization == recorder.expected_header() else 401
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def do_PUT(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            data = self.rfile.read(length)
            authorization = self.headers.get("Authorization", "")
            recorder.requests.append(
                {"method": self.command, "path": self.path, "authorization": authorization, "body": data}
            )
            time.sleep(recorder.delay)
            if authorization != recorder.expected_header():
                status, body = 401, f"bad credentials: {authorization} {PASSWORD}".encode()  # a careless server
            else:
                status, body = recorder.status, recorder.body
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(body)

    with http_stub(Handler, "/store") as url:
        yield url


def test_a_bad_file_is_reported_with_its_position_and_nothing_is_sent(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\nex:a ex:p "ok" .\nex:b ex:p .\n')
    recorder = Recorder()
    with recording_store(recorder) as url:
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, "--user", USER, str(bad))
        assert code == 2
        assert f"{bad}:3:" in err and "not valid Turtle" in err
        with pytest.raises(InputErrors) as info:
            publish(url, DATASET, bad)
        assert info.value.errors[0].line == 3 and info.value.errors[0].column is not None
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(tmp_path / "missing.ttl"))
        assert code == 2 and "no such file" in err
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(tmp_path / "x.csv"))
        assert code == 2 and "unknown RDF format" in err
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", "not an iri", str(bad))
        assert code == 2 and "the graph name: 'not an iri' is not an absolute IRI" in err
        # The hostile-input guards hold for publish too: no XML DTD, no remote JSON-LD context.
        dtd = tmp_path / "laughs.rdf"
        dtd.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<r/>\n')
        remote = tmp_path / "remote.jsonld"
        remote.write_text('{"@context": "http://schema.org/", "@id": "http://a.example/x", "name": "y"}')
        for path, expected in ((dtd, "DTD"), (remote, "not fetched")):
            code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(path))
            assert code == 2 and path.name in err and expected in err, err
    assert recorder.requests == []


@pytest.mark.parametrize("endpoint", ["ftp://127.0.0.1/store", "file:///tmp/store", "127.0.0.1:7878/store"])
def test_non_http_endpoints_are_refused(endpoint: str) -> None:
    code, _out, err = invoke("publish", "--endpoint", endpoint, "--graph", DATASET)
    assert code == 2 and "http:// or https://" in err


# ------------------------------------------------------------------------------------ what is sent, and auth


def test_one_put_of_n_triples_with_the_graph_in_the_query_string(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    recorder = Recorder()
    with recording_store(recorder) as url:
        result = publish(url + "?x=1", "https://example.org/g?a=b&c", small, username=USER, password=PASSWORD)
    assert result.status == 204 and result.endpoint == url + "?x=1"
    look, request = recorder.requests  # the live graph is read first (a GET of the same URL), then replaced
    assert look["method"] == "GET" and look["path"] == "/store?x=1&graph=https%3A%2F%2Fexample.org%2Fg%3Fa%3Db%26c"
    assert result.before == 0 and result.after == 3
    assert request["method"] == "PUT"
    assert request["path"] == "/store?x=1&graph=https%3A%2F%2Fexample.org%2Fg%3Fa%3Db%26c"
    sent = Graph().parse(data=request["body"], format="nt")
    assert len(sent) == 3 and set(sent) == set(Graph().parse(data=SMALL_TTL, format="turtle"))


@pytest.mark.parametrize("status", [200, 201, 204])
def test_every_success_status_is_success(status: int, tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    with recording_store(Recorder(status=status, body=b"ok" if status == 200 else b"")) as url:
        assert publish(url, DATASET, small, username=USER, password=PASSWORD).status == status


def test_credentials_from_options_environment_url_and_netrc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    recorder = Recorder()
    with recording_store(recorder) as url:
        host = urllib.parse.urlsplit(url).hostname
        netloc = urllib.parse.urlsplit(url).netloc
        # options
        code, _out, err = invoke(
            "publish", "--endpoint", url, "--graph", DATASET, "--user", USER, "--password", PASSWORD, str(small)
        )
        assert code == 0, err
        # user:password@ in the URL (percent-encoded there)
        quoted = urllib.parse.quote(PASSWORD, safe="")
        code, _out, err = invoke(
            "publish", "--endpoint", url.replace(netloc, f"{USER}:{quoted}@{netloc}"), "--graph", DATASET, str(small)
        )
        assert code == 0, err
        assert f"at {url}" in err and quoted not in err
        # the environment
        monkeypatch.setenv("GOVGRAPH_ENDPOINT_USER", USER)
        monkeypatch.setenv("GOVGRAPH_ENDPOINT_PASSWORD", PASSWORD)
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(small))
        assert code == 0, err
        monkeypatch.delenv("GOVGRAPH_ENDPOINT_USER")
        monkeypatch.delenv("GOVGRAPH_ENDPOINT_PASSWORD")
        # a netrc file ($NETRC), matched by the host name
        netrc = tmp_path / "netrc"
        netrc.write_text(
            f"machine other.example login bob password wrong\nmachine {host} login {USER} password {PASSWORD}\n"
        )
        monkeypatch.setenv("NETRC", str(netrc))
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(small))
        assert code == 0, err
        # ~/.netrc when $NETRC is not set
        monkeypatch.delenv("NETRC")
        monkeypatch.setenv("HOME", str(tmp_path))
        (tmp_path / ".netrc").write_text(f"machine {host}\n  login {USER}\n  password {PASSWORD}\n")
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(small))
        assert code == 0, err
    assert [r["authorization"] for r in recorder.requests] == [recorder.expected_header()] * 10  # GET + PUT
    assert all(PASSWORD not in r["path"] and quoted not in r["path"] for r in recorder.requests)


def assert_secret_free(*texts: str) -> None:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    for text in texts:
        assert PASSWORD not in text
        assert urllib.parse.quote(PASSWORD, safe="") not in text
        assert token not in text
        assert base64.b64encode(f"{USER}:wrong-{PASSWORD}".encode()).decode() not in text


def test_authentication_failure_names_no_password(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    with recording_store(Recorder()) as url:
        code, out, err = invoke(
            "publish", "--endpoint", url, "--graph", DATASET, "--user", USER, "--password", f"wrong-{PASSWORD}",
            str(small),
        )  # fmt: skip
        assert code == 2
        assert "authentication failed" in err and "HTTP 401" in err and "credentials from options" in err
        assert_secret_free(out, err)
        with pytest.raises(PublishError) as info:
            publish(url, DATASET, small, username=USER, password=f"wrong-{PASSWORD}")
        assert_secret_free(str(info.value), repr(info.value))
        assert info.value.__cause__ is None and info.value.__suppress_context__
        code, out, err = invoke("publish", "--endpoint", url, "--graph", DATASET, str(small))
        assert code == 2 and "no credentials were given" in err


def test_server_error_shows_its_message_with_the_password_hidden(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    echo = f"disk full while storing; request was Authorization: Basic {token} pw={PASSWORD}".encode()
    with recording_store(Recorder(status=500, body=echo)) as url:
        code, out, err = invoke(
            "publish", "--endpoint", url, "--graph", DATASET, "--user", USER, "--password", PASSWORD, str(small)
        )
    assert code == 2
    assert "HTTP 500" in err and "disk full while storing" in err and "***" in err
    assert_secret_free(out, err)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, b"PUT /x is not supported", r"no Graph Store endpoint at .*HTTP 404.*PUT /x is not supported.*/store"),
        (413, b"body too big", r"refused \d+ bytes as too large \(HTTP 413.*body too big"),
        (503, b"read only for maintenance", r"failed \(HTTP 503.*read only for maintenance"),
        (400, b"invalid N-Triples", r"refused the graph \(HTTP 400.*invalid N-Triples"),
    ],
)
def test_http_errors_are_explained(status: int, body: bytes, expected: str, tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    with recording_store(Recorder(status=status, body=body)) as url:
        with pytest.raises(PublishError, match=expected):
            publish(url, DATASET, small, username=USER, password=PASSWORD)
        code, _out, err = invoke(
            "publish", "--endpoint", url, "--graph", DATASET, "--user", USER, "--password", PASSWORD, str(small)
        )
    assert code == 2 and err.startswith("error: ")


def test_connection_refused_with_credentials_in_the_url(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    port = free_port()  # nothing listens there
    quoted = urllib.parse.quote(PASSWORD, safe="")
    code, out, err = invoke(
        "publish", "--endpoint", f"http://{USER}:{quoted}@127.0.0.1:{port}/store", "--graph", DATASET, str(small)
    )
    assert code == 2
    assert f"cannot connect to http://127.0.0.1:{port}/store: connection refused" in err
    assert_secret_free(out, err)
    assert f"{USER}:" not in err


def test_timeout(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text(SMALL_TTL)
    with recording_store(Recorder(delay=3)) as url:
        started = time.monotonic()
        code, _out, err = invoke(
            "publish", "--endpoint", url, "--graph", DATASET, "--user", USER, "--password", PASSWORD,
            "--timeout", "0.3", str(small),
        )  # fmt: skip
        assert time.monotonic() - started < 2.5
    assert code == 2 and "did not answer within 0.3 s" in err
