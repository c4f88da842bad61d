// The SPARQL editor: YASGUI on this server's /sparql, one tab per canned query (from the page's JSON block),
// prefix completion from this server (never prefix.cc), nothing kept in the browser between visits.
(function () {
  "use strict";
  var tabs = JSON.parse(document.getElementById("canned-queries").textContent);
  var endpoint = window.location.origin + "/sparql";
  Yasgui.Yasqe.defaults.prefixCcApi = window.location.origin + "/sparql/prefixes.json";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } }
  });
  var first = yasgui.getTab();
  tabs.forEach(function (tab, index) {
    yasgui.addTab(index === 0, { name: tab.name, yasqe: { value: tab.query }, requestConfig: { endpoint: endpoint } });
  });
  if (first && tabs.length) { first.close(); }
  window.wpgraphYasgui = yasgui;
}());
