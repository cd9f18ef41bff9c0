"""The bundled SPARQL catalogue and running queries, locally or on a remote SPARQL 1.1 endpoint.

    from govgraph.query import list_queries, get_query, run_query
    result = run_query("reform-initiatives-by-track", {"reform": "ggid:programme/sammenhaengsreformen"})
    print(result.to_table())

Queries live in ``sparql/*.rq`` with a header of ``#+ `` lines that is YAML (see sparql/README.md). Parameters
are typed and bound as RDF terms, never pasted into the query text: as a ``VALUES`` block at the start of the
outermost ``WHERE`` group whose terms are written by an N-Triples serialiser. A parameter ``name`` is the query
variable ``?_name``.

Locally the query runs on an in-memory pyoxigraph store (the built dataset, cached per process, or the graph
or file you pass) and never touches the network: ``SERVICE``, ``LOAD`` and ``FROM`` are refused unless
``allow_network=True``.

One module per concern, each importing only those before it: errors; text (the query text: form, offline
check, the WHERE group); parameters (typed values -> RDF terms -> VALUES); catalogue (the bundled queries and
their headers); results (QueryResult and its formats); local (the embedded store); remote (an endpoint). This
module is the front door: run_query picks local or remote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from govgraph.query.catalogue import (
    REQUIRED_HEADER_FIELDS,
    QueryInfo,
    bind_params,
    example_params,
    get_query,
    list_queries,
    load_query,
    parse_query,
)
from govgraph.query.errors import ParameterError, QueryError, UnknownQueryError
from govgraph.query.local import bundled_store, open_store, run_local, store_from_graph
from govgraph.query.parameters import PARAM_TYPES, Param, check_iri, expand_iri, inject_values, nt, to_term
from govgraph.query.remote import run_remote
from govgraph.query.results import QueryResult, compact
from govgraph.query.text import FORMS, check_offline, query_form


def run_query(
    query: str | QueryInfo,
    params: Mapping[str, Any] | None = None,
    *,
    graph: Any = None,
    endpoint: str | None = None,
    timeout: float | None = 30,
    retries: int = 3,
    username: str | None = None,
    password: str | None = None,
    allow_network: bool = False,
    default_graphs: Sequence[str] = (),
) -> QueryResult:
    """Run a bundled query (by name or QueryInfo) or a SPARQL text, with typed parameters bound as RDF terms.

    Locally (no ``endpoint``): on the built govgraph dataset, or on ``graph`` (an rdflib Graph, a pyoxigraph
    Store or the path of an RDF file). ``SERVICE``/``LOAD``/``FROM`` are refused unless ``allow_network``;
    the query is stopped after ``timeout`` seconds (None: no limit) with a QueryError. Remotely: on the SPARQL
    1.1 endpoint at ``endpoint``, waiting ``timeout`` seconds per attempt and retrying
    connection errors and 5xx answers ``retries`` times with exponential backoff; basic auth from
    ``username``/``password``, the URL, the environment or a netrc file (see govgraph.credentials), answering
    a Digest challenge when the server sends one. ``default_graphs`` names the endpoint's graphs to query
    (sent as ``default-graph-uri``, SPARQL 1.1 Protocol: their merge is the default graph; Virtuoso without
    them answers over all its graphs, its own system graphs included); the endpoint URL may carry
    parameters of its own (``.../sparql?default-graph-uri=G``).
    Raises ParameterError (a ValueError) for bad parameters and QueryError for everything else.
    """
    if isinstance(query, QueryInfo):
        info = query
    elif re.fullmatch(r"[a-z0-9][a-z0-9_-]*", query.strip()):
        info = get_query(query.strip())
    else:
        info = parse_query(query)
    bindings = bind_params(info, params)
    form = info.form
    if endpoint:
        text = inject_values(info.text, bindings)
        return run_remote(text, form, endpoint, info.method, timeout, retries, username, password, default_graphs)
    if default_graphs:
        raise QueryError("default graphs name graphs of an endpoint: give an endpoint too")
    if not allow_network:
        check_offline(info.text)
    return run_local(info.text, form, bindings, graph, timeout)


def run_all(*, graph: Any = None, endpoint: str | None = None, **options: Any) -> dict[str, QueryResult]:
    """Every bundled query, each with its documented example's parameters: {name: result}. Locally the data
    (the built dataset, or ``graph`` as in run_query) is loaded once for the whole catalogue, where 29
    `govgraph query` processes would each build or load it again; ``options`` are run_query's."""
    source = None if endpoint else open_store(graph)
    return {q.name: run_query(q, example_params(q), graph=source, endpoint=endpoint, **options) for q in list_queries()}


__all__ = [
    "FORMS",
    "PARAM_TYPES",
    "REQUIRED_HEADER_FIELDS",
    "Param",
    "ParameterError",
    "QueryError",
    "QueryInfo",
    "QueryResult",
    "UnknownQueryError",
    "bind_params",
    "bundled_store",
    "check_iri",
    "check_offline",
    "compact",
    "example_params",
    "expand_iri",
    "get_query",
    "inject_values",
    "list_queries",
    "load_query",
    "nt",
    "parse_query",
    "query_form",
    "run_all",
    "run_query",
    "store_from_graph",
    "to_term",
]
