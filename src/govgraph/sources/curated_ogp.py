"""Curated OGP records (ogp-denmark.yaml, documents.yaml) → the same typed records the OGP readers give."""

from __future__ import annotations

from collections import defaultdict

from govgraph.iris import slugify
from govgraph.records import ActionPlan, Assessment, Commitment, Country, IRMReport, SourceDocument
from govgraph.sources.curated import CuratedData

COUNTRIES = {"DNK": Country("DNK", "Denmark", "europe")}


def _en(text: dict[str, str]) -> str:
    return text.get("en") or next(iter(text.values()))


def source_documents(data: CuratedData) -> list[SourceDocument]:
    docs = []
    for e in data.of("source"):
        f = e.fields
        language = f["language"]
        title = f["title"].get(language) or _en(f["title"])
        description = f.get("description", {}).get("en")
        docs.append(
            SourceDocument(
                e.key,
                title,
                language,
                f.get("file"),
                f.get("sha256"),
                f.get("publisher"),
                f.get("issued"),
                f.get("url"),
                description,
            )
        )
    return docs


def curated_commitments(data: CuratedData) -> list[Commitment]:
    plans = {}
    for e in data.of("action-plan"):
        f = e.fields
        plans[e.key] = ActionPlan(
            e.key,
            _en(f["label"]),
            f.get("ogp_id"),
            COUNTRIES.get(f["country"]) or Country(f["country"], f.get("country_name") or f["country"]),
            None,
            f["cycle_year"],
            f.get("end_year"),
            None,
            e.source,
        )
    reports = {}
    for e in data.of("irm-report"):
        f = e.fields
        reports[e.key] = IRMReport(e.key, _en(f["label"]), f["kind"], f["action_plan"], f.get("year"), e.source)
    assessments: dict[str, list[Assessment]] = defaultdict(list)
    for e in data.of("assessment"):
        f = e.fields
        assessments[f["commitment"]].append(
            Assessment(f["criterion"], f["value"], f["methodology"], reports[f["report"]], e.source, f.get("comment"))
        )
    commitments = []
    for e in data.of("commitment"):
        f = e.fields
        plan = plans[f["action_plan"]]
        detail = f.get("detail_source")
        commitments.append(
            Commitment(
                id=e.key,
                title=f["title"],
                source=e.source,
                extra_sources=(detail,) if detail else (),
                description=f.get("description"),
                country=plan.country,
                action_plan=plan,
                status=f.get("status"),
                lead_institutions=tuple(f.get("lead_institutions", ())),
                supporting_institutions=tuple(f.get("supporting_institutions", ())),
                policy_areas=tuple(f["policy_areas"]),
                starred=f.get("starred", False),
                # The OGP's page of the commitment, for the members whose pages are known to exist.
                page_url=f"https://www.opengovpartnership.org/members/{slugify(plan.country.name)}/commitments/{e.key}/"
                if plan.country and plan.country.code in COUNTRIES
                else None,
                assessments=tuple(assessments.get(e.key, ())),
            )
        )
    return commitments
