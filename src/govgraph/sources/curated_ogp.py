"""Curated OGP records (ogp-denmark.yaml, documents.yaml) → the same typed records the OGP readers give.

The curated facts of the OGP's commitment pages (commitment_pages) are read with the page reader's rules, so
that a fact means the same whether it comes from a saved page or from the curated file."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.iris import slugify
from govgraph.records import ActionPlan, Assessment, Commitment, Country, IRMReport, SourceDocument, SourceRef
from govgraph.sources.ogp_page import (
    KNOWN_POLICY_AREAS,
    Field,
    GlanceFacts,
    check_glance,
    glance_facts,
    minted_report_key,
    policy_area_key,
)
from govgraph.sources.schema import CuratedData

COUNTRIES = {"DNK": Country("DNK", "Denmark", "europe", national=True)}


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
    plan_of = {e.key: e.fields["action_plan"] for e in data.of("commitment")}
    pages = _page_facts(data, plans, plan_of, list(reports.values()))
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
        commitments[-1] = _with_page_facts(commitments[-1], pages.get(e.key, []))
    return commitments


# The At-a-Glance field each key of a curated page entry holds (ogp-denmark.yaml, commitment_pages).
PAGE_FIELDS = {
    "action_plan": "Action Plan",
    "cycle_year": "Action Plan Cycle",
    "status": "Status",
    "lead_institution": "Lead Institution",
    "irm_reports": "IRM Report",
    "starred": "Starred",
    "early_results": "Early Results",
    "verifiable": "Verifiable",
    "relevant_to_ogp_values": "Relevant to OGP Values",
    "potential_impact": "Potential Impact",
    "potential_for_results": "Potential for Results",
    "ambition": "Ambition (see definition)",
    "completion": "Completion",
}


def _page_facts(
    data: CuratedData, plans: dict[str, ActionPlan], plan_of: dict[str, str], curated_reports: list[IRMReport]
) -> dict[str, list[tuple[GlanceFacts, SourceRef]]]:
    """The facts of the curated commitment pages, per commitment, read with the page reader's rules; in the
    file's order (oldest stored version of a page first). A rating from a report that its page does not
    name goes to the plan's only report of that kind that the curated data or another page names."""
    out: dict[str, list[tuple[GlanceFacts, SourceRef]]] = defaultdict(list)
    errors: dict[str, ErrorCollector] = {}
    for e in data.of("commitment-page"):
        f = e.fields
        collect = errors.setdefault(e.file, ErrorCollector(e.file))
        cid = f["commitment"]
        if cid not in plan_of:
            collect.add(e.line, f"unknown commitment {cid!r}", "commitment")
            continue
        glance = {
            name: Field(", ".join(f[key]) if isinstance(f[key], list) else str(f[key]), e.line)
            for key, name in PAGE_FIELDS.items()
            if key in f
        }
        check_glance(glance, collect)
        areas = f.get("policy_areas", [])
        for area in areas:
            if policy_area_key(area) not in KNOWN_POLICY_AREAS:
                collect.add(
                    e.line, f"the policy area {area!r} has no concept in the policy-area scheme", "policy_areas"
                )
        plan = plans[plan_of[cid]]
        out[cid].append((glance_facts(glance, areas, plan.country, e.source, known_plan=plan), e.source))
    problems = [err for c in errors.values() for err in c.errors]
    if problems:
        raise InputErrors(problems)
    named: dict[str, dict[str, IRMReport]] = defaultdict(dict)
    for report in (*curated_reports, *(r for facts in out.values() for f, _ in facts for r in f.reports)):
        if report.kind and report.action_plan:
            named[minted_report_key(plans[report.action_plan], report.kind)].setdefault(report.key, report)

    def named_report(a: Assessment) -> Assessment:
        candidates = list(named.get(a.report.key, {}).values())
        return dataclasses.replace(a, report=candidates[0]) if len(candidates) == 1 else a

    return {
        cid: [
            (dataclasses.replace(f, assessments=tuple(map(named_report, f.assessments))), source) for f, source in facts
        ]
        for cid, facts in out.items()
    }


def _with_page_facts(c: Commitment, pages: list[tuple[GlanceFacts, SourceRef]]) -> Commitment:
    """The seed's record with what the pages add: the pages' policy areas beside the seed's (the site renamed
    areas over the years; both are kept), status, lead institution, OGP values and the IRM's ratings, each
    rating citing its page. The seed's "Starred commitment" badge stays gg:starred; a page's "Starred:"
    line is the IRM's starred rating in the report it names."""
    if not pages:
        return c
    assessments = list(c.assessments)
    seen: dict[tuple[str, str], Assessment] = {(a.report.key, a.criterion): a for a in assessments}
    for facts, _ in pages:
        for a in facts.assessments:
            first = seen.setdefault((a.report.key, a.criterion), a)
            if first.value != a.value:
                raise InputErrors(
                    [
                        InputError(
                            a.source.document,
                            None,
                            f"{c.id}: {a.criterion} in {a.report.label} is {a.value!r} here and {first.value!r} "
                            f"in {first.source.document}; one assessment cannot have two values",
                        )
                    ]
                )
            assessments.append(a)
    statuses = [facts.status for facts, _ in pages if facts.status]
    return dataclasses.replace(
        c,
        status=c.status or (statuses[-1] if statuses else None),
        lead_institutions=tuple(
            dict.fromkeys((*c.lead_institutions, *(n for p, _ in pages for n in p.lead_institutions)))
        ),
        policy_areas=tuple(dict.fromkeys((*c.policy_areas, *(a for p, _ in pages for a in p.policy_areas)))),
        ogp_values=tuple(dict.fromkeys((*c.ogp_values, *(v for p, _ in pages for v in p.ogp_values)))),
        assessments=tuple(assessments),
        extra_sources=(*c.extra_sources, *(source for _, source in pages)),
    )
