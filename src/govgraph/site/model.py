"""What every page of the site needs: where each resource's page is, its labels in Danish and English, links
relative to the page that shows them, escaping, and the page layout.

Every text that comes from the data goes through ``esc`` (html.escape) before it reaches the HTML; links are
made only for http(s) IRIs, so a ``javascript:`` IRI in a user's file stays plain text.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from html import escape
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from govgraph.namespaces import PREFIXES, VOCAB
from govgraph.site.documents import predicate_order, term_order
from govgraph.site.terms import DCTERMS, FOAF, GG, KNOWN_TERMS, RDF, RDFS, SKOS, XSD

if TYPE_CHECKING:
    from govgraph.package import Manifest

ONTOLOGY = VOCAB.rstrip("/")  # https://w3id.org/govgraph/def, the ontology's own IRI
SHAPES = VOCAB + "shapes#"  # the SHACL shapes (shapes/*.ttl), documented on def/shapes.html
LANGUAGES = ("da", "en")
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)
# A path segment of a page: no leading dot (no "..", no hidden files), nothing a file system or URL treats
# specially. IRIs with other characters get no page of their own (they are still shown and linked to).
_SEGMENT = r"[A-Za-z0-9_-][A-Za-z0-9._-]*"
SAFE_PATH = re.compile(rf"^{_SEGMENT}(/{_SEGMENT})*$")
# Site paths the site writes itself; a vocabulary IRI that would land on one gets no page.
RESERVED = {"def/index", "def/shapes"}


def esc(value: object) -> str:
    """Text (or an attribute value) escaped for HTML: <, >, &, " and '."""
    text = value if type(value) is str else str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        escaped = escape(text, quote=True)
        if len(_ESCAPED) < ESCAPED_KEPT:
            _ESCAPED[text] = escaped
    return escaped


# The pages escape the same texts again and again (languages, labels, names: 40 a page), and html.escape makes
# five passes over each: the escaped text is remembered, up to a bound so a huge site does not keep them all.
ESCAPED_KEPT = 100_000
_ESCAPED: dict[str, str] = {}


@functools.cache  # the same few hundred texts on every page
def t(da: str, en: str) -> str:
    """A text of the interface in Danish and English, as one element: the language switch shows one of them
    (English for a page in any other language)."""
    return group_html({"da": da, "en": en})


def group_html(texts: dict[str, str]) -> str:
    """One text in several languages as one element with a span per language; the style sheet shows the
    page's language (else English, else the first). Nothing is ever left as an empty item when one is hidden."""
    if len(texts) == 1:
        ((lang, text),) = texts.items()
        return f'<span lang="{esc(lang)}">{esc(text)}</span>' if lang else esc(text)
    spans = "".join(f'<span lang="{esc(lang)}">{esc(text)}</span>' for lang, text in texts.items())
    return f'<span class="ml" data-langs="{esc(" ".join(texts))}">{spans}</span>'


def script_json(data: object) -> str:
    """JSON safe inside a <script> element: no "</script>", "<!--" or "&" can appear in it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)  # one line: json's C encoder, not its Python one
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def site_languages(manifest: Manifest) -> tuple[str, ...]:
    """The languages of a package's site: the package's, in its order (the first is the pages' default)."""
    return tuple(manifest.languages) or ("en",)


def in_order(items: list, key: Callable) -> list:
    """The items sorted by ``key``; a list of one item as it is."""
    return items if len(items) < 2 else sorted(items, key=key)


@functools.lru_cache(maxsize=4096)
def root_of(path: str) -> str:
    """The relative way back to the site's root from the page at ``path`` (e.g. "doc/commitment/DK0040")."""
    return "../" * path.count("/")


def graph_triples(graph: Graph) -> Iterable[tuple]:
    """The triples of ``graph``, in no particular order.

    rdflib makes a generator of the triple's graphs for every triple it gives: a third of the time it takes to
    index the bundled graph (0.07 s), which no worker can share, as no page can be made before the index is. A
    plain Graph in rdflib's in-memory store (what govgraph builds and reads) keeps the set of its own triples,
    which holds the same triples; any other graph or store is iterated as rdflib iterates it."""
    store = graph.store
    if type(graph) is Graph and type(store) is Memory:
        name = getattr(store, "_Memory__ctx_to_str", None)  # rdflib's key for the graph's set of triples
        by_graph = getattr(store, "_Memory__contextTriples", None)
        if name is not None and isinstance(by_graph, dict):
            triples = by_graph.get(name(graph))
            if isinstance(triples, set):
                return triples
    return graph


class SiteModel:
    """The graph seen as a site: which resources get a page, at which path, and how to show and link them.

    The graph is read once into two indexes (what each node says, and what points at it); every page is made
    from them, which is many times faster than asking the graph again for each value."""

    def __init__(self, graph: Graph, base: str, manifest: Manifest):
        self.graph = graph
        self.base = base
        self.manifest = manifest  # what the home page says of the dataset
        self.id_prefix = base + "id/"
        self.languages = site_languages(manifest)
        self._language_order = {lang: i for i, lang in enumerate(dict.fromkeys((*self.languages, *LANGUAGES)))}
        self.out: dict = {}  # subject -> predicate -> [objects]
        self.inc: dict = {}  # object -> predicate -> [subjects]
        # One object per term, seeded with the terms the site's code names: a dict finds a key by identity
        # before it calls rdflib's (slow, Python-level) __eq__, which made up a fifth of the site's time.
        canon: dict = {term: term for term in KNOWN_TERMS}
        intern = canon.setdefault
        for s, p, o in graph_triples(graph):
            s, p, o = intern(s, s), intern(p, p), intern(o, o)
            self.out.setdefault(s, {}).setdefault(p, []).append(o)
            self.inc.setdefault(o, {}).setdefault(p, []).append(s)
        # In a fixed order, as every document writes them: subjects, then rdf:type first, then by IRI. Most
        # lists hold one item, which needs no sort (and no sort key made for it).
        self.out = {
            s: {p: in_order(objects[p], term_order) for p in in_order(list(objects), predicate_order)}
            for s, objects in sorted(self.out.items(), key=lambda item: term_order(item[0]))
        }
        subjects = sorted((s for s in self.out if isinstance(s, URIRef)), key=str)
        self.subjects = set(subjects)
        self.paths: dict[URIRef, str] = {}
        for s in subjects:
            path = self.page_path(s)
            if path is not None:
                self.paths[s] = path
        self._labels: dict[URIRef, dict[str, str]] = {}
        for s, predicates in self.out.items():
            if not isinstance(s, URIRef):
                continue
            labels: dict[str, str] = {}
            for p in LABEL_PROPERTIES:
                for o in sorted(predicates.get(p, ()), key=str):
                    if isinstance(o, Literal):
                        labels.setdefault(o.language or "", str(o))
            if labels:
                self._labels[s] = self.in_site_order(labels)
        for term, names in TERM_LABELS.items():  # terms of other vocabularies, named for readers
            self._labels.setdefault(URIRef(term), self.in_site_order(names))
        self._label_cross_references()
        self.nav = NAV  # the menu; ResourcePages leaves out the indexes the package has no instances of
        self._plain: dict = {}
        self._label_html: dict = {}
        self._curies: dict = {}
        self.prefixes = {**PREFIXES, "ggid": self.id_prefix, "ggsh": SHAPES}

    def _label_cross_references(self) -> None:
        """A cross-reference or an institution's role is named by what it says, in each language: "DK0040
        implements Seven principles", "Danske Regioner: agreed – Seven principles" (the data's own labels are
        made of keys: "commitment/DK0040 implements programme/syv-principper")."""
        for cls, (first, relation, second), separator in (
            (GG.CrossReference, (GG.linkSubject, GG.linkType, GG.linkObject), " "),
            (GG.InstitutionRole, (GG.institution, GG.roleType, GG.roleIn), None),
        ):
            for node in self.inc.get(cls, {}).get(RDF.type, ()):
                subject, kind, obj = (self.value(node, p) for p in (first, relation, second))
                if not (isinstance(subject, URIRef) and isinstance(obj, URIRef) and isinstance(kind, URIRef)):
                    continue
                names = {}
                for lang in dict.fromkeys((*self.languages, "en")):
                    ends = []
                    for end in (subject, obj):
                        identifier = self.value(end, DCTERMS.identifier)
                        ends.append(str(identifier) if identifier is not None else self._label_in(end, lang))
                    verb = self._label_in(kind, lang)
                    names[lang] = f"{ends[0]} {verb} {ends[1]}" if separator else f"{ends[0]}: {verb} – {ends[1]}"
                self._labels[node] = names

    def _label_in(self, iri, lang: str) -> str:
        labels = self._labels.get(iri, {})
        return labels.get(lang) or labels.get("en") or next(iter(labels.values()), None) or readable_name(iri)

    @property
    def interface_language(self) -> str:
        """The pages' default language: the package's first."""
        return self.languages[0]

    def layout(self, path: str, title: dict[str, str], body: str, **options) -> bytes:
        """A whole page (see layout) in the package's languages, with its licence in the footer."""
        options.setdefault("nav", self.nav)
        return layout(path, title, body, languages=self.languages, license=self.manifest.license, **options)

    def in_site_order(self, texts: dict[str, str]) -> dict[str, str]:
        """Texts by language, the site's languages first (in the package's order), then the others."""
        if len(texts) < 2:
            return dict(texts)
        order = self._language_order
        return dict(sorted(texts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))

    # ----------------------------------------------------------------------------------------- the indexes

    def objects(self, s, p) -> list:
        """The objects of (s, p, ?), in a fixed order."""
        return self.out.get(s, {}).get(p, [])

    def value(self, s, p):
        """One object of (s, p, ?) (the first in a fixed order), or None."""
        values = self.out.get(s, {}).get(p)
        return values[0] if values else None

    def subjects_of(self, p, o) -> list:
        """The subjects of (?, p, o), in a fixed order."""
        return sorted(self.inc.get(o, {}).get(p, ()), key=term_order)

    def types(self, s) -> list[URIRef]:
        return [c for c in self.out.get(s, {}).get(RDF.type, ()) if isinstance(c, URIRef)]

    def texts(self, iri, *properties) -> dict[str, str]:
        """The first text of the first of ``properties`` that has one, per language ("" for untagged)."""
        out: dict[str, str] = {}
        said = self.out.get(iri)
        if not said:
            return out
        for p in properties:
            for o in in_order(said.get(p, []), str):
                if isinstance(o, Literal):
                    out.setdefault(o.language or "", str(o))
            if out:
                return self.in_site_order(out)
        return out

    # ----------------------------------------------------------------------------------------- paths

    def page_path(self, iri: URIRef) -> str | None:
        """The site path (without extension) of a resource's page, or None when it gets none.

        ``<base>id/<kind>/<key>`` → ``doc/<kind>/<key>`` (the 303 pattern's document), the ontology →
        ``def/index``, a concept or scheme ``…/def/<scheme>/<key>`` → ``def/<scheme>/<key>``. Terms of the
        ontology (``def#Term``) are sections of ``def/index``.
        """
        text = str(iri)
        if text == ONTOLOGY:
            return "def/index"
        for prefix, folder in ((self.id_prefix, "doc/"), (VOCAB, "def/")):
            if text.startswith(prefix):
                rest = text[len(prefix) :]
                path = folder + rest
                if SAFE_PATH.match(rest) and path not in RESERVED:
                    return path
        return None

    def href(self, iri: URIRef, here: str) -> str | None:
        """A link to ``iri`` from the page at ``here``: relative for pages of this site (so the site works from
        any folder and from file://), the IRI itself for other web resources, None when it is not a link."""
        path = self.paths.get(iri)
        if path is not None:
            return root_of(here) + path + ".html"
        text = str(iri)
        if text.startswith(str(GG)) and iri in self.subjects:
            anchor = "#" + text[len(str(GG)) :]
            return anchor if here == "def/index" else root_of(here) + "def/index.html" + anchor
        if text.startswith(("http://", "https://")):
            return text
        return None

    # ---------------------------------------------------------------------------------------- labels

    def labels(self, iri: URIRef) -> dict[str, str]:
        """The resource's labels by language ("" for untagged), the site's languages first; empty when none."""
        return self._labels.get(iri, {})

    def curie(self, iri: URIRef) -> str:
        """A compact name (gg:Commitment, ggid:commitment/DK0040), or the IRI when no prefix fits."""
        cached = self._curies.get(iri)
        if cached is not None:
            return cached
        text = str(iri)
        best = ""
        for prefix, ns in self.prefixes.items():
            if text.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                best = prefix
        cached = self._curies[iri] = f"{best}:{text[len(self.prefixes[best]) :]}" if best else text
        return cached

    def plain_label(self, iri: URIRef, lang: str = "en") -> str:
        """One label as plain text: the one in ``lang``, else English, else the site's languages, else an id,
        else a readable name made from the IRI."""
        key = (iri, lang)
        cached = self._plain.get(key)
        if cached is not None:
            return cached
        labels = self.labels(iri)
        for language in (lang, "en", *self.languages, ""):
            if language in labels:
                cached = labels[language]
                break
        else:
            if labels:
                cached = next(iter(labels.values()))
            else:
                identifier = self.value(iri, DCTERMS.identifier)
                cached = str(identifier) if identifier is not None else readable_name(iri)
        self._plain[key] = cached
        return cached

    def label_html(self, iri: URIRef) -> str:
        """The resource's label in every language it has (the page shows its own), else a readable name."""
        cached = self._label_html.get(iri)
        if cached is None:
            cached = multilingual(self.labels(iri))
            if not cached and iri not in self.paths and str(iri).startswith(("http://", "https://")):
                # A web page outside the site: its address without the scheme, allowed to wrap anywhere.
                cached = f'<span class="url">{esc(str(iri).split("://", 1)[1].rstrip("/"))}</span>'
            self._label_html[iri] = cached = cached or esc(self.plain_label(iri))
        return cached

    def page_cost(self, iri: URIRef) -> int:
        """About how long the resource's page takes to make, for sharing the pages out (see SiteBuilder.jobs):
        what it says and, three times over, what points at it (each is a labelled link, a row, a cited
        passage). On the bundled data this follows the time a page takes with a correlation of 0.92."""
        said = sum(len(objects) for objects in self.out.get(iri, {}).values())
        pointing = sum(len(subjects) for subjects in self.inc.get(iri, {}).values())
        return said + 3 * pointing

    def sort_key(self, iri: URIRef) -> tuple[str, str]:
        return (fold(self.plain_label(iri, "en")), str(iri))

    def value_key(self, term) -> tuple:
        """A total order of the values of one property: resources by label, then literals by text, language
        and datatype."""
        if isinstance(term, URIRef):
            return (0, *self.sort_key(term), "", "")
        if isinstance(term, Literal):
            return (1, str(term), "", term.language or "", str(term.datatype or ""))
        return (2, str(term), "", "", "")

    # ---------------------------------------------------------------------------------------- values

    def link(self, iri: URIRef, here: str, text: str | None = None) -> str:
        """A link to a resource showing its label, or its label alone when it cannot be linked."""
        shown = text if text is not None else self.label_html(iri)
        path = self.paths.get(iri)
        if path is not None:  # a page of the site: its path has only safe characters (SAFE_PATH)
            return f'<a href="{root_of(here)}{path}.html">{shown}</a>'
        href = self.href(iri, here)
        if href is None:
            return shown
        return f'<a href="{esc(href)}">{shown}</a>'

    def literal_html(self, term: Literal) -> str:
        """A literal as a reader wants it: true/false as yes/no, a number grouped, a language tag as lang."""
        if term.language:
            return f'<span lang="{esc(term.language)}">{esc(term)}</span>'
        datatype = term.datatype
        if datatype == XSD.boolean:
            return t("ja", "yes") if str(term).strip().lower() in ("true", "1") else t("nej", "no")
        if datatype in (XSD.integer, XSD.decimal) and NUMBER.match(str(term)):
            return f'<span class="num">{esc(group_digits(str(term)))}</span>'
        return esc(term)

    def term_html(self, term, here: str) -> str:
        """One RDF term as HTML: an IRI as a link, a literal with its language, a blank node as such."""
        if isinstance(term, URIRef):
            return self.link(term, here)
        if isinstance(term, BNode):
            return t("(blank knude)", "(blank node)")
        return self.literal_html(term)

    def values_html(self, values: list, here: str) -> str:
        """Several values of one property: one item per value, where a text in several languages is one item
        (the page shows its language), so hiding a language never leaves an empty item."""
        items = []
        texts: dict[str, str] = {}
        for v in values:
            if isinstance(v, Literal) and v.language and v.language not in texts:
                texts[v.language] = str(v)
            else:
                items.append(self.term_html(v, here))
        if texts:
            items.insert(0, multilingual(self.in_site_order(texts)))
        if len(items) == 1:
            return items[0]
        return '<ul class="values">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def group_digits(number: str) -> str:
    """1234567.5 → 1 234 567.5 (a thin space between groups, as both Danish and English readers read it)."""
    whole, _, fraction = number.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + "\u202f".join(groups) + ("." + fraction if fraction else "")


def readable_name(iri) -> str:
    """The last segment of an IRI, for a resource with no label: commitment-status/inactive → inactive."""
    text = str(iri).rstrip("/#")
    for separator in ("#", "/"):
        if separator in text:
            text = text.rsplit(separator, 1)[-1]
    return text or str(iri)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Text for comparing: case and diacritics folded (Æ → ae, ø → o, é → e), as the search does."""
    if text.isascii():  # no letter to fold or take apart: casefold is lower (most labels, sorted by the thousand)
        return text.lower()
    text = text.casefold().translate(FOLDS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# Letters that NFKD does not take apart.
FOLDS = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d"})


def multilingual(labels: dict[str, str]) -> str:
    """A text in each of its languages as one element (the page shows its own language), or the one text
    there is, as HTML; untagged text only where there is no tagged one."""
    tagged = {lang: text for lang, text in labels.items() if lang}
    if tagged:
        return group_html(tagged)
    if "" in labels:
        return esc(labels[""])
    return ""


def section(ident: str, heading: str, content: str) -> str:
    """A <section> labelled by its <h2>."""
    return f'<section aria-labelledby="{ident}"><h2 id="{ident}">{heading}</h2>\n{content}</section>'


def table(css_class: str, caption: str, rows: list[str], headers: list[str] | None = None) -> str:
    """A table: a caption for screen readers, column headers (``<th scope="col">``) and rows (``<tr>…</tr>``),
    in a box that scrolls sideways on its own, so that a wide table never makes the page wider than a phone."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers or [])
    return (
        f'<div class="scroll"><table class="{css_class}"><caption class="visually-hidden">{caption}</caption>'
        + (f"<thead><tr>{head}</tr></thead>" if head else "")
        + "<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )


def texts_by_language(graph: Graph, iri, *properties) -> dict[str, str]:  # for graphs other than the site's
    """The first text of the first of ``properties`` that has one, per language ("" for untagged)."""
    out: dict[str, str] = {}
    for p in properties:
        for o in sorted(graph.objects(iri, p)):
            if isinstance(o, Literal):
                out.setdefault(o.language or "", str(o))
        if out:
            return out
    return out


CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"
LICENSE_NAMES = {
    CC_BY_4: "CC BY 4.0",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
}


def license_name(iri: str) -> str:
    """The licence as a link, named where it is a well-known one."""
    return f'<a href="{esc(iri)}" rel="license">{esc(LICENSE_NAMES.get(iri, iri))}</a>'


# Readers' names of the terms of other vocabularies that pages show (the ontology names its own terms).
TERM_LABELS = {
    str(RDF.type): {"da": "type", "en": "type"},
    str(RDFS.label): {"da": "betegnelse", "en": "label"},
    str(RDFS.comment): {"da": "kommentar", "en": "comment"},
    str(RDFS.seeAlso): {"da": "se også", "en": "see also"},
    str(RDFS.isDefinedBy): {"da": "defineret af", "en": "defined by"},
    str(RDFS.subClassOf): {"da": "underklasse af", "en": "subclass of"},
    str(RDFS.domain): {"da": "domæne", "en": "domain"},
    str(RDFS.range): {"da": "værdimængde", "en": "range"},
    str(SKOS.prefLabel): {"da": "navn", "en": "name"},
    str(SKOS.altLabel): {"da": "andet navn", "en": "other name"},
    str(SKOS.notation): {"da": "kode", "en": "code"},
    str(SKOS.definition): {"da": "definition", "en": "definition"},
    str(SKOS.editorialNote): {"da": "redaktionel note", "en": "editorial note"},
    str(SKOS.inScheme): {"da": "i begrebssystemet", "en": "in scheme"},
    str(SKOS.topConceptOf): {"da": "topbegreb i", "en": "top concept of"},
    str(SKOS.hasTopConcept): {"da": "har topbegreb", "en": "has top concept"},
    str(SKOS.broader): {"da": "bredere begreb", "en": "broader"},
    str(SKOS.narrower): {"da": "snævrere begreb", "en": "narrower"},
    str(SKOS.exactMatch): {"da": "svarer til", "en": "exact match"},
    str(SKOS.Concept): {"da": "begreb", "en": "concept"},
    str(SKOS.ConceptScheme): {"da": "begrebssystem", "en": "concept scheme"},
    str(DCTERMS.title): {"da": "titel", "en": "title"},
    str(DCTERMS.description): {"da": "beskrivelse", "en": "description"},
    str(DCTERMS.identifier): {"da": "identifikator", "en": "identifier"},
    str(DCTERMS.isPartOf): {"da": "del af", "en": "part of"},
    str(DCTERMS.date): {"da": "dato", "en": "date"},
    str(DCTERMS.issued): {"da": "udgivet", "en": "issued"},
    str(DCTERMS.language): {"da": "sprog", "en": "language"},
    str(DCTERMS.publisher): {"da": "udgiver", "en": "publisher"},
    str(DCTERMS.creator): {"da": "ophav", "en": "creator"},
    str(DCTERMS.license): {"da": "licens", "en": "licence"},
    str(DCTERMS.source): {"da": "ordlydens kilde", "en": "source of the wording"},
    str(FOAF.name): {"da": "navn", "en": "name"},
    str(FOAF.homepage): {"da": "hjemmeside", "en": "home page"},
    "http://www.w3.org/ns/prov#wasDerivedFrom": {"da": "kilde", "en": "source"},
    "http://www.w3.org/ns/org#subOrganizationOf": {"da": "underorganisation af", "en": "part of organisation"},
    "http://www.w3.org/ns/org#Organization": {"da": "organisation", "en": "organisation"},
    "http://data.europa.eu/m8g/PublicOrganisation": {"da": "offentlig myndighed", "en": "public organisation"},
    "https://schema.org/value": {"da": "værdi", "en": "value"},
    "https://schema.org/currency": {"da": "valuta", "en": "currency"},
    "http://www.w3.org/2002/07/owl#Class": {"da": "klasse", "en": "class"},
    "http://www.w3.org/2002/07/owl#ObjectProperty": {"da": "objektegenskab", "en": "object property"},
    "http://www.w3.org/2002/07/owl#DatatypeProperty": {"da": "dataegenskab", "en": "datatype property"},
    "http://www.w3.org/2002/07/owl#AnnotationProperty": {"da": "annotationsegenskab", "en": "annotation property"},
    "http://www.w3.org/2002/07/owl#Ontology": {"da": "ontologi", "en": "ontology"},
    "http://www.w3.org/2002/07/owl#versionInfo": {"da": "version", "en": "version"},
    "http://www.w3.org/2002/07/owl#versionIRI": {"da": "versions-IRI", "en": "version IRI"},
    "http://www.w3.org/2002/07/owl#sameAs": {"da": "samme som", "en": "same as"},
}
# The main menu: (site path, Danish, English). A class index that a package has no instances of is left out.
NAV = (
    ("class/gg-Commitment.html", "Tilsagn", "Commitments"),
    ("class/gg-ActionPlan.html", "Handlingsplaner", "Action plans"),
    ("class/gg-PolicyProgramme.html", "Reformer og programmer", "Reforms and programmes"),
    ("class/org-Organization.html", "Institutioner", "Institutions"),
    ("queries.html", "Forespørgsler", "Queries"),
    ("def/index.html", "Ontologi", "Ontology"),
)
# Each language's name in itself, for the language switch.
LANGUAGE_NAMES = {
    "da": "Dansk",
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "nl": "Nederlands",
    "sv": "Svenska",
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "no": "Norsk",
    "fi": "Suomi",
    "is": "Íslenska",
    "kl": "Kalaallisut",
    "fo": "Føroyskt",
    "pt": "Português",
    "pl": "Polski",
}


def layout(
    path: str,
    title: dict[str, str],
    body: str,
    *,
    description: str = "",
    structured_data: dict | None = None,
    alternates: tuple[str, ...] = ("ttl", "jsonld"),
    languages: tuple[str, ...] = LANGUAGES,
    license: str = CC_BY_4,
    nav: tuple[tuple[str, str, str], ...] = NAV,
) -> bytes:
    """A whole page: head (title per language, meta description, favicon, CSS, JS, alternates, schema.org
    JSON-LD), header with navigation, search and the language switch (links with ?lang=, which work without
    JavaScript's storage too), the main content, and a footer naming the data's licence.

    ``languages`` are the site's (the first is the page's default); the reader's choice comes from ?lang=, else
    the one remembered, else the default."""
    root = root_of(path)
    name = path.rsplit("/", 1)[-1]
    default = languages[0]
    titles = {lang: title.get(lang) or first_of(title) or "govgraph" for lang in languages}
    links = "".join(
        f'<link rel="alternate" type="{mime}" href="{esc(name)}.{ext}">\n'
        for ext, mime in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"))
        if ext in alternates
    )
    data = (
        f'<script type="application/ld+json">\n{script_json(structured_data)}\n</script>\n' if structured_data else ""
    )
    header, footer = chrome(root, languages, nav, license)
    switch = ""
    current = ' aria-current="true"'
    if len(languages) > 1:
        switch = (
            '<ul class="langswitch" aria-label="Sprog / Language">'
            + "".join(
                f'<li><a href="{esc(name)}.html?lang={esc(lang)}" hreflang="{esc(lang)}" lang="{esc(lang)}" '
                f'data-lang="{esc(lang)}"{current if lang == default else ""}>'
                f"{esc(LANGUAGE_NAMES.get(lang, lang))}</a></li>"
                for lang in languages
            )
            + "</ul>"
        )
    meta = f'<meta name="description" content="{esc(description)}">\n' if description else ""
    title_attributes = "".join(f' data-title-{esc(lang)}="{esc(text)} – govgraph"' for lang, text in titles.items())
    return f"""<!DOCTYPE html>
<html lang="{esc(default)}" class="lang-{esc(default)}" data-langs="{esc(" ".join(languages))}"{title_attributes}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(titles[default])} – govgraph</title>
{meta}<link rel="icon" href="{root}favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{root}site.css">
{links}<script>{LANGUAGE_BOOT}</script>
<script src="{root}site.js" defer></script>
{data}</head>
<body data-root="{root}">
{header}
{switch}
</header>
<main id="main" tabindex="-1">
{body}
</main>
{footer}
</body>
</html>
""".encode()


@functools.cache
def chrome(root: str, languages: tuple[str, ...], nav: tuple, license: str) -> tuple[str, str]:
    """What every page at one depth shares: the header up to the language switch, and the footer."""
    menu = "".join(f'<li><a href="{root}{href}">{t(da, en)}</a></li>' for href, da, en in nav)
    header = f"""<a class="skip" href="#main">{t("Gå til indholdet", "Skip to content")}</a>
<header class="site">
<p class="brand"><a href="{root}index.html">govgraph</a></p>
<nav aria-label="Hovedmenu / Main menu"><ul>{menu}</ul></nav>
<form class="search" role="search" action="{root}search.html">
<label for="q">{t("Søg", "Search")}</label>
<input id="q" name="q" type="search" autocomplete="off" aria-controls="search-results">
<button type="submit">{t("Søg", "Search")}</button>
<ul id="search-results" class="results" hidden></ul>
<p id="search-status" class="visually-hidden" role="status"></p>
</form>"""
    footer = f"""<footer class="site"><p>{t("Data", "Data")}: {license_name(license)} · \
<a href="{root}index.html">govgraph</a></p></footer>"""
    return header, footer


def first_of(texts: dict[str, str]) -> str:
    """English, else the first text there is."""
    return texts.get("en") or next(iter(texts.values()), "")


# Runs before the first paint, so the page never flashes another language: ?lang= (remembered), else the saved
# choice, else the package's first language. Without JavaScript the page shows its default language (the
# html element's class says which).
LANGUAGE_BOOT = (
    'var d=document.documentElement,a=(d.getAttribute("data-langs")||"en").split(" "),l=a[0],'
    "m=/[?&]lang=([A-Za-z-]+)/.exec(location.search);"
    'if(m&&a.indexOf(m[1])>=0){l=m[1];try{localStorage.setItem("govgraph-lang",l)}catch(e){}}'
    'else{try{var s=localStorage.getItem("govgraph-lang");if(a.indexOf(s)>=0)l=s}catch(e){}}'
    'd.className="js lang-"+l;d.lang=l;'
)


def language_css(languages: tuple[str, ...]) -> str:
    """The style sheet's rules for a text in several languages (see group_html): the page's language, else
    English, else the first; one set of rules per language of the site."""
    rules = ["/* A text in several languages shows the page's language, else English, else the first. */"]
    for lang in dict.fromkeys((*languages, *LANGUAGES)):
        here, has = f"html.lang-{lang} .ml", f'[data-langs~="{lang}"]'
        rules.append(f'{here}{has} > :not([lang="{lang}"]) {{ display: none; }}')
        if lang != "en":
            rules.append(f'{here}:not({has})[data-langs~="en"] > :not([lang="en"]) {{ display: none; }}')
        rules.append(f'{here}:not({has}):not([data-langs~="en"]) > :not(:first-child) {{ display: none; }}')
    return "\n".join(rules) + "\n"
