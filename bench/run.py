"""The scale benchmark: govgraph and its anchor engines, step by step, at several sizes, in one run.

    python bench/run.py --sizes 10k,100k,1m [--with-10m] [--csv bench/results/scale.csv]
    python bench/run.py --sizes 10k --write-baseline      # regenerate bench/baseline.json (CI regression check)

Per size it generates (once; cached in bench/results/) synthetic data in govgraph's model with ~1% planted
defects (bench/generate.py), then measures

- load: govgraph.store.load | pyoxigraph.parse, serdi, rapper, rdflib (≤ 1m), `oxigraph load` (on disk);
  and govgraph again on the same lines sorted (≤ 1m): the generated file scatters a subject's triples (rdflib
  writes them in set order), files from govgraph's exporter or a triple store group them, and a store loads
  grouped triples faster
- export-turtle, export-ntriples: govgraph.store.dump | pyoxigraph.serialize, serdi, rapper, rdflib (≤ 100k)
- validate (≤ 1m): govgraph.validate.validate | pyrudof, Apache Jena SHACL, pySHACL (≤ 100k)
- query:NAME, every bundled query: govgraph (embedded store) | rdflib (≤ 100k); from 1m also through
  `oxigraph serve` on 127.0.0.1 (govgraph's remote path, ``run_query(endpoint=...)``)
- diff (≤ 1m): govgraph.diff.diff of the data and a next version of it (a line in 1000 dropped, one in 1000
  edited) | GNU sort + comm on the lines (not RDF-aware: the floor for comparing two files), rdflib (≤ 100k)
- publish (from 1m, with the endpoint): `govgraph publish` of the data file to `oxigraph serve` | curl PUT of
  the same file
- cli: `govgraph build`, `govgraph validate`, `govgraph query --all`, cold processes, on the bundled dataset

Every tool runs in a process of its own, under GNU time, so its peak memory (maximum resident set) is its
own. Python tools time only the operation (best of --repeat runs), not interpreter start-up or untimed
preparation such as loading the data they export; command-line tools are timed from the outside, start-up
included. The table gives seconds, triples/s, peak MB and each tool's time relative to the fastest tool of
the step; then the linearity check (1m / 100k) and the targets, MET or NOT MET.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import anchors
from bench.anchors import Command, Job, best_of

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
BASELINE = BENCH / "baseline.json"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
STEPS = ("load", "export", "validate", "query", "diff", "endpoint", "cli")
CI_STEPS = ("load", "export", "validate", "query", "diff")  # what the CI regression check runs, at 10k
GENERATOR_VERSION = 2  # bump when bench/generate.py changes the data: cached files are then regenerated
TIMEOUT = 3600  # seconds for one tool at one step
QUERY_TIMEOUT = 60  # seconds for one query of govgraph's (embedded and served; the target is 1 s)
# Timed runs per tool, the best counting; a run of anchors.LONG_RUN seconds or more is not repeated. The same
# at every size, so that the linearity check compares like with like.
DEFAULT_REPEAT = 3
NOISE_FLOOR = 0.02  # seconds: a govgraph time below this is timer noise, not a regression
REGRESSION_FACTOR = 3.0

# Parameters that exist in the synthetic data (the catalogue's defaults name Danish resources it lacks).
ID = "https://w3id.org/govgraph/id/"
QUERY_PARAMS = {
    "commitment-assessments": {"id": "CAA0000"},
    "commitment-exists": {"id": "CAA0000"},
    "describe-resource": {"resource": f"{ID}commitment/CAA0000"},
    "provenance": {"resource": f"{ID}commitment/CAA0000"},
    "policy-areas-by-year": {"member": f"{ID}member/caa"},
}

SORTED = "govgraph (sorted lines)"
# Which tools run each step, and the largest size each may run at (rdflib and pySHACL are slow references).
TOOLS = {
    "load": ["govgraph", SORTED, "pyoxigraph.parse", "serdi", "rapper", "rdflib", "oxigraph load"],
    "export-turtle": ["govgraph", "pyoxigraph.serialize", "serdi", "rapper", "rdflib"],
    "export-ntriples": ["govgraph", "pyoxigraph.serialize", "serdi", "rapper", "rdflib"],
    "validate": ["govgraph", "pyrudof", "jena", "pyshacl"],
    "query": ["govgraph", "rdflib"],
    "diff": ["govgraph", "sort + comm", "rdflib"],
}
LIMITS = {
    ("load", "rdflib"): 1_000_000,
    ("load", SORTED): 1_000_000,
    ("export-turtle", "rdflib"): 100_000,
    ("export-ntriples", "rdflib"): 100_000,
    ("validate", "pyshacl"): 100_000,
    ("query", "rdflib"): 100_000,
    ("diff", "rdflib"): 100_000,
}
VALIDATE_LIMIT = 1_000_000  # SHACL at 10m is out of scope: parse, load, export and query only
DIFF_LIMIT = 1_000_000  # two stores and their lines at 10m would need about 12 GB
# A Graph Store PUT is one transaction, which Oxigraph applies at about 10k triples/s: 10m would take half an
# hour per tool, for a figure that 1m already gives.
PUBLISH_LIMIT = 1_000_000

TARGETS = {"load": 400_000, "export-turtle": 500_000, "export-ntriples": 500_000}
QUERY_TARGET_SECONDS = 1.0
VALIDATE_TARGET_RATIO = 2.0
MEMORY_TARGET_MB = 4096
LINEARITY_TARGET = 12.0
CLI_TARGET_SECONDS = 3.0


@dataclasses.dataclass
class Row:
    """One measurement: a tool at a step and size. ``seconds`` is None when the tool did not run."""

    step: str
    size: str
    triples: int
    tool: str
    seconds: float | None
    peak_mb: float | None = None
    note: str = ""
    rows: int | None = None  # answers of a query, to compare engines
    ratio: float | None = None  # seconds / the fastest tool's seconds at this step and size

    @property
    def triples_per_second(self) -> float | None:
        if self.seconds and not self.step.startswith(("query", "cli")):
            return self.triples / self.seconds
        return None


# ------------------------------------------------------------------------------------------------ data


def size_of(label: str) -> int:
    if label not in SIZES:
        raise SystemExit(f"unknown size {label!r}; choose from {', '.join(SIZES)}")
    return SIZES[label]


@dataclasses.dataclass
class Dataset:
    label: str
    triples: int
    job: Job
    defects: dict[str, list[str]]


def prepare(label: str, results: Path, repeat: int) -> Dataset:
    """The synthetic data at one size (generated once, cached), with the vocabulary and shapes files."""
    from bench.generate import write_ntriples

    results.mkdir(parents=True, exist_ok=True)
    data, meta_path = results / f"data-{label}.nt", results / f"data-{label}.json"
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() and data.is_file() else {}
    if meta.get("generator") != GENERATOR_VERSION or meta.get("size") != size_of(label):
        print(f"generating {label} synthetic triples into {data} ...", flush=True)
        meta = {"generator": GENERATOR_VERSION, "size": size_of(label), **write_ntriples(size_of(label), data)}
        meta_path.write_text(json.dumps(meta, indent=1))
    vocabulary, shapes_ttl, shapes_jena = _vocabulary_and_shapes(results)
    # Rewritten every run (a copy, seconds even at 10m): the ontology may have changed since the last one.
    with_vocabulary = results / f"data-{label}-with-vocabulary.nt"
    with open(with_vocabulary, "wb") as out:
        for part in (data, vocabulary):
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    scratch = results / f"work-{label}"
    shutil.rmtree(scratch, ignore_errors=True)
    inputs = scratch / "inputs"  # derived data files, kept apart from the tools' outputs (removed after each)
    inputs.mkdir(parents=True)
    sorted_data = None
    if meta["triples"] <= LIMITS[("load", SORTED)] * 1.5:
        sorted_data = inputs / "sorted.nt"
        sorted_data.write_bytes(b"\n".join(sorted(data.read_bytes().splitlines())) + b"\n")
    changed_data = None
    if meta["triples"] <= DIFF_LIMIT * 1.5:
        changed_data = inputs / "changed.nt"
        changed_data.write_bytes(_changed(data.read_bytes()))
    job = Job(
        data=str(data),
        with_vocabulary=str(with_vocabulary),
        shapes_ttl=str(shapes_ttl),
        shapes_jena=str(shapes_jena),
        scratch=str(scratch),
        repeat=repeat,
        params=QUERY_PARAMS,
        sorted_data=str(sorted_data) if sorted_data else None,
        changed_data=str(changed_data) if changed_data else None,
    )
    return Dataset(label, meta["triples"], job, meta["defects"])


def _changed(ntriples: bytes) -> bytes:
    """The next version of the data, for the diff step: of every 1000 lines the first is dropped and the 500th,
    when it holds a literal, gets another text. Deterministic, so every tool and run diffs the same change."""
    lines = []
    for number, line in enumerate(ntriples.splitlines()):
        if number % 1000 == 0:
            continue
        if number % 1000 == 500:
            line = line.replace(b' "', b' "changed ', 1)
        lines.append(line)
    return b"\n".join(lines) + b"\n"


def _vocabulary_and_shapes(results: Path) -> tuple[Path, Path, Path]:
    """govgraph's ontology and schemes as N-Triples; its shapes as one Turtle file and, for Jena, as
    N-Triples (the same shapes, unmodified: Jena's command line takes one shapes file)."""
    import pyoxigraph as ox

    from govgraph.namespaces import PREFIXES
    from govgraph.resources import ontology_files
    from govgraph.validate import shape_files

    vocabulary, shapes_ttl, shapes_jena = (
        results / "vocabulary.nt",
        results / "shapes.ttl",
        results / "shapes-jena.nt",
    )
    store = ox.Store()
    for path in ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.dump(str(vocabulary), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    store = ox.Store()
    for path in shape_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.dump(str(shapes_ttl), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=dict(PREFIXES))
    store.dump(str(shapes_jena), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return vocabulary, shapes_ttl, shapes_jena


# ---------------------------------------------------------------------------------------- govgraph's tasks


def govgraph_load(job: Job) -> list[dict]:
    from govgraph import store

    seconds, loaded = best_of(job.repeat, lambda: store.load([job.data], vocabulary=False))
    return [{"seconds": seconds, "note": f"{len(loaded)} triples in a queryable store"}]


def govgraph_load_sorted(job: Job) -> list[dict]:
    """govgraph_load on the data's lines sorted (prepared by the parent, so not in this process's peak)."""
    assert job.sorted_data, "no sorted copy at this size"
    return govgraph_load(dataclasses.replace(job, data=job.sorted_data))


def govgraph_export(job: Job, fmt: str) -> list[dict]:
    from govgraph import store

    loaded = store.load([job.data], vocabulary=False)
    out = Path(job.scratch) / f"govgraph.{'ttl' if fmt == 'turtle' else 'nt'}"
    seconds, _ = best_of(job.repeat, lambda: store.dump(loaded, out))
    return [{"seconds": seconds, "note": f"{out.stat().st_size // 1_000_000} MB"}]


def govgraph_validate(job: Job) -> list[dict]:
    from govgraph.validate import validate

    seconds, report = best_of(job.repeat, lambda: validate(files=[job.data]))
    results = {(r.focus, r.component, r.severity) for r in report.results}
    anchors.write_results(job, "govgraph", results)
    return [{"seconds": seconds, "note": anchors.severity_counts(results)}]


def govgraph_diff(job: Job) -> list[dict]:
    from govgraph.diff import diff

    seconds, changes = best_of(job.repeat, lambda: diff(job.data, job.changed_data))
    return [{"seconds": seconds, "note": f"{changes.triples_added} added, {changes.triples_removed} removed"}]


def govgraph_queries(job: Job) -> list[dict]:
    """Every bundled query on the embedded store (data plus vocabulary), or on ``job.endpoint``."""
    from govgraph import store
    from govgraph.query import QueryError, list_queries, run_query

    # A generous time limit: a slow query is a finding to measure, not an error (run_query's default is 30 s).
    target = {"timeout": QUERY_TIMEOUT, **({"endpoint": job.endpoint, "retries": 0} if job.endpoint else {})}
    if not job.endpoint:
        target["graph"] = store.load([job.data])
    rows = []
    for info in list_queries():
        params = (job.params or {}).get(info.name)
        try:
            seconds, result = best_of(job.repeat, lambda i=info, p=params: run_query(i, p, **target))
        except QueryError as exc:
            rows.append({"step": f"query:{info.name}", "seconds": None, "note": f"failed: {exc!s:.120}"})
            continue
        answers = int(bool(result)) if result.form == "ASK" else len(result)
        rows.append({"step": f"query:{info.name}", "seconds": seconds, "rows": answers, "note": f"rows={answers}"})
    return rows


PYTHON_TASKS = {
    ("load", "govgraph"): govgraph_load,
    ("load", SORTED): govgraph_load_sorted,
    ("export-turtle", "govgraph"): lambda job: govgraph_export(job, "turtle"),
    ("export-ntriples", "govgraph"): lambda job: govgraph_export(job, "nt"),
    ("validate", "govgraph"): govgraph_validate,
    ("query", "govgraph"): govgraph_queries,
    ("query", "govgraph → oxigraph serve"): govgraph_queries,
    ("diff", "govgraph"): govgraph_diff,
    **anchors.PYTHON_TASKS,
}


def worker(step: str, tool: str, job_path: str, out_path: str) -> None:
    """Run one Python task in this (child) process and write its measurements as JSON."""
    job = Job(**json.loads(Path(job_path).read_text()))
    Path(out_path).write_text(json.dumps(PYTHON_TASKS[(step, tool)](job)))


# ---------------------------------------------------------------------------------------------- running


TIME = "/usr/bin/time"  # GNU time (Debian package `time`): measures the peak memory of one command


def run_measured(argv: list[str], stdout: str | None, timeout: float) -> tuple[float, float | None, int, str]:
    """Run a command; its wall seconds, peak RSS in MB (of that process alone), exit code and stderr tail.

    The peak comes from GNU time, which forks the command from its own tiny process: on Linux a child's
    ru_maxrss starts at its parent's resident size at fork time (the kernel carries the high-water mark over
    exec), so a command forked from this Python process would report at least this process's memory.
    """
    scratch = Path(os.environ.get("TMPDIR", "/tmp"))
    err_path, mem_path = scratch / f"govgraph-bench-{os.getpid()}.err", scratch / f"govgraph-bench-{os.getpid()}.mem"
    mem_path.unlink(missing_ok=True)
    wrapped = [TIME, "-f", "%M", "-o", str(mem_path), *argv] if Path(TIME).is_file() else argv
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115 - closed below
    with open(err_path, "wb") as err:
        start = time.perf_counter()
        # A session of its own, so that a timeout kills the command and not only GNU time above it.
        proc = subprocess.Popen(wrapped, stdout=out, stderr=err, cwd=BENCH.parent, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            code = proc.wait()
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    if stdout:
        out.close()
    tail = err_path.read_text(errors="replace").strip().splitlines()[-3:]
    err_path.unlink(missing_ok=True)
    peak = None
    if mem_path.is_file():
        lines = mem_path.read_text().split()
        peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
        mem_path.unlink()
    return seconds, peak, code, " | ".join(line for line in tail if not line.startswith("Command "))


def run_tool(step: str, tool: str, data: Dataset, job: Job) -> list[Row]:
    """Measure one tool at one step (a step group for queries: one row per query)."""

    def row(step_name: str, seconds: float | None, peak: float | None, note: str = "", answers=None) -> Row:
        return Row(step_name, data.label, data.triples, tool, seconds, peak, note, answers)

    limit = LIMITS.get((step, tool))
    if limit is not None and data.triples > limit * 1.5:
        return [row(step, None, None, f"skipped: {tool} only up to {_label(limit)}")]
    if (step, tool) in anchors.COMMAND_TASKS:
        command: Command = anchors.COMMAND_TASKS[(step, tool)](job)
        best: tuple[float, float, int, str] | None = None
        for _ in range(job.repeat):
            measured = run_measured(command.argv, command.stdout, TIMEOUT)
            if measured[2] != 0:
                return [row(step, None, measured[1], f"failed (exit {measured[2]}): {measured[3][:200]}")]
            best = measured if best is None or measured[0] < best[0] else best
            if best[0] >= anchors.LONG_RUN:
                break
        assert best is not None
        return [row(step, best[0], best[1])]
    job_file = Path(job.scratch) / f"job-{step}-{tool.replace(' ', '_')}.json"
    out_file = job_file.with_suffix(".out.json")
    job_file.write_text(json.dumps(dataclasses.asdict(job)))
    out_file.unlink(missing_ok=True)
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", step, tool, str(job_file), str(out_file)]
    _seconds, peak, code, err = run_measured(argv, None, TIMEOUT)
    if code != 0 or not out_file.is_file():
        why = "timeout" if code < 0 else f"exit {code}"
        return [row(step, None, peak, f"failed ({why}): {err[:200]}")]
    return [
        row(r.get("step", step), r["seconds"], peak, r.get("note", ""), r.get("rows"))
        for r in json.loads(out_file.read_text())
    ]


def run_size(label: str, steps: Iterable[str], results: Path, repeat: int | None = None, log=print) -> list[Row]:
    """Every requested step at one size; rows in table order."""
    steps = list(steps)
    data = prepare(label, results, repeat or DEFAULT_REPEAT)
    log(f"== {label}: {data.triples} triples, planted defects: {sum(map(len, data.defects.values()))}")
    rows: list[Row] = []
    groups = []
    if "load" in steps:
        groups.append("load")
    if "export" in steps:
        groups += ["export-turtle", "export-ntriples"]
    if "validate" in steps:
        groups.append("validate")
    if "query" in steps:
        groups.append("query")
    if "diff" in steps:
        groups.append("diff")
    for group in groups:
        if group == "validate" and data.triples > VALIDATE_LIMIT * 1.5:
            rows.append(Row("validate", label, data.triples, "govgraph", None, note="skipped: validation up to 1m"))
            continue
        if group == "diff" and data.triples > DIFF_LIMIT * 1.5:
            rows.append(Row("diff", label, data.triples, "govgraph", None, note="skipped: diff up to 1m"))
            continue
        for tool in TOOLS[group]:
            started = time.perf_counter()
            measured = run_tool(group, tool, data, data.job)
            rows += measured
            log(f"   {group:<16} {tool:<22} {time.perf_counter() - started:7.1f} s  {_brief(measured)}")
            if group.startswith("export"):
                _remove_outputs(Path(data.job.scratch))
        if group == "validate":
            _compare_validators(rows, data)
    if "endpoint" in steps and data.triples >= 900_000:
        rows += _run_endpoint(data, log)
    if any(r.step.startswith("query:") for r in rows):
        _compare_answers(rows)
        rows += _all_queries(rows, label, data.triples)
    _ratios(rows)
    return rows


def _label(n: int) -> str:
    return next((k for k, v in SIZES.items() if v == n), str(n))


def _brief(rows: list[Row]) -> str:
    if len(rows) == 1:
        r = rows[0]
        return f"{r.seconds:.3f} s {r.note}" if r.seconds is not None else r.note
    done = [r.seconds for r in rows if r.seconds is not None]
    return f"{len(done)}/{len(rows)} queries, {sum(done):.3f} s in all"


def _remove_outputs(scratch: Path) -> None:
    for path in scratch.glob("*"):
        if path.suffix in (".ttl", ".nt") and path.is_file():
            path.unlink()


def _compare_validators(rows: list[Row], data: Dataset) -> None:
    """Notes on each SHACL engine: whether it found every planted defect and whether its results (focus node,
    component, severity) are the same as govgraph's."""
    scratch = Path(data.job.scratch)
    planted = {focus for foci in data.defects.values() for focus in foci}
    found: dict[str, set[tuple[str, str, str]]] = {}
    for tool in TOOLS["validate"]:
        path = scratch / f"results-{tool}.tsv"
        if path.is_file():
            found[tool] = {tuple(line.split("\t")) for line in path.read_text().splitlines()}  # type: ignore[misc]
        elif tool == "jena" and (scratch / "jena-report.ttl").is_file():
            found[tool] = anchors.jena_results(data.job)
    ours = found.get("govgraph")
    for r in rows:
        if r.step != "validate" or r.size != data.label or r.tool not in found:
            continue
        results = found[r.tool]
        violating = {focus for focus, _c, severity in results if severity == "Violation"}
        notes = [anchors.severity_counts(results), f"planted {len(planted & violating)}/{len(planted)}"]
        if ours is not None and r.tool != "govgraph":
            if results == ours:
                notes.append("same results as govgraph")
            else:
                notes.append(f"differs from govgraph: {len(results - ours)} extra, {len(ours - results)} missing")
        r.note = "; ".join(notes)


def _run_endpoint(data: Dataset, log) -> list[Row]:
    """Load the data and vocabulary into an on-disk Oxigraph store, serve it on 127.0.0.1, and run every
    bundled query through govgraph's remote path."""
    binary = anchors.oxigraph_binary()
    scratch = Path(data.job.scratch)
    location = scratch / "endpoint-db"
    shutil.rmtree(location, ignore_errors=True)
    done = subprocess.run(
        [binary or "oxigraph", "load", "--location", str(location), "--file", data.job.with_vocabulary],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return [Row("query", data.label, data.triples, "govgraph → oxigraph serve", None, note="oxigraph load failed")]
    port = _free_port()
    server = anchors.start_oxigraph_server(location, scratch / "server.log", port, QUERY_TIMEOUT)
    try:
        job = dataclasses.replace(data.job, endpoint=f"http://127.0.0.1:{port}/query", repeat=1)
        started = time.perf_counter()
        rows = run_tool("query", "govgraph → oxigraph serve", data, job)
        for r in rows:
            r.note += "; peak MB of the client (the server's is not measured)"
        elapsed = time.perf_counter() - started
        log(f"   {'query (endpoint)':<16} {'oxigraph serve':<22} {elapsed:7.1f} s  {_brief(rows)}")
        if data.triples > PUBLISH_LIMIT * 1.5:
            return [*rows, Row("publish", data.label, data.triples, "govgraph publish", None, note="skipped: up to 1m")]
        publishing = _publish(data, f"http://127.0.0.1:{port}")
        log(f"   {'publish':<16} {'oxigraph serve':<22} {_brief(publishing[:1])}")
        return rows + publishing
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(location, ignore_errors=True)


def _publish(data: Dataset, server: str) -> list[Row]:
    """`govgraph publish` of the data file to the running server, cold from the shell, against curl PUTting
    the same file (the transfer and the server's own loading, with no parsing on the client): the difference
    is what govgraph adds (reading and checking the file). Each into an empty graph, dropped afterwards."""
    import urllib.parse

    govgraph = str(Path(sys.executable).parent / "govgraph")
    graph = "https://example.org/bench/published"
    url = f"{server}/store?" + urllib.parse.urlencode({"graph": graph})
    commands = [
        ("govgraph publish", [govgraph, "publish", "--endpoint", f"{server}/store", "--graph", graph, data.job.data]),
        ("curl PUT (no client parsing)", ["curl", "-sSf", "-T", data.job.data, "-H", _NT, url]),
    ]
    rows = []
    for tool, argv in commands:
        seconds, peak, code, err = run_measured(argv, None, TIMEOUT)
        count = _count_graph(server, graph)
        note = f"{count} triples in the graph" if count == data.triples else f"WRONG: {count} triples in the graph"
        if code != 0:
            seconds, note = None, f"failed (exit {code}): {err[:200]}"
        rows.append(Row("publish", data.label, data.triples, tool, seconds, peak, note))
        subprocess.run(["curl", "-sSf", "-X", "DELETE", url], capture_output=True, check=False)
    return rows


_NT = "Content-Type: application/n-triples"


def _count_graph(server: str, graph: str) -> int | None:
    """The triples in ``graph`` on the server, asked through govgraph's own SPARQL client."""
    from govgraph.query import QueryError, run_query

    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    try:
        return int(run_query(query, endpoint=f"{server}/query", timeout=QUERY_TIMEOUT).rows[0][0])
    except (QueryError, ValueError, IndexError):
        return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _compare_answers(rows: list[Row]) -> None:
    """Flag a query whose number of answers differs from govgraph's embedded one (same data, same query)."""
    ours = {(r.step, r.size): r.rows for r in rows if r.tool == "govgraph" and r.rows is not None}
    for r in rows:
        expected = ours.get((r.step, r.size))
        if r.tool != "govgraph" and r.rows is not None and expected is not None and r.rows != expected:
            r.note += f"; DIFFERS: govgraph has rows={expected}"


def _all_queries(rows: list[Row], label: str, triples: int) -> list[Row]:
    """query:all — per tool, the sum over the queries every tool answered (a steadier figure than one query)."""
    queries = [r for r in rows if r.step.startswith("query:") and r.size == label]
    tools = sorted({r.tool for r in queries})
    steps = {r.step for r in queries}
    common = [s for s in steps if all(any(r.step == s and r.tool == t and r.seconds for r in queries) for t in tools)]
    out = []
    for tool in tools:
        mine = [r for r in queries if r.tool == tool and r.step in common]
        peak = max((r.peak_mb or 0 for r in mine), default=None)
        note = f"{len(common)} queries every tool answered"
        out.append(Row("query:all", label, triples, tool, sum(r.seconds or 0 for r in mine), peak, note))
    return out


def _ratios(rows: list[Row]) -> None:
    by_step: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        by_step.setdefault((r.step, r.size), []).append(r)
    for group in by_step.values():
        times = [r.seconds for r in group if r.seconds]
        fastest = min(times, default=None)
        for r in group:
            r.ratio = r.seconds / fastest if r.seconds and fastest else None
    # Rows that are not comparable with each other get no ratio: the cold CLI commands.
    for r in rows:
        if r.step == "cli":
            r.ratio = None


# ----------------------------------------------------------------------------------- the cold CLI budget


def run_cli_cold(results: Path, log=print) -> list[Row]:
    """`govgraph build`, `govgraph validate` and `govgraph query --all` (every bundled query, one process) as
    fresh processes on the bundled dataset, as a user runs them from the shell; plus the start-up cost of one
    process and, for comparison, one single `govgraph query`."""
    govgraph = str(Path(sys.executable).parent / "govgraph")
    scratch = results / "work-cli"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    built = str(scratch / "govgraph.ttl")
    commands = [
        ("python -c pass (interpreter)", [sys.executable, "-c", "pass"]),
        ("govgraph --help (start-up)", [govgraph, "--help"]),
        ("govgraph build -o x.ttl", [govgraph, "build", "-o", built]),
        ("govgraph validate x.ttl", [govgraph, "validate", built]),
        (
            "govgraph query --all --data x.ttl",
            [govgraph, "query", "--all", "--data", built, "--output-dir", str(scratch / "queries"), "--format", "csv"],
        ),
        ("one govgraph query --data x.ttl", [govgraph, "query", "reform-tracks", "--data", built]),
    ]
    rows = []
    for name, argv in commands:
        seconds, peak, code, err = run_measured(argv, None, 600)
        ok = code == 0 or (code == 1 and "validate" in name)  # validate exits 1 when the data does not conform
        rows.append(Row("cli", "bundled", 0, name, seconds if ok else None, peak, "" if ok else f"exit {code}: {err}"))
    work = [r for r in rows if r.tool.startswith(("govgraph build", "govgraph validate", "govgraph query --all"))]
    total = sum(r.seconds or 0 for r in work)
    rows.append(Row("cli", "bundled", 0, "build + validate + all queries (total)", total))
    log(f"   cli: build + validate + query --all = {total:.2f} s (target < {CLI_TARGET_SECONDS:g} s)")
    return rows


# --------------------------------------------------------------------------------------------- reporting


def print_table(rows: list[Row], out=sys.stdout) -> None:
    header = f"{'step':<50} {'size':>7} {'tool':<38} {'seconds':>9} {'triples/s':>11} {'peak MB':>8} {'ratio':>6}  note"
    print(header, file=out)
    print("-" * len(header), file=out)
    for r in rows:
        seconds = f"{r.seconds:9.3f}" if r.seconds is not None else f"{'-':>9}"
        tps = f"{r.triples_per_second:11,.0f}" if r.triples_per_second else f"{'':>11}"
        peak = f"{r.peak_mb:8.0f}" if r.peak_mb is not None else f"{'':>8}"
        ratio = f"{r.ratio:6.2f}" if r.ratio is not None else f"{'':>6}"
        print(f"{r.step:<50} {r.size:>7} {r.tool:<38} {seconds} {tps} {peak} {ratio}  {r.note}", file=out)


def write_csv(rows: list[Row], path: Path) -> None:
    from govgraph.store import open_atomic

    with open_atomic(path) as out:
        out.write(_csv_text(rows).encode("utf-8"))


def _csv_text(rows: list[Row]) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", "size", "triples", "tool", "seconds", "triples_per_s", "peak_mb", "ratio", "note"])
    for r in rows:
        writer.writerow(
            [
                r.step,
                r.size,
                r.triples,
                r.tool,
                "" if r.seconds is None else f"{r.seconds:.4f}",
                "" if not r.triples_per_second else f"{r.triples_per_second:.0f}",
                "" if r.peak_mb is None else f"{r.peak_mb:.0f}",
                "" if r.ratio is None else f"{r.ratio:.3f}",
                r.note,
            ]
        )
    return buffer.getvalue()


def govgraph_rows(rows: list[Row], size: str) -> dict[str, Row]:
    """govgraph's row per step at one size (the embedded engine, not the endpoint)."""
    return {r.step: r for r in rows if r.size == size and r.tool == "govgraph"}


def linearity(rows: list[Row]) -> list[tuple[str, float | None, str]]:
    """(step, seconds at 1m / seconds at 100k, verdict) for govgraph; queries under 50 ms at 1m are noise."""
    small, large = govgraph_rows(rows, "100k"), govgraph_rows(rows, "1m")
    out = []
    for step, big in large.items():
        if step not in small or not big.seconds or not small[step].seconds:
            continue
        factor = big.seconds / small[step].seconds
        if step.startswith("query:") and big.seconds < 0.05:
            verdict = "n/a (< 50 ms at 1m)"
        else:
            verdict = "MET" if factor <= LINEARITY_TARGET else "NOT MET"
        out.append((step, factor, verdict))
    return out


def targets(rows: list[Row]) -> list[tuple[str, str, str]]:
    """(target, measured, MET / NOT MET) for the issue's targets, at 1m (and the CLI budget)."""
    out = []
    at_1m = govgraph_rows(rows, "1m")
    if at_1m:
        for step, floor in TARGETS.items():
            r = at_1m.get(step)
            tps = r.triples_per_second if r else None
            out.append((f"{step} ≥ {floor:,} triples/s at 1m", f"{tps:,.0f}" if tps else "-", _met(tps, floor, True)))
        queries = [r for s, r in at_1m.items() if s.startswith("query:") and s != "query:all"]
        slowest = max(queries, key=lambda r: r.seconds or float("inf"), default=None)
        if slowest is not None:
            measured = f"slowest {slowest.step[6:]} {slowest.seconds:.3f} s" if slowest.seconds else "a query failed"
            ok = slowest.seconds is not None and slowest.seconds < QUERY_TARGET_SECONDS
            out.append((f"every query < {QUERY_TARGET_SECONDS:g} s at 1m", measured, "MET" if ok else "NOT MET"))
        validate_row = at_1m.get("validate")
        if validate_row is not None:
            ratio = validate_row.ratio
            out.append(
                (
                    f"validation within {VALIDATE_TARGET_RATIO:g}x of the fastest SHACL engine at 1m",
                    f"{ratio:.2f}x" if ratio else "-",
                    _met(ratio, VALIDATE_TARGET_RATIO, False),
                )
            )
        peaks = [r.peak_mb for r in rows if r.size == "1m" and r.tool == "govgraph" and r.peak_mb]
        if peaks:
            out.append(
                (f"peak memory ≤ {MEMORY_TARGET_MB} MB at 1m", f"{max(peaks):.0f} MB", _met(max(peaks), 4096, False))
            )
        factors = linearity(rows)
        judged = [(s, f) for s, f, v in factors if not v.startswith("n/a")]
        if judged:
            step, worst = max(judged, key=lambda sf: sf[1])
            out.append(
                (f"linear: 1m/100k ≤ {LINEARITY_TARGET:g}", f"worst {worst:.1f} ({step})", _met(worst, 12, False))
            )
    else:
        out.append(("throughput, query, validation, memory targets", "not measured (run --sizes with 1m)", "-"))
    cli = next((r for r in rows if r.step == "cli" and r.tool.startswith("build + validate")), None)
    if cli is not None:
        out.append(
            (
                f"build + validate + all queries, cold, < {CLI_TARGET_SECONDS:g} s",
                f"{cli.seconds:.2f} s",
                _met(cli.seconds, CLI_TARGET_SECONDS, False),
            )
        )
    return out


def _met(value: float | None, bound: float, at_least: bool) -> str:
    if value is None:
        return "NOT MEASURED"
    return "MET" if (value >= bound if at_least else value <= bound) else "NOT MET"


def print_summary(rows: list[Row], out=sys.stdout) -> None:
    factors = linearity(rows)
    if factors:
        print("\nLinearity (govgraph, seconds at 1m / seconds at 100k; target ≤ 12):", file=out)
        for step, factor, verdict in factors:
            print(f"  {step:<52} {factor:7.1f}  {verdict}", file=out)
    print("\nTargets:", file=out)
    for name, measured, verdict in targets(rows):
        print(f"  {name:<70} {measured:<40} {verdict}", file=out)


# ------------------------------------------------------------------------------------------- the baseline


def baseline_ratios(rows: list[Row], size: str = "10k") -> dict[str, float]:
    return {step: round(r.ratio, 3) for step, r in sorted(govgraph_rows(rows, size).items()) if r.ratio is not None}


def write_baseline(rows: list[Row], path: Path = BASELINE) -> None:
    doc = {
        "about": "govgraph time / fastest tool's time per step at 10k triples (bench/run.py --write-baseline); "
        f"tests/test_bench_regression.py fails when a ratio grows more than {REGRESSION_FACTOR:g}x",
        "size": "10k",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "ratios": baseline_ratios(rows),
    }
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def regressions(rows: list[Row], baseline: dict) -> list[str]:
    """Steps whose govgraph/fastest ratio grew more than REGRESSION_FACTOR times the baseline's (ignoring
    govgraph times under NOISE_FLOOR seconds), and baseline steps that no longer measured."""
    current = govgraph_rows(rows, baseline.get("size", "10k"))
    problems = []
    for step, before in baseline["ratios"].items():
        r = current.get(step)
        if r is None or r.seconds is None or r.ratio is None:
            problems.append(f"{step}: not measured now ({r.note if r else 'no govgraph row'})")
        elif r.ratio > REGRESSION_FACTOR * before and r.seconds >= NOISE_FLOOR:
            problems.append(f"{step}: govgraph/fastest {r.ratio:.2f} > {REGRESSION_FACTOR:g} x baseline {before:.2f}")
    return problems


# ------------------------------------------------------------------------------------------------- main


def run_benchmark(
    sizes: list[str], steps: Iterable[str], results: Path = RESULTS, repeat: int | None = None, log=print
) -> list[Row]:
    steps = list(steps)
    rows: list[Row] = []
    for label in sizes:
        rows += run_size(label, steps, results, repeat, log)
    if "cli" in steps:
        rows += run_cli_cold(results, log)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m, 10m")
    parser.add_argument("--with-10m", action="store_true", help="add 10m (load, export, query; no validation)")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated subset of {', '.join(STEPS)}")
    parser.add_argument("--repeat", type=int, help=f"timed runs per tool, best counts (default {DEFAULT_REPEAT})")
    parser.add_argument("--csv", type=Path, default=RESULTS / "scale.csv", help="where to write the CSV")
    parser.add_argument("--write-baseline", action="store_true", help=f"write {BASELINE.name} from a 10k CI run")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    if args.with_10m and "10m" not in sizes:
        sizes.append("10m")
    if args.write_baseline:
        sizes, steps = ["10k"], list(CI_STEPS)
    for s in [*sizes, *steps]:
        if s not in SIZES and s not in STEPS:
            parser.error(f"unknown size or step {s!r}")
    missing = anchors.missing_tools()
    if missing:
        print(
            f"missing anchors: {', '.join(missing)} (run scripts/install-system-packages.sh; "
            "pyrudof and oxigraph come with the test extra)",
            file=sys.stderr,
        )
    rows = run_benchmark(sizes, steps, RESULTS, args.repeat)
    print()
    print_table(rows)
    print_summary(rows)
    write_csv(rows, args.csv)
    print(f"\nCSV: {args.csv}")
    if args.write_baseline:
        write_baseline(rows)
        print(f"baseline: {BASELINE}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:])
    else:
        sys.exit(main())
