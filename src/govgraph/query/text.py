"""The query text: just enough SPARQL lexing to find the query form, refuse what would leave the local store
(SERVICE, LOAD, FROM) and find the outermost WHERE group, where parameters go."""

from __future__ import annotations

import re
from collections.abc import Iterator

from govgraph.query.errors import QueryError

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


# Just enough lexing to tell keywords from the same letters inside strings, IRIs, comments, variables and
# prefixed names: to find the query form, refuse SERVICE/LOAD/FROM and find the WHERE group's brace.
# A prefixed name's local part may hold escapes (ex:a\# or ex:a\'): an escaped # or quote must not be taken for
# the start of a comment or string, or a SERVICE after it would hide from check_offline. A comment ends at a
# carriage return as well as a line feed, as in the SPARQL grammar.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][^\s(){}\[\],;.=!<>"'|&+*/^#@]+)
      | (?P<word>[A-Za-z_][\w\-]*(?::(?:\\.|[^\s(){}\[\],;=!<>"'|&+*/^#@\\])*)?
                |:(?:\\.|[^\s(){}\[\],;=!<>"'|&+*/^#@\\])*)
      | (?P<brace>[{}])
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _tokens(query: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) of each significant token; whitespace and comments are dropped."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind == "comment" or (kind == "other" and m.group().isspace()):
            continue
        yield kind, m.group(), m.start()


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; QueryError for an update or anything else."""
    for kind, text, _ in _tokens(query):
        if kind == "word" and text.upper() in FORMS:
            return text.upper()
        if kind == "word" and text.upper() in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE"):
            raise QueryError(f"{text.upper()} is a SPARQL update; govgraph only runs queries")
    raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")


def check_offline(query: str) -> None:
    """Refuse what would make a local query reach beyond the local store: SERVICE, LOAD, FROM (NAMED)."""
    for kind, text, _ in _tokens(query):
        word = text.upper() if kind == "word" else ""
        if word == "SERVICE":
            raise QueryError("the query calls a remote SERVICE; local queries stay offline (use allow_network=True)")
        if word == "LOAD":
            raise QueryError("the query LOADs data from the network; local queries stay offline")
        if word == "FROM":
            raise QueryError(
                "the query names its dataset with FROM; the local store holds only the given data and stays offline"
                " (use allow_network=True to pass it on anyway)"
            )


def where_brace(query: str) -> int:
    """Offset just after the ``{`` that opens the query's outermost WHERE group (not a CONSTRUCT template)."""
    form = query_form(query)
    depth, previous, skip_template = 0, "", form == "CONSTRUCT"
    for kind, text, start in _tokens(query):
        if kind == "brace" and text == "{":
            if depth == 0:
                if skip_template and previous != "WHERE":
                    skip_template = False  # the first group of CONSTRUCT { ... } WHERE { ... } is the template
                else:
                    return start + 1
            depth += 1
        elif kind == "brace":
            depth -= 1
        previous = text.upper() if kind == "word" else kind
    raise QueryError("cannot find the query's WHERE { ... } group")
