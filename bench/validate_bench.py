"""Validation benchmark: time `govgraph validate` (pySHACL with the full govgraph shapes) on synthetic data at
several sizes, and check that exactly the planted defects are found. Prints a table and writes CSV.

    python bench/validate_bench.py 10000 100000 [1000000]
"""

from __future__ import annotations

import csv
import resource
import sys
import time
from pathlib import Path

from bench.generate import generate
from govgraph.build import add_vocabulary
from govgraph.validate import validate

RESULTS = Path(__file__).parent / "results"


def run(size: int) -> dict[str, object]:
    graph, defects = generate(size)
    data_triples = len(graph)
    add_vocabulary(graph)
    start = time.perf_counter()
    report = validate(graph)
    seconds = time.perf_counter() - start
    violating = {r.focus for r in report.results if r.severity == "Violation"}
    planted = {focus for kind in defects.values() for focus in kind}
    found = len(planted & violating)
    return {
        "triples": data_triples,
        "seconds": round(seconds, 2),
        "triples_per_second": int(data_triples / seconds),
        "violations": report.counts()["Violation"],
        "planted_defects": len(planted),
        "planted_found": found,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [10_000, 100_000]
    rows = []
    print(
        f"{'triples':>9} {'seconds':>8} {'triples/s':>10} {'violations':>10} {'defects':>8} {'found':>6} {'RSS MB':>7}"
    )
    for size in sizes:
        row = run(size)
        rows.append(row)
        print(
            f"{row['triples']:>9} {row['seconds']:>8} {row['triples_per_second']:>10} {row['violations']:>10} "
            f"{row['planted_defects']:>8} {row['planted_found']:>6} {row['peak_rss_mb']:>7}",
            flush=True,
        )
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "validate.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
