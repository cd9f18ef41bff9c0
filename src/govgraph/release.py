"""A release folder: the dataset in four formats with its DCAT-AP catalogue, VoID statistics, checksums and
changelog. `govgraph release` is a thin client of release().

    from govgraph.release import release
    release("dist/release", previous="releases/2024-01", issued="2024-06-01")

The folder is built in a temporary folder beside the target and renamed into place, so a reader never sees
half a release; the same data and options give byte-identical files (gzip copies carry no timestamp).
"""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, VOID, XSD

from govgraph.errors import InputError, InputErrors
from govgraph.namespaces import GG, PREFIXES, bind_prefixes
from govgraph.package import PUBLISHER_TYPES, Manifest, Publisher, first_text

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"
IANA = "https://www.iana.org/assignments/media-types/"
EU = "http://publications.europa.eu/resource/authority/"
FORMATS_NS = "http://www.w3.org/ns/formats/"
ONTOLOGY = "https://w3id.org/govgraph/def"
SHAPES = "https://w3id.org/govgraph/def/shapes"
OGP_WEBSITE = "https://www.opengovpartnership.org/"

CONTEXT_FILE = "context.jsonld"
ABSOLUTE_IRI = re.compile(r"^https?://[^\s/<>\"{}|\\^`]+(/[^\s<>\"{}|\\^`]*)?$")


@dataclass(frozen=True)
class DataFile:
    name: str
    fmt: str  # govgraph.export format
    media_type: str  # IANA
    file_type: str  # EU file-type authority table
    w3c_format: str  # http://www.w3.org/ns/formats/
    label: str


DATA_FILES = (
    DataFile("govgraph.ttl", "turtle", "text/turtle", "RDF_TURTLE", "Turtle", "Turtle"),
    DataFile("govgraph.nt", "nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples", "N-Triples"),
    DataFile("govgraph.jsonld", "jsonld", "application/ld+json", "JSON_LD", "JSON-LD", "JSON-LD"),
    DataFile("govgraph.trig", "trig", "application/trig", "RDF_TRIG", "TriG", "TriG (one named graph per source)"),
)

INCLUDES_VOCABULARY = {
    "en": "Includes the govgraph ontology and its SKOS concept schemes.",
    "da": "Indeholder govgraph-ontologien og dens SKOS-begrebssystemer.",
}
# What a licence lets users do, as the ADMS licence types that DCAT-AP asks of a licence (code → English label
# in the ADMS list), for the licences the EU and Creative Commons name. Matched on the licence IRI.
ADMS_LICENCE_TYPES = {
    "Attribution": "Attribution",
    "ViralEffect-ShareAlike": "Viral effect (a.k.a. Share-alike)",
    "NonCommercialUseOnly": "Non-commercial use only",
    "NoDerivativeWork": "No derivative work",
    "PublicDomain": "Public domain",
}
LICENCE_TYPES = (
    (re.compile(r"^https?://creativecommons\.org/publicdomain/(zero|mark)/"), ("PublicDomain",)),
    (re.compile(r"^https?://creativecommons\.org/licenses/by(-[a-z-]+)?/"), None),  # by, by-sa, by-nc-nd, ...
    (re.compile(r"^https?://opendatacommons\.org/licenses/pddl/"), ("PublicDomain",)),
    (re.compile(r"^https?://opendatacommons\.org/licenses/by/"), ("Attribution",)),
    (re.compile(r"^https?://opendatacommons\.org/licenses/odbl/"), ("Attribution", "ViralEffect-ShareAlike")),
    (re.compile(r"^http://publications\.europa\.eu/resource/authority/licence/CC0"), ("PublicDomain",)),
    (re.compile(r"^http://publications\.europa\.eu/resource/authority/licence/CC_(BY[A-Z_]*?)_\d"), None),
)
CC_PARTS = {"sa": "ViralEffect-ShareAlike", "nc": "NonCommercialUseOnly", "nd": "NoDerivativeWork"}
# The release files stay where they are for the medium term (a new release replaces them under the same
# names): "available". DCAT-AP-DK 2.0.2 takes only DCAT-AP 2.0's own list for it (r5r/availability/), which
# DCAT-AP 3 accepts too (any skos:Concept); EU planned-availability/AVAILABLE is the same value.
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; rdflib's DCAT namespace predates it
AVAILABILITY = URIRef("http://data.europa.eu/r5r/availability/available")


def licence_types(license: str) -> tuple[str, ...]:
    """The ADMS licence types of a licence IRI (Creative Commons, Open Data Commons, EU licence table); ()
    for a licence this table does not know."""
    for pattern, types in LICENCE_TYPES:
        match = pattern.match(license)
        if match and types is not None:
            return types
        if match:  # a Creative Commons attribution licence: by, by-sa, by-nc-nd, ... (EU table: BY, BYSA, ...)
            rest = re.sub(r"[-_]", "", match.group(1) or "").lower().removeprefix("by")
            return ("Attribution", *(CC_PARTS[p] for p in ("sa", "nc", "nd") if p in rest))
    return ()


def release_date(issued: str | datetime.date | None = None) -> datetime.date:
    """The release date: the one given, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC)."""
    if isinstance(issued, datetime.date):
        return issued
    if issued:
        try:
            return datetime.date.fromisoformat(issued)
        except ValueError:
            raise ValueError(f"--issued {issued!r} is not a date (YYYY-MM-DD)") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
        except ValueError:
            raise ValueError(f"SOURCE_DATE_EPOCH {epoch!r} is not a number of seconds") from None
    return datetime.datetime.now(datetime.UTC).date()


def release(
    output: str | Path,
    *,
    data: str | Path | None = None,
    previous: str | Path | None = None,
    compress: bool = False,
    base_iri: str | None = None,
    issued: str | datetime.date | None = None,
    publisher_name: str | None = None,
    publisher_iri: str | None = None,
    license: str | None = None,
    download_base: str | None = None,
    graph: Graph | None = None,
) -> Path:
    """Write a release folder of a data package (``data``: its folder; None: the bundled Danish package) to
    ``output`` and return its path.

    It holds govgraph.{ttl,nt,jsonld,trig} (the JSON-LD refers to context.jsonld beside it; with
    ``compress``, a .gz copy of each), catalog.ttl (DCAT-AP), void.ttl (VoID statistics), CHANGELOG.md (the
    changes since the ``previous`` release folder, or a note that this is the first release) and SHA256SUMS.
    What the catalogue says of the dataset (title, description, publisher, licence, languages, coverage,
    keywords, themes, version) comes from the package's manifest and its data; the options override the
    manifest's base IRI, publisher and licence. ``graph`` defaults to the package's built dataset. Files are
    linked under ``download_base`` (default ``<base>release/``). An existing ``output`` is replaced only if it
    is empty or an earlier release."""
    from govgraph.diff import side_from_ntriples
    from govgraph.iris import check_base_iri
    from govgraph.package import open_package

    package = open_package(data)
    manifest = package.manifest
    base = check_base_iri(base_iri or manifest.base_iri)
    date = release_date(issued)
    for option, value in (
        ("--publisher-iri", publisher_iri),
        ("--license", license),
        ("--download-base", download_base),
    ):
        if value is not None and not ABSOLUTE_IRI.match(value):
            raise ValueError(f"{option} {value!r} is not an absolute http(s) IRI")
    output = Path(output)
    _check_replaceable(output)
    previous_side, first_issued = None, None
    if previous is not None:
        from govgraph.diff import load

        previous_side = load(previous, name="the previous release")
        first_issued = _previous_issued(Path(previous))
    if graph is None:
        from govgraph.build import build

        graph = build(base, data=package)

    files = data_files(graph, base, compress)
    urls = check_base_iri(download_base) if download_base else f"{base}release/"
    if first_issued is None and manifest.issued:
        first_issued = datetime.date.fromisoformat(manifest.issued)
    publisher = dataclasses.replace(
        manifest.publisher,
        name=publisher_name or manifest.publisher.name,
        iri=publisher_iri or (None if publisher_name else manifest.publisher.iri),
    )
    meta = ReleaseMetadata(
        base, urls, date, first_issued or date, publisher, license or manifest.license, manifest, graph
    )
    files["catalog.ttl"] = _turtle(catalog_graph(meta, files))
    files["void.ttl"] = _turtle(void_graph(graph, meta, files))
    current = side_from_ntriples(files["govgraph.nt"], "this release")
    files["CHANGELOG.md"] = changelog(
        current, previous_side, date, Path(previous).name if previous else None, first_text(manifest.title, "govgraph")
    )
    files["SHA256SUMS"] = sha256sums(files)
    return _write_folder(output, files)


@dataclass(frozen=True)
class ReleaseMetadata:
    """What the catalogue and VoID say about the release: the package's manifest, and where, when, by whom."""

    base: str
    download_base: str
    modified: datetime.date
    issued: datetime.date
    publisher_agent: Publisher
    license: str
    manifest: Manifest
    graph: Graph

    @property
    def publisher_name(self) -> str:
        return self.publisher_agent.name

    def thing(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{key}")

    @property
    def dataset(self) -> URIRef:
        return self.thing("dataset", "govgraph")

    @property
    def publisher(self) -> URIRef:
        from govgraph.iris import slugify

        agent = self.publisher_agent
        return URIRef(agent.iri) if agent.iri else self.thing("agent", slugify(agent.name))

    def url(self, name: str) -> URIRef:
        return URIRef(self.download_base + name)

    @property
    def includes_vocabulary(self) -> bool:
        return (URIRef(ONTOLOGY), RDF.type, OWL.Ontology) in self.graph

    @property
    def title(self) -> dict[str, str]:
        return self.manifest.title

    @property
    def description(self) -> dict[str, str]:
        """The manifest's description; the sentence on the ontology only when the dataset carries it."""
        if not self.includes_vocabulary:
            return self.manifest.description
        return {
            lang: f"{text} {INCLUDES_VOCABULARY[lang]}" if lang in INCLUDES_VOCABULARY else text
            for lang, text in self.manifest.description.items()
        }

    @property
    def languages(self) -> list[URIRef]:
        from govgraph.authorities import eu_language

        return [iri for iri in dict.fromkeys(eu_language(tag) for tag in self.manifest.languages) if iri]

    @property
    def spatial(self) -> list[URIRef]:
        """The manifest's places and the country of every national OGP member in the data."""
        members = {
            str(country).rsplit("/", 1)[1]
            for member in self.graph.subjects(RDF.type, GG.OGPMember)
            for country in self.graph.objects(member, DCTERMS.spatial)
            if str(country).startswith(f"{EU}country/")
        }
        return [URIRef(f"{EU}country/{code}") for code in sorted(set(self.manifest.spatial) | members)]

    @property
    def temporal(self) -> tuple[Literal, Literal] | None:
        """The earliest and the latest date or year the data states of its things (xsd:date, xsd:gYear; not
        the vocabulary's own dates), as they are typed."""
        things = f"{self.base}id/"
        moments = {
            o
            for s, o in self.graph.subject_objects()
            if isinstance(o, Literal) and o.datatype in (XSD.date, XSD.gYear) and str(s).startswith(things)
        }
        moments = [o for o in moments if _well_formed(o)]
        if not moments:
            return None
        start = min(moments, key=lambda o: (_first_day(o), str(o.datatype)))
        end = max(moments, key=lambda o: (_last_day(o), str(o.datatype)))
        return start, end


def data_files(graph: Graph, base: str, compress: bool = False) -> dict[str, bytes]:
    """The dataset in every release format, the JSON-LD context, and (``compress``) gzip copies."""
    import json

    from govgraph.export import jsonld_context, serialize, serialize_jsonld_compact, serialize_trig

    context = jsonld_context(graph, base)
    files: dict[str, bytes] = {}
    for f in DATA_FILES:
        if f.fmt == "jsonld":
            files[f.name] = serialize_jsonld_compact(graph, context, CONTEXT_FILE)
        elif f.fmt == "trig":
            files[f.name] = serialize_trig(graph, base)
        else:
            files[f.name] = serialize(graph, f.fmt)
    files[CONTEXT_FILE] = (json.dumps(context, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if compress:
        for f in DATA_FILES:
            # mtime=0 and no file name in the header: the same data always gives the same .gz bytes.
            files[f.name + ".gz"] = gzip.compress(files[f.name], compresslevel=9, mtime=0)
    return files


def _distributions(files: dict[str, bytes]) -> list[tuple[str, DataFile, bool]]:
    """(file name, its format, compressed?) for every data file of the release, in a fixed order."""
    out = []
    for f in DATA_FILES:
        out.append((f.name, f, False))
        if f.name + ".gz" in files:
            out.append((f.name + ".gz", f, True))
    return out


def catalog_graph(meta: ReleaseMetadata, files: dict[str, bytes]) -> Graph:
    """DCAT-AP (3 and 2.1) description: a catalogue with one dataset and a distribution per data file."""
    g = Graph()
    bind_prefixes(g, meta.base)
    g.bind("spdx", SPDX)
    catalog, dataset, publisher = meta.thing("catalog", "govgraph"), meta.dataset, meta.publisher
    license = URIRef(meta.license)
    issued = Literal(meta.issued.isoformat(), datatype=XSD.date)
    modified = Literal(meta.modified.isoformat(), datatype=XSD.date)
    languages = meta.languages

    g.add((catalog, RDF.type, DCAT.Catalog))
    _texts(g, catalog, DCTERMS.title, {"en": f"Data catalogue of {meta.publisher_name}"})
    _texts(g, catalog, DCTERMS.description, {"en": f"The datasets published by {meta.publisher_name}."})
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, FOAF.homepage, URIRef(meta.base)))
    g.add((catalog, DCTERMS.license, license))
    g.add((catalog, DCTERMS.issued, issued))
    g.add((catalog, DCTERMS.modified, modified))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")))
    for language in languages:
        g.add((catalog, DCTERMS.language, language))
    for place in meta.spatial:
        g.add((catalog, DCTERMS.spatial, place))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(meta.publisher_name)))
    if meta.publisher_agent.homepage:
        g.add((publisher, FOAF.homepage, URIRef(meta.publisher_agent.homepage)))
    if meta.publisher_agent.type:
        kind = URIRef(ADMS_PUBLISHER_TYPE + meta.publisher_agent.type)
        g.add((publisher, DCTERMS.type, kind))
        _concept(
            g, kind, ADMS_PUBLISHER_TYPE + "1.0", "Publisher Type", {"en": PUBLISHER_TYPES[meta.publisher_agent.type]}
        )
    for code in licence_types(meta.license):
        kind = URIRef(ADMS_LICENCE_TYPE + code)
        g.add((license, DCTERMS.type, kind))
        _concept(g, kind, ADMS_LICENCE_TYPE + "1.0", "Licence Type", {"en": ADMS_LICENCE_TYPES[code]})

    g.add((dataset, RDF.type, DCAT.Dataset))
    _texts(g, dataset, DCTERMS.title, meta.title)
    _texts(g, dataset, DCTERMS.description, meta.description)
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.issued, issued))
    g.add((dataset, DCTERMS.modified, modified))
    for code in meta.manifest.themes:
        g.add((dataset, DCAT.theme, URIRef(f"{EU}data-theme/{code}")))
    for place in meta.spatial:
        g.add((dataset, DCTERMS.spatial, place))
    if meta.manifest.version:
        g.add((dataset, DCAT_VERSION, Literal(meta.manifest.version)))  # DCAT-AP 3 deprecates owl:versionInfo
    temporal = meta.temporal
    if temporal:
        period = meta.thing("period", "dataset")
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, temporal[0]))
        g.add((period, DCAT.endDate, temporal[1]))
    contact = meta.publisher_agent.contact
    if contact:
        point = meta.thing("contact-point", "dataset")
        g.add((dataset, DCAT.contactPoint, point))
        g.add((point, RDF.type, VCARD.Kind))
        g.add((point, VCARD.fn, Literal(meta.publisher_name)))
        if ":" in contact:  # a contact page
            g.add((point, VCARD.hasURL, URIRef(contact)))
        else:
            g.add((point, VCARD.hasEmail, URIRef(f"mailto:{contact}")))
    g.add((dataset, DCAT.landingPage, URIRef(meta.base)))
    g.add((dataset, DCTERMS.conformsTo, URIRef(ONTOLOGY)))
    g.add((dataset, DCTERMS.conformsTo, URIRef(SHAPES)))
    for language in languages:
        g.add((dataset, DCTERMS.language, language))
    for lang, words in meta.manifest.keywords.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))

    for name, f, compressed in _distributions(files):
        data = files[name]
        key = name.replace(".", "-")
        distribution, checksum = meta.thing("distribution", key), meta.thing("checksum", key)
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        what = f"{f.label}, gzip-compressed" if compressed else f.label
        g.add((distribution, DCTERMS.title, Literal(f"govgraph dataset ({what})", lang="en")))
        g.add((distribution, DCTERMS.description, Literal(f"The whole govgraph dataset as {what}.", lang="en")))
        g.add((distribution, DCAT.accessURL, URIRef(meta.download_base)))
        g.add((distribution, DCAT.downloadURL, meta.url(name)))
        g.add((distribution, DCAT.mediaType, URIRef(IANA + f.media_type)))
        g.add((distribution, DCTERMS.format, URIRef(f"{EU}file-type/{f.file_type}")))
        if compressed:
            g.add((distribution, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        # No dcat:byteSize: DCAT-AP 3 types it xsd:nonNegativeInteger and DCAT-AP-DK 2.0.2 xsd:decimal, each
        # with at most one value, so no size conforms to both (SHA256SUMS and HTTP tell the size).
        g.add((distribution, DCATAP.availability, AVAILABILITY))
        g.add((distribution, DCTERMS.license, license))
        g.add((distribution, DCTERMS.issued, issued))
        g.add((distribution, DCTERMS.modified, modified))
        g.add((distribution, DCTERMS.conformsTo, URIRef(ONTOLOGY)))
        g.add((distribution, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        # SHA-1, the one algorithm DCAT-AP-DK 2.0.2 admits; SHA256SUMS beside the files has the SHA-256 sums.
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha1))
        g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha1(data).hexdigest(), datatype=XSD.hexBinary)))

    # The EU data theme with its labels (EU Vocabularies), so that the catalogue describes its own theme.
    theme, themes = URIRef(f"{EU}data-theme/GOVE"), URIRef(f"{EU}data-theme")
    g.add((theme, SKOS.inScheme, themes))
    _texts(
        g, theme, SKOS.prefLabel, {"en": "Government and public sector", "da": "Regeringen og den offentlige sektor"}
    )
    _texts(g, themes, SKOS.prefLabel, {"en": "Data theme", "da": "Datatema"})
    _texts(g, themes, DCTERMS.title, {"en": "Data theme", "da": "Datatema"})
    _concept(g, AVAILABILITY, "http://data.europa.eu/r5r/availability", "DCAT-AP availability", {"en": "available"})
    for place in meta.spatial:
        where = meta.manifest.geometry.get(str(place).rsplit("/", 1)[1])
        if where:  # WKT in WGS 84 longitude-latitude order (GeoSPARQL's default reference system)
            w, s_, e, n = where.bbox
            polygon = f"POLYGON(({w} {s_},{e} {s_},{e} {n},{w} {n},{w} {s_}))"
            g.add((place, DCAT.bbox, Literal(polygon, datatype=GSP.wktLiteral)))
            g.add((place, DCAT.centroid, Literal(f"POINT({where.centroid[0]} {where.centroid[1]})",
                                                 datatype=GSP.wktLiteral)))  # fmt: skip
    # The classes DCAT-AP expects of the controlled values, stated so that range checks need no lookup.
    for node, cls in [
        (license, DCTERMS.LicenseDocument),
        (theme, SKOS.Concept),
        (themes, SKOS.ConceptScheme),
        (SPDX.checksumAlgorithm_sha1, SPDX.ChecksumAlgorithm),
        *((page, FOAF.Document) for page in {*g.objects(None, FOAF.homepage), *g.objects(None, DCAT.landingPage)}),
        *((place, DCTERMS.Location) for place in meta.spatial),
        *((language, DCTERMS.LinguisticSystem) for language in languages),
        *((o, DCTERMS.MediaType) for o in set(g.objects(None, DCAT.mediaType))),
        *((o, DCTERMS.MediaType) for o in set(g.objects(None, DCAT.compressFormat))),
        *((o, DCTERMS.MediaTypeOrExtent) for o in set(g.objects(None, DCTERMS.format))),
        *((o, DCTERMS.Standard) for o in set(g.objects(dataset, DCTERMS.conformsTo))),
    ]:
        g.add((node, RDF.type, cls))
    return g


def void_graph(graph: Graph, meta: ReleaseMetadata, files: dict[str, bytes]) -> Graph:
    """VoID statistics of ``graph``: sizes, a partition per class and per property, vocabularies, dumps, and
    the linkset of rdfs:seeAlso links to OGP pages."""
    from govgraph.iris import slugify

    g = Graph()
    bind_prefixes(g, meta.base)
    dataset = meta.dataset
    uri_space = f"{meta.base}id/"
    namespaces = sorted({str(ns) for _p, ns in graph.namespaces()} | set(PREFIXES.values()), key=len, reverse=True)

    prefixes = {str(ns): prefix for prefix, ns in graph.namespaces()} | {ns: p for p, ns in PREFIXES.items()}
    keys: dict[str, str] = {}

    def partition_key(kind: str, iri: str) -> str:
        """``class-gg-commitment``: the kind and the term's prefixed name as a slug, unique in the release."""
        ns = next((ns for ns in namespaces if iri.startswith(ns)), "")
        key = slugify(f"{kind}-{prefixes.get(ns, ns)}-{iri[len(ns) :]}")
        if keys.setdefault(key, iri) != iri:  # two terms that differ only in case or punctuation
            key += "-" + hashlib.sha256(iri.encode()).hexdigest()[:8]
        return key

    subjects, objects, predicates = set(), set(), {}
    instances: dict[URIRef, set] = {}
    for s, p, o in graph:
        subjects.add(s)
        objects.add(o)
        predicates[p] = predicates.get(p, 0) + 1
        if p == RDF.type:
            instances.setdefault(o, set()).add(s)
    entities = {s for s in subjects if str(s).startswith(uri_space)}

    g.add((dataset, RDF.type, VOID.Dataset))
    _texts(g, dataset, DCTERMS.title, meta.title)
    g.add((dataset, VOID.uriSpace, Literal(uri_space)))
    g.add((dataset, VOID.triples, _count(len(graph))))
    g.add((dataset, VOID.entities, _count(len(entities))))
    g.add((dataset, VOID.classes, _count(len(instances))))
    g.add((dataset, VOID.properties, _count(len(predicates))))
    g.add((dataset, VOID.distinctSubjects, _count(len(subjects))))
    g.add((dataset, VOID.distinctObjects, _count(len(objects))))
    example = URIRef(f"{meta.base}id/commitment/DK0040")
    if (example, None, None) in graph:
        g.add((dataset, VOID.exampleResource, example))
    for name, f, compressed in _distributions(files):
        g.add((dataset, VOID.dataDump, meta.url(name)))
        if not compressed:
            g.add((dataset, VOID.feature, URIRef(FORMATS_NS + f.w3c_format)))
    used = {str(t) for t in (*instances, *predicates)}
    for ns in namespaces:
        if any(t.startswith(ns) for t in used):
            g.add((dataset, VOID.vocabulary, URIRef(ns)))
            used = {t for t in used if not t.startswith(ns)}  # a term counts for its longest namespace only

    for cls, members in instances.items():
        partition = meta.thing("void-partition", partition_key("class", str(cls)))
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        g.add((partition, VOID.entities, _count(len(members))))
    for prop, n in predicates.items():
        partition = meta.thing("void-partition", partition_key("property", str(prop)))
        g.add((dataset, VOID.propertyPartition, partition))
        g.add((partition, VOID.property, prop))
        g.add((partition, VOID.triples, _count(n)))

    ogp = meta.thing("dataset", "ogp-website")
    g.add((ogp, RDF.type, VOID.Dataset))
    g.add((ogp, DCTERMS.title, Literal("Open Government Partnership website", lang="en")))
    g.add((ogp, FOAF.homepage, URIRef(OGP_WEBSITE)))
    g.add((ogp, VOID.uriSpace, Literal(OGP_WEBSITE)))
    from rdflib.namespace import RDFS

    links = sum(1 for _s, o in graph.subject_objects(RDFS.seeAlso) if str(o).startswith(OGP_WEBSITE))
    linkset = meta.thing("linkset", "ogp-pages")
    g.add((dataset, VOID.subset, linkset))
    g.add((linkset, RDF.type, VOID.Linkset))
    g.add((linkset, DCTERMS.title, Literal("Links to the OGP's commitment and member pages", lang="en")))
    g.add((linkset, VOID.linkPredicate, RDFS.seeAlso))
    g.add((linkset, VOID.subjectsTarget, dataset))
    g.add((linkset, VOID.objectsTarget, ogp))
    g.add((linkset, VOID.triples, _count(links)))
    return g


def changelog(current, previous, date: datetime.date, previous_name: str | None, title: str = "govgraph") -> bytes:
    """CHANGELOG.md: the Markdown diff of ``current`` against the ``previous`` release (both loaded with
    govgraph.diff), or a note that this is the first release; headed by the dataset's ``title``."""
    lines = [f"# {title}: release {date.isoformat()}", ""]
    if previous is None:
        lines.append(f"First release: {len(current.store)} triples. There is no previous release to compare with.")
        return ("\n".join(lines) + "\n").encode("utf-8")
    from govgraph.diff import diff

    changes = diff(previous, current)
    if previous_name:
        changes.old = f"the previous release ({previous_name})"
    lines.append(changes.to_markdown().rstrip("\n"))
    return ("\n".join(lines) + "\n").encode("utf-8")


def sha256sums(files: dict[str, bytes]) -> bytes:
    """``sha256sum -c`` input: "<hex>  <name>" per file, in name order."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())).encode()


# ---------------------------------------------------------------- helpers


def _texts(g: Graph, s: URIRef, p: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        g.add((s, p, Literal(text, lang=lang)))


def _first_day(o: Literal) -> str:
    return str(o) if o.datatype == XSD.date else f"{o}-01-01"


def _last_day(o: Literal) -> str:
    return str(o) if o.datatype == XSD.date else f"{o}-12-31"


def _well_formed(o: Literal) -> bool:
    return bool(re.fullmatch(r"\d{4}" if o.datatype == XSD.gYear else r"\d{4}-\d\d-\d\d", str(o)))


def _concept(g: Graph, concept: URIRef, scheme: str, scheme_title: str, labels: dict[str, str]) -> None:
    """A value of a controlled list with its labels, in its scheme with its title, as the list gives them
    (DCAT-AP asks a label of a concept and a title of a scheme)."""
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.inScheme, URIRef(scheme)))
    _texts(g, concept, SKOS.prefLabel, labels)
    g.add((URIRef(scheme), RDF.type, SKOS.ConceptScheme))
    for p in (DCTERMS.title, SKOS.prefLabel):  # DCAT-AP asks a title; SKOS users look for a label
        g.add((URIRef(scheme), p, Literal(scheme_title, lang="en")))


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _turtle(g: Graph) -> bytes:
    from govgraph.export import serialize

    return serialize(g, "turtle")


def _previous_issued(previous: Path) -> datetime.date | None:
    """The first-release date the previous release's catalogue states, so that dcterms:issued stays put."""
    catalog = previous / "catalog.ttl"
    if not catalog.is_file():
        return None
    g = Graph()
    try:
        g.parse(catalog, format="turtle")
    except Exception as exc:  # rdflib's parsers raise many types; all mean "not valid Turtle"
        raise InputErrors([InputError(str(catalog), None, f"not valid Turtle: {exc}")]) from None
    dates = sorted(
        str(o)
        for s in g.subjects(RDF.type, DCAT.Dataset)
        for o in g.objects(s, DCTERMS.issued)
        if o.datatype == XSD.date
    )
    return datetime.date.fromisoformat(dates[0]) if dates else None


def _check_replaceable(output: Path) -> None:
    """Never replace a folder that holds something other than an earlier release."""
    if output.exists() and not output.is_dir():
        raise InputErrors([InputError(str(output), None, "exists and is not a folder")])
    if output.is_dir() and any(output.iterdir()) and not (output / "SHA256SUMS").is_file():
        raise InputErrors(
            [InputError(str(output), None, "is not empty and not a govgraph release (no SHA256SUMS); not replaced")]
        )


def _write_folder(output: Path, files: dict[str, bytes]) -> Path:
    """Write the files to a new folder beside ``output`` and swap it into place."""
    from govgraph.errors import writing
    from govgraph.export import write_bytes_atomic

    output = output.absolute()
    with writing(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        for name, data in files.items():
            write_bytes_atomic(staging / name, data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it 0700; a published folder gets normal permissions
        if output.exists():
            # Two renames: the old release is moved aside, the new one moved in, then the old one removed.
            retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".old", dir=output.parent))
            os.replace(output, retired / output.name)
            os.replace(staging, output)
            shutil.rmtree(retired)
        else:
            os.replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output
