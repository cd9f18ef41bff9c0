"""The words behind a citation: the lines of a source document that an excerpt (``gg:SourceExcerpt``, with its
``gg:firstLine`` and ``gg:lastLine``) points at, quoted on the site beside the facts taken from them.

Only text the data package itself holds is quoted: a document's file (``gg:fileName``) beside the package's
records or in its ``sources/`` folder, and only when the file has the SHA-256 the data states (``gg:sha256``),
so that a line number always points at the text it was read from. A document known only by its address (a web
page of the OGP, say) is never quoted: its words are not the package's to copy, and the site shows its
address and the facts taken from it instead. Lines are counted as ``sed -n`` counts them (1-based, split at
"\\n"), which is how the curated data's line numbers were checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from govgraph.authorities import language_tag
from govgraph.site.model import esc, t
from govgraph.site.terms import DCTERMS, GG

if TYPE_CHECKING:
    from govgraph.package import DataPackage
    from govgraph.site.model import SiteModel

# A passage is shown up to about this long; the rest of a longer one folds into a <details> the reader opens, so
# that a page citing a whole chapter stays readable (an excerpt's own page always shows all of it).
OPEN_LINES = 8
OPEN_CHARACTERS = 1200


@dataclass(frozen=True)
class Passage:
    """The cited lines of a document: ``text`` is lines ``first``–``last`` joined by newlines, ``language`` the
    document's BCP 47 tag when the data says it."""

    first: int
    last: int
    text: str
    language: str | None

    def paragraphs(self) -> list[str]:
        """The passage's paragraphs: its runs of lines between blank lines (a text saved from a web page has a
        blank line after every line, which would otherwise stretch a quote to twice its length)."""
        paragraphs, current = [], []
        for line in self.text.split("\n"):
            if line.strip():
                current.append(line)
            elif current:
                paragraphs.append("\n".join(current))
                current = []
        if current:
            paragraphs.append("\n".join(current))
        return paragraphs


class SourceTexts:
    """The texts of the package's own source documents, read once each, and the passages the excerpts cite."""

    def __init__(self, model: SiteModel, package: DataPackage | None = None):
        """``package`` None: the bundled package, opened when a document is first looked for."""
        self.model = model
        self.package = package
        self._lines: dict[URIRef, list[str] | None] = {}
        self._passages: dict[URIRef, Passage | None] = {}

    def holds(self, document: URIRef) -> bool:
        """Whether the package holds the text of ``document`` (its file, with the SHA-256 the data states)."""
        return self.document_lines(document) is not None

    def document_lines(self, document: URIRef) -> list[str] | None:
        if document not in self._lines:
            self._lines[document] = self._read(document)
        return self._lines[document]

    def _read(self, document: URIRef) -> list[str] | None:
        m = self.model
        name, digest = m.value(document, GG.fileName), m.value(document, GG.sha256)
        if name is None or digest is None:
            return None
        if self.package is None:
            from govgraph.package import open_package

            self.package = open_package()
        path = self.package.document_file(str(name))
        if path is None:
            return None
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != str(digest).lower():
            return None  # not the text the data was read from: its line numbers would point at other words
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None  # a text in an encoding the data does not state cannot be quoted faithfully
        return [line.removesuffix("\r") for line in text.split("\n")]

    def passage(self, excerpt: URIRef) -> Passage | None:
        """The lines ``excerpt`` cites, or None when it names no lines, its document is not held, or the lines
        are not in the document (or are all blank: a quote of nothing would be an empty box)."""
        if excerpt not in self._passages:
            self._passages[excerpt] = self._passage(excerpt)
        return self._passages[excerpt]

    def _passage(self, excerpt: URIRef) -> Passage | None:
        m = self.model
        document = m.value(excerpt, DCTERMS.isPartOf)
        first, last = line_number(m.value(excerpt, GG.firstLine)), line_number(m.value(excerpt, GG.lastLine))
        if not isinstance(document, URIRef) or (first is None and last is None):
            return None
        first = first if first is not None else last
        last = last if last is not None else first
        lines = self.document_lines(document)
        if lines is None or first < 1 or last < first or last > len(lines):
            return None
        cited = lines[first - 1 : last]
        if not any(line.strip() for line in cited):
            return None
        language = m.value(document, DCTERMS.language)
        return Passage(first, last, "\n".join(cited), language_tag(language) if language is not None else None)


def line_number(term: object) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def lines_text(first: int, last: int) -> str:
    """The lines of a passage in the page's language: "line 98", "lines 98–99"."""
    if first == last:
        return t(f"linje {first}", f"line {first}")
    return t(f"linje {first}–{last}", f"lines {first}–{last}")


def quote_html(passage: Passage, *, fold: bool = True) -> str:
    """The passage as a <blockquote> in the document's language, a paragraph per paragraph of the document;
    its lines stay lines and long lines wrap. Of a long passage the first paragraphs show and the rest is in a
    <details> that says how much more there is, unless ``fold`` is False."""
    paragraphs = passage.paragraphs()
    shown, lines, characters = 0, 0, 0
    while shown < len(paragraphs):
        size = paragraphs[shown].count("\n") + 1
        if fold and shown and (lines + size > OPEN_LINES or characters + len(paragraphs[shown]) > OPEN_CHARACTERS):
            break
        shown, lines, characters = shown + 1, lines + size, characters + len(paragraphs[shown])
    quote = blockquote(paragraphs[:shown], passage.language)
    if shown == len(paragraphs):
        return quote
    rest = paragraphs[shown:]
    summary = t(f"Læs videre (til linje {passage.last})", f"Read on (to line {passage.last})")
    return f'{quote}<details class="quote"><summary>{summary}</summary>{blockquote(rest, passage.language)}</details>'


def blockquote(paragraphs: list[str], language: str | None) -> str:
    lang = f' lang="{esc(language)}"' if language else ""
    return f'<blockquote class="quote"{lang}>' + "".join(f"<p>{esc(p)}</p>" for p in paragraphs) + "</blockquote>"
