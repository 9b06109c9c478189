// The money-flow graph: accounts in columns by hop, traced transfers as arrows.
// Wheel zooms, drag pans, hover shows amounts and orders. No library, works offline.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!box || !source) return;
  var data = JSON.parse(source.textContent);
  // the page's words for the hover text (its language), keyed as the console's vocabulary
  var wordsEl = document.getElementById("graph-words");
  var words = wordsEl ? JSON.parse(wordsEl.textContent) : {};
  function w(key, fallback) { return Object.prototype.hasOwnProperty.call(words, key) ? words[key] : fallback; }
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = { victim: "#12b76a", frozen: "#d92d20", exit: "#f79009", hub: "#7a5af8",
    established: "#7a5af8", returned: "#12b76a", account: "#98a2b3" };
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }
  // layout: one column per hop, nodes spread down each column
  var columns = {};
  data.nodes.forEach(function (n) { (columns[n.hop] = columns[n.hop] || []).push(n); });
  // columns wide enough for a card number under each node; rows for two lines of label
  var pos = {}, colW = 230, rowH = 76, maxRows = 1, R = 12;
  Object.keys(columns).forEach(function (hop) { maxRows = Math.max(maxRows, columns[hop].length); });
  Object.keys(columns).forEach(function (hop) {
    var col = columns[hop], top = (maxRows - col.length) * rowH / 2;  // centre short columns
    col.forEach(function (n, i) { pos[n.id] = { x: 100 + hop * colW, y: 30 + top + i * rowH }; });
  });
  var svg = el("svg", { "data-nodes": data.nodes.length, "data-edges": data.edges.length }, box);
  var defs = el("defs", {}, svg);
  // arrowheads of one size, whatever the stroke width (which shows the amount)
  var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 10, markerHeight: 10, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#98a2b3" }, marker);
  var view = el("g", {}, svg);
  var tip = document.createElement("div");
  tip.className = "tip";
  box.appendChild(tip);
  function hover(target, text) {
    target.addEventListener("mousemove", function (ev) {
      var r = box.getBoundingClientRect();
      tip.textContent = text;
      tip.style.display = "block";
      tip.style.left = (ev.clientX - r.left + 12) + "px";
      tip.style.top = (ev.clientY - r.top + 12) + "px";
    });
    target.addEventListener("mouseleave", function () { tip.style.display = "none"; });
  }
  var maxAmount = Math.max.apply(null, data.edges.map(function (e) { return parseFloat(e.amount); }).concat([1]));
  data.edges.forEach(function (e) {
    var a = pos[e.source], b = pos[e.target];
    if (!a || !b) return;
    var width = 1 + 5 * parseFloat(e.amount) / maxAmount;
    var x0 = a.x + R, x1 = b.x - R - 2, mid = (x0 + x1) / 2;  // from rim to rim
    var path = el("path", { d: "M" + x0 + "," + a.y + " C" + mid + "," + a.y + " " + mid + "," + b.y + " " + x1 + "," + b.y,
      fill: "none", stroke: "#98a2b3", "stroke-width": width, "marker-end": "url(#arrow)", class: "edge" }, view);
    var channel = e.channel || "transfer";
    hover(path, "¥" + e.amount + " (" + w("channel_" + channel, channel) + ")\n" + e.txns.slice(0, 4).join(", ") + (e.txns.length > 4 ? " …" : ""));
  });
  data.nodes.forEach(function (n) {
    var p = pos[n.id];
    var g = el("g", { class: "node role-" + n.role, "data-role": n.role, transform: "translate(" + p.x + "," + p.y + ")" }, view);
    // the whole node, label included, answers the pointer
    el("rect", { x: -80, y: -R - 2, width: 160, height: 2 * R + 34, fill: "transparent" }, g);
    el("circle", { r: n.order ? R : R - 3, fill: COLORS[n.role] || COLORS.account,
      stroke: n.order ? "#7a271a" : "#fff", "stroke-width": n.order ? 3 : 1.5 }, g);
    var label = el("text", { x: 0, y: R + 14, "text-anchor": "middle" }, g);
    label.textContent = n.label;
    if (n.order) {
      var amount = el("text", { x: 0, y: R + 28, "text-anchor": "middle", class: "order" }, g);
      amount.textContent = "■ ¥" + n.order.amount;
    }
    var text = n.label + "\n" + w("hop", "hop") + " " + n.hop + " · " + w("node_" + n.role, n.role);
    if (n.order) text += "\n" + w("kind_" + n.order.kind, n.order.kind) + " " + n.order.order_id +
      "\n¥" + n.order.amount + " · " + w("status_" + n.order.status, n.order.status);
    hover(g, text);
  });
  // zoom and pan
  var scale = 1, tx = 0, ty = 0, drag = null;
  function apply() { view.setAttribute("transform", "translate(" + tx + "," + ty + ") scale(" + scale + ")"); }
  var width = box.clientWidth || 800, height = box.clientHeight || 560;
  var needW = Object.keys(columns).length * colW, needH = 20 + maxRows * rowH;
  // fit the whole flow in view, centred; small flows grow up to 1.5x
  scale = Math.min(1.5, width / needW, height / needH);
  tx = (width - needW * scale) / 2;
  ty = (height - needH * scale) / 2;
  apply();
  box.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = box.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    var factor = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    var next = Math.min(8, Math.max(0.1, scale * factor));
    tx = mx - (mx - tx) * next / scale;
    ty = my - (my - ty) * next / scale;
    scale = next;
    apply();
  }, { passive: false });
  box.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX - tx, y: ev.clientY - ty }; box.style.cursor = "grabbing"; });
  window.addEventListener("mouseup", function () { drag = null; box.style.cursor = "grab"; });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    tx = ev.clientX - drag.x;
    ty = ev.clientY - drag.y;
    apply();
  });
})();
