"""Synthetic datasets in govgraph's own model, for benchmarks: OGP members, action plans, commitments with
IRM assessments and reports, institutions, money and provenance. A fixed seed makes the same size give the
same triples; about 1% of commitments carry one defect of a known kind.

generate() returns an rdflib Graph (small sizes); write_ntriples() streams the same triples to an N-Triples
file chunk by chunk, so 10M triples need no 10M-triple graph in memory:

    python bench/generate.py 1000000 bench/results/data-1m.nt
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from govgraph import DEFAULT_BASE_IRI
from govgraph.convert.commitments import write_commitment
from govgraph.convert.common import GraphWriter, write_source_document
from govgraph.iris import Minter
from govgraph.namespaces import GG, SCHEMA, bind_prefixes
from govgraph.records import (
    ActionPlan,
    Assessment,
    Commitment,
    Country,
    DateValue,
    IRMReport,
    SourceDocument,
    SourceRef,
)
from govgraph.sources.ogp_export import SCALES

DEFECTS = ("malformed-id", "missing-title", "wrong-scale", "negative-amount")
POLICY_AREAS = ("open-data", "public-participation", "e-government", "capacity-building", "justice", "aid")
# One commitment with its assessments, money and provenance is 94 triples of its own; the shared action plans,
# reports, members and institutions bring it to about 96 (measured: 1m gives 1.0M triples).
TRIPLES_PER_UNIT = 96
# Subjects that belong to one unit only: their triples are written once, so the streaming writer passes them
# through; every other line (a shared action plan, report, member, institution) is deduplicated.
UNIT_SUBJECTS = tuple(f"<{DEFAULT_BASE_IRI}id/{kind}/" for kind in ("commitment", "assessment", "excerpt", "money"))
UNIT_SUBJECTS_BYTES = tuple(s.encode() for s in UNIT_SUBJECTS)
CHUNK_UNITS = 500  # units per rdflib graph when streaming: ~50k triples, a few MB


def generate(triples: int, seed: int = 20261122) -> tuple[Graph, dict[str, list[str]]]:
    """About ``triples`` triples of synthetic data; returns the graph and the defects planted, by kind.

    Builds one rdflib Graph, so keep it to a few hundred thousand triples; :func:`write_ntriples` streams the
    same triples to a file at any size."""
    defects: dict[str, list[str]] = {k: [] for k in DEFECTS}
    (graph,) = _chunks(triples, seed, defects, chunk_units=None)
    bind_prefixes(graph)
    return graph, defects


def write_ntriples(triples: int, path: str | Path, seed: int = 20261122) -> dict:
    """Stream the same triples as ``generate(triples, seed)`` to an N-Triples file, chunk by chunk, without
    holding the whole graph; atomic (temporary file, then rename). Returns {"triples", "seed", "defects"}."""
    from govgraph.store import open_atomic

    defects: dict[str, list[str]] = {k: [] for k in DEFECTS}
    seen_shared: set[bytes] = set()
    count = 0
    with open_atomic(path) as out:
        for chunk in _chunks(triples, seed, defects, chunk_units=CHUNK_UNITS):
            lines = []
            for line in chunk.serialize(format="nt", encoding="utf-8").splitlines():
                if not line or (not line.startswith(UNIT_SUBJECTS_BYTES) and line in seen_shared):
                    continue
                if not line.startswith(UNIT_SUBJECTS_BYTES):
                    seen_shared.add(line)
                lines.append(line)
            out.write(b"\n".join(lines) + b"\n")
            count += len(lines)
    return {"triples": count, "seed": seed, "defects": defects}


def _chunks(triples: int, seed: int, defects: dict[str, list[str]], chunk_units: int | None) -> Iterator[Graph]:
    """The synthetic units as rdflib graphs of ``chunk_units`` units each (None: one graph). One random
    generator runs through all of them, so the chunking does not change the data."""
    rng = random.Random(seed)
    units = max(1, triples // TRIPLES_PER_UNIT)
    step = chunk_units or units
    countries = [Country(f"C{chr(65 + i // 26)}{chr(65 + i % 26)}", f"Country {i}", "europe") for i in range(60)]
    for start in range(0, units, step):
        graph = Graph()
        w = GraphWriter(graph, Minter())
        if start == 0:
            write_source_document(w, SourceDocument("synthetic", "Synthetic benchmark data", "en", "synthetic.nt"))
        for n in range(start, min(units, start + step)):
            _write_unit(w, n, rng, countries, defects)
        yield graph


def _write_unit(w: GraphWriter, n: int, rng: random.Random, countries: list[Country], defects: dict) -> None:
    """Unit ``n``: one commitment with eight IRM assessments, an amount of money, their provenance and
    (for about 1% of units) one planted defect, recorded in ``defects`` by kind."""
    graph = w.graph
    criteria = list(SCALES)
    country = countries[n % len(countries)]
    plan_no = 1 + (n // len(countries)) % 5
    plan = ActionPlan(
        f"ap-{country.code.lower()}{plan_no:02d}",
        f"{country.name} action plan {plan_no}",
        f"AP_{country.code}{plan_no:02d}",
        country,
        plan_no,
        2010 + 2 * plan_no,
        2012 + 2 * plan_no,
        2,
    )
    # Unique for n < 60 * 10000 units (57M triples): the country, then a number per country.
    cid = f"{country.code}{(n // len(countries)) % 10000:04d}"
    source = SourceRef("synthetic", n + 2, n + 2, f"row {cid}")
    report = IRMReport(
        f"{plan.key}-progress-report-{plan.cycle_year + 1}",
        f"IRM progress report on {plan.label}",
        "progress-report",
        plan.key,
        plan.cycle_year + 1,
    )
    assessments = []
    for criterion in rng.sample(criteria, 8):
        value = rng.choice(sorted(set(SCALES[criterion].values())))
        assessments.append(Assessment(criterion, value, "classic", report, source))
    c = Commitment(
        id=cid,
        title=f"Synthetic commitment {n}",
        source=source,
        country=country,
        level="national",
        action_plan=plan,
        number=str(n % 30 + 1),
        start=DateValue("2016", "2016", "gYear"),
        status=rng.choice(["active", "inactive"]),
        lead_institutions=(f"Ministry {n % 97}",),
        policy_areas=tuple(rng.sample(POLICY_AREAS, 2)),
        ogp_values=("access-to-information",),
        description=f"What commitment {n} sets out to do.",
        assessments=tuple(assessments),
        page_url=f"https://www.opengovpartnership.org/members/c/commitments/{cid}/",
    )
    s = write_commitment(w, c)
    money = w.iri("money", f"synthetic-{n}")
    w.add(money, RDF.type, GG.MonetaryAmount)
    w.label(money, f"DKK {n} million", "en")
    w.add(money, SCHEMA.value, Literal(f"{n * 1000000}.0", datatype=XSD.decimal))
    w.add(money, SCHEMA.currency, Literal("DKK"))
    w.year(money, GG.year, 2020)
    w.add(money, GG.about, s)
    w.derived_from(money, source)
    if rng.random() < 0.01:
        kind = DEFECTS[sum(map(len, defects.values())) % len(DEFECTS)]
        focus = {"wrong-scale": w.iri("assessment", f"synthetic-{n}-bad"), "negative-amount": money}.get(kind, s)
        defects[kind].append(str(focus))
        if kind == "malformed-id":
            graph.set((s, DCTERMS.identifier, Literal(cid.lower())))
        elif kind == "missing-title":
            graph.remove((s, DCTERMS.title, None))
        elif kind == "wrong-scale":
            a = w.iri("assessment", f"synthetic-{n}-bad")
            w.add(a, RDF.type, GG.IRMAssessment)
            w.label(a, "bad", "en")
            for p, o in ((GG.assessedCommitment, s), (GG.report, w.iri("irm-report", report.key))):
                w.add(a, p, o)
            w.concept(a, GG.criterion, "irm-criterion", "specificity")
            w.concept(a, GG.methodology, "irm-methodology", "classic")
            w.concept(a, GG.value, "irm-classic-completion", "complete")
            w.derived_from(a, source)
        else:
            graph.set((money, SCHEMA.value, Literal("-1.0", datatype=XSD.decimal)))


def main() -> None:
    triples, out = int(sys.argv[1]), Path(sys.argv[2])
    meta = write_ntriples(triples, out)
    summary = ", ".join(f"{k} {len(v)}" for k, v in meta["defects"].items())
    print(f"{out}: {meta['triples']} triples, defects: {summary}")


if __name__ == "__main__":
    main()
