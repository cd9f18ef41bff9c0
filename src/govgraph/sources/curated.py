"""Reader for the curated YAML files of a data package (``src/govgraph/data/`` for the bundled one; schema:
docs/curated-data.md), and the checks across all of a package's records, YAML files and CSV sheets alike.

Each list in a file holds records of one kind; govgraph.sources.schema says, per list, which fields a record
may have, which are required and what each holds. Every problem in every file is collected and reported at
once with file and line; references between records (``institution/kl``) are checked across all files.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.safety import short_repr
from govgraph.sources.schema import BUNDLED_LANGUAGES, SCHEMA, CuratedData, Entity, read_record
from govgraph.sources.yaml_lines import Mapping, load_yaml


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
            entity = read_record(item, kind, spec, default_doc, errors, line, languages)
            if entity is not None:
                entities.append(entity)
    errors.raise_if_any()
    return entities


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
