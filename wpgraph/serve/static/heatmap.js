// The coverage heatmap's tooltip: the hovered cell's council, requirement text, status, owner and due date.
// Text is set with textContent, never as HTML.
(function () {
  "use strict";
  var table = document.getElementById("heatmap");
  var tip = document.getElementById("tooltip");
  if (!table || !tip) { return; }
  var texts = JSON.parse(document.getElementById("requirement-texts").textContent);
  function show(cell, event) {
    var fields = tip.querySelectorAll("[data-field]");
    for (var i = 0; i < fields.length; i++) {
      var key = fields[i].getAttribute("data-field");
      var value = key === "text" ? texts[cell.getAttribute("data-ref")] : cell.getAttribute("data-" + key);
      fields[i].textContent = value || "—";
    }
    tip.hidden = false;
    var x = Math.min(event.pageX + 14, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(window.scrollX + 4, x) + "px";
    tip.style.top = (event.pageY + 14) + "px";
  }
  table.addEventListener("mouseover", function (event) {
    var cell = event.target.closest("td.cell");
    if (cell) { show(cell, event); }
  });
  table.addEventListener("mouseleave", function () { tip.hidden = true; });
}());
