"""How fast a data package of CSV sheets builds: `govgraph build --data` on a generated package of N sheet
rows (default 10,000), beside the time of reading the same rows with Python's csv module alone (the floor:
no checking, no RDF) and the target (under 2 s for 10,000 rows on this machine).

    python bench/package_build.py [--rows 10000] [--repeat 3]

The package is made with `govgraph init` (its manifest and example rows), then grown: per programme one
track, per track initiatives, money and targets, all citing the example source, all keys distinct.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 2.0


def grow(folder: Path, rows: int) -> int:
    """Append rows to the init package's sheets until they hold about ``rows`` rows; the number written."""
    per_track = 8  # one track row, five initiatives, one money, one target
    tracks = max(1, rows // per_track)
    sheets: dict[str, list[dict[str, str]]] = {"tracks": [], "initiatives": [], "money": [], "targets": []}
    for t in range(tracks):
        track = f"track-{t}"
        sheets["tracks"].append(
            {"key": track, "label@en": f"Track {t}", "programme": "simpler-services", "number": str(t + 2),
             "source": "example-plan:4"}
        )  # fmt: skip
        for i in range(5):
            sheets["initiatives"].append(
                {"key": f"initiative-{t}-{i}", "label@en": f"Initiative {i} of track {t}", "track": track,
                 "number": str(i + 1), "source": "example-plan:5"}
            )  # fmt: skip
        sheets["money"].append(
            {"key": f"money-{t}", "label@en": f"Budget of track {t}", "amount": str(1000 * (t + 1)),
             "currency": "EUR", "as_stated": f"EUR {1000 * (t + 1)}", "year": "2025",
             "about": f"track/{track}", "kind": "budget", "source": "example-plan:8"}
        )  # fmt: skip
        sheets["targets"].append(
            {"key": f"target-{t}", "indicator@en": f"Indicator {t}", "value": str(t % 100), "unit": "percent",
             "target_year": "2027", "goal": "faster-answers", "source": "example-plan:7"}
        )  # fmt: skip
    written = 0
    for name, new_rows in sheets.items():
        path = folder / f"{name}.csv"
        with path.open(newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        with path.open("a", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writerows(new_rows)
        written += len(new_rows)
    return written


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from govgraph.build import build
    from govgraph.init import init_package

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "package"
        init_package(folder)
        rows = grow(folder, args.rows)
        sheets = sorted(folder.glob("*.csv"))

        def read_only() -> None:
            for path in sheets:
                with path.open(newline="", encoding="utf-8") as f:
                    for _row in csv.DictReader(f):
                        pass

        graph = build(data=folder)
        floor = median_seconds(read_only, args.repeat)
        seconds = median_seconds(lambda: build(data=folder), args.repeat)
    verdict = "MET" if seconds < TARGET_SECONDS else "NOT MET"
    print(f"package of {rows} sheet rows ({len(graph)} triples), median of {args.repeat}:")
    print(f"  govgraph build --data   {seconds:6.2f} s   ({rows / seconds:,.0f} rows/s)")
    print(f"  csv module, read only   {floor:6.2f} s   (the floor: no checks, no RDF)")
    print(f"  target                  < {TARGET_SECONDS:.1f} s   {verdict}")
    return 0 if verdict == "MET" else 1


if __name__ == "__main__":
    sys.exit(main())
