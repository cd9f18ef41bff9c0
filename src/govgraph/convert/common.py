"""What every converter shares: minting, labels with language tags, typed literals, provenance."""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from govgraph.authorities import language as language_iri
from govgraph.iris import Minter, slugify
from govgraph.namespaces import GG, concept
from govgraph.records import DateValue, SourceDocument, SourceRef

DATATYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


class GraphWriter:
    """Adds triples to one graph, minting IRIs under one base."""

    def __init__(self, graph: Graph, minter: Minter):
        self.graph = graph
        self.minter = minter

    def iri(self, kind: str, key: str) -> URIRef:
        return URIRef(self.minter.thing(kind, key))

    def add(self, s: URIRef, p: URIRef, o) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, text: str | dict[str, str] | None, lang: str = "en") -> None:
        """A language-tagged literal, or one per language from a {lang: text} mapping."""
        if text is None:
            return
        items = text.items() if isinstance(text, dict) else [(lang, text)]
        for language, value in items:
            self.graph.add((s, p, Literal(value, lang=language)))

    def label(self, s: URIRef, text: str | dict[str, str], lang: str = "en") -> None:
        self.text(s, RDFS.label, text, lang)

    def concept(self, s: URIRef, p: URIRef, scheme: str, key: str | None) -> None:
        if key:
            self.graph.add((s, p, URIRef(concept(scheme, key))))

    def integer(self, s: URIRef, p: URIRef, value: int | None) -> None:
        if value is not None:
            self.graph.add((s, p, Literal(value, datatype=XSD.integer)))

    def decimal(self, s: URIRef, p: URIRef, value: float | int | None) -> None:
        """xsd:decimal in canonical form ("20.0", never "20" or "2E1"), so it round-trips through Turtle."""
        if value is not None:
            self.graph.add((s, p, decimal_literal(value)))

    def year(self, s: URIRef, p: URIRef, value: int | None) -> None:
        if value is not None:
            self.graph.add((s, p, Literal(f"{value:04d}", datatype=XSD.gYear)))

    def date(self, s: URIRef, p: URIRef, text_property: URIRef, value: DateValue | None) -> None:
        """A typed date as precise as the source; the source's wording too where it was not a plain date."""
        if value is None:
            return
        if value.lexical is not None:
            self.graph.add((s, p, Literal(value.lexical, datatype=DATATYPES[value.datatype])))
        if value.lexical is None or value.note:
            self.graph.add((s, text_property, Literal(value.original)))

    def derived_from(self, s: URIRef, ref: SourceRef) -> None:
        """prov:wasDerivedFrom an excerpt of the source document: the document plus a locator."""
        excerpt = self.iri("excerpt", ref.key)
        self.graph.add((s, PROV.wasDerivedFrom, excerpt))
        if (excerpt, RDF.type, GG.SourceExcerpt) in self.graph:
            return
        self.graph.add((excerpt, RDF.type, GG.SourceExcerpt))
        self.graph.add((excerpt, RDFS.label, Literal(f"{ref.document}, {ref.locator}", lang="en")))
        self.graph.add((excerpt, DCTERMS.isPartOf, self.iri("source", ref.document)))
        self.graph.add((excerpt, GG.locator, Literal(ref.locator)))
        self.integer(excerpt, GG.firstLine, ref.first_line)
        self.integer(excerpt, GG.lastLine, ref.last_line)


def write_source_document(w: GraphWriter, doc: SourceDocument) -> URIRef:
    s = w.iri("source", doc.key)
    w.add(s, RDF.type, GG.SourceDocument)
    w.label(s, doc.title, doc.language)
    w.text(s, DCTERMS.title, doc.title, doc.language)
    w.add(s, DCTERMS.identifier, Literal(doc.key))
    w.add(s, DCTERMS.language, language_iri(doc.language))  # dcterms:language ranges over LinguisticSystem resources
    if doc.file_name:
        w.add(s, GG.fileName, Literal(doc.file_name))
    if doc.sha256:
        w.add(s, GG.sha256, Literal(doc.sha256))
    if doc.publisher:
        w.add(s, DCTERMS.publisher, w.iri("institution", doc.publisher))
    if doc.url:
        w.add(s, RDFS.seeAlso, URIRef(doc.url))
    if doc.issued:
        dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(doc.issued)]
        w.add(s, DCTERMS.issued, Literal(doc.issued, datatype=dtype))
    w.text(s, DCTERMS.description, doc.description, "en")
    return s


def decimal_literal(value: float | int) -> Literal:
    from decimal import Decimal

    text = format(Decimal(str(value)), "f")
    if "." not in text:
        text += ".0"
    elif text.endswith("0") and not text.endswith(".0"):
        text = text.rstrip("0")
    return Literal(text, datatype=XSD.decimal)


def text_key(name: str, limit: int = 80) -> str:
    """A key minted from free text (a name as the source writes it); a long one is cut at a word boundary and
    given a short hash of the whole, so it stays stable and unique."""
    key = slugify(name)
    if len(key) <= limit:
        return key or hashlib.sha256(name.encode()).hexdigest()[:12]
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return key[:limit].rsplit("-", 1)[0] + "-" + digest
