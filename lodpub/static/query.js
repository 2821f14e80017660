// lodpub query page: runs the query against /sparql and shows the answer as a table.
// Self-written, no dependencies, no network access other than this server.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent || "[]");
  var config = JSON.parse(document.getElementById("config-data").textContent || "{}");
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  var results = document.getElementById("results");
  var status = document.getElementById("status");

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function hrefFor(iri) {
    if (config.base && iri.indexOf(config.base) === 0 && iri.indexOf("#") < 0 && iri.indexOf("?") < 0) {
      return "/" + iri.substring(config.base.length);
    }
    return "/resource?uri=" + encodeURIComponent(iri);
  }

  function renderTerm(t) {
    if (!t) return el("span", { "class": "unbound" }, "");
    if (t.type === "uri") return el("a", { href: hrefFor(t.value), title: t.value }, t.value);
    if (t.type === "bnode") return el("span", { "class": "bnode" }, "_:" + t.value);
    if (t.type === "triple") {
      var s = el("span", { "class": "triple" }, "<< ");
      ["subject", "predicate", "object"].forEach(function (k) {
        s.appendChild(renderTerm(t.value[k])); s.appendChild(document.createTextNode(" "));
      });
      s.appendChild(document.createTextNode(">>"));
      return s;
    }
    var span = el("span", { "class": "lit" }, t.value);
    if (t["xml:lang"]) span.appendChild(el("small", null, " @" + t["xml:lang"]));
    else if (t.datatype) {
      var xsd = "http://www.w3.org/2001/XMLSchema#";
      var dt = t.datatype.indexOf(xsd) === 0 ? "xsd:" + t.datatype.substring(xsd.length) : t.datatype;
      span.appendChild(el("small", { title: t.datatype }, " " + dt));
    }
    if (t.datatype && /#(decimal|integer|double|float)$/.test(t.datatype)) span.className += " num";
    return span;
  }

  function showTable(data, truncated) {
    results.textContent = "";
    if (data.boolean !== undefined) {
      results.appendChild(el("p", { "class": "boolean" }, "ASK → " + data.boolean));
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = el("table", { "class": "results" });
    var tr = el("tr");
    vars.forEach(function (v) { tr.appendChild(el("th", null, "?" + v)); });
    table.appendChild(el("thead")).appendChild(tr);
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var r = el("tr");
      vars.forEach(function (v) { var td = el("td"); td.appendChild(renderTerm(row[v])); r.appendChild(td); });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    results.appendChild(el("p", { "class": "count" }, rows.length + " row(s)" +
      (truncated ? " — truncated at the server's cap of " + config.maxResults + " rows" : "")));
    results.appendChild(table);
  }

  function run() {
    var q = editor.value;
    status.textContent = "running…";
    results.textContent = "";
    var t0 = Date.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: "query=" + encodeURIComponent(q)
    }).then(function (resp) {
      var ms = Date.now() - t0;
      var ctype = resp.headers.get("Content-Type") || "";
      var truncated = resp.headers.get("X-Lodpub-Truncated") === "true";
      return resp.text().then(function (text) {
        status.textContent = resp.status + " " + resp.statusText + " in " + ms + " ms";
        if (!resp.ok) {
          results.appendChild(el("pre", { "class": "error" }, text));
          return;
        }
        if (ctype.indexOf("json") >= 0) showTable(JSON.parse(text), truncated);
        else {
          if (truncated) results.appendChild(el("p", { "class": "count" }, "truncated at " + config.maxResults + " triples"));
          results.appendChild(el("pre", { "class": "rdf" }, text));
        }
      });
    }).catch(function (err) {
      status.textContent = "failed: " + err;
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  editor.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });
  document.getElementById("download").addEventListener("click", function () {
    var f = document.getElementById("download-format").value;
    window.location.href = "/sparql?" + new URLSearchParams({ query: editor.value, format: f }).toString();
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (b) {
    b.addEventListener("click", function () {
      var ex = examples[Number(b.getAttribute("data-index"))];
      if (ex) { editor.value = ex.query; run(); }
    });
  });
  var fromUrl = new URLSearchParams(window.location.search).get("query");
  if (fromUrl) { editor.value = fromUrl; run(); }
  else if (examples.length) editor.value = examples[0].query;
})();
