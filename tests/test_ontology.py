"""The ontology and its SKOS schemes: complete labels, and in step with what the readers can produce."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from govgraph.build import add_vocabulary
from govgraph.iris import slugify
from govgraph.namespaces import concept, scheme
from govgraph.records import scale_scheme
from govgraph.resources import curated_files
from govgraph.sources.curated import read_curated
from govgraph.sources.ogp_export import OGP_VALUE_COLUMNS, POLICY_AREA_COLUMNS, SCALES

GG = "https://w3id.org/govgraph/def#"
ID = "https://w3id.org/govgraph/id/"
RDF_NS = str(RDF)


@pytest.fixture(scope="module")
def vocab() -> Graph:
    g = Graph()
    add_vocabulary(g)
    return g


def test_ontology_header(vocab: Graph) -> None:
    ont = URIRef("https://w3id.org/govgraph/def")
    assert (ont, RDF.type, OWL.Ontology) in vocab
    for p in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license")):
        assert vocab.value(ont, p) is not None
    for p in ("title", "description"):
        langs = {o.language for o in vocab.objects(ont, URIRef(f"http://purl.org/dc/terms/{p}"))}
        assert langs == {"da", "en"}


def test_every_term_has_danish_and_english_label_and_comment(vocab: Graph) -> None:
    terms = {s for s in vocab.subjects(RDFS.isDefinedBy, None) if str(s).startswith(GG)}
    assert len(terms) > 100
    missing = []
    for term in sorted(terms):
        for p in (RDFS.label, RDFS.comment):
            if {o.language for o in vocab.objects(term, p)} != {"da", "en"}:
                missing.append(f"{term} {p}")
    assert missing == []


def test_every_concept_is_in_its_scheme_with_an_english_label(vocab: Graph) -> None:
    concepts = set(vocab.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 200
    for c in concepts:
        schemes = list(vocab.objects(c, SKOS.inScheme))
        assert len(schemes) == 1 and (schemes[0], RDF.type, SKOS.ConceptScheme) in vocab, c
        assert "en" in {o.language for o in vocab.objects(c, SKOS.prefLabel)}, c


def test_every_policy_area_and_ogp_value_the_export_can_give_exists(vocab: Graph) -> None:
    for column in POLICY_AREA_COLUMNS:
        assert (URIRef(concept("policy-area", slugify(column))), SKOS.inScheme, URIRef(scheme("policy-area"))) in vocab
    for key in OGP_VALUE_COLUMNS.values():
        assert (URIRef(concept("ogp-value", key)), RDF.type, SKOS.Concept) in vocab


def test_the_15_plus_1_policy_areas_of_the_danish_list_exist(vocab: Graph) -> None:
    for name in (
        "E-Government",
        "Capacity Building",
        "Aid",
        "Public Participation",
        "Anti-Corruption",
        "Marginalized Communities",
        "Human Rights",
        "Private Sector",
        "Open Data",
        "Digital Governance",
        "Justice",
        "Subnational",
        "Civic Space",
        "Legislature",
        "Education",
        "Public Service Delivery",
    ):
        c = URIRef(concept("policy-area", slugify(name)))
        assert "da" in {o.language for o in vocab.objects(c, SKOS.prefLabel)}, name


@pytest.mark.parametrize("methodology", ["classic", "refresh-2021"])
def test_every_irm_value_the_reader_can_give_is_in_the_scale_of_its_methodology(vocab: Graph, methodology: str) -> None:
    for criterion, values in SCALES.items():
        s = URIRef(scheme(scale_scheme(methodology, criterion)))
        assert vocab.value(s, URIRef(GG + "methodology")) == URIRef(concept("irm-methodology", methodology))
        for value in values.values():
            assert (URIRef(concept(scale_scheme(methodology, criterion), value)), SKOS.inScheme, s) in vocab


def test_source_checksums_match_the_seed_files(shared: Path) -> None:
    data = read_curated(curated_files())
    for doc in data.of("source"):
        if doc.key.startswith("seed-"):
            path = shared / "seeds" / doc.fields["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == doc.fields["sha256"], doc.key


# ---------------------------------------------------------------- OWL 2 DL, consistency, terms in use

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): the only datatypes an OWL 2 DL ontology
# may name. xsd:gYear, xsd:date and rdf:langString are not among them.
OWL2_DATATYPE_MAP = {
    *(RDF_NS + name for name in ("PlainLiteral", "XMLLiteral")),
    str(RDFS.Literal),
    "http://www.w3.org/2002/07/owl#real",
    "http://www.w3.org/2002/07/owl#rational",
    *(
        "http://www.w3.org/2001/XMLSchema#" + name
        for name in [
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "double",
            "float",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        ]
    ),
}
JAVA_DIR = Path("/usr/share/java")
OWLAPI_JARS = [
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-rdf-api",
    "hppcrt",
    "jsr305",
    "atinject-jsr330-api",
    "slf4j-api",
    "slf4j-nop",
    "xz",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "commons-logging",
    "httpclient",
    "httpcore",
]


def owlapi_classpath() -> str:
    jars = [JAVA_DIR / f"{name}.jar" for name in OWLAPI_JARS] + sorted(JAVA_DIR.glob("rdf4j-*[a-z].jar"))
    missing = [str(j) for j in jars if not j.is_file()]
    assert not missing, f"scripts/install-system-packages.sh should have installed {missing}"
    return ":".join(map(str, jars))


def dl_profile_violations(ontology: Graph, tmp_path: Path) -> list[str]:
    """The OWL API's (Debian's libowlapi-java) OWL 2 DL profile check of ``ontology``: one line per violation."""
    path = tmp_path / "ontology.ttl"
    ontology.serialize(path, format="turtle")
    program = Path(__file__).parent / "owl" / "DLProfileCheck.java"
    done = subprocess.run(
        ["java", "-cp", owlapi_classpath(), str(program), str(path)], capture_output=True, text=True, timeout=120
    )
    lines = done.stdout.splitlines()
    assert lines and lines[-1].endswith(f"axioms: {lines[-1].rsplit(' ', 1)[1]}"), done.stderr[-2000:]
    assert (done.returncode == 0) == (lines[-1].startswith("0 violations")), done.stderr[-2000:]
    return lines[:-1]


def test_the_ontology_with_its_schemes_is_owl2_dl(vocab: Graph, system_packages: None, tmp_path: Path) -> None:
    assert dl_profile_violations(vocab, tmp_path) == []


def test_the_profile_check_finds_a_datatype_outside_the_owl2_map(
    vocab: Graph, system_packages: None, tmp_path: Path
) -> None:
    broken = copy(vocab)
    broken.set((URIRef(GG + "targetYear"), RDFS.range, XSD.gYear))  # what the ontology said before
    found = "\n".join(dl_profile_violations(broken, tmp_path))
    assert "xsd:gYear" in found


def test_every_datatype_range_is_in_the_owl2_datatype_map(vocab: Graph) -> None:
    """The OWL API takes an undeclared xsd:gYear for a user datatype; the OWL 2 spec reserves the xsd: names,
    so the map is checked here directly."""
    ranges = {
        (str(p), str(r)) for p in vocab.subjects(RDF.type, OWL.DatatypeProperty) for r in vocab.objects(p, RDFS.range)
    }
    assert ranges and {(p, r) for p, r in ranges if r not in OWL2_DATATYPE_MAP} == set()


def copy(g: Graph) -> Graph:
    out = Graph()
    for triple in g:
        out.add(triple)
    return out


def hermit(graph: Graph, tmp_path: Path) -> None:
    """Run HermiT (bundled with owlready2) on ``graph``; raises OwlReadyInconsistentOntologyError if it is
    inconsistent, and fails on any class that can have no instance."""
    from owlready2 import World, sync_reasoner

    path = tmp_path / "kb.owl"
    graph.serialize(path, format="xml")
    world = World()
    ontology = world.get_ontology(path.as_uri()).load()
    with ontology:
        sync_reasoner(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


def assertions(data: Graph, vocab: Graph) -> Graph:
    """The data's class assertions and the object-property assertions of properties the ontology declares
    (the literals are left out: the data types years and dates xsd:gYear and xsd:date, which OWL 2 DL lacks)."""
    object_properties = set(vocab.subjects(RDF.type, OWL.ObjectProperty))
    kb = copy(vocab)
    for s, p, o in data:
        if isinstance(o, URIRef) and (p == RDF.type or p in object_properties):
            kb.add((s, p, o))
    return kb


def test_hermit_finds_the_ontology_consistent(vocab: Graph, system_packages: None, tmp_path: Path) -> None:
    hermit(vocab, tmp_path)


def test_hermit_finds_the_data_consistent_with_the_domains_ranges_and_disjoint_classes(
    vocab: Graph, built_graph: Graph, system_packages: None, tmp_path: Path
) -> None:
    hermit(assertions(built_graph, vocab), tmp_path)


def test_hermit_finds_a_property_used_on_the_wrong_kind_of_thing(
    vocab: Graph, built_graph: Graph, system_packages: None, tmp_path: Path
) -> None:
    from owlready2 import OwlReadyInconsistentOntologyError

    kb = assertions(built_graph, vocab)
    # gg:track has domain gg:Initiative, which is disjoint with gg:Commitment
    kb.add(
        (
            URIRef(ID + "commitment/DK0040"),
            URIRef(GG + "track"),
            next(built_graph.subjects(RDF.type, URIRef(GG + "Track"))),
        )
    )
    with pytest.raises(OwlReadyInconsistentOntologyError):
        hermit(kb, tmp_path)


# Terms the bundled data, examples/northvale and the OGP sample export do not exercise, with the input that
# makes a converter write them: test_every_term_is_written_by_a_converter builds a package that has each.
CURATED_ONLY = {
    "Law": ("programmes.csv", "town-bylaw,law,The town's bylaw on open data,,,,2025,,,,,example-plan:1"),
    "followsUp": ("links.csv", "programme/town-bylaw,programme/simpler-services,follows-up,Follow-up.,example-plan:1"),
    "evaluates": ("links.csv", "programme/simpler-services,programme/town-bylaw,evaluates,Evaluation.,example-plan:1"),
    "hasMember": ("roles.csv", "example-town-council,member-of,programme/town-bylaw,,example-plan:3"),
}  # fmt: skip
# Superclasses the data never names: of every kind of programme, and the named unions that are the domains of
# properties written on several kinds of thing (an owl:unionOf would need blank nodes).
STRUCTURAL = {"PolicyProgramme", "PolicyElement", "ProgrammePart", "StatedNumber"}


def gg_terms(graph: Graph) -> set[str]:
    used = {p for p in graph.predicates()} | set(graph.objects(None, RDF.type))
    return {str(t)[len(GG) :] for t in used if str(t).startswith(GG)}


def declared_terms(vocab: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(GG) :] for k in kinds for s in vocab.subjects(RDF.type, k) if str(s).startswith(GG)}


def test_every_term_is_in_the_data_or_written_from_curated_input(
    vocab: Graph, built_graph: Graph, ogp_sample: Path
) -> None:
    from govgraph.build import build, convert_ogp_export

    northvale = build(data=Path(__file__).resolve().parents[1] / "examples" / "northvale")
    in_data = gg_terms(built_graph) | gg_terms(northvale) | gg_terms(convert_ogp_export(ogp_sample))
    assert declared_terms(vocab) - in_data - STRUCTURAL == set(CURATED_ONLY)
    assert in_data - declared_terms(vocab) == set()  # and nothing undeclared is written


def test_every_term_is_written_by_a_converter(curated_only_package: Graph) -> None:
    assert set(CURATED_ONLY) <= gg_terms(curated_only_package)


# ---------------------------------------------------------------- domains and ranges


def gg_properties(vocab: Graph) -> list[URIRef]:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted(s for k in kinds for s in vocab.subjects(RDF.type, k) if str(s).startswith(GG))


def test_every_property_has_a_domain_and_a_range_or_a_note_saying_why_not(vocab: Graph) -> None:
    unexplained = []
    for p in gg_properties(vocab):
        notes = " ".join(str(n) for n in vocab.objects(p, SKOS.editorialNote)).lower()
        for axis, said in ((RDFS.domain, "No domain"), (RDFS.range, "No range")):
            if vocab.value(p, axis) is None and said.lower() not in notes:
                unexplained.append(f"{p} has no {axis.split('#')[1]} and no editorial note '{said}: <why>'")
            if vocab.value(p, axis) is not None and said.lower() in notes:
                unexplained.append(f"{p} has a {axis.split('#')[1]} and a note saying it has none")
    assert len(gg_properties(vocab)) > 80 and unexplained == []
    # The list of exceptions, so that a new one is a decision: any two resources a links sheet names (with
    # the cross-reference that records the link), and three used on kinds of thing that share no class.
    no_domain = {str(p)[len(GG) :] for p in gg_properties(vocab) if vocab.value(p, RDFS.domain) is None}
    no_range = {str(p)[len(GG) :] for p in gg_properties(vocab) if vocab.value(p, RDFS.range) is None}
    links = {"relatedTo", "implements", "followsUp", "continues", "evaluates"}
    assert no_domain == links | {"about", "actionPlan", "methodology"}
    assert no_range == links | {"about", "linkSubject", "linkObject"}


XSD_DERIVED = {XSD.integer: {XSD.decimal}, XSD.string: {RDF.PlainLiteral}}


def closure(vocab: Graph) -> dict[URIRef, set[URIRef]]:
    """Each class with all its superclasses (itself included)."""
    supers: dict[URIRef, set[URIRef]] = {}
    for c in set(vocab.subjects(RDF.type, OWL.Class)) | set(vocab.objects(None, RDFS.subClassOf)):
        seen, todo = set(), [c]
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(vocab.objects(x, RDFS.subClassOf))
        supers[c] = seen
    return supers


def domain_range_breaches(data: Graph, vocab: Graph) -> list[str]:
    """Every triple of a govgraph property whose subject has no rdf:type in the property's domain (with the
    ontology's subclasses), or whose object is not in its range: a resource of the class, or a literal of the
    datatype (rdf:PlainLiteral: a language-tagged or plain string; rdfs:Literal: any literal). Objects the data
    does not describe at all are left out: nothing in the data contradicts their range."""
    supers = closure(vocab)
    types: dict = {}
    for s, c in data.subject_objects(RDF.type):
        types.setdefault(s, set()).update(supers.get(c, {c}))
    out = []
    for p in gg_properties(vocab):
        domain, range_ = vocab.value(p, RDFS.domain), vocab.value(p, RDFS.range)
        for s, o in data.subject_objects(p):
            if domain is not None and domain not in types.get(s, set()):
                out.append(f"{s} {p} {o}: the subject is not a {domain}")
            if range_ is None:
                continue
            if isinstance(o, Literal):
                datatype = RDF.langString if o.language else (o.datatype or XSD.string)
                ok = range_ == RDFS.Literal or datatype == range_ or range_ in XSD_DERIVED.get(datatype, set())
                ok = ok or (range_ == RDF.PlainLiteral and datatype == RDF.langString)
            else:  # an IRI the data says nothing about (a cluster partner outside a sample export) is unknown
                ok = range_ in types.get(o, set()) or (o, None, None) not in data
            if not ok:
                out.append(f"{s} {p} {o!r}: the object is not in the range {range_}")
    return out


@pytest.fixture(scope="module")
def curated_only_package(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """A package made with govgraph init plus the rows of CURATED_ONLY: the terms the bundled data lacks."""
    from click.testing import CliRunner

    from govgraph.build import build
    from govgraph.cli import main

    package = tmp_path_factory.mktemp("curated-only") / "package"
    CliRunner().invoke(main, ["init", str(package)], catch_exceptions=False)
    for sheet, row in CURATED_ONLY.values():
        with (package / sheet).open("a", encoding="utf-8") as f:
            f.write(row + "\n")
    return build(data=package)


def test_the_built_data_keeps_to_every_domain_and_range(
    vocab: Graph, built_graph: Graph, ogp_sample: Path, curated_only_package: Graph
) -> None:
    from govgraph.build import build, convert_ogp_export

    northvale = build(data=Path(__file__).resolve().parents[1] / "examples" / "northvale")
    for data in (built_graph, northvale, convert_ogp_export(ogp_sample) + vocab, curated_only_package):
        assert domain_range_breaches(data, vocab) == []


def test_the_domain_and_range_check_finds_a_property_on_the_wrong_kind_of_thing(
    vocab: Graph, built_graph: Graph
) -> None:
    broken = copy(built_graph)
    commitment, box = URIRef(ID + "commitment/DK0040"), next(built_graph.subjects(RDF.type, URIRef(GG + "Box")))
    broken.add((commitment, URIRef(GG + "listedInBox"), box))  # a commitment is no part of a programme
    broken.add((box, URIRef(GG + "number"), Literal("seven")))  # a number is an integer
    found = domain_range_breaches(broken, vocab)
    assert len(found) == 2
    assert "the subject is not a https://w3id.org/govgraph/def#ProgrammePart" in found[0] + found[1]
    assert "the object is not in the range http://www.w3.org/2001/XMLSchema#integer" in found[0] + found[1]


# ---------------------------------------------------------------- where the concepts' words come from

NOTE_DANISH = re.compile(r'^Danish label: the wording of the source, <([^>]+)>(?: line (\d+))? \("(.+)"\)\.$')
NOTE_TRANSLATED = "Danish label: govgraph's translation; no source gives a Danish term."
NOTE_DEFINITION = re.compile(
    r"^Definition: after <([^>]+)> \(paraphrased\); the Danish definition is govgraph's translation\.$"
)
NOTE_OWN = "Definition: govgraph's own wording."
SEED_IRI = ID + "source/"


def provenance_problems(vocab: Graph, shared: Path) -> tuple[list[str], dict[str, int]]:
    """docs/vocabulary.md: each concept's Danish label is either the wording of a source (named with a line or
    a quote that holds the label, and listed in dcterms:source) or marked as govgraph's translation; each
    definition is either paraphrased after a source (its Danish govgraph's translation) or govgraph's own.
    Returns what breaks that rule, and how many of each kind there are."""
    seed_files = {
        doc.key: doc.fields["file"] for doc in read_curated(curated_files()).of("source") if "file" in doc.fields
    }
    counts = {"sourced label": 0, "translated label": 0, "sourced definition": 0, "own definition": 0}
    problems = []
    for c in sorted(vocab.subjects(RDF.type, SKOS.Concept)):
        notes = [str(n) for n in vocab.objects(c, SKOS.editorialNote)]
        label_notes = [n for n in notes if n.startswith("Danish label:")]
        definition_notes = [n for n in notes if n.startswith("Definition:")]
        danish = [str(o) for o in vocab.objects(c, SKOS.prefLabel) if o.language == "da"]
        definitions = {o.language for o in vocab.objects(c, SKOS.definition)}
        named = set()
        if len(label_notes) != len(danish):
            problems.append(f"{c}: {len(danish)} Danish labels, {len(label_notes)} notes on where they come from")
        for note in label_notes:
            if note == NOTE_TRANSLATED:
                counts["translated label"] += 1
                continue
            m = NOTE_DANISH.match(note)
            if not m or m[3].casefold().find(danish[0].casefold()) < 0:
                problems.append(f"{c}: {note!r} does not quote the label {danish}")
                continue
            named.add(m[1])
            counts["sourced label"] += 1
            if m[1].startswith(SEED_IRI):  # a seed: the quote is on that line of the file
                text = (shared / "seeds" / seed_files[m[1][len(SEED_IRI) :]]).read_text(encoding="utf-8")
                if m[3] not in text.splitlines()[int(m[2]) - 1]:
                    problems.append(f"{c}: line {m[2]} of {m[1]} does not hold {m[3]!r}")
        if len(definition_notes) != (1 if definitions else 0):
            problems.append(f"{c}: definitions in {definitions}, notes {definition_notes}")
        for note in definition_notes:
            if note == NOTE_OWN and definitions == {"en", "da"}:
                counts["own definition"] += 1
            elif (m := NOTE_DEFINITION.match(note)) and definitions == {"en", "da"}:
                named.add(m[1])
                counts["sourced definition"] += 1
            else:
                problems.append(f"{c}: {note!r} (definitions in {definitions})")
        sources = {str(s) for s in vocab.objects(c, DCTERMS.source)}
        if sources != named:
            problems.append(f"{c}: dcterms:source {sorted(sources)}, the notes name {sorted(named)}")
    return problems, counts


def test_every_danish_label_and_definition_of_a_concept_says_where_it_comes_from(vocab: Graph, shared: Path) -> None:
    problems, counts = provenance_problems(vocab, shared)
    assert problems == []
    # Before: 231 Danish labels and 19 definitions, none saying where it came from; 75 policy areas unlabelled.
    assert counts == {"sourced label": 47, "translated label": 265, "sourced definition": 67, "own definition": 7}


def test_the_provenance_check_finds_a_wrong_line_a_missing_note_and_an_unnamed_source(
    vocab: Graph, shared: Path
) -> None:
    broken = copy(vocab)
    about, percent = URIRef(concept("qualifier", "about")), URIRef(concept("unit", "percent"))
    (note,) = (n for n in broken.objects(about, SKOS.editorialNote) if str(n).startswith("Danish label:"))
    broken.remove((about, SKOS.editorialNote, note))
    broken.add((about, SKOS.editorialNote, Literal(str(note).replace("line 2367", "line 2368"), lang="en")))
    broken.remove((percent, SKOS.editorialNote, None))
    broken.add((percent, DCTERMS.source, URIRef("https://example.org/a-page")))
    problems, _ = provenance_problems(broken, shared)
    assert len(problems) == 3, problems
    assert "line 2368 of https://w3id.org/govgraph/id/source/seed-004 does not hold 'ca. 90 mio. kr.'" in problems[0]
    assert "1 Danish labels, 0 notes" in "\n".join(problems)
    assert "https://example.org/a-page" in "\n".join(problems)


def test_the_domain_shapes_check_the_subjects_of_exactly_the_properties_of_each_named_domain(vocab: Graph) -> None:
    """shapes/domains.ttl lets govgraph validate find a property on the wrong kind of thing without a
    reasoner; its lists must be the ontology's."""
    from rdflib.namespace import SH

    from govgraph.resources import bundled

    shapes = Graph().parse(bundled("shapes") / "domains.ttl")
    for domain in ("PolicyElement", "ProgrammePart", "StatedNumber"):
        (shape,) = shapes.subjects(SH["class"], URIRef(GG + domain))
        targeted = set(shapes.objects(shape, SH.targetSubjectsOf))
        assert targeted == set(vocab.subjects(RDFS.domain, URIRef(GG + domain))), domain
