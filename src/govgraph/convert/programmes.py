"""Curated records of the reform documents (programmes, tracks, initiatives, boxes, principles, goals,
targets, money, figures, events, institutions, roles, links) → triples.

Each kind's fields map to predicates through the tables below, so a newcomer can read off where any
YAML field ends up.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from govgraph.convert.common import GraphWriter
from govgraph.iris import slugify
from govgraph.namespaces import CV, GG, ORG, SCHEMA
from govgraph.sources.schema import CuratedData, Entity

PROGRAMME_CLASSES = {
    "reform": GG.Reform,
    "strategy": GG.Strategy,
    "action-plan": GG.ActionPlan,
    "agreement": GG.Agreement,
    "programme": GG.Programme,
    "plan": GG.Plan,
    "charter": GG.Charter,
    "law": GG.Law,
    "proposal": GG.Proposal,
    "publication": GG.Publication,
    "target": GG.PolicyTarget,
    "pilot": GG.PilotScheme,
}
CLASSES = {
    "track": GG.Track,
    "initiative": GG.Initiative,
    "box": GG.Box,
    "principle": GG.Principle,
    "goal": GG.Goal,
    "target": GG.Target,
    "money": GG.MonetaryAmount,
    "figure": GG.Figure,
    "event": GG.Event,
}
PUBLIC_KINDS = {
    "government",
    "ministry",
    "minister",
    "agency",
    "municipality",
    "region",
    "parliament",
    "education",
    "hospital",
    "centre",
    "commission",
    "embassy",
}

# Bare-key reference fields: field -> (kind of the referenced record, predicate).
KEY_REFS = {
    "programme": ("programme", GG.partOfProgramme),
    "track": ("track", GG.track),
    "box": ("box", GG.listedInBox),
    "goal": ("goal", GG.goal),
    "part_of": ("programme", DCTERMS.isPartOf),
    "issued_by": ("institution", GG.issuedBy),
    "agreed_by": ("institution", GG.agreedBy),
    "participants": ("institution", GG.participant),
    "total_of": ("box", GG.statedTotalOf),
}
TEXT_FIELDS = {
    "label": RDFS.label,
    "description": DCTERMS.description,
    "indicator": GG.indicator,
    "purpose": GG.purpose,
}
DATE_FIELDS = {
    "issued": DCTERMS.issued,
    "start": GG.startDate,
    "end": GG.endDate,
    "agreed": GG.agreedDate,
    "date": DCTERMS.date,
}
YEAR_FIELDS = {"target_year": GG.targetYear, "baseline_year": GG.baselineYear, "year": GG.year}
DECIMAL_FIELDS = {"value": SCHEMA.value, "amount": SCHEMA.value, "baseline_value": GG.baselineValue}
CONCEPT_FIELDS = {
    "unit": ("unit", GG.unit),
    "direction": ("target-direction", GG.direction),
    "qualifier": ("qualifier", GG.qualifier),
}

ROLE_PREDICATES = {
    "issued": GG.issuedBy,
    "leads": GG.leadInstitution,
    "supports": GG.supportingInstitution,
    "agreed": GG.agreedBy,
    "evaluated": GG.evaluatedBy,
    "developed": GG.developedBy,
    "on-behalf-of": GG.onBehalfOf,
    "member-of": GG.hasMember,
    "participates": GG.participant,
    "responsible": GG.responsibleInstitution,
    "invited": GG.invitedInstitution,
}
LINK_PREDICATES = {
    "related": GG.relatedTo,
    "implements": GG.implements,
    "same-as": SKOS.exactMatch,
    "part-of": DCTERMS.isPartOf,
    "follows-up": GG.followsUp,
    "continues": GG.continues,
    "evaluates": GG.evaluates,
}
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def ref_iri(w: GraphWriter, ref: str) -> URIRef:
    kind, key = ref.split("/", 1)
    return w.iri(kind, key)


def write_curated(w: GraphWriter, data: CuratedData) -> None:
    for e in data.entities:
        if e.kind == "institution":
            write_institution(w, e)
        elif e.kind == "programme" or e.kind in CLASSES:
            write_entity(w, e)
        elif e.kind == "role":
            write_role(w, e)
        elif e.kind == "link":
            write_link(w, e)


def write_entity(w: GraphWriter, e: Entity) -> URIRef:
    s = w.iri(e.kind, e.key)
    f = e.fields
    if e.kind == "programme":
        w.add(s, RDF.type, PROGRAMME_CLASSES[f["kind"]])
    else:
        w.add(s, RDF.type, CLASSES[e.kind])
    if e.kind == "initiative" and f.get("kind") == "process":
        w.add(s, RDF.type, GG.ProcessInitiative)
    if e.kind == "goal":
        w.concept(s, GG.goalType, "goal-type", f["kind"])
    if e.kind == "money":
        w.add(s, SCHEMA.currency, Literal(f["currency"]))
        w.concept(s, GG.moneyType, "money-type", f.get("kind"))
        if f.get("per_year"):
            w.add(s, GG.perYear, Literal(True))
        w.year(s, GG.periodStart, f.get("start"))
        w.year(s, GG.periodEnd, f.get("end"))
    if "label" not in f and "indicator" in f:  # a target is labelled by its indicator
        w.label(s, f["indicator"])
    for name, value in f.items():
        if name in TEXT_FIELDS:
            w.text(s, TEXT_FIELDS[name], value)
        elif name in KEY_REFS:
            kind, p = KEY_REFS[name]
            for key in value if isinstance(value, list) else [value]:
                w.add(s, p, w.iri(kind, key))
        elif name in DATE_FIELDS and (e.kind != "money" or name not in ("start", "end")):
            w.add(s, DATE_FIELDS[name], Literal(value, datatype=_DATE_TYPES[len(value)]))
        elif name in YEAR_FIELDS:
            w.year(s, YEAR_FIELDS[name], value)
        elif name in DECIMAL_FIELDS:
            w.decimal(s, DECIMAL_FIELDS[name], value)
        elif name in CONCEPT_FIELDS:
            scheme, p = CONCEPT_FIELDS[name]
            w.concept(s, p, scheme, slugify(value))
        elif name == "number":
            if isinstance(value, int):
                w.integer(s, GG.number, value)
            else:
                w.add(s, GG.boxNumber, Literal(value))
        elif name == "about":
            w.add(s, GG.about, ref_iri(w, value))
        elif name == "as_stated":
            w.add(s, GG.asStated, Literal(value, lang=_language(e)))
        elif name == "chapter":
            w.add(s, GG.chapter, Literal(value, lang=_language(e)))
        elif name == "stated_initiative_count":
            w.integer(s, GG.statedInitiativeCount, value)
        elif name == "measures":
            q = w.iri("quantity", value)
            w.add(s, GG.measures, q)
            if (q, RDF.type, GG.Quantity) not in w.graph:
                w.add(q, RDF.type, GG.Quantity)
                w.label(q, value.replace("-", " "), "en")
                w.derived_from(q, e.source)
    for ref in e.sources:
        w.derived_from(s, ref)
    return s


def _language(e: Entity) -> str:
    return {"seed-002": "da", "seed-004": "da"}.get(e.source.document, "en")


def write_institution(w: GraphWriter, e: Entity) -> URIRef:
    s = w.iri("institution", e.key)
    f = e.fields
    w.add(s, RDF.type, ORG.Organization)
    if f["kind"] in PUBLIC_KINDS:
        w.add(s, RDF.type, CV.PublicOrganisation)
    w.concept(s, GG.institutionType, "institution-type", f["kind"])
    w.label(s, f["label"])
    for alt in f.get("alt_labels", []):
        w.text(s, SKOS.altLabel, alt)
    w.text(s, DCTERMS.description, f.get("description"))
    if "part_of" in f:
        w.add(s, ORG.subOrganizationOf, w.iri("institution", f["part_of"]))
    for ref in e.sources:
        w.derived_from(s, ref)
    return s


def write_role(w: GraphWriter, e: Entity) -> URIRef:
    """A role is stated twice: as a direct link (target --gg:issuedBy--> institution) for easy querying, and
    as a qualified gg:InstitutionRole that carries the source of the statement (cf. prov:qualifiedAssociation)."""
    f = e.fields
    target = ref_iri(w, f["target"])
    institution = w.iri("institution", f["institution"])
    w.add(target, ROLE_PREDICATES[f["role"]], institution)
    s = w.iri("role", slugify(f"{f['institution']} {f['role']} {f['target'].replace('/', ' ')}"))
    w.add(s, RDF.type, GG.InstitutionRole)
    w.label(s, f"{f['institution']} {f['role']} {f['target']}", "en")
    w.add(s, GG.institution, institution)
    w.concept(s, GG.roleType, "role-type", f["role"])
    w.add(s, GG.roleIn, target)
    w.text(s, DCTERMS.description, f.get("description"))
    for ref in e.sources:
        w.derived_from(s, ref)
    return s


def write_link(w: GraphWriter, e: Entity) -> URIRef:
    """A cross-document link: the direct triple plus a gg:CrossReference carrying its evidence and sources."""
    f = e.fields
    subject, obj = ref_iri(w, f["subject"]), ref_iri(w, f["object"])
    w.add(subject, LINK_PREDICATES[f["relation"]], obj)
    key = slugify(f"{f['subject'].replace('/', ' ')} {f['relation']} {f['object'].replace('/', ' ')}")
    s = w.iri("link", key)
    w.add(s, RDF.type, GG.CrossReference)
    w.label(s, f"{f['subject']} {f['relation']} {f['object']}", "en")
    w.add(s, GG.linkSubject, subject)
    w.add(s, GG.linkObject, obj)
    w.concept(s, GG.linkType, "link-type", f["relation"])
    w.text(s, GG.evidence, f["evidence"])
    for ref in e.sources:
        w.derived_from(s, ref)
    return s


__all__ = ["write_curated"]
