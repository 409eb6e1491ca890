(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var nodes = data.nodes, steps = data.steps;
  var svg = document.querySelector("#canvas svg");
  var byTitle = {};
  svg.querySelectorAll("g.node").forEach(function (g) {
    var t = g.querySelector("title");
    if (t) byTitle[t.textContent] = g;
    g.removeChild(t); // no native tooltip over the panel's numbers
  });
  // the drawn items of each node, and the nodes behind each drawn item
  var items = nodes.map(function (n) {
    return [byTitle[n.el], n.op ? byTitle[n.op] : null].filter(Boolean);
  });
  var owners = new Map();
  items.forEach(function (els, i) {
    els.forEach(function (el) {
      if (!owners.has(el)) owners.set(el, []);
      owners.get(el).push(i);
    });
  });
  // the step at which each node is computed, and at which its gradient is complete
  var INF = 1e9, fwdAt = nodes.map(function () { return INF; }), gradAt = fwdAt.slice();
  steps.forEach(function (s, k) {
    if (s.phase === "forward") fwdAt[s.node] = Math.min(fwdAt[s.node], k);
    else gradAt[s.node] = Math.min(gradAt[s.node], k);
  });
  // a record's "grad ..." text reads "grad ?" until the backward pass has completed it
  var gradTexts = new Map();
  owners.forEach(function (idx, el) {
    var found = [];
    el.querySelectorAll("text").forEach(function (t) {
      if (/^grad /.test(t.textContent)) found.push([t, t.textContent]);
    });
    if (found.length) gradTexts.set(el, found);
  });
  // each drawn item changes look only at the steps where one of its nodes is computed or
  // completes its gradient: index the items by those steps, so a step touches only them
  var elFwd = new Map(), elGrad = new Map(), changesAt = steps.map(function () { return []; });
  owners.forEach(function (idx, el) {
    var f = INF, g = INF;
    idx.forEach(function (i) { f = Math.min(f, fwdAt[i]); g = Math.min(g, gradAt[i]); });
    elFwd.set(el, f); elGrad.set(el, g);
    if (f < INF) changesAt[f].push(el);
    if (g < INF && g !== f) changesAt[g].push(el);
  });
  function look(el, k) {  // k = 0, before the first step, shows the finished graph
    el.classList.toggle("future", k > 0 && k <= elFwd.get(el));
    var complete = k > 0 && k > elGrad.get(el);
    el.classList.toggle("hasgrad", complete);
    var texts = gradTexts.get(el);
    if (texts && elGrad.get(el) < INF) {  // (a node that gets no gradient keeps "grad None")
      texts.forEach(function (p) { p[0].textContent = complete || k === 0 ? p[1] : "grad ?"; });
    }
  }

  var slider = document.getElementById("slider");
  var where = document.getElementById("where"), stepBox = document.getElementById("step");
  var info = document.getElementById("info");
  slider.max = String(steps.length);
  var done = 0, shown = null, pinned = null, marked = [];

  function showInfo(i) {
    info.innerHTML = nodes[i].info;
    info.dataset.node = String(i);
  }
  function showOwners(el) {
    var idx = owners.get(el) || [];
    if (idx.length === 1) { showInfo(idx[0]); return; }
    var cur = done > 0 ? steps[done - 1].node : -1;
    var pick = idx.indexOf(cur) >= 0 ? cur : idx[idx.length - 1];
    showInfo(pick);
    info.insertAdjacentHTML("beforeend", '<p class="more">This box holds ' + idx.length +
      " values; shown: " + nodes[pick].name + " (the current step's node, or the last).</p>");
  }

  function render() {
    marked.forEach(function (el) { el.classList.remove("current", "related"); });
    marked = [];
    if (shown === null || (shown === 0) !== (done === 0)) {
      owners.forEach(function (idx, el) { look(el, done); });
    } else {
      for (var k = Math.min(shown, done); k <= Math.max(shown, done); k++) {
        if (k < steps.length) changesAt[k].forEach(function (el) { look(el, done); });
      }
    }
    shown = done;
    slider.value = String(done);
    if (done === 0) {
      where.innerHTML = "Before the first step: " + steps.length +
        " steps (forward, then backward). Press <b>step forward</b> or use the slider.";
      stepBox.innerHTML = '<p class="legend">While stepping: <b style="color:#e0005a">red</b> is ' +
        'the step\'s node; <b style="color:#1f6fd1">blue</b> its inputs (forward) or the nodes it ' +
        'sends gradient to (backward); <b style="color:#087a2a">green</b> has its full gradient; ' +
        'faded is not computed yet. Keys: \u2190 \u2192.</p>';
      stepBox.dataset.node = "";
      stepBox.dataset.phase = "";
      document.getElementById("graph").scrollTo(0, 0);
      return;
    }
    var s = steps[done - 1];
    var label = s.phase === "forward" ? "forward pass" : s.phase === "backward" ? "backward pass" : "gradient complete";
    where.innerHTML = 'step <b id="stepno">' + done + "</b> of " + steps.length + ': <span class="phase-' + s.phase + '">' + label + "</span>";
    stepBox.innerHTML = s.html;
    stepBox.dataset.node = String(s.node);
    stepBox.dataset.phase = s.phase;
    s.rel.forEach(function (i) { items[i].forEach(function (el) { el.classList.add("related"); marked.push(el); }); });
    items[s.node].forEach(function (el) { el.classList.remove("related"); el.classList.add("current"); marked.push(el); });
    if (pinned === null) showInfo(s.node);
    var el = items[s.node][0];
    if (el) el.scrollIntoView({ block: "center", inline: "center" });
  }
  function go(k) { done = Math.max(0, Math.min(steps.length, k)); render(); }

  document.getElementById("first").onclick = function () { go(0); };
  document.getElementById("back").onclick = function () { go(done - 1); };
  document.getElementById("fwd").onclick = function () { go(done + 1); };
  document.getElementById("last").onclick = function () { go(steps.length); };
  slider.oninput = function () { go(parseInt(slider.value, 10)); };
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") go(done + 1);
    else if (e.key === "ArrowLeft") go(done - 1);
  });

  owners.forEach(function (idx, el) {
    el.addEventListener("mouseenter", function () { if (pinned === null) showOwners(el); });
    el.addEventListener("click", function () {
      if (pinned) pinned.classList.remove("pinned");
      if (pinned === el) { pinned = null; return; }
      pinned = el; el.classList.add("pinned"); showOwners(el);
    });
  });

  // zoom: scale the SVG's size from its own viewBox
  var vb = svg.viewBox.baseVal, scale = 1;
  function zoom(f) {
    scale = Math.max(0.1, Math.min(4, f));
    svg.setAttribute("width", (vb.width * scale * 4 / 3).toFixed(0) + "px");
    svg.setAttribute("height", (vb.height * scale * 4 / 3).toFixed(0) + "px");
  }
  document.getElementById("zoomin").onclick = function () { zoom(scale * 1.25); };
  document.getElementById("zoomout").onclick = function () { zoom(scale / 1.25); };
  var room = document.getElementById("graph").clientWidth - 20;
  zoom(Math.max(0.8, Math.min(1.5, room / (vb.width * 4 / 3))));
  window.explorer = { go: go, steps: steps.length, nodes: nodes.length };
  render();
})();
