// The interactive page of `wpgraph export --format html`: inlined into the page by wpgraph/export.py.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wpgraph-data").textContent);
  document.getElementById("heading").textContent = data.title;
  function option(select, value, text) {
    var o = document.createElement("option"); o.value = value; o.textContent = text; select.appendChild(o);
  }
  var councilSelect = document.getElementById("council"), themeSelect = document.getElementById("theme");
  data.councils.forEach(function (c) { option(councilSelect, c, c); });
  data.themes.forEach(function (t) { option(themeSelect, t.number, t.number + " " + t.label); });
  var legend = document.getElementById("legend");
  function swatch(color, text) {
    var s = document.createElement("span"), i = document.createElement("i");
    i.style.background = color; s.appendChild(i); s.appendChild(document.createTextNode(text)); legend.appendChild(s);
  }
  data.legend.forEach(function (l) { swatch(l.color, l.type); });
  if (data.elements.edges.some(function (e) { return e.data.status; })) {
    data.statuses.forEach(function (s) { swatch(s.color, "edge: " + s.label); });
  }
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: data.elements,
    style: [
      { selector: "node", style: { "background-color": "data(color)", "label": "data(label)", "font-size": 7,
        "text-wrap": "ellipsis", "text-max-width": 90, "width": 14, "height": 14, "border-width": 0.5, "border-color": "#555" } },
      { selector: "node[type = 'council'], node[type = 'theme']", style: { "width": 26, "height": 26, "font-size": 10, "font-weight": "bold" } },
      { selector: "edge", style: { "width": 1, "line-color": "data(color)", "target-arrow-color": "data(color)",
        "target-arrow-shape": "triangle", "arrow-scale": 0.6, "curve-style": "bezier", "opacity": 0.8 } },
      { selector: "edge[status]", style: { "width": 2 } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#000" } },
      { selector: ".faded", style: { "opacity": 0.15 } }
    ],
    layout: data.layout
  });
  function matches(ele, council, theme) {
    var d = ele.data();
    if (council && d.council && d.council !== council) return false;
    if (theme && d.theme && d.theme !== theme) return false;
    return true;
  }
  function applyFilter() {
    var council = councilSelect.value, theme = themeSelect.value;
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.style("display", matches(n, council, theme) ? "element" : "none"); });
      cy.edges().forEach(function (e) { e.style("display", matches(e, council, theme) ? "element" : "none"); });
    });
    showCount();
  }
  function showCount() {
    var visible = cy.nodes().filter(function (n) { return n.style("display") !== "none"; }).length;
    document.getElementById("count").textContent = visible + " of " + cy.nodes().length + " nodes, " + cy.edges().length + " edges";
  }
  councilSelect.addEventListener("change", applyFilter);
  themeSelect.addEventListener("change", applyFilter);
  document.getElementById("fit").addEventListener("click", function () { cy.fit(undefined, 20); });
  var details = document.getElementById("details");
  cy.on("tap", "node", function (evt) {
    var d = evt.target.data(), dl = document.createElement("dl");
    var keys = ["label", "type", "council", "theme_label", "status", "reference", "role_type", "notation", "text", "id"];
    keys.forEach(function (k) {
      if (d[k] === undefined || d[k] === "") return;
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = k === "id" ? "IRI" : k.replace("_", " "); dd.textContent = d[k];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    var links = document.createElement("dd");
    links.textContent = evt.target.connectedEdges().map(function (e) {
      var other = e.source().id() === d.id ? e.target() : e.source();
      return e.data("label") + " " + other.data("label") + (e.data("status") ? " (" + e.data("status") + ")" : "");
    }).slice(0, 40).join("; ");
    var dt = document.createElement("dt"); dt.textContent = "links (" + evt.target.connectedEdges().length + ")";
    dl.appendChild(dt); dl.appendChild(links);
    details.replaceChildren(dl);
  });
  showCount();
  // For tests and scripts: what was drawn, and whether anything went wrong.
  document.title = data.title + " \u2014 " + cy.nodes().length + " nodes";
  document.body.setAttribute("data-nodes", String(cy.nodes().length));
  document.body.setAttribute("data-edges", String(cy.edges().length));
  document.body.setAttribute("data-errors", String(window.__wpgraphErrors.length));
  window.wpgraphCy = cy;
})();
