"""A static linked-data site any web server can host: one page per resource in HTML, Turtle and JSON-LD at the
document path of the 303 pattern (``<base>id/<kind>/<key>`` → ``doc/<kind>/<key>.html``), an index per class,
the ontology, the shapes and the query catalogue documented, a search that works without a server, and
content-negotiation rules for Apache (``.htaccess``) and nginx (``nginx.conf`` with ``nginx-map.conf``).

``govgraph site`` is a thin client of :func:`write_site`. The site is written into a temporary folder beside
the target and renamed into place, so an interrupted run never leaves a half-written site.
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govgraph.site.model import SiteModel
    from govgraph.site.pages import ResourcePages
    from govgraph.site.vocabulary import VocabularyPages

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
    """What write_site wrote: the folder, the number of files and of resource pages, the seconds it took,
    whether the query catalogue got its Run buttons (the SPARQL engine was installed), and how many processes
    made the files."""

    path: Path
    files: int
    pages: int
    seconds: float
    runnable_queries: bool = True
    processes: int = 1


def write_site(
    output: str | Path,
    graph=None,
    *,
    files: Iterable[str | Path] = (),
    base_iri: str | None = None,
    data: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    allow_empty: bool = False,
    workers: int | None = None,
) -> SiteResult:
    """Write the static site of ``graph`` (default: the user's RDF ``files`` with the bundled vocabulary, or
    the dataset of the data package ``data`` (None: the bundled one) when there are none) to the folder
    ``output``, replacing an older site there. The home page's title, description and licence are the
    package manifest's; ``base_iri`` defaults to the manifest's.

    Resources get pages when their IRI is under ``<base_iri>id/``. ``progress(done, total)`` is called as the
    resource pages are written. The files are made by ``workers`` processes (None: one per CPU this process may
    use; see make_site); any number gives the same bytes. A file the older site in ``output`` already has, byte
    for byte, is linked into the new site rather than written again (see FileWriter). Raises ValueError if
    ``output`` exists and is not a govgraph site, and InputErrors for bad input files. The same input gives
    byte-identical files.
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
    # The pages are made of many small strings and tuples, which set Python's cyclic collector off again and
    # again, and each time it walked the whole graph: a third of the site's time. Nothing here makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder = SiteBuilder(graph, base, package.manifest, package=package)
        older = output if (output / MARKER).is_file() else None  # check_replaceable: an older govgraph site
        with atomic_directory(output) as folder:  # renamed into place as a whole at the end, not file by file
            count, processes = make_site(builder, folder, older=older, workers=workers, progress=progress)
        pages = builder.pages
        # The index of the graph is freed while the collector is still off: once on, its first pass would walk
        # every object of the index only to find no cycle (10-15 ms for the bundled data).
        del builder
    finally:
        if collecting:
            gc.enable()
    from govgraph.site.query_runner import find_engine

    seconds = time.perf_counter() - started
    return SiteResult(output, count, pages, seconds, runnable_queries=find_engine() is not None, processes=processes)


class FileWriter:
    """Writes the files of a new site in ``folder``, one after the other, as the pages are made.

    Where the ``older`` site has a file with the same bytes (and the permissions a new file gets), it is
    hard-linked into the new site instead: a link makes no new inode and, once the older site is removed,
    nothing is deleted. Allocating an inode is the costly part of creating a file (ext4 without a journal, as
    on the project's machine, scans past every inode deleted in the last minutes: 0.1-0.7 ms a file after a
    site was replaced, against 0.02 ms a link), and a rebuild changes few files.

    The writes are synchronous, with plain os calls. Eight writer threads beside the page making were tried
    first: creating a file is CPU time in the kernel, not waiting for a disk, so on a machine whose cores are
    all making pages the threads only added their own cost. Writing the bundled site's 7,168 files (made
    beforehand) took 0.21-0.32 s of CPU one after the other, 0.81-1.06 s on eight threads, which contend for the
    folders' locks and the GIL."""

    def __init__(self, folder: Path, older: Path | None = None):
        # Plain strings and os calls: pathlib's objects and Python's file objects cost more than the link or
        # the write of a small file.
        self.folder, self.older = str(folder), str(older) if older is not None else None
        self.folders: set[str] = set()  # the folders made so far
        umask = os.umask(0)
        os.umask(umask)
        self.new_file_mode = 0o666 & ~umask

    def write(self, relative: str, data: bytes) -> None:
        path = os.path.join(self.folder, relative)
        folder = os.path.dirname(path)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        if self.older is not None:
            older = os.path.join(self.older, relative)
            if self.unchanged(older, data):
                try:
                    os.link(older, path, follow_symlinks=False)
                    return
                except OSError:  # another file system, or one without hard links: the file is written
                    pass
        # O_EXCL: the folder is new and every path is written once, so an existing file is a bug, never data.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            view, written = memoryview(data), 0
            while written < len(data):  # os.write may write less than it is given
                written += os.write(fd, view[written:])
        finally:
            os.close(fd)

    def unchanged(self, older: str, data: bytes) -> bool:
        """Whether ``older`` is a plain file that holds exactly ``data``, with the permissions a new file gets
        and no other name (a file linked from elsewhere, or a symbolic link, is never taken into a site)."""
        try:
            fd = os.open(older, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return False
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1 or st.st_size != len(data):
                return False
            # One read: a short one (never, for a small plain file) only means the file is written afresh.
            return stat.S_IMODE(st.st_mode) == self.new_file_mode and os.read(fd, len(data) + 1) == data
        finally:
            os.close(fd)


@dataclass(frozen=True)
class Job:
    """A part of the site that is made on its own: ``make()`` gives its files as (relative path, bytes), and
    ``pages`` of them are resource pages (for the progress)."""

    name: str
    make: Callable[[], Iterable[tuple[str, bytes]]]
    pages: int = 0


# Resource pages are made in jobs of this many: small enough that the workers end at about the same time,
# large enough that handing a job out costs nothing beside making it (100 pages: 20-50 ms).
PAGES_PER_JOB = 100


def make_site(
    builder: SiteBuilder,
    folder: Path,
    *,
    older: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Make every file of the site and write it into ``folder`` (linking the files of the ``older`` site that
    have not changed, see FileWriter); return how many there are and how many worker processes made them.

    With more than one worker (None: one per CPU this process may use) the jobs of ``builder.jobs()`` go to
    forked worker processes. They inherit the builder (the indexed graph) copy-on-write, so nothing is sent
    to them but a job's number; each writes the files of its jobs and takes the next job when it is done,
    so the work spreads evenly even on a busy machine. The jobs that need no index (builder.early_jobs: the
    query engine, the static files) go first to one more process, forked before the graph is indexed, so that
    they take the CPU that would otherwise wait for the indexing. A file's bytes depend only on the data, never
    on the process that made it or on what that process made before, so every number of workers gives the same
    site (tests/test_site_identity.py). Where a fork is not safe (see can_fork) it is one process.
    """
    workers = workers if workers is not None else available_cpus()
    if workers < 1:
        raise ValueError(f"the site needs at least one worker, not {workers}")
    files = pages = 0
    total = 0

    def finished(job_files: int, job_pages: int) -> None:
        nonlocal files, pages
        files += job_files
        if job_pages:
            pages += job_pages
            if progress is not None:
                progress(pages, total)

    if workers > 1 and can_fork():
        with EarlyJobs(builder.early_jobs(), folder, older) as early:
            jobs = builder.model_jobs()  # the graph is indexed here, while the early jobs run
            total = sum(job.pages for job in jobs)
            workers = min(workers, len(jobs))
            _make_in_workers(jobs, folder, older, workers, finished)
            finished(early.files(), 0)
        return files, workers
    writer = FileWriter(folder, older)
    jobs = builder.jobs()
    total = sum(job.pages for job in jobs)
    for job in jobs:
        finished(write_job(job, writer), job.pages)
    return files, 1


class EarlyJobs:
    """A process forked at once that writes ``jobs`` (which need no index of the graph); ``files()`` waits for
    it and says how many files it wrote, or raises what it raised. Leaving the block stops it if it still runs
    (the site failed elsewhere; atomic_directory removes the folder)."""

    def __init__(self, jobs: list[Job], folder: Path, older: Path | None):
        self.jobs, self.folder, self.older = jobs, folder, older

    def __enter__(self) -> EarlyJobs:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(sender,), name="govgraph-site-early", daemon=True)
        self.process.start()
        sender.close()
        return self

    def _run(self, sender) -> None:
        """In the forked process."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in the workers: the parent stops it
        try:
            writer = FileWriter(self.folder, self.older)
            result: tuple[int, BaseException | None] = (sum(write_job(job, writer) for job in self.jobs), None)
        except BaseException as error:  # sent to the parent, which raises it
            result = (0, error)
        try:
            sender.send(result)
        except Exception:  # an error that cannot be pickled: its message, at least
            sender.send((0, RuntimeError(f"{type(result[1]).__name__}: {result[1]}")))

    def files(self) -> int:
        try:
            count, error = self.receiver.recv()
        except EOFError:
            raise RuntimeError("the site's early process ended without saying what it wrote") from None
        self.process.join()
        if error is not None:
            raise error
        return count

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receiver.close()


def write_job(job: Job, writer: FileWriter) -> int:
    """Make the files of one job and write them; return how many. They are on disk when it returns."""
    count = 0
    for relative, data in job.make():
        writer.write(relative, data)
        count += 1
    return count


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked safely: on Linux, from a process that has one thread. A fork
    copies only the thread that calls it; a lock another thread held (in Python or in a native library) would
    stay locked in the child for ever."""
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1  # the threads of native libraries count too
    except OSError:
        return False


# What the forked workers make: set by the parent just before the fork, inherited, never pickled.
_WORK: tuple[list[Job], Path, Path | None] | None = None
_WRITER: FileWriter | None = None  # a worker's own writer, made in the worker after the fork


def _make_in_workers(
    jobs: list[Job], folder: Path, older: Path | None, workers: int, finished: Callable[[int, int], None]
) -> None:
    import multiprocessing

    global _WORK
    _WORK = (jobs, folder, older)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
            # In the order of the jobs, each to the first free worker; results as they come.
            for job_files, job_pages in pool.imap_unordered(_run_job, range(len(jobs))):
                finished(job_files, job_pages)
            pool.close()
            pool.join()
        # Leaving the block early (an error in a worker, Ctrl-C, a progress callback that raised) terminates
        # the workers; atomic_directory then removes the half-written folder.
    finally:
        _WORK = None


def _start_worker() -> None:
    global _WRITER
    # Ctrl-C reaches every process of the terminal's group: the parent stops the workers, they do not each
    # print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert _WORK is not None
    _jobs, folder, older = _WORK
    _WRITER = FileWriter(folder, older)


def _run_job(index: int) -> tuple[int, int]:
    """In a worker: make and write job ``index``; (files written, resource pages among them)."""
    assert _WORK is not None and _WRITER is not None
    jobs = _WORK[0]
    return write_job(jobs[index], _WRITER), jobs[index].pages


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
    """The files of one site, generated one by one so that the whole site never has to sit in memory. The graph
    is indexed (SiteModel) when a job first needs it: the early jobs do not."""

    def __init__(self, graph, base: str, manifest=None, *, package=None):
        """``package`` (default: the bundled one) is the data package whose source documents the pages quote
        (see site/quotes.py); ``manifest`` (default: the package's) is what the home page says."""
        from govgraph.package import open_package

        if manifest is None:
            package = package or open_package()
            manifest = package.manifest
        self.graph, self.base, self.manifest, self.package = graph, base, manifest, package

    @functools.cached_property
    def model(self) -> SiteModel:
        from govgraph.site.model import SiteModel

        return SiteModel(self.graph, self.base, self.manifest)

    @functools.cached_property
    def resources(self) -> ResourcePages:
        from govgraph.site.pages import ResourcePages

        return ResourcePages(self.model, self.package)

    @functools.cached_property
    def vocabulary(self) -> VocabularyPages:
        from govgraph.site.vocabulary import VocabularyPages

        return VocabularyPages(self.model, self.resources)

    @property
    def pages(self) -> int:
        """The number of resources with a page of their own (the ontology's page among them)."""
        return len(self.model.paths)

    def jobs(self) -> list[Job]:
        """The site in parts that are made each on its own (see make_site), in a fixed order: the early jobs,
        then the model's."""
        return self.early_jobs() + self.model_jobs()

    def early_jobs(self) -> list[Job]:
        """The parts that need no index of the graph: the query runner with its engine, the static files."""
        from govgraph.site.query_runner import runner_files

        return [Job("the query runner and its engine", runner_files), Job("the static files", self._static_files)]

    def model_jobs(self) -> list[Job]:
        """The parts made from the indexed graph: the biggest first, so that no worker starts one of them last;
        then the resource pages, PAGES_PER_JOB at a time (in the order of their IRIs), the costliest of those
        first too, so the workers end at about the same time."""
        from govgraph.site.model import ONTOLOGY

        resources, vocabulary = self.resources, self.vocabulary
        iris = [iri for iri in sorted(self.model.paths, key=str) if str(iri) != ONTOLOGY]
        # The home page and the summaries of action plans and programmes draw their charts from a store of the
        # data, and the query runner's copy of the data is dumped from it: one job, so one worker loads it.
        charted = [iri for iri in iris if resources.has_summary(iri)]
        summaries = set(charted)
        pages = [iri for iri in iris if iri not in summaries]
        jobs = [
            Job("the home page, the runner's data, pages with charts", partial(self._charts, charted), len(charted)),
            Job("the dataset to download", resources.dataset_files),
            Job("the shapes", self._shapes_files),
            Job("the search", self._search_files),
            Job("the ontology", vocabulary.ontology_files),
            Job("the query catalogue", self._catalogue_files),
            Job("the class indexes", resources.class_indexes),
        ]
        chunks = [pages[start : start + PAGES_PER_JOB] for start in range(0, len(pages), PAGES_PER_JOB)]
        starts = {id(chunk): index * PAGES_PER_JOB for index, chunk in enumerate(chunks)}
        cost = self.model.page_cost
        for chunk in sorted(chunks, key=lambda chunk: -sum(cost(iri) for iri in chunk)):  # a stable sort
            start = starts[id(chunk)]
            jobs.append(Job(f"pages {start + 1}-{start + len(chunk)}", partial(self._pages, chunk), len(chunk)))
        return jobs

    def files(self, progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[str, bytes]]:
        """Every file of the site as (relative path, bytes), in a fixed order (the jobs', one after the other)."""
        jobs = self.jobs()
        total, done = sum(job.pages for job in jobs), 0
        for job in jobs:
            yield from job.make()
            if job.pages and progress is not None:
                done += job.pages
                progress(done, total)

    def _charts(self, iris: list) -> Iterator[tuple[str, bytes]]:
        from govgraph.site.pages import DATASET_FILES
        from govgraph.site.query_runner import runner_data

        yield "index.html", self.resources.home(DATASET_FILES)
        yield from runner_data(self.model)
        yield from self._pages(iris)

    def _pages(self, iris: list) -> Iterator[tuple[str, bytes]]:
        for iri in iris:
            yield from self.resources.resource_files(iri)

    def _shapes_files(self) -> Iterator[tuple[str, bytes]]:
        from govgraph.resources import bundled

        return self.vocabulary.shapes_files(sorted(bundled("shapes").glob("*.ttl")))

    def _search_files(self) -> Iterator[tuple[str, bytes]]:
        yield "search.html", self.resources.search_page()
        yield "search-index.js", self.resources.search_index()

    def _catalogue_files(self) -> Iterator[tuple[str, bytes]]:
        yield "queries.html", self.vocabulary.queries_page()

    def _static_files(self) -> Iterator[tuple[str, bytes]]:
        from govgraph.site.model import language_css, site_languages

        yield MARKER, b"govgraph site: this folder is replaced as a whole by `govgraph site`\n"
        for name, target in STATIC_FILES:
            yield target, (STATIC / name).read_bytes()
        languages = site_languages(self.manifest)
        yield "site.css", (STATIC / "site.css").read_bytes() + language_css(languages).encode()


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
