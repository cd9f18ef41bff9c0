"""Publishing: replace a named graph on any SPARQL 1.1 Graph Store HTTP Protocol endpoint.

    from govgraph.publish import publish
    result = publish("http://127.0.0.1:7878/store", "https://w3id.org/govgraph/graph/dataset")
    print(result.summary())

One HTTP ``PUT <endpoint>?graph=<IRI>`` (indirect graph identification) carries the whole graph as N-Triples.
By the protocol, PUT replaces the graph: publishing twice leaves one copy, and a smaller file replaces a
bigger graph rather than merging into it. Whether readers can ever see a half-replaced graph is up to the
server: Oxigraph 0.5 (tested) shows readers the old graph until the new one is complete; a server that
empties the graph first and then loads in a second transaction would show an empty graph in between.

Before anything is sent, the input is parsed: a bad file gives an InputErrors with file:line:column and no
request is made. Files go through pyoxigraph's parsers (govgraph.inputs.read_quads: a million triples in a few
seconds, where rdflib takes half a minute), and literals are sent exactly as written. Quad files (TriG,
N-Quads, JSON-LD) are accepted when all their triples are in one graph (the default graph or one named
graph); a file with several graphs, such as the release's govgraph.trig (one graph per source document), is
refused rather than silently flattened into one: publish govgraph.nt or .ttl instead.
Credentials come from :mod:`govgraph.credentials` and never appear in messages.

A publish never destroys by accident. An input with no triples is refused (``allow_empty`` says it is
meant). Before the PUT the live graph is read (a GET of the same URL) and compared with what would replace
it, in the domain terms of :mod:`govgraph.diff`: a publish that would remove more than half of the live
graph's triples stops with a PublishError unless ``force``; ``dry_run`` makes the comparison and sends
nothing. The live graph may still change between the GET and the PUT: the check guards against mistakes,
not against a second publisher.
"""

from __future__ import annotations

import dataclasses
import http.client
import re
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import IO, TYPE_CHECKING

from govgraph.credentials import (
    ENV_PASSWORD,
    ENV_USER,
    Credentials,
    CredentialsError,
    find_credentials,
    redact,
    safe_url,
)
from govgraph.errors import InputError, InputErrors

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from govgraph.diff import Diff

DEFAULT_TIMEOUT = 60.0
# Bodies up to this size are built in memory; bigger ones go to a temporary file and are streamed from it.
SPOOL_BYTES = 16 * 1024 * 1024


class PublishError(Exception):
    """Publishing failed (bad endpoint or graph IRI, the server refused, the network failed). The message says
    why and never contains a credential."""


@dataclasses.dataclass(frozen=True)
class PublishResult:
    """What one publish did, or would do (``dry_run``): the endpoint (without credentials), the graph, the
    triples sent, the HTTP status (0 when nothing was sent) and the time; and, unless the check was skipped
    with ``force``, the live graph's size before (``before``), after, and the changes between the two."""

    endpoint: str
    graph: str
    triples: int
    status: int
    seconds: float
    before: int | None = None
    after: int | None = None
    changes: Diff | None = None
    dry_run: bool = False

    def summary(self) -> str:
        """One line for the user, e.g. ``published 20312 triples to <https://...> at http://host/store``."""
        change = ""
        if self.changes is not None:
            change = f" (+{self.changes.triples_added} -{self.changes.triples_removed} triples)"
        if self.dry_run:
            return (
                f"dry run: <{self.graph}> at {self.endpoint} holds {self.before} triples and would hold "
                f"{self.after}{change}; nothing was sent"
            )
        line = f"published {self.triples} triples to <{self.graph}> at {self.endpoint}"
        if self.before is not None:
            line += f"; it held {self.before} and now holds {self.after}{change}"
        return line


def publish(
    endpoint: str,
    graph_iri: str,
    data: str | Path | Graph | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_empty: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> PublishResult:
    """Replace the named graph ``graph_iri`` on the Graph Store endpoint ``endpoint`` with ``data``.

    ``data`` is None (the built govgraph dataset), the path of an RDF file (.ttl .nt .nq .trig .jsonld) or an
    rdflib Graph. ``endpoint`` is the store's Graph Store URL (Oxigraph: ``http://host:port/store``). Basic
    auth comes from ``username``/``password``, the URL, GOVGRAPH_ENDPOINT_USER / GOVGRAPH_ENDPOINT_PASSWORD
    or a netrc file (see govgraph.credentials). Raises InputErrors when the file is not valid RDF or holds no
    triples (unless ``allow_empty``; nothing is sent) and PublishError for everything else, among it a
    publish that would remove more than half of the live graph (unless ``force``, which also skips reading
    the live graph). With ``dry_run`` the live graph is read and compared, and nothing is sent.
    """
    from govgraph.query import check_iri

    try:
        check_iri(graph_iri)
    except ValueError as exc:
        raise PublishError(f"the graph name: {exc}") from None
    url, where = graph_store_url(endpoint, graph_iri)
    try:
        credentials = find_credentials(endpoint, username, password)
    except CredentialsError as exc:
        raise PublishError(str(exc)) from None
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as body:
        triples = write_ntriples(data, body)
        if triples == 0 and not allow_empty:
            raise _nothing_to_publish(data, graph_iri)
        size = body.tell()
        before = after = changes = None
        if dry_run or not force:
            body.seek(0)
            before, after, changes = _compare_with_live(url, where, graph_iri, body, credentials, timeout, data)
            if not force and not dry_run and changes.triples_removed * 2 > before:
                raise PublishError(
                    f"refusing to publish: <{graph_iri}> at {where} holds {before} triples and this would remove "
                    f"{changes.triples_removed} of them (more than half), leaving {after}; see what would change "
                    "with --dry-run, and publish anyway with --force"
                )
        if dry_run:
            return PublishResult(where, graph_iri, triples, 0, 0.0, before, after, changes, dry_run=True)
        body.seek(0)
        started = time.monotonic()
        status = _put(url, where, body, size, credentials, timeout)
        seconds = time.monotonic() - started
    return PublishResult(where, graph_iri, triples, status, seconds, before, after, changes)


def _nothing_to_publish(data: str | Path | Graph | None, graph_iri: str) -> Exception:
    """An empty input would empty the live graph: the mistake this refuses (a wrong file, an interrupted export)."""
    why = f"publishing it would empty <{graph_iri}>; say it is meant with --allow-empty"
    if isinstance(data, (str, Path)):
        return InputErrors([InputError(str(data), None, f"holds no triples: {why}")])
    return PublishError(f"the graph to publish holds no triples: {why}")


def _compare_with_live(
    url: str,
    where: str,
    graph_iri: str,
    body: IO[bytes],
    credentials: Credentials | None,
    timeout: float,
    data: object,
) -> tuple[int, int, Diff]:
    """The live graph's triples, the new graph's, and the changes from the one to the other (govgraph.diff)."""
    from govgraph.diff import diff, side_from_ntriples

    answer, server = _get(url, where, credentials, timeout)
    try:
        live = side_from_ntriples(answer, f"<live graph at {where}>")
    except SyntaxError as exc:
        raise PublishError(
            f"the endpoint {where} answered a GET of the graph with something that is not N-Triples (line "
            f"{exc.lineno}: {exc.msg}); --force publishes without this check"
        ) from None
    if "virtuoso" in server.lower():
        _check_virtuoso_gave_it_all(url, where, graph_iri, len(live.store), credentials, timeout)
    new = side_from_ntriples(body.read(), str(data) if isinstance(data, (str, Path)) else "the new graph")
    return len(live.store), len(new.store), diff(live, new)


def publish_package(
    endpoint: str,
    graph_iri: str,
    source: str | Path | None = None,
    *,
    vocabulary_graph: str | None = None,
    username: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_empty: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> list[PublishResult]:
    """Publish a data package's dataset (``source``: the package folder, None for the bundled one) or a
    release folder's, and the vocabulary the bundled queries join on: the ontology and its SKOS schemes go
    to their own named graph ``vocabulary_graph`` (default https://w3id.org/govgraph/def), the data without
    them to ``graph_iri``. Served with a union default graph (Oxigraph: ``--union-default-graph``), every
    bundled query then returns what it returns locally. The vocabulary is sent first, so a reader never
    sees data without the labels it needs; each graph is replaced in one PUT, after the checks of
    :func:`publish` (``allow_empty``, ``force`` and ``dry_run`` apply to both)."""
    from rdflib import Graph

    from govgraph.build import add_vocabulary, build
    from govgraph.export import VOCABULARY_IRI

    vocabulary = Graph()
    add_vocabulary(vocabulary)
    folder = Path(source) if source is not None else None
    if folder is not None and (folder / "SHA256SUMS").is_file() and (folder / "govgraph.nt").is_file():
        from govgraph.inputs import read_graph

        data = read_graph([folder / "govgraph.nt"], allow_empty=allow_empty)
        data -= vocabulary  # the release carries the vocabulary too: it goes to its own graph
    else:
        data = build(data=folder, vocabulary=False)
    options = {
        "username": username,
        "password": password,
        "timeout": timeout,
        "allow_empty": allow_empty,
        "force": force,
        "dry_run": dry_run,
    }
    return [
        publish(endpoint, vocabulary_graph or VOCABULARY_IRI, vocabulary, **options),
        publish(endpoint, graph_iri, data, **options),
    ]


def graph_store_url(endpoint: str, graph_iri: str) -> tuple[str, str]:
    """The URL to PUT to (``endpoint?graph=<IRI>``, credentials removed) and the endpoint as messages show it."""
    where = safe_url(endpoint)
    parts = urllib.parse.urlsplit(where)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"the endpoint must be an http:// or https:// URL, not {where!r}")
    query = urllib.parse.urlencode({"graph": graph_iri})
    url = urllib.parse.urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))
    return url, where


def write_ntriples(data: str | Path | Graph | None, out: IO[bytes]) -> int:
    """Write what publish() sends, as N-Triples, to ``out``; the number of triples written. ``data``: None
    (the built dataset), an rdflib Graph, or an RDF file (InputErrors if it is bad or holds several graphs).

    A file is streamed, so memory stays flat at any size: a triple written twice in it is sent twice (the
    store keeps it once) and counted twice."""
    from rdflib import Graph

    if data is None or isinstance(data, Graph):
        if data is None:
            from govgraph.build import build

            data = build()
        data.serialize(destination=out, format="nt", encoding="utf-8")
        return len(data)
    import pyoxigraph as ox

    from govgraph.inputs import read_quads

    path = Path(data)
    graph_names: set = set()
    count = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal count
        for quad in read_quads(path):
            if quad.graph_name not in graph_names:
                graph_names.add(quad.graph_name)
                if len(graph_names) > 1:
                    raise _several_graphs(path, graph_names)
            count += 1
            yield quad.triple

    # An error part-way leaves a partial body, which publish() discards unsent.
    ox.serialize(triples(), out, ox.RdfFormat.N_TRIPLES)
    return count


def _several_graphs(path: Path, graph_names: set) -> InputErrors:
    """Several graphs cannot become one without losing which triple came from where: refused, not merged."""
    import pyoxigraph as ox

    shown = sorted("the default graph" if name == ox.DefaultGraph() else str(name) for name in graph_names)
    return InputErrors(
        [
            InputError(
                str(path),
                None,
                f"holds triples in several graphs ({' and '.join(shown)}, at least); publish replaces one graph, so "
                "give a file with one graph (split it, or use Turtle or N-Triples)",
            )
        ]
    )


def _check_virtuoso_gave_it_all(
    url: str, where: str, graph_iri: str, read: int, credentials: Credentials | None, timeout: float
) -> None:
    """Virtuoso cuts a Graph Store GET at its [SPARQL] ResultSetMaxRows (plus one triple) and says nothing, so
    the safety check would compare the new graph with part of the old one, and let through a publish that
    removes most of it. Its SPARQL endpoint (/sparql beside the Graph Store one, on every Virtuoso) counts
    the graph's triples; a count above what the GET gave stops the publish."""
    from govgraph.query import QueryError, run_query

    parts = urllib.parse.urlsplit(url)
    sparql = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/sparql", "", ""))
    skip = "; --force publishes without this check"
    username, password = (credentials.username, credentials.password) if credentials is not None else (None, None)
    try:
        answer = run_query(
            f"SELECT (COUNT(*) AS ?triples) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}",
            endpoint=sparql,
            timeout=timeout,
            retries=0,
            username=username,
            password=password,
        )
        counted = int(answer.rows[0][0])
    except (QueryError, LookupError, ValueError, TypeError) as exc:
        raise PublishError(
            f"{where} is Virtuoso, which cuts a GET of a graph at its ResultSetMaxRows without saying so, and "
            f"its SPARQL endpoint {sparql} could not count the live graph to check that the GET gave all of it "
            f"({exc}){skip}"
        ) from None
    if counted > read:
        raise PublishError(
            f"the live graph <{graph_iri}> holds {counted} triples, but the GET of it at {where} gave only {read}: "
            f"Virtuoso cut the answer at its [SPARQL] ResultSetMaxRows, so what the publish would remove cannot "
            f"be known; raise ResultSetMaxRows above {counted} in virtuoso.ini (docs/virtuoso.md){skip}"
        )


def _get(url: str, where: str, credentials: Credentials | None, timeout: float) -> tuple[bytes, str]:
    """The live graph as N-Triples (empty when the store has no such graph: HTTP 404) and the server's Server
    header. A store that cannot show it gives a PublishError: without it nobody can tell what the PUT would
    remove."""
    import urllib.error
    import urllib.request
    from http.client import HTTPException

    from govgraph.httpauth import AuthError, open_answering_digest
    from govgraph.query.remote import open_without_redirects, redirect_message, server_message, what_came_back

    headers = {"Accept": "application/n-triples"}
    if credentials is not None:
        headers["Authorization"] = credentials.header()
    secrets = credentials.secrets if credentials is not None else ()
    request = urllib.request.Request(url, headers=headers, method="GET")
    skip = "; --force publishes without this check"
    try:  # Virtuoso's /sparql-graph-crud-auth takes Digest only: a challenge is answered
        with open_answering_digest(request, credentials, lambda r: open_without_redirects(r, timeout)) as response:
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            server = response.headers.get("Server", "")
            data = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return b"", exc.headers.get("Server", "") if exc.headers is not None else ""
        if 300 <= exc.code < 400:
            raise PublishError(redirect_message(where, exc)) from None
        message = redact(server_message(exc), secrets)
        if exc.code in (401, 403):
            raise PublishError(_http_failure(exc.code, exc.reason, where, message, 0, credentials)) from None
        raise PublishError(
            f"cannot read the live graph at {where} to see what the publish would remove (HTTP {exc.code} "
            f"{exc.reason}: {message}){skip}"
        ) from None
    except AuthError as exc:
        raise PublishError(f"cannot authenticate at {where}: {exc}") from None
    except (urllib.error.URLError, HTTPException, OSError) as exc:  # TimeoutError is an OSError
        raise _network_failure(exc, where, timeout, secrets) from None
    if data and content_type not in ("application/n-triples", "text/plain"):
        raise PublishError(
            f"the endpoint {where} answered a GET of the graph with {what_came_back(data, content_type)}, not "
            f"N-Triples: is it a Graph Store endpoint (Oxigraph: http://host:port/store)?{skip}"
        )
    return data, server


def _put(url: str, where: str, body: IO[bytes], size: int, credentials: Credentials | None, timeout: float) -> int:
    """Send the PUT and return the HTTP status; every failure becomes a PublishError with a clear message.

    With credentials, a HEAD request without them first asks the server which authentication it wants, so
    the body goes out once: Digest when the server offers it (Virtuoso's /sparql-graph-crud-auth takes
    nothing else), else Basic. A server that answers the PUT itself with a Digest challenge (its HEAD said
    nothing, or the nonce went stale) gets the PUT once more, answered."""
    from govgraph.httpauth import AuthError, authorization, challenges, digest_challenge

    secrets = credentials.secrets if credentials is not None else ()
    target = _request_target(url)
    header = None
    try:
        if credentials is not None:
            header = authorization(credentials, _challenges_for(url, timeout), "PUT", target)
        answer = _send(url, where, body, size, header, timeout, secrets)
        if answer.status == 401 and credentials is not None:
            offered = digest_challenge(challenges(answer.headers.get_all("WWW-Authenticate") or []))
            stale = offered is not None and offered.params.get("stale", "").lower() == "true"
            if offered is not None and (header is None or not header.startswith("Digest ") or stale):
                body.seek(0)
                header = authorization(credentials, [offered], "PUT", target)
                answer = _send(url, where, body, size, header, timeout, secrets)
    except AuthError as exc:
        raise PublishError(f"cannot authenticate at {where}: {exc}") from None
    if 200 <= answer.status < 300:
        return answer.status
    raise PublishError(_http_failure(answer.status, answer.reason, where, answer.message, size, credentials)) from None


@dataclasses.dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    headers: Message
    message: str  # the server's text, short, one line, credentials hidden


def _request_target(url: str) -> str:
    """What the request line names (and a Digest answer signs): the path and query, or the whole URL when a
    plain-HTTP proxy carries the request."""
    if _proxy_for(url) and urllib.parse.urlsplit(url).scheme == "http":
        return url
    parts = urllib.parse.urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _proxy_for(url: str) -> urllib.parse.SplitResult | None:
    """The proxy the environment names for the URL (http_proxy, https_proxy, no_proxy), as urllib would use."""
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    """A connection to the URL's server, or to the proxy for it: plain HTTP is sent to the proxy with the
    whole URL as its target, HTTPS goes through a CONNECT tunnel."""
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    proxy = _proxy_for(url)
    if proxy is None:
        return connection_class(parts.hostname, parts.port, timeout=timeout)
    if parts.scheme == "http":
        return http.client.HTTPConnection(proxy.hostname, proxy.port, timeout=timeout)
    connection = connection_class(proxy.hostname, proxy.port, timeout=timeout)
    connection.set_tunnel(parts.hostname, parts.port)
    return connection


def _challenges_for(url: str, timeout: float) -> list:
    """The authentication challenges a HEAD of ``url`` without credentials answers; [] when it asks for none
    (a server that does not know HEAD, answers 2xx/404, or cannot be reached: the PUT will tell)."""
    from govgraph.httpauth import challenges

    connection = _connection(url, timeout)
    try:
        connection.request("HEAD", _request_target(url))
        response = connection.getresponse()
        response.read()
        if response.status != 401:
            return []
        return challenges(response.headers.get_all("WWW-Authenticate") or [])
    except (OSError, http.client.HTTPException):
        return []
    finally:
        connection.close()


def _send(
    url: str, where: str, body: IO[bytes], size: int, header: str | None, timeout: float, secrets: tuple[str, ...]
) -> _Answer:
    """One PUT of ``body``. A server may answer and close before it has read the whole body (Virtuoso does,
    refusing credentials): the send then fails with a reset or a broken pipe, and the answer it already wrote
    is read and returned rather than the reset being reported."""
    from govgraph.query.remote import server_message

    connection = _connection(url, timeout)
    sent, send_error = 0, None
    try:
        try:
            connection.putrequest("PUT", _request_target(url), skip_accept_encoding=True)
            connection.putheader("Content-Type", "application/n-triples")
            connection.putheader("Content-Length", str(size))
            if header is not None:
                connection.putheader("Authorization", header)
            connection.endheaders()
            while chunk := body.read(64 * 1024):
                connection.send(chunk)
                sent += len(chunk)
        except TimeoutError:
            raise
        except OSError as exc:  # reset, broken pipe ...: the server may have answered before it closed
            if sent == 0 and isinstance(exc, ConnectionRefusedError):
                raise
            send_error = exc
        try:
            response = connection.getresponse()
            message = redact(_plain_text(server_message(response)), secrets)
            return _Answer(response.status, response.reason, response.headers, message)
        except (OSError, http.client.HTTPException) as exc:
            if send_error is None or isinstance(exc, TimeoutError):
                raise
            text = redact(str(getattr(send_error, "strerror", None) or send_error), secrets)
            raise PublishError(
                f"the endpoint {where} closed the connection after {sent} of {size} bytes without an answer: {text}"
            ) from None
    except (OSError, http.client.HTTPException) as exc:  # TimeoutError is an OSError
        raise _network_failure(exc, where, timeout, secrets) from None
    finally:
        connection.close()


def _plain_text(message: str) -> str:
    """A server's answer without its HTML markup (Virtuoso explains a refusal in an HTML page)."""
    if not re.match(r"\s*<(!doctype html|html)", message, re.IGNORECASE):
        return message
    text = re.sub(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", " ", message, flags=re.IGNORECASE | re.DOTALL)
    import html

    return " ".join(html.unescape(text).split()) or message


def _network_failure(exc: Exception, where: str, timeout: float, secrets: tuple[str, ...]) -> PublishError:
    """The PublishError for a request that got no HTTP answer: a timeout, a refused or failed connection."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError):
        return PublishError(f"the endpoint {where} did not answer within {timeout:g} s (--timeout)")
    if isinstance(reason, ConnectionRefusedError):
        return PublishError(f"cannot connect to {where}: connection refused (is the server running?)")
    text = redact(str(getattr(reason, "strerror", None) or reason), secrets)
    return PublishError(f"cannot reach the endpoint {where}: {text}")


def _http_failure(code: int, reason: str, where: str, message: str, size: int, credentials: Credentials | None) -> str:
    """The message for an HTTP error answer (already redacted ``message``: the server's short text)."""
    given = f"no credentials were given: use --user/--password, {ENV_USER}/{ENV_PASSWORD} or a netrc entry"
    said = "" if message == "(no message)" else f": {message}"
    if code == 401:  # its text is left out: a careless server echoes what it got, credentials included
        hint = given if credentials is None else f"the server refused the credentials from {credentials.source}"
        return f"authentication failed at {where} (HTTP 401 {reason}): {hint}"
    if code == 403:  # known, but not allowed to write (Virtuoso: a user without the SPARQL_UPDATE role)
        who = given if credentials is None else f"the user {credentials.username!r} may not write there"
        return f"the endpoint {where} refused to store the graph (HTTP 403 {reason}{said}): {who}"
    if code == 404:
        return (
            f"no Graph Store endpoint at {where} (HTTP 404 {reason}: {message}); give the store's Graph Store "
            "URL, e.g. http://host:port/store for Oxigraph"
        )
    if code == 413:
        return f"the endpoint {where} refused {size} bytes as too large (HTTP 413 {reason}): {message}"
    if 300 <= code < 400:
        return f"the endpoint {where} redirects (HTTP {code} {reason}); give the URL it redirects to"
    if code >= 500:
        return f"the endpoint {where} failed (HTTP {code} {reason}): {message}"
    return f"the endpoint {where} refused the graph (HTTP {code} {reason}): {message}"
