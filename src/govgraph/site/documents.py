"""The Turtle and JSON-LD documents of one resource, written straight from its triples.

A site has one small document per resource in each format. rdflib's serializers work out prefixes, sort and
re-check every term for each of them, which was two thirds of the site's time; here every term is formatted
once (cached) and a document is a join of strings. Both formats are deterministic: subjects, predicates and
objects in a fixed order, so the same triples give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re

from rdflib import BNode, Literal, URIRef

from govgraph.site.terms import RDF, XSD

# A local name written after a prefix only when it is plainly valid Turtle (no escapes needed); any other IRI
# is written in full.
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_BNODE = re.compile(r"^[A-Za-z0-9_]+$")
# Characters an IRIREF may not hold as they are; written as \uXXXX (UCHAR).
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_UNSAFE = re.compile(r'[\\"\x00-\x1f\x7f]')
XSD_STRING = URIRef(str(XSD.string))


def _escape_char(match: re.Match) -> str:
    char = match.group(0)
    return _STRING_ESCAPES.get(char) or f"\\u{ord(char):04X}"


class TermWriter:
    """Formats RDF terms as Turtle and as expanded JSON-LD values, remembering each one."""

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so ggid: wins over a shorter namespace that is its prefix.
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        # id(term) -> (Turtle, prefix or None, term). Keyed by identity (the site's terms are one object each;
        # hashing a Literal is slow); the term is kept in the entry, so its id is never reused while the cache
        # lives. The loops that write whole documents look terms up here themselves (``known.get(id(term)) or
        # writer.entry(term)``): a method call per term made the documents 5-7% slower.
        self.known: dict = {}

    def entry(self, term) -> tuple[str, str | None, object]:
        """The term's entry in ``known`` (made if it has none): its Turtle, the prefix that uses, the term."""
        cached = self.known.get(id(term))
        if cached is None:
            cached = self.known[id(term)] = (*self._format(term), term)
        return cached

    def turtle(self, term) -> tuple[str, str | None]:
        """The term in Turtle and the prefix it uses (None when written in full)."""
        cached = self.entry(term)
        return cached[0], cached[1]

    def _format(self, term) -> tuple[str, str | None]:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, BNode):
            label = str(term)
            if not _BNODE.match(label):  # a label Turtle cannot hold: a stable name made from it
                label = "b" + hashlib.sha256(label.encode()).hexdigest()[:16]
            return "_:" + label, None
        text = '"' + _STRING_UNSAFE.sub(_escape_char, str(term)) + '"'
        if term.language:
            return text + "@" + term.language, None
        if term.datatype is not None and term.datatype != XSD_STRING:
            datatype, prefix = self.iri(str(term.datatype))
            return text + "^^" + datatype, prefix
        return text, None

    def iri(self, text: str) -> tuple[str, str | None]:
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and _LOCAL.match(text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}", prefix
        return "<" + _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text) + ">", None


def term_order(term) -> tuple:
    """A total order of terms: IRIs, then blank nodes, then literals (text, language, datatype)."""
    if isinstance(term, URIRef):
        return (0, str(term), "", "")
    if isinstance(term, BNode):
        return (1, str(term), "", "")
    return (2, str(term), term.language or "", str(term.datatype or ""))


TYPE = RDF.type


def same(a, b) -> bool:
    """Whether two terms are the same: by identity (the site's terms are one object each), else by kind and text
    (rdflib's __eq__ is Python-level and was a tenth of the site's time)."""
    return a is b or (a.__class__ is b.__class__ and str.__eq__(a, b))


def predicate_order(p) -> tuple:
    return (not same(p, TYPE), str(p))


class Documents:
    """The documents of every resource of one graph, from one grouping of its triples: what the resource says,
    what points at it, and the labels of the resources on either side."""

    def __init__(self, index: dict, incoming: dict, writer: TermWriter, label_properties: tuple):
        """``index`` and ``incoming`` are the site model's {subject: {predicate: [objects]}} and {object:
        {predicate: [subjects]}} (SiteModel.out and .inc). Every level of ``index`` is already in a fixed order
        (subjects, then rdf:type first, then by IRI) with no duplicates, so it is used as it is; a description
        sorts what it takes from ``incoming``."""
        self.writer = writer
        self.nodes = index
        self.incoming = incoming
        self.label_properties = label_properties
        self.namespaces = dict(writer.prefixes)
        self._turtle: dict = {}  # _shared_key -> (the subject's block of Turtle, prefixes used)
        self._labels_json: dict = {}
        self.values: dict = {}  # id(term) -> (the JSON text of its JSON-LD value object, term)

    def description(self, iri) -> dict:
        """{subject: {predicate: [objects]}} of the resource's document, in a fixed order."""
        nodes = self.nodes
        own = nodes.get(iri, {})
        described: dict = {iri: own} if own else {}
        neighbours = {o for objects in own.values() for o in objects}
        for p, subjects in self.incoming.get(iri, {}).items():
            for s in subjects:
                if not same(s, iri):
                    described.setdefault(s, {})[p] = [iri]
                    neighbours.add(s)
        neighbours.discard(iri)
        for n in neighbours:
            if isinstance(n, URIRef):
                said = nodes.get(n)
                if said:
                    for p in self.label_properties:
                        if p in said:
                            described.setdefault(n, {})[p] = said[p]
        ordered = {}
        for s in sorted(described, key=term_order):
            predicates = described[s]
            ordered[s] = (
                predicates if same(s, iri) else {p: predicates[p] for p in sorted(predicates, key=predicate_order)}
            )
        return ordered

    def turtle(self, described: dict, first=None) -> bytes:
        """Turtle of a description: the prefixes it uses, then one block per subject, ``first`` at the top."""
        used: set[str] = set()
        blocks = []
        subjects = list(described)
        if first in described:
            subjects.remove(first)
            subjects.insert(0, first)
        for s in subjects:
            predicates = described[s]
            key = self._shared_key(s, predicates, first)
            block = self._turtle.get(key) if key is not None else None
            if block is None:
                block = turtle_block(self.writer, s, predicates)
                if key is not None:
                    self._turtle[key] = block
            blocks.append(block[0])
            used |= block[1]
        head = "".join(f"@prefix {prefix}: <{self.namespaces[prefix]}> .\n" for prefix in sorted(used))
        return (head + "\n" + "\n".join(blocks)).encode("utf-8")

    def _shared_key(self, s, predicates: dict, first) -> tuple | None:
        """The key of a subject's block that other pages show the same (another resource's labels, as it
        says them): None for the page's own resource and for a subject shown with part of a list (a link
        to the page), whose blocks appear on one page only."""
        if first is not None and same(s, first):
            return None
        full = self.nodes.get(s, {})
        for p, objects in predicates.items():
            if objects is not full.get(p):
                return None
        return (s, tuple(predicates))

    def jsonld(self, described: dict, first=None) -> bytes:
        """Flattened, expanded JSON-LD of a description (see jsonld_document); the node objects of the other
        resources (their labels, mostly) are made once and reused on every page that shows them."""
        out = []
        cache = self._labels_json
        for s in sorted(described, key=node_id):
            predicates = described[s]
            key = self._shared_key(s, predicates, first)
            text = cache.get(key) if key is not None else None
            if text is None:
                text = node_json(s, predicates, self.values)
                if key is not None:
                    cache[key] = text
            out.append(text)
        return ("[\n" + ",\n".join(out) + "\n]\n").encode("utf-8")


def turtle_block(writer: TermWriter, s, predicates: dict) -> tuple[str, set[str]]:
    """One subject's block of Turtle (its predicates in the order given) and the prefixes it uses."""
    known, entry = writer.known.get, writer.entry
    used: set = set()  # with None in it when a term is written in full
    lines = []
    for p, objects in predicates.items():
        if same(p, TYPE):
            verb = "a"
        else:
            term = known(id(p)) or entry(p)
            verb = term[0]
            used.add(term[1])
        texts = []
        for o in objects:
            term = known(id(o)) or entry(o)
            texts.append(term[0])
            used.add(term[1])
        lines.append(f"    {verb} " + ",\n        ".join(texts))
    subject = known(id(s)) or entry(s)
    used.add(subject[1])
    used.discard(None)
    return subject[0] + "\n" + " ;\n".join(lines) + " .\n", used


def turtle_document(nodes: dict, writer: TermWriter, first=None) -> bytes:
    """Turtle of grouped triples (SiteModel.out): the prefixes it uses, then one block per subject, ``first``
    (the resource the document is about) at the top."""
    used: set[str] = set()
    blocks = []
    subjects = list(nodes)
    if first in nodes:
        subjects.remove(first)
        subjects.insert(0, first)
    for s in subjects:
        block, prefixes = turtle_block(writer, s, nodes[s])
        blocks.append(block)
        used |= prefixes
    namespaces = dict(writer.prefixes)
    head = "".join(f"@prefix {prefix}: <{namespaces[prefix]}> .\n" for prefix in sorted(used))
    return (head + "\n" + "\n".join(blocks)).encode("utf-8")


def node_id(s) -> str:
    return f"_:{s}" if isinstance(s, BNode) else str(s)


# How json.dumps(..., ensure_ascii=False) writes a string (the same C function).
json_string = json.encoder.encode_basestring


def jsonld_value(o, cache: dict) -> str:
    """A term as the JSON text of an expanded JSON-LD value object (literals as strings with their language or
    datatype), written as json.dumps(..., ensure_ascii=False, sort_keys=True) writes the object: its keys
    sorted, ", " and ": " between items. Cached by identity, the term kept in the entry (see TermWriter.turtle)."""
    entry = cache.get(id(o))
    if entry is not None:
        return entry[0]
    if isinstance(o, (URIRef, BNode)):
        text = '{"@id": ' + json_string(node_id(o)) + "}"
    elif o.language:
        text = '{"@language": ' + json_string(o.language) + ', "@value": ' + json_string(str(o)) + "}"
    elif o.datatype is not None:
        text = '{"@type": ' + json_string(str(o.datatype)) + ', "@value": ' + json_string(str(o)) + "}"
    else:
        text = '{"@value": ' + json_string(str(o)) + "}"
    cache[id(o)] = (text, o)
    return text


def node_json(s, predicates: dict, cache: dict) -> str:
    """The JSON text of a node object: its @id, its @type (rdf:type when no object is a literal), one list of
    value objects per other predicate; the same text json.dumps(node, ensure_ascii=False, sort_keys=True)
    gives, written from cached pieces (json.dumps was a fifth of a resource page's time)."""
    entries = [("@id", json_string(node_id(s)))]
    known = cache.get
    for p, objects in predicates.items():
        if same(p, TYPE) and all(not isinstance(o, Literal) for o in objects):
            entries.append(("@type", "[" + ", ".join(json_string(node_id(o)) for o in objects) + "]"))
        else:
            values = []
            for o in objects:  # looked up here, not through jsonld_value: this runs for every value of a page
                entry = known(id(o))
                values.append(entry[0] if entry is not None else jsonld_value(o, cache))
            entries.append((str(p), "[" + ", ".join(values) + "]"))
    entries.sort()  # the keys differ, so this is the order of the keys
    return "{" + ", ".join(json_string(key) + ": " + value for key, value in entries) + "}"


def jsonld_document(nodes: dict) -> bytes:
    """Flattened, expanded JSON-LD of grouped triples (SiteModel.out): one node object per line, sorted by @id,
    literals as strings with their language or datatype (as the JSON-LD spec's fromRdf writes them)."""
    cache: dict = {}
    out = [node_json(s, nodes[s], cache) for s in sorted(nodes, key=node_id)]
    return ("[\n" + ",\n".join(out) + "\n]\n").encode("utf-8")


def ntriples_document(nodes: dict, writer: TermWriter) -> bytes:
    """N-Triples of grouped triples (SiteModel.out), one triple a line; ``writer`` must have no prefixes."""
    known, entry = writer.known.get, writer.entry
    lines = []
    add = lines.append
    for s, predicates in nodes.items():
        subject = (known(id(s)) or entry(s))[0]
        for p, objects in predicates.items():
            start = f"{subject} {(known(id(p)) or entry(p))[0]} "
            for o in objects:
                add(start + (known(id(o)) or entry(o))[0] + " .\n")
    return "".join(lines).encode("utf-8")
