"""The pages about the data: one page per resource (HTML, Turtle, JSON-LD), with a summary for action plans and
programmes, an index per class, the home page and the search page with its index.

Every page is written for a reader first: the heading names the thing (with its identifier), links show
labels in the page's language, compact names (CURIEs) appear only as small hints, and the raw triples are in
the Turtle and JSON-LD documents beside the page."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from govgraph.package import first_text
from govgraph.site.documents import Documents, TermWriter, jsonld_document, ntriples_document, turtle_document
from govgraph.site.model import (
    LABEL_PROPERTIES,
    NAV,
    SAFE_PATH,
    SiteModel,
    esc,
    first_of,
    fold,
    group_digits,
    in_order,
    multilingual,
    root_of,
    section,
    t,
    table,
)
from govgraph.site.quotes import SourceTexts, line_number, lines_text, quote_html
from govgraph.site.terms import CV, DCTERMS, GG, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS

if TYPE_CHECKING:
    from govgraph.package import DataPackage

# Properties shown in a section of their own rather than in the table of details.
OWN_SECTIONS = {RDF.type, PROV.wasDerivedFrom}
DESCRIPTIONS = (DCTERMS.description, SKOS.definition, RDFS.comment)
# The same as sets, for the table of details: a set finds a term by its hash, where a tuple calls rdflib's
# (Python-level) __eq__ on every member (a tenth of the time of that table).
LINK_ENDS = frozenset((GG.linkSubject, GG.linkObject, GG.linkType))
NAMES = frozenset((*LABEL_PROPERTIES, DCTERMS.identifier))
DESCRIPTION_SET = frozenset(DESCRIPTIONS)
# Which schema.org type a page's embedded JSON-LD gets, by the resource's class (first match wins).
SCHEMA_TYPES = (
    (ORG.Organization, "GovernmentOrganization"),
    (CV.PublicOrganisation, "GovernmentOrganization"),
    (GG.OGPMember, "Country"),
    (GG.Event, "Event"),
    (GG.MonetaryAmount, "MonetaryAmount"),
    (GG.IRMReport, "Report"),
    (GG.SourceDocument, "CreativeWork"),
    (SKOS.Concept, "DefinedTerm"),
    (SKOS.ConceptScheme, "DefinedTermSet"),
    (OWL.Ontology, "DefinedTermSet"),
)
# Report types ranked for "the latest completion": an end-of-term report's verdict supersedes a progress report's.
REPORT_RANK = {"end-of-term-report": 0, "results-report": 1, "progress-report": 2, "action-plan-review": 3}
COMPLETION = "/irm-criterion/completion"
STARRED = t("stjernemarkeret", "starred")
SORT_HINT = t(
    "Klik på en kolonneoverskrift for at sortere. — betyder: ingen værdi.",
    "Click a column header to sort. — means: no value.",
)
# The dataset's files, as `govgraph release` names them (the home page links them when they are beside the site).
DOWNLOADS = (
    ("govgraph.ttl", "Turtle", "text/turtle"),
    ("govgraph.nt", "N-Triples", "application/n-triples"),
    ("govgraph.jsonld", "JSON-LD", "application/ld+json"),
)
DATASET_FILES = tuple(name for name, _format, _type in DOWNLOADS)  # what dataset_files writes beside the pages


def class_page(cls: URIRef, model: SiteModel) -> str:
    """Site path of the index of a class: class/gg-Commitment, class/org-Organization (a class of a user's file
    whose name would not make a safe file name gets a hash of its IRI)."""
    name = model.curie(cls).replace(":", "-")
    if not SAFE_PATH.match(name) or "/" in name:
        name = "class-" + hashlib.sha256(str(cls).encode()).hexdigest()[:12]
    return "class/" + name


def chart_block(kind: str, model: SiteModel, iri: URIRef | None, here: str) -> str:
    """The charts of a page, where the site has them: ``govgraph.site.charts.<kind>_charts(model, iri, here)``
    returns their HTML (inline SVG with a title, a description and the data as a table) or "" when the data
    has nothing to draw. ``kind`` is "home", "action_plan" or "programme"."""
    try:
        from govgraph.site import charts
    except ImportError:  # the charts module is not part of this build yet
        return ""
    make = getattr(charts, f"{kind}_charts", None)
    html = make(model, iri, here) if make is not None else ""
    return (
        f'<section class="charts" aria-labelledby="charts"><h2 id="charts">{t("Diagrammer", "Charts")}</h2>\n'
        f"{html}</section>"
        if html
        else ""
    )


class ResourcePages:
    """Writes the pages about the data."""

    def __init__(self, model: SiteModel, package: DataPackage | None = None):
        """``package``: the data package whose source documents the pages quote (None: the bundled one)."""
        self.model = model
        self.texts = SourceTexts(model, package)
        self.graph = model.graph
        self.superclasses = self._superclasses()
        self._kinds: dict[URIRef, set[URIRef]] = {}  # a class -> itself and its subclasses (is_a)
        # The classes that get an index: those of the resources under <base>id/, with their superclasses from
        # the ontology (so gg:PolicyProgramme lists reforms, strategies, agreements, ...).
        self.instances: dict[URIRef, list[URIRef]] = defaultdict(list)
        for s in model.paths:
            if str(s).startswith(model.id_prefix):
                classes = set()
                for cls in model.types(s):
                    classes |= {cls, *self.superclasses.get(cls, ())}
                for cls in classes:
                    self.instances[cls].append(s)
        for members in self.instances.values():
            members.sort(key=model.sort_key)
        self.writer = TermWriter(model.prefixes)
        self.documents = Documents(model.out, model.inc, self.writer, (RDFS.label, SKOS.prefLabel))
        self._property_keys: dict = {}
        self._property_names: dict = {}
        self.completions = {c: self.latest_completion(c) for c in self.instances.get(GG.Commitment, ())}
        # The menu names the indexes this package has.
        pages = {class_page(cls, model) + ".html" for cls in self.instances}
        model.nav = tuple(entry for entry in NAV if not entry[0].startswith("class/") or entry[0] in pages)

    def _superclasses(self) -> dict[URIRef, set[URIRef]]:
        """Every class's superclasses, transitively; only gg: and org: ones, so that no index of a general
        class (prov:Entity, skos:Concept) lists everything."""
        direct: dict[URIRef, set[URIRef]] = defaultdict(set)
        for sub, sup in self.graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef) and str(sup).startswith((str(GG), str(ORG))):
                direct[sub].add(sup)
        closure: dict[URIRef, set[URIRef]] = {}
        for cls in direct:
            seen: set[URIRef] = set()
            todo = list(direct[cls])
            while todo:
                c = todo.pop()
                if c not in seen:
                    seen.add(c)
                    todo.extend(direct.get(c, ()))
            closure[cls] = seen
        return closure

    def is_a(self, iri: URIRef, cls: URIRef) -> bool:
        """Whether the resource is a ``cls``: one of its types is the class or one of its subclasses."""
        kinds = self._kinds.get(cls)
        if kinds is None:
            # A set of the class and its subclasses: looking a type up in it is one hash (the terms are one object
            # each), where comparing with rdflib's == is Python code; asked a few times for every page.
            kinds = self._kinds[cls] = {cls} | {sub for sub, supers in self.superclasses.items() if cls in supers}
        return any(c in kinds for c in self.model.types(iri))

    def has_summary(self, iri: URIRef) -> bool:
        """Whether the resource's page has a summary (an action plan's or a programme's), which may draw charts."""
        return self.is_a(iri, GG.ActionPlan) or self.is_a(iri, GG.PolicyProgramme)

    # ------------------------------------------------------------------------------------ one resource

    def resource_files(self, iri: URIRef) -> Iterator[tuple[str, bytes]]:
        """The HTML, Turtle and JSON-LD documents of one resource."""
        path = self.model.paths[iri]
        described = self.documents.description(iri)
        yield path + ".html", self.resource_html(iri, path)
        yield path + ".ttl", self.documents.turtle(described, first=iri)
        yield path + ".jsonld", self.documents.jsonld(described, first=iri)

    def heading_texts(self, iri: URIRef) -> dict[str, str]:
        """The page's heading per language: the identifier and the label ("DK0040 — Principles for ..."), the
        identifier alone where the label is no more than it."""
        m = self.model
        labels = {lang: text for lang, text in m.labels(iri).items() if lang} or {"": m.plain_label(iri)}
        identifier = m.value(iri, DCTERMS.identifier)
        if identifier is None:
            return labels
        ident = str(identifier)
        return {
            lang: text if ident.casefold() in text.casefold() else f"{ident} — {text}" for lang, text in labels.items()
        }

    def resource_html(self, iri: URIRef, path: str) -> bytes:
        m = self.model
        name = path.rsplit("/", 1)[-1]
        types = sorted(m.types(iri), key=m.sort_key)
        heading = self.heading_texts(iri)
        descriptions = m.texts(iri, *DESCRIPTIONS)
        parts = [
            f'<p class="kind">{", ".join(self.class_link(c, path) for c in types)}</p>' if types else "",
            f"<h1>{multilingual(heading)}</h1>",
            f'<div class="lead">{multilingual_paragraphs(descriptions)}</div>' if descriptions else "",
        ]
        if self.is_a(iri, GG.ActionPlan):
            parts.append(self.action_plan_summary(iri, path))
        elif self.is_a(iri, GG.PolicyProgramme):
            parts.append(self.programme_summary(iri, path))
        if GG.Commitment in types:
            parts.append(self.assessments_section(iri, path))
        if GG.SourceDocument in types:
            parts.append(self.cited_passages(iri, path))
        if GG.SourceExcerpt in types:
            parts.append(self.excerpt_quote(iri, path))
        parts.append(self.connections_section(iri, path))
        parts.append(self.properties_section(iri, path, heading, descriptions))
        parts.append(self.incoming_section(iri, path))
        parts.append(self.provenance_section(iri, path))
        parts.append(
            f'<p class="iri">{t("Identifikator (IRI)", "Identifier (IRI)")}: <code>{esc(iri)}</code> · '
            f'{t("Data", "Data")}: <a href="{esc(name)}.ttl" type="text/turtle">Turtle</a> · '
            f'<a href="{esc(name)}.jsonld" type="application/ld+json">JSON-LD</a></p>'
        )
        kind = m.plain_label(types[0], m.interface_language) if types else ""
        summary = first_of(descriptions) if descriptions else ""
        meta = summary or f"{kind}: {first_of(heading)}. {first_text(m.manifest.title)}"
        return m.layout(
            path,
            heading,
            "\n".join(p for p in parts if p),
            description=shorten(meta),
            structured_data=self.schema_org(iri, types, descriptions),
        )

    def class_link(self, cls: URIRef, here: str) -> str:
        m = self.model
        if cls in self.instances:
            return f'<a href="{root_of(here)}{class_page(cls, m)}.html">{m.label_html(cls)}</a>'
        return m.link(cls, here)

    def property_key(self, p: URIRef) -> tuple[str, str]:
        """The order of properties in a table: by English label."""
        key = self._property_keys.get(p)
        if key is None:
            key = self._property_keys[p] = (fold(self.model.plain_label(p, "en")), str(p))
        return key

    def property_name(self, p: URIRef, here: str) -> str:
        """A property's label linked to its definition, with its compact name as a small hint."""
        key = (p, root_of(here))
        name = self._property_names.get(key)
        if name is None:
            name = self._property_names[key] = self._property_name(p, here)
        return name

    def _property_name(self, p: URIRef, here: str) -> str:
        m = self.model
        shown = multilingual(m.labels(p))
        curie = f'<code class="curie">{esc(m.curie(p))}</code>'
        if not shown:
            return m.link(p, here, curie)
        return m.link(p, here, shown) + " " + curie

    def properties_section(self, iri: URIRef, path: str, heading: dict[str, str], descriptions: dict) -> str:
        """The other things said of the resource, one row per property; what the heading and the lead already
        say (labels, identifier, description) is not said again."""
        m = self.model
        shown = set(heading.values()) | set(m.labels(iri).values())
        rows = []
        said = m.out.get(iri, {})
        for p in sorted(said, key=self.property_key):
            if p in OWN_SECTIONS or (p in LINK_ENDS and self.is_a(iri, GG.CrossReference)):
                continue
            values = in_order(said[p], m.value_key)
            if p in NAMES:
                values = [
                    v
                    for v in values
                    if not (isinstance(v, Literal) and (str(v) in shown or any(str(v) in h for h in heading.values())))
                ]
            elif p in DESCRIPTION_SET and descriptions:
                values = [v for v in values if not (isinstance(v, Literal) and str(v) in descriptions.values())]
            if not values:
                continue
            rows.append(
                f'<tr><th scope="row">{self.property_name(p, path)}</th><td>{m.values_html(values, path)}</td></tr>'
            )
        if not rows:
            return ""
        heading_html = t("Oplysninger", "Details")
        return section("properties", heading_html, table("properties", heading_html, rows))

    def incoming_section(self, iri: URIRef, path: str) -> str:
        """The resources that link here, grouped by the property they link with ("referenced by"); what a
        section of its own shows (assessments, connections, cited passages) is left out."""
        m = self.model
        skip = {RDF.type, GG.linkSubject, GG.linkObject}
        types = m.types(iri)
        if GG.Commitment in types:
            skip.add(GG.assessedCommitment)
        if GG.SourceDocument in types:
            skip.add(DCTERMS.isPartOf)
        rows = []
        pointing = m.inc.get(iri, {})
        for p in sorted(pointing, key=self.property_key):
            if p in skip:
                continue
            subjects = sorted({s for s in pointing[p] if isinstance(s, URIRef)}, key=m.sort_key)
            if not subjects:
                continue
            items = "".join(f"<li>{m.link(s, path)}</li>" for s in subjects)
            rows.append(
                f'<tr><th scope="row">{self.property_name(p, path)}</th><td><ul class="values">{items}</ul></td></tr>'
            )
        if not rows:
            return ""
        heading = t("Henvist til fra", "Referenced by")
        return section("incoming", heading, table("properties", heading, rows))

    def connections_section(self, iri: URIRef, path: str) -> str:
        """Cross-references to and from the resource as sentences: "implements → Seven principles", each with
        a link to its evidence."""
        m = self.model
        rows = []
        links = m.subjects_of(GG.linkSubject, iri) + m.subjects_of(GG.linkObject, iri)
        for link in sorted(set(links), key=m.sort_key):
            subject, obj, kind = (m.value(link, p) for p in (GG.linkSubject, GG.linkObject, GG.linkType))
            if subject is None or obj is None:
                continue
            other = obj if subject == iri else subject
            relation = m.label_html(kind) if kind is not None else t("forbundet med", "linked to")
            direction = "→" if subject == iri else "←"
            rows.append(
                f"<tr><td>{direction} {relation}</td><td>{m.link(other, path)}</td>"
                f"<td>{m.link(link, path, t('begrundelse', 'evidence'))}</td></tr>"
            )
        if not rows:
            return ""
        heading = t("Forbindelser", "Connections")
        headers = [t("Forbindelse", "Relation"), t("Til", "With"), t("Kilde", "Source")]
        return section("connections", heading, table("index", heading, rows, headers))

    def provenance_section(self, iri: URIRef, path: str) -> str:
        """Where the resource comes from: per document, the places in it (section and lines), each with the words
        it cites where the package holds the document's text."""
        m = self.model
        excerpts = [e for e in m.objects(iri, PROV.wasDerivedFrom) if isinstance(e, URIRef)]
        if not excerpts:
            return ""
        by_document: dict[str, list[URIRef]] = defaultdict(list)
        for excerpt in sorted(excerpts, key=lambda e: (str(m.value(e, DCTERMS.isPartOf)), line_key(m, e), str(e))):
            by_document[str(m.value(excerpt, DCTERMS.isPartOf))].append(excerpt)
        parts = []
        for group in by_document.values():
            document = m.value(group[0], DCTERMS.isPartOf)
            if isinstance(document, URIRef):
                parts.append(f'<h3 class="document">{m.link(document, path)}</h3>')
            items = []
            for excerpt in group:
                passage = self.texts.passage(excerpt)
                items.append(
                    f'<li><p class="where">{self.where_in_document(excerpt, path)}</p>'
                    f"{quote_html(passage) if passage is not None else ''}</li>"
                )
            parts.append('<ul class="passages">' + "".join(items) + "</ul>")
        return section("provenance", t("Kilder", "Sources"), "".join(parts))

    def locator(self, excerpt: URIRef) -> str:
        """Where an excerpt is, in words: its locator, else its lines."""
        m = self.model
        locator = m.value(excerpt, GG.locator)
        if locator is not None:
            return str(locator)
        first, last = m.value(excerpt, GG.firstLine), m.value(excerpt, GG.lastLine)
        if first is not None and last is not None and first != last:
            return f"lines {first}–{last}"
        if first is not None or last is not None:
            return f"line {first if first is not None else last}"
        return m.plain_label(excerpt)

    def cited_passages(self, document: URIRef, path: str) -> str:
        """A source document's passages in the order of the document, each with the words it cites (where the
        package holds the document's text), its lines as a small hint, and what cites it."""
        m = self.model
        excerpts = sorted(
            (e for e in m.subjects_of(DCTERMS.isPartOf, document) if isinstance(e, URIRef)),
            key=lambda e: (line_key(m, e), str(e)),
        )
        if not excerpts:
            return ""
        items = []
        for e in excerpts:
            first = m.value(e, GG.firstLine)
            passage = self.texts.passage(e)
            citing = sorted({s for s in m.subjects_of(PROV.wasDerivedFrom, e) if isinstance(s, URIRef)}, key=m.sort_key)
            cited = (
                '<ul class="values">'
                + "".join(f"<li>{m.link(s, path, self.short_link_text(s))}</li>" for s in citing)
                + "</ul>"
                if citing
                else "<p>—</p>"
            )
            anchor = f' id="{esc(m.paths[e].rsplit("/", 1)[-1])}"' if e in m.paths else ""
            items.append(
                f'<li{anchor} data-line="{esc(first if first is not None else "")}">'
                f'<p class="where">{self.where_in_document(e, path)}</p>'
                f"{quote_html(passage) if passage is not None else ''}"
                f'<div class="cited"><p class="cited-by">{t("Citeret af", "Cited by")}:</p>{cited}</div></li>'
            )
        heading = t("Citerede passager", "Cited passages")
        intro = t(
            "Passagerne i dokumentet, som data bygger på, i dokumentets rækkefølge.",
            "The passages of the document the data rests on, in the order of the document.",
        )
        if not self.texts.holds(document):
            intro += " " + self.text_elsewhere(document, path)
        return section("passages", heading, f"<p>{intro}</p>" + '<ol class="passages">' + "".join(items) + "</ol>")

    def where_in_document(self, excerpt: URIRef, path: str) -> str:
        """Where a passage is, for a reader: the excerpt's section (a box, a heading) linked to the excerpt's
        page, with its lines as a small hint; the lines alone where it names no section."""
        m = self.model
        first = line_number(m.value(excerpt, GG.firstLine))
        last = line_number(m.value(excerpt, GG.lastLine))
        if first is None and last is None:
            return m.link(excerpt, path, esc(self.locator(excerpt)))
        first = first if first is not None else last
        last = last if last is not None else first
        lines = lines_text(first, last)
        locator = m.value(excerpt, GG.locator)
        place = LINES_SUFFIX.sub("", str(locator)) if locator is not None else ""
        if not place:
            return m.link(excerpt, path, lines)
        return f'{m.link(excerpt, path, esc(place))} <span class="hint">{lines}</span>'

    def text_elsewhere(self, document: URIRef, path: str) -> str:
        """What a page says of a document whose text the package does not hold: where to read it."""
        m = self.model
        pages = sorted(
            (o for o in m.objects(document, RDFS.seeAlso) if isinstance(o, URIRef) and str(o).startswith("http")),
            key=str,
        )
        if pages:
            links = ", ".join(f'<a class="url" href="{esc(p)}">{esc(p)}</a>' for p in pages)
            return (
                t(
                    "Dokumentets tekst er ikke en del af data; læs det på",
                    "The document's text is not part of the data; read it at",
                )
                + f" {links}."
            )
        return t("Dokumentets tekst er ikke en del af data.", "The document's text is not part of the data.")

    def excerpt_quote(self, excerpt: URIRef, path: str) -> str:
        """The page of an excerpt quotes it in full, with a link to its place among the document's passages."""
        m = self.model
        passage = self.texts.passage(excerpt)
        document = m.value(excerpt, DCTERMS.isPartOf)
        if passage is None or not isinstance(document, URIRef) or document not in m.paths:
            return ""
        anchor = m.paths[excerpt].rsplit("/", 1)[-1]
        back = (
            f'<p><span class="hint">{lines_text(passage.first, passage.last)}</span> · '
            f'<a href="{root_of(path)}{m.paths[document]}.html#{esc(anchor)}">'
            f"{t('i dokumentets sammenhæng', 'in the context of the document')}</a></p>"
        )
        return section("quote", t("Det citerede", "What it says"), quote_html(passage, fold=False) + back)

    def short_link_text(self, iri: URIRef) -> str:
        """A resource's label, with its identifier first when it has one."""
        return multilingual(self.heading_texts(iri))

    # ------------------------------------------------------------------------------- commitments

    def assessments(self, commitment: URIRef) -> list[URIRef]:
        """The IRM assessments of a commitment, latest report type first, then by report and criterion."""
        m = self.model

        def key(a: URIRef) -> tuple:
            report = m.value(a, GG.report)
            report_type = m.value(report, GG.reportType) if report is not None else None
            rank = REPORT_RANK.get(str(report_type).rsplit("/", 1)[-1], 9) if report_type is not None else 9
            criterion = m.value(a, GG.criterion)
            return (
                rank,
                m.plain_label(report, "en") if report is not None else "",
                m.plain_label(criterion, "en") if criterion is not None else "",
                str(a),
            )

        return sorted((a for a in m.subjects_of(GG.assessedCommitment, commitment) if isinstance(a, URIRef)), key=key)

    def assessments_section(self, iri: URIRef, path: str) -> str:
        m = self.model
        rows = []
        for a in self.assessments(iri):
            report, criterion, value = (m.value(a, p) for p in (GG.report, GG.criterion, GG.value))
            criterion_text = m.label_html(criterion) if isinstance(criterion, URIRef) else esc(m.plain_label(a))
            rows.append(
                f"<tr><td>{m.link(report, path) if isinstance(report, URIRef) else '—'}</td>"
                f"<td>{m.link(a, path, criterion_text)}</td>"
                f"<td>{m.link(value, path) if isinstance(value, URIRef) else '—'}</td></tr>"
            )
        if not rows:
            return ""
        heading = t("IRM-vurderinger", "IRM assessments")
        headers = [t("Rapport", "Report"), t("Kriterium", "Criterion"), t("Vurdering", "Value")]
        return section("assessments", heading, table("assessments", heading, rows, headers))

    def latest_completion(self, commitment: URIRef) -> URIRef | None:
        """The value of the commitment's latest IRM completion assessment (end-of-term before progress report)."""
        m = self.model
        for a in self.assessments(commitment):
            criterion = m.value(a, GG.criterion)
            if criterion is not None and str(criterion).endswith(COMPLETION):
                value = m.value(a, GG.value)
                if isinstance(value, URIRef):
                    return value
        return None

    def commitments_table(self, path: str, commitments: list[URIRef] | None = None, ident: str = "commitments") -> str:
        """Commitments: id, title, action plan, policy areas, completion; sortable by any column."""
        m = self.model
        commitments = sorted(
            self.instances[GG.Commitment] if commitments is None else commitments,
            key=lambda c: (str(m.value(c, DCTERMS.identifier) or ""), str(c)),
        )
        rows = []
        for c in commitments:
            identifier = str(m.value(c, DCTERMS.identifier) or "")
            plan = m.value(c, GG.actionPlan)
            areas = sorted((a for a in m.objects(c, GG.policyArea) if isinstance(a, URIRef)), key=m.sort_key)
            completion = self.completions.get(c)
            starred = m.value(c, GG.starred)
            star = (
                f' <span class="star">★<span class="visually-hidden">{STARRED}</span></span>'
                if starred is not None and str(starred).lower() in ("true", "1")
                else ""
            )
            cells = [
                (identifier, m.link(c, path, esc(identifier or m.plain_label(c))) + star),
                (m.plain_label(c, "en"), m.label_html(c)),
                (
                    m.plain_label(plan, "en") if plan is not None else "",
                    m.link(plan, path) if plan is not None else "—",
                ),
                (
                    "; ".join(m.plain_label(a, "en") for a in areas),
                    '<ul class="values">' + "".join(f"<li>{m.link(a, path)}</li>" for a in areas) + "</ul>"
                    if areas
                    else "—",
                ),
                (
                    m.plain_label(completion, "en") if completion is not None else "",
                    m.link(completion, path) if completion is not None else "—",
                ),
            ]
            rows.append("<tr>" + "".join(f'<td data-sort="{esc(key)}">{html}</td>' for key, html in cells) + "</tr>")
        headers = [
            ("Id", "Id"),
            ("Titel", "Title"),
            ("Handlingsplan", "Action plan"),
            ("Politikområder", "Policy areas"),
            ("Gennemførelse (IRM)", "Completion (IRM)"),
        ]
        # Rows come sorted by id; the script re-sorts on a click and moves aria-sort to the column.
        sorted_by = ' aria-sort="ascending"'
        head = "".join(
            f'<th scope="col"{sorted_by if i == 0 else ""}><button type="button">{t(da, en)}</button></th>'
            for i, (da, en) in enumerate(headers)
        )
        return (
            f'<p class="hint">{SORT_HINT}</p>'
            f'<div class="scroll"><table class="index sortable" id="{esc(ident)}"><caption class="visually-hidden">'
            f"{t('Tilsagn', 'Commitments')}</caption><thead><tr>{head}</tr></thead><tbody>\n"
            + "\n".join(rows)
            + "\n</tbody></table></div>"
        )

    # ------------------------------------------------------------------------------- summaries

    def action_plan_summary(self, plan: URIRef, path: str) -> str:
        """An action plan in figures: its commitments, how many are starred, the IRM's completion verdicts, its
        policy areas, then the commitments as a table."""
        m = self.model
        commitments = [c for c in m.subjects_of(GG.actionPlan, plan) if GG.Commitment in m.types(c)]  # not its reports
        figures = [(len(commitments), t("tilsagn", "commitments"))]
        starred = sum(1 for c in commitments if str(m.value(c, GG.starred)).lower() in ("true", "1"))
        if commitments:
            figures.append((starred, t("stjernemarkerede", "starred")))
        verdicts = Counter(self.completions.get(c) for c in commitments)
        assessed = sum(n for v, n in verdicts.items() if v is not None)
        if assessed:
            figures.append((assessed, t("vurderet af IRM for gennemførelse", "assessed by the IRM for completion")))
        parts = [figures_list(figures)]
        if assessed:
            rows = [
                f'<tr><td>{m.link(v, path)}</td><td class="num">{n}</td></tr>'
                for v, n in sorted(
                    ((v, n) for v, n in verdicts.items() if v is not None), key=lambda item: m.sort_key(item[0])
                )
            ]
            heading = t("Gennemførelse ifølge IRM (seneste rapport)", "Completion according to the IRM (latest report)")
            parts.append(
                f"<h3>{heading}</h3>"
                + table("index", heading, rows, [t("Vurdering", "Value"), t("Tilsagn", "Commitments")])
            )
        areas = Counter(a for c in commitments for a in m.objects(c, GG.policyArea) if isinstance(a, URIRef))
        if areas:
            items = "".join(
                f'<li>{m.link(a, path)} <span class="count">({n})</span></li>'
                for a, n in sorted(areas.items(), key=lambda item: (-item[1], m.sort_key(item[0])))
            )
            parts.append(f'<h3>{t("Politikområder", "Policy areas")}</h3><ul class="values columns">{items}</ul>')
        body = "\n".join(parts)
        charts = chart_block("action_plan", m, plan, path)
        out = section("summary", t("Overblik", "Summary"), body) + charts
        if commitments:
            out += section(
                "plan-commitments",
                t("Tilsagnene i planen", "The plan's commitments"),
                self.commitments_table(path, commitments, "plan-commitments-table"),
            )
        return out

    def programme_summary(self, programme: URIRef, path: str) -> str:
        """A reform or programme in figures: when, who leads it, its parts (tracks, initiatives, goals,
        targets), the money stated for it and the commitments that implement it."""
        m = self.model
        facts = []
        for p, da, en in (
            (GG.startDate, "Start", "Start"),
            (GG.endDate, "Slut", "End"),
            (DCTERMS.issued, "Udgivet", "Issued"),
            (GG.leadInstitution, "Ansvarlig", "Lead"),
            (GG.issuedBy, "Udstedt af", "Issued by"),
        ):
            values = m.objects(programme, p)
            if values:
                facts.append((t(da, en), ", ".join(m.term_html(v, path) for v in values)))
        parts = []
        if facts:
            parts.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
        counts = []
        for p in sorted(m.inc.get(programme, {}), key=self.property_key):
            if p in (RDF.type, GG.linkSubject, GG.linkObject):
                continue
            members = {s for s in m.inc[programme][p] if isinstance(s, URIRef)}
            kinds = Counter(c for s in members for c in m.types(s))
            for cls, n in sorted(kinds.items(), key=lambda item: m.sort_key(item[0])):
                counts.append((n, f"{m.label_html(cls)} <small>({self.property_name(p, path)})</small>"))
        if counts:
            parts.append(figures_list(counts))
        money = [a for a in m.subjects_of(GG.about, programme) if self.is_a(a, GG.MonetaryAmount)]
        if money:
            rows = []
            for amount in sorted(
                money, key=lambda a: (str(m.value(a, GG.year) or m.value(a, GG.periodStart) or ""), m.sort_key(a))
            ):
                value, currency = m.value(amount, SCHEMA.value), m.value(amount, SCHEMA.currency)
                year = m.value(amount, GG.year) or m.value(amount, GG.periodStart)
                kind = m.value(amount, GG.moneyType)
                rows.append(
                    f"<tr><td>{m.link(amount, path)}</td>"
                    f'<td class="num">{esc(group_digits(trim_zero(str(value)))) if value is not None else "—"} '
                    f"{esc(currency or '')}</td>"
                    f"<td>{esc(year) if year is not None else '—'}</td>"
                    f"<td>{m.link(kind, path) if isinstance(kind, URIRef) else '—'}</td></tr>"
                )
            heading = t("Beløb", "Money")
            headers = [t("Beløb", "Amount"), t("Værdi", "Value"), t("År", "Year"), t("Type", "Type")]
            parts.append(f"<h3>{heading}</h3>" + table("index", heading, rows, headers))
        charts = chart_block("programme", m, programme, path)
        if not parts:
            return charts
        return section("summary", t("Overblik", "Summary"), "\n".join(parts)) + charts

    def schema_org(self, iri: URIRef, types: list[URIRef], descriptions: dict[str, str] | None = None) -> dict:
        """Embedded schema.org JSON-LD for search engines: type, name(s), identifier, description, url
        (``descriptions``: the resource's, when the page has them already)."""
        m = self.model
        classes = set(types)
        for cls in types:
            classes |= self.superclasses.get(cls, set())
        schema_type = next((name for cls, name in SCHEMA_TYPES if cls in classes), "CreativeWork")
        data: dict = {"@context": "https://schema.org", "@type": schema_type, "@id": str(iri)}
        names = [{"@language": lang, "@value": text} for lang, text in sorted(m.labels(iri).items()) if lang]
        data["name"] = names or m.plain_label(iri)
        identifier = m.value(iri, DCTERMS.identifier)
        if identifier is not None:
            data["identifier"] = str(identifier)
        if descriptions is None:
            descriptions = m.texts(iri, *DESCRIPTIONS)
        if descriptions:
            data["description"] = [
                {"@language": lang, "@value": text} if lang else text for lang, text in sorted(descriptions.items())
            ]
        path = m.paths.get(iri)
        if path is not None:
            data["url"] = m.base + path + ".html"
        return data

    # ------------------------------------------------------------------------------------ class indexes

    def class_indexes(self) -> Iterator[tuple[str, bytes]]:
        m = self.model
        for cls in sorted(self.instances, key=str):
            path = class_page(cls, m)
            body = self.commitments_table(path) if cls == GG.Commitment else self.members_table(cls, path)
            definition = m.texts(cls, SKOS.definition, RDFS.comment)
            count = len(self.instances[cls])
            text = (
                f'<p class="kind">{t("Oversigt", "Index")} · '
                f'<code class="curie">{m.link(cls, path, esc(m.curie(cls)))}</code></p>'
                f"<h1>{m.label_html(cls)}</h1>\n"
                + (f'<div class="lead">{multilingual_paragraphs(definition)}</div>' if definition else "")
                + f"<p>{count} {t('i alt', 'in all')}</p>\n{body}"
            )
            title = m.labels(cls) or {"": m.curie(cls)}
            meta = f"{first_of(title)}: {count} — {first_text(m.manifest.title)}"
            yield path + ".html", m.layout(path, title, text, alternates=(), description=shorten(meta))

    def members_table(self, cls: URIRef, path: str) -> str:
        m = self.model
        rows = []
        with_ids = any(m.value(s, DCTERMS.identifier) is not None for s in self.instances[cls])
        multiple_types = len({tuple(m.types(s)) for s in self.instances[cls]}) > 1
        for s in self.instances[cls]:
            cells = [m.link(s, path)]
            if with_ids:
                identifier = m.value(s, DCTERMS.identifier)
                cells.append(esc(identifier) if identifier is not None else "—")
            if multiple_types:
                cells.append(", ".join(m.label_html(c) for c in sorted(m.types(s), key=m.sort_key)))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        headers = [t("Navn", "Name")]
        if with_ids:
            headers.append(t("Id", "Id"))
        if multiple_types:
            headers.append(t("Slags", "Kind"))
        return table("index", m.label_html(cls), rows, headers)

    # ------------------------------------------------------------------------------------ home and search

    def dataset_files(self) -> Iterator[tuple[str, bytes]]:
        """The whole dataset, for the home page's downloads (DATASET_FILES): Turtle, N-Triples and JSON-LD."""
        nodes = self.documents.nodes
        turtle, ntriples, jsonld = DATASET_FILES
        yield turtle, turtle_document(nodes, self.writer)
        yield ntriples, ntriples_document(nodes, TermWriter({}))
        yield jsonld, jsonld_document(nodes)

    def headline_figures(self) -> list[tuple[int | str, str]]:
        """The home page's figures, counted from the data."""
        m = self.model
        figures: list[tuple[int | str, str]] = []
        commitments = self.instances.get(GG.Commitment, [])
        plans = self.instances.get(GG.ActionPlan, [])
        if commitments:
            figures.append((len(commitments), t("OGP-tilsagn", "OGP commitments")))
            starred = sum(1 for c in commitments if str(m.value(c, GG.starred)).lower() in ("true", "1"))
            if starred:
                figures.append((starred, t("stjernemarkerede tilsagn", "starred commitments")))
        if plans:
            years = sorted(str(y) for p in plans for y in m.objects(p, GG.cycleYear))
            span = f" ({years[0]}–{years[-1]})" if len(years) > 1 else ""
            figures.append((len(plans), t("handlingsplaner", "action plans") + esc(span)))
        assessed = [v for v in self.completions.values() if v is not None]
        if assessed:
            done = sum(1 for v in assessed if str(v).rsplit("/", 1)[-1] in ("complete", "substantial"))
            figures.append(
                (
                    f"{done}/{len(assessed)}",
                    t(
                        "vurderede tilsagn gennemført helt eller i væsentligt omfang",
                        "assessed commitments completed in full or substantially",
                    ),
                )
            )
        programmes = [p for p in self.instances.get(GG.PolicyProgramme, []) if not self.is_a(p, GG.ActionPlan)]
        if programmes:
            figures.append(
                (len(programmes), t("reformer, strategier og programmer", "reforms, strategies and programmes"))
            )
        institutions = self.instances.get(ORG.Organization, [])
        if institutions:
            figures.append((len(institutions), t("institutioner", "institutions")))
        documents = self.instances.get(GG.SourceDocument, [])
        if documents:
            figures.append((len(documents), t("kildedokumenter", "source documents")))
        return figures

    def home(self, downloads: tuple[str, ...] = ()) -> bytes:
        """The home page for a newcomer: what this is, the figures, where to start, the whole dataset to
        download and how to query it. ``downloads`` are the dataset files that sit beside the site."""
        m = self.model
        manifest = m.manifest
        entries = []
        for cls, da, en, da_text, en_text in (
            (
                GG.Commitment,
                "Tilsagn",
                "Commitments",
                "Hvad regeringen har lovet i OGP, med IRM's vurderinger.",
                "What the government promised in the OGP, with the IRM's assessments.",
            ),
            (
                GG.ActionPlan,
                "Handlingsplaner",
                "Action plans",
                "Tilsagnene samlet i toårige planer.",
                "The commitments, gathered in two-year plans.",
            ),
            (
                GG.PolicyProgramme,
                "Reformer og programmer",
                "Reforms and programmes",
                "Reformer, strategier og aftaler med deres spor, initiativer, mål og penge.",
                "Reforms, strategies and agreements with their tracks, initiatives, goals and money.",
            ),
            (
                ORG.Organization,
                "Institutioner",
                "Institutions",
                "Myndigheder og organisationer og deres roller.",
                "Authorities and organisations and their roles.",
            ),
            (
                GG.SourceDocument,
                "Kilder",
                "Sources",
                "Dokumenterne, som hvert udsagn kan spores tilbage til.",
                "The documents every statement can be traced to.",
            ),
        ):
            if cls in self.instances:
                entries.append(
                    f'<li><a href="{class_page(cls, m)}.html">{t(da, en)}</a> '
                    f'<span class="count">({len(self.instances[cls])})</span>'
                    f"<br><small>{t(da_text, en_text)}</small></li>"
                )
        ogp = ""
        if GG.Commitment in self.instances:
            ogp = (
                "<p>"
                + t(
                    "Open Government Partnership (OGP) er et internationalt partnerskab, hvor regeringer sammen med "
                    "civilsamfundet afgiver tilsagn i toårige handlingsplaner. OGP's Independent Reporting Mechanism "
                    "(IRM) vurderer, hvor godt hvert tilsagn er udformet og gennemført.",
                    "The Open Government Partnership (OGP) is an international partnership in which governments, "
                    "together with civil society, make commitments in two-year action plans. The OGP's Independent "
                    "Reporting Mechanism (IRM) assesses how well each commitment is designed and carried out.",
                )
                + "</p>"
            )
        what = (
            "<p>"
            + t(
                "Hver ting i data – et tilsagn, en plan, en reform, en institution – har sin egen side her, med links "
                "til det, den hænger sammen med, og til den kilde, den stammer fra. De samme data findes som åbne, "
                "maskinlæsbare filer (linked open data).",
                "Every thing in the data – a commitment, a plan, a reform, an institution – has a page of its own "
                "here, with links to what it is connected with and to the source it comes from. The same data is "
                "available as open, machine-readable files (linked open data).",
            )
            + "</p>"
        )
        figures = self.headline_figures()
        files = [f for f in DOWNLOADS if f[0] in downloads]
        download_items = "".join(
            f'<li><a href="{esc(name)}" type="{mime}" download>{label}</a> <code class="curie">{esc(name)}</code></li>'
            for name, label, mime in files
        )
        if not download_items:
            download_items = (
                "<li>"
                + t(
                    "Hele datasættet laves med govgraph release; hver side har også sine egne data som Turtle og "
                    "JSON-LD.",
                    "The whole dataset is made with govgraph release; every page also has its own data as Turtle and "
                    "JSON-LD.",
                )
                + "</li>"
            )
        first_file = files[0][0] if files else "govgraph.ttl"
        guide = (
            "<p>"
            + t("Med govgraph (Python) på din egen maskine:", "With govgraph (Python) on your own machine:")
            + "</p>\n<pre><code>pip install govgraph\ngovgraph queries\n"
            + f"govgraph query starred-commitments --data {esc(first_file)} --format csv</code></pre>\n<p>"
            + t(
                "Eller læs filen ind i ethvert RDF-værktøj (Oxigraph, Apache Jena, rdflib) og stil "
                "SPARQL-forespørgsler. Katalogets forespørgsler er dokumenteret her:",
                "Or load the file into any RDF tool (Oxigraph, Apache Jena, rdflib) and ask SPARQL queries. The "
                "catalogue's queries are documented here:",
            )
            + f' <a href="queries.html">{t("forespørgselskataloget", "the query catalogue")}</a>.</p>'
        )
        entry_list = '<ul class="entries">' + "".join(entries) + "</ul>"
        download_list = '<ul class="values">' + download_items + "</ul>"
        body = f"""<h1>{multilingual(m.in_site_order(manifest.title))}</h1>
<div class="lead"><p>{multilingual(m.in_site_order(manifest.description))}</p></div>
{section("about", t("Hvad er det her?", "What is this?"), what + ogp)}
{section("figures", t("Tal", "In figures"), figures_list(figures)) if figures else ""}
{chart_block("home", m, None, "index")}
{section("start", t("Hvor skal jeg begynde?", "Where to start"), entry_list) if entries else ""}
{section("download", t("Hent hele datasættet", "Download the whole dataset"), download_list)}
{section("query", t("Stil dine egne spørgsmål", "Query it yourself"), guide)}
{section("more", t("For udviklere", "For developers"), self.developer_links())}"""
        data = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "@id": m.base,
            "name": first_text(manifest.title),
            "description": first_text(manifest.description),
            "url": m.base + "index.html",
            "license": manifest.license,
            "publisher": {"@type": "Organization", "name": manifest.publisher.name},
            "inLanguage": list(manifest.languages),
        }
        description = shorten(manifest.description.get(m.interface_language) or first_text(manifest.description))
        return m.layout("index", manifest.title, body, structured_data=data, alternates=(), description=description)

    def developer_links(self) -> str:
        m = self.model
        classes = "".join(
            f'<li><a href="{class_page(cls, m)}.html">{m.label_html(cls)}</a> '
            f'<span class="count">({len(self.instances[cls])})</span></li>'
            for cls in sorted(self.instances, key=m.sort_key)
        )
        return (
            '<ul class="values">'
            f'<li><a href="def/index.html">{t("Ontologien", "The ontology")}</a></li>'
            f'<li><a href="def/shapes.html">{t("Valideringsreglerne (SHACL)", "The validation shapes (SHACL)")}'
            "</a></li>"
            f'<li><a href="queries.html">{t("Forespørgselskataloget (SPARQL)", "The query catalogue (SPARQL)")}'
            "</a></li>"
            f"</ul><details><summary>{t('Alle oversigter', 'Every index')}</summary>"
            f'<ul class="values columns">{classes}</ul></details>'
        )

    def search_page(self) -> bytes:
        m = self.model
        options = "".join(
            f'<option value="{esc(class_page(cls, m)[len("class/") :])}"'
            + "".join(f' data-label-{esc(lang)}="{esc(m.plain_label(cls, lang))}"' for lang in m.languages)
            + f">{esc(m.plain_label(cls, m.interface_language))}</option>"
            for cls in sorted(self.searchable_classes(), key=m.sort_key)
        )
        body = f"""<h1>{t("Søg", "Search")}</h1>
<form class="search-page" action="search.html">
<p><label for="search-page-q">{t("Søg efter", "Search for")}</label>
<input id="search-page-q" name="q" type="search" autocomplete="off">
<label for="search-page-type">{t("Slags", "Kind")}</label>
<select id="search-page-type" name="type"><option value="">{esc("Alle / All")}</option>{options}</select>
<button type="submit">{t("Søg", "Search")}</button></p>
</form>
<p class="hint">{
            t(
                "Store og små bogstaver og accenter er ligegyldige; id'er kan forkortes (dk40); ord kan afkortes.",
                "Case and accents do not matter; identifiers may be shortened (dk40); words may be cut short.",
            )
        }</p>
<p class="noscript-only">{
            t(
                "Søgningen kræver JavaScript; brug ellers oversigterne i menuen.",
                "Search needs JavaScript; otherwise use the indexes in the menu.",
            )
        }</p>
<p id="search-page-status" role="status"></p>
<ul id="search-page-results" class="values"></ul>"""
        return m.layout("search", {"da": "Søg", "en": "Search"}, body, alternates=(), description="Search")

    def searchable_classes(self) -> list[URIRef]:
        """The classes a search can be narrowed to: the most specific class of each page."""
        return sorted({c for iri in self.model.paths for c in self.model.types(iri)}, key=str)

    def search_index(self) -> bytes:
        """The search index as a script that sets a global: it loads from file:// too, where fetch() is refused.

        ``{"types": {key: {lang: label}}, "entries": [[path, {lang: label}, identifier, [type keys], words]]}``;
        words are the labels, identifier (also without leading zeros: DK0040 → dk40) and other names, case and
        diacritics folded (see model.fold and site.js)."""
        m = self.model
        types: dict[str, dict[str, str]] = {}
        entries = []
        for iri, path in sorted(m.paths.items(), key=lambda item: item[1]):
            labels = {lang: text for lang, text in m.labels(iri).items() if lang} or {"": m.plain_label(iri)}
            identifier = m.value(iri, DCTERMS.identifier)
            keys = []
            for cls in sorted(m.types(iri), key=str):
                key = class_page(cls, m)[len("class/") :]
                keys.append(key)
                types.setdefault(key, m.labels(cls) or {"": m.curie(cls)})
            names = [*labels.values(), *(str(o) for p in (SKOS.altLabel, SKOS.notation) for o in m.objects(iri, p))]
            ident = str(identifier) if identifier is not None else ""
            if ident:
                names.append(ident + " " + compact_identifier(ident))
            words = " ".join(dict.fromkeys(fold(" ".join(names)).split()))
            entries.append([path, labels, ident, keys, words])
        text = json.dumps(
            {"types": types, "entries": entries}, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        )
        # Inside a .js file nothing is parsed as HTML, but "</script" or U+2028 must still not break the script.
        text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return f"window.GOVGRAPH_SEARCH={text};\n".encode()


def compact_identifier(identifier: str) -> str:
    """DK0040 → dk40, AP_DNK02 → apdnk2: what a reader types for an identifier."""
    import re

    return re.sub(r"(?<![0-9])0+(?=[0-9])", "", re.sub(r"[^0-9a-z]", "", identifier.casefold()))


# The lines part of an excerpt's locator ("Commitments, item 28, lines 235-237"), which a page shows as a hint.
LINES_SUFFIX = re.compile(r"(?:^|,\s*)lines? \d+(?:\s*[-–]\s*\d+)?$")


def line_key(model: SiteModel, excerpt: URIRef) -> tuple:
    first = model.value(excerpt, GG.firstLine)
    try:
        return (int(first), 0) if first is not None else (1 << 30, 0)
    except ValueError:
        return (1 << 30, 0)


def trim_zero(number: str) -> str:
    """456000000.0 → 456000000."""
    return number[:-2] if number.endswith(".0") else number


def figures_list(figures: list[tuple[int | str, str]]) -> str:
    items = "".join(f'<li><span class="figure">{esc(n)}</span> {label}</li>' for n, label in figures)
    return f'<ul class="figures">{items}</ul>'


def multilingual_paragraphs(texts: dict[str, str]) -> str:
    """A description per language as one paragraph element with a span per language."""
    return f"<p>{multilingual(texts)}</p>"


def shorten(text: str, limit: int = 200) -> str:
    """A meta description: the text's first sentences up to ``limit`` characters, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
