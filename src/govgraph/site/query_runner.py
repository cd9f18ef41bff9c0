"""Queries that run in the reader's browser: the catalogue page's Run buttons.

The site carries a SPARQL engine and its own data, so that every bundled query runs in the page, offline, from
``file://`` as from any static host:

- ``engine/oxigraph.js``: Oxigraph's WebAssembly build (the npm package ``oxigraph``, pinned in package.json
  and package-lock.json, installed by ``make setup`` with ``npm ci``). Its ES-module glue (``web.js``) becomes a
  classic script, because Chromium refuses module scripts from ``file://``;
- ``engine/oxigraph-wasm.js`` and ``engine/dataset.js``: the wasm binary and the site's dataset as N-Triples,
  each gzipped and base64-encoded in a script that sets a global, because ``fetch()`` is refused on ``file://``
  (the page inflates them with the browser's DecompressionStream);
- ``query-runner.js`` (static/): the forms, the VALUES binding of parameters, the result table and the CSV.

Parameters are bound as in :func:`govgraph.query.inject_values`: a ``VALUES`` block at the outermost WHERE
group's brace, whose offset this module computes with the same tokenizer, so the browser runs exactly the text
``govgraph query`` runs. The engine is looked for in the checkout's ``node_modules`` (beside src/), then in the
current folder's; without it the site is still written and the catalogue says how to get the Run buttons.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import re
import weakref
from collections.abc import Iterator
from pathlib import Path

from govgraph.namespaces import VOCAB
from govgraph.query import QueryInfo, example_params
from govgraph.query.parameters import prefixes
from govgraph.query.text import where_brace
from govgraph.site.model import ONTOLOGY, SiteModel, esc, script_json, t

STATIC = Path(__file__).resolve().parent / "static"
ENGINE_PACKAGE = "oxigraph"
ENGINE_VERSION = "0.5.11"  # package.json pins it; pyoxigraph in uv.lock is 0.5.13, the nearest release on npm
ENGINE_FOLDER = "engine"
# Where the engine's files are looked for: the checkout this module runs from, then the current folder.
ENGINE_SEARCH = (
    Path(__file__).resolve().parents[3] / "node_modules" / ENGINE_PACKAGE,
    Path("node_modules") / ENGINE_PACKAGE,
)
INSTALL_HINT = f"npm install {ENGINE_PACKAGE}@{ENGINE_VERSION}"

LICENCE_NOTE = f"""The SPARQL engine of this site's query catalogue is Oxigraph {ENGINE_VERSION}
(https://github.com/oxigraph/oxigraph), the WebAssembly build published on the npm registry as the package
"oxigraph". It is dual-licensed under the MIT licence and the Apache License 2.0 (SPDX: MIT OR Apache-2.0);
it is redistributed here under the MIT licence, reproduced below. oxigraph.js is the package's web.js turned
into a classic script; oxigraph-wasm.js holds its web_bg.wasm, gzipped and base64-encoded.

Copyright (c) 2018 RUDF developers

Permission is hereby granted, free of charge, to any
person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the
Software without restriction, including without
limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software
is furnished to do so, subject to the following
conditions:

The above copyright notice and this permission notice
shall be included in all copies or substantial portions
of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF
ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED
TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT
SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY
CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR
IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
"""


class EngineError(Exception):
    """The engine's files are there but not what this module expects (e.g. another version's glue)."""


def find_engine() -> Path | None:
    """The folder of the npm package ``oxigraph`` at the pinned version, or None when it is not installed."""
    for folder in ENGINE_SEARCH:
        manifest = folder / "package.json"
        if (folder / "web.js").is_file() and (folder / "web_bg.wasm").is_file() and manifest.is_file():
            version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
            if version == ENGINE_VERSION:
                return folder
    return None


def classic_glue(module_text: str) -> str:
    """wasm-bindgen's ES-module glue as a classic script that sets the global ``oxigraph``.

    The glue only declares ``export class``/``export function`` and ends with one ``export { ... }``; anything
    else means another generator version, which is refused rather than half-converted."""
    tail = "export { initSync, __wbg_init as default };"
    if module_text.rstrip().splitlines()[-1].strip() != tail or "import.meta.url" not in module_text:
        raise EngineError("oxigraph's web.js does not have the shape this site expects (its last line changed)")
    body = module_text.rstrip()[: -len(tail)]
    body = re.sub(r"^export (class|function|async function) ", r"\1 ", body, flags=re.MULTILINE)
    if re.search(r"^\s*(export|import)\b", body, flags=re.MULTILINE):
        raise EngineError("oxigraph's web.js has an import or export this site cannot convert")
    # The default wasm location is never used (the bytes are passed in), but import.meta is a syntax error here.
    body = body.replace("import.meta.url", "document.baseURI")
    return (
        f"/* Oxigraph {ENGINE_VERSION} (MIT OR Apache-2.0), see LICENSE.txt. */\n"
        "var oxigraph = (function () {\n'use strict';\n"
        f"{body}\nreturn {{ Store: Store, init: __wbg_init, namedNode: namedNode }};\n}})();\n"
    )


def _packed(name: str, data: bytes, level: int = 6) -> bytes:
    """Bytes as a script that sets ``window[name]`` to their gzip, base64-encoded (gzip with no time stamp,
    so the file is the same on every run)."""
    text = base64.b64encode(gzip.compress(data, compresslevel=level, mtime=0)).decode("ascii")
    return f'window.{name}="{text}";\n'.encode("ascii")


@functools.cache
def _engine_files(folder: Path) -> tuple[tuple[str, bytes], ...]:
    """The engine's files in the site, cached per process. The 4 MB of wasm are packed at gzip level 1:
    1.63 MB in 0.1-0.3 s, where level 6 gives 1.43 MB in 0.3-0.8 s (measured here, on a loaded machine)."""
    glue = classic_glue((folder / "web.js").read_text(encoding="utf-8"))
    return (
        (f"{ENGINE_FOLDER}/oxigraph.js", glue.encode("utf-8")),
        (
            f"{ENGINE_FOLDER}/oxigraph-wasm.js",
            _packed("GOVGRAPH_OXIGRAPH_WASM", (folder / "web_bg.wasm").read_bytes(), level=1),
        ),
        (f"{ENGINE_FOLDER}/LICENSE.txt", LICENCE_NOTE.encode("utf-8")),
    )


_STORES: weakref.WeakKeyDictionary[SiteModel, object] = weakref.WeakKeyDictionary()


def site_store(model: SiteModel):
    """The site's graph in a pyoxigraph Store, made once per site (the charts query it too), each term converted
    as ``govgraph query`` converts the dataset (govgraph.shacl.terms.to_ox, as store_from_graph does).

    The triples come from the model's index, whose terms are one object each (SiteModel.__init__): a term is
    looked up by identity, not by rdflib's hash, which is Python code (0.11 s for the bundled data, against
    0.17 s from the graph)."""
    if model not in _STORES:
        import pyoxigraph as ox

        from govgraph.shacl.terms import to_ox

        converted: dict = {}  # id(term) -> (pyoxigraph term, term): the term is kept, so its id stays its own

        def term(t):
            entry = converted.get(id(t))
            if entry is None:
                entry = converted[id(t)] = (to_ox(t), t)
            return entry[0]

        quad = ox.Quad
        quads = []
        for s, predicates in model.out.items():
            subject = term(s)
            for p, objects in predicates.items():
                verb = term(p)
                quads.extend(quad(subject, verb, term(o)) for o in objects)
        store = ox.Store()
        store.bulk_extend(quads)
        _STORES[model] = store
    return _STORES[model]


def dataset_ntriples(model: SiteModel) -> bytes:
    """The site's data as sorted N-Triples, written from the store ``govgraph query`` would query: its
    lexical forms are the ones the command returns (rdflib's writer would turn a decimal 120 into 120.0)."""
    import pyoxigraph as ox

    data = site_store(model).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    # The lines are sorted as UTF-8 bytes, which is the order of their text (UTF-8 keeps the order of code
    # points), without decoding 3.5 MB and encoding it again. Split at b"\n" only: a line may hold U+2028 and
    # the like unescaped, and no byte of a multi-byte character is a newline.
    return b"\n".join(sorted(line for line in data.split(b"\n") if line)) + b"\n"


def runner_files() -> Iterator[tuple[str, bytes]]:
    """The runner's script and style and the engine with its licence (nothing when the engine is not
    installed)."""
    folder = find_engine()
    if folder is None:
        return
    for name in ("query-runner.js", "query-runner.css"):
        yield name, (STATIC / name).read_bytes()
    yield from _engine_files(folder)


def runner_data(model: SiteModel) -> Iterator[tuple[str, bytes]]:
    """The site's dataset for the runner, as N-Triples, with the list of the site's pages (to link the
    resources of a result); nothing when the engine is not installed."""
    if find_engine() is None:
        return
    paths = sorted(model.paths.values())
    pages = json.dumps(paths, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    data = _packed("GOVGRAPH_DATASET", dataset_ntriples(model)) + f"window.GOVGRAPH_PAGES={pages};\n".encode()
    yield f"{ENGINE_FOLDER}/dataset.js", data


def _utf16_offset(text: str, index: int) -> int:
    """A Python string index as the JavaScript (UTF-16) one."""
    return len(text[:index].encode("utf-16-le")) // 2


def query_config(queries: list[QueryInfo], id_prefix: str) -> dict:
    """What the runner needs of each query: its text, where its VALUES block goes, its form and parameters
    (with the documented example's values prefilled); the prefixes an IRI parameter may use; and the IRI
    patterns of the site's pages (as SiteModel.page_path), to link the resources in a result."""
    entries = {}
    for q in queries:
        example = example_params(q)
        entries[q.name] = {
            "text": q.text,
            "valuesAt": _utf16_offset(q.text, where_brace(q.text)),
            "form": q.form,
            "order": q.order,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "value": example.get(p.name, p.default or "")}
                for p in q.params
            ],
        }
    return {
        "prefixes": dict(sorted(prefixes().items())),
        "queries": entries,
        "idPrefix": id_prefix,
        "vocabulary": VOCAB,
        "ontology": ONTOLOGY,
    }


def run_form(q: QueryInfo) -> str:
    """The form of one query: a field per parameter (typed, with the example's value), Run, a status line and
    the place for the result. Hidden until query-runner.js finds the engine and the browser able to run it."""
    fields = []
    for p in q.params:
        ident = f"run-{q.name}-{p.name}"
        value = example_params(q).get(p.name, p.default or "")
        kind = INPUT_KINDS.get(p.type, "")
        hint = esc(p.type) + ("" if p.default is not None else " · " + t("valgfri", "optional"))
        fields.append(
            f'<p class="param"><label for="{esc(ident)}"><code>{esc(p.name)}</code> <small>({hint})</small></label>'
            f'<input id="{esc(ident)}" name="{esc(p.name)}" type="text"{kind} value="{esc(value)}"'
            f' autocomplete="off" spellcheck="false"></p>'
        )
    return (
        f'<form class="run-query" data-query="{esc(q.name)}" aria-labelledby="{esc(q.name)}" hidden>'
        + "".join(fields)
        + f'<p><button type="submit">{t("Kør forespørgslen", "Run the query")}'
        f'<span class="visually-hidden"> {esc(q.name)}</span></button></p>'
        '<p class="run-status" role="status"></p><div class="run-result"></div></form>'
    )


def catalogue_intro(available: bool) -> str:
    """What the catalogue page says of its Run buttons: how they work, or why there are none."""
    if not available:
        return (
            '<p class="run-unavailable">'
            + t(
                "Kør-knapperne mangler: webstedet blev bygget uden SPARQL-motoren (Oxigraph til WebAssembly). "
                f"Installer den med »{INSTALL_HINT}« og kør govgraph site igen.",
                "The Run buttons are unavailable: the site was built without its SPARQL engine (Oxigraph for "
                f"WebAssembly). Install it with `{INSTALL_HINT}` and run govgraph site again.",
            )
            + "</p>"
        )
    return (
        '<p class="noscript-only">'
        + t(
            "Med JavaScript kan hver forespørgsel køres her i browseren.",
            "With JavaScript, every query can run here in the browser.",
        )
        + '</p><p class="run-intro" hidden>'
        + t(
            "Hver forespørgsel kan køres her i browseren på webstedets egne data, uden server; første kørsel "
            "henter motoren og data (ca. 4 MB). Resultatet er det samme som govgraph query giver.",
            "Every query can run here in the browser on the site's own data, with no server; the first run loads "
            "the engine and the data (about 4 MB). The result is what govgraph query gives.",
        )
        + '</p><p class="run-unsupported" hidden>'
        + t(
            "Denne browser kan ikke køre forespørgslerne (den mangler WebAssembly eller DecompressionStream).",
            "This browser cannot run the queries (it lacks WebAssembly or DecompressionStream).",
        )
        + "</p>"
    )


# The keyboard a phone shows for a parameter's field (all fields are text: a CURIE or a year is not a URL or
# a number to the browser, and the checks are the ones of govgraph.query.to_term, made by the runner).
INPUT_KINDS = {"integer": ' inputmode="numeric"', "year": ' inputmode="numeric"', "decimal": ' inputmode="decimal"'}


def page_scripts(queries: list[QueryInfo], id_prefix: str, available: bool) -> str:
    """The runner's configuration and script, at the end of the catalogue page (nothing without the engine)."""
    if not available:
        return ""
    config = script_json(query_config(queries, id_prefix))
    return (
        f'<script type="application/json" id="query-config">\n{config}\n</script>\n'
        '<link rel="stylesheet" href="query-runner.css">\n<script src="query-runner.js" defer></script>'
    )
