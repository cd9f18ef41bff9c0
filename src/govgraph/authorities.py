"""The public authority tables govgraph links to, for five-star links where the match is exact: the EU
Publications Office's language and country tables (publications.europa.eu/resource/authority/...), and the
Library of Congress's ISO 639-1 table and Lexvo's ISO 639-3 IRIs for a language the EU table has no code for
here."""

from __future__ import annotations

from rdflib import URIRef

EU = "http://publications.europa.eu/resource/authority/"
LOC_ISO639_1 = "http://id.loc.gov/vocabulary/iso639-1/"
LEXVO_ISO639_3 = "http://lexvo.org/id/iso639-3/"  # every ISO 639-3 code (639-2 lacks many, e.g. smj)

# BCP 47 primary language → the EU language authority table (publications.europa.eu/resource/authority/language).
EU_LANGUAGES = {
    "bg": "BUL", "cs": "CES", "cy": "CYM", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG", "es": "SPA",
    "et": "EST", "eu": "EUS", "fi": "FIN", "fo": "FAO", "fr": "FRA", "ga": "GLE", "gl": "GLG", "hr": "HRV",
    "hu": "HUN", "is": "ISL", "it": "ITA", "kl": "KAL", "lb": "LTZ", "lt": "LIT", "lv": "LAV", "mt": "MLT",
    "nb": "NOB", "nl": "NLD", "nn": "NNO", "no": "NOR", "pl": "POL", "pt": "POR", "ro": "RON", "se": "SME",
    "sk": "SLK", "sl": "SLV", "sq": "SQI", "sr": "SRP", "sv": "SWE", "tr": "TUR", "uk": "UKR",
}  # fmt: skip


def eu_language(tag: str) -> URIRef | None:
    """The EU language table's IRI of a BCP 47 tag (by its primary subtag), or None if this table lacks it."""
    code = EU_LANGUAGES.get(tag.split("-")[0].lower())
    return URIRef(f"{EU}language/{code}") if code else None


def language(tag: str) -> URIRef:
    """An authority IRI for the language of a BCP 47 tag: the EU table's where this module knows the code,
    else the Library of Congress's ISO 639-1 entry (two letters) or Lexvo's ISO 639-3 one (three letters; a
    three-letter BCP 47 primary subtag is an ISO 639-3 code)."""
    primary = tag.split("-")[0].lower()
    return eu_language(primary) or URIRef((LOC_ISO639_1 if len(primary) == 2 else LEXVO_ISO639_3) + primary)


def language_tag(iri: object) -> str | None:
    """The BCP 47 tag of a language IRI that :func:`language` makes (the EU table's, the Library of Congress's
    or Lexvo's), or None for any other IRI."""
    text = str(iri)
    if text.startswith(EU + "language/"):
        code = text[len(EU + "language/") :]
        return next((tag for tag, eu in EU_LANGUAGES.items() if eu == code), None)
    for prefix in (LOC_ISO639_1, LEXVO_ISO639_3):
        if text.startswith(prefix) and text[len(prefix) :].isalpha():
            return text[len(prefix) :]
    return None


def eu_country(alpha3: str) -> URIRef:
    """The EU country table's IRI of an ISO 3166-1 alpha-3 code (the table is keyed by them), e.g. NOR."""
    return URIRef(f"{EU}country/{alpha3.upper()}")
