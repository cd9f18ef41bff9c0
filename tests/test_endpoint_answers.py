"""`govgraph query --endpoint` when the endpoint answers something other than SPARQL results: the wrong kind
of URL (a real Oxigraph's Graph Store URL instead of its query URL), HTML from a proxy, a redirect, JSON that
is not SPARQL results. Each is a clear error naming the URL and what came back, exit 2, no traceback, and with
--format json a JSON error document."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.query import QueryError, run_query

from .conftest import QuietHandler, http_stub, oxigraph_server

pytestmark = pytest.mark.slow


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_graph_store_url_of_a_real_oxigraph(tmp_path: Path) -> None:
    """Regression: the Graph Store URL ended in `AttributeError: 'list' object has no attribute 'get'`."""
    with oxigraph_server(tmp_path / "db") as base:
        url = f"{base}/store"
        code, out, err = invoke("query", "programmes", "--endpoint", url, "--retries", "0")
        assert code == 2 and out == "" and "Traceback" not in err
        assert f"the endpoint {url} did not answer with SPARQL JSON results" in err
        assert "/query, not /store" in err
        code, _out, err = invoke("query", "commitment-exists", "--endpoint", url, "--retries", "0")  # an ASK
        assert code == 2 and "did not answer with SPARQL JSON results" in err
        # and the query URL works
        code, out, err = invoke("query", "commitment-exists", "--endpoint", f"{base}/query", "--format", "csv")
        assert code == 0, err


@contextlib.contextmanager
def answering(status: int, content_type: str, body: bytes, location: str | None = None) -> Iterator[str]:
    class Handler(QuietHandler):
        def answer(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.answer()

    with http_stub(Handler, "/sparql") as url:
        yield url


@pytest.mark.parametrize(
    ("status", "content_type", "body", "location", "expected"),
    [
        (200, "text/html", b"<html><body>Please log in</body></html>", None, "text/html: '<html><body>Please log in"),
        (200, "application/json", b'[{"@id": "x"}]', None, "application/json: '[{\"@id\": \"x\"}]'"),
        (200, "application/sparql-results+json", b'{"head": {}, "results": 3}', None, "not answer with SPARQL JSON"),
        (200, "application/sparql-results+json", b"", None, "empty"),
        (302, "text/html", b"", "https://login.example/sso", "redirects to https://login.example/sso (HTTP 302"),
    ],
)  # fmt: skip
def test_unexpected_answers_are_clear_errors(
    status: int, content_type: str, body: bytes, location: str | None, expected: str
) -> None:
    with answering(status, content_type, body, location) as url:
        with pytest.raises(QueryError) as info:
            run_query("programmes", endpoint=url, retries=0)
        assert url in str(info.value) and expected in str(info.value)
        code, out, err = invoke("query", "programmes", "--endpoint", url, "--retries", "0")
        assert code == 2 and out == "" and "Traceback" not in err and expected in err
        code, out, err = invoke("query", "programmes", "--endpoint", url, "--retries", "0", "--format", "json")
        assert code == 2
        document = json.loads(out)
        assert document["error"] is True and expected in document["errors"][0]["message"]


def test_a_graph_answer_of_the_wrong_type_names_it() -> None:
    resource = {"resource": "https://w3id.org/govgraph/id/commitment/DK0040"}
    expected = r"answered a graph query with text/html: '<html>no</html>'"
    with answering(200, "text/html", b"<html>no</html>") as url, pytest.raises(QueryError, match=expected):
        run_query("describe-resource", resource, endpoint=url, retries=0)
