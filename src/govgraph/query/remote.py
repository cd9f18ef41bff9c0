"""Running a query on a SPARQL 1.1 endpoint: the request (SPARQL 1.1 Protocol, content negotiation, default
graphs), credentials (Basic, or Digest when the server asks), retries with backoff, redirects refused, and
the answer checked and parsed (an answer that is not SPARQL results, or one Virtuoso cut short, is an error)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from govgraph.credentials import ENV_PASSWORD, ENV_USER, CredentialsError, find_credentials
from govgraph.credentials import redact as _redact  # shared with govgraph.publish
from govgraph.credentials import safe_url as _safe_url
from govgraph.query.errors import QueryError
from govgraph.query.parameters import XSD, check_iri, nt
from govgraph.query.results import QueryResult
from govgraph.safety import check_rdf_bytes

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Node

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# Seconds before the first retry of a remote request; doubled for every further retry (tests shorten it).
RETRY_BACKOFF = 0.5


def run_remote(
    text: str,
    form: str,
    endpoint: str,
    method: str,
    timeout: float,
    retries: int,
    username: str | None,
    password: str | None,
    default_graphs: Sequence[str] = (),
) -> QueryResult:
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request
    from http.client import HTTPException

    from SPARQLWrapper import BASIC, GET, JSON, POST, TURTLE, SPARQLWrapper

    if not re.match(r"https?://", endpoint):
        raise QueryError(f"the endpoint must be an http:// or https:// URL, not {_safe_url(endpoint)!r}")
    try:  # options, then user:password@ in the URL, then the environment, then the netrc file
        credentials = find_credentials(endpoint, username, password)
    except CredentialsError as exc:
        raise QueryError(str(exc)) from None
    secrets = credentials.secrets if credentials else ()
    where = _safe_url(endpoint)  # credentials travel in the Authorization header, not the URL
    # SPARQLWrapper appends "?query=..." to the URL it is given: parameters already in it (default-graph-uri=G)
    # are taken out and sent as parameters of their own, so the request has one query string.
    parts = urllib.parse.urlsplit(where)
    url_params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    wrapper = SPARQLWrapper(urllib.parse.urlunsplit(parts._replace(query="", fragment="")))
    for name, value in url_params:
        if not wrapper.addParameter(name, value):
            raise QueryError(f"the endpoint URL {where} carries a {name}= parameter; govgraph sends the query itself")
    for graph_iri in default_graphs:
        try:
            wrapper.addDefaultGraph(check_iri(graph_iri))
        except ValueError as exc:
            raise QueryError(f"the default graph: {exc}") from None
    wrapper.setQuery(text)
    # SPARQLWrapper guesses the form with a regex that words in comments can fool ("add" → ADD, an update);
    # our tokenizer already knows it.
    wrapper.queryType = form
    wrapper.setMethod(POST if method == "POST" else GET)
    wrapper.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
    wrapper.setOnlyConneg(True)  # no format=/output= URL parameters: plain content negotiation
    if credentials:
        wrapper.setHTTPAuth(BASIC)
        wrapper.setCredentials(credentials.username, credentials.password)
    # SPARQLWrapper builds the request (encoding, Accept, auth); we send it ourselves to see the HTTP status
    # and the server's message, which its query() turns into exception texts.
    request = wrapper._createRequest()

    attempts = max(0, retries) + 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            body, headers = _fetch(request, timeout, credentials)
            break
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                raise QueryError(redirect_message(where, exc)) from None
            message = _redact(server_message(exc), secrets)
            if 500 <= exc.code < 600 and not last:
                time.sleep(RETRY_BACKOFF * 2**attempt)
                continue
            hint = ""
            if exc.code in (401, 403):
                hint = f" (check the user name and password, or {ENV_USER} / {ENV_PASSWORD})"
            tries = f" after {attempts} attempts" if exc.code >= 500 else ""
            raise QueryError(
                f"the endpoint {where} answered HTTP {exc.code} {exc.reason}{tries}{hint}: {message}"
            ) from None
        except TimeoutError:
            raise QueryError(f"the endpoint {where} did not answer within {timeout:g} s") from None
        except (urllib.error.URLError, ConnectionError, HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise QueryError(f"the endpoint {where} did not answer within {timeout:g} s") from None
            if last:
                reason_text = _redact(str(getattr(reason, "strerror", None) or reason), secrets)
                raise QueryError(
                    f"cannot reach the endpoint {where} after {attempts} attempts: {reason_text}"
                ) from None
            time.sleep(RETRY_BACKOFF * 2**attempt)
    result = _parse_answer(body, headers.get("Content-Type", ""), form, where)
    _refuse_a_cut_answer(result, headers.get("X-SPARQL-MaxRows"), where)
    return result


def _refuse_a_cut_answer(result: QueryResult, max_rows: str | None, where: str) -> None:
    """Virtuoso stops an answer at its ResultSetMaxRows without an error, and says so only in this header:
    an answer that may be missing rows is refused rather than passed on as if complete."""
    if max_rows is None or not max_rows.strip().isdigit():
        return
    cap = int(max_rows)
    if len(result.rows) >= cap:
        raise QueryError(
            f"the endpoint {where} cut the answer at {cap} rows (X-SPARQL-MaxRows; Virtuoso's [SPARQL] "
            f"ResultSetMaxRows), so rows may be missing: raise that limit, or page with LIMIT below {cap} and OFFSET"
        )


def open_without_redirects(request: Any, timeout: float) -> Any:
    """urlopen, except that a redirect is an HTTPError (3xx) instead of being followed: the user's
    credentials must not travel on to another address, and the user should give the real URL."""
    import urllib.request

    class Refuse(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None

    return urllib.request.build_opener(Refuse).open(request, timeout=timeout)


def redirect_message(where: str, exc: Any) -> str:
    target = exc.headers.get("Location") if exc.headers else None
    to = f" to {_safe_url(target)}" if target else ""
    return (
        f"the endpoint {where} redirects{to} (HTTP {exc.code} {exc.reason}); give the URL it redirects to "
        "(govgraph does not follow redirects, so that credentials never go to another address)"
    )


def what_came_back(body: bytes, content_type: str) -> str:
    """A short description of an unexpected answer: its type and its first characters."""
    mime = content_type.split(";")[0].strip().lower() or "no Content-Type"
    text = " ".join(body[:2000].decode("utf-8", errors="replace").split())
    if not text:
        return f"{mime}, empty"
    return f"{mime}: {text[:160]!r}{'…' if len(text) > 160 else ''}"


def _fetch(request, timeout: float | None, credentials) -> tuple[bytes, Any]:
    """The body and headers of the answer to ``request``, redirects refused, a Digest challenge answered
    (Virtuoso's /sparql-auth takes nothing else)."""
    from govgraph.httpauth import AuthError, open_answering_digest

    try:
        with open_answering_digest(request, credentials, lambda r: open_without_redirects(r, timeout)) as response:
            return response.read(), response.headers
    except AuthError as exc:
        raise QueryError(f"cannot authenticate at {_safe_url(request.full_url)}: {exc}") from None


def server_message(exc) -> str:
    try:
        text = exc.read().decode("utf-8", errors="replace")
    except Exception:  # the body is only a courtesy; the status says enough
        text = ""
    text = " ".join(text.split())
    return (text[:1000] + "…") if len(text) > 1000 else (text or "(no message)")


def _is_sparql_results(doc: Any, form: str) -> bool:
    """Whether a decoded JSON document has the shape of SPARQL 1.1 Query Results JSON for ``form``."""
    if not isinstance(doc, dict) or not isinstance(doc.get("head"), dict):
        return False
    if form == "ASK":
        return isinstance(doc.get("boolean"), bool)
    results = doc.get("results")
    return (
        isinstance(doc["head"].get("vars", []), list)
        and isinstance(results, dict)
        and isinstance(results.get("bindings"), list)
        and all(isinstance(b, dict) and all(isinstance(t, dict) for t in b.values()) for b in results["bindings"])
    )


def _parse_answer(body: bytes, content_type: str, form: str, where: str) -> QueryResult:
    from rdflib import BNode, Graph, Literal, URIRef

    mime = content_type.split(";")[0].strip().lower()
    if form in ("SELECT", "ASK"):
        not_results = (
            f"the endpoint {where} did not answer with SPARQL JSON results but with "
            f"{what_came_back(body, content_type)}; is it the SPARQL query URL (Oxigraph: http://host:port/query, "
            "not /store)?"
        )
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise QueryError(not_results) from None
        if not _is_sparql_results(doc, form):
            raise QueryError(not_results)
        if form == "ASK":
            return QueryResult(form, [], [], doc["boolean"])
        variables = list(doc["head"].get("vars", []))

        def term(b: dict[str, str] | None) -> Node | None:
            if b is None:
                return None
            kind, value = b.get("type"), b.get("value", "")
            if kind == "uri":
                return URIRef(value)
            if kind == "bnode":
                return BNode(value)
            if kind in ("literal", "typed-literal"):
                if b.get("xml:lang"):
                    return Literal(value, lang=b["xml:lang"])
                datatype = b.get("datatype")
                if datatype and datatype not in (XSD + "string", RDF_LANGSTRING):
                    return Literal(value, datatype=URIRef(datatype), normalize=False)
                return Literal(value)
            raise QueryError(f"the endpoint {where} returned a term of unsupported type {kind!r}")

        rows = [tuple(term(b.get(v)) for v in variables) for b in doc.get("results", {}).get("bindings", [])]
        return QueryResult(form, variables, rows)
    formats = {  # what SPARQLWrapper's Accept asks for, and what servers answer it with
        "text/turtle": "turtle",
        "application/turtle": "turtle",  # Virtuoso 7
        "text/rdf+n3": "n3",
        "application/n-triples": "nt",
        "text/plain": "nt",
        "application/rdf+xml": "xml",
        "text/n3": "n3",
        "application/x-turtle": "turtle",
    }
    if mime not in formats:
        raise QueryError(
            f"the endpoint {where} answered a graph query with {what_came_back(body, content_type)}; expected Turtle"
        )
    g = Graph()
    try:
        check_rdf_bytes(where, body, formats[mime])  # an endpoint's RDF/XML with a DTD is refused, not expanded
        g.parse(data=body, format=formats[mime])
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise QueryError(f"cannot parse the graph the endpoint {where} returned: {exc}") from None
    triples = sorted(g, key=lambda t: tuple(nt(x) for x in t))
    return QueryResult(form, ["subject", "predicate", "object"], triples)
