"""The shapes are portable standard SHACL: Apache Jena SHACL, an independent engine, gives the same verdict and
the same results (focus node, path, component, severity) as pySHACL on every example and on the built dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.jena import jena_validate, report_results
from rdflib import Graph

from govgraph.build import add_vocabulary, build
from govgraph.export import serialize
from govgraph.inputs import read_graph
from govgraph.validate import shape_files, validate

EXAMPLES = Path(__file__).parent / "examples"
BASE = EXAMPLES / "valid" / "base.ttl"
CASES = {"valid-base": [BASE]} | {f"invalid-{p.stem}": [BASE, p] for p in sorted((EXAMPLES / "invalid").glob("*.ttl"))}


def _both(graph: Graph, tmp_path: Path):
    data = tmp_path / "data.nt"
    data.write_bytes(serialize(graph, "nt"))
    ours = report_results(validate(graph).report_graph)
    # The shapes files exactly as shipped: Jena reads them unmodified (messages are not compared).
    theirs = jena_validate(shape_files(), data)
    return ours, theirs


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_jena_agrees_with_pyshacl_on_every_example(jena: str, case: str, tmp_path: Path) -> None:
    graph = read_graph(CASES[case])
    add_vocabulary(graph)
    ours, theirs = _both(graph, tmp_path)
    assert theirs.results == ours
    assert (len(ours) == 0) == (case == "valid-base")


@pytest.mark.slow
def test_jena_agrees_on_the_built_dataset(jena: str, tmp_path: Path) -> None:
    ours, theirs = _both(build(), tmp_path)
    assert theirs.results == ours
    assert all(severity.endswith(("Warning", "Info")) for _, _, _, severity in ours)
