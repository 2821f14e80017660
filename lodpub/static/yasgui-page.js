// lodpub query page with YASGUI (@zazuko/yasgui, served from /static/yasgui/): one tab per example
// query, the endpoint fixed to this server's /sparql, a share link per tab. Nothing is fetched from
// anywhere but this server (YASGUI's prefix and vocabulary look-ups stay off).
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples-data").textContent || "[]");
  var config = JSON.parse(document.getElementById("config-data").textContent || "{}");
  var endpoint = window.location.origin + "/sparql";
  var fromLink = /[?#&]query=/.test(window.location.search + window.location.hash);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: null, // a fresh page each time: the examples, or the query of a share link
    autoAddOnInit: false,
    populateFromUrl: true,
    tabName: "Query",
    yasqe: { autocompleters: [], prefixCcApi: null, editorHeight: "320px" },
    yasr: { prefixes: config.prefixes || {} } // IRIs in the answers shortened with the published prefixes
  });
  var linked = fromLink && yasgui.getTab() ? yasgui.getTab().getQuery() : null;
  examples.forEach(function (ex, i) {
    if (ex.query === linked) return; // the share link's query is an example: its tab is there already
    var name = ex.title.length > 22 ? ex.title.substring(0, 21) + "…" : ex.title;
    yasgui.addTab(!fromLink && i === 0, { name: name, yasqe: { value: ex.query }, requestConfig: { endpoint: endpoint } });
  });
  if (!Object.keys(yasgui._tabs).length) yasgui.addTab(true);
  window.lodpubYasgui = yasgui;
})();
