"""The bundled queries are portable: Apache Jena's ARQ (Debian's libapache-jena-java, installed by
scripts/install-system-packages.sh) returns the same rows as the embedded store for every one of them, as
Virtuoso does in test_virtuoso.py. Each query runs in `arq.sparql` over the built dataset, with its example's
parameters in the VALUES block an endpoint would get.

One JVM per query: a class-data-sharing archive made by the first run, two at a time, keep the 29 runs
to about 20 s on an idle machine."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from govgraph.query import (
    QueryResult,
    bind_params,
    example_params,
    get_query,
    inject_values,
    list_queries,
    run_query,
    store_from_graph,
)
from govgraph.query.remote import _parse_answer

from .test_virtuoso import rows_of

pytestmark = pytest.mark.slow

QUERIES = [q.name for q in list_queries()]
# Start-up matters here, not peak speed; the JVM's own warnings (CDS) go to stderr, not into the results.
JVM = [
    *("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:CICompilerCount=1", "-Xss8m"),
    *("-Xlog:disable", "-Xlog:all=warning:stderr"),
]


@pytest.fixture(scope="module")
def jena_answers(jena: str, built_graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, QueryResult]:
    """Every bundled query's answer from Jena ARQ: {name: result}."""
    from bench.jena import java_executable

    java = java_executable()
    root = tmp_path_factory.mktemp("jena-queries")
    data = root / "govgraph.nt"
    built_graph.serialize(data, format="nt", encoding="utf-8")
    archive = root / "jena.jsa"

    def answer(name: str, cds: list[str]) -> QueryResult:
        info = get_query(name)
        query = root / f"{name}.rq"
        query.write_text(inject_values(info.text, bind_params(info, example_params(info))), encoding="utf-8")
        graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
        done = subprocess.run(
            [java, *JVM, *cds, "-cp", jena, "arq.sparql", "--data", str(data), "--query", str(query),
             f"--results={'nt' if graph_form else 'json'}"],
            capture_output=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"arq.sparql failed on {name}: {done.stderr.decode(errors='replace')}", pytrace=False)
        media_type = "application/n-triples" if graph_form else "application/sparql-results+json"
        return _parse_answer(done.stdout, media_type, info.form, f"Jena ARQ ({name})")

    first, *others = QUERIES
    answers = {first: answer(first, [f"-XX:ArchiveClassesAtExit={archive}"])}
    shared = [f"-XX:SharedArchiveFile={archive}"] if archive.exists() else []
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers.update(zip(others, pool.map(lambda name: answer(name, shared), others), strict=True))
    return answers


@pytest.fixture(scope="module")
def store(built_graph):
    return store_from_graph(built_graph)


@pytest.mark.parametrize("name", QUERIES)
def test_jena_answers_as_the_embedded_store(name: str, jena_answers: dict[str, QueryResult], store) -> None:
    info = get_query(name)
    local = run_query(info, example_params(info), graph=store)
    remote = jena_answers[name]
    assert remote.variables == local.variables
    assert remote.boolean == local.boolean
    if info.form == "SELECT" and info.order == "list":
        assert rows_of(remote) == rows_of(local)
    else:
        assert sorted(rows_of(remote)) == sorted(rows_of(local))
    assert local.rows or local.boolean is not None
