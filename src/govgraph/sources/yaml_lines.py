"""YAML loading that remembers the line of every mapping and every key, and refuses duplicate keys
(plain YAML silently keeps the last one, which would hide a transcription mistake) and aliases (``*name``:
the curated files need none, and aliases of aliases are how a 1 KB "billion laughs" file blows up)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from govgraph.errors import ErrorCollector, InputError, InputErrors
from govgraph.safety import decode_utf8, short_repr, too_deep


class Mapping(dict):
    """A YAML mapping with the line of the mapping (``line``) and of each key (``key_lines``)."""

    line: int
    key_lines: dict[str, int]


# PyYAML's wheels carry libyaml; a build without it falls back to the (slower) pure-Python parser.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):
    """libyaml's parser (the pure-Python one took 2 of the 2.8 s of a build) with govgraph's mapping type."""

    errors: ErrorCollector | None = None  # where duplicate keys go, so that every one is reported


def _refuse_aliases(text: str) -> None:
    """No ``*alias`` anywhere: scanned with libyaml before anything is built, so a bomb never expands."""
    if "*" not in text:
        return
    for token in yaml.scan(text, Loader=_BASE_LOADER):
        if isinstance(token, yaml.AliasToken):
            raise yaml.composer.ComposerError(
                None,
                None,
                f"alias *{token.value} is not allowed in govgraph's YAML; write the value out",
                token.start_mark,
            )


# The curated schema nests a few levels (a list of records, a record, a list of sources, a source); nothing
# real comes near this. A limit of govgraph's own keeps the message govgraph's whichever YAML library is
# installed: libyaml 0.2.5 has no limit (Python's recursion runs out), newer builds stop at 1000 levels.
MAX_YAML_DEPTH = 100


def _depth(data: Any) -> int:
    """How many collections deep ``data`` nests (a walk without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


def _nested_too_deeply(text: str) -> bool:
    """Whether the YAML nests more than MAX_YAML_DEPTH collections, read with PyYAML's pure-Python parser
    (no depth limit of its own, no recursion; events come one at a time, so it stops at the first level too
    many). Asked only after libyaml refused the file: that is where its own limit shows."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False
    return False


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | type(None)):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be plain text, not {short_repr(key)}", key_node.start_mark
            )
        if key in result:
            message = f"duplicate key {short_repr(key)} (first on line {result.key_lines[str(key)]})"
            if loader.errors is None:
                raise yaml.constructor.ConstructorError(None, None, message, key_node.start_mark)
            loader.errors.add(key_node.start_mark.line + 1, message, column=key_node.start_mark.column + 1)
            continue  # keep the first value and go on, so that the file's other problems are found too
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path, errors: ErrorCollector | None = None) -> Any:
    """Load one YAML file; a syntax error becomes an InputError with file, line and column. With ``errors``,
    duplicate keys are added to it (every one, the first value kept) instead of stopping the load."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputErrors([InputError(str(path), None, f"cannot read the file: {exc.strerror or exc}")]) from None
    text = decode_utf8(path, data)
    loader = None
    try:
        _refuse_aliases(text)
        loader = _Loader(text)
        loader.errors = errors
        data = loader.get_single_data()
        if _depth(data) > MAX_YAML_DEPTH:  # below libyaml's own limit, so that one limit holds everywhere
            raise too_deep(path, "YAML")
        return data
    except RecursionError:
        raise too_deep(path, "YAML") from None
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits())
        message = "YAML: a number has too many digits to read (quote it if it is an identifier)"
        raise InputErrors([InputError(str(path), None, message)]) from None
    except yaml.MarkedYAMLError as exc:
        if _nested_too_deeply(text):
            raise too_deep(path, "YAML") from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InputErrors([InputError(str(path), line, f"YAML: {exc.problem or exc.context}", column=column)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, exc.position) + 1
        message = f"YAML: the character U+{exc.character:04X} is not allowed (control characters cannot be written)"
        raise InputErrors([InputError(str(path), line, message)]) from None
    except yaml.YAMLError as exc:
        raise InputErrors([InputError(str(path), None, f"YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
