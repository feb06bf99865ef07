// The plan as an interactive Gantt chart in SVG: per learner, or per organisation and
// department (learners stacked in lanes). Filter, zoom, hover for details. Every name is
// set with textContent/setAttribute, never parsed as HTML.
(function () {
  "use strict";
  const host = document.getElementById("gantt");
  if (!host) return;
  const T = JSON.parse(host.dataset.text);
  const NS = "http://www.w3.org/2000/svg";
  const LABEL = 230, ROW = 16, BAR = 12, HEAD = 30;
  const tip = document.getElementById("tip");
  const state = { data: null, mode: "learner", filter: "", zoom: 30 };

  function hue(text) {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 360;
    return h;
  }

  function prepare(d) {
    d.colour = {};
    Object.keys(d.orgs).forEach((o) => { d.colour[o] = "hsl(" + hue(o) + ",55%,62%)"; });
    d.learners.forEach((l) => {
      const places = l.segs.filter((s) => s[2] >= 0)
        .map((s) => d.depts[s[2]][0] + " " + d.depts[s[2]][1]);
      l.search = [l.id, l.name, l.home, l.programme].concat(places).join(" ").toLowerCase();
    });
    return d;
  }

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function visible() {
    const f = state.filter.trim().toLowerCase();
    return state.data.learners.map((l, i) => i)
      .filter((i) => !f || state.data.learners[i].search.includes(f));
  }

  function learnerRows(shown) {
    const d = state.data;
    return shown.map((i) => {
      const l = d.learners[i];
      return { label: l.id + (l.name ? " " + l.name : ""), lanes: 1,
               bars: l.segs.map((s, k) => ({ l: i, s: k, lane: 0 })) };
    });
  }

  function departmentRows(shown) {
    const d = state.data;
    const byDept = d.depts.map(() => []);
    shown.forEach((i) => d.learners[i].segs.forEach((s, k) => {
      if (s[2] >= 0) byDept[s[2]].push({ l: i, s: k });
    }));
    const rows = [];
    const orgs = Object.keys(d.orgs).sort();
    orgs.forEach((org) => {
      const depts = d.depts.map((x, j) => j).filter((j) => d.depts[j][1] === org
        && (byDept[j].length || !state.filter));
      if (!depts.length) return;
      rows.push({ label: org + " " + d.orgs[org].name, lanes: 1, bars: [], org: true });
      depts.forEach((j) => {
        const ends = [];
        const bars = byDept[j].sort((a, b) => seg(a)[0] - seg(b)[0]).map((b) => {
          const s = seg(b);
          let lane = ends.findIndex((e) => e <= s[0]);
          if (lane < 0) { lane = ends.length; ends.push(0); }
          ends[lane] = s[0] + s[1];
          return { l: b.l, s: b.s, lane: lane };
        });
        rows.push({ label: "  " + d.depts[j][0], lanes: Math.max(1, ends.length), bars: bars });
      });
    });
    return rows;
  }

  function seg(bar) { return state.data.learners[bar.l].segs[bar.s]; }

  // Only the rows in view (and a screen above and below) are in the SVG: a 2,000-learner
  // region draws as fast as a small one; scrolling draws the rows coming into view.
  function draw() {
    const d = state.data, z = state.zoom;
    const shown = visible();
    const rows = state.mode === "learner" ? learnerRows(shown) : departmentRows(shown);
    let y = HEAD;
    rows.forEach((r) => { r.y = y; y += r.lanes * ROW; });
    state.rows = rows;
    state.height = y + 4;
    state.width = LABEL + d.months.length * z + 4;
    const svg = el("svg", { width: state.width, height: state.height, id: "gantt-svg" });
    const step = Math.ceil(36 / z);
    d.months.forEach((m, i) => {
      const x = LABEL + i * z;
      if (m.endsWith("-01")) svg.appendChild(el("line", { x1: x, x2: x, y1: 0, y2: state.height, stroke: "#9aa5b4" }));
      if (i % step === 0) svg.appendChild(el("text", { x: x + 2, y: HEAD - 8, class: "month" }, m.slice(2)));
    });
    state.layer = el("g", {});
    svg.appendChild(state.layer);
    host.replaceChildren(svg);
    state.painted = [-1, -1];
    paint();
    document.getElementById("gantt-count").textContent =
      T.shown.replace("{n}", shown.length).replace("{total}", d.learners.length);
  }

  function firstRowAt(y) {  // binary search over the rows' tops
    let lo = 0, hi = state.rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (state.rows[mid].y <= y) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function paint() {
    if (!state.rows.length) { state.layer.replaceChildren(); return; }
    const view = host.clientHeight || 800;
    const from = firstRowAt(Math.max(0, host.scrollTop - view));
    const to = firstRowAt(host.scrollTop + 2 * view) + 1;
    if (from === state.painted[0] && to === state.painted[1]) return;
    state.painted = [from, to];
    const d = state.data, z = state.zoom;
    const frag = document.createDocumentFragment();
    state.rows.slice(from, to).forEach((r) => {
      const y = r.y;
      frag.appendChild(el("text", { x: 4, y: y + 12, class: r.org ? "org" : "" }, r.label.slice(0, 34)));
      r.bars.forEach((b) => {
        const s = seg(b);
        const dept = s[2] >= 0 ? d.depts[s[2]] : null;
        const fill = !dept ? "#c9ced6" : s[5] === "unavailable" ? "#eceff3" : d.colour[dept[1]];
        frag.appendChild(el("rect", { x: LABEL + s[0] * z + 1, y: y + b.lane * ROW + 2,
          width: Math.max(1, s[1] * z - 2), height: BAR, fill: fill, class: "bar",
          "data-l": b.l, "data-s": b.s }));
        if (s[1] * z > 40) {
          const name = state.mode === "learner" ? (dept ? dept[0] : T.unplaced) : d.learners[b.l].id;
          frag.appendChild(el("text", { x: LABEL + s[0] * z + 4, y: y + b.lane * ROW + 12,
            "pointer-events": "none" }, name.slice(0, Math.floor(s[1] * z / 7))));
        }
      });
      const bottom = y + r.lanes * ROW;
      frag.appendChild(el("line", { x1: 0, x2: state.width, y1: bottom, y2: bottom, stroke: "#eef0f3" }));
    });
    state.layer.replaceChildren(frag);
  }

  let frame = 0;
  host.addEventListener("scroll", () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; if (state.data) paint(); });
  });

  function describe(l, s) {
    const d = state.data;
    const lines = [l.id + (l.name ? " – " + l.name : "") + " (" + l.programme + ")"];
    lines.push(d.months[s[0]] + " – " + d.months[s[0] + s[1] - 1] + ", " + T.placement.toLowerCase() + " " + s[4]);
    if (s[2] < 0) {
      lines.push(T.unplaced + (l.reason ? ": " + l.reason : ""));
      return lines.join("\n");
    }
    const dept = d.depts[s[2]];
    lines.push(T.department + ": " + dept[0] + " (" + dept[1] + ", " + dept[2] + ")");
    if (s[5] === "unavailable") lines.push(T.unavailable);
    else lines.push(T.buddy + ": " + (s[3] || "–"));
    let rank = l.prefs.indexOf(dept[0]);
    if (rank < 0) rank = l.prefs.indexOf(dept[1]);
    lines.push(rank >= 0 ? T.pref_rank.replace("{k}", rank + 1) : T.pref_none);
    const cap = d.capacity[s[2]][s[0]];
    lines.push(T.capacity_short + " " + d.months[s[0]] + ": " + cap);
    return lines.join("\n");
  }

  host.addEventListener("mousemove", (e) => {
    const t = e.target;
    if (!t.dataset || t.dataset.l === undefined) { tip.hidden = true; return; }
    const l = state.data.learners[+t.dataset.l];
    tip.textContent = describe(l, l.segs[+t.dataset.s]);
    tip.style.left = (e.clientX + 14) + "px";
    tip.style.top = (e.clientY + 14) + "px";
    tip.hidden = false;
  });
  host.addEventListener("mouseleave", () => { tip.hidden = true; });

  let pending = 0;
  function later() { clearTimeout(pending); pending = setTimeout(draw, 120); }
  document.getElementById("gantt-filter").addEventListener("input", (e) => { state.filter = e.target.value; later(); });
  document.getElementById("gantt-zoom").addEventListener("input", (e) => { state.zoom = +e.target.value; later(); });
  document.querySelectorAll("input[name=gmode]").forEach((r) => r.addEventListener("change", (e) => {
    state.mode = e.target.value; draw();
  }));

  fetch(host.dataset.url, { cache: "no-store" }).then((r) => r.json()).then((d) => {
    state.data = prepare(d);
    draw();
    window.ganttDrawnAt = performance.now();  // read by the browser tests (open time)
    host.dataset.ready = "yes";
  });
})();
