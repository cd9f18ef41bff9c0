"""Building the govgraph dataset: curated files and bundled OGP data → one RDF graph.

source files → readers (govgraph.sources) → records → converters (govgraph.convert) → graph
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from rdflib import Graph

from govgraph import DEFAULT_BASE_IRI
from govgraph.convert.commitments import write_commitments
from govgraph.convert.common import GraphWriter, write_source_document
from govgraph.convert.programmes import write_curated
from govgraph.iris import Minter, slugify
from govgraph.namespaces import bind_prefixes
from govgraph.package import DataPackage, check_document_files, open_package
from govgraph.records import Commitment, Country, SourceDocument, SourceRef
from govgraph.resources import ontology_files
from govgraph.sources.curated import read_curated
from govgraph.sources.curated_ogp import curated_commitments, source_documents
from govgraph.sources.ogp_export import read_ogp_export
from govgraph.sources.ogp_page import OGPPage, policy_area_key, read_ogp_page


def new_graph(base_iri: str = DEFAULT_BASE_IRI) -> tuple[Graph, GraphWriter]:
    graph = Graph()
    minter = Minter(base_iri)
    bind_prefixes(graph, minter.base)
    return graph, GraphWriter(graph, minter)


def add_vocabulary(graph: Graph) -> None:
    """The ontology and its SKOS schemes, parsed from the bundled Turtle files."""
    for path in ontology_files():
        graph.parse(path, format="turtle")


def build(
    base_iri: str | None = None,
    *,
    vocabulary: bool | None = None,
    data: str | Path | DataPackage | None = None,
) -> Graph:
    """Build the dataset of a data package (``data``: its folder, or an opened package; None: the bundled
    Danish package) as one rdflib Graph: the ontology and schemes (as the manifest's includes_vocabulary says,
    unless ``vocabulary`` is given), the package's curated YAML files and CSV sheets, its OGP exports' rows
    (only the members the manifest names, where it names some) and its OGP commitment pages. Things are
    minted under ``base_iri``, else the manifest's base_iri. Raises InputErrors naming every bad record at once."""
    package = data if isinstance(data, DataPackage) else open_package(data)
    graph, w = new_graph(base_iri or package.manifest.base_iri)
    if package.manifest.includes_vocabulary if vocabulary is None else vocabulary:
        add_vocabulary(graph)
    curated = read_curated(list(package.record_files), languages=package.manifest.languages)
    documents = source_documents(curated)
    check_document_files(package, documents)
    for doc in documents:
        write_source_document(w, doc)
    exported = [
        commitment
        for export in package.ogp_exports
        for commitment in read_ogp_export(export.path, document=slugify(export.path.stem))
        if not export.members or (commitment.country is not None and commitment.country.code in export.members)
    ]
    for page_path in package.ogp_pages:
        page = read_ogp_page(page_path)
        doc = file_document(page_path, f"OGP commitment page {page_path.name}")
        write_source_document(w, doc)
        exported += page_commitments(page, doc.key)
    write_commitments(w, merge_commitments(curated_commitments(curated), exported))
    write_curated(w, curated)
    return graph


def merge_commitments(curated: list[Commitment], exported: list[Commitment]) -> list[Commitment]:
    """One record per commitment id. Where the OGP export has a commitment the curated list also has, the
    export's fields fill in and the list's title stays as the short title; both sources are cited."""
    by_id = {c.id: c for c in curated}
    for e in exported:
        c = by_id.get(e.id)
        if c is None:
            by_id[e.id] = e
            continue
        by_id[e.id] = dataclasses.replace(
            e,
            short_title=c.title if c.title != e.title else e.short_title,
            action_plan=c.action_plan or e.action_plan,
            policy_areas=tuple(dict.fromkeys((*c.policy_areas, *e.policy_areas))),
            starred=c.starred,
            status=e.status or c.status,
            description=e.description or c.description,
            assessments=(*c.assessments, *e.assessments),
            extra_sources=(c.source, *c.extra_sources, *e.extra_sources),
        )
    return [by_id[k] for k in sorted(by_id)]


def file_document(path: Path, title: str) -> SourceDocument:
    """A user's input file as a source document: keyed by its name, fingerprinted by its content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return SourceDocument(slugify(path.stem) or "input", title, "en", path.name, digest)


def convert_ogp_export(path: str | Path, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Convert a user's OGP commitments export CSV to a graph (data only, no ontology)."""
    path = Path(path)
    commitments = read_ogp_export(path)
    graph, w = new_graph(base_iri)
    write_source_document(w, file_document(path, f"OGP commitments export {path.name}"))
    write_commitments(w, commitments)
    return graph


def convert_ogp_page(path: str | Path, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Convert the text of a user's OGP commitment page (list + the page's own commitment) to a graph."""
    path = Path(path)
    page = read_ogp_page(path)
    graph, w = new_graph(base_iri)
    doc = file_document(path, f"OGP commitment page {path.name}")
    write_source_document(w, doc)
    write_commitments(w, page_commitments(page, doc.key))
    return graph


def page_commitments(page: OGPPage, document: str) -> list[Commitment]:
    """The commitments an OGP page lists, with the page's own commitment's at-a-glance facts added."""
    country = Country(page.member[:3].upper(), page.member) if page.member else None
    out = []
    for entry in page.entries:
        c = Commitment(
            id=entry.id,
            title=entry.title,
            source=SourceRef(document, entry.line, entry.last_line, f"Commitments, item {entry.position}"),
            country=country,
            policy_areas=(policy_area_key(entry.policy_area),),
            starred=entry.starred,
            page_url=f"https://www.opengovpartnership.org/members/{slugify(page.member or '')}/commitments/{entry.id}/"
            if page.member
            else None,
        )
        if entry.id == page.commitment_id:
            status = page.at_a_glance.get("Status")
            c = dataclasses.replace(
                c,
                description=page.description,
                status=status.value.lower() if status and status.value.lower() in ("active", "inactive") else None,
                policy_areas=tuple(dict.fromkeys((*c.policy_areas, *map(policy_area_key, page.policy_areas)))),
                extra_sources=(
                    SourceRef(
                        document,
                        page.title_line,
                        (page.description_lines or (None, None))[1],
                        "At-a-Glance and Description",
                    ),
                ),
            )
        out.append(c)
    return out
