"""The pages about the vocabulary: the ontology (classes and properties), the SHACL shapes and the query
catalogue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from govgraph.namespaces import GG
from govgraph.site.model import (
    ONTOLOGY,
    SHAPES,
    SiteModel,
    esc,
    first_of,
    multilingual,
    section,
    t,
    table,
    texts_by_language,
)
from govgraph.site.pages import ResourcePages, class_page, shorten

PROPERTY_KINDS = (
    (OWL.ObjectProperty, "Objektegenskaber", "Object properties"),
    (OWL.DatatypeProperty, "Dataegenskaber", "Datatype properties"),
    (OWL.AnnotationProperty, "Annotationsegenskaber", "Annotation properties"),
)
# Shown in a shape's own rows (path, message, severity) or not at all (type), not among its constraints.
NOT_CONSTRAINTS = {SH.path, SH.message, SH.severity, SH.name, SH.description, RDF.type, SH.property, SH.sparql}
DEFINITION = (SKOS.definition, RDFS.comment)


class VocabularyPages:
    def __init__(self, model: SiteModel, resources: ResourcePages):
        self.model = model
        self.graph = model.graph
        self.resources = resources

    # ------------------------------------------------------------------------------------ the ontology

    def terms(self, kind: URIRef) -> list[URIRef]:
        return sorted(
            (s for s in self.graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(str(GG))),
            key=lambda s: (str(s).casefold(), str(s)),
        )

    def ontology_files(self) -> Iterator[tuple[str, bytes]]:
        """def/index.html documents every class and property; def/index.ttl and .jsonld hold the ontology."""
        documents = self.resources.documents
        ontology = {
            s: predicates
            for s, predicates in documents.nodes.items()
            if str(s) == ONTOLOGY or (isinstance(s, URIRef) and str(s).startswith(str(GG)))
        }
        yield "def/index.html", self.ontology_html()
        yield "def/index.ttl", documents.turtle(ontology, first=URIRef(ONTOLOGY))
        yield "def/index.jsonld", documents.jsonld(ontology)

    def ontology_html(self) -> bytes:
        m = self.model
        path = "def/index"
        ontology = URIRef(ONTOLOGY)
        title = texts_by_language(self.graph, ontology, DCTERMS.title, RDFS.label) or {"": "govgraph ontology"}
        version = self.graph.value(ontology, OWL.versionInfo)
        licence = self.graph.value(ontology, DCTERMS.license)
        classes = self.terms(OWL.Class)
        sections = [
            f"<h1>{multilingual(title)}</h1>",
            f"<p>{multilingual(texts_by_language(self.graph, ontology, DCTERMS.description))}</p>",
            '<dl class="facts">'
            f"<dt>IRI</dt><dd><code>{esc(ONTOLOGY)}</code></dd>"
            f"<dt>{t('Navnerum', 'Namespace')}</dt><dd><code>gg: {esc(GG)}</code></dd>"
            + (f"<dt>{t('Version', 'Version')}</dt><dd>{esc(version)}</dd>" if version is not None else "")
            + (f"<dt>{t('Licens', 'Licence')}</dt><dd>{m.link(licence, path, esc(licence))}</dd>" if licence else "")
            + f'<dt>{t("Hent som", "Download as")}</dt><dd><a href="index.ttl" type="text/turtle">Turtle</a> · '
            '<a href="index.jsonld" type="application/ld+json">JSON-LD</a></dd></dl>',
            '<nav aria-label="Indhold / Contents"><ul>'
            f'<li><a href="#classes">{t("Klasser", "Classes")}</a></li>'
            + "".join(f'<li><a href="#{kind.fragment}">{t(da, en)}</a></li>' for kind, da, en in PROPERTY_KINDS)
            + f'<li><a href="#schemes">{t("Begrebssystemer (SKOS)", "Concept schemes (SKOS)")}</a></li></ul></nav>',
            f'<section aria-labelledby="classes"><h2 id="classes">{t("Klasser", "Classes")}</h2>',
            *(self.class_section(c, path) for c in classes),
            "</section>",
        ]
        for kind, da, en in PROPERTY_KINDS:
            sections.append(f'<section aria-labelledby="{kind.fragment}"><h2 id="{kind.fragment}">{t(da, en)}</h2>')
            sections.extend(self.property_section(p, path) for p in self.terms(kind))
            sections.append("</section>")
        sections.append(self.schemes_section(path))
        data = self.resources.schema_org(ontology, [OWL.Ontology])
        about = first_of(texts_by_language(self.graph, ontology, DCTERMS.description)) or first_of(title)
        return self.model.layout(path, title, "\n".join(sections), structured_data=data, description=shorten(about))

    def term_heading(self, term: URIRef) -> str:
        m = self.model
        local = str(term)[len(str(GG)) :]
        return f'<h3 id="{esc(local)}">{m.label_html(term)} <code>{esc(m.curie(term))}</code></h3>'

    def links(self, terms, path: str) -> str:
        m = self.model
        items = sorted((x for x in terms if isinstance(x, URIRef)), key=lambda x: m.curie(x))
        return ", ".join(m.link(x, path, f"<code>{esc(m.curie(x))}</code>") for x in items)

    def class_section(self, cls: URIRef, path: str) -> str:
        m = self.model
        rows = [(t("Definition", "Definition"), multilingual(texts_by_language(self.graph, cls, *DEFINITION)))]
        rows.append((t("Underklasse af", "Subclass of"), self.links(self.graph.objects(cls, RDFS.subClassOf), path)))
        rows.append(
            (
                t("Egenskaber med dette domæne", "Properties with this domain"),
                self.links(self.graph.subjects(RDFS.domain, cls), path),
            )
        )
        if cls in self.resources.instances:
            count = len(self.resources.instances[cls])
            rows.append((t("Forekomster", "Instances"), f'<a href="../{class_page(cls, m)}.html">{count}</a>'))
        return f'<div class="term">{self.term_heading(cls)}{definition_list(rows)}</div>'

    def property_section(self, prop: URIRef, path: str) -> str:
        rows = [
            (t("Definition", "Definition"), multilingual(texts_by_language(self.graph, prop, *DEFINITION))),
            (t("Domæne", "Domain"), self.links(self.graph.objects(prop, RDFS.domain), path)),
            (t("Værdimængde", "Range"), self.links(self.graph.objects(prop, RDFS.range), path)),
            (t("Underegenskab af", "Subproperty of"), self.links(self.graph.objects(prop, RDFS.subPropertyOf), path)),
            (t("Omvendt af", "Inverse of"), self.links(self.graph.objects(prop, OWL.inverseOf), path)),
            # why a property has no domain or range (docs/vocabulary.md)
            (t("Note", "Note"), multilingual(texts_by_language(self.graph, prop, SKOS.editorialNote))),
        ]
        return f'<div class="term">{self.term_heading(prop)}{definition_list(rows)}</div>'

    def schemes_section(self, path: str) -> str:
        m = self.model
        schemes = sorted(
            (s for s in self.graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)), key=str
        )
        members: dict[URIRef, int] = defaultdict(int)
        for _concept, scheme in self.graph.subject_objects(SKOS.inScheme):
            members[scheme] += 1
        rows = [
            f"<tr><td>{m.link(s, path)}</td><td><code>{esc(m.curie(s))}</code></td><td>{members[s]}</td>"
            f"<td>{multilingual(texts_by_language(self.graph, s, *DEFINITION))}</td></tr>"
            for s in schemes
        ]
        heading = t("Begrebssystemer (SKOS)", "Concept schemes (SKOS)")
        headers = [t("Navn", "Name"), "IRI", t("Begreber", "Concepts"), t("Definition", "Definition")]
        return section("schemes", heading, table("index", heading, rows, headers))

    # ------------------------------------------------------------------------------------ the shapes

    def shapes_files(self, files: list[Path]) -> Iterator[tuple[str, bytes]]:
        """def/shapes.html documents every shape; def/shapes.ttl is the shapes files as they are, one after the
        other (their blank nodes make a re-serialization differ from run to run)."""
        graphs = []
        union = Graph()
        for f in files:
            g = Graph().parse(f, format="turtle")
            graphs.append((f, g))
            union += g
        path = "def/shapes"
        parts = [
            f"<h1>{t('Valideringsregler (SHACL)', 'Validation shapes (SHACL)')}</h1>",
            "<p>"
            + t(
                "Reglerne, som govgraph validate tjekker data mod. Alvorlighed: Violation (skal), Warning (bør), "
                "Info (kan).",
                "The shapes govgraph validate checks data against. Severity: Violation (mandatory), Warning "
                "(recommended), Info (optional).",
            )
            + ' <a href="shapes.ttl" type="text/turtle">Turtle</a></p>',
            '<nav aria-label="Filer / Files"><ul>'
            + "".join(f'<li><a href="#file-{esc(f.stem)}">shapes/{esc(f.name)}</a></li>' for f, _ in graphs)
            + "</ul></nav>",
        ]
        for f, g in graphs:
            parts.append(
                f'<section aria-labelledby="file-{esc(f.stem)}"><h2 id="file-{esc(f.stem)}">shapes/{esc(f.name)}</h2>'
            )
            subjects = sorted({s for s in g.subjects() if isinstance(s, URIRef)}, key=str)
            parts.extend(self.shape_section(s, union, path) for s in subjects)
            parts.append("</section>")
        title = {"da": "Valideringsregler (SHACL)", "en": "Validation shapes (SHACL)"}
        about = "The SHACL shapes that govgraph validate checks the data against, file by file."
        yield path + ".html", self.model.layout(path, title, "\n".join(parts), alternates=("ttl",), description=about)
        text = "".join(f"# ---- shapes/{f.name}\n{f.read_text(encoding='utf-8').rstrip()}\n\n" for f in files)
        yield path + ".ttl", text.encode("utf-8")

    def shape_section(self, shape: URIRef, g: Graph, path: str) -> str:
        local = str(shape)[len(SHAPES) :] if str(shape).startswith(SHAPES) else self.model.curie(shape)
        kinds = ", ".join(self.shape_term(k, g, path) for k in sorted(g.objects(shape, RDF.type)))
        rows = [(t("Type", "Type"), kinds)]
        targets = [(p, o) for p, o in sorted(g.predicate_objects(shape)) if str(p).startswith(str(SH) + "target")]
        rows.append(
            (
                t("Mål", "Target"),
                "<br>".join(f"{self.shape_term(p, g, path)} {self.shape_term(o, g, path)}" for p, o in targets),
            )
        )
        if (shape, SH.path, None) in g:
            rows.append((t("Sti", "Path"), self.shape_term(g.value(shape, SH.path), g, path)))
        rows.append((t("Betingelser", "Constraints"), self.constraints(shape, g, path, skip_targets=True)))
        if (shape, SH.sparql, None) in g or (shape, SH.path, None) in g or (shape, SH.message, None) in g:
            rows.append((t("Alvorlighed", "Severity"), severity(g, shape)))
            rows.append((t("Besked", "Message"), multilingual(texts_by_language(g, shape, SH.message))))
        for constraint in sorted(g.objects(shape, SH.sparql)):
            rows.append(("SPARQL", self.sparql_constraint(constraint, g)))
        heading = f'<h3 id="{esc(local)}"><code>{esc(self.model.curie(shape))}</code></h3>'
        body = definition_list(rows)
        properties = sorted(
            g.objects(shape, SH.property), key=lambda n: (isinstance(n, BNode), str(g.value(n, SH.path)), str(n))
        )
        if properties:
            body += self.property_shapes_table(properties, g, path)
        return f'<div class="term">{heading}{body}</div>'

    def property_shapes_table(self, shapes: list, g: Graph, path: str) -> str:
        rows = []
        for ps in shapes:
            name = self.shape_term(ps, g, path) if isinstance(ps, URIRef) else ""
            rows.append(
                "<tr>"
                f"<td>{self.shape_term(g.value(ps, SH.path), g, path)} {name}</td>"
                f"<td>{self.constraints(ps, g, path) or '—'}</td>"
                f"<td>{severity(g, ps)}</td>"
                f"<td>{multilingual(texts_by_language(g, ps, SH.message)) or '—'}</td></tr>"
            )
        headers = [
            t("Sti", "Path"),
            t("Betingelser", "Constraints"),
            t("Alvorlighed", "Severity"),
            t("Besked", "Message"),
        ]
        return table("shapes", t("Egenskabsregler", "Property shapes"), rows, headers)

    def constraints(self, shape, g: Graph, path: str, skip_targets: bool = False) -> str:
        items = []
        for p, o in sorted(g.predicate_objects(shape)):
            if p in NOT_CONSTRAINTS or (skip_targets and str(p).startswith(str(SH) + "target")):
                continue
            items.append(f"{self.shape_term(p, g, path)} {self.shape_term(o, g, path)}")
        return "<br>".join(items)

    def sparql_constraint(self, node, g: Graph) -> str:
        message = multilingual(texts_by_language(g, node, SH.message))
        query = g.value(node, SH.select) or g.value(node, SH.ask) or ""
        return f"<p>{message}</p><pre><code>{esc(str(query).strip())}</code></pre>"

    def shape_term(self, term, g: Graph, path: str, depth: int = 0) -> str:
        """An RDF term of a shapes file as HTML: a compact name (linked where the site documents it), a literal in
        Turtle-like form, an RDF list as ( … ) and another blank node as [ … ]."""
        m = self.model
        if isinstance(term, URIRef):
            if str(term).startswith(SHAPES):
                local = str(term)[len(SHAPES) :]
                return f'<a href="#{esc(local)}"><code>ggsh:{esc(local)}</code></a>'
            return m.link(term, path, f"<code>{esc(m.curie(term))}</code>")
        if isinstance(term, Literal):
            if term.datatype is not None or isinstance(term.value, (bool, int)):
                return f"<code>{esc(term)}</code>"
            suffix = f"@{term.language}" if term.language else ""
            return f'<code>"{esc(term)}"{esc(suffix)}</code>'
        if term is None or depth > 4:
            return ""
        if (term, RDF.first, None) in g:
            return "( " + " ".join(self.shape_term(x, g, path, depth + 1) for x in Collection(g, term)) + " )"
        inner = " ; ".join(
            f"{self.shape_term(p, g, path, depth + 1)} {self.shape_term(o, g, path, depth + 1)}"
            for p, o in sorted(g.predicate_objects(term))
        )
        return f"[ {inner} ]"

    # ------------------------------------------------------------------------------------ the queries

    def queries_page(self) -> bytes:
        from govgraph.query import list_queries
        from govgraph.site import query_runner

        queries = list_queries()
        runnable = query_runner.find_engine() is not None
        toc = "".join(f'<li><a href="#{esc(q.name)}">{esc(q.name)}</a> – {esc(q.summary)}</li>' for q in queries)
        sections = []
        for q in queries:
            optional = t("(valgfri: ubundet)", "(optional: unbound)")  # bind_params leaves it out
            params = [
                f"<tr><td><code>{esc(p.name)}</code></td><td>{esc(p.type)}</td>"
                f"<td>{f'<code>{esc(p.default)}</code>' if p.default is not None else optional}</td>"
                f"<td>{esc(p.description)}</td></tr>"
                for p in q.params
            ]
            headers = [t("Navn", "Name"), t("Type", "Type"), t("Standard", "Default"), t("Beskrivelse", "Description")]
            params_table = table("params", t("Parametre", "Parameters"), params, headers) if params else ""
            facts = [(t("Form", "Form"), esc(q.form))]
            if q.tags:
                facts.append((t("Emner", "Tags"), esc(", ".join(q.tags))))
            if q.example:
                facts.append((t("Eksempel", "Example"), f"<code>{esc(q.example)}</code>"))
            sections.append(
                f'<section class="term" aria-labelledby="{esc(q.name)}"><h2 id="{esc(q.name)}">{esc(q.name)}</h2>'
                f'<p lang="en">{esc(q.summary)}</p>'
                + (f'<p lang="en">{esc(q.description)}</p>' if q.description else "")
                + definition_list(facts)
                + params_table
                + (query_runner.run_form(q) if runnable else "")
                + f"<details><summary>{t('Forespørgslen', 'The query')}</summary><pre><code>{esc(q.text.strip())}"
                "</code></pre></details></section>"
            )
        body = (
            f"<h1>{t('Forespørgselskatalog (SPARQL)', 'Query catalogue (SPARQL)')}</h1>\n<p>"
            + t(
                "Kør en forespørgsel med: govgraph query NAVN --param navn=værdi",
                "Run a query with: govgraph query NAME --param name=value",
            )
            + "</p>\n"
            + query_runner.catalogue_intro(runnable)
            + f'\n<nav aria-label="Forespørgsler / Queries"><ul>{toc}</ul></nav>\n'
            + "\n".join(sections)
            + query_runner.page_scripts(queries, self.model.id_prefix, runnable)
        )
        return self.model.layout(
            "queries",
            {"da": "Forespørgselskatalog", "en": "Query catalogue"},
            body,
            alternates=(),
            description="The bundled SPARQL queries, documented with their parameters.",
        )


def severity(g: Graph, shape) -> str:
    value = g.value(shape, SH.severity)
    return esc(str(value).rsplit("#", 1)[-1]) if value is not None else "Violation"


def definition_list(rows: list[tuple[str, str]]) -> str:
    """A <dl> of the rows that have a value."""
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows if value)
    return f'<dl class="facts">{items}</dl>' if items else ""
