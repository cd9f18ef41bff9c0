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
from govgraph.errors import InputError, InputErrors
from govgraph.iris import Minter, slugify
from govgraph.namespaces import bind_prefixes
from govgraph.package import DataPackage, check_document_files, open_package
from govgraph.records import Commitment, SourceDocument
from govgraph.resources import ontology_files
from govgraph.sources.curated import read_curated
from govgraph.sources.curated_ogp import curated_commitments, source_documents
from govgraph.sources.institution_names import InstitutionNames, institution_names, with_curated_institutions
from govgraph.sources.ogp_export import read_ogp_export
from govgraph.sources.ogp_page import PAGE_SECTION, page_commitments, read_ogp_page


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
    per_page = []
    for page_path in package.ogp_pages:
        page = read_ogp_page(page_path)
        doc = file_document(page_path, f"OGP commitment page {page_path.name}")
        write_source_document(w, doc)
        per_page.append(page_commitments(page, doc.key))
    exported += merge_pages(per_page)
    commitments = merge_commitments(curated_commitments(curated), exported)
    # The institutions the OGP names in free text are the curated ones where they are the same body
    # (govgraph.sources.institution_names says when), for the export's rows and the pages alike.
    write_commitments(w, with_curated_institutions(commitments, institution_names(curated), package.manifest.spatial))
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


BUNDLED = "bundled"  # names the bundled Danish package where a package folder is asked for


def _institutions_of(package: str | Path | DataPackage | None) -> tuple[InstitutionNames, tuple[str, ...]] | None:
    """The curated institutions' names of a package (``BUNDLED``: the bundled one) and its members."""
    if package is None:
        return None
    if not isinstance(package, DataPackage):
        package = open_package(None if str(package) == BUNDLED else package)
    curated = read_curated(list(package.record_files), languages=package.manifest.languages)
    return institution_names(curated), package.manifest.spatial


def _matched(
    commitments: list[Commitment], institutions: tuple[InstitutionNames, tuple[str, ...]] | None
) -> list[Commitment]:
    return commitments if institutions is None else with_curated_institutions(commitments, *institutions)


def convert_ogp_export(
    path: str | Path, base_iri: str = DEFAULT_BASE_IRI, institutions: str | Path | DataPackage | None = None
) -> Graph:
    """Convert a user's OGP commitments export CSV to a graph (data only, no ontology). With
    ``institutions`` (a data package, its folder, or ``"bundled"``), a lead institution that is one of the
    package's curated institutions is that institution (govgraph.sources.institution_names)."""
    path = Path(path)
    names = _institutions_of(institutions)
    commitments = read_ogp_export(path)
    graph, w = new_graph(base_iri)
    write_source_document(w, file_document(path, f"OGP commitments export {path.name}"))
    write_commitments(w, _matched(commitments, names))
    return graph


def convert_ogp_page(
    paths: str | Path | list[str | Path] | tuple[str | Path, ...],
    base_iri: str = DEFAULT_BASE_IRI,
    institutions: str | Path | DataPackage | None = None,
) -> Graph:
    """Convert the texts of OGP commitment pages to one graph (data only, no ontology): each the page's own
    commitment with its At-a-Glance facts and IRM assessments, and the commitments of its list if it has one.
    ``paths`` is a file, a folder (its *.txt files, in name order) or a list of both. Every page is read before
    anything is written, and the problems of all of them are reported together. ``institutions`` as for
    ``convert_ogp_export``."""
    names = _institutions_of(institutions)
    files = ogp_page_files(paths)
    pages, problems = [], []
    for path in files:
        try:
            pages.append((path, read_ogp_page(path)))
        except InputErrors as exc:
            problems.extend(exc.errors)
    if problems:
        raise InputErrors(problems)
    graph, w = new_graph(base_iri)
    commitments = []
    for path, page in pages:
        doc = file_document(path, f"OGP commitment page {path.name}")
        write_source_document(w, doc)
        commitments.append(page_commitments(page, doc.key))
    write_commitments(w, _matched(merge_pages(commitments), names))
    return graph


def ogp_page_files(paths: str | Path | list[str | Path] | tuple[str | Path, ...]) -> list[Path]:
    """The page files named: a folder stands for its *.txt files. A folder without any is an input error."""
    named = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    files: list[Path] = []
    for path in named:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise InputErrors([InputError(str(path), None, "the folder holds no OGP page texts (*.txt)")])
            files.extend(found)
        else:
            files.append(path)
    keys: dict[str, Path] = {}
    for path in files:
        key = slugify(path.stem) or "input"
        if key in keys and keys[key] != path:
            raise InputErrors(
                [InputError(str(path), None, f"two pages would be one source document {key!r} (also {keys[key]})")]
            )
        keys[key] = path
    return files


def merge_pages(per_page: list[list[Commitment]]) -> list[Commitment]:
    """One record per commitment over several pages: a commitment's own page wins over its entry in another
    page's list; list entries only add their source."""
    by_id: dict[str, Commitment] = {}
    for commitments in per_page:
        for c in commitments:
            known = by_id.get(c.id)
            if known is None:
                by_id[c.id] = c
            elif c.source.section == PAGE_SECTION:  # c is from the commitment's own page
                by_id[c.id] = dataclasses.replace(c, extra_sources=(*c.extra_sources, known.source))
            else:
                by_id[c.id] = dataclasses.replace(known, extra_sources=(*known.extra_sources, c.source))
    return [by_id[k] for k in sorted(by_id)]
