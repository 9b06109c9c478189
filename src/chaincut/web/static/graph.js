// The console's graphs, drawn by Cytoscape.js (MIT, static/vendor/cytoscape, served with the
// package: no CDN, works offline): a report's money flow (#graph, accounts laid out by hop
// from the victim) and a gang's network (#gang-graph, members by kind and role). Wheel zooms,
// drag pans, hover shows the amounts, transactions, orders, roles and evidence.
(function () {
  "use strict";
  if (typeof cytoscape !== "function") return;
  // Cytoscape would add an inline <style> for its container, which the CSP refuses; its one
  // rule (position: relative) is in style.css, and this marker tells it the sheet is there.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }
  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  // the page's words for the hover text (its language), keyed as the console's vocabulary
  var words = json("graph-words") || {};
  function w(key, fallback) { return Object.prototype.hasOwnProperty.call(words, key) ? words[key] : fallback; }
  var COLORS = { victim: "#12b76a", frozen: "#d92d20", exit: "#f79009", hub: "#7a5af8",
    established: "#7a5af8", returned: "#12b76a", account: "#98a2b3",
    financier: "#b42318", core_member: "#d92d20", operator: "#f79009", card_dealer: "#7a5af8",
    launderer: "#dd2590", mule: "#2e90fa", recruiter: "#0e9384", logistics: "#667085",
    report: "#101828", line: "#98a2b3" };
  var SHAPES = { report: "round-rectangle", account: "ellipse", person: "diamond",
    phone: "triangle", device: "hexagon", wallet: "star", id_number: "tag", line: "triangle" };
  // cytoscape's font-family accepts names in double quotes only (single quotes void the style)
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  // one tip per graph box, moved to the pointer
  function tipper(box) {
    var tip = document.createElement("div");
    tip.className = "tip";
    box.appendChild(tip);
    return {
      show: function (text, pos) {
        tip.textContent = text;
        tip.style.display = "block";
        tip.style.left = (pos.x + 12) + "px";
        tip.style.top = (pos.y + 12) + "px";
      },
      hide: function () { tip.style.display = "none"; }
    };
  }

  function draw(box, elements, layout, text) {
    var cy = cytoscape({
      container: box,
      elements: elements,
      layout: { name: "preset" },
      minZoom: 0.1,
      maxZoom: 8,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "background-color": function (n) { return COLORS[n.data("color")] || COLORS.account; },
          "shape": function (n) { return SHAPES[n.data("shape")] || "ellipse"; },
          "width": "data(size)", "height": "data(size)",
          "label": "data(label)", "text-valign": "bottom", "text-margin-y": 4,
          "text-wrap": "wrap", "font-size": 11, "font-family": FONT, "color": "#344054",
          "border-width": function (n) { return n.data("ring") ? 3 : 1.5; },
          "border-color": function (n) { return n.data("ring") ? "#7a271a" : "#fff"; } } },
        { selector: "edge", style: {
          "width": "data(width)", "line-color": "#98a2b3", "curve-style": "bezier",
          "target-arrow-color": "#98a2b3",
          "target-arrow-shape": function (e) { return e.data("arrow") ? "triangle" : "none"; },
          "arrow-scale": 0.9 } },
        { selector: ":selected", style: { "overlay-opacity": 0.15 } }
      ]
    });
    var tip = tipper(box);
    cy.on("mouseover", "node, edge", function (ev) { tip.show(text(ev.target), ev.renderedPosition); });
    cy.on("mousemove", "node, edge", function (ev) { tip.show(text(ev.target), ev.renderedPosition); });
    cy.on("mouseout", "node, edge", function () { tip.hide(); });
    cy.on("layoutstop", function () {
      cy.fit(undefined, 30);
      if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(); }  // small graphs are not blown up
      box.setAttribute("data-drawn", "true");
    });
    cy.layout(layout(cy)).run();
    box.setAttribute("data-nodes", cy.nodes().length);
    box.setAttribute("data-edges", cy.edges().length);
    box.cy = cy;  // the browser tests read the drawing through it
    return cy;
  }

  function moneyFlow(box, data) {
    var maxAmount = Math.max.apply(null, data.edges.map(function (e) { return parseFloat(e.amount); }).concat([1]));
    var known = {};
    var elements = data.nodes.map(function (n) {
      known[n.id] = true;
      var label = n.label + (n.order ? "\n■ ¥" + n.order.amount : "");
      return { group: "nodes", data: { id: n.id, label: label, role: n.role, color: n.role,
        shape: "account", size: n.order ? 24 : 18, ring: !!n.order, raw: n } };
    });
    data.edges.forEach(function (e, i) {
      if (!known[e.source] || !known[e.target]) return;
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target,
        width: 1 + 5 * parseFloat(e.amount) / maxAmount, arrow: true, raw: e } });
    });
    draw(box, elements, function (cy) {
      var roots = cy.nodes().filter(function (n) { return n.data("raw").hop === 0; });
      return { name: "breadthfirst", directed: true, spacingFactor: 1.2, avoidOverlap: true,
        nodeDimensionsIncludeLabels: true,
        roots: roots.length ? roots : undefined,
        // breadthfirst stacks the hops top to bottom; the money reads left to right
        transform: function (node, p) { return { x: p.y * 2.2, y: p.x }; } };
    }, function (el) {
      var r = el.data("raw");
      if (el.isEdge()) {
        var channel = r.channel || "transfer";
        return "¥" + r.amount + " (" + w("channel_" + channel, channel) + ")\n" +
          r.txns.slice(0, 4).join(", ") + (r.txns.length > 4 ? " …" : "");
      }
      var text = r.label + "\n" + w("hop", "hop") + " " + r.hop + " · " + w("node_" + r.role, r.role);
      if (r.order) text += "\n" + w("kind_" + r.order.kind, r.order.kind) + " " + r.order.order_id +
        "\n¥" + r.order.amount + " · " + w("status_" + r.order.status, r.order.status);
      return text;
    });
  }

  function gangNetwork(box, data) {
    var count = Math.max(data.nodes.length, 1);
    var elements = data.nodes.map(function (n, i) {
      var label = n.label + (n.role ? "\n" + w("role_" + n.role, n.role) : "");
      // cose starts from these places (randomize: false): the same gang draws the same way
      var angle = 2 * Math.PI * i / count;
      return { group: "nodes", position: { x: 300 * Math.cos(angle), y: 300 * Math.sin(angle) },
        data: { id: n.id, label: label, color: n.role || n.kind,
        shape: n.kind, size: n.kind === "report" ? 26 : 14 + 14 * (n.confidence || 0.5),
        ring: n.role === "financier" || n.role === "core_member", raw: n } };
    });
    data.edges.forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target,
        width: 1.5, arrow: false, raw: e } });
    });
    draw(box, elements, function () {
      return { name: "cose", randomize: false, animate: false, nodeRepulsion: 9000,
        idealEdgeLength: 70, numIter: 1500 };
    }, function (el) {
      var r = el.data("raw");
      if (el.isEdge()) return w("link_" + r.why, r.why);
      var text = w("kind_" + r.kind, r.kind) + " " + r.label;
      if (r.role) text += "\n" + w("role_" + r.role, r.role) + " · " + r.confidence;
      if (r.evidence && r.evidence.length) text += "\n" + r.evidence.slice(0, 6).join("\n");
      return text;
    });
  }

  var flow = document.getElementById("graph"), flowData = json("graph-data");
  if (flow && flowData) moneyFlow(flow, flowData);
  var gang = document.getElementById("gang-graph"), gangData = json("gang-data");
  if (gang && gangData) gangNetwork(gang, gangData);
})();
