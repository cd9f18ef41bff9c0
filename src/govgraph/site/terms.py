"""The terms the site's code names, each made once.

rdflib's namespaces make a new URIRef on every attribute access (``GG.actionPlan``), and a dict finds a key
by identity before it falls back on rdflib's Python-level ``__eq__``. The site's model reads the graph into
its indexes with these very objects (see KNOWN_TERMS), so the code's look-ups are found by identity; that
was a fifth of the site's time.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import FOAF as _FOAF
from rdflib.namespace import OWL as _OWL
from rdflib.namespace import PROV as _PROV
from rdflib.namespace import RDF as _RDF
from rdflib.namespace import RDFS as _RDFS
from rdflib.namespace import SKOS as _SKOS
from rdflib.namespace import XSD as _XSD

from govgraph.namespaces import CV as _CV
from govgraph.namespaces import GG as _GG
from govgraph.namespaces import ORG as _ORG
from govgraph.namespaces import SCHEMA as _SCHEMA

KNOWN_TERMS: list[URIRef] = []


class Terms:
    """The listed terms of one namespace as attributes; ``str()`` is the namespace."""

    def __init__(self, namespace, names: str):
        self._namespace = str(namespace)
        for name in names.split():
            term = URIRef(self._namespace + name)
            setattr(self, name, term)
            KNOWN_TERMS.append(term)

    def __str__(self) -> str:
        return self._namespace

    def __getattr__(self, name: str) -> URIRef:
        raise AttributeError(f"{self._namespace}{name} is not one of the terms listed in govgraph.site.terms")


GG = Terms(
    _GG,
    "ActionPlan Commitment CrossReference Event InstitutionRole IRMReport MonetaryAmount OGPMember PolicyProgramme "
    "SourceDocument SourceExcerpt fileName sha256 "
    "about actionPlan assessedCommitment criterion cycleYear endDate firstLine issuedBy lastLine leadInstitution "
    "linkObject linkSubject linkType locator moneyType periodStart policyArea report reportType starred startDate "
    "value year institution roleIn roleType",
)
RDF = Terms(_RDF, "type first rest nil")
RDFS = Terms(_RDFS, "label comment domain range isDefinedBy seeAlso subClassOf subPropertyOf")
SKOS = Terms(
    _SKOS,
    "Concept ConceptScheme prefLabel altLabel broader definition editorialNote exactMatch hasTopConcept inScheme "
    "narrower notation topConceptOf",
)
DCTERMS = Terms(_DCTERMS, "creator date description identifier isPartOf issued language license publisher source title")
PROV = Terms(_PROV, "wasDerivedFrom")
FOAF = Terms(_FOAF, "name homepage")
OWL = Terms(
    _OWL,
    "Ontology Class ObjectProperty DatatypeProperty AnnotationProperty versionInfo versionIRI sameAs inverseOf",
)
XSD = Terms(_XSD, "boolean decimal integer string")
SCHEMA = Terms(_SCHEMA, "value currency")
ORG = Terms(_ORG, "Organization subOrganizationOf")
CV = Terms(_CV, "PublicOrganisation")
