"""What every page of the site needs: where each resource's page is, its labels in Danish and English, links
relative to the page that shows them, escaping, and the page layout.

Every text that comes from the data goes through ``esc`` (html.escape) before it reaches the HTML; links are
made only for http(s) IRIs, so a ``javascript:`` IRI in a user's file stays plain text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from html import escape
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS

from govgraph.namespaces import GG, PREFIXES, VOCAB

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
    return escape(str(value), quote=True)


def t(da: str, en: str) -> str:
    """A text of the interface in both languages; the language switch shows one of them."""
    return f'<span class="tr" lang="da">{esc(da)}</span><span class="tr" lang="en">{esc(en)}</span>'


def script_json(data: object) -> str:
    """JSON safe inside a <script> element: no "</script>", "<!--" or "&" can appear in it."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def root_of(path: str) -> str:
    """The relative way back to the site's root from the page at ``path`` (e.g. "doc/commitment/DK0040")."""
    return "../" * path.count("/")


class SiteModel:
    """The graph seen as a site: which resources get a page, at which path, and how to show and link them."""

    def __init__(self, graph: Graph, base: str, manifest: Manifest):
        self.graph = graph
        self.base = base
        self.manifest = manifest  # what the home page says of the dataset
        self.id_prefix = base + "id/"
        subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
        self.subjects = set(subjects)
        self.paths: dict[URIRef, str] = {}
        for s in subjects:
            path = self.page_path(s)
            if path is not None:
                self.paths[s] = path
        self._labels: dict[URIRef, dict[str, str]] = defaultdict(dict)
        for p in LABEL_PROPERTIES:
            for s, o in sorted(graph.subject_objects(p)):
                if isinstance(s, URIRef) and isinstance(o, Literal):
                    self._labels[s].setdefault(o.language or "", str(o))
        self.prefixes = {**PREFIXES, "ggid": self.id_prefix, "ggsh": SHAPES}

    @property
    def interface_language(self) -> str:
        """The interface's default language: Danish where the package has Danish texts, else English."""
        return "da" if "da" in self.manifest.languages else "en"

    def layout(self, path: str, title: dict[str, str], body: str, **options) -> bytes:
        """A whole page (see layout) in the package's interface language, with its licence in the footer."""
        return layout(
            path, title, body, default_language=self.interface_language, license=self.manifest.license, **options
        )

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
        """The resource's labels by language ("" for untagged); empty when it has none."""
        return self._labels.get(iri, {})

    def curie(self, iri: URIRef) -> str:
        """A compact name (gg:Commitment, ggid:commitment/DK0040), or the IRI when no prefix fits."""
        text = str(iri)
        best = ""
        for prefix, ns in self.prefixes.items():
            if text.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                best = prefix
        if best:
            return f"{best}:{text[len(self.prefixes[best]) :]}"
        return text

    def plain_label(self, iri: URIRef, lang: str = "da") -> str:
        """One label as plain text: the one in ``lang``, else the other language, else an id or the IRI."""
        labels = self.labels(iri)
        for language in (lang, *LANGUAGES, ""):
            if language in labels:
                return labels[language]
        if labels:
            return labels[sorted(labels)[0]]
        identifier = self.graph.value(iri, DCTERMS.identifier)
        return str(identifier) if identifier is not None else self.curie(iri)

    def label_html(self, iri: URIRef) -> str:
        """The resource's label in both languages where it has both (the switch shows one), else the one it has."""
        return multilingual(self.labels(iri)) or esc(self.plain_label(iri))

    def sort_key(self, iri: URIRef) -> tuple[str, str]:
        return (self.plain_label(iri, "en").casefold(), str(iri))

    def value_key(self, term) -> tuple:
        """A total order of the values of one property (the store returns them in no fixed order): resources
        by label, then literals by text, language and datatype."""
        if isinstance(term, URIRef):
            return (0, *self.sort_key(term), "", "")
        if isinstance(term, Literal):
            return (1, str(term), "", term.language or "", str(term.datatype or ""))
        return (2, str(term), "", "", "")

    # ---------------------------------------------------------------------------------------- values

    def link(self, iri: URIRef, here: str, text: str | None = None) -> str:
        """A link to a resource showing its label, or its label alone when it cannot be linked."""
        shown = text if text is not None else self.label_html(iri)
        href = self.href(iri, here)
        if href is None:
            return shown
        return f'<a href="{esc(href)}">{shown}</a>'

    def term_html(self, term, here: str, *, translated: bool = False) -> str:
        """One RDF term as HTML: an IRI as a link, a literal with its language or datatype, a blank node as such.
        ``translated`` marks a literal that has a counterpart in the other language (the switch hides one)."""
        if isinstance(term, URIRef):
            return self.link(term, here)
        if isinstance(term, BNode):
            return t("(blank knude)", "(blank node)")
        if term.language:
            cls = ' class="tr"' if translated and term.language in LANGUAGES else ""
            return f'<span lang="{esc(term.language)}"{cls}>{esc(term)}</span>'
        text = esc(term)
        if term.datatype is not None and term.datatype != URIRef("http://www.w3.org/2001/XMLSchema#string"):
            text += f' <small class="dt">{esc(self.curie(term.datatype))}</small>'
        return text

    def values_html(self, values: list, here: str) -> str:
        """Several values of one property: a list; literals in both Danish and English are a translated pair."""
        languages = {v.language for v in values if isinstance(v, Literal) and v.language}
        translated = all(lang in languages for lang in LANGUAGES)
        items = [self.term_html(v, here, translated=translated) for v in values]
        if len(items) == 1:
            return items[0]
        return '<ul class="values">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def multilingual(labels: dict[str, str]) -> str:
    """Both the Danish and the English text (the switch shows one), or the one text there is, as HTML."""
    if all(lang in labels for lang in LANGUAGES):
        return "".join(f'<span class="tr" lang="{lang}">{esc(labels[lang])}</span>' for lang in LANGUAGES)
    for lang in LANGUAGES:
        if lang in labels:
            return f'<span lang="{lang}">{esc(labels[lang])}</span>'
    if "" in labels:
        return esc(labels[""])
    for lang in sorted(labels):
        return f'<span lang="{esc(lang)}">{esc(labels[lang])}</span>'
    return ""


def section(ident: str, heading: str, content: str) -> str:
    """A <section> labelled by its <h2>."""
    return f'<section aria-labelledby="{ident}"><h2 id="{ident}">{heading}</h2>\n{content}</section>'


def table(css_class: str, caption: str, rows: list[str], headers: list[str] | None = None) -> str:
    """A table: a caption for screen readers, column headers (``<th scope="col">``) and rows (``<tr>…</tr>``)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers or [])
    return (
        f'<table class="{css_class}"><caption class="visually-hidden">{caption}</caption>'
        + (f"<thead><tr>{head}</tr></thead>" if head else "")
        + "<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def texts_by_language(graph: Graph, iri, *properties) -> dict[str, str]:
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


NAV = (
    ("class/gg-Commitment.html", "Tilsagn", "Commitments"),
    ("class/gg-PolicyProgramme.html", "Programmer", "Programmes"),
    ("class/org-Organization.html", "Institutioner", "Institutions"),
    ("def/index.html", "Ontologi", "Ontology"),
    ("def/shapes.html", "Regler (SHACL)", "Shapes (SHACL)"),
    ("queries.html", "Forespørgsler", "Queries"),
)


def layout(
    path: str,
    title: dict[str, str],
    body: str,
    *,
    structured_data: dict | None = None,
    alternates: tuple[str, ...] = ("ttl", "jsonld"),
    default_language: str = "da",
    license: str = CC_BY_4,
) -> bytes:
    """A whole page: head (title in both languages, CSS, JS, alternates, schema.org JSON-LD), header with
    navigation, search and the language switch, the main content, and a footer naming the data's licence.
    ``default_language`` ("da" or "en") is the interface's language until the reader picks the other."""
    root = root_of(path)
    name = path.rsplit("/", 1)[-1]
    title_da = title.get("da") or title.get("en") or title.get("") or "govgraph"
    title_en = title.get("en") or title_da
    links = "".join(
        f'<link rel="alternate" type="{mime}" href="{esc(name)}.{ext}">\n'
        for ext, mime in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"))
        if ext in alternates
    )
    data = (
        f'<script type="application/ld+json">\n{script_json(structured_data)}\n</script>\n' if structured_data else ""
    )
    nav = "".join(f'<li><a href="{root}{href}">{t(da, en)}</a></li>' for href, da, en in NAV)
    return f"""<!DOCTYPE html>
<html lang="{default_language}" data-default-lang="{default_language}" \
data-title-da="{esc(title_da)} – govgraph" data-title-en="{esc(title_en)} – govgraph">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title_en if default_language == "en" else title_da)} – govgraph</title>
<link rel="stylesheet" href="{root}site.css">
{links}<script>{LANGUAGE_BOOT}</script>
<script src="{root}site.js" defer></script>
{data}</head>
<body data-root="{root}">
<a class="skip" href="#main">{t("Gå til indholdet", "Skip to content")}</a>
<header class="site">
<p class="brand"><a href="{root}index.html">govgraph</a></p>
<nav aria-label="Hovedmenu / Main menu"><ul>{nav}</ul></nav>
<form class="search" role="search" action="{root}search.html">
<label for="q">{t("Søg", "Search")}</label>
<input id="q" name="q" type="search" autocomplete="off" aria-controls="search-results">
<ul id="search-results" class="results" hidden></ul>
<p id="search-status" class="visually-hidden" role="status"></p>
</form>
<div class="langswitch" role="group" aria-label="Sprog / Language">
<button type="button" data-lang="da" aria-pressed="{str(default_language == "da").lower()}">Dansk</button>
<button type="button" data-lang="en" aria-pressed="{str(default_language == "en").lower()}">English</button>
</div>
</header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="site"><p>{t("Data", "Data")}: {license_name(license)} · \
<a href="{root}index.html">govgraph</a></p></footer>
</body>
</html>
""".encode()


# Runs before the first paint, so the page never flashes both languages: the saved choice, else the package's
# default (data-default-lang). Without JavaScript the html element gets no class and both languages show.
LANGUAGE_BOOT = (
    'var d=document.documentElement,l=d.getAttribute("data-default-lang")||"da";'
    'try{var s=localStorage.getItem("govgraph-lang");if(s==="da"||s==="en")l=s}catch(e){}'
    'd.className="js lang-"+l;d.lang=l;'
)
