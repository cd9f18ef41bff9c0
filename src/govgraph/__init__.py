"""govgraph: linked open data for Danish public-sector reform and OGP commitments.

The public API is small and flat; heavy imports (rdflib, pyoxigraph) happen inside the functions that
need them, so ``import govgraph`` stays fast::

    import govgraph
    graph = govgraph.build()                      # rdflib.Graph: ontology + schemes + data
    govgraph.write(graph, "govgraph.ttl")         # deterministic Turtle (or .nt, .jsonld, .trig)
    records = govgraph.read_ogp_export("export.csv")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BASE_IRI",
    "InputError",
    "InputErrors",
    "__version__",
    "build",
    "convert_ogp_export",
    "convert_ogp_page",
    "read_ogp_export",
    "read_ogp_page",
    "serialize",
    "write",
]

DEFAULT_BASE_IRI = "https://w3id.org/govgraph/"

if TYPE_CHECKING:  # pragma: no cover
    from govgraph.build import build, convert_ogp_export, convert_ogp_page
    from govgraph.errors import InputError, InputErrors
    from govgraph.export import serialize, write
    from govgraph.sources.ogp_export import read_ogp_export
    from govgraph.sources.ogp_page import read_ogp_page

_LAZY = {
    "build": "govgraph.build",
    "convert_ogp_export": "govgraph.build",
    "convert_ogp_page": "govgraph.build",
    "InputError": "govgraph.errors",
    "InputErrors": "govgraph.errors",
    "serialize": "govgraph.export",
    "write": "govgraph.export",
    "read_ogp_export": "govgraph.sources.ogp_export",
    "read_ogp_page": "govgraph.sources.ogp_page",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govgraph' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
