/* The book's page script (loaded in <head> right after the vendored vega-embed; see
 * _ext/vega_offline.py). Two jobs:
 *
 * 1. Charts fit the column. Altair's output calls the global `vegaEmbed(el, spec, opt)`
 *    while the page is parsed. We wrap that function: when a Vega-Lite chart drawn at its
 *    design size would be wider than its box (a phone, a narrow window), the spec is adapted
 *    before it is drawn, instead of shrinking the picture (which made 11 px text 5 px high):
 *      - the title, subtitle and footer (source, note) are re-wrapped to the box's width,
 *        from the unwrapped text charts.figure() keeps in usermeta.migration_recomputed;
 *      - a single or layered view gets a narrower plot; legends that are still too wide
 *        are laid out in one column, one legend below the other;
 *      - a facet grid gets fewer columns (cells between 120 px and 1.5x their design width,
 *        proportionally shorter), down to one.
 *    Charts are drawn once the page is parsed, all widths read at once. In a box at least
 *    DRAW_FIRST_FROM px wide a chart is drawn as designed and kept if it fits (one compile);
 *    otherwise candidate specs are laid out headless (vega View, renderer "none") and measured,
 *    and only the final one is shown. Text keeps its design size (>= 11 px, charts.MIN_FONT_SIZE).
 *    The chart is fitted again when its box changes width (rotation, window resize).
 *    Anything unexpected falls back to the original spec; CSS then scales it down keeping
 *    its aspect ratio (book.css).
 * 2. Boxes that scroll sideways (wide tables) get tabindex=0, role=region and a name, so a
 *    keyboard user can scroll them (pydata-sphinx-theme does this for cell outputs only).
 */
(function () {
  "use strict";

  const original = window.vegaEmbed;
  const META = "migration_recomputed";
  const MIN_CELL = 120; // narrowest facet cell, px
  const MAX_CELL_GROWTH = 1.5;
  const MAX_STEPS = 8;

  const clone = (value) => JSON.parse(JSON.stringify(value));
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

  /* ---------- text ---------- */
  let canvasContext = null;
  function textWidth(text, font) {
    canvasContext = canvasContext || document.createElement("canvas").getContext("2d");
    canvasContext.font = font;
    return canvasContext.measureText(text).width;
  }

  function wrap(paragraphs, font, maxWidth) {
    const lines = [];
    for (const paragraph of paragraphs) {
      let current = "";
      for (const word of String(paragraph).split(/\s+/).filter(Boolean)) {
        const candidate = current ? current + " " + word : word;
        if (current && textWidth(candidate, font) > maxWidth) {
          lines.push(current);
          current = word;
        } else {
          current = candidate;
        }
      }
      if (current) lines.push(current);
    }
    return lines;
  }

  const asParagraphs = (text) => (text === undefined || text === null ? [] : [[].concat(text).join(" ")]);

  function fontOf(spec, size, weight) {
    const family = (spec.config && spec.config.font) || "sans-serif";
    return `${weight || "normal"} ${size}px ${family}`;
  }

  /* Re-wrap the figure's title, subtitle and bottom footer to `maxWidth` px. */
  function rewrapTexts(spec, chart, maxWidth) {
    const meta = (spec.usermeta && spec.usermeta[META]) || {};
    const config = (spec.config && spec.config.title) || {};
    const title = spec.title;
    if (isObject(title)) {
      const size = title.fontSize || config.fontSize || 13;
      const weight = title.fontWeight || config.fontWeight || "bold";
      title.text = wrap(meta.title !== undefined ? [meta.title] : asParagraphs(title.text),
                        fontOf(spec, size, weight), maxWidth);
      if (title.subtitle !== undefined) {
        const subSize = title.subtitleFontSize || config.subtitleFontSize || 10;
        const subWeight = title.subtitleFontWeight || config.subtitleFontWeight || "normal";
        title.subtitle = wrap(meta.subtitle !== undefined ? [meta.subtitle] : asParagraphs(title.subtitle),
                              fontOf(spec, subSize, subWeight), maxWidth);
      }
    } else if (typeof title === "string" || Array.isArray(title)) {
      spec.title = {text: wrap(asParagraphs(title), fontOf(spec, config.fontSize || 13, "bold"), maxWidth)};
    }
    const footer = chart !== spec && chart.title;
    if (isObject(footer) && footer.orient === "bottom") {
      const size = footer.fontSize || config.fontSize || 13;
      footer.text = wrap(Array.isArray(meta.footer) ? meta.footer : asParagraphs(footer.text),
                         fontOf(spec, size, footer.fontWeight || config.fontWeight || "bold"), maxWidth);
    }
  }

  /* ---------- layout ---------- */
  /* Lay `spec` out headless. total: the drawing's width (what the SVG would be);
     plot: the width of the wrapped chart's axes, marks and legends in it, without its titles
     (null if the spec is not a figure-like vconcat); label: the widest legend label;
     text: the widest title, subtitle or footer block. */
  async function measure(spec) {
    const compiled = window.vegaLite.compile(spec).spec;
    const view = new window.vega.View(window.vega.parse(compiled), {renderer: "none"});
    try {
      await view.runAsync();
      const svg = await view.toSVG();
      const match = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
      const root = view.scenegraph().root;
      return {total: match ? parseFloat(match[1]) : Infinity, plot: plotExtent(root),
              label: widestItem(root, ["legend-label"]), text: widestItem(root, ["title-text", "title-subtitle"])};
    } finally {
      view.finalize();
    }
  }

  function plotExtent(root) {
    let group = null;
    const visit = (mark) => {
      if (group || !mark) return;
      if (mark.name === "concat_0_group") { group = mark.items && mark.items[0]; return; }
      for (const item of mark.items || []) for (const child of item.items || []) visit(child);
    };
    visit(root);
    if (!group) return null;
    let x1 = Infinity, x2 = -Infinity;
    for (const mark of group.items || []) {
      if (mark.role === "title" || !mark.bounds || mark.bounds.empty()) continue;
      x1 = Math.min(x1, mark.bounds.x1);
      x2 = Math.max(x2, mark.bounds.x2);
    }
    return x2 > x1 ? x2 - x1 : null;
  }

  function widestItem(mark, roles) {
    let widest = 0;
    for (const item of (mark && mark.items) || []) {
      if (roles.includes(mark.role) && item.bounds) widest = Math.max(widest, item.bounds.width());
      for (const child of item.items || []) widest = Math.max(widest, widestItem(child, roles));
    }
    return widest;
  }

  /* The chart a figure wraps: figure() puts it alone in a vconcat that carries the titles. */
  function innerChart(spec) {
    return Array.isArray(spec.vconcat) && spec.vconcat.length === 1 ? spec.vconcat[0] : spec;
  }

  function viewSize(spec, chart, key) {
    const view = (spec.config && spec.config.view) || {};
    const fallback = key === "width" ? view.continuousWidth || 300 : view.continuousHeight || 300;
    return typeof chart[key] === "number" ? chart[key] : fallback;
  }

  /* A single or layered view: the widest plot (at most its design width) that fits. The plot's
     extent (axes included) grows one for one with its width, so each step lands close. */
  async function fitView(base, W, inner) {
    const p0 = viewSize(base, innerChart(base), "width");
    const minP = Math.min(p0, MIN_CELL);
    let p = p0, oneColumnLegend = false, best = null, spec = base;
    let labelLimit = Math.max(60, inner - 20);
    for (let step = 0; step < MAX_STEPS; step++) {
      spec = clone(base);
      innerChart(spec).width = p;
      if (oneColumnLegend) {
        spec.config = spec.config || {};
        const legend = spec.config.legend = Object.assign({}, spec.config.legend);
        legend.columns = 1;
        legend.labelLimit = Math.min(legend.labelLimit || 160, labelLimit);
        // several legends (say colour and shape) above the plot: one below the other
        const stacked = {direction: "vertical", anchor: "start"};
        legend.layout = Object.assign({}, legend.layout, {top: stacked, bottom: stacked});
      }
      const size = await measure(spec);
      const plot = size.plot === null ? size.total : size.plot;
      const slack = Math.floor(inner - plot);
      if (size.total <= W + 0.5) {
        best = spec;
        const grown = Math.min(p0, p + slack);
        if (slack < 2 || grown <= p) return spec;
        p = grown;
      } else if (plot > inner + 0.5 && p > minP) {
        p = Math.max(minP, p + slack); // slack < 0: shrink
      } else if (!oneColumnLegend) {
        oneColumnLegend = true; // the plot fits, something beside it (legends) does not
      } else if (labelLimit > 80) {
        // still too wide: the legend starts at the plot's left edge, after the axis labels;
        // shorten its longest labels (Vega ends them with an ellipsis)
        labelLimit = Math.max(80, Math.min(labelLimit, Math.floor(size.label)) - Math.ceil(size.total - W));
      } else {
        break;
      }
    }
    return best || spec;
  }

  async function fitFacet(base, W) {
    const chart = innerChart(base);
    const c0 = viewSize(base, chart.spec, "width");
    const h0 = viewSize(base, chart.spec, "height");
    const k0 = typeof chart.columns === "number" ? chart.columns : 1;
    const build = (k, c) => {
      const spec = clone(base);
      const facet = innerChart(spec);
      facet.columns = k;
      facet.spec.width = c;
      facet.spec.height = Math.round(h0 * Math.max(0.8, Math.min(1, c / c0)));
      return spec;
    };
    let last = null;
    for (let k = k0; k >= 1; k--) {
      const overhead = (await measure(build(k, c0))).total - k * c0;
      let c = Math.min(Math.floor((W - overhead) / k), Math.round(c0 * MAX_CELL_GROWTH));
      if (c < Math.min(c0, MIN_CELL) && k > 1) continue;
      c = Math.max(c, 40);
      for (let step = 0; step < 3; step++) {
        last = build(k, c);
        const T = (await measure(last)).total;
        if (T <= W + 0.5) return last;
        c = Math.max(40, c - Math.ceil((T - W) / k));
      }
      return last;
    }
    return last || base;
  }

  /* The spec to draw in a box `W` px wide, or null when the original fits as it is.
     `drawnWidth`: the original's width when already known (it was drawn), else it is measured. */
  async function fitSpec(spec, W, drawnWidth) {
    const natural = typeof drawnWidth === "number" ? drawnWidth : (await measure(spec)).total;
    if (natural <= W + 0.5) return null;
    const base = clone(spec);
    const chart = innerChart(base);
    const padding = typeof base.padding === "number" ? base.padding : 5;
    const inner = Math.max(80, W - 2 * padding - 2); // room for text and plot inside Vega's padding
    // Wrap with the sizes the spec states; if Vega draws a block wider (sizes left to Vega's
    // defaults), wrap again narrower in proportion.
    let wrapWidth = inner;
    for (let step = 0; step < 3; step++) {
      rewrapTexts(base, chart, wrapWidth);
      const widest = (await measure(base)).text;
      if (widest <= inner + 0.5) break;
      wrapWidth = Math.max(40, Math.floor(wrapWidth * inner / widest) - 1);
    }
    if (chart.facet && isObject(chart.spec)) return fitFacet(base, W);
    if (chart.mark || Array.isArray(chart.layer)) return fitView(base, W, inner);
    return base; // other compositions: wrapped text only, CSS scales the rest
  }

  /* ---------- embedding ---------- */
  const states = new WeakMap();
  // From this box width up (a desktop or tablet column), most charts fit as designed: each is
  // drawn first and measured as drawn, so it is compiled once. In a narrower box nearly every
  // chart needs fitting: candidates are measured headless and only the final one is drawn.
  const DRAW_FIRST_FROM = 500;

  function available(el) {
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft || 0) - parseFloat(style.paddingRight || 0);
  }

  /* The width of the drawing vega-embed put in `el` (the SVG's or canvas's CSS width), or null. */
  function drawnWidth(el) {
    const marks = el.querySelector("svg.marks, canvas.marks");
    if (!marks) return null;
    const width = parseFloat(marks.style.width || marks.getAttribute("width"));
    return Number.isFinite(width) ? width : null;
  }

  async function embed(el, state, spec) {
    if (state.result) { state.result.finalize(); el.replaceChildren(); }
    state.result = await original(el, spec, state.opt);
    nameRadioGroups(el);
    return state.result;
  }

  /* Draw the chart for a box `W` px wide (measured by the caller, for every chart at once). */
  async function draw(el, state, W) {
    const ticket = ++state.ticket;
    state.width = W;
    if (!(W > 0)) {
      await embed(el, state, state.spec);
      el.dataset.chartFit = "unmeasured";
      return state.result;
    }
    let spec = state.spec, fitted = false, natural;
    if (W >= DRAW_FIRST_FROM && !state.result) {
      el.style.visibility = "hidden"; // a chart that does not fit is never seen at its design size
      try {
        await embed(el, state, spec);
        natural = drawnWidth(el);
      } finally {
        el.style.visibility = "";
      }
      if (ticket !== state.ticket) return state.pending; // a newer draw took over
      if (natural === null || natural <= W + 0.5) {
        el.dataset.chartFit = "natural";
        return state.result;
      }
      el.style.visibility = "hidden";
    }
    try {
      const adapted = await fitSpec(state.spec, Math.floor(W), natural);
      if (adapted) { spec = adapted; fitted = true; }
    } catch (error) {
      spec = state.spec; // draw the chart as designed; CSS scales it down
    }
    if (ticket !== state.ticket) return state.pending;
    try {
      await embed(el, state, spec);
    } finally {
      el.style.visibility = "";
    }
    el.dataset.chartFit = fitted ? "fitted" : "natural"; // set once the final drawing is in place
    return state.result;
  }

  // Vega draws a reader control's buttons as loose radio inputs after the control's name: a screen
  // reader announces each option but not what they choose. Make them a named radio group.
  function nameRadioGroups(el) {
    el.querySelectorAll(".vega-bind").forEach((bind, index) => {
      const group = bind.querySelector(".vega-bind-radio"), name = bind.querySelector(".vega-bind-name");
      if (!group || !name) return;
      name.id = name.id || `control-${el.id}-${index}`;  // not "altair-viz-...": that names a chart
      group.setAttribute("role", "radiogroup");
      group.setAttribute("aria-labelledby", name.id);
    });
  }

  const observer = "ResizeObserver" in window ? new ResizeObserver((entries) => {
    for (const entry of entries) {
      const el = entry.target, state = states.get(el);
      if (!state || !state.result) continue;
      const W = available(el);
      if (W > 0 && Math.abs(W - (state.width || 0)) > 4) {
        clearTimeout(state.timer);
        state.timer = setTimeout(() => { state.pending = draw(el, state, W); }, 150);
      }
    }
  }) : null;

  // Altair's inline script calls vegaEmbed while the page is still being parsed. Reading a box's
  // width then makes the browser lay out the page so far, once per chart (100 ms for chapter 3's
  // 13 charts), and each drawing interrupts the parser. So charts are queued until the page is
  // parsed, their widths read together (one layout), and drawn one after another.
  const queued = [];

  function drawQueued() {
    const jobs = queued.splice(0).map((job) => Object.assign(job, {W: available(job.el)}));
    let chain = Promise.resolve();
    for (const job of jobs) {
      chain = chain.then(() => {
        job.state.pending = draw(job.el, job.state, job.W);
        return job.state.pending.then(job.resolve, job.reject);
      });
    }
  }

  function fittedEmbed(el, spec, opt) {
    const target = typeof el === "string" ? document.querySelector(el) : el;
    const mode = (opt && opt.mode) || "vega-lite";
    if (!target || !isObject(spec) || mode !== "vega-lite" || !window.vega || !window.vegaLite) {
      return original(el, spec, opt);
    }
    const state = {spec: clone(spec), opt: opt, ticket: 0, width: null, result: null, timer: null, pending: null};
    states.set(target, state);
    if (observer) observer.observe(target);
    if (document.readyState === "loading") {
      return new Promise((resolve, reject) => {
        queued.push({el: target, state, resolve, reject});
        if (queued.length === 1) document.addEventListener("DOMContentLoaded", drawQueued, {once: true});
      });
    }
    state.pending = draw(target, state, available(target));
    return state.pending;
  }

  if (typeof original === "function") {
    Object.assign(fittedEmbed, original); // keep vegaEmbed.vega, .version, .embed, ...
    window.vegaEmbed = fittedEmbed;
  }
  // For the browser tests (tests/test_screens.py) and for debugging in the console.
  window.bookCharts = {fitSpec: fitSpec, measure: measure};

  /* ---------- scrolling boxes ---------- */
  const SCROLL_BOXES = ".bd-content .output, .bd-content .sd-card-body, .bd-content .pst-scrollable-table-container";

  function markScrollBoxes() {
    for (const box of document.querySelectorAll(SCROLL_BOXES)) {
      if (box.querySelector("[id^='altair-viz-']")) continue;
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("data-scroll-box")) {
        const caption = box.querySelector("caption");
        box.setAttribute("data-scroll-box", "");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " " : "") + "(scrolls sideways)");
      } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
        box.removeAttribute("data-scroll-box");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("tabindex");
      }
    }
  }

  let scrollTimer = null;
  const markSoon = () => { clearTimeout(scrollTimer); scrollTimer = setTimeout(markScrollBoxes, 200); };
  window.addEventListener("resize", markSoon);
  document.addEventListener("toggle", markSoon, true); // a dropdown opened
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollBoxes);
  } else {
    markScrollBoxes();
  }
  window.addEventListener("load", markScrollBoxes);
})();
