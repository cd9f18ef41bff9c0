"""YAML loading that remembers the line of every mapping and every key, and refuses duplicate keys
(plain YAML silently keeps the last one, which would hide a transcription mistake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from govgraph.errors import InputError, InputErrors


class Mapping(dict):
    """A YAML mapping with the line of the mapping (``line``) and of each key (``key_lines``)."""

    line: int
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path) -> Any:
    """Load one YAML file; a syntax error becomes an InputError with file, line and column."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise InputErrors([InputError(str(path), None, f"not UTF-8 text (byte offset {exc.start})")]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InputErrors([InputError(str(path), line, f"YAML: {exc.problem or exc.context}", column=column)]) from None
