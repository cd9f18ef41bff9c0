"""Site benchmark: time `govgraph site` (write_site: every page, document and index written to disk) on the
bundled Danish dataset and on synthetic data (bench/generate.py), and check that the runs give byte-identical
files. Prints pages per second beside the anchor (issue 19: at least 2,000 pages/s on the project's 2-core
machine; 325 pages/s before).

    python -m bench.site_bench                 # the bundled data and 100k synthetic triples
    python -m bench.site_bench 10000 100000
    python -m bench.site_bench 0               # the bundled data only
    python -m bench.site_bench 0 --runs 9 --jobs 1
    python -m bench.site_bench 0 --dir /dev/shm   # sites in memory: the disk's file creation left out

The graph is built first and not timed, and the modules the site imports are imported first: this measures
making and writing the site, not the build or Python's start (where bytecode caching is off, as with
PYTHONDONTWRITEBYTECODE, every run would compile govgraph's site modules again: 0.04-0.07 s). Each timed run is a fresh
process forked from the benchmark's (the graph in memory, no cache of an earlier site warm), so it pays what
the command pays; ``--jobs`` is write_site's ``workers`` (default: one per CPU). The machine is shared, so
every run is shown with the load average before it, and the best and the median are reported:

- "wall" is write_site as the command runs it (files written to a temporary folder and renamed);
- "cpu" is the CPU time of the run and its worker processes, user and kernel ("sys" the kernel's part:
  creating a file costs this machine's kernel 0.05-0.7 ms, depending on what else runs);
- "made/s" is making every file in memory in one process (CPU time), the part that is govgraph's alone;
- "rebuild" is the same site written again over the first (the older site's unchanged files are linked);
- "speed of the machine" is a fixed loop of Python timed before and after the runs (speed_of_python): this
  shared machine runs the same code up to twice as slowly from one quarter of an hour to the next, and every
  figure above moves with it, so figures are comparable only at about the same speed.

Measured on 3 December 2026 (README, "Publishing a site"), from fresh clones, on the disk (/tmp, ext4): the
bundled data 0.86 s best (2,752 pages/s), 1.18 s median (2,008 pages/s) at 18:23, and 0.98 s (2,414) and 1.14 s
(2,086) at 18:52, when 100k synthetic triples took 6.96 s (1,941 pages/s; 5.39 s, 2,509 pages/s, in /dev/shm).
The same code took 2.58 s best a minute after another bench: ext4 without a journal is slow to create files
for some minutes after many were deleted (it scans past the recently deleted inodes), so a bench right after
another one, whose sites it removes at the end, measures mostly that. Wait five minutes between them.
Within one bench every site is kept until the end, so that the synthetic runs do not follow the bundled ones'
removal (on 3 December they did: 8.36 s best for 100k triples, 4.0 s of it the kernel's).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ANCHOR_PAGES_PER_SECOND = 2000


def speed_of_python() -> float:
    """The CPU seconds (the best of three) of a fixed loop of plain Python: how fast the machine runs now. The
    machine is shared, and the same loop has taken 0.18-0.39 s within the hour, with every figure of the bench
    moving alike; compare figures measured at about the same speed."""

    def loop() -> int:
        total = 0
        for i in range(5_000_000):
            total += i
        return total

    best = float("inf")
    for _ in range(3):
        cpu = time.process_time()
        loop()
        best = min(best, time.process_time() - cpu)
    return best


def digest(folder: Path) -> str:
    """One hash of every file's path and bytes."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _timed_site(graph, base_iri: str | None, jobs: int | None, out: Path, connection) -> None:
    """In a forked child: write the site once; send back the seconds, the CPU times and the site's digest."""
    from govgraph.site import write_site

    before, wall = os.times(), time.perf_counter()
    result = write_site(out, graph, base_iri=base_iri, workers=jobs)
    seconds, after = time.perf_counter() - wall, os.times()  # the workers are reaped: their times are in
    user = after.user - before.user + after.children_user - before.children_user
    system = after.system - before.system + after.children_system - before.children_system
    connection.send((seconds, user + system, system, result.pages, result.files, result.processes, digest(out)))
    connection.close()


def timed_site(graph, base_iri: str | None, jobs: int | None, out: Path) -> tuple:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_timed_site, args=(graph, base_iri, jobs, out, sender))
    child.start()
    sender.close()
    try:
        return receiver.recv()
    finally:
        child.join()


def made_in_memory(graph, base_iri: str | None) -> float:
    """CPU seconds (the best of two) to make every file of the site in memory in one process."""
    import gc

    from govgraph import DEFAULT_BASE_IRI
    from govgraph.package import open_package
    from govgraph.site import SiteBuilder

    best = float("inf")
    for _ in range(2):
        gc.disable()
        try:
            cpu = time.process_time()
            builder = SiteBuilder(graph, base_iri or DEFAULT_BASE_IRI, open_package().manifest)
            for _relative, _data in builder.files():
                pass
            best = min(best, time.process_time() - cpu)
        finally:
            gc.enable()
    return best


def run(name: str, graph, base_iri: str | None, runs: int, jobs: int | None, folder: Path) -> dict[str, object]:
    """Time ``runs`` sites in new folders, then ``runs`` rebuilds, all written under ``folder``, which keeps
    them: main removes every site at the very end, as ext4 creates files slowly for minutes after many were
    deleted, and the next data set's runs would measure that."""
    timings, rebuilds = [], []
    tmp = Path(tempfile.mkdtemp(prefix=name.replace(" ", "-") + "-", dir=folder))
    # A site in a new folder, then the same site over the first one (what `govgraph site -o public` does the
    # second time: the unchanged files of the older site are linked, not written again).
    for kind, times in (("new folder", timings), ("rebuild", rebuilds)):
        for attempt in range(runs):
            load = os.getloadavg()[0]
            out = tmp / f"site-{attempt if kind == 'new folder' else 0}"
            seconds, cpu, system, pages, files, processes, site = timed_site(graph, base_iri, jobs, out)
            times.append((seconds, cpu, system, load, site))
            print(
                f"  {name}, {kind}, run {attempt + 1}: {seconds:.2f} s wall, {cpu:.2f} s cpu ({system:.2f} sys),"
                f" {int(pages / seconds)} pages/s, {processes} processes, load {load:.2f}",
                flush=True,
            )
    made = made_in_memory(graph, base_iri)
    best = min(timings)
    median = statistics.median(t[0] for t in timings)
    return {
        "data": name,
        "triples": len(graph),
        "pages": pages,
        "files": files,
        "best": best[0],
        "cpu": best[1],
        "sys": best[2],
        "median": median,
        "pages_per_second": int(pages / best[0]),
        "median_pages_per_second": int(pages / median),
        "made_pages_per_second": int(pages / made),
        "rebuild": min(rebuilds)[0],
        "rebuild_pages_per_second": int(pages / min(rebuilds)[0]),
        "identical": len({t[4] for t in timings + rebuilds}) == 1,
    }


def import_site_modules() -> None:
    """Import what write_site imports when it first needs it, so the forked runs inherit the modules."""
    import importlib

    for name in SITE_MODULES:
        importlib.import_module(name)


SITE_MODULES = (
    "pyoxigraph",
    "govgraph.query",
    "govgraph.site",
    "govgraph.site.charts",
    "govgraph.site.documents",
    "govgraph.site.model",
    "govgraph.site.pages",
    "govgraph.site.query_runner",
    "govgraph.site.quotes",
    "govgraph.site.vocabulary",
)


def main() -> None:
    from bench.generate import generate
    from govgraph.build import add_vocabulary, build

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="synthetic sizes in triples (0: the bundled data only)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per data set (default 5)")
    parser.add_argument("--jobs", type=int, default=None, help="write_site's workers (default: one per CPU)")
    parser.add_argument(
        "--dir",
        default=None,
        help="where the sites are written (default: the temporary folder); /dev/shm leaves the disk out",
    )
    args = parser.parse_args()
    import_site_modules()
    loop_before = speed_of_python()
    sizes = [s for s in args.sizes if s > 0] if args.sizes else [100_000]
    with tempfile.TemporaryDirectory(prefix="site-bench-", dir=args.dir) as tmp:
        rows = [run("bundled", build(), None, args.runs, args.jobs, Path(tmp))]
        for size in sizes:
            graph, _defects = generate(size)
            add_vocabulary(graph)
            rows.append(run(f"synthetic {size}", graph, None, args.runs, args.jobs, Path(tmp)))
    print(
        f"{'data':>18} {'triples':>8} {'pages':>7} {'files':>6} {'best s':>7} {'cpu s':>6} {'sys s':>6} "
        f"{'median':>7} {'pages/s':>8} {'median/s':>8} {'made/s':>7} {'rebuild':>7} {'rebuild/s':>9} {'anchor':>7} "
        f"{'identical':>9}"
    )
    for row in rows:
        print(
            f"{row['data']:>18} {row['triples']:>8} {row['pages']:>7} {row['files']:>6} {row['best']:>7.2f} "
            f"{row['cpu']:>6.2f} {row['sys']:>6.2f} {row['median']:>7.2f} {row['pages_per_second']:>8} "
            f"{row['median_pages_per_second']:>8} {row['made_pages_per_second']:>7} {row['rebuild']:>7.2f} "
            f"{row['rebuild_pages_per_second']:>9} {ANCHOR_PAGES_PER_SECOND:>7} "
            f"{'yes' if row['identical'] else 'NO':>9}",
            flush=True,
        )
    where = args.dir or tempfile.gettempdir()
    loop_after = speed_of_python()
    print(
        f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; CPUs: {os.cpu_count()}; "
        f"sites written in {where}\n"
        f"speed of the machine (speed_of_python, CPU s): {loop_before:.3f} before the runs, {loop_after:.3f} after"
    )
    if not all(row["identical"] for row in rows):
        sys.exit("the runs gave different files")


if __name__ == "__main__":
    main()
