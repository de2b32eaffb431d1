/* map.js - the map of a level with many areas (thousands of communes) on a canvas: the
 * simplified shared-arc geometry of /api/map/topo for the zoom in view, the values alone from
 * /api/map/values, one path per class filled at once and every border stroked once; pans with
 * the pointer or the arrow keys, zooms with the wheel or +/-, and fetches a finer zoom level when
 * the view needs it. app.js uses it for levels with BIG_MAP_AREAS areas or more. */
(function () {
  'use strict';

  const NO_DATA = '#d9d9d9';
  const BORDER = 'rgba(255,255,255,0.9)';

  /* The arcs in map units: x scaled by cos(mid latitude) (as app.js projects), y upwards; one
   * Float64Array view per arc over a single buffer. */
  function decode(topo) {
    const q = topo.quantum, tx = topo.translate[0], ty = topo.translate[1];
    const midLat = (topo.bbox[1] + topo.bbox[3]) / 2;
    const kx = Math.cos((Math.min(Math.abs(midLat), 80) * Math.PI) / 180);
    const flat = topo.arcs, sizes = topo.arc_sizes, all = new Float64Array(flat.length);
    const arcs = new Array(sizes.length);
    let at = 0;
    for (let k = 0; k < sizes.length; k++) {
      const start = at;
      let x = tx, y = ty;
      for (let i = 0; i < sizes[k]; i++, at += 2) {
        x += flat[at];
        y += flat[at + 1];
        all[at] = x * q * kx;
        all[at + 1] = -y * q;
      }
      arcs[k] = all.subarray(start, at);
    }
    return { arcs, kx };
  }

  /* Trace one ring of arc references into a path (a reversed arc, ~k, is walked backwards). */
  function traceRing(p, arcs, ring, box) {
    let first = true;
    for (const ref of ring) {
      const a = arcs[ref < 0 ? ~ref : ref], n = a.length / 2;
      for (let j = first ? 0 : 1; j < n; j++) {
        const i = ref < 0 ? n - 1 - j : j;
        const x = a[2 * i], y = a[2 * i + 1];
        if (first) { p.moveTo(x, y); first = false; } else p.lineTo(x, y);
        if (box) {
          if (x < box[0]) box[0] = x;
          if (y < box[1]) box[1] = y;
          if (x > box[2]) box[2] = x;
          if (y > box[3]) box[3] = y;
        }
      }
    }
    /* no closePath: a ring ends on its first point, fill closes subpaths itself, and Chromium's
     * closePath costs about 150 us each on a path of many subpaths (5 s for 35,000 rings) */
  }

  function CanvasMap(canvas, opts) {
    this.canvas = canvas;
    this.opts = opts; /* { url(z) -> topo URL, onHover(i, evt), onPick(i) } */
    this.geo = null;
    this.classes = null;
    this.colours = [];
    this.view = null; /* { s: px per map unit, ox, oy } */
    this.zoomLoaded = -1;
    this.loading = null;
    this.hovered = -1;
    this.timing = {};
    this.wire();
  }

  CanvasMap.prototype.load = async function (z) {
    const t0 = performance.now();
    const r = await fetch(this.opts.url(z), { credentials: 'same-origin' });
    if (!r.ok) throw new Error(String(r.status));
    const topo = await r.json();
    const t1 = performance.now();
    const d = decode(topo);
    const boxes = new Float64Array(4 * topo.shapes.length);
    const shapes = topo.shapes;
    this.timing.fetch = t1 - t0;
    this.geo = { topo, arcs: d.arcs, kx: d.kx, boxes, shapes, byClass: null, borders: null, areaPath: [] };
    this.zoomLoaded = topo.zoom;
    this.tolerances = topo.tolerances;
    this.buildPaths();
    this.timing.decode = performance.now() - t1;
    return topo;
  };

  /* One Path2D per class (and one for areas without a value), every arc once for the borders. */
  CanvasMap.prototype.buildPaths = function () {
    const g = this.geo;
    if (!g || !this.classes) return;
    const k = this.colours.length;
    const byClass = [];
    for (let c = 0; c <= k + 1; c++) byClass.push(new Path2D());
    const cls = this.classes;
    for (let i = 0; i < g.shapes.length; i++) {
      const ch = cls.charCodeAt(i) - 48;
      const p = byClass[ch >= 0 && ch < k ? ch : ch === 67 ? k + 1 : k]; /* 's' - '0' = 67: withheld */
      const box = g.boxes.subarray(4 * i, 4 * i + 4);
      box[0] = box[1] = Infinity;
      box[2] = box[3] = -Infinity;
      for (const poly of g.shapes[i]) for (const ring of poly) traceRing(p, g.arcs, ring, box);
    }
    const borders = new Path2D();
    for (const a of g.arcs) {
      borders.moveTo(a[0], a[1]);
      for (let i = 2; i < a.length; i += 2) borders.lineTo(a[i], a[i + 1]);
    }
    g.byClass = byClass;
    g.borders = borders;
    g.areaPath = [];
  };

  CanvasMap.prototype.setValues = function (classes, colours) {
    this.classes = classes;
    this.colours = colours;
    this.buildPaths();
  };

  CanvasMap.prototype.fit = function () {
    const b = this.geo.topo.bbox, kx = this.geo.kx, w = this.canvas.clientWidth || 800;
    const x0 = b[0] * kx, x1 = b[2] * kx, y0 = -b[3], y1 = -b[1];
    const s = (w - 20) / Math.max(x1 - x0, 1e-9);
    const h = Math.min(Math.ceil((y1 - y0) * s + 20), Math.round(window.innerHeight * 0.8));
    const fs = Math.min(s, (h - 20) / Math.max(y1 - y0, 1e-9));
    this.size(w, h);
    this.view = { s: fs, ox: (w - (x1 - x0) * fs) / 2 - x0 * fs, oy: (h - (y1 - y0) * fs) / 2 - y0 * fs };
  };

  CanvasMap.prototype.size = function (w, h) {
    const r = window.devicePixelRatio || 1;
    this.canvas.style.height = h + 'px';
    this.canvas.width = Math.round(w * r);
    this.canvas.height = Math.round(h * r);
    this.ratio = r;
  };

  CanvasMap.prototype.draw = function () {
    const g = this.geo, v = this.view;
    if (!g || !g.byClass || !v) return;
    const t0 = performance.now();
    const ctx = this.canvas.getContext('2d');
    const r = this.ratio;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(v.s * r, 0, 0, v.s * r, v.ox * r, v.oy * r);
    const k = this.colours.length;
    g.byClass.forEach((p, c) => {
      ctx.fillStyle = c < k ? this.colours[c] : NO_DATA;
      ctx.fill(p, 'evenodd');
    });
    ctx.lineWidth = 0.5 / v.s;
    ctx.strokeStyle = BORDER;
    ctx.stroke(g.borders);
    if (g.byClass[k + 1]) { /* withheld: dashed outline, as the SVG map marks them */
      ctx.setLineDash([3 / v.s, 2 / v.s]);
      ctx.lineWidth = 1.2 / v.s;
      ctx.strokeStyle = '#000';
      ctx.stroke(g.byClass[k + 1]);
      ctx.setLineDash([]);
    }
    if (this.hovered >= 0) {
      ctx.lineWidth = 2 / v.s;
      ctx.strokeStyle = '#000';
      ctx.stroke(this.pathOf(this.hovered));
    }
    this.timing.draw = performance.now() - t0;
  };

  CanvasMap.prototype.pathOf = function (i) {
    const g = this.geo;
    if (!g.areaPath[i]) {
      const p = new Path2D();
      for (const poly of g.shapes[i]) for (const ring of poly) traceRing(p, g.arcs, ring, null);
      g.areaPath[i] = p;
    }
    return g.areaPath[i];
  };

  /* The area under a point of the canvas (CSS pixels), or -1: the boxes first, then the shape. */
  CanvasMap.prototype.areaAt = function (px, py) {
    const g = this.geo, v = this.view;
    if (!g || !v) return -1;
    const x = (px - v.ox) / v.s, y = (py - v.oy) / v.s;
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (let i = 0; i < g.shapes.length; i++) {
      const b = g.boxes;
      if (x < b[4 * i] || x > b[4 * i + 2] || y < b[4 * i + 1] || y > b[4 * i + 3]) continue;
      if (ctx.isPointInPath(this.pathOf(i), x, y, 'evenodd')) return i;
    }
    return -1;
  };

  /* The zoom level whose tolerance stays under a pixel at this scale. */
  CanvasMap.prototype.zoomFor = function () {
    const tol = this.tolerances || [0];
    const degPerPx = 1 / this.view.s;
    for (let z = 0; z < tol.length; z++) if (tol[z] <= degPerPx) return z;
    return tol.length - 1;
  };

  CanvasMap.prototype.zoomBy = function (f, cx, cy) {
    const v = this.view;
    v.ox = cx - (cx - v.ox) * f;
    v.oy = cy - (cy - v.oy) * f;
    v.s *= f;
    this.draw();
    this.refine();
  };

  /* A finer level when the view needs one, fetched once the zooming has paused. */
  CanvasMap.prototype.refine = function () {
    clearTimeout(this.refineTimer);
    this.refineTimer = setTimeout(async () => {
      const z = this.zoomFor();
      if (z <= this.zoomLoaded || this.loading !== null) return; /* the load under way refines again */
      this.loading = z;
      let ok = false;
      try {
        await this.load(z);
        this.draw();
        ok = true;
      } catch (e) { /* the coarser level stays on screen */ }
      this.loading = null;
      this.canvas.dataset.zoom = String(this.zoomLoaded);
      if (ok && this.zoomFor() > this.zoomLoaded) this.refine(); /* zoomed further meanwhile */
    }, 150);
  };

  CanvasMap.prototype.wire = function () {
    const c = this.canvas;
    let drag = null;
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const b = c.getBoundingClientRect();
      this.zoomBy(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - b.left, e.clientY - b.top);
    }, { passive: false });
    c.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      const b = c.getBoundingClientRect();
      if (drag) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
        this.view.ox += dx;
        this.view.oy += dy;
        drag.x = e.clientX;
        drag.y = e.clientY;
        this.draw();
        return;
      }
      const i = this.areaAt(e.clientX - b.left, e.clientY - b.top);
      if (i !== this.hovered) {
        this.hovered = i;
        this.draw();
      }
      if (this.opts.onHover) this.opts.onHover(i, e);
    });
    c.addEventListener('pointerup', (e) => {
      const b = c.getBoundingClientRect();
      const click = drag && !drag.moved;
      drag = null;
      if (click && this.opts.onPick) {
        const i = this.areaAt(e.clientX - b.left, e.clientY - b.top);
        if (i >= 0) this.opts.onPick(i);
      }
      this.refine();
    });
    c.addEventListener('pointerleave', () => {
      if (this.hovered >= 0) {
        this.hovered = -1;
        this.draw();
      }
      if (this.opts.onHover) this.opts.onHover(-1, null);
    });
    c.addEventListener('keydown', (e) => {
      const w = c.clientWidth / 2, h = c.clientHeight / 2, step = 60;
      const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[e.key]) {
        this.view.ox += moves[e.key][0];
        this.view.oy += moves[e.key][1];
        this.draw();
        this.refine();
      } else if (e.key === '+' || e.key === '=') this.zoomBy(1.5, w, h);
      else if (e.key === '-') this.zoomBy(1 / 1.5, w, h);
      else return;
      e.preventDefault();
    });
  };

  /* Show a level: geometry of the coarsest zoom and the values fetched together, then drawn.
   * Returns { codes, names, values, meta, timing } for the legend, the tooltip and the table. */
  async function show(canvas, p) {
    const t0 = performance.now();
    let m = canvas.solMap;
    const topoUrl = (z) => '/api/map/topo?level=' + encodeURIComponent(p.level) + '&z=' + z;
    if (!m || m.level !== p.level) {
      m = new CanvasMap(canvas, { url: topoUrl, onHover: p.onHover, onPick: p.onPick });
      m.level = p.level;
      canvas.solMap = m;
    }
    m.opts.onHover = p.onHover;
    m.opts.onPick = p.onPick;
    const valuesUrl = '/api/map/values?indicator=' + encodeURIComponent(p.indicator) + '&period=' +
      encodeURIComponent(p.period) + '&level=' + encodeURIComponent(p.level);
    const [vr] = await Promise.all([
      fetch(valuesUrl, { credentials: 'same-origin' }).then((r) => { m.timing.values = performance.now() - t0; return r; }),
      m.geo ? Promise.resolve() : m.load(0),
    ]);
    if (!vr.ok) {
      let msg = String(vr.status);
      try { msg = (await vr.json()).error || msg; } catch (e) { /* the status says it */ }
      throw new Error(msg);
    }
    const vals = await vr.json();
    const t1 = performance.now();
    m.setValues(vals.classes, vals.colours);
    const t2 = performance.now();
    if (!m.view) m.fit();
    m.draw();
    m.timing.wait = t1 - t0; /* until both replies were here and parsed */
    m.timing.paths = t2 - t1;
    /* drawing is recorded, then painted with the next frame: count until that frame is done */
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    canvas.dataset.zoom = String(m.zoomLoaded);
    canvas.dataset.areas = String(m.geo.shapes.length);
    const ms = performance.now() - t0;
    m.timing.paint = performance.now() - t2;
    m.timing.total = ms;
    canvas.dataset.drawnMs = ms.toFixed(0);
    return { codes: m.geo.topo.areas, names: m.geo.topo.names, values: vals, map: m, timing: Object.assign({}, m.timing) };
  }

  window.SOL_BIGMAP = { show };
})();
