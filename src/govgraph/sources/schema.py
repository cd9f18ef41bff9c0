"""The record model of a data package: every list (``programmes``, ``money``, ...), the fields a record of
it may have, which are required and what each holds (SCHEMA), and the checks of one record's fields. The
readers of records, YAML (govgraph.sources.curated) and CSV sheets (govgraph.sources.sheets), both check
each record here, so a record means the same whichever way it was kept; docs/curated-data.md and the
generated docs/package-reference.md describe it for people.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from typing import Any

from govgraph.errors import ErrorCollector
from govgraph.iris import COMMITMENT_ID_PATTERN, KEY_PATTERN, is_iri
from govgraph.records import SourceRef
from govgraph.safety import short_repr
from govgraph.sources.yaml_lines import Mapping

#: The bundled package's languages: the default when no package's manifest says which (read_curated's
#: ``languages``). A package's texts may be in its manifest's languages only.
BUNDLED_LANGUAGES = ("da", "en")
KINDS = {
    "programme",
    "track",
    "initiative",
    "box",
    "principle",
    "goal",
    "target",
    "money",
    "figure",
    "event",
    "institution",
    "commitment",
    "action-plan",
    "irm-report",
    "commitment-page",
    "source",
}
UNITS = {"percent", "percentage-points", "persons", "count", "DKK", "years", "ratio", "hours"}
# ISO 4217 codes of the currencies a public budget is most likely stated in (extend as publishers need).
CURRENCIES = {
    "AUD", "BGN", "BRL", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "HUF", "IDR", "INR", "ISK", "JPY", "KES",
    "KRW", "MXN", "NGN", "NOK", "NZD", "PHP", "PLN", "RON", "SEK", "UAH", "USD", "ZAR",
}  # fmt: skip
QUALIFIERS = {"about", "just-under", "just-over", "over", "at-least", "at-most", "up-to"}
# What an institution can play a role in: the kinds of gg:PolicyElement, the domain of the role properties
# (docs/vocabulary.md). A role in a figure, an amount, an institution or a source document means nothing.
ROLE_TARGET_KINDS = {
    "programme",
    "action-plan",
    "track",
    "initiative",
    "box",
    "principle",
    "goal",
    "target",
    "commitment",
    "event",
}

# Field types: "key", "text", "str", "int", "number", "bool", "date", "ref" (kind/key), "locator",
# ("enum", {...}), ("keyref", kind) (a bare key of that kind), ("list", type).
_COMMON = {
    "key": ("key", True),
    "label": ("text", True),
    "description": ("text", False),
    "source": ("locator", True),
}
SCHEMA: dict[str, tuple[str, dict[str, tuple[Any, bool]]]] = {
    "programmes": (
        "programme",
        {
            **_COMMON,
            "kind": (
                (
                    "enum",
                    {
                        "reform",
                        "strategy",
                        "action-plan",
                        "agreement",
                        "programme",
                        "plan",
                        "charter",
                        "law",
                        "proposal",
                        "publication",
                        "target",
                        "pilot",
                    },
                ),
                True,
            ),
            "issued_by": (("list", ("keyref", "institution")), False),
            "agreed_by": (("list", ("keyref", "institution")), False),
            "issued": ("date", False),
            "start": ("date", False),
            "end": ("date", False),
            "part_of": (("keyref", "programme"), False),
            "stated_initiative_count": ("int", False),
        },
    ),
    "tracks": ("track", {**_COMMON, "programme": (("keyref", "programme"), True), "number": ("int", True)}),
    "initiatives": (
        "initiative",
        {
            **_COMMON,
            "programme": (("keyref", "programme"), False),
            "track": (("keyref", "track"), False),
            "box": (("keyref", "box"), False),
            "number": ("int", False),
            "kind": (("enum", {"process"}), False),
        },
    ),
    "boxes": (
        "box",
        {
            **_COMMON,
            "number": ("str", True),
            "programme": (("keyref", "programme"), True),
            "chapter": ("str", False),
        },
    ),
    "principles": (
        "principle",
        {
            **_COMMON,
            "programme": (("keyref", "programme"), True),
            "number": ("int", True),
            "agreed_by": (("list", ("keyref", "institution")), False),
            "agreed": ("date", False),
        },
    ),
    "goals": (
        "goal",
        {
            **_COMMON,
            "kind": (("enum", {"pejlemaerke", "goal", "vision"}), True),
            "programme": (("keyref", "programme"), True),
            "box": (("keyref", "box"), False),
            "number": ("int", False),
        },
    ),
    "targets": (
        "target",
        {
            "key": ("key", True),
            "source": ("locator", True),
            "label": ("text", False),
            "description": ("text", False),
            "indicator": ("text", True),
            "value": ("number", True),
            "unit": (("enum", UNITS), True),
            "target_year": ("int", True),
            "goal": (("keyref", "goal"), False),
            "programme": (("keyref", "programme"), False),
            "box": (("keyref", "box"), False),
            "direction": (("enum", {"increase", "decrease", "at-least", "at-most", "reach"}), False),
            "baseline_value": ("number", False),
            "baseline_year": ("int", False),
            "qualifier": (("enum", QUALIFIERS), False),
            "as_stated": ("str", False),
        },
    ),
    "money": (
        "money",
        {
            **_COMMON,
            "amount": ("number", True),
            "currency": (("enum", CURRENCIES), True),
            "as_stated": ("str", True),
            "year": ("int", False),
            "start": ("int", False),
            "end": ("int", False),
            "per_year": ("bool", False),
            "about": ("ref", False),
            "purpose": ("text", False),
            "qualifier": (("enum", QUALIFIERS), False),
            "kind": (("enum", {"investment", "saving", "budget", "target", "reprioritised", "cost"}), False),
            # The amount is the total the source states for the initiatives of this box (checked by the shapes).
            "total_of": (("keyref", "box"), False),
        },
    ),
    "figures": (
        "figure",
        {
            **_COMMON,
            "value": ("number", True),
            "unit": (("enum", UNITS), True),
            "as_stated": ("str", True),
            "year": ("int", False),
            "date": ("date", False),
            "about": ("ref", False),
            "qualifier": (("enum", QUALIFIERS), False),
            "measures": ("key", False),
        },
    ),
    "events": (
        "event",
        {
            **_COMMON,
            "date": ("date", True),
            "about": ("ref", False),
            "participants": (("list", ("keyref", "institution")), False),
        },
    ),
    "roles": (
        "role",
        {
            "institution": (("keyref", "institution"), True),
            "role": (
                (
                    "enum",
                    {
                        "issued",
                        "leads",
                        "supports",
                        "agreed",
                        "evaluated",
                        "developed",
                        "on-behalf-of",
                        "member-of",
                        "participates",
                        "responsible",
                        "invited",
                    },
                ),
                True,
            ),
            "target": ("ref", True),
            "source": ("locator", True),
            "description": ("text", False),
        },
    ),
    "institutions": (
        "institution",
        {
            "key": ("key", True),
            "label": ("text", True),
            "description": ("text", False),
            "kind": (
                (
                    "enum",
                    {
                        "government",
                        "ministry",
                        "minister",
                        "agency",
                        "municipality",
                        "region",
                        "association",
                        "union",
                        "organisation",
                        "company",
                        "commission",
                        "international",
                        "parliament",
                        "education",
                        "hospital",
                        "fund",
                        "centre",
                        "embassy",
                    },
                ),
                True,
            ),
            "alt_labels": (("list", "text"), False),
            "part_of": (("keyref", "institution"), False),
            "sources": (("list", "locator"), True),
        },
    ),
    "links": (
        "link",
        {
            "subject": ("ref", True),
            "object": ("ref", True),
            "relation": (
                (
                    "enum",
                    {"related", "implements", "same-as", "part-of", "follows-up", "continues", "evaluates"},
                ),
                True,
            ),
            "evidence": ("text", True),
            "sources": (("list", "locator"), True),
        },
    ),
    "documents": (
        "source",
        {
            "key": ("key", True),
            "title": ("text", True),
            "language": ("language", True),  # one of the package's languages
            "file": ("str", False),
            "sha256": ("str", False),
            "publisher": (("keyref", "institution"), False),
            "issued": ("date", False),
            "url": ("str", False),
            "description": ("text", False),
        },
    ),
    # OGP data curated from seed 001 (ogp-denmark.yaml).
    "action_plans": (
        "action-plan",
        {
            "key": ("key", True),
            "label": ("text", True),
            "ogp_id": ("str", False),
            "country": ("str", True),
            "country_name": ("str", False),
            "cycle_year": ("int", True),
            "end_year": ("int", False),
            "source": ("locator", True),
            "description": ("text", False),
        },
    ),
    "irm_reports": (
        "irm-report",
        {
            "key": ("key", True),
            "label": ("text", True),
            "action_plan": (("keyref", "action-plan"), True),
            "kind": (
                ("enum", {"progress-report", "end-of-term-report", "action-plan-review", "results-report"}),
                True,
            ),
            "year": ("int", False),
            "source": ("locator", True),
        },
    ),
    "commitments": (
        "commitment",
        {
            "id": ("str", True),
            "title": ("str", True),
            "action_plan": (("keyref", "action-plan"), True),
            "policy_areas": (("list", "key"), True),
            "starred": ("bool", False),
            "source": ("locator", True),
            "description": ("str", False),
            "status": (("enum", {"active", "inactive"}), False),
            "lead_institutions": (("list", ("keyref", "institution")), False),
            "supporting_institutions": (("list", ("keyref", "institution")), False),
            "irm_number": ("int", False),
            "detail_source": ("locator", False),
        },
    ),
    # The facts of the OGP's pages of commitments, one entry per stored version of a page, as the page shows
    # them (placeholders such as "Pending IRM Review" included); govgraph.sources.curated_ogp reads them
    # with the page reader's rules (govgraph.sources.ogp_page.glance_facts).
    "commitment_pages": (
        "commitment-page",
        {
            "key": ("key", True),
            "commitment": ("str", True),
            "action_plan": ("str", False),
            "cycle_year": ("int", False),
            "status": ("str", False),
            "lead_institution": ("str", False),
            "policy_areas": (("list", "str"), False),
            "irm_reports": (("list", "str"), False),
            "starred": ("str", False),
            "early_results": ("str", False),
            "verifiable": ("str", False),
            "relevant_to_ogp_values": ("str", False),
            "potential_impact": ("str", False),
            "potential_for_results": ("str", False),
            "ambition": ("str", False),
            "completion": ("str", False),
            "source": ("locator", True),
        },
    ),
    "assessments": (
        "assessment",
        {
            "commitment": ("str", True),
            "report": (("keyref", "irm-report"), True),
            "criterion": ("key", True),
            "value": ("key", True),
            "methodology": (("enum", {"classic", "refresh-2021"}), True),
            "comment": ("str", False),
            "source": ("locator", True),
        },
    ),
}


@dataclass
class Entity:
    """One curated record: its list's kind, key, validated fields, and where it is (file, line)."""

    kind: str
    key: str
    fields: dict[str, Any]
    sources: list[SourceRef]
    file: str
    line: int
    refs: list[tuple[str, str, int, str]] = field(default_factory=list)  # (kind, key, line, field)
    inherits_source: bool = False  # its source is its file's top-level `source`

    @property
    def source(self) -> SourceRef:
        return self.sources[0]


@dataclass
class CuratedData:
    entities: list[Entity]

    def of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]


def read_record(
    item: Any,
    kind: str,
    spec: dict,
    default_doc: str | None,
    errors: ErrorCollector,
    list_line: int | None,
    languages: tuple[str, ...] = BUNDLED_LANGUAGES,
) -> Entity | None:
    if not isinstance(item, Mapping):
        errors.add(list_line, f"each {kind} must be a mapping")
        return None
    line = item.line
    ok = True
    for name in item:
        if name not in spec:
            errors.add(item.key_lines.get(str(name), line), f"unknown key {short_repr(name)} for a {kind}", str(name))
            ok = False
    for name, (_type, required) in spec.items():
        if required and item.get(name) is None:
            errors.add(line, f"missing required field {name!r}", name)
            ok = False
    entity = Entity(kind, "", {}, [], str(errors.file), line)
    for name, value in item.items():
        if name not in spec or value is None:
            continue
        ftype = spec[name][0]
        fline = item.key_lines.get(str(name), line)
        checked = check_value(value, ftype, name, fline, default_doc, errors, entity, languages)
        if checked is _BAD:
            ok = False
        else:
            entity.fields[name] = checked
    if not ok:
        return None
    entity.key = str(entity.fields.get("key") or entity.fields.get("id") or "")
    loc = entity.fields.get("source") or entity.fields.get("sources") or []
    entity.sources = loc if isinstance(loc, list) else [loc]
    entity.inherits_source = default_doc is not None and "source" not in item and "sources" not in item
    if kind == "initiative" and not any(k in entity.fields for k in ("programme", "track", "box")):
        errors.add(line, "an initiative needs at least one of programme, track, box")
        return None
    if kind == "target" and not any(k in entity.fields for k in ("goal", "programme", "box")):
        errors.add(line, "a target needs at least one of goal, programme, box")
        return None
    if kind == "role" and entity.fields["target"].split("/", 1)[0] not in ROLE_TARGET_KINDS:
        kinds = ", ".join(sorted(ROLE_TARGET_KINDS))
        found = entity.fields["target"].split("/", 1)[0]
        errors.add(
            item.key_lines.get("target", line), f"a role is played in one of {kinds}, not in a {found}", "target"
        )
        return None
    if kind == "commitment" and not COMMITMENT_ID_PATTERN.match(entity.key):
        errors.add(line, f"malformed commitment id {short_repr(entity.key)}", "id")
        return None
    return entity


_BAD = object()
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?\Z")
_LINES = re.compile(r"^(\d{1,7})(?:-(\d{1,7}))?\Z")
# Whole numbers a curated file may hold: years are four digits (xsd:gYear as govgraph writes it); counts,
# positions and line numbers are not negative.
_YEAR_FIELDS = {"year", "start", "end", "target_year", "baseline_year", "cycle_year", "end_year"}


def check_value(
    value: Any,
    ftype: Any,
    name: str,
    line: int,
    default_doc: str | None,
    errors: ErrorCollector,
    entity: Entity,
    languages: tuple[str, ...] = BUNDLED_LANGUAGES,
) -> Any:
    def bad(message: str) -> object:
        errors.add(line, message, name)
        return _BAD

    if isinstance(ftype, tuple) and ftype[0] == "list":
        if not isinstance(value, list):
            return bad("must be a list")
        out = [check_value(v, ftype[1], name, line, default_doc, errors, entity, languages) for v in value]
        return _BAD if any(v is _BAD for v in out) else out
    if isinstance(ftype, tuple) and ftype[0] == "enum":
        if isinstance(value, str) and value in ftype[1]:
            return value
        return bad(f"{short_repr(value)} is not one of {', '.join(sorted(ftype[1]))}")
    if isinstance(ftype, tuple) and ftype[0] == "keyref":
        if not isinstance(value, str) or not (KEY_PATTERN.match(value) or COMMITMENT_ID_PATTERN.match(value)):
            return bad(f"{short_repr(value)} is not a key")
        entity.refs.append((ftype[1], value, line, name))
        return value
    if ftype == "key":
        if not isinstance(value, str) or not KEY_PATTERN.match(value):
            return bad(f"{short_repr(value)} is not a key (lowercase ASCII letters, digits and single hyphens)")
        return value
    if ftype == "str":
        if not isinstance(value, str) or not value.strip():
            return bad("must be non-empty text")
        if name == "url" and not is_iri(value.strip()):  # it becomes an IRI: nothing may break out of it
            return bad(f'{short_repr(value)} is not an absolute URL without spaces or any of <>"{{}}|^`\\')
        return value.strip()
    if ftype == "language":
        if value not in languages:
            return bad(f"{short_repr(value)} is not one of the package's languages ({', '.join(languages)})")
        return value
    if ftype == "text":
        if not isinstance(value, dict) or not value:
            return bad(f"must be a mapping from language ({', '.join(languages)}) to text")
        for lang, text in value.items():
            if lang not in languages:
                return bad(f"unknown language {short_repr(lang)}; use one of the package's ({', '.join(languages)})")
            if not isinstance(text, str) or not text.strip():
                return bad(f"the {lang} text is empty")
        return {lang: " ".join(text.split()) for lang, text in value.items()}
    if ftype == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            return bad(f"{short_repr(value)} is not a whole number")
        if name in _YEAR_FIELDS and not 1000 <= value <= 9999:
            return bad(f"{short_repr(value)} is not a year (four digits)")
        if value < 0:
            return bad(f"{short_repr(value)} is negative")
        return value
    if ftype == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return bad(f"{short_repr(value)} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            return bad(f"{short_repr(value)} is not a finite number")
        return value
    if ftype == "bool":
        return value if isinstance(value, bool) else bad(f"{short_repr(value)} is not true or false")
    if ftype == "date":
        if not isinstance(value, str) or not _DATE.match(value):
            return bad(f'{short_repr(value)} is not a quoted date "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
        if len(value) == 10:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return bad(f"{short_repr(value)} is not a date that exists")
        return value
    if ftype == "ref":
        m = re.match(r"^([a-z-]+)/(.+)$", value) if isinstance(value, str) else None
        if not m or m[1] not in KINDS:
            return bad(f"{short_repr(value)} is not a reference kind/key (kinds: {', '.join(sorted(KINDS))})")
        entity.refs.append((m[1], m[2], line, name))
        return value
    if ftype == "locator":
        if not isinstance(value, dict):
            return bad("a source is a mapping {doc, lines, section}")
        unknown = set(value) - {"doc", "lines", "section"}
        if unknown:
            return bad(f"unknown source keys: {', '.join(sorted(map(short_repr, unknown)))}")
        doc = value.get("doc", default_doc)
        section = value.get("section")
        if section is not None and not (isinstance(section, str) and section.strip()):
            return bad("a source's section is non-empty text")
        lines = value.get("lines", "")
        if lines in ("", None) and section is not None and isinstance(doc, str) and KEY_PATTERN.match(doc):
            # A web page has no line numbers of its own: its section locates the statement.
            entity.refs.append(("source", doc, line, name))
            return SourceRef(doc, None, None, section)
        m = _LINES.match(str(lines)) if isinstance(lines, str | int) and not isinstance(lines, bool) else None
        if not isinstance(doc, str) or not KEY_PATTERN.match(doc) or not m:
            return bad('a source needs doc (or the file\'s top-level source) and lines "A" or "A-B" (or a section)')
        first, last = int(m[1]), int(m[2] or m[1])
        if first == 0:
            return bad(f"line range {value['lines']!r} starts at line 0; a document's lines count from 1")
        if last < first:
            return bad(f"line range {value['lines']!r} runs backwards")
        entity.refs.append(("source", doc, line, name))
        return SourceRef(doc, first, last, section)
    raise AssertionError(f"unknown field type {ftype!r}")


def field_order(list_name: str) -> list[str]:
    """Identity first, then what the record is, then its other fields as the schema lists them, sources last."""
    fields = list(SCHEMA[list_name][1])
    first = [f for f in ("key", "id", "kind", "number", "label", "title") if f in fields]
    last = [f for f in ("source", "detail_source", "sources") if f in fields]
    return first + [f for f in fields if f not in first and f not in last] + last


def describe_type(ftype: Any) -> str:
    """A field type in words, as a person filling in a sheet needs it."""
    if isinstance(ftype, tuple):
        kind, arg = ftype
        if kind == "enum":
            return "one of " + ", ".join(f"`{v}`" for v in sorted(arg))
        if kind == "keyref":
            return f"the key of {'an' if arg[0] in 'aeiou' else 'a'} {arg}"
        if kind == "list":
            return f"several values separated by `\\|`, each {describe_type(arg)}"  # escaped: a table cell
    return {
        "key": "a key: lowercase ASCII letters, digits and single hyphens (`simpler-services`)",
        "text": "text per language: one column per language, `NAME@en`, `NAME@fi`, ...",
        "str": "text",
        "language": "one of the package's languages (the manifest's `languages`), e.g. `en`",
        "int": "a whole number (a year has four digits)",
        "number": "a number (`1500000`, `2.5`)",
        "bool": "`true` or `false`",
        "date": "a date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
        "ref": "a link `kind/key` (`programme/simpler-services`)",
        "locator": "a source: `DOCUMENT:LINES` or `DOCUMENT:LINES:SECTION` (`example-plan:4-6:Track 1`)",
    }[ftype]
