"""The fast path for large files: load RDF into a pyoxigraph Store and export it, without rdflib.

rdflib parses about 40k triples a second, fine for the bundled dataset (16k triples) and far too slow for a
user's million-triple file. pyoxigraph's parsers, store and serialisers are native code:

    from govgraph import store
    s = store.load(["big.nt"])                      # the data plus govgraph's ontology and schemes
    store.dump(s, "big.ttl")                        # Turtle with govgraph's prefixes, written atomically
    quads = list(store.parse("big.nt"))             # the quads as written, no store (what publish sends)
    govgraph.query.run_query("commitments-per-action-plan", graph=s)

Errors in the input become :class:`govgraph.errors.InputErrors` naming the file, line and column.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

#: File extension → pyoxigraph RdfFormat name, for load().
LOAD_FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
}
#: Export format (as govgraph.export names them) → pyoxigraph RdfFormat name, for dump().
DUMP_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES"}


def load(paths: Iterable[str | Path], *, vocabulary: bool = True, second_core: bool = True) -> pyoxigraph.Store:
    """Load RDF files into a new in-memory pyoxigraph Store (format from the extension:
    .ttl .nt .nq .trig .jsonld .rdf .owl). Quads keep their named graphs.

    With ``vocabulary`` (the default) govgraph's ontology and SKOS schemes are loaded too, as validation and
    ``query --data`` do, so that class and concept labels resolve. Nothing is fetched: a JSON-LD ``@context``
    that is a URL is refused. Every file is tried; InputErrors lists each bad one with file, line and column.

    With ``second_core`` (the default) a file read from disk loads leniently while a strict parse checks it on
    another core, when there is one: as strict, and a fifth to a third faster. Pass False when the other core
    already has work, as validation does while it indexes the same files (there the check would slow it).
    """
    import pyoxigraph as ox

    from govgraph.errors import InputError, InputErrors

    store = ox.Store()
    problems: list[InputError] = []
    for path in map(Path, paths):
        try:
            fmt = _format_of(path)
            data = checked_bytes(path, fmt)
        except InputErrors as exc:
            problems.extend(exc.errors)
            continue
        error = _load_file(store, path, fmt, data, second_core=second_core)
        if error:
            problems.append(error)
    if problems:
        raise InputErrors(problems)
    if vocabulary:
        add_vocabulary(store)
    return store


def add_vocabulary(store: pyoxigraph.Store) -> None:
    """Load govgraph's ontology and SKOS schemes into ``store`` (the default graph)."""
    import pyoxigraph as ox

    from govgraph.resources import ontology_files

    for path in ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)


def parse(path: str | Path) -> Iterator[pyoxigraph.Quad]:
    """The quads of one RDF file exactly as written, without a store (which keeps numbers and dates by value:
    "9.0"^^xsd:decimal would come back as "9"), through the same guards as :func:`load`. A bad file raises
    InputErrors with its file, line and column while the quads are being read, so read them all before acting
    on any (as ``govgraph publish`` does before it sends a byte)."""
    import pyoxigraph as ox

    from govgraph.errors import InputError, InputErrors

    path = Path(path)
    fmt = _format_of(path)
    data = checked_bytes(path, fmt)
    source = {"path": str(path)} if data is None else {"input": data}
    try:
        yield from ox.parse(**source, format=fmt, base_iri=path.resolve().as_uri())
    except SyntaxError as exc:
        raise InputErrors([_syntax_error(path, fmt, exc)]) from None
    except (OSError, ValueError) as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read: {exc}")]) from None


def _format_of(path: Path) -> pyoxigraph.RdfFormat:
    """The pyoxigraph format for a file's extension; InputErrors when it is unknown or the file is missing."""
    import pyoxigraph as ox

    from govgraph.errors import InputError, InputErrors

    fmt = LOAD_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(LOAD_FORMATS)
        raise InputErrors([InputError(str(path), None, f"unknown RDF format {path.suffix!r}; use one of {known}")])
    if not path.is_file():
        raise InputErrors([InputError(str(path), None, "no such file")])
    return getattr(ox.RdfFormat, fmt)


def checked_bytes(path: Path, fmt: pyoxigraph.RdfFormat) -> bytes | None:
    """The guards validate uses for formats whose parsers can be abused: no XML DTD (entity expansion), no
    remote JSON-LD context or @import. JSON-LD naming a context file beside it (a release's context.jsonld)
    gets that context put in place. Such files come back as bytes, read whole because the checks need them;
    N-Triples, Turtle and the other formats are streamed from the path unread (None)."""
    if fmt.name not in ("RDF/XML", "JSON-LD"):
        return None
    from govgraph.safety import check_rdf_bytes

    data = path.read_bytes()
    if fmt.name == "JSON-LD":
        from govgraph.export import inline_local_context

        data = inline_local_context(data, path.parent)
    check_rdf_bytes(path, data, fmt.name)
    return data


def _load_file(
    store: pyoxigraph.Store, path: Path, fmt: pyoxigraph.RdfFormat, data: bytes | None = None, *, second_core: bool
):
    """Load one file (from ``data`` when given, else from the path); the InputError describing why it is not
    valid RDF, or None. On error the store may hold part of the file: callers discard it.

    A file streamed from its path is checked on a second core while it loads: pyoxigraph's lenient load skips
    some validation, IRIs above all (1M triples: 2.3 s against 3.0 s strict), and a strict parse of the same
    file, which finishes first (1.1 s), reports whatever the strict load would have refused, with the same
    line and column. On one core the two would share it, so there the load is strict."""
    from concurrent.futures import ThreadPoolExecutor

    from govgraph.errors import InputError

    # Relative IRIs resolve against the file itself, as govgraph.validate does.
    # Store.load, not bulk_load: on an in-memory store it is ~10% faster and peaks at 2/3 of the memory
    # (1M triples: 3.4 s and 409 MB against 3.9 s and 624 MB).
    base_iri = path.resolve().as_uri()
    source = {"path": str(path)} if data is None else {"input": data}
    checked_aside = second_core and data is None and available_cores() > 1
    try:
        if checked_aside:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="govgraph-check") as pool:
                check = pool.submit(parse_strictly, path, fmt, base_iri)
                try:
                    store.load(**source, format=fmt, base_iri=base_iri, lenient=True)
                finally:
                    check.result()  # the strict parser's error, when there is one, is the one reported
        else:
            store.load(**source, format=fmt, base_iri=base_iri)
    except SyntaxError as exc:
        return _syntax_error(path, fmt, exc)
    except (OSError, ValueError) as exc:
        return InputError(str(path), None, f"cannot load: {exc}")
    return None


def parse_strictly(path: Path, fmt: pyoxigraph.RdfFormat, base_iri: str) -> None:
    """Parse a file with pyoxigraph's strict parser and drop the quads: raises SyntaxError where it is invalid."""
    import pyoxigraph as ox

    for _ in ox.parse(path=str(path), format=fmt, base_iri=base_iri):
        pass


def available_cores() -> int:
    """The CPU cores this process may run on (a container's limit, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _syntax_error(path: Path, fmt: pyoxigraph.RdfFormat, exc: SyntaxError):
    """The InputError for pyoxigraph's SyntaxError, which carries the position: lineno and offset, 1-based."""
    from govgraph.errors import InputError

    message = exc.msg.split(": ", 1)[1] if exc.msg.startswith("Parser error") else exc.msg
    if "LoadDocumentCallback" in message:
        message = "a remote JSON-LD @context is not fetched (govgraph works offline); inline the context"
    return InputError(str(path), exc.lineno, f"not valid {fmt.name}: {message}", column=exc.offset)


def dump(store: pyoxigraph.Store, output: str | Path | IO[bytes], fmt: str | None = None) -> None:
    """Write the store's triples as Turtle (with govgraph's prefixes) or N-Triples with pyoxigraph's
    serialiser, streaming. ``output`` is a path (written atomically: a temporary file beside it, renamed into
    place; ``fmt`` may then come from the extension) or a binary stream (``fmt`` required: "turtle" or "nt").

    Deterministic: the same input files give the same bytes, in every process. The order follows the store,
    which follows the input, so the same triples loaded in another order come out in another order (for a
    sorted, order-independent file use govgraph.export.write on an rdflib graph: slower, canonical).
    pyoxigraph keeps numbers, dates and booleans by value, so they come out in their canonical lexical form:
    "9.0"^^xsd:decimal is written "9"^^xsd:decimal, "007"^^xsd:integer "7" (the same values).
    A store with named graphs is written as the union of its graphs, each triple once.
    """
    import pyoxigraph as ox

    from govgraph.export import format_for
    from govgraph.namespaces import PREFIXES

    is_path = isinstance(output, (str, Path))
    name = format_for(output, fmt) if is_path else fmt
    if name not in DUMP_FORMATS:
        raise ValueError(f"dump writes {' or '.join(DUMP_FORMATS)}, not {name!r}")
    rdf_format = getattr(ox.RdfFormat, DUMP_FORMATS[name])
    prefixes = dict(PREFIXES) if name == "turtle" else None
    with open_atomic(output) if is_path else contextlib.nullcontext(output) as out:
        if next(store.named_graphs(), None) is None:
            store.dump(out, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        else:
            # A SPARQL CONSTRUCT over the union graph yields each distinct triple once.
            union = store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            ox.serialize(sorted(union, key=str), out, rdf_format, prefixes=prefixes)


@contextlib.contextmanager
def open_atomic(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file to stream into that appears at ``path`` only when the block ends without an error: it is
    written beside the target under a temporary name and renamed into place (as
    govgraph.export.write_bytes_atomic does for a bytes blob). Never a half-written file."""
    from govgraph.errors import writing

    path = Path(path)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        # mkstemp creates the file 0600; a published dataset must get the permissions any new file gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
