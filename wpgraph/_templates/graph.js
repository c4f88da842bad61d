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
  // Labels sit to the right of their nodes, cut to the column width (wpgraph.views.layout places the columns so
  // that no two overlap); a label that would be drawn smaller than MIN_FONT pixels is not drawn at all.
  var MIN_FONT = 6;
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: data.elements,
    minZoom: 0.05, maxZoom: 4,
    style: [
      { selector: "node", style: { "background-color": "data(color)", "label": "data(label)", "font-size": 9,
        "text-wrap": "ellipsis", "text-max-width": data.labelWidth, "text-halign": "right", "text-valign": "center",
        "text-margin-x": 4, "min-zoomed-font-size": MIN_FONT, "width": 12, "height": 12, "border-width": 0.5,
        "border-color": "#555" } },
      { selector: "node[type = 'council'], node[type = 'theme']", style: { "width": 18, "height": 18, "font-size": 11,
        "font-weight": "bold" } },
      { selector: "edge", style: { "width": 0.8, "line-color": "data(color)", "target-arrow-color": "data(color)",
        "target-arrow-shape": "triangle", "arrow-scale": 0.5, "curve-style": "straight", "opacity": 0.55 } },
      { selector: "edge[status]", style: { "width": 1.5 } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#000" } },
      { selector: ".faded", style: { "opacity": 0.15 } }
    ],
    layout: data.layout
  });
  // The default zoom is one people can read: the whole view when it fits, else zoom 1 on the window of the page
  // with the most nodes in it (ties: the leftmost, then the topmost, so a view opens on its first column). Each
  // column start is tried as the window's left edge, and the window slides down that column band's sorted rows.
  function readableView() {
    cy.fit(undefined, 24);
    if (cy.zoom() >= 0.8) return;
    var margin = 24, width = cy.width() - 2 * margin - data.labelWidth, height = cy.height() - 2 * margin;
    var points = cy.nodes().map(function (n) { return n.position(); });
    var lefts = points.map(function (p) { return p.x; })
      .filter(function (x, i, all) { return all.indexOf(x) === i; }).sort(function (a, b) { return a - b; });
    var best = { count: -1, x: 0, y: 0 };
    lefts.forEach(function (left) {
      var ys = points.filter(function (p) { return p.x >= left && p.x <= left + width; })
        .map(function (p) { return p.y; }).sort(function (a, b) { return a - b; });
      for (var top = 0, bottom = 0; top < ys.length; top++) {
        while (bottom < ys.length && ys[bottom] <= ys[top] + height) bottom++;
        if (bottom - top > best.count) best = { count: bottom - top, x: left, y: ys[top] };
      }
    });
    cy.zoom(1);
    cy.pan({ x: margin - best.x, y: margin - best.y + 6 });
  }
  readableView();
  window.addEventListener("resize", function () { cy.resize(); });
  // The label boxes in sight at the current zoom (drawn, and on screen), in page pixels: what the tests check.
  function labelBoxes() {
    var zoom = cy.zoom(), width = cy.width(), height = cy.height();
    return cy.nodes().filter(function (n) {
      return n.style("display") !== "none" && n.data("label") &&
        parseFloat(n.style("font-size")) * zoom >= MIN_FONT;
    }).map(function (n) {
      var b = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true,
                                      includeOverlays: false });
      return [n.id(), Math.round(b.x1 * 10) / 10, Math.round(b.y1 * 10) / 10, Math.round(b.x2 * 10) / 10,
              Math.round(b.y2 * 10) / 10];
    }).filter(function (b) { return b[3] > 0 && b[1] < width && b[4] > 0 && b[2] < height; });
  }
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
  document.getElementById("readable").addEventListener("click", readableView);
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
  document.body.setAttribute("data-zoom", String(Math.round(cy.zoom() * 1000) / 1000));
  document.body.setAttribute("data-label-boxes", JSON.stringify(labelBoxes()));
  window.wpgraphCy = cy;
  window.wpgraphLabelBoxes = labelBoxes;
})();
