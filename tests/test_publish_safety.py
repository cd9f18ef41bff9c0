"""`govgraph publish` never destroys a live graph by accident (an empty file, a wrong file, an interrupted
export), and `--dry-run` shows what a publish would change, in domain terms, without changing anything.
Against a real Oxigraph server on 127.0.0.1, and tiny local HTTP servers for answers Oxigraph never gives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from govgraph.cli import main
from govgraph.errors import InputErrors
from govgraph.publish import PublishError, publish

from .conftest import QuietHandler, count_triples, http_stub, oxigraph_server

pytestmark = pytest.mark.slow

GRAPH = "https://w3id.org/govgraph/graph/dataset"
ID = "https://w3id.org/govgraph/id/"


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("GOVGRAPH_ENDPOINT_PASSWORD", raising=False)
    (tmp_path / "empty.netrc").write_text("")
    monkeypatch.setenv("NETRC", str(tmp_path / "empty.netrc"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("safety") / "db") as base:
        yield base


def count(base: str, graph: str) -> int:
    return count_triples(f"{base}/query", graph)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def published(server: str, built_graph: Graph) -> str:
    """The built dataset in GRAPH on the server (forced: whatever an earlier test left there is replaced)."""
    publish(f"{server}/store", GRAPH, built_graph, force=True)
    assert count(server, GRAPH) == len(built_graph)
    return f"{server}/store"


def test_an_empty_file_is_refused_and_the_live_graph_is_kept(
    server: str, published: str, built_graph: Graph, tmp_path: Path
) -> None:
    """Regression: `publish empty.ttl` printed `published 0 triples` and emptied a live graph of 16,385."""
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <https://example.org/> .\n")  # prefixes, no triples: what a failed export leaves
    code, out, err = invoke("publish", "--endpoint", published, "--graph", GRAPH, str(empty))
    assert code == 2 and out == ""
    assert f"{empty}: holds no triples" in err and "--allow-empty" in err and "Traceback" not in err
    with pytest.raises(InputErrors, match="holds no triples"):
        publish(published, GRAPH, empty)
    with pytest.raises(PublishError, match="holds no triples"):
        publish(published, GRAPH, Graph())
    assert count(server, GRAPH) == len(built_graph)

    # --allow-empty says an empty file is meant, but emptying the graph still removes more than half of it.
    code, _out, err = invoke("publish", "--endpoint", published, "--graph", GRAPH, "--allow-empty", str(empty))
    assert code == 2 and "more than half" in err and "--force" in err
    assert count(server, GRAPH) == len(built_graph)
    code, _out, err = invoke(
        "publish", "--endpoint", published, "--graph", GRAPH, "--allow-empty", "--force", str(empty)
    )
    assert code == 0, err
    assert count(server, GRAPH) == 0


def test_removing_more_than_half_stops_and_says_so(
    server: str, published: str, built_graph: Graph, tmp_path: Path
) -> None:
    part = Graph()
    for i, triple in enumerate(sorted(built_graph)):
        if i % 3 == 0:  # a third of the triples: two thirds would go
            part.add(triple)
    path = tmp_path / "part.nt"
    part.serialize(path, format="nt", encoding="utf-8")
    code, out, err = invoke("publish", "--endpoint", published, "--graph", GRAPH, str(path))
    assert code == 2 and out == ""
    removed = len(built_graph) - len(part)
    assert f"holds {len(built_graph)} triples and this would remove {removed} of them (more than half)" in err
    assert count(server, GRAPH) == len(built_graph)
    code, _out, err = invoke("publish", "--endpoint", published, "--graph", GRAPH, str(path), "--force")
    assert code == 0, err
    assert count(server, GRAPH) == len(part)


def test_a_small_change_publishes_and_says_what_changed(
    server: str, published: str, built_graph: Graph, tmp_path: Path
) -> None:
    changed = changed_copy(built_graph)
    path = tmp_path / "changed.ttl"
    changed.serialize(path, format="turtle")
    code, _out, err = invoke("publish", "--endpoint", published, "--graph", GRAPH, str(path))
    assert code == 0, err
    assert f"it held {len(built_graph)} and now holds {len(changed)}" in err
    assert count(server, GRAPH) == len(changed)


def changed_copy(graph: Graph) -> Graph:
    """The dataset without commitment DK0040 and with DK0041's English title changed."""
    g = Graph()
    g += graph
    g.remove((URIRef(ID + "commitment/DK0040"), None, None))
    g.set((URIRef(ID + "commitment/DK0041"), DCTERMS.title, Literal("Free municipalities", lang="en")))
    return g


def test_dry_run_shows_the_changes_in_domain_terms_and_sends_nothing(
    server: str, published: str, built_graph: Graph, tmp_path: Path
) -> None:
    changed = changed_copy(built_graph)
    path = tmp_path / "changed.nt"
    changed.serialize(path, format="nt", encoding="utf-8")
    code, out, err = invoke("publish", "--endpoint", published, "--graph", GRAPH, "--dry-run", str(path))
    assert code == 0, err
    assert "Commitments removed (1)" in out and "DK0040" in out
    assert "Free municipalities" in out
    assert err.startswith(f"dry run: <{GRAPH}> at {published} holds {len(built_graph)} triples and would hold")
    assert f"would hold {len(changed)} " in err and "nothing was sent" in err
    assert count(server, GRAPH) == len(built_graph)  # unchanged

    # A dry run of what would empty the graph is allowed (it changes nothing) and says so.
    empty = tmp_path / "empty.nt"
    empty.write_text("")
    result = publish(published, GRAPH, empty, dry_run=True, allow_empty=True)
    assert result.dry_run and result.status == 0 and result.after == 0
    assert result.changes.triples_removed == len(built_graph)
    assert count(server, GRAPH) == len(built_graph)


def test_a_new_graph_publishes_without_force(server: str, tmp_path: Path) -> None:
    path = tmp_path / "small.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\nex:a ex:p "one" .\n')
    result = publish(f"{server}/store", "https://example.org/graph/new", path)
    assert result.before == 0 and result.after == 1 and result.changes.triples_added == 1


@contextlib.contextmanager
def answering(status: int, content_type: str, body: bytes, location: str | None = None) -> Iterator[str]:
    """A server answering every GET with this, and recording whether a PUT came."""
    puts: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self) -> None:
            puts.append(self.path)
            self.send_response(204)
            self.end_headers()

    with http_stub(Handler, "/store") as url:
        yield url
    assert puts == [], "nothing may be sent when the live graph cannot be read"


@pytest.mark.parametrize(
    ("status", "content_type", "body", "location", "expected"),
    [
        (200, "text/html", b"<html><title>Proxy login</title></html>", None, r"text/html: '<html><title>Proxy login"),
        (200, "text/plain", b"this is not { n-triples", None, r"not N-Triples \(line 1"),
        (405, "text/plain", b"GET not allowed here", None, r"HTTP 405.*GET not allowed here.*--force"),
        (301, "text/plain", b"", "http://127.0.0.1:9/elsewhere", r"redirects to http://127.0.0.1:9/elsewhere"),
    ],
)
def test_a_live_graph_that_cannot_be_read_stops_the_publish(
    status: int, content_type: str, body: bytes, location: str | None, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "small.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\nex:a ex:p "one" .\n')
    with answering(status, content_type, body, location) as url:
        with pytest.raises(PublishError, match=expected):
            publish(url, GRAPH, path)
        code, _out, err = invoke("publish", "--endpoint", url, "--graph", GRAPH, str(path))
        assert code == 2 and err.startswith("error: ") and "Traceback" not in err
