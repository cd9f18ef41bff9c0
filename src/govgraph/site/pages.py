"""The pages about the data: one page per resource (HTML, Turtle, JSON-LD), an index per class, the home page
and the search page with its index."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from govgraph.export import serialize
from govgraph.namespaces import CV, GG, ORG, bind_prefixes
from govgraph.package import first_text
from govgraph.site.model import (
    ONTOLOGY,
    SAFE_PATH,
    SiteModel,
    esc,
    multilingual,
    root_of,
    section,
    t,
    table,
    texts_by_language,
)

# Properties shown in a section of their own rather than in the table of properties.
OWN_SECTIONS = {RDF.type, PROV.wasDerivedFrom}
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

    def __init__(self, model: SiteModel):
        self.model = model
        self.graph = model.graph
        self.superclasses = self._superclasses()
        # The classes that get an index: those of the resources under <base>id/, with their superclasses from
        # the ontology (so gg:PolicyProgramme lists reforms, strategies, agreements, ...).
        self.instances: dict[URIRef, list[URIRef]] = defaultdict(list)
        for s in model.paths:
            if str(s).startswith(model.id_prefix):
                classes = set()
                for cls in self.graph.objects(s, RDF.type):
                    if isinstance(cls, URIRef):
                        classes |= {cls, *self.superclasses.get(cls, ())}
                for cls in classes:
                    self.instances[cls].append(s)
        for members in self.instances.values():
            members.sort(key=model.sort_key)
        # One namespace manager for every page's graph: rdflib caches the prefixed names it works out there, so
        # pages after the first reuse them (with a manager per page, that was a fifth of the site's time).
        prefixes = Graph()
        bind_prefixes(prefixes, model.base)
        self.namespaces = prefixes.namespace_manager

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

    # ------------------------------------------------------------------------------------ one resource

    def resource_files(self, iri: URIRef) -> Iterator[tuple[str, bytes]]:
        """The HTML, Turtle and JSON-LD documents of one resource."""
        path = self.model.paths[iri]
        description = self.description_graph(iri)
        yield path + ".html", self.resource_html(iri, path)
        yield path + ".ttl", serialize(description, "turtle")
        yield path + ".jsonld", serialize(description, "jsonld")

    def description_graph(self, iri: URIRef) -> Graph:
        """What the resource's documents say: its triples both ways, and the labels of the resources linked."""
        g = Graph(namespace_manager=self.namespaces)
        neighbours = set()
        for triple in self.graph.triples((iri, None, None)):
            g.add(triple)
            neighbours.add(triple[2])
        for triple in self.graph.triples((None, None, iri)):
            g.add(triple)
            neighbours.add(triple[0])
        for node in neighbours:
            if isinstance(node, URIRef) and node != iri:
                for p in (RDFS.label, SKOS.prefLabel):
                    for o in self.graph.objects(node, p):
                        g.add((node, p, o))
        return g

    def resource_html(self, iri: URIRef, path: str) -> bytes:
        m = self.model
        name = path.rsplit("/", 1)[-1]
        types = sorted((c for c in self.graph.objects(iri, RDF.type) if isinstance(c, URIRef)), key=m.sort_key)
        type_links = ", ".join(self.class_link(c, path) for c in types)
        heading = m.label_html(iri)
        parts = [
            f'<p class="kind">{type_links}</p>' if types else "",
            f"<h1>{heading}</h1>",
            f'<p class="iri">IRI: <code>{esc(iri)}</code> · {t("Hent som", "Download as")} '
            f'<a href="{esc(name)}.ttl" type="text/turtle">Turtle</a> · '
            f'<a href="{esc(name)}.jsonld" type="application/ld+json">JSON-LD</a></p>',
        ]
        if GG.Commitment in types:
            parts.append(self.assessments_section(iri, path))
        if GG.ActionPlan in types:
            parts.append(chart_block("action_plan", m, iri, path))
        elif any(c == GG.PolicyProgramme or GG.PolicyProgramme in self.superclasses.get(c, ()) for c in types):
            parts.append(chart_block("programme", m, iri, path))
        parts.append(self.properties_section(iri, path))
        parts.append(self.incoming_section(iri, path))
        parts.append(self.provenance_section(iri, path))
        title = m.labels(iri) or {"": m.plain_label(iri)}
        return self.model.layout(
            path, title, "\n".join(p for p in parts if p), structured_data=self.schema_org(iri, types)
        )

    def class_link(self, cls: URIRef, here: str) -> str:
        m = self.model
        if cls in self.instances:
            return f'<a href="{root_of(here)}{class_page(cls, m)}.html">{m.label_html(cls)}</a>'
        return m.link(cls, here)

    def properties_section(self, iri: URIRef, path: str) -> str:
        m = self.model
        by_property: dict[URIRef, list] = defaultdict(list)
        for p, o in self.graph.predicate_objects(iri):
            if p not in OWN_SECTIONS:
                by_property[p].append(o)
        if not by_property:
            return ""
        rows = []
        for p in sorted(by_property, key=lambda p: (m.plain_label(p, "en").casefold(), str(p))):
            values = sorted(by_property[p], key=m.value_key)
            rows.append(
                f'<tr><th scope="row">{self.property_name(p, path)}</th><td>{m.values_html(values, path)}</td></tr>'
            )
        heading = t("Egenskaber", "Properties")
        return section("properties", heading, table("properties", heading, rows))

    def property_name(self, p: URIRef, here: str) -> str:
        """A property's label (both languages) linked to its definition, with its compact name."""
        m = self.model
        shown = multilingual(m.labels(p))
        curie = f"<code>{esc(m.curie(p))}</code>"
        return m.link(p, here, f"{shown} {curie}" if shown else curie)

    def incoming_section(self, iri: URIRef, path: str) -> str:
        """The resources that link here, grouped by the property they link with ("referenced by")."""
        m = self.model
        by_property: dict[URIRef, list[URIRef]] = defaultdict(list)
        for s, p in self.graph.subject_predicates(iri):
            if isinstance(s, URIRef) and p != RDF.type:
                by_property[p].append(s)
        if not by_property:
            return ""
        rows = []
        for p in sorted(by_property, key=lambda p: (m.plain_label(p, "en").casefold(), str(p))):
            subjects = sorted(set(by_property[p]), key=m.sort_key)
            items = "".join(f"<li>{m.link(s, path)}</li>" for s in subjects)
            rows.append(
                f'<tr><th scope="row">{self.property_name(p, path)}</th><td><ul class="values">{items}</ul></td></tr>'
            )
        heading = t("Henvist til fra", "Referenced by")
        return section("incoming", heading, table("properties", heading, rows))

    def provenance_section(self, iri: URIRef, path: str) -> str:
        """Where the resource comes from: prov:wasDerivedFrom an excerpt (document, locator, first and last line)."""
        m = self.model
        excerpts = sorted((e for e in self.graph.objects(iri, PROV.wasDerivedFrom) if isinstance(e, URIRef)), key=str)
        if not excerpts:
            return ""
        rows = []
        for excerpt in excerpts:
            document = self.graph.value(excerpt, DCTERMS.isPartOf)
            locator = self.graph.value(excerpt, GG.locator)
            first, last = self.graph.value(excerpt, GG.firstLine), self.graph.value(excerpt, GG.lastLine)
            if first is not None and last is not None and first != last:
                lines = f"{esc(first)}–{esc(last)}"
            else:
                lines = esc(first if first is not None else last if last is not None else "")
            rows.append(
                "<tr>"
                f"<td>{m.link(document, path) if isinstance(document, URIRef) else ''}</td>"
                f"<td>{m.link(excerpt, path, esc(locator) if locator is not None else None)}</td>"
                f"<td>{lines}</td></tr>"
            )
        heading = t("Kilde", "Provenance")
        headers = [t("Kildedokument", "Source document"), t("Sted", "Locator"), t("Linjer", "Lines")]
        return section("provenance", heading, table("provenance", heading, rows, headers))

    def assessments(self, commitment: URIRef) -> list[URIRef]:
        """The IRM assessments of a commitment, latest report type first, then by report and criterion."""
        m = self.model

        def key(a: URIRef) -> tuple:
            report = self.graph.value(a, GG.report)
            report_type = self.graph.value(report, GG.reportType) if report is not None else None
            rank = REPORT_RANK.get(str(report_type).rsplit("/", 1)[-1], 9) if report_type is not None else 9
            criterion = self.graph.value(a, GG.criterion)
            return (
                rank,
                m.plain_label(report, "en") if report is not None else "",
                m.plain_label(criterion, "en") if criterion is not None else "",
                str(a),
            )

        return sorted(
            (a for a in self.graph.subjects(GG.assessedCommitment, commitment) if isinstance(a, URIRef)), key=key
        )

    def assessments_section(self, iri: URIRef, path: str) -> str:
        m = self.model
        assessments = self.assessments(iri)
        if not assessments:
            return ""
        rows = []
        for number, a in enumerate(assessments, 1):
            cells = [m.link(a, path, str(number))]
            for p in (GG.report, GG.criterion, GG.value):
                value = self.graph.value(a, p)
                cells.append(m.link(value, path) if isinstance(value, URIRef) else "")
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        heading = t("IRM-vurderinger", "IRM assessments")
        headers = ["#", t("Rapport", "Report"), t("Kriterium", "Criterion"), t("Vurdering", "Value")]
        return section("assessments", heading, table("assessments", heading, rows, headers))

    def schema_org(self, iri: URIRef, types: list[URIRef]) -> dict:
        """Embedded schema.org JSON-LD for search engines: type, name(s), identifier, description, url."""
        m = self.model
        classes = set(types)
        for cls in types:
            classes |= self.superclasses.get(cls, set())
        schema_type = next((name for cls, name in SCHEMA_TYPES if cls in classes), "CreativeWork")
        data: dict = {"@context": "https://schema.org", "@type": schema_type, "@id": str(iri)}
        names = [{"@language": lang, "@value": text} for lang, text in sorted(m.labels(iri).items()) if lang]
        data["name"] = names or m.plain_label(iri)
        identifier = self.graph.value(iri, DCTERMS.identifier)
        if identifier is not None:
            data["identifier"] = str(identifier)
        descriptions = texts_by_language(self.graph, iri, DCTERMS.description, SKOS.definition, RDFS.comment)
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
        for cls in sorted(self.instances, key=str):
            m = self.model
            path = class_page(cls, m)
            body = self.commitments_table(path) if cls == GG.Commitment else self.members_table(cls, path)
            definition = m.link(cls, path, f"<code>{esc(m.curie(cls))}</code>")
            text = (
                f'<p class="kind">{t("Klasse", "Class")} {definition}</p><h1>{m.label_html(cls)}</h1>\n'
                f"<p>{len(self.instances[cls])} {t('ressourcer', 'resources')}</p>\n{body}"
            )
            yield path + ".html", self.model.layout(path, m.labels(cls) or {"": m.curie(cls)}, text, alternates=())

    def members_table(self, cls: URIRef, path: str) -> str:
        m = self.model
        rows = []
        for s in self.instances[cls]:
            identifier = self.graph.value(s, DCTERMS.identifier)
            rows.append(
                f"<tr><td>{m.link(s, path)}</td><td>{esc(identifier) if identifier is not None else ''}</td></tr>"
            )
        return table("index", m.label_html(cls), rows, [t("Navn", "Name"), t("Id", "Id")])

    def latest_completion(self, commitment: URIRef) -> URIRef | None:
        """The value of the commitment's latest IRM completion assessment (end-of-term before progress report)."""
        for a in self.assessments(commitment):
            criterion = self.graph.value(a, GG.criterion)
            if criterion is not None and str(criterion).endswith("/irm-criterion/completion"):
                value = self.graph.value(a, GG.value)
                if isinstance(value, URIRef):
                    return value
        return None

    def commitments_table(self, path: str) -> str:
        """All commitments: id, title, action plan, policy areas, completion; sortable by any column."""
        m = self.model
        commitments = sorted(
            self.instances[GG.Commitment], key=lambda c: (str(self.graph.value(c, DCTERMS.identifier) or ""), str(c))
        )
        rows = []
        for c in commitments:
            identifier = str(self.graph.value(c, DCTERMS.identifier) or "")
            plan = self.graph.value(c, GG.actionPlan)
            areas = sorted((a for a in self.graph.objects(c, GG.policyArea) if isinstance(a, URIRef)), key=m.sort_key)
            completion = self.latest_completion(c)
            cells = [
                (identifier, m.link(c, path, esc(identifier or m.curie(c)))),
                (m.plain_label(c, "en"), m.label_html(c)),
                (m.plain_label(plan, "en") if plan is not None else "", m.link(plan, path) if plan is not None else ""),
                (
                    "; ".join(m.plain_label(a, "en") for a in areas),
                    '<ul class="values">' + "".join(f"<li>{m.link(a, path)}</li>" for a in areas) + "</ul>"
                    if areas
                    else "",
                ),
                (
                    m.plain_label(completion, "en") if completion is not None else "",
                    m.link(completion, path) if completion is not None else "",
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
            f'<p class="hint">{t("Klik på en kolonneoverskrift for at sortere.", "Click a column header to sort.")}</p>'
            f'<table class="index sortable" id="commitments"><caption class="visually-hidden">'
            f"{t('Tilsagn', 'Commitments')}</caption><thead><tr>{head}</tr></thead><tbody>\n"
            + "\n".join(rows)
            + "\n</tbody></table>"
        )

    # ------------------------------------------------------------------------------------ home and search

    def home(self) -> bytes:
        m = self.model
        rows = []
        for cls in sorted(self.instances, key=lambda c: (m.plain_label(c, "en").casefold(), str(c))):
            rows.append(
                f'<tr><td><a href="{class_page(cls, m)}.html">{m.label_html(cls)}</a></td>'
                f"<td><code>{esc(m.curie(cls))}</code></td><td>{len(self.instances[cls])}</td></tr>"
            )
        classes = table("index", t("Klasser", "Classes"), rows, [t("Klasse", "Class"), "IRI", t("Antal", "Count")])
        description = multilingual(texts_by_language(self.graph, URIRef(ONTOLOGY), DCTERMS.description))
        manifest = m.manifest
        about = multilingual(manifest.description)
        body = f"""<h1>{multilingual(manifest.title)}</h1>
<p>{about}</p>
{f"<p>{description}</p>" if description else ""}
<ul>
<li><a href="def/index.html">{t("Ontologien", "The ontology")}</a></li>
<li><a href="def/shapes.html">{t("Valideringsreglerne (SHACL)", "The validation shapes (SHACL)")}</a></li>
<li><a href="queries.html">{t("Forespørgselskataloget (SPARQL)", "The query catalogue (SPARQL)")}</a></li>
</ul>
{chart_block("home", m, None, "index")}
{section("classes", t("Klasser", "Classes"), classes)}"""
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
        return self.model.layout("index", manifest.title, body, structured_data=data, alternates=())

    def search_page(self) -> bytes:
        body = f"""<h1>{t("Søg", "Search")}</h1>
<p class="noscript-only">{
            t(
                "Søgningen kræver JavaScript; brug ellers oversigterne i menuen.",
                "Search needs JavaScript; otherwise use the indexes in the menu.",
            )
        }</p>
<p id="search-page-status" role="status"></p>
<ul id="search-page-results" class="values"></ul>"""
        return self.model.layout("search", {"da": "Søg", "en": "Search"}, body, alternates=())

    def search_index(self) -> bytes:
        """The search index as a script that sets a global: it loads from file:// too, where fetch() is refused.

        One entry per page: [path, Danish label, English label, identifier and class]."""
        m = self.model
        entries = []
        for iri, path in sorted(self.model.paths.items(), key=lambda item: item[1]):
            labels = m.labels(iri)
            fallback = m.plain_label(iri)
            identifier = self.graph.value(iri, DCTERMS.identifier)
            types = sorted(m.plain_label(c, "en") for c in self.graph.objects(iri, RDF.type) if isinstance(c, URIRef))
            extra = " · ".join([*([str(identifier)] if identifier is not None else []), *types])
            entries.append(
                [path, labels.get("da", ""), labels.get("en", "") or (fallback if "da" not in labels else ""), extra]
            )
        text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        # Inside a .js file nothing is parsed as HTML, but "</script" or U+2028 must still not break the script.
        text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return f"window.GOVGRAPH_SEARCH={text};\n".encode()
