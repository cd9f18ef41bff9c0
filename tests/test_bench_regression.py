"""The scale benchmark as a CI regression check: at 10k triples, govgraph's time relative to the fastest
anchor engine of each step (load, export, validate, every query) must not grow more than 3x over the ratio
committed in bench/baseline.json. Ratios, not seconds, so that a slower CI machine does not fail it.
Regenerate the baseline with `python bench/run.py --sizes 10k --write-baseline`."""

from __future__ import annotations

import json
import re
import weakref
from pathlib import Path

import pytest
from bench import run
from bench.anchors import best_of, missing_tools
from bench.generate import generate, write_ntriples
from rdflib import Graph

from govgraph.query import list_queries

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def anchors_installed(system_packages: None) -> None:
    """serdi, rapper and Jena (Debian, via the system_packages fixture), pyrudof and the oxigraph server (the
    test extra). A missing one fails the test; it never skips."""
    still = missing_tools()
    if still:
        pytest.fail(f"benchmark anchors missing: {', '.join(still)}", pytrace=False)


@pytest.mark.slow
def test_10k_ratios_stay_within_3x_of_the_baseline(anchors_installed, tmp_path: Path) -> None:
    baseline = json.loads(run.BASELINE.read_text(encoding="utf-8"))
    rows = run.run_benchmark(["10k"], run.CI_STEPS, results=tmp_path, log=lambda *_: None)
    table = _table(rows)
    problems = run.regressions(rows, baseline)
    assert not problems, "\n".join(["slower than the baseline allows:", *problems, table])
    # Every SHACL engine found every planted defect, and the anchors agree with govgraph's results.
    validators = [r for r in rows if r.step == "validate"]
    assert {r.tool for r in validators} == {"govgraph", "pyrudof", "jena", "pyshacl"}, table
    for r in validators:
        planted = r.note.split("planted ")[1].split(";")[0]
        found, total = planted.split("/")
        assert found == total != "0", f"{r.tool}: {r.note}"
        assert r.tool == "govgraph" or "same results as govgraph" in r.note, f"{r.tool}: {r.note}"
    # Every load tool ran, and both govgraph rows (the file as generated, and its lines sorted) hold every triple.
    loads = {r.tool: r for r in rows if r.step == "load"}
    assert set(loads) == set(run.TOOLS["load"]) and all(r.seconds for r in loads.values()), table
    for tool in ("govgraph", run.SORTED):
        assert loads[tool].note == f"{loads[tool].triples} triples in a queryable store", table
    queries = [r for r in rows if r.step.startswith("query:") and r.step != "query:all" and r.tool == "govgraph"]
    assert len(queries) == len(list_queries()) and all(r.seconds is not None for r in queries), table
    # The diff step compares the data with a next version of it: govgraph and rdflib count the same change.
    diffs = {r.tool: r for r in rows if r.step == "diff"}
    assert set(diffs) == set(run.TOOLS["diff"]) and all(r.seconds for r in diffs.values()), table
    added, removed = (int(n) for n in re.fullmatch(r"(\d+) added, (\d+) removed", diffs["govgraph"].note).groups())
    assert added > 0 and removed > added and diffs["rdflib"].note == diffs["govgraph"].note, table


def _table(rows) -> str:
    import io

    out = io.StringIO()
    run.print_table(rows, out)
    return out.getvalue()


def _row(step: str, tool: str, seconds: float | None, ratio: float | None) -> run.Row:
    return run.Row(step, "10k", 10_000, tool, seconds, ratio=ratio)


def test_the_check_compares_ratios_and_ignores_timer_noise() -> None:
    baseline = {"size": "10k", "ratios": {"load": 2.0, "query:a": 1.0, "query:b": 1.0, "export-turtle": 1.0}}
    rows = [
        _row("load", "govgraph", 0.5, 5.9),  # within 3 x 2.0
        _row("query:a", "govgraph", 0.3, 3.5),  # 3.5 > 3 x 1.0: a regression
        _row("query:b", "govgraph", 0.004, 9.0),  # 4 ms: timer noise, not judged
        _row("export-turtle", "govgraph", None, None),  # failed to run: a problem too
        _row("validate", "govgraph", 9.0, 50.0),  # not in the baseline: not judged
    ]
    problems = run.regressions(rows, baseline)
    assert [p.split(": ")[0] for p in problems] == ["query:a", "export-turtle"]


def test_the_committed_baseline_covers_every_ci_step() -> None:
    baseline = json.loads(run.BASELINE.read_text(encoding="utf-8"))
    steps = set(baseline["ratios"])
    assert {"load", "export-turtle", "export-ntriples", "validate", "query:all", "diff"} <= steps
    assert all(ratio >= 1.0 for ratio in baseline["ratios"].values())


def test_streamed_file_holds_the_same_triples_as_the_generated_graph(tmp_path: Path) -> None:
    graph, defects = generate(5_000)
    meta = write_ntriples(5_000, tmp_path / "data.nt")
    streamed = Graph()
    streamed.parse(tmp_path / "data.nt", format="nt")
    assert set(streamed) == set(graph)
    assert meta["triples"] == len(graph) == len((tmp_path / "data.nt").read_bytes().splitlines())  # no duplicates
    assert meta["defects"] == defects and sum(map(len, defects.values())) >= 1


def test_a_repeated_run_never_holds_the_previous_result() -> None:
    """Regression: best_of kept each run's result (a loaded store) alive through the next run, so the load
    step's peak memory counted two stores."""
    alive: list[weakref.ref] = []

    class Loaded:
        pass

    def load() -> Loaded:
        assert all(ref() is None for ref in alive), "the previous result is still held"
        loaded = Loaded()
        alive.append(weakref.ref(loaded))
        return loaded

    _, last = best_of(3, load)
    assert len(alive) == 3 and alive[-1]() is last
