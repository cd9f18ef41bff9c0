"""Reader for the curated YAML files in ``src/govgraph/data/`` (schema: docs/curated-data.md).

Each list in a file holds records of one kind; the SCHEMA below says, per list, which fields a record may
have, which are required and what each holds. Every problem in every file is collected and reported at once
with file and line; references between records (``institution/kl``) are checked across all files.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.iris import COMMITMENT_ID_PATTERN, KEY_PATTERN, is_iri
from govgraph.records import SourceRef
from govgraph.safety import short_repr
from govgraph.sources.yaml_lines import Mapping, load_yaml

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


def read_curated(
    paths: list[Path], known: dict[str, set[str]] | None = None, languages: Collection[str] = BUNDLED_LANGUAGES
) -> CuratedData:
    """Read and check curated files together (references may cross files).

    ``known`` adds keys defined elsewhere (e.g. commitment ids from another reader) that references may use.
    ``languages``: the languages texts may be in (the package manifest's).
    """
    entities: list[Entity] = []
    problems: list[InputError] = []
    unread: set[str] = set()  # kinds of records in files that could not be read ("*": unknown)
    for path in sorted(paths):
        try:
            entities.extend(_read_file(path, tuple(languages)))
        except InputErrors as exc:
            problems.extend(exc.errors)
            unread.add(SCHEMA[path.stem][0] if path.suffix == ".csv" and path.stem in SCHEMA else "*")
    problems.extend(_labels_in_source_language(entities))
    defined: dict[str, set[str]] = {k: set(v) for k, v in (known or {}).items()}
    where: dict[tuple[str, str], Entity] = {}
    statements: dict[tuple, Entity] = {}
    for e in entities:
        if e.kind in ("role", "link", "assessment"):
            # Keyless records are identified by what they say; saying it twice is a transcription slip.
            f = e.fields
            what = tuple(
                str(f.get(k))
                for k in (
                    "institution",
                    "role",
                    "target",
                    "subject",
                    "relation",
                    "object",
                    "commitment",
                    "report",
                    "criterion",
                )
            )
            if (e.kind, what) in statements:
                first = statements[(e.kind, what)]
                problems.append(
                    InputError(
                        e.file, e.line, f"the same {e.kind} is stated twice (first at {first.file}:{first.line})"
                    )
                )
            statements.setdefault((e.kind, what), e)
            continue
        if (e.kind, e.key) in where:
            first = where[(e.kind, e.key)]
            problems.append(
                InputError(
                    e.file,
                    e.line,
                    f"duplicate {e.kind} key {e.key!r} (first at {first.file}:{first.line})",
                    "key",
                )
            )
            continue
        where[(e.kind, e.key)] = e
        defined.setdefault(e.kind, set()).add(e.key)
    for e in entities:
        for kind, key, line, name in e.refs:
            # A reference to a record of a file that did not read would only repeat that file's problems.
            if key not in defined.get(kind, set()) and kind not in unread and "*" not in unread:
                problems.append(InputError(e.file, line, f"unknown {kind} {short_repr(key)}", name))
    if problems:
        raise InputErrors(problems)
    return CuratedData(entities)


def _read_file(path: Path, languages: tuple[str, ...] = BUNDLED_LANGUAGES) -> list[Entity]:
    if path.suffix == ".csv":  # a CSV sheet of one list, named after it (govgraph.sources.sheets)
        from govgraph.sources.sheets import read_sheet

        return read_sheet(path, languages)
    errors = ErrorCollector(path)
    data = load_yaml(path, errors)  # duplicate keys go to errors, with everything else found below
    if not isinstance(data, Mapping):
        errors.add(1, "a curated file is a mapping of lists (see docs/curated-data.md)")
        errors.raise_if_any()
    default_doc = data.get("source")
    if default_doc is not None and not isinstance(default_doc, str):
        errors.add(data.key_lines.get("source"), "the top-level source is a document key such as seed-004")
        default_doc = None
    entities = []
    for list_name, items in data.items():
        if list_name == "source":
            continue
        line = data.key_lines.get(str(list_name))
        if list_name not in SCHEMA:
            errors.add(line, f"unknown list {short_repr(list_name)}; expected one of {', '.join(sorted(SCHEMA))}")
            continue
        if not isinstance(items, list):
            errors.add(line, f"{list_name} must be a list")
            continue
        kind, spec = SCHEMA[list_name]
        for item in items:
            entity = _read_record(item, kind, spec, default_doc, errors, line, languages)
            if entity is not None:
                entities.append(entity)
    errors.raise_if_any()
    return entities


def _read_record(
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
        checked = _check(value, ftype, name, fline, default_doc, errors, entity, languages)
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


def _labels_in_source_language(entities: list[Entity]) -> list[InputError]:
    """Records that take the source of their whole file (a document of one language, as a programme's YAML
    file is of its Danish text) carry a label in that language: the source's own words, not only a translation."""
    languages = {e.key: e.fields.get("language") for e in entities if e.kind == "source"}
    problems = []
    for e in entities:
        lang = languages.get(e.source.document) if e.inherits_source and e.sources else None
        if lang and "label" in e.fields and lang not in e.fields["label"]:
            message = f"the source is in {lang!r} but the label has no {lang!r} text"
            problems.append(InputError(e.file, e.line, message, "label"))
    return problems


def _check(
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
        out = [_check(v, ftype[1], name, line, default_doc, errors, entity, languages) for v in value]
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
