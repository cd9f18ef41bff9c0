"""A static linked-data site any web server can host: one page per resource in HTML, Turtle and JSON-LD at the
document path of the 303 pattern (``<base>id/<kind>/<key>`` → ``doc/<kind>/<key>.html``), an index per class,
the ontology, the shapes and the query catalogue documented, a search that works without a server, and
content-negotiation rules for Apache (``.htaccess``) and nginx (``nginx.conf`` with ``nginx-map.conf``).

``govgraph site`` is a thin client of :func:`write_site`. The site is written into a temporary folder beside
the target and renamed into place, so an interrupted run never leaves a half-written site.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
# Static files copied as they are: (name in the package, name in the site).
STATIC_FILES = (
    ("site.js", "site.js"),
    ("favicon.svg", "favicon.svg"),
    ("htaccess", ".htaccess"),
    ("nginx.conf", "nginx.conf"),
    ("nginx-map.conf", "nginx-map.conf"),
)
# A site folder carries this file; write_site replaces an existing folder only if it has it (or is empty), so a
# mistyped -o never wipes out a folder of other files.
MARKER = ".govgraph-site"


@dataclass(frozen=True)
class SiteResult:
    """What write_site wrote: the folder, the number of files and of resource pages, the seconds it took, and
    whether the query catalogue got its Run buttons (the SPARQL engine was installed)."""

    path: Path
    files: int
    pages: int
    seconds: float
    runnable_queries: bool = True


def write_site(
    output: str | Path,
    graph=None,
    *,
    files: Iterable[str | Path] = (),
    base_iri: str | None = None,
    data: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    allow_empty: bool = False,
) -> SiteResult:
    """Write the static site of ``graph`` (default: the user's RDF ``files`` with the bundled vocabulary, or
    the dataset of the data package ``data`` (None: the bundled one) when there are none) to the folder
    ``output``, replacing an older site there. The home page's title, description and licence are the
    package manifest's; ``base_iri`` defaults to the manifest's.

    Resources get pages when their IRI is under ``<base_iri>id/``. ``progress(done, total)`` is called as the
    resource pages are written. Raises ValueError if ``output`` exists and is not a govgraph site, and
    InputErrors for bad input files. The same input gives byte-identical files.
    """
    from govgraph.iris import check_base_iri
    from govgraph.package import open_package

    started = time.perf_counter()
    package = open_package(data)
    base = check_base_iri(base_iri or package.manifest.base_iri)
    output = Path(output)
    check_replaceable(output)
    if graph is None:
        graph = load_graph([Path(f) for f in files], base, package, allow_empty=allow_empty)
    count = 0
    # The pages are made of many small strings and tuples, which set Python's cyclic collector off again and
    # again, and each time it walked the whole graph: a third of the site's time. Nothing here makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder = SiteBuilder(graph, base, package.manifest, package=package)
        made: set[Path] = set()
        with atomic_directory(output) as folder, FileWriter() as writer:
            for relative, data in builder.files(progress):
                target = folder / relative
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                writer.write(target, data)  # the whole folder is renamed into place at the end, not each file
                count += 1
    finally:
        if collecting:
            gc.enable()
    from govgraph.site.query_runner import find_engine

    seconds = time.perf_counter() - started
    return SiteResult(output, count, builder.pages, seconds, runnable_queries=find_engine() is not None)


class FileWriter:
    """Writes files on a few threads while the pages are being made. Creating a file is mostly kernel time
    (on the project's machine 0.44 ms a file, the site's 6,760 files 3 s of it), which a thread spends
    outside the GIL: with writers on both cores the site is written in about half the time. At most
    ``pending`` files wait in memory; the first error is raised when the block ends (or at the next write)."""

    def __init__(self, threads: int = 8, pending: int = 512):
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="govgraph-site-writer")
        self.pending = pending
        self.futures: list = []

    def write(self, path: Path, data: bytes) -> None:
        self.futures.append(self.pool.submit(path.write_bytes, data))
        if len(self.futures) >= self.pending:
            self._settle(len(self.futures) // 2)

    def _settle(self, keep: int) -> None:
        done, self.futures = self.futures[: len(self.futures) - keep], self.futures[len(self.futures) - keep :]
        for future in done:
            future.result()  # an OSError of a write is raised here

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._settle(0)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=exc_type is not None)


def load_graph(files: list[Path], base: str, package=None, *, allow_empty: bool = False):
    """The package's built dataset, or the user's files with the bundled ontology and schemes (so labels
    resolve)."""
    from govgraph.errors import InputError, InputErrors
    from govgraph.inputs import read_dataset

    graph = read_dataset(files, data=package, base_iri=base, allow_empty=allow_empty)
    if files and not any(str(s).startswith(base + "id/") for s in graph.subjects()):
        raise InputErrors(
            [InputError(", ".join(map(str, files)), None, f"no resource under {base}id/; is --base-iri right?")]
        )
    return graph


class SiteBuilder:
    """The files of one site, generated one by one so that the whole site never has to sit in memory."""

    def __init__(self, graph, base: str, manifest=None, *, package=None):
        """``package`` (default: the bundled one) is the data package whose source documents the pages quote
        (see site/quotes.py); ``manifest`` (default: the package's) is what the home page says."""
        from govgraph.package import open_package
        from govgraph.site.model import SiteModel
        from govgraph.site.pages import ResourcePages
        from govgraph.site.vocabulary import VocabularyPages

        if manifest is None:
            package = package or open_package()
            manifest = package.manifest
        self.model = SiteModel(graph, base, manifest)
        self.resources = ResourcePages(self.model, package)
        self.vocabulary = VocabularyPages(self.model, self.resources)

    @property
    def pages(self) -> int:
        """The number of resources with a page of their own (the ontology's page among them)."""
        return len(self.model.paths)

    def files(self, progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[str, bytes]]:
        """Every file of the site as (relative path, bytes), in a fixed order."""
        from govgraph.resources import bundled
        from govgraph.site.model import ONTOLOGY, language_css
        from govgraph.site.query_runner import runner_files

        yield MARKER, b"govgraph site: this folder is replaced as a whole by `govgraph site`\n"
        for name, target in STATIC_FILES:
            yield target, (STATIC / name).read_bytes()
        yield "site.css", (STATIC / "site.css").read_bytes() + language_css(self.model.languages).encode()
        downloads = dict(self.resources.dataset_files())
        yield from downloads.items()
        yield "index.html", self.resources.home(tuple(downloads))
        yield "search.html", self.resources.search_page()
        yield "search-index.js", self.resources.search_index()
        yield "queries.html", self.vocabulary.queries_page()
        yield from runner_files(self.model)
        yield from self.vocabulary.ontology_files()
        yield from self.vocabulary.shapes_files(sorted(bundled("shapes").glob("*.ttl")))
        yield from self.resources.class_indexes()
        iris = [iri for iri in sorted(self.model.paths, key=str) if str(iri) != ONTOLOGY]
        for done, iri in enumerate(iris, 1):
            yield from self.resources.resource_files(iri)
            if progress is not None:
                progress(done, len(iris))


def check_replaceable(output: Path) -> None:
    """Refuse to replace anything but an empty folder or an older govgraph site."""
    if not output.exists():
        return
    if not output.is_dir():
        raise ValueError(f"{output} exists and is not a folder")
    if (output / MARKER).is_file() or not any(output.iterdir()):
        return
    raise ValueError(f"{output} exists and is not a govgraph site (it has no {MARKER} file); refusing to replace it")


class atomic_directory:
    """A temporary folder beside ``target`` that becomes ``target`` when the block ends without an error (an
    older folder there is replaced), and is removed when it fails."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Path:
        from govgraph.errors import writing

        with writing(self.target):
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.temporary = Path(
                tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
            )
        return self.temporary

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            return
        # mkdtemp makes the folder 0700; a published site gets the permissions any new folder gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o777 & ~umask)
        if not self.target.exists():
            os.rename(self.temporary, self.target)
            return
        # Two renames: the old site moves aside (to an empty folder of a fresh name, which rename may replace),
        # the new one moves in. Only between the two does the target not exist; it is never half-written.
        old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".old", dir=self.target.parent))
        try:
            os.rename(self.target, old)
        except BaseException:
            shutil.rmtree(self.temporary, ignore_errors=True)
            old.rmdir()
            raise
        os.rename(self.temporary, self.target)
        shutil.rmtree(old, ignore_errors=True)
