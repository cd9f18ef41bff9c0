/* govgraph site: the language switch, sortable tables and the search. No server needed (works from file://),
   no network requests: the search index is a script in the site that sets window.GOVGRAPH_SEARCH. Results are
   built with textContent, never innerHTML, so no label can inject markup. */
(function () {
  "use strict";
  var html = document.documentElement;
  var root = document.body.getAttribute("data-root") || "";

  /* ---- language: ?lang=, else the remembered choice, else the package's first (see LANGUAGE_BOOT) -------- */
  var languages = (html.getAttribute("data-langs") || "en").split(" ");
  var stored = true;
  try { localStorage.getItem("govgraph-lang"); } catch (e) { stored = false; }
  function currentLanguage() {
    for (var i = 0; i < languages.length; i++) if (html.classList.contains("lang-" + languages[i])) return languages[i];
    return languages[0];
  }
  function setLanguage(lang) {
    for (var i = 0; i < languages.length; i++) html.classList.remove("lang-" + languages[i]);
    html.classList.add("lang-" + lang);
    html.lang = lang;
    document.title = html.getAttribute("data-title-" + lang) || document.title;
    var links = document.querySelectorAll(".langswitch a");
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-lang") === lang) links[j].setAttribute("aria-current", "true");
      else links[j].removeAttribute("aria-current");
    }
    var options = document.querySelectorAll("option[data-label-" + lang + "]");
    for (var k = 0; k < options.length; k++) options[k].textContent = options[k].getAttribute("data-label-" + lang);
    try { localStorage.setItem("govgraph-lang", lang); } catch (e) { /* file:// in some browsers: ?lang= carries it */ }
  }
  var switches = document.querySelectorAll(".langswitch a");
  for (var s = 0; s < switches.length; s++) {
    switches[s].addEventListener("click", function (event) {
      event.preventDefault();
      var lang = event.currentTarget.getAttribute("data-lang");
      setLanguage(lang);
      if (window.history && history.replaceState) {
        var params = new URLSearchParams(window.location.search);
        params.set("lang", lang);
        try { history.replaceState(null, "", "?" + params.toString() + window.location.hash); } catch (e) { /* file:// */ }
      }
    });
  }
  setLanguage(currentLanguage());
  /* Where the choice cannot be remembered, or was made with ?lang=, links within the site carry it on. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.closest(".langswitch")) return;
    var href = link.getAttribute("href");
    var lang = currentLanguage();
    if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href) || href.indexOf("lang=") >= 0) return;
    if (stored && !/[?&]lang=/.test(window.location.search)) return;
    var hash = href.indexOf("#") >= 0 ? href.slice(href.indexOf("#")) : "";
    var path = hash ? href.slice(0, href.indexOf("#")) : href;
    link.setAttribute("href", path + (path.indexOf("?") >= 0 ? "&" : "?") + "lang=" + lang + hash);
  });

  /* ---- sortable tables: a <button> in each <th>, aria-sort on the sorted column ------------------------- */
  function sortTable(table, column, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) {
      var cell = row.cells[column];
      return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    }
    rows.sort(function (a, b) {
      var ka = key(a), kb = key(b);
      if (ka === "" && kb !== "") return 1;  /* empty cells last, whichever the direction */
      if (kb === "" && ka !== "") return -1;
      var order = ka.localeCompare(kb, "da", { numeric: true, sensitivity: "base" });
      return ascending ? order : -order;
    });
    for (var i = 0; i < rows.length; i++) body.appendChild(rows[i]);
    var headers = table.tHead.rows[0].cells;
    for (var h = 0; h < headers.length; h++) headers[h].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  var sortables = document.querySelectorAll("table.sortable");
  for (var t = 0; t < sortables.length; t++) {
    (function (table) {
      var headers = table.tHead.rows[0].cells;
      for (var c = 0; c < headers.length; c++) {
        (function (th, column) {
          var button = th.querySelector("button");
          if (button) button.addEventListener("click", function () { sortTable(table, column, th); });
        })(headers[c], c);
      }
    })(sortables[t]);
  }

  /* ---- search: case and diacritics folded, words may be cut short, a typo or two forgiven ------------- */
  var FOLDS = { "æ": "ae", "ø": "o", "å": "aa", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d" };
  function fold(text) {  /* the same as govgraph.site.model.fold */
    return text.toLowerCase().replace(/[æøåßœðþłđ]/g, function (c) { return FOLDS[c]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function compact(word) {  /* dk0040 → dk40, as the index holds identifiers */
    return word.replace(/[^0-9a-z]/g, "").replace(/(^|[^0-9])0+(?=[0-9])/g, "$1");
  }
  function distance(a, b, most) {  /* edit distance, or most + 1 once it is past most */
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var previous = [], current = [];
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (current[j] < best) best = current[j];
      }
      if (best > most) return most + 1;
      previous = current;
    }
    return previous[b.length];
  }
  /* How well one query word matches an entry's words: 3 a whole word, 2 the start of one, 1 close to one
     (a typo, another spelling: "digitisation" for "digitalisation"), 0 not at all. */
  function wordScore(word, words) {
    var best = 0;
    var most = word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w === word) return 3;
      if (w.indexOf(word) === 0) best = 2;
      else if (best < 1 && most && (distance(word, w, most) <= most ||
               (w.length > word.length && distance(word, w.slice(0, word.length), most) <= most))) best = 1;
    }
    return best;
  }
  var index = null;
  function prepare(data) {
    if (index) return index;
    index = { types: data.types || {}, entries: [] };
    var entries = data.entries || [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      index.entries.push({ path: e[0], labels: e[1], id: e[2], types: e[3], words: e[4].split(" ") });
    }
    return index;
  }
  var waiting = [];
  function withIndex(callback) {
    if (window.GOVGRAPH_SEARCH) { callback(prepare(window.GOVGRAPH_SEARCH)); return; }
    waiting.push(callback);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () {
      var callbacks = waiting; waiting = [];
      for (var i = 0; i < callbacks.length; i++) callbacks[i](prepare(window.GOVGRAPH_SEARCH || {}));
    };
    document.head.appendChild(script);
  }
  function pick(texts, lang) {
    return texts[lang] || texts.en || texts[Object.keys(texts)[0]] || "";
  }
  function search(index, query, type, limit) {
    var words = fold(query).split(/[^0-9a-z]+/).filter(Boolean);
    if (!words.length) return [];
    var whole = compact(fold(query));
    var lang = currentLanguage();
    var found = [];
    for (var i = 0; i < index.entries.length; i++) {
      var entry = index.entries[i];
      if (type && entry.types.indexOf(type) < 0) continue;
      var score = 0, ok = true;
      if (entry.id && compact(fold(entry.id)) === whole) score = 100;
      else {
        for (var w = 0; w < words.length && ok; w++) {
          var s = wordScore(words[w], entry.words);
          if (!s) ok = false;
          score += s;
        }
      }
      if (ok) found.push([score, pick(entry.labels, lang), entry]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1].length - b[1].length || a[1].localeCompare(b[1], lang); });
    return found.slice(0, limit).map(function (item) { return item[2]; });
  }
  function renderResults(list, results) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var lang = currentLanguage();
    for (var i = 0; i < results.length; i++) {
      var entry = results[i];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + entry.path + ".html";
      var label = pick(entry.labels, lang) || entry.path;
      link.textContent = entry.id && label.indexOf(entry.id) < 0 ? entry.id + " — " + label : label;
      item.appendChild(link);
      var kinds = entry.types.map(function (key) { return pick(index.types[key] || {}, lang); }).filter(Boolean);
      if (kinds.length) {
        var note = document.createElement("small");
        note.textContent = " " + kinds.join(", ");
        item.appendChild(note);
      }
      list.appendChild(item);
    }
  }
  function said(count) {
    return currentLanguage() === "da" ? count + " resultat" + (count === 1 ? "" : "er") : count + (count === 1 ? " result" : " results");
  }

  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (input && list) {
    var update = function () {
      var query = input.value.trim();
      if (!query) { list.hidden = true; status.textContent = ""; return; }
      withIndex(function (index) {
        if (input.value.trim() !== query) return;  /* typed on while the index loaded */
        var results = search(index, query, "", 20);
        renderResults(list, results);
        list.hidden = results.length === 0;
        status.textContent = said(results.length);
      });
    };
    input.addEventListener("input", update);
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; update(); }
      if (event.key === "ArrowDown" && list.firstChild) { event.preventDefault(); list.querySelector("a").focus(); }
    });
  }

  var pageResults = document.getElementById("search-page-results");
  if (pageResults) {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "", type = params.get("type") || "";
    var pageInput = document.getElementById("search-page-q"), typeSelect = document.getElementById("search-page-type");
    if (pageInput) pageInput.value = query;
    if (typeSelect) typeSelect.value = type;
    var run = function () {
      withIndex(function (index) {
        var results = search(index, pageInput ? pageInput.value : query, typeSelect ? typeSelect.value : type, 1000);
        renderResults(pageResults, results);
        document.getElementById("search-page-status").textContent = said(results.length);
      });
    };
    if (pageInput) pageInput.addEventListener("input", run);
    if (typeSelect) typeSelect.addEventListener("change", run);
    run();
  }
})();

/* A box that scrolls sideways (a wide table, a long query) gets into the tab order, so that a keyboard can
   scroll it too; only while it is wider than its box. */
(function () {
  "use strict";
  function mark() {
    var boxes = document.querySelectorAll(".scroll, pre");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    }
  }
  mark();
  window.addEventListener("resize", mark);
  window.addEventListener("load", mark);
})();
