"""Synthetic datasets in govgraph's own model, for benchmarks: OGP members, action plans, commitments with
IRM assessments and reports, institutions, programmes with initiatives, money and provenance. A fixed seed
makes the same size give the same file; about 1% of commitments carry one defect of a known kind.

    python bench/generate.py 100000 bench/results/data-100k.nt
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from govgraph.convert.commitments import write_commitment
from govgraph.convert.common import GraphWriter, write_source_document
from govgraph.export import serialize
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
TRIPLES_PER_UNIT = 117  # measured: one commitment with its assessments, money and provenance


def generate(triples: int, seed: int = 20261122) -> tuple[Graph, dict[str, list[str]]]:
    """About ``triples`` triples of synthetic data; returns the graph and the defects planted, by kind."""
    rng = random.Random(seed)
    graph = Graph()
    bind_prefixes(graph)
    w = GraphWriter(graph, Minter())
    doc = SourceDocument("synthetic", "Synthetic benchmark data", "en", "synthetic.nt")
    write_source_document(w, doc)
    defects: dict[str, list[str]] = {k: [] for k in DEFECTS}
    units = max(1, triples // TRIPLES_PER_UNIT)
    countries = [Country(f"C{chr(65 + i // 26)}{chr(65 + i % 26)}", f"Country {i}", "europe") for i in range(60)]
    criteria = list(SCALES)
    for n in range(units):
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
        cid = f"{country.code}{n % 10000:04d}"  # unique for n < lcm(60, 10000) = 30000 commitments
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
    return graph, defects


def main() -> None:
    triples, out = int(sys.argv[1]), Path(sys.argv[2])
    graph, defects = generate(triples)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(serialize(graph, "nt"))
    print(f"{out}: {len(graph)} triples, defects: " + ", ".join(f"{k} {len(v)}" for k, v in defects.items()))


if __name__ == "__main__":
    main()
