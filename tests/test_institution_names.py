"""Lead institutions named by the OGP are the curated institutions where they are the same body: the matching
rule of govgraph.sources.institution_names, on hand-made records and on the bundled package."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from govgraph.build import convert_ogp_export, convert_ogp_page
from govgraph.cli import main
from govgraph.namespaces import GG
from govgraph.records import Commitment, Country, SourceRef
from govgraph.sources.institution_names import (
    institution_names,
    normalise_name,
    with_curated_institutions,
)
from govgraph.sources.schema import CuratedData, Entity

ID = "https://w3id.org/govgraph/id/"
DATA = Path(__file__).resolve().parent / "data"
DENMARK = Country("DNK", "Denmark", "europe", national=True)
KENYA = Country("KEN", "Kenya", "africa-and-the-middle-east", national=True)


def _institution(key: str, label: dict[str, str], *alt: dict[str, str]) -> Entity:
    fields = {"key": key, "label": label, "kind": "ministry", "alt_labels": list(alt)}
    return Entity("institution", key, fields, [], "institutions.yaml", 1)


CURATED = CuratedData(
    [
        _institution("finansministeriet", {"da": "Finansministeriet", "en": "Ministry of Finance"}),
        _institution("aarhus-kommune", {"da": "Aarhus Kommune", "en": "Aarhus Municipality"}),
        _institution(
            "region-midtjylland",
            {"da": "Region Midtjylland", "en": "Central Denmark Region"},
            {"en": "Central Denmark Regional Authority"},
        ),
        _institution("digst", {"da": "Digitaliseringsstyrelsen", "en": "Agency for Digitalisation"}),
        # Two bodies that share a name: the name is no match.
        _institution("a", {"en": "Ministry of Culture"}),
        _institution("b", {"en": "Ministry of Culture"}),
    ]
)


def test_normalising_drops_case_punctuation_and_a_leading_the_only() -> None:
    assert normalise_name("The  Danish Ministry of Finance.") == "danish ministry of finance"
    assert normalise_name("Energy & Climate (KEFM)") == "energy and climate kefm"
    assert normalise_name("Theatre Council") == "theatre council"  # "the" only as a word
    assert normalise_name("Digitisation") != normalise_name("Digitalisation")  # no fuzzy matching


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Ministry of Finance", ("finansministeriet",)),
        ("finansministeriet", ("finansministeriet",)),  # a curated record's key stays itself
        ("FINANSMINISTERIET", ("finansministeriet",)),  # the Danish label, any case
        ("The Ministry of Finance", ("finansministeriet",)),
        ("Central Denmark Regional Authority", ("region-midtjylland",)),  # an alt label
        ("Aarhus Municipality and Central Denmark Regional Authority", ("aarhus-kommune", "region-midtjylland")),
        ("Aarhus Municipality and the Treasury", ()),  # one part matches nothing: no match at all
        ("Agency for Digitisation", ()),  # another spelling matches only when it is an alt label
        ("Danish Ministry of Finance", ()),  # "Danish" is part of the name: an alias would be needed
        ("Ministry of Culture", ()),  # two institutions have that name
    ],
)
def test_matching_rule(name: str, keys: tuple[str, ...]) -> None:
    assert institution_names(CURATED).match(name) == keys


def test_only_the_members_the_package_covers_are_matched() -> None:
    source = SourceRef("doc")
    danish = Commitment("DK0001", "t", source, country=DENMARK, lead_institutions=("Ministry of Finance",))
    kenyan = Commitment("KE0001", "t", source, country=KENYA, lead_institutions=("Ministry of Finance",))
    names = institution_names(CURATED)
    got = {c.id: c.lead_institutions for c in with_curated_institutions([danish, kenyan], names, ("DNK",))}
    assert got == {"DK0001": ("finansministeriet",), "KE0001": ("Ministry of Finance",)}
    everyone = with_curated_institutions([kenyan], names, ())
    assert everyone[0].lead_institutions == ("finansministeriet",)


def test_every_institution_in_the_bundled_dataset_has_a_kind(built_graph) -> None:
    """The OGP's pages and export name 19 lead institutions in English; each is a curated institution."""
    leads = set(built_graph.objects(None, GG.leadInstitution))
    assert len(leads) >= 19
    kindless = [s for s in built_graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization"))]
    assert [s for s in kindless if built_graph.value(s, GG.institutionType) is None] == []
    for s in leads:
        assert not str(s).startswith(ID + "institution/dnk-"), s


@pytest.mark.parametrize(
    ("cid", "leads"),
    [
        ("DK0018", {"erhvervsstyrelsen"}),  # the export's row
        ("DK0021", {"erhvervsstyrelsen"}),  # a page: the same name, the same institution
        ("DK0032", {"aarhus-kommune", "region-midtjylland"}),
        ("DK0051", {"digitaliseringsstyrelsen"}),  # "Danish Agency for Digitisation", an alt label
        ("DK0060", {"finansministeriet"}),  # "The Danish Ministry of Finance"
        ("DK0061", {"danmarks-ambassade-i-kampala"}),
        ("DK0066", {"danmarks-meteorologiske-institut"}),  # the page's misspelling is an alt label
    ],
)
def test_bundled_lead_institutions_are_the_curated_ones(built_graph, cid: str, leads: set[str]) -> None:
    got = {str(o).rsplit("/", 1)[1] for o in built_graph.objects(URIRef(ID + f"commitment/{cid}"), GG.leadInstitution)}
    assert got == leads


PAGE = """Denmark

Weather Data for Schools (DK0901)

At-a-Glance

Action Plan: Denmark Action Plan 2019-2021

Action Plan Cycle: 2019

Status: Active

Lead Institution: The Danish Ministry of Finance

Policy Areas

Open Data

Description

Schools get weather data to teach with.
"""


def test_converters_match_against_a_package_on_request(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    s = URIRef(ID + "commitment/DK0901")
    plain = convert_ogp_page(page)
    assert plain.value(s, GG.leadInstitution) == URIRef(ID + "institution/dnk-the-danish-ministry-of-finance")
    matched = convert_ogp_page(page, institutions="bundled")
    assert matched.value(s, GG.leadInstitution) == URIRef(ID + "institution/finansministeriet")
    # The export converter writes the same name the same way.
    export = convert_ogp_export(DATA / "ogp-export-three-rows.csv", institutions="bundled")
    assert export.value(URIRef(ID + "commitment/DK0018"), GG.leadInstitution) == URIRef(
        ID + "institution/erhvervsstyrelsen"
    )
    irish = export.value(URIRef(ID + "commitment/IE0051"), GG.leadInstitution)
    assert str(irish).startswith(ID + "institution/irl-")  # not a member of the bundled package


def test_cli_institutions_option(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "page.ttl"
    result = CliRunner().invoke(main, ["convert", "ogp-page", str(page), "--institutions", "bundled", "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out)
    assert graph.value(URIRef(ID + "commitment/DK0901"), GG.leadInstitution) == URIRef(
        ID + "institution/finansministeriet"
    )
    missing = CliRunner().invoke(main, ["convert", "ogp-page", str(page), "--institutions", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "is not a folder" in missing.output
