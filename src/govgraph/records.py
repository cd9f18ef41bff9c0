"""Typed records: what the readers produce and the converters consume.

A record knows nothing of files (its SourceRef says where it came from) and nothing of RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govgraph.iris import slugify


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: a source document and a locator inside it."""

    document: str  # key of the source document, e.g. "seed-001" or "ogp-export-sample"
    first_line: int | None = None
    last_line: int | None = None
    section: str | None = None  # a box, a chapter, a heading, a CSV row

    @property
    def locator(self) -> str:
        parts = []
        if self.section:
            parts.append(self.section)
        if self.first_line is not None:
            if self.last_line is None or self.last_line == self.first_line:
                parts.append(f"line {self.first_line}")
            else:
                parts.append(f"lines {self.first_line}-{self.last_line}")
        return ", ".join(parts) or "whole document"

    @property
    def key(self) -> str:
        """Stable key of the excerpt: document plus locator."""
        return slugify(f"{self.document} {self.locator}")


@dataclass(frozen=True)
class SourceDocument:
    """A document the data was transcribed or converted from."""

    key: str
    title: str
    language: str  # BCP 47 tag of the document's text
    file_name: str | None = None
    sha256: str | None = None
    publisher: str | None = None
    issued: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    url: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the source gives it, with the source's own wording kept when it was changed.

    ``datatype`` is one of "date", "gYearMonth", "gYear"; ``lexical`` is None when the text could not be
    read as a date at all (then only ``original`` is published, as text).
    """

    original: str
    lexical: str | None = None
    datatype: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-3 as the OGP writes it (or the OGP's code for a local member)
    name: str
    region: str | None = None  # key of a concept in the ogp-region scheme
    national: bool = False  # a country (its code is then ISO 3166-1 alpha-3), not a local member


@dataclass(frozen=True)
class ActionPlan:
    key: str  # slug of the OGP id, e.g. "ap-dnk01"
    label: str
    ogp_id: str | None = None  # "AP_DNK01"
    country: Country | None = None
    number: int | None = None
    cycle_year: int | None = None  # year of submission / the OGP's action-plan cycle
    end_year: int | None = None
    duration_years: int | None = None
    source: SourceRef | None = None


@dataclass(frozen=True)
class IRMReport:
    key: str
    label: str
    kind: str  # concept key in the irm-report-type scheme
    action_plan: str | None = None  # action plan key
    year: int | None = None  # publication year
    source: SourceRef | None = None


@dataclass(frozen=True)
class Assessment:
    """One value the IRM gave one commitment on one criterion in one report."""

    criterion: str  # concept key in the irm-criterion scheme, e.g. "completion"
    value: str  # concept key in that criterion's scale, e.g. "substantial"
    methodology: str  # concept key in the irm-methodology scheme: "classic" or "refresh-2021"
    report: IRMReport
    source: SourceRef
    comment: str | None = None  # the IRM's reasoning, where the source gives it

    @property
    def scale(self) -> str:
        return scale_scheme(self.methodology, self.criterion)


def scale_scheme(methodology: str, criterion: str) -> str:
    """Name of the SKOS scheme holding the values of one criterion under one methodology. Every criterion has
    its own scale (even where two share their labels), so that a scheme names exactly one criterion and one
    methodology and the shapes can check membership with sh:equals instead of a list of alternatives."""
    return f"irm-{methodology}-{criterion}"


@dataclass(frozen=True)
class Commitment:
    id: str  # "DK0040"
    title: str
    source: SourceRef
    language: str = "en"
    short_title: str | None = None
    description: str | None = None
    country: Country | None = None
    level: str | None = None  # concept key in the ogp-commitment-level scheme
    action_plan: ActionPlan | None = None
    number: str | None = None  # the commitment's number in its plan: a label ("3.2.5"), not an integer
    theme: str | None = None
    start: DateValue | None = None
    end: DateValue | None = None
    status: str | None = None  # "active" / "inactive"
    lead_institutions: tuple[str, ...] = ()
    supporting_institutions: tuple[str, ...] = ()
    supporting_text: str | None = None  # the source's wording when it was split into institutions
    policy_areas: tuple[str, ...] = ()  # concept keys in the policy-area scheme
    ogp_values: tuple[str, ...] = ()  # concept keys in the ogp-value scheme
    starred: bool | None = None
    page_url: str | None = None
    clustered_with: tuple[str, ...] = ()  # ids of commitments the IRM assessed together with this one
    assessments: tuple[Assessment, ...] = field(default=())
    extra_sources: tuple[SourceRef, ...] = ()  # further excerpts the record draws on (e.g. a detail block)
