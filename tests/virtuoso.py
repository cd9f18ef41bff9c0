"""A real OpenLink Virtuoso 7 server for tests (Debian's virtuoso-opensource, installed by
scripts/install-system-packages.sh): started on free ports of 127.0.0.1 over a database of its own in a
temporary folder, with a virtuoso.ini written here, and stopped whatever happens.

    with virtuoso_server(tmp_path) as server:
        publish(server.graph_store, graph, username=server.user, password=server.password)
        run_query("programmes", endpoint=server.sparql, default_graphs=[graph])

The server is set up as docs/virtuoso.md tells a user to set up theirs: a user of its own with the
SPARQL_UPDATE role, who writes through the Digest-protected Graph Store endpoint /sparql-graph-crud-auth;
anonymous clients read through /sparql. A fresh database starts in about 3 seconds.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO = "/usr/bin/virtuoso-t"
ISQL = "/usr/bin/isql-vt"
# What Debian's package sets for a new database; the server listens on 127.0.0.1 only and lives for one test run.
DBA_PASSWORD = "dba"
# [SPARQL] ResultSetMaxRows: Virtuoso cuts every answer there, a GET of a graph included. Above the dataset's
# size (17.7k triples), as docs/virtuoso.md asks of a user; a test lowers it to see the cut.
MAX_ROWS = 100_000
START_SECONDS = 60

INI = """\
; Written by tests/virtuoso.py for one test run: everything lives in {root}.
[Database]
DatabaseFile       = {root}/virtuoso.db
ErrorLogFile       = {root}/virtuoso.log
LockFile           = {root}/virtuoso.lck
TransactionFile    = {root}/virtuoso.trx
xa_persistent_file = {root}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {root}/virtuoso-temp.db
TransactionFile = {root}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
; No periodic checkpoints: the database is thrown away after the run.
CheckpointInterval = 0
CaseMode           = 2
DirsAllowed        = {root}
; 80 MB of buffers: plenty for the 16k-triple dataset, small beside the machine's other tests.
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
ThreadsPerQuery    = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {root}/vsp
MaxClientConnections = 5
ServerThreads        = 5
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = 60
"""


class VirtuosoError(RuntimeError):
    """The server did not start, or an administration statement failed (the message has its log)."""


@dataclass
class Virtuoso:
    """A running server: its URLs, and the user that may write through the Graph Store endpoint."""

    base: str  # http://127.0.0.1:PORT
    sql_port: int
    root: Path
    user: str = "govgraph"
    password: str = field(default="", repr=False)

    @property
    def sparql(self) -> str:
        """The anonymous SPARQL endpoint (reads)."""
        return f"{self.base}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store endpoint that takes HTTP Digest authentication (writes)."""
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def anonymous_graph_store(self) -> str:
        """The Graph Store endpoint without authentication: anonymous writes are refused (HTTP 403)."""
        return f"{self.base}/sparql-graph-crud"

    def sql(self, statements: str) -> str:
        """Run SQL statements as dba through isql; VirtuosoError when one fails (isql itself exits 0)."""
        return isql(self.sql_port, DBA_PASSWORD, statements)

    def count(self, graph: str) -> int:
        """Triples in one graph, counted by the server."""
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        request = urllib.request.Request(
            f"{self.sparql}?{urllib.parse.urlencode({'query': text})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        import json

        with urllib.request.urlopen(request, timeout=30) as response:
            return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def isql(port: int, password: str, statements: str) -> str:
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{port}", "dba", password, f"EXEC={statements}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or "*** Error" in done.stderr:
        raise VirtuosoError(f"isql {statements!r} failed (exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def write_ini(root: Path, sql_port: int, http_port: int, max_rows: int = MAX_ROWS) -> Path:
    (root / "vsp").mkdir(parents=True, exist_ok=True)
    ini = root / "virtuoso.ini"
    text = INI.format(root=root, sql_port=sql_port, http_port=http_port, max_rows=max_rows)
    ini.write_text(text, encoding="utf-8")
    return ini


@contextlib.contextmanager
def virtuoso_server(root: Path, max_rows: int = MAX_ROWS) -> Iterator[Virtuoso]:
    """Virtuoso over a new database in ``root``, on free ports of 127.0.0.1, cutting answers at ``max_rows``:
    yields it once its SPARQL endpoint answers and the writing user exists, and stops it whatever happens."""
    from .conftest import free_port, stop

    if not Path(VIRTUOSO).exists() or shutil.which(ISQL) is None:
        raise VirtuosoError(f"{VIRTUOSO} or {ISQL} is missing: scripts/install-system-packages.sh installs them")
    root.mkdir(parents=True, exist_ok=True)
    sql_port = http_port = free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = write_ini(root, sql_port, http_port, max_rows)
    log_path = root / "virtuoso-server.log"
    base = f"http://127.0.0.1:{http_port}"
    with log_path.open("wb") as log:  # a file, not a pipe nobody reads
        # +foreground: the server stays this process (no daemon to find and stop later).
        server = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=root, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(server, base, log_path)
            password = secrets.token_urlsafe(12)
            virtuoso = Virtuoso(base, sql_port, root, password=password)
            # What docs/virtuoso.md asks of a user: an account with the SPARQL_UPDATE role.
            virtuoso.sql(f"DB.DBA.USER_CREATE ('{virtuoso.user}', '{password}');")
            virtuoso.sql(f'GRANT SPARQL_UPDATE TO "{virtuoso.user}";')
            yield virtuoso
        finally:
            stop(server)
            # The database (some 70 MB) is of no use once the server is gone; its logs stay for a post-mortem.
            for path in root.glob("virtuoso*.db"):
                path.unlink()


def _wait_until_up(server: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sparql?{ask}", timeout=2):
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise VirtuosoError(f"virtuoso-t did not start: {log_path.read_text(errors='replace')}")
        time.sleep(0.2)
