"""Reading inputs: the one layer every command reads its files through.

    from govgraph import inputs
    graph = inputs.read_graph(["data.ttl"])           # an rdflib Graph (validation's reference path, the site)
    store = inputs.read_store(["big.nt"])             # a pyoxigraph Store, with the bundled vocabulary
    quads = inputs.read_quads("data.trig")            # the quads exactly as written (what publish sends)
    text = inputs.read_text("my-query.rq", "query")   # a UTF-8 text file
    graph = inputs.read_dataset(files=[], data=None)  # the files, else the data package's built dataset

Every function checks its paths before any parser sees them, so that a missing file, a folder, a file
that cannot be read, an unknown extension, bytes that are not UTF-8 and a file with no triples each get
the same message whichever command reads them: an :class:`~govgraph.errors.InputErrors` listing every bad
file at once, with the line and column where there is one. The CLI turns it into ``error: …`` and exit 2.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from govgraph.errors import InputError, InputErrors

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    from rdflib import Graph

    from govgraph.package import DataPackage

#: File extension → rdflib parser name. pyoxigraph reads the same files (govgraph.store.LOAD_FORMATS).
RDF_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",  # RDF/XML and TriX: accepted without a DTD only (govgraph.safety.refuse_xml_dtd)
    ".owl": "xml",
    ".trix": "trix",
}
#: Formats that are text in UTF-8 by definition (the XML ones declare their own encoding).
UTF8_FORMATS = {"turtle", "nt", "nquads", "trig", "json-ld"}


def check_rdf_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The paths as Path objects, once each one is a readable file with an RDF extension; InputErrors naming
    every one that is not (missing, a folder, unreadable, an unknown extension)."""
    paths = [Path(p) for p in paths]
    problems = [p for p in map(_rdf_path_problem, paths) if p]
    if problems:
        raise InputErrors(problems)
    return paths


def _rdf_path_problem(path: Path) -> InputError | None:
    if path.is_dir():
        hint = " (a data package: give it with --data)" if (path / "package.yaml").is_file() else ""
        return InputError(str(path), None, f"is a folder, not an RDF file{hint}")
    if path.suffix.lower() not in RDF_FORMATS:  # said first: a CSV given by mistake is the mistake to name
        known = ", ".join(sorted(RDF_FORMATS))
        return InputError(str(path), None, f"unknown RDF format {path.suffix!r}; use one of {known}")
    return _file_problem(path)


def _file_problem(path: Path) -> InputError | None:
    """Why ``path`` cannot be read as a file, or None."""
    if not path.exists():
        return InputError(str(path), None, "no such file")
    if path.is_dir():
        return InputError(str(path), None, "is a folder, not a file")
    if not os.access(path, os.R_OK):
        return InputError(str(path), None, "cannot read the file: permission denied")
    return None


def read_text(path: str | Path, what: str = "file") -> str:
    """A UTF-8 text file (a query, a page, a sheet); InputErrors with the line and column of the first byte
    that is not UTF-8, or why the file cannot be read."""
    from govgraph.safety import decode_utf8

    path = Path(path)
    problem = _file_problem(path)
    if problem:
        raise InputErrors([InputError(problem.file, None, f"{what}: {problem.message}")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the {what}: {exc.strerror or exc}")]) from None
    return decode_utf8(path, data)


def read_graph(paths: Iterable[str | Path], *, allow_empty: bool = False) -> Graph:
    """The triples of RDF files in one rdflib Graph (named graphs merged into it). Every file is read; the
    problems of all of them are raised together. A file with no triples is one, unless ``allow_empty``."""
    from rdflib import Graph

    graph = Graph()
    problems = []
    for path in check_rdf_paths(paths):
        before = len(graph)
        try:
            parse_into(graph, path)
        except InputErrors as exc:
            problems.extend(exc.errors)
            continue
        if not allow_empty and len(graph) == before and not _only_repeats(path, graph, before):
            problems.append(no_triples(path))
    if problems:
        raise InputErrors(problems)
    return graph


def _only_repeats(path: Path, graph: Graph, before: int) -> bool:
    """Whether a file that added nothing holds triples that were already there (the same file twice)."""
    from rdflib import Graph

    again = Graph()
    parse_into(again, path)
    return len(again) > 0


def no_triples(path: str | Path) -> InputError:
    """An empty input is refused by default: a wrong file or an interrupted export looks the same."""
    return InputError(str(path), None, "holds no triples (if it is meant to be empty, give --allow-empty)")


def parse_into(graph: Graph, path: Path) -> None:
    """Parse one RDF file into an rdflib ``graph``, through the guards of govgraph.safety first; errors become
    InputErrors with file, line and column."""
    from govgraph.safety import check_rdf_bytes, decode_utf8, too_deep

    problem = _rdf_path_problem(path)
    if problem:
        raise InputErrors([problem])
    fmt = RDF_FORMATS[path.suffix.lower()]
    data = path.read_bytes()
    if fmt in UTF8_FORMATS:
        decode_utf8(path, data)  # names the line and column of a byte that is not UTF-8; rdflib names neither
    if fmt == "json-ld":
        from govgraph.export import inline_local_context

        # A release's govgraph.jsonld names its context.jsonld beside it: put it in place, nothing is fetched.
        data = inline_local_context(data, path.parent)
    check_rdf_bytes(path, data, fmt)  # no XML DTDs, no remote JSON-LD contexts: before any parser sees it
    try:
        if fmt in ("trig", "nquads", "trix"):
            # Quads: the union of all graphs. Parsing into a plain Graph keeps only the default graph and would
            # silently drop the data in named graphs.
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
            for s, p, o, _g in ds.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError:  # rdflib's Turtle and JSON-LD parsers recurse once per level of nesting
        raise too_deep(path) from None
    except Exception as exc:  # rdflib's parsers raise many types; all mean "this file is not valid RDF"
        line, column = _position(exc)
        message = getattr(exc, "_why", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InputErrors([InputError(str(path), line, f"not valid {fmt}: {message}", column=column)]) from None


def _position(exc: Exception) -> tuple[int | None, int | None]:
    import re

    line = getattr(exc, "lines", None)
    if isinstance(line, int):  # rdflib's Turtle/N3 BadSyntax: 0-based line, offset into the text
        text, i = getattr(exc, "_str", b""), getattr(exc, "_i", None)
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        column = i - (text.rfind("\n", 0, i) + 1) + 1 if isinstance(i, int) else None
        return line + 1, column
    m = re.search(r"line (\d+)(?:, column (\d+))?", str(exc))
    return (int(m[1]), int(m[2]) if m[2] else None) if m else (None, None)


def read_store(
    paths: Iterable[str | Path], *, vocabulary: bool = True, allow_empty: bool = False, second_core: bool = True
) -> pyoxigraph.Store:
    """RDF files in a new in-memory pyoxigraph Store (the fast path: a million triples in about two seconds),
    named graphs kept; with ``vocabulary`` govgraph's ontology and SKOS schemes beside them, so that labels
    resolve. See govgraph.store.load for the rest. A store with no triples of the files is an error unless
    ``allow_empty``."""
    from govgraph import store as stores

    paths = check_rdf_paths(paths)
    loaded = stores.load(paths, vocabulary=False, second_core=second_core)
    if not allow_empty and len(loaded) == 0:
        raise InputErrors([no_triples(p) for p in paths])
    if vocabulary:
        stores.add_vocabulary(loaded)
    return loaded


def read_quads(path: str | Path) -> Iterator[pyoxigraph.Quad]:
    """The quads of one RDF file exactly as written, without a store (see govgraph.store.parse); read them all
    before acting on any: a bad file raises InputErrors while they are read. Whether an empty file is an error
    is the caller's to say (publish says what it would empty)."""
    from govgraph import store as stores

    (path,) = check_rdf_paths([path])
    yield from stores.parse(path)


def read_dataset(
    files: Iterable[str | Path] = (),
    data: str | Path | DataPackage | None = None,
    base_iri: str | None = None,
    *,
    allow_empty: bool = False,
) -> Graph:
    """The triples of RDF ``files``, or, when there are none, the built dataset of the data package ``data``
    (None: the bundled one; minted under ``base_iri``, by default the manifest's), vocabulary included. Files
    get the bundled vocabulary beside them."""
    from govgraph.build import add_vocabulary, build

    files = list(files)
    if not files:
        return build(base_iri, data=data)
    graph = read_graph(files, allow_empty=allow_empty)
    add_vocabulary(graph)
    return graph
