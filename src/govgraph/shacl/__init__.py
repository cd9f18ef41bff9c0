"""govgraph's own SHACL engine: SHACL Core and SHACL-SPARQL constraints, evaluated set-at-a-time, with a W3C
validation report (an rdflib graph) shaped as pySHACL writes it.

    conforms, report = validate_graph(data, shapes)       # rdflib graphs in, (bool, rdflib.Graph) out
    conforms, report = validate_ntriples(data, shapes)    # N-Triples bytes (no rdflib graph of the data at all)
    conforms, report = validate_store(store, shapes)      # data already in a pyoxigraph.Store

The data is indexed in Python maps (per predicate, built in one pass) and, when the shapes have SPARQL-based
constraints, loaded into a pyoxigraph store where those queries run.

Modules, each importing only those before it: terms (rdflib <-> pyoxigraph terms), literals (datatypes and
SPARQL ordering), model (the dataclasses: paths, shapes, constraints, results), wellformed (SHACL's syntax
rules), paths (data index and property paths), sparql (SHACL-SPARQL: components, query preparation and
evaluation), shapes (shapes graph -> model), engine (constraint components), report (the report graph)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

    from govgraph.shacl.paths import DataIndex


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: the index makes millions of lists and dicts (none in a cycle),
    and every collection would walk all of them again - at a million triples that doubles the run time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _without_collector(function):
    @wraps(function)
    def wrapper(*args, **kwargs):
        with _collector_paused():
            return function(*args, **kwargs)

    return wrapper


def validate_index(index: DataIndex, shapes: Graph, *, non_violations_conform: bool = False) -> tuple[bool, Graph]:
    """Validate indexed data against the shapes graph ``shapes``: (conforms, report graph).

    Raises govgraph.shacl.shapes.ShapesError when the shapes cannot be applied (a SHACL "failure")."""
    from govgraph.shacl.engine import Engine
    from govgraph.shacl.report import build_report
    from govgraph.shacl.shapes import ShapesGraph

    results = Engine(index, ShapesGraph(shapes)).run()
    return build_report(results, shapes, index, non_violations_conform=non_violations_conform)


@_without_collector
def validate_graph(data: Graph, shapes: Graph, *, non_violations_conform: bool = False) -> tuple[bool, Graph]:
    """Validate an rdflib graph against ``shapes``."""
    import pyoxigraph as ox

    from govgraph.shacl.paths import DataIndex
    from govgraph.shacl.terms import converter

    convert = converter()
    quads = [(convert(s), convert(p), convert(o), None) for s, p, o in data]
    store = None
    if uses_sparql(shapes):
        store = ox.Store()
        default = ox.DefaultGraph()
        # An RDFS closure can hold generalised triples (a literal as subject) that RDF, and a store, cannot.
        store.bulk_extend(
            ox.Quad(s, p, o, default)
            for s, p, o, _ in quads
            if not isinstance(s, ox.Literal) and type(p) is ox.NamedNode
        )
    index = DataIndex(quads, store)
    del quads
    return validate_index(index, shapes, non_violations_conform=non_violations_conform)


@_without_collector
def validate_ntriples(data: bytes, shapes: Graph, *, non_violations_conform: bool = False) -> tuple[bool, Graph]:
    """Validate N-Triples (bytes) against ``shapes``, without ever building an rdflib graph of the data."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    from govgraph.shacl.paths import DataIndex

    if not uses_sparql(shapes):
        index = DataIndex(ox.parse(data, ox.RdfFormat.N_TRIPLES))
        return validate_index(index, shapes, non_violations_conform=non_violations_conform)
    # The store loads in another thread (pyoxigraph releases the GIL) while Python indexes the same bytes and
    # runs the core constraints; the SPARQL constraints wait for it. That load checks the syntax strictly, so
    # the indexing parse may skip its own checks (lenient: 4x faster).
    store = ox.Store()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="govgraph-shacl-store-load") as pool:
        loading = pool.submit(store.bulk_load, data, ox.RdfFormat.N_TRIPLES)

        def loaded() -> ox.Store:
            loading.result()  # waits for the load; raises its error
            return store

        index = DataIndex(ox.parse(data, ox.RdfFormat.N_TRIPLES, lenient=True), loaded)
        outcome = validate_index(index, shapes, non_violations_conform=non_violations_conform)
    loading.result()  # invalid N-Triples fail here even if no SPARQL constraint needed the store
    return outcome


@_without_collector
def validate_store(
    store: pyoxigraph.Store, shapes: Graph, *, non_violations_conform: bool = False
) -> tuple[bool, Graph]:
    """Validate the default graph of a pyoxigraph store against ``shapes``.

    Note that a store keeps typed literals in canonical form ("-5.0"^^xsd:decimal is read back as "-5", and
    "12"^^xsd:byte as "12"^^xsd:integer), so sh:value shows the canonical form and sh:datatype cannot tell
    the derived integer types apart; validate_graph and validate_ntriples see the literals as written."""
    import pyoxigraph as ox

    from govgraph.shacl.paths import DataIndex

    index = DataIndex(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), store)
    return validate_index(index, shapes, non_violations_conform=non_violations_conform)


def uses_sparql(shapes: Graph) -> bool:
    """Whether the shapes graph has SPARQL-based constraints (so the data must be in a store)."""
    from rdflib import URIRef

    sh = "http://www.w3.org/ns/shacl#"
    return (None, URIRef(sh + "select"), None) in shapes or (None, URIRef(sh + "ask"), None) in shapes


__all__ = ["uses_sparql", "validate_graph", "validate_index", "validate_ntriples", "validate_store"]
