"""Minting IRIs: stable keys derived from the data, never from row order.

Things live under ``<base>id/<kind>/<key>``; the vocabulary (classes, properties, SKOS schemes) lives under
the fixed ``https://w3id.org/govgraph/def`` namespace, whatever the base, so that data minted under another
base still uses the same ontology and shapes.
"""

from __future__ import annotations

import re
import unicodedata

from govgraph import DEFAULT_BASE_IRI

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# \Z, not $: "$" also matches before a final newline, and "dk0040\n" must not pass for a key.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
COMMITMENT_ID_PATTERN = re.compile(r"^[A-Z]{2,4}[0-9]{4}\Z")
KIND_PATTERN = KEY_PATTERN
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


def slugify(text: str) -> str:
    """ASCII slug of a name: Danish letters transliterated (æ→ae, ø→oe, å→aa), other accents dropped.

    >>> slugify("Sammenhængsreformen")
    'sammenhaengsreformen'
    >>> slugify("Center for Offentlig Innovation (COI)")
    'center-for-offentlig-innovation-coi'
    """
    text = unicodedata.normalize("NFKC", text).translate(_DANISH)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _NON_ALNUM.sub("-", text).strip("-")


def is_iri(text: str) -> bool:
    """True for an absolute IRI that N-Triples, Turtle and SPARQL can write between < and >: a scheme, and no
    space, control character or any of <>"{}|^`\\ (so a value from a data file cannot break out of its IRI)."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", text)) and _IRI_FORBIDDEN.search(text) is None


def check_base_iri(base: str) -> str:
    """The base IRI must be absolute http(s) and end with '/' so that ``id/...`` appends cleanly."""
    if not re.match(r"^https?://[^\s/<>\"{}|\\^`]+(/[^\s<>\"{}|\\^`]*)?\Z", base) or not is_iri(base):
        raise ValueError(f"base IRI {base!r} is not an absolute http(s) IRI")
    return base if base.endswith("/") else base + "/"


class Minter:
    """Mints the IRIs of one dataset under one base."""

    def __init__(self, base: str = DEFAULT_BASE_IRI):
        self.base = check_base_iri(base)

    def thing(self, kind: str, key: str) -> str:
        """``<base>id/<kind>/<key>``; the key must already be a slug or a commitment id."""
        if not KIND_PATTERN.match(kind):
            raise ValueError(f"{kind!r} is not a valid kind")
        if not (KEY_PATTERN.match(key) or COMMITMENT_ID_PATTERN.match(key)):
            raise ValueError(f"{key!r} is not a valid key for {kind}")
        return f"{self.base}id/{kind}/{key}"

    def document(self, kind: str, key: str) -> str:
        """The document that describes a thing (303 pattern): ``<base>doc/<kind>/<key>``."""
        self.thing(kind, key)  # the same checks
        return f"{self.base}doc/{kind}/{key}"
