"""Five-star links where the match is exact: OGP members that are countries to the EU country table (keyed by
ISO 3166-1 alpha-3), and source documents' languages to the EU language table."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from govgraph.authorities import eu_language, language, language_tag
from govgraph.build import convert_ogp_export, convert_ogp_page
from govgraph.namespaces import GG

ID = "https://w3id.org/govgraph/id/"
EU = "http://publications.europa.eu/resource/authority/"
DATA = Path(__file__).parent / "data"


def countries(graph: Graph) -> dict[str, URIRef | None]:
    return {
        str(graph.value(m, DCTERMS.identifier)): graph.value(m, DCTERMS.spatial)
        for m in graph.subjects(RDF.type, GG.OGPMember)
    }


def test_national_members_of_an_export_link_to_the_eu_country_table() -> None:
    found = countries(convert_ogp_export(DATA / "ogp-export-three-rows.csv"))
    # Buenos Aires (ARBA) is a local member: no country
    assert found == {"DNK": URIRef(EU + "country/DNK"), "IRL": URIRef(EU + "country/IRL"), "ARBA": None}


def test_a_member_named_by_a_commitment_page_links_to_its_country(seed_001: Path) -> None:
    assert countries(convert_ogp_page(seed_001)) == {"DNK": URIRef(EU + "country/DNK")}
    norway = DATA / "ogp-pages" / "no-member-line.txt"
    found = countries(convert_ogp_page(norway))
    assert all(v == URIRef(EU + "country/" + k) for k, v in found.items()) and found


def test_the_bundled_source_documents_state_their_language_as_an_eu_iri(built_graph: Graph) -> None:
    languages = {built_graph.value(s, DCTERMS.language) for s in built_graph.subjects(RDF.type, GG.SourceDocument)}
    assert languages == {URIRef(EU + "language/DAN"), URIRef(EU + "language/ENG")}


def test_language_iris() -> None:
    assert eu_language("da") == URIRef(EU + "language/DAN")
    assert eu_language("nb-NO") == URIRef(EU + "language/NOB")
    assert eu_language("zu") is None
    assert language("zu") == URIRef("http://id.loc.gov/vocabulary/iso639-1/zu")
    assert language("smj") == URIRef("http://lexvo.org/id/iso639-3/smj")
    # And back, for the lang attribute of a quote of a source document.
    assert [language_tag(language(tag)) for tag in ("da", "en", "nb", "zu", "smj")] == ["da", "en", "nb", "zu", "smj"]
    assert language_tag("https://example.org/language/da") is None
