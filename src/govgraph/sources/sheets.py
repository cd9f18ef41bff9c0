"""CSV sheets: the curated record types kept in a spreadsheet, one record a row, checked by the same schema.

A sheet is a UTF-8 CSV file (RFC 4180, the header row first, a byte-order mark accepted) named after a list of
``govgraph.sources.schema.SCHEMA``: ``programmes.csv``, ``initiatives.csv``, ``money.csv``, ... The header
names the columns, in any order; every row becomes a record that ``schema.read_record`` checks exactly as it
checks a YAML record, so a sheet and a YAML file accept the same values and give the same entities.

Cells, by field type:

- a scalar field (key, str, int, number, bool, date, ref, enum, keyref) has the column of its name; an ``int``
  cell is ASCII digits (``2025``), a ``number`` cell a decimal number (``1500000``, ``2.5``, ``1e6``), a
  ``bool`` cell ``true`` or ``false`` (any case); every other cell is taken as it is written;
- a text field (a language map) has one column per language: ``label@en``, ``label@da``;
- a list field holds several values in one cell separated by ``|`` (spaces around each are dropped; an empty
  item is an error); a list of texts (``alt_labels``) has one column per language, ``alt_labels@da``, and each
  item is a one-language text (the items of the language columns follow each other in header order);
- a source (locator) is ``DOCUMENT:LINES`` or ``DOCUMENT:LINES:SECTION`` (``plan-2025:12-14:Chapter 2``; the
  section is everything after the second colon and may hold colons itself); ``sources`` is a ``|`` list of them.

An empty cell leaves the field out. Every problem of the sheet is reported at once, each at its line (the
line where the row starts; the header is line 1) and column. ``csvw_metadata`` describes a sheet in W3C CSVW
(https://www.w3.org/TR/tabular-metadata/) and ``write_sheet_template`` writes an empty sheet with it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.safety import decode_utf8, short_repr
from govgraph.sources.schema import _DATE, BUNDLED_LANGUAGES, SCHEMA, Entity, describe_type, field_order, read_record
from govgraph.sources.yaml_lines import Mapping

SEPARATOR = "|"
_INT = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CSVW_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*\Z")


def is_text_field(ftype: Any) -> bool:
    """Whether a field has one column per language (a text, or a list of texts)."""
    return ftype == "text" or ftype == ("list", "text")


def _check_languages(languages: Sequence[str]) -> None:
    from govgraph.package import LANGUAGE_TAG

    if not languages or not all(isinstance(lang, str) and LANGUAGE_TAG.match(lang) for lang in languages):
        raise ValueError(f"languages must be BCP 47 language tags such as en or da, not {list(languages)!r}")


def sheet_columns(list_name: str, languages: Sequence[str] = ("en",)) -> list[str]:
    """The header of the sheet ``<list_name>.csv``: the fields in ``govgraph.lint.field_order`` order, each
    text field (and list of texts) as one column per language (``label@en``)."""

    _check_languages(languages)
    spec = SCHEMA[list_name][1]
    columns = []
    for name in field_order(list_name):
        if is_text_field(spec[name][0]):
            columns.extend(f"{name}@{lang}" for lang in languages)
        else:
            columns.append(name)
    return columns


# --- reading -----------------------------------------------------------------------------------------------


class _SheetErrors(ErrorCollector):
    """An ErrorCollector that gives each error about a field the column of that field in the current row."""

    def __init__(self, file: str | Path):
        super().__init__(file)
        self.columns: dict[str, int] = {}

    def add(self, line: int | None, message: str, field: str | None = None, column: int | None = None) -> None:
        if column is None and field is not None:
            column = self.columns.get(field)
        super().add(line, message, field, column)


class _Column:
    """One named column of a sheet: which field it fills, in which language (text fields), and how."""

    __slots__ = ("field", "ftype", "index", "lang")

    def __init__(self, field: str, lang: str | None, ftype: Any, index: int):
        self.field, self.lang, self.ftype, self.index = field, lang, ftype, index


def _read_header(
    header: list[str], list_name: str, spec: dict, errors: _SheetErrors, languages: tuple[str, ...]
) -> tuple[list[_Column | None], dict[str, int]]:
    """The columns and each field's first column (1-based). An unnamed column is None (a value in it is an
    error); an unknown or repeated one is reported here, once, and is _REPORTED (its cells are skipped)."""
    kind = SCHEMA[list_name][0]
    columns: list[_Column | None] = []
    first: dict[str, int] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        number = index + 1
        title = raw.strip()
        if not title:
            columns.append(None)  # fine while its cells are empty (spreadsheets add such columns)
            continue
        columns.append(_REPORTED)
        if title in seen:
            errors.add(1, f"column {short_repr(title)} is repeated (first in column {seen[title]})", column=number)
            continue
        seen[title] = number
        name, at, lang = title.partition("@")
        if name not in spec:
            expected = ", ".join(sheet_columns(list_name, languages))
            article = "an" if kind[0] in "aeiou" else "a"
            message = f"unknown column {short_repr(title)} for {article} {kind}; expected {expected}"
            errors.add(1, message, column=number)
            continue
        ftype = spec[name][0]
        if is_text_field(ftype):
            if lang not in languages:
                langs = " or ".join(f"{name}@{x}" for x in languages)
                errors.add(1, f"{name} is text in a language: name the column {langs}", name, number)
                continue
        elif at:
            errors.add(1, f"{name} takes no language: name the column {name}", name, number)
            continue
        columns[index] = _Column(name, lang if at else None, ftype, index)
        first.setdefault(name, number)
    for name, (_ftype, required) in spec.items():
        if required and name not in first:
            errors.add(1, f"missing required column {_title(name, spec)}", name)
    return columns, first


def _title(name: str, spec: dict) -> str:
    return f"{name}@LANG" if is_text_field(spec[name][0]) else name


_REPORTED: Any = _Column("", None, None, -1)  # a column whose header was reported as wrong


class _Bad(Exception):
    """A cell that is not of its column's syntax (the message says why)."""


def _scalar(cell: str, ftype: Any) -> Any:
    """The value a YAML file would hold for this cell; a cell that does not convert is passed on as text, so
    that curated's checks report it in their words."""
    if ftype in ("int", "number") and _INT.match(cell):
        try:
            return int(cell)
        except ValueError:  # more digits than Python converts
            return cell
    if ftype == "number" and _NUMBER.match(cell):
        number = float(cell)
        return number if math.isfinite(number) else cell  # 1e999: "'1e999' is not a number", as in YAML
    if ftype == "bool":
        low = cell.lower()
        return True if low == "true" else False if low == "false" else cell
    if ftype == "locator":
        return _locator(cell)
    return cell


def _locator(cell: str) -> dict[str, str]:
    parts = cell.split(":", 2)
    if len(parts) < 2:
        raise _Bad(f"{short_repr(cell)} is not a source DOCUMENT:LINES or DOCUMENT:LINES:SECTION")
    value = {"doc": parts[0].strip(), "lines": parts[1].strip()}
    if len(parts) == 3:
        value["section"] = parts[2].strip()
    return value


def _split(cell: str) -> list[str]:
    items = [item.strip() for item in cell.split(SEPARATOR)]
    if any(not item for item in items):
        raise _Bad(f"an empty item in the list {short_repr(cell)} (values are separated by a single |)")
    return items


def _cell_value(cell: str, column: _Column) -> Any:
    ftype = column.ftype
    if ftype == "text":
        return {column.lang: cell}
    if ftype == ("list", "text"):
        return [{column.lang: item} for item in _split(cell)]
    if isinstance(ftype, tuple) and ftype[0] == "list":
        return [_scalar(item, ftype[1]) for item in _split(cell)]
    return _scalar(cell, ftype)


def read_sheet(path: Path, languages: Sequence[str] = BUNDLED_LANGUAGES) -> list[Entity]:
    """Read and check one sheet ``<list>.csv`` (the list named by the file's stem); every row is checked by
    curated's record checks. Raises InputErrors listing every problem of the sheet, each with line and column.
    Text columns are ``<field>@<language>`` for the ``languages`` of the package (its manifest's).

    References to other records and duplicate keys are checked across files by ``curated.read_curated``."""
    path = Path(path)
    list_name = path.stem
    if list_name not in SCHEMA:
        message = f"a sheet is named after its list: {', '.join(f'{n}.csv' for n in sorted(SCHEMA))}"
        raise InputErrors([InputError(str(path), None, message)])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the file: {exc.strerror or exc}")]) from None
    text = decode_utf8(path, data)
    kind, spec = SCHEMA[list_name]
    errors = _SheetErrors(path)
    check_control = _CONTROL.search(text) is not None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputErrors([InputError(str(path), 1, f"CSV: {exc}")]) from None
    if not header or not any(cell.strip() for cell in header):
        errors.add(1, f"a sheet starts with its header row, e.g. {','.join(sheet_columns(list_name))}")
        errors.raise_if_any()
    languages = tuple(languages)
    columns, first = _read_header(header, list_name, spec, errors, languages)
    # A required field whose column is missing is reported once (above), not on every row.
    row_spec = {name: (ftype, required and name in first) for name, (ftype, required) in spec.items()}
    errors.columns = first
    entities = []
    line = reader.line_num + 1  # where the next row starts
    width = len(header)
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            errors.add(line, f"CSV: {exc}")
            break
        if row is None:
            break
        row_line, line = line, reader.line_num + 1
        if not any(row):
            continue  # a blank line or a row of empty cells
        item, ok, bad = _read_row(row, row_line, columns, width, errors, check_control)
        # The rest of a row with a bad cell is checked too, so that all its problems are found at once.
        spec_here = {**row_spec, **{name: (row_spec[name][0], False) for name in bad}} if bad else row_spec
        entity = read_record(item, kind, spec_here, None, errors, row_line, languages)
        if entity is not None and ok:
            entities.append(entity)
    errors.raise_if_any()
    return entities


def _read_row(
    row: list[str],
    line: int,
    columns: list[_Column | None],
    width: int,
    errors: _SheetErrors,
    check_control: bool,
) -> tuple[Mapping, bool, set[str]]:
    """One row as the Mapping a YAML record would be, whether every cell could be read, and the fields whose
    cells could not (already reported, and left out of the Mapping)."""
    item = Mapping()
    item.line = line
    item.key_lines = {}
    ok = True
    bad = set()  # fields with a cell that could not be read: left out of the record, which is then dropped
    if len(row) > width and any(row[width:]):
        extra = next(i for i in range(width, len(row)) if row[i])
        errors.add(line, f"the row has {len(row)} cells but the header names {width} columns", column=extra + 1)
        ok = False
    for index, cell in enumerate(row[:width]):
        if not cell:
            continue
        column = columns[index]
        control = _CONTROL.search(cell) if check_control else None
        if control:
            char = control.group()
            field = column.field if column else None
            errors.add(line, f"control character U+{ord(char):04X} in the cell", field or None, index + 1)
            if field:
                bad.add(field)
            ok = False
            continue
        if column is None:
            errors.add(line, "a value in a column without a name", column=index + 1)
            ok = False
            continue
        if column is _REPORTED:
            continue
        name = column.field
        try:
            value = _cell_value(cell, column)
        except _Bad as exc:
            errors.add(line, str(exc), name, index + 1)
            bad.add(name)
            continue
        if name in item:  # another language of the same text field
            if isinstance(value, dict):
                item[name].update(value)
            else:
                item[name].extend(value)
        else:
            item[name] = value
            item.key_lines[name] = line
    for name in bad:
        item.pop(name, None)
        item.key_lines.pop(name, None)
    return item, ok and not bad, bad


# --- describing and writing ---------------------------------------------------------------------------------


def _csvw_name(title: str) -> str:
    name = title.replace("@", "_")
    assert _CSVW_NAME.match(name), name
    return name


def _datatype(ftype: Any) -> Any:
    if isinstance(ftype, tuple) and ftype[0] == "list":
        return _datatype(ftype[1])
    if ftype == "int":
        return "integer"
    if ftype == "number":
        return "decimal"
    if ftype == "bool":
        return "boolean"
    if ftype == "date":
        return {"base": "string", "format": _DATE.pattern.removesuffix("\\Z") + "$"}
    return "string"


def _describe(name: str, ftype: Any, lang: str | None) -> str:
    """A short description of a column, from its field type (as docs/package-reference.md words it)."""

    if lang is not None:
        what = f"text in {lang}"
        if ftype == ("list", "text"):
            what = f"several texts in {lang} separated by |"
    else:
        what = describe_type(ftype).replace("`", "").replace("\\|", "|")
    return f"{name}: {what}"


def csvw_metadata(list_name: str, languages: Sequence[str] = ("en",), url: str | None = None) -> dict:
    """The W3C CSVW table description (https://www.w3.org/TR/tabular-metadata/) of the sheet of ``list_name``:
    one column per header cell of ``sheet_columns`` with its datatype, whether it is required (a required text
    field's column is required when the sheet has one language), the list separator and the language."""
    kind, spec = SCHEMA[list_name]
    columns = []
    for title in sheet_columns(list_name, languages):
        name, _, lang = title.partition("@")
        ftype, required = spec[name]
        column: dict[str, Any] = {
            "name": _csvw_name(title),
            "titles": title,
            "datatype": _datatype(ftype),
            "required": bool(required and (not lang or len(languages) == 1)),
        }
        if isinstance(ftype, tuple) and ftype[0] == "list":
            column["separator"] = SEPARATOR
        if lang:
            column["lang"] = lang
        column["dc:description"] = _describe(name, ftype, lang or None)
        columns.append(column)
    table_schema: dict[str, Any] = {"columns": columns}
    for key in ("key", "id"):
        if key in spec:
            table_schema["primaryKey"] = key
            break
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": url if url is not None else f"{list_name}.csv",
        "dc:title": f"{list_name}.csv: govgraph {list_name}, one {kind} a row",
        "tableSchema": table_schema,
    }


def write_sheet_template(
    directory: Path,
    list_name: str,
    languages: Sequence[str] = ("en",),
    example_row: dict[str, str] | None = None,
) -> tuple[Path, Path]:
    """Write ``<list_name>.csv`` (the header and, if given, the example row) and its CSVW description
    ``<list_name>.csv-metadata.json`` into ``directory``, each atomically. Returns both paths."""
    from govgraph.export import write_bytes_atomic

    directory = Path(directory)
    header = sheet_columns(list_name, languages)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    if example_row is not None:
        unknown = set(example_row) - set(header)
        if unknown:
            raise ValueError(f"the example row has columns the {list_name} sheet lacks: {sorted(unknown)}")
        writer.writerow([example_row.get(title, "") for title in header])
    sheet = directory / f"{list_name}.csv"
    meta = directory / f"{list_name}.csv-metadata.json"
    write_bytes_atomic(sheet, out.getvalue().encode("utf-8"))
    text = json.dumps(csvw_metadata(list_name, languages, sheet.name), indent=2, ensure_ascii=False) + "\n"
    write_bytes_atomic(meta, text.encode("utf-8"))
    return sheet, meta
