/* govgraph site: the language switch, sortable tables and the search. No server needed (works from file://),
   no network requests: the search index is a script in the site that sets window.GOVGRAPH_SEARCH. Results are
   built with textContent, never innerHTML, so no label can inject markup. */
(function () {
  "use strict";
  var html = document.documentElement;
  var root = document.body.getAttribute("data-root") || "";

  /* ---- language: the package's default (data-default-lang), the choice remembered ---------------------- */
  function setLanguage(lang) {
    html.classList.remove("lang-da", "lang-en");
    html.classList.add("lang-" + lang);
    html.lang = lang;
    document.title = html.getAttribute("data-title-" + lang) || document.title;
    var buttons = document.querySelectorAll(".langswitch button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-lang") === lang));
    }
    try { localStorage.setItem("govgraph-lang", lang); } catch (e) { /* file:// in some browsers */ }
  }
  function currentLanguage() { return html.classList.contains("lang-en") ? "en" : "da"; }
  var switches = document.querySelectorAll(".langswitch button");
  for (var s = 0; s < switches.length; s++) {
    switches[s].addEventListener("click", function (event) {
      setLanguage(event.currentTarget.getAttribute("data-lang"));
    });
  }
  setLanguage(currentLanguage());

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

  /* ---- search --------------------------------------------------------------------------------------------- */
  var waiting = [];
  function withIndex(callback) {
    if (window.GOVGRAPH_SEARCH) { callback(window.GOVGRAPH_SEARCH); return; }
    waiting.push(callback);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () {
      var callbacks = waiting; waiting = [];
      for (var i = 0; i < callbacks.length; i++) callbacks[i](window.GOVGRAPH_SEARCH || []);
    };
    document.head.appendChild(script);
  }
  function search(index, query, limit) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var found = [];
    for (var i = 0; i < index.length; i++) {
      var entry = index[i];
      var text = (entry[1] + " " + entry[2] + " " + entry[3] + " " + entry[0]).toLowerCase();
      var all = true;
      for (var w = 0; w < words.length && all; w++) all = text.indexOf(words[w]) >= 0;
      if (!all) continue;
      var ids = entry[3].toLowerCase().split(" · ");
      var label = (entry[1] + " " + entry[2]).toLowerCase();
      var q = words.join(" ");
      var rank = ids.indexOf(q) >= 0 ? 0 : (entry[1].toLowerCase().indexOf(q) === 0 || entry[2].toLowerCase().indexOf(q) === 0) ? 1 : label.indexOf(q) >= 0 ? 2 : 3;
      found.push([rank, entry]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || (a[1][1] || a[1][2]).localeCompare(b[1][1] || b[1][2], "da"); });
    return found.slice(0, limit).map(function (item) { return item[1]; });
  }
  function renderResults(list, results) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var lang = currentLanguage();
    for (var i = 0; i < results.length; i++) {
      var entry = results[i];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + entry[0] + ".html";
      link.textContent = (lang === "en" ? entry[2] || entry[1] : entry[1] || entry[2]) || entry[0];
      item.appendChild(link);
      if (entry[3]) {
        var note = document.createElement("small");
        note.textContent = " " + entry[3];
        item.appendChild(note);
      }
      list.appendChild(item);
    }
  }
  function said(count) {
    return currentLanguage() === "en" ? count + (count === 1 ? " result" : " results") : count + " resultat" + (count === 1 ? "" : "er");
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
        var results = search(index, query, 20);
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
    var query = new URLSearchParams(window.location.search).get("q") || "";
    if (input) input.value = query;
    withIndex(function (index) {
      var results = search(index, query, 1000);
      renderResults(pageResults, results);
      document.getElementById("search-page-status").textContent = said(results.length);
    });
  }
})();
