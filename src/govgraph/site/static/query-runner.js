/* govgraph site: run the catalogue's SPARQL queries in the page, on the site's own data, with no server.
   The engine is Oxigraph's WebAssembly build (engine/oxigraph.js, engine/oxigraph-wasm.js) and the data the
   site's dataset as N-Triples (engine/dataset.js): classic scripts that set globals, so they load from file://
   too, where fetch() and module scripts are refused. They are loaded on the first Run, not with the page.

   A parameter is bound as `govgraph query` binds it (govgraph/query/parameters.py): checked against its type, written as
   an N-Triples term and put in a VALUES block at the start of the query's outermost WHERE group, whose offset
   the site computed with the same tokenizer (valuesAt). Results are written with textContent, never innerHTML. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var configElement = document.getElementById("query-config");
  if (!configElement) return;
  var config = JSON.parse(configElement.textContent);
  var XSD = "http://www.w3.org/2001/XMLSchema#";

  function say(da, en) {  /* a text in both languages as the pages write one (the style sheet shows one) */
    var group = document.createElement("span");
    group.className = "ml";
    group.setAttribute("data-langs", "da en");
    [["da", da], ["en", en]].forEach(function (pair) {
      var span = document.createElement("span");
      span.className = "tr"; span.lang = pair[0]; span.textContent = pair[1];
      group.appendChild(span);
    });
    return group;
  }

  /* ---- parameters: the checks of govgraph.query.to_term, the terms of govgraph.query.nt ---------------- */
  function ParameterError(da, en) { this.da = da; this.en = en; }

  function escapeString(text) {
    return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")
      .replace(/\t/g, "\\t");
  }
  function expandIri(value) {
    var colon = value.indexOf(":");
    if (colon < 0) return value;
    var prefix = value.slice(0, colon), local = value.slice(colon + 1);
    if (local.slice(0, 2) !== "//" && Object.prototype.hasOwnProperty.call(config.prefixes, prefix)) {
      return config.prefixes[prefix] + local;
    }
    return value;
  }
  function validDate(text) {
    var parts = text.split("-").map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    return date.getUTCFullYear() === parts[0] && date.getUTCMonth() === parts[1] - 1 && date.getUTCDate() === parts[2];
  }
  var CHECKS = {
    integer: [/^[+-]?[0-9]+$/, "et helt tal som 42", "a whole number such as 42", "integer"],
    decimal: [/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/, "et decimaltal som 12.5", "a decimal number such as 12.5", "decimal"],
    date: [/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, "en dato ÅÅÅÅ-MM-DD", "a date YYYY-MM-DD", "date"],
    year: [/^-?[0-9]{4}$/, "et år ÅÅÅÅ", "a year YYYY", "gYear"]
  };
  function toTerm(param, raw) {
    var where = param.name + " (" + param.type + "): ";
    if (param.type === "iri") {
      var iri = expandIri(raw.trim());
      if (!/^[A-Za-z][A-Za-z0-9+.\-]*:/.test(iri)) {
        throw new ParameterError(where + "ikke en absolut IRI (den skal have et skema som https:)",
          where + "not an absolute IRI (it needs a scheme such as https:)");
      }
      if (/[\x00-\x20<>"{}|^`\\]/.test(iri)) {
        throw new ParameterError(where + "ikke en gyldig IRI", where + "not a valid IRI");
      }
      return "<" + iri + ">";
    }
    if (param.type === "string") return '"' + escapeString(raw) + '"';
    if (param.type === "langstring") {
      var at = raw.lastIndexOf("@"), tag = at < 0 ? "" : raw.slice(at + 1);
      if (at < 0 || !/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) {
        throw new ParameterError(where + "forventede tekst@sprog, fx 'reform@da'",
          where + "expected text@language, e.g. 'reform@da'");
      }
      return '"' + escapeString(raw.slice(0, at)) + '"@' + tag;
    }
    var check = CHECKS[param.type], text = raw.trim();
    if (!check[0].test(text) || (param.type === "date" && !validDate(text))) {
      throw new ParameterError(where + "forventede " + check[1], where + "expected " + check[2]);
    }
    return '"' + text + '"^^<' + XSD + check[3] + ">";
  }
  /* The query text with its VALUES block (none when nothing is bound), as bind_params + inject_values do. */
  function boundQuery(query, form) {
    var names = [], terms = [];
    query.params.forEach(function (param) {
      var raw = form.elements[param.name].value;
      var value = raw === "" ? param.default : raw;  /* an empty field is a parameter not given */
      if (value === null || value === undefined) return;
      names.push("?_" + param.name);
      terms.push(toTerm(param, value));
    });
    if (!names.length) return query.text;
    var at = query.valuesAt;
    return query.text.slice(0, at) + "\n  VALUES (" + names.join(" ") + ") { (" + terms.join(" ") + ") }\n" +
      query.text.slice(at);
  }

  /* ---- the engine and the data, loaded once ---------------------------------------------------------- */
  var storePromise = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root + src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }
  function inflate(base64) {
    var binary = atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }
  function store() {
    if (storePromise) return storePromise;
    storePromise = loadScript("engine/oxigraph.js")
      .then(function () { return loadScript("engine/oxigraph-wasm.js"); })
      .then(function () { return loadScript("engine/dataset.js"); })
      .then(function () {
        return Promise.all([inflate(window.GOVGRAPH_OXIGRAPH_WASM), inflate(window.GOVGRAPH_DATASET)]);
      })
      .then(function (parts) {
        return window.oxigraph.init({ module_or_path: parts[0] }).then(function () {
          var s = new window.oxigraph.Store();
          s.load(new TextDecoder().decode(parts[1]), { format: "application/n-triples" });
          return s;
        });
      });
    storePromise.catch(function () { storePromise = null; });  /* a later click tries again */
    return storePromise;
  }

  /* ---- results: rows of terms {type, value, lang, datatype} ------------------------------------------- */
  function fromJson(binding) {
    if (!binding) return null;
    var kind = binding.type === "typed-literal" ? "literal" : binding.type;
    return { type: kind, value: binding.value, lang: binding["xml:lang"] || "", datatype: binding.datatype || "" };
  }
  function fromTermObject(term) {
    if (term.termType === "NamedNode") return { type: "uri", value: term.value, lang: "", datatype: "" };
    if (term.termType === "BlankNode") return { type: "bnode", value: term.value, lang: "", datatype: "" };
    var datatype = term.datatype ? term.datatype.value : "";
    return { type: "literal", value: term.value, lang: term.language || "",
      datatype: datatype === XSD + "string" || term.language ? "" : datatype };
  }
  function nt(term) {  /* for the order of CONSTRUCT/DESCRIBE triples, as govgraph.query sorts them */
    if (term.type === "uri") return "<" + term.value + ">";
    if (term.type === "bnode") return "_:" + term.value;
    var body = '"' + escapeString(term.value) + '"';
    return term.lang ? body + "@" + term.lang : term.datatype ? body + "^^<" + term.datatype + ">" : body;
  }
  function compareCodePoints(a, b) {  /* Python's str order (by code point), not JavaScript's UTF-16 one */
    var ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
    for (;;) {
      var x = ia.next(), y = ib.next();
      if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
      var cx = x.value.codePointAt(0), cy = y.value.codePointAt(0);
      if (cx !== cy) return cx < cy ? -1 : 1;
    }
  }
  function run(query, text) {
    return store().then(function (s) {
      var options = { use_default_graph_as_union: true };
      if (query.form === "SELECT" || query.form === "ASK") {
        options.results_format = "application/sparql-results+json";
        var doc = JSON.parse(s.query(text, options));
        if (query.form === "ASK") return { variables: ["_askResult"], rows: [[{ type: "literal", value: String(doc.boolean) }]], ask: true };
        var variables = doc.head.vars || [];
        return { store: s, variables: variables, rows: doc.results.bindings.map(function (b) {
          return variables.map(function (v) { return fromJson(b[v]); });
        }) };
      }
      var rows = s.query(text, options).map(function (quad) {
        return [fromTermObject(quad.subject), fromTermObject(quad.predicate), fromTermObject(quad.object)];
      });
      var order = rows.map(function (_, i) { return i; });
      order.sort(function (i, j) {
        for (var k = 0; k < 3; k++) {
          var c = compareCodePoints(nt(rows[i][k]), nt(rows[j][k]));
          if (c) return c;
        }
        return 0;
      });
      return { store: s, variables: ["subject", "predicate", "object"],
        rows: order.map(function (i) { return rows[i]; }) };
    });
  }

  /* CSV as `govgraph query --format csv` writes it (Python's csv module: CRLF, quotes only where needed). */
  function csvField(text) {
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function toCsv(result) {
    var lines = [result.variables.map(csvField).join(",")];
    result.rows.forEach(function (row) {
      var fields = row.map(function (term) {
        return term === null ? "" : term.type === "bnode" ? "_:" + term.value : term.value;
      });
      lines.push(fields.length === 1 && fields[0] === "" ? '""' : fields.map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  var pages = null;
  function pageOf(iri) {  /* the site's page of a resource (as SiteModel.page_path), if it has one */
    if (!pages) { pages = {}; (window.GOVGRAPH_PAGES || []).forEach(function (p) { pages[p] = true; }); }
    var path = null;
    if (iri === config.ontology) path = "def/index";
    else if (iri.indexOf(config.idPrefix) === 0) path = "doc/" + iri.slice(config.idPrefix.length);
    else if (iri.indexOf(config.vocabulary) === 0) path = "def/" + iri.slice(config.vocabulary.length);
    return path !== null && pages[path] ? root + path + ".html" : null;
  }
  function compact(iri) {
    var best = "";
    Object.keys(config.prefixes).forEach(function (p) {
      var ns = config.prefixes[p];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > config.prefixes[best].length)) best = p;
    });
    return best ? best + ":" + iri.slice(config.prefixes[best].length) : iri;
  }
  /* A resource's labels by language (rdfs:label, else skos:prefLabel; the smallest where a language has
     several, as the pages choose), to name it as the pages do; the CSV keeps the IRI. */
  var LABELS = ["http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"];
  function labelsOf(s, iri) {
    var found = {};
    for (var i = 0; i < LABELS.length && !Object.keys(found).length; i++) {
      s.match(window.oxigraph.namedNode(iri), window.oxigraph.namedNode(LABELS[i]), null, null).forEach(function (q) {
        if (q.object.termType !== "Literal") return;
        var lang = q.object.language || "", text = q.object.value;
        if (!(lang in found) || compareCodePoints(text, found[lang]) < 0) found[lang] = text;
      });
    }
    return found;
  }
  function labelElement(labels) {
    if (labels.da && labels.en && labels.da !== labels.en) return say(labels.da, labels.en);
    var span = document.createElement("span");
    var lang = labels.en ? "en" : labels.da ? "da" : Object.keys(labels).sort()[0];
    span.textContent = labels[lang];
    if (lang) span.lang = lang;
    return span;
  }
  function cell(term, s) {
    var td = document.createElement("td");
    if (term === null) {  /* unbound: the CSV cell is empty; the table says so rather than show nothing */
      var none = document.createElement("span");
      none.className = "unbound"; none.textContent = "–"; none.title = "unbound";
      td.appendChild(none);
      return td;
    }
    if (term.type === "uri") {
      var href = pageOf(term.value);
      var labels = labelsOf(s, term.value);
      var code = document.createElement("code");
      code.textContent = compact(term.value);
      code.title = term.value;
      var target = td;
      if (href) { target = document.createElement("a"); target.href = href; td.appendChild(target); }
      if (Object.keys(labels).length) {
        target.appendChild(labelElement(labels));
        var hint = document.createElement("small");
        hint.className = "iri";
        hint.appendChild(code);
        td.appendChild(document.createTextNode(" "));
        td.appendChild(hint);
      } else {
        target.appendChild(code);
      }
    } else {
      var span = document.createElement("span");
      span.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term.lang) span.lang = term.lang;
      td.appendChild(span);
      if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(term.value) && term.datatype) td.className = "number";
    }
    return td;
  }
  function showResult(form, name, result, s) {
    var box = form.querySelector(".run-result");
    box.textContent = "";
    var count = document.createElement("p");
    var n = result.rows.length;
    count.appendChild(result.ask ? say("Svar: " + result.rows[0][0].value, "Answer: " + result.rows[0][0].value)
      : say(n + (n === 1 ? " række" : " rækker"), n + (n === 1 ? " row" : " rows")));
    var csv = toCsv(result);
    var link = document.createElement("a");
    if (form.csvUrl) URL.revokeObjectURL(form.csvUrl);  /* the previous run's file */
    form.csvUrl = link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    link.download = name + ".csv";
    link.className = "csv-download";
    link.appendChild(say("Hent som CSV", "Download as CSV"));
    count.appendChild(document.createTextNode(" · "));
    count.appendChild(link);
    box.appendChild(count);
    if (result.ask) return;
    var scroll = document.createElement("div");
    scroll.className = "table-scroll";
    scroll.tabIndex = 0;
    var table = document.createElement("table");
    table.className = "results";
    var caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.appendChild(say("Resultat af " + name, "Result of " + name));
    table.appendChild(caption);
    var head = table.createTHead().insertRow();
    result.variables.forEach(function (v) {
      var th = document.createElement("th");
      th.scope = "col"; th.textContent = v;
      head.appendChild(th);
    });
    var body = table.createTBody();
    result.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (term) { tr.appendChild(cell(term, s)); });
    });
    scroll.appendChild(table);
    box.appendChild(scroll);
  }

  function submit(event) {
    event.preventDefault();
    var form = event.currentTarget, name = form.getAttribute("data-query"), query = config.queries[name];
    var status = form.querySelector(".run-status"), button = form.querySelector("button[type=submit]");
    status.textContent = "";
    var text;
    try {
      text = boundQuery(query, form);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      status.appendChild(say(error.da, error.en));
      status.setAttribute("data-state", "error");
      return;
    }
    status.setAttribute("data-state", "running");
    status.appendChild(say("Kører …", "Running …"));
    button.disabled = true;
    var started = performance.now();
    run(query, text).then(function (result) {
      var seconds = ((performance.now() - started) / 1000).toFixed(2);
      status.textContent = "";
      status.appendChild(say("Færdig på " + seconds + " s.", "Done in " + seconds + " s."));
      status.setAttribute("data-state", "done");
      showResult(form, name, result, result.store);
    }, function (error) {
      status.textContent = "";
      var message = String(error && error.message || error);
      status.appendChild(say("Forespørgslen fejlede: " + message, "The query failed: " + message));
      status.setAttribute("data-state", "error");
    }).then(function () { button.disabled = false; });
  }

  if (!window.DecompressionStream || !window.WebAssembly) {
    var notes = document.querySelectorAll(".run-unsupported");
    for (var n = 0; n < notes.length; n++) notes[n].hidden = false;
    return;
  }
  var intro = document.querySelectorAll(".run-intro");
  for (var k = 0; k < intro.length; k++) intro[k].hidden = false;
  var forms = document.querySelectorAll("form.run-query");
  for (var i = 0; i < forms.length; i++) {
    forms[i].hidden = false;
    forms[i].addEventListener("submit", submit);
  }
})();
