"""Shared fixtures. The seed documents and the OGP sample live in ../shared beside the repository (as in CI);
GOVGRAPH_SHARED points elsewhere."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Every test fails if govgraph opens a network connection to anything but this machine.
pytest_plugins = ["tests.network_guard"]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files instead of comparing")


@pytest.fixture(scope="session")
def shared() -> Path:
    path = Path(os.environ.get("GOVGRAPH_SHARED", ROOT.parent / "shared"))
    if not (path / "seeds").is_dir():
        raise RuntimeError(f"the shared seeds are missing: expected {path}/seeds (set GOVGRAPH_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_001(shared: Path) -> Path:
    return shared / "seeds" / "001_a062309b7c697bab.txt"


@pytest.fixture(scope="session")
def ogp_sample(shared: Path) -> Path:
    return shared / "ogp" / "ogp-commitments-export-sample.csv"


@pytest.fixture(scope="session")
def built_graph():
    from govgraph.build import build

    return build()


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    """The `oxigraph` server that comes with the test extra (PyPI package oxigraph)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the oxigraph server is missing: it comes with the test extra (pip install -e '.[test]')")
    return found


@contextlib.contextmanager
def oxigraph_server(location: Path, *extra: str) -> Iterator[str]:
    """`oxigraph serve` on a free port of 127.0.0.1 over the store at ``location`` (created if missing): yields
    its base URL once it answers a query, and stops it whatever happens. ``extra``: more `serve` options."""
    port = free_port()
    log_path = location.parent / f"{location.name}-server.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:  # a file, not a pipe: a pipe nobody reads could fill up and block the server
        server = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *extra],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            ask = urllib.parse.urlencode({"query": "ASK {}"})
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/query?{ask}", timeout=2):
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {log_path.read_text(errors='replace')}")
                time.sleep(0.1)
            yield base
        finally:
            stop(server)


def count_triples(query_url: str, graph: str) -> int:
    """Triples in one named graph of a SPARQL endpoint (``query_url``: its query URL), counted by the server."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        f"{query_url}?{urllib.parse.urlencode({'query': text})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler for test servers that does not log every request to the test output."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def http_stub(handler: type[http.server.BaseHTTPRequestHandler] | Callable, path: str = "/") -> Iterator[str]:
    """An HTTP server in a thread on a free port of 127.0.0.1, answering with ``handler`` (a request handler
    class or factory): yields its URL ending in ``path``, and shuts it down whatever happens."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def stop(process: subprocess.Popen) -> None:
    """Stop a server a test started: politely, then by force if it has not gone after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def system_packages() -> None:
    """The Debian packages tests run against (chromium, nginx, apache2, serdi, rapper, Jena), installed by
    scripts/install-system-packages.sh. `make test` runs it before pytest; here it makes a bare `pytest` work
    too (it takes a second when all is there). A failed install fails the tests that need them, never skips."""
    script = ROOT / "scripts" / "install-system-packages.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"{script.relative_to(ROOT)} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False
        )


@pytest.fixture(scope="session")
def jena(system_packages: None) -> str:
    """Jena's class path (Debian's libapache-jena-java plus govgraph's fix jar)."""
    from bench.jena import java_executable, jena_classpath

    classpath = jena_classpath()
    if classpath is None or java_executable() is None:
        pytest.fail("scripts/install-system-packages.sh ran but Jena or java is still missing", pytrace=False)
    return classpath
