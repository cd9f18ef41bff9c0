"""Site benchmark: time `govgraph site` (write_site: every page, document and index written to disk) on the
bundled Danish dataset and on synthetic data (bench/generate.py), and check that two runs give byte-identical
files. Prints pages per second beside the anchor (issue 19: at least 2,000 pages/s on the project's 2-core
machine; 325 pages/s before).

    python -m bench.site_bench            # the bundled data and 100k synthetic triples
    python -m bench.site_bench 10000 100000
    python -m bench.site_bench 0             # the bundled data only

The graph is built first and not timed: this measures the site, not the build. Each size runs twice; the
faster run is reported (the machine is shared), and the two sites are compared file by file. "pages/s" is
write_site as the command runs it (wall clock, files written to a temporary folder); "made/s" is making every
file in memory (CPU time), the part that does not depend on the file system.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

from govgraph.site import write_site

ANCHOR_PAGES_PER_SECOND = 2000


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def generate_only(graph, base_iri: str | None) -> tuple[float, int]:
    """Seconds (CPU, the best of two) to make every file of the site in memory, without writing it: the part
    of the time that is govgraph's, not the file system's."""
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
    return best, builder.pages


def run(name: str, graph, base_iri: str | None) -> dict[str, object]:
    made, pages = generate_only(graph, base_iri)
    timings = []
    digests = []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        for attempt in range(2):
            cpu, wall = time.process_time(), time.perf_counter()
            result = write_site(Path(tmp) / f"site-{attempt}", graph, base_iri=base_iri)
            timings.append((time.perf_counter() - wall, time.process_time() - cpu))
            digests.append(digest(result.path))
    wall, cpu = min(timings)
    return {
        "data": name,
        "triples": len(graph),
        "pages": result.pages,
        "files": result.files,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "pages_per_second": int(result.pages / wall),
        "identical": digests[0] == digests[1],
        "made_pages_per_second": int(pages / made),
    }


def main() -> None:
    from bench.generate import generate
    from govgraph.build import add_vocabulary, build

    sizes = [int(s) for s in sys.argv[1:] if int(s) > 0] if sys.argv[1:] else [100_000]
    rows = [run("bundled", build(), None)]
    for size in sizes:
        graph, _defects = generate(size)
        add_vocabulary(graph)
        rows.append(run(f"synthetic {size}", graph, None))
    print(
        f"{'data':>18} {'triples':>8} {'pages':>7} {'files':>7} {'seconds':>8} {'cpu s':>6} {'pages/s':>8} "
        f"{'made/s':>7} {'anchor':>7} {'identical':>9}"
    )
    for row in rows:
        print(
            f"{row['data']:>18} {row['triples']:>8} {row['pages']:>7} {row['files']:>7} {row['seconds']:>8} "
            f"{row['cpu_seconds']:>6} {row['pages_per_second']:>8} {row['made_pages_per_second']:>7} "
            f"{ANCHOR_PAGES_PER_SECOND:>7} "
            f"{'yes' if row['identical'] else 'NO':>9}",
            flush=True,
        )
    if not all(row["identical"] for row in rows):
        sys.exit("two runs gave different files")


if __name__ == "__main__":
    main()
