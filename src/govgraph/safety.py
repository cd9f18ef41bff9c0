"""Guards the readers run on untrusted input before any parser sees it.

Parsers are the weak point of a tool that reads other people's files: an XML parser expands entities (a 1 KB
"billion laughs" file never finishes, an external entity reads /etc/passwd), a JSON-LD processor fetches
remote contexts, a recursive-descent parser dies on deep nesting. Each guard here is a cheap check of the raw
bytes or the decoded document that turns such input into an InputError naming the file (and line), so the
CLI exits 2 with a clear message instead of hanging, leaking or printing a traceback. SECURITY.md lists what
they guarantee.
"""

from __future__ import annotations

import codecs
import json
import re
import reprlib
from pathlib import Path
from typing import Any

from govgraph.errors import InputError, InputErrors

# The byte signatures of XML's encoding autodetection (XML 1.0, appendix F), longest first.
_XML_SIGNATURES = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_EBCDIC_SIGNATURE = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")

# Formats whose parser is an XML parser, and the ones that are JSON-LD (names as rdflib and validate use them).
XML_FORMATS = {"xml", "trix", "rdf/xml"}
JSONLD_FORMATS = {"json-ld", "jsonld"}

_short = reprlib.Repr()
_short.maxstring = 80
_short.maxother = 80
_short.maxlist = _short.maxtuple = _short.maxdict = _short.maxset = 6
_short.maxlevel = 3


def short_repr(value: Any) -> str:
    """repr() cut to a readable length: an error message must not repeat a megabyte (or a YAML alias bomb)."""
    return _short.repr(value)


def _refuse(path: str | Path, message: str, line: int | None = None) -> InputErrors:
    return InputErrors([InputError(str(path), line, message)])


def decode_utf8(path: str | Path, data: bytes) -> str:
    """UTF-8 text (a leading byte-order mark is dropped), or an InputError naming the line and byte offset of
    the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            path, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start} cannot be decoded", line
        ) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_characters(text: str) -> list[tuple[int, str]]:
    """(line, description) of each line holding a control character other than tab and line ends: a NUL or an
    escape in a cell is damage (or an attack on a terminal), never data, and RDF literals should not carry it."""
    found = {}
    for m in _CONTROL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        found.setdefault(line, f"control character U+{ord(m.group()):04X} in the text")
    return sorted(found.items())


def xml_text(path: str | Path, data: bytes) -> str:
    """The text of an XML document decoded as an XML parser would (byte-order mark, UTF-16/32 signature or the
    declared encoding), so that a guard sees what the parser will see. Encodings an ASCII scan cannot read
    (EBCDIC, UTF-7, unknown names) are refused."""
    if data.startswith(_EBCDIC_SIGNATURE):
        raise _refuse(path, "EBCDIC-encoded XML is not accepted; save the file as UTF-8")
    encoding = next((enc for signature, enc in _XML_SIGNATURES if data.startswith(signature)), None)
    if encoding is None:
        head = data[:200].decode("latin-1")
        declared = _DECLARED_ENCODING.match(head)
        encoding = declared[1] if declared else "utf-8"
        try:
            ascii_compatible = "<!DOCTYPE".encode(encoding) == b"<!DOCTYPE"
        except LookupError:
            raise _refuse(path, f"unknown XML encoding {encoding!r}; save the file as UTF-8") from None
        if not ascii_compatible or codecs.lookup(encoding).name in ("utf-7", "utf-16", "utf-32"):
            raise _refuse(path, f"XML encoding {encoding!r} is not accepted without a byte-order mark; use UTF-8")
        # Any ASCII-compatible encoding writes markup as ASCII bytes: latin-1 reads them all without failing.
        return data.decode("latin-1")
    return data.decode(encoding, errors="replace")


def refuse_xml_dtd(path: str | Path, data: bytes) -> None:
    """Refuse an XML document with a DTD (<!DOCTYPE or <!ENTITY), whatever its encoding.

    A DTD is how entity expansion ("billion laughs": a 1 KB file that expands to gigabytes and hangs the
    parser) and external entities (``<!ENTITY x SYSTEM "file:///etc/passwd">``) get in; RDF/XML and TriX need
    none, so the document is refused before the XML parser sees it.
    """
    text = xml_text(path, data)
    found = _DOCTYPE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise _refuse(
            path,
            f"the XML has a DTD ({found.group().upper()} ...); govgraph refuses XML DTDs and entities "
            "(entity expansion can hang the parser or read local files): remove the DOCTYPE",
            line,
        )


def refuse_remote_jsonld(path: str | Path, data: bytes) -> Any:
    """Parse a JSON-LD document and refuse anything a JSON-LD processor would fetch: a ``@context`` given as
    a URL (at the top, inside nested objects and arrays, or as a scoped context inside a term definition)
    and ``@import``. Returns the parsed JSON. Local files are not fetched either: ``file:`` is a URL too."""
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputErrors([InputError(str(path), exc.lineno, f"not valid JSON: {exc.msg}", column=exc.colno)]) from None
    except RecursionError:
        raise _refuse(path, "the JSON is nested too deeply to read") from None
    except UnicodeDecodeError as exc:
        raise _refuse(path, f"not UTF-8, UTF-16 or UTF-32 text (byte offset {exc.start})") from None
    # An explicit stack, not recursion: the document may be nested as deeply as the JSON parser allowed.
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@import" in node:
                raise _refuse(
                    path, f"JSON-LD @import {short_repr(node['@import'])} is not fetched (govgraph works offline)"
                )
            contexts = node.get("@context")
            for ctx in contexts if isinstance(contexts, list) else [contexts]:
                if isinstance(ctx, str):
                    raise _refuse(
                        path,
                        f"remote JSON-LD @context {short_repr(ctx)} is not fetched (govgraph works offline); "
                        "inline the context",
                    )
            stack.extend(node.values())
    return doc


def check_rdf_bytes(path: str | Path, data: bytes, fmt: str) -> None:
    """The guards that apply to one RDF file of format ``fmt`` (an rdflib format name or a pyoxigraph
    format's name): no XML DTDs, no remote JSON-LD contexts."""
    name = fmt.lower()
    if name in XML_FORMATS:
        refuse_xml_dtd(path, data)
    elif name in JSONLD_FORMATS:
        refuse_remote_jsonld(path, data)


def too_deep(path: str | Path, what: str = "data") -> InputErrors:
    """The error for input nested (or chained) more deeply than a recursive parser can follow."""
    return _refuse(
        path,
        f"the {what} is nested too deeply to read (a collection or blank node nested thousands of levels); flatten it",
    )
