"""govgraph's own SHACL engine (govgraph.shacl) against pySHACL, with the full govgraph shapes: the built
dataset and synthetic data (bench/generate.py) at several sizes. Every run is a child process of its own, so
that its peak RSS is its own; every planted defect must be found. Prints a table and writes CSV.

    python bench/shacl_engine_bench.py                      # built dataset, 10k, 100k, 1M; pySHACL up to 100k
    python bench/shacl_engine_bench.py --pyshacl-max 1000000 10000 100000 1000000
    python bench/shacl_engine_bench.py --replica 1000000 --jena   # the built dataset copied to 1M, against Jena

A replica is the built dataset copied until it holds the given number of triples: in copy k every data IRI
(``…/govgraph/id/…``) becomes ``…/govgraph/id/ck/…``, so the copies are disjoint and every copy gives the built
dataset's results again; the vocabulary is there once. It is the issue's "1M-triple replica of the built
dataset": real data's mix of shapes and values, where bench/generate.py's synthetic data plants defects.

Timing: govgraph = govgraph.shacl.validate_ntriples(bytes, shapes): parsing, indexing and loading the store
for SPARQL included. pySHACL = pyshacl.validate() on an rdflib graph that is parsed before the clock starts
(as bench/validate_bench.py times it). Jena = bench.jena.jena_validate (Debian's Apache Jena 4.5 SHACL command
line), wall time of its Java processes, start-up and merging the files included: the anchor.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:  # run as a script: make `bench.generate` importable
    sys.path.insert(0, str(ROOT))
FIELDS = ("dataset", "engine", "triples", "seconds", "triples_per_second", "results", "violations", "planted",
          "planted_found", "peak_rss_mb")  # fmt: skip


def _prepare(dataset: str, work: Path) -> tuple[Path, Path]:
    """N-Triples of the dataset with the vocabulary (ontology and schemes), and its planted defects."""
    from rdflib import Graph

    from govgraph.build import add_vocabulary

    data, meta = work / f"{dataset}.nt", work / f"{dataset}.json"
    if data.exists() and meta.exists():
        return data, meta
    if dataset.startswith("replica-"):
        return _replica(int(dataset.removeprefix("replica-")), work)
    if dataset == "built":
        from govgraph.build import build

        build().serialize(data, format="nt", encoding="utf-8")
        meta.write_text(json.dumps({"defects": {}}), encoding="utf-8")
        return data, meta
    from bench.generate import write_ntriples

    info = write_ntriples(int(dataset), work / f"{dataset}-data.nt")
    vocabulary = Graph()
    add_vocabulary(vocabulary)
    with data.open("wb") as out:
        out.write((work / f"{dataset}-data.nt").read_bytes())
        out.write(vocabulary.serialize(format="nt", encoding="utf-8"))
    (work / f"{dataset}-data.nt").unlink()
    meta.write_text(json.dumps(info), encoding="utf-8")
    return data, meta


DATA_IRI = b"<https://w3id.org/govgraph/id/"


def _replica(size: int, work: Path) -> tuple[Path, Path]:
    """The built dataset copied until it holds at least ``size`` triples (see the module's docstring)."""
    built, _meta = _prepare("built", work)
    lines = built.read_bytes().splitlines(keepends=True)
    data_lines = [line for line in lines if DATA_IRI in line]
    vocabulary = [line for line in lines if DATA_IRI not in line]
    copies = max(1, -(-(size - len(vocabulary)) // len(data_lines)))
    data, meta = work / f"replica-{size}.nt", work / f"replica-{size}.json"
    with data.open("wb") as out:
        out.writelines(vocabulary)
        for k in range(copies):
            out.write(b"".join(data_lines).replace(DATA_IRI, DATA_IRI + b"c%d/" % k))
    meta.write_text(json.dumps({"defects": {}, "copies": copies}), encoding="utf-8")
    return data, meta


def child(engine: str, data_file: Path, meta_file: Path) -> dict:
    """One run, in this (child) process."""
    from rdflib.namespace import SH

    from govgraph.validate import shapes_graph

    shapes = shapes_graph()
    data = data_file.read_bytes()
    triples = data.count(b"\n")
    if engine == "govgraph":
        from govgraph.shacl import validate_ntriples

        start = time.perf_counter()
        _conforms, report = validate_ntriples(data, shapes, non_violations_conform=True)
        seconds = time.perf_counter() - start
    elif engine == "jena":
        from rdflib import Graph

        from bench.jena import jena_validate

        with tempfile.TemporaryDirectory() as tmp:
            shapes_file = Path(tmp) / "shapes.nt"
            shapes.serialize(shapes_file, format="nt", encoding="utf-8")
            del data
            jena = jena_validate(shapes_file, data_file, timeout=1800)
        seconds, report = jena.seconds, jena.graph
    else:
        import pyshacl
        from rdflib import Graph

        graph = Graph().parse(data=data, format="nt")
        del data
        start = time.perf_counter()
        _conforms, report, _text = pyshacl.validate(
            graph, shacl_graph=shapes, allow_infos=True, allow_warnings=True, do_owl_imports=False, inplace=True
        )
        seconds = time.perf_counter() - start
    results = list(report.objects(None, SH.result))
    violating = {
        str(report.value(r, SH.focusNode)) for r in results if report.value(r, SH.resultSeverity) == SH.Violation
    }
    planted = {f for kind in json.loads(meta_file.read_text())["defects"].values() for f in kind}
    return {
        "engine": engine,
        "triples": triples,
        "seconds": round(seconds, 2),
        "triples_per_second": int(triples / seconds),
        "results": len(results),
        "violations": sum(1 for r in results if report.value(r, SH.resultSeverity) == SH.Violation),
        "planted": len(planted),
        "planted_found": len(planted & violating),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def run(engine: str, data: Path, meta: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", engine, str(data), str(meta)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--pyshacl-max", type=int, default=100_000, help="largest size pySHACL also runs on")
    parser.add_argument("--replica", type=int, metavar="TRIPLES", help="also a replica of the built dataset")
    parser.add_argument("--jena", action="store_true", help="Jena SHACL too, on the replica (needs Java)")
    parser.add_argument("--work", type=Path, help="keep the generated N-Triples here (default: a temporary dir)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, data, meta = args.child
        print(json.dumps(child(engine, Path(data), Path(meta))))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="govgraph-shacl-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    print(" ".join(f"{f:>13}" for f in FIELDS))
    datasets = ["built", *map(str, args.sizes)] + ([f"replica-{args.replica}"] if args.replica else [])
    for dataset in datasets:
        data, meta = _prepare(dataset, work)
        if dataset.startswith("replica-"):
            engines = ["govgraph"] + (["jena"] if args.jena else [])
        else:
            engines = ["govgraph"] + (["pyshacl"] if dataset == "built" or int(dataset) <= args.pyshacl_max else [])
        for engine in engines:
            row = {"dataset": dataset, **run(engine, data, meta)}
            rows.append(row)
            print(" ".join(f"{row[f]!s:>13}" for f in FIELDS), flush=True)
            if row["planted_found"] != row["planted"]:
                sys.exit(f"{engine} missed planted defects on {dataset}: {row['planted_found']}/{row['planted']}")
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "shacl-engine.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
