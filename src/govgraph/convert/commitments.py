"""OGP commitments, their action plans, members, IRM reports and assessments → triples."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from govgraph.authorities import eu_country
from govgraph.convert.common import GraphWriter, text_key
from govgraph.iris import slugify
from govgraph.namespaces import CV, GG, ORG, concept
from govgraph.records import ActionPlan, Assessment, Commitment, Country, IRMReport, SourceRef


def write_commitments(w: GraphWriter, commitments: Iterable[Commitment]) -> None:
    for c in commitments:
        write_commitment(w, c)


def write_commitment(w: GraphWriter, c: Commitment) -> URIRef:
    s = w.iri("commitment", c.id)
    w.add(s, RDF.type, GG.Commitment)
    w.add(s, DCTERMS.identifier, Literal(c.id))
    w.label(s, c.short_title or c.title, c.language)
    w.text(s, DCTERMS.title, c.title, c.language)
    if c.short_title and c.short_title != c.title:
        w.text(s, GG.shortTitle, c.short_title, c.language)
    w.text(s, DCTERMS.description, c.description, c.language)
    if c.page_url:
        w.add(s, RDFS.seeAlso, URIRef(c.page_url))
    if c.country:
        w.add(s, GG.member, write_country(w, c.country, c.source))
    w.concept(s, GG.governmentLevel, "ogp-commitment-level", c.level)
    if c.action_plan:
        w.add(s, GG.actionPlan, write_action_plan(w, c.action_plan, c.source))
    if c.number:
        w.add(s, GG.commitmentNumber, Literal(c.number))
    w.text(s, GG.theme, c.theme, c.language)
    w.date(s, GG.startDate, GG.startDateText, c.start)
    w.date(s, GG.endDate, GG.endDateText, c.end)
    w.concept(s, GG.status, "commitment-status", c.status)
    for name in c.lead_institutions:
        w.add(s, GG.leadInstitution, _institution(w, name, c))
    for name in c.supporting_institutions:
        w.add(s, GG.supportingInstitution, _institution(w, name, c))
    w.text(s, GG.supportingInstitutionsText, c.supporting_text, c.language)
    for area in c.policy_areas:
        w.concept(s, GG.policyArea, "policy-area", area)
    for value in c.ogp_values:
        w.concept(s, GG.ogpValue, "ogp-value", value)
    if c.starred is not None:
        w.add(s, GG.starred, Literal(c.starred))
    for other in c.clustered_with:
        w.add(s, GG.clusteredWith, w.iri("commitment", other))
    for ref in (c.source, *c.extra_sources):
        w.derived_from(s, ref)
    for a in c.assessments:
        write_assessment(w, s, c, a)
    return s


def _institution(w: GraphWriter, name: str, c: Commitment) -> URIRef:
    """An institution named in free text by an OGP source: a curated key when one is given (a slug), else a
    key minted from the member's code and the name, so that two countries' 'Ministry of Justice' differ."""
    if slugify(name) == name:  # already a curated key
        return w.iri("institution", name)
    prefix = c.country.code.lower() + "-" if c.country else ""
    s = w.iri("institution", prefix + text_key(name, 70))
    if (s, RDF.type, ORG.Organization) not in w.graph:
        w.add(s, RDF.type, ORG.Organization)
        w.add(s, RDF.type, CV.PublicOrganisation)
        w.label(s, name, c.language)
        w.derived_from(s, c.source)
    return s


def write_country(w: GraphWriter, country: Country, source: SourceRef | None) -> URIRef:
    s = w.iri("member", slugify(country.code))
    if (s, RDF.type, GG.OGPMember) not in w.graph:
        w.add(s, RDF.type, GG.OGPMember)
        w.label(s, country.name, "en")
        w.add(s, DCTERMS.identifier, Literal(country.code))
        if country.national:  # five-star link: the country in the EU's country table (keyed by ISO 3166 alpha-3)
            w.add(s, DCTERMS.spatial, eu_country(country.code))
        w.concept(s, GG.ogpRegion, "ogp-region", country.region)
        if source:
            w.derived_from(s, source)
    return s


def write_action_plan(w: GraphWriter, plan: ActionPlan, cited_in: SourceRef) -> URIRef:
    """Action plans are shared by many commitments: written once, later facts filling gaps only."""
    s = w.iri("action-plan", plan.key)
    g = w.graph
    first = (s, RDF.type, GG.ActionPlan) not in g
    if first:
        w.add(s, RDF.type, GG.ActionPlan)
        w.label(s, plan.label, "en")
        w.derived_from(s, plan.source or cited_in)
    if plan.ogp_id and g.value(s, DCTERMS.identifier) is None:
        w.add(s, DCTERMS.identifier, Literal(plan.ogp_id))
    if plan.country and g.value(s, GG.member) is None:
        w.add(s, GG.member, write_country(w, plan.country, plan.source))
    for p, value, kind in (
        (GG.actionPlanNumber, plan.number, "int"),
        (GG.cycleYear, plan.cycle_year, "year"),
        (GG.endYear, plan.end_year, "year"),
        (GG.durationYears, plan.duration_years, "int"),
    ):
        if value is not None and g.value(s, p) is None:
            (w.integer if kind == "int" else w.year)(s, p, value)
    return s


def write_irm_report(w: GraphWriter, report: IRMReport, cited_in: SourceRef) -> URIRef:
    """An IRM report, written once; known from its own source or else from the first record citing it."""
    s = w.iri("irm-report", report.key)
    if (s, RDF.type, GG.IRMReport) in w.graph:
        return s
    w.add(s, RDF.type, GG.IRMReport)
    w.label(s, report.label, "en")
    w.concept(s, GG.reportType, "irm-report-type", report.kind)
    if report.action_plan:
        w.add(s, GG.actionPlan, w.iri("action-plan", report.action_plan))
    w.year(s, GG.publicationYear, report.year)
    w.derived_from(s, report.source or cited_in)
    return s


def assessment_key(commitment_id: str, a: Assessment) -> str:
    return slugify(f"{commitment_id} {a.report.key} {a.criterion}")


def write_assessment(w: GraphWriter, commitment: URIRef, c: Commitment, a: Assessment) -> URIRef:
    s = w.iri("assessment", assessment_key(c.id, a))
    w.add(s, RDF.type, GG.IRMAssessment)
    w.label(s, f"{c.id} {a.criterion.replace('-', ' ')}: {a.value.replace('-', ' ')} ({a.report.label})", "en")
    w.add(s, GG.assessedCommitment, commitment)
    w.add(s, GG.criterion, URIRef(concept("irm-criterion", a.criterion)))
    w.add(s, GG.value, URIRef(concept(a.scale, a.value)))
    w.add(s, GG.methodology, URIRef(concept("irm-methodology", a.methodology)))
    w.add(s, GG.report, write_irm_report(w, a.report, a.source))
    w.text(s, RDFS.comment, a.comment, "en")
    w.derived_from(s, a.source)
    return s


__all__ = ["write_commitment", "write_commitments"]
