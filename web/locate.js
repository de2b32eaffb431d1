/* locate.js - the view "Where to place a service": the latest recorded placement (GET
 * /api/locate) drawn on the map (the areas each chosen site serves in its colour, the areas not
 * served hatched, the sites as circles), the sites with their sentence, the demand covered and
 * not (the areas not served named), the curve of what each additional site adds; and, for a
 * signed-in analyst, a form that runs a new placement (POST /api/runs/locate). app.js registers
 * it with its helpers (SOL_LOCATE.register); every word comes from web/messages.json. */
'use strict';

window.SOL_LOCATE = (function () {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const MAP_W = 1000;
  const NO_DATA = '#d4d4d4';
  const UNCOVERED = '#fdae6b';
  /* Okabe-Ito and Tol's muted colours: told apart with the common colour-vision deficiencies */
  const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#332288',
    '#117733', '#882255', '#44aa99', '#999933', '#aa4499'];
  let app = null;        /* { t, api, el, state } from app.js */
  let data = null;       /* the latest GET /api/locate */
  let geo = {};          /* level -> GeoJSON features */
  let loading = null;

  const $ = (id) => document.getElementById(id);
  const t = (k, p) => app.t(k, p);

  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }

  function num(x) {
    return x === null || x === undefined ? t('noData') : window.SOL_I18N.number(app.state.lang, Math.round(x));
  }

  function colourOf(i) {
    return COLOURS[i % COLOURS.length];
  }

  function rings(g) {
    if (!g) return [];
    if (g.type === 'Polygon') return g.coordinates;
    if (g.type === 'MultiPolygon') return g.coordinates.flat();
    return [];
  }

  /* An equirectangular projection fitted to the areas (as app.js draws its map). */
  function projection(features) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    features.forEach((f) => rings(f.geometry).forEach((r) => r.forEach((p) => {
      x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]);
      y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]);
    })));
    if (!Number.isFinite(x0)) return null;
    const kx = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
    const s = (MAP_W - 20) / Math.max((x1 - x0) * kx, 1e-9);
    return { xy: (lon, lat) => [(lon - x0) * kx * s + 10, (y1 - lat) * s + 10], h: Math.ceil((y1 - y0) * s + 20) };
  }

  async function areasOf(level) {
    if (geo[level]) return geo[level];
    const r = await fetch('/api/areas?level=' + encodeURIComponent(level), { credentials: 'same-origin' });
    geo[level] = r.ok ? (await r.json()).features : [];
    return geo[level];
  }

  /* ---- the map ---------------------------------------------------------------------------- */

  async function drawMap() {
    const box = $('locate-map');
    box.textContent = '';
    const level = data.level || (app.state.levels && app.state.levels.slice(-1)[0]);
    const feats = level ? await areasOf(level) : [];
    const pr = projection(feats);
    if (!pr) return;
    const siteIdx = {};
    data.sites.forEach((s, i) => { siteIdx[s.id] = i; });
    const byCode = {};
    data.areas.forEach((a) => { byCode[a.code] = a; });
    const root = svg('svg', { viewBox: '0 0 ' + MAP_W + ' ' + pr.h, role: 'group', 'aria-labelledby': 'locate-map-title' });
    const defs = svg('defs');
    const pat = svg('pattern', { id: 'locate-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    pat.appendChild(svg('rect', { width: 6, height: 6, fill: '#ffffff' }));
    pat.appendChild(svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: UNCOVERED, 'stroke-width': 3 }));
    defs.appendChild(pat);
    root.appendChild(defs);
    const g = svg('g');
    feats.forEach((f) => {
      const a = byCode[f.properties.code];
      const d = rings(f.geometry).map((r) => 'M' + r.map((p) => pr.xy(p[0], p[1]).map((v) => v.toFixed(1)).join(' ')).join('L') + 'Z').join('');
      let fill = NO_DATA, words;
      const name = f.properties.name || f.properties.code;
      if (a && a.site !== null && a.site !== undefined && siteIdx[a.site] !== undefined) {
        fill = colourOf(siteIdx[a.site]);
        const s = data.sites[siteIdx[a.site]];
        words = t('locate.areaServed', { name, site: s.name || s.id, demand: a.demand });
      } else if (a) {
        fill = 'url(#locate-hatch)';
        words = t('locate.areaNotServed', { name, demand: a.demand });
      } else {
        words = t('locate.areaOutside', { name });
      }
      const p = svg('path', { d, fill, stroke: '#ffffff', 'stroke-width': 0.5, 'data-code': f.properties.code, 'fill-opacity': a && fill !== 'url(#locate-hatch)' ? 0.55 : 1 });
      const title = svg('title');
      title.textContent = words;
      p.appendChild(title);
      g.appendChild(p);
    });
    root.appendChild(g);
    const sg = svg('g', { class: 'locate-sites' });
    data.sites.forEach((s, i) => {
      const [x, y] = pr.xy(s.lon, s.lat);
      const c = svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 8, fill: colourOf(i), stroke: '#000000', 'stroke-width': s.kept ? 3 : 1.5, tabindex: 0, role: 'img', 'aria-label': s.sentence, 'data-site': s.id });
      const title = svg('title');
      title.textContent = s.sentence;
      c.appendChild(title);
      sg.appendChild(c);
    });
    root.appendChild(sg);
    box.appendChild(root);
  }

  /* ---- the curve ---------------------------------------------------------------------------- */

  function drawCurve() {
    const box = $('locate-curve');
    box.textContent = '';
    const pts = (data.curve && data.curve.points) || [];
    if (!pts.length) return;
    const dist = data.curve.value !== 'demand covered';
    const W = 480, H = 160, L = 8, B = 22, bw = (W - 2 * L) / pts.length;
    const max = Math.max(...pts.map((p) => Math.abs(p.added || 0)), 1);
    const last = pts[pts.length - 1];
    const summary = dist
      ? t('locate.curveDistance', { n: last.sites, saved: Math.abs(last.added || 0) })
      : t('locate.curveCovered', { n: last.sites, covered: last.value, added: last.added, need: data.need });
    const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': summary, class: 'locate-curve' });
    pts.forEach((p, i) => {
      const h = (H - B - 8) * Math.abs(p.added || 0) / max;
      const r = svg('rect', { x: (L + i * bw + 1).toFixed(1), y: (H - B - h).toFixed(1), width: Math.max(bw - 2, 1).toFixed(1), height: h.toFixed(1), fill: '#0072b2' });
      const title = svg('title');
      title.textContent = t(dist ? 'locate.barDistance' : 'locate.barCovered', { n: p.sites, added: Math.abs(p.added || 0) });
      r.appendChild(title);
      root.appendChild(r);
      if (pts.length <= 20 || i % 5 === 4) {
        const tx = svg('text', { x: (L + i * bw + bw / 2).toFixed(1), y: H - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#222222' });
        tx.textContent = String(p.sites);
        root.appendChild(tx);
      }
    });
    box.appendChild(root);
    box.appendChild(app.el('p', { class: 'explain' }, summary));
    if (data.curve.kind === 'greedy') box.appendChild(app.el('p', { class: 'explain' }, t('locate.curveGreedy')));
  }

  /* ---- the whole view ------------------------------------------------------------------------ */

  async function render() {
    const el = app.el;
    const head = $('locate-explain');
    const list = $('locate-sites');
    list.textContent = '';
    $('locate-uncovered').textContent = '';
    $('locate-map').textContent = '';
    $('locate-curve').textContent = '';
    if (!data || data.run === null || data.run === undefined) {
      head.textContent = t('locate.none');
      drawForm();
      return;
    }
    const d = data.demand || {};
    head.textContent = t('locate.headline', {
      n: data.sites.length, need: data.need, covered: d.covered, total: d.total,
      share: window.SOL_I18N.number(app.state.lang, 100 * (d.covered_share || 0), { maximumFractionDigits: 1 }),
      id: data.run,
    });
    await drawMap();
    data.sites.forEach((s, i) => {
      const li = el('li');
      const sw = svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true', focusable: 'false' });
      sw.appendChild(svg('circle', { cx: 7, cy: 7, r: 6, fill: colourOf(i), stroke: '#000000', 'stroke-width': s.kept ? 2.5 : 1 }));
      li.appendChild(sw);
      li.appendChild(document.createTextNode(' ' + s.sentence + (s.kept ? ' ' + t('locate.kept') : '')));
      list.appendChild(li);
    });
    const unc = (data.uncovered || []).slice().sort((a, b) => (b.demand || 0) - (a.demand || 0));
    const names = unc.slice(0, 30).map((a) => t('locate.uncoveredItem', { name: a.name || a.code, demand: a.demand }));
    $('locate-uncovered').textContent = unc.length === 0 ? t('locate.allServed')
      : t('locate.uncovered', { n: unc.length, uncovered: d.uncovered, need: data.need, names: names.join(', ') + (unc.length > 30 ? ', …' : '') });
    drawCurve();
    drawForm();
  }

  /* ---- a new placement (analysts) -------------------------------------------------------------- */

  function drawForm() {
    const box = $('locate-form-box');
    const me = app.state.me || {};
    const analyst = me.signed_in && (me.role === 'analyst' || me.role === 'admin');
    box.hidden = !analyst;
    if (!analyst) return;
    const el = app.el;
    box.textContent = '';
    box.appendChild(el('h3', { id: 'locate-form-title' }, t('locate.formTitle')));
    const f = el('form', { id: 'locate-form', 'aria-labelledby': 'locate-form-title', class: 'controls' });
    const field = (id, label, input) => {
      const w = el('div', { class: 'field' });
      w.appendChild(el('label', { for: id }, label));
      input.id = id;
      w.appendChild(input);
      f.appendChild(w);
      return input;
    };
    const model = field('locate-model', t('locate.model'), el('select'));
    ['mclp', 'lscp', 'pmedian'].forEach((m) => model.appendChild(el('option', { value: m }, t('locate.model.' + m))));
    const ind = field('locate-indicator', t('locate.need'), el('select'));
    (app.state.indicators || []).forEach((i) => {
      const label = (i.labels && i.labels[app.state.lang]) || i.label || i.code;
      ind.appendChild(el('option', { value: i.code }, label));
    });
    if (data && data.indicator) ind.value = data.indicator;
    const level = field('locate-level', t('locate.level'), el('select'));
    (app.state.levels || []).forEach((l) => level.appendChild(el('option', { value: l }, app.levelName ? app.levelName(l, 2) : l)));
    if (data && data.level) level.value = data.level;
    const dist = field('locate-distance', t('locate.distance'), el('input', { type: 'number', min: '0', step: 'any', value: data && data.distance && data.distance.max ? String(data.distance.max) : '10', required: '' }));
    const p = field('locate-p', t('locate.p'), el('input', { type: 'number', min: '1', step: '1', value: data && data.chosen ? String(data.chosen) : '5' }));
    const go = el('div', { class: 'field buttons' });
    const btn = el('button', { type: 'submit' }, t('locate.run'));
    go.appendChild(btn);
    f.appendChild(go);
    box.appendChild(f);
    const status = el('p', { id: 'locate-form-status', class: 'status', role: 'status', 'aria-live': 'polite' });
    box.appendChild(status);
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      btn.disabled = true;
      status.textContent = t('locate.running');
      const body = { model: model.value, indicator: ind.value, level: level.value, sites: { level: level.value }, max_distance: Number(dist.value) };
      if (model.value !== 'lscp') body.p = parseInt(p.value, 10);
      const period = data && data.indicator === ind.value ? data.period : undefined;
      if (period) body.period = period;
      const r = await app.api('/api/runs/locate', { body });
      btn.disabled = false;
      if (!r.ok) {
        status.textContent = t('locate.failed', { msg: (r.json && r.json.error) || r.status });
        return;
      }
      status.textContent = t('locate.done', { id: r.json.run_id });
      const id = r.json.run_id;
      await load(true);
      const s = $('locate-form-status');
      if (s) s.textContent = t('locate.done', { id });
      /* a new placement is a draft that analysts see: the public sees it once published */
      const box2 = $('locate-form-box');
      if (box2 && id) {
        const pub = el('button', { type: 'button', id: 'locate-publish', class: 'publish' }, t('locate.publish'));
        pub.addEventListener('click', async () => {
          pub.disabled = true;
          const rp = await app.api('/api/publish', { body: { kind: 'run', id } });
          const st = $('locate-form-status');
          if (st) st.textContent = rp.ok ? t('locate.published') : t('locate.failed', { msg: (rp.json && rp.json.error) || rp.status });
          if (rp.ok) pub.remove(); else pub.disabled = false;
        });
        box2.appendChild(pub);
      }
    });
  }

  async function load(force) {
    if (!app) return;
    if (loading && !force) return loading;
    loading = (async () => {
      const r = await app.api('/api/locate');
      data = r.ok ? r.json : null;
      await render();
      loading = null;
    })();
    return loading;
  }

  /* app.js gives its helpers once the page is wired; the view (re)loads when it is shown, when
   * the page's language changes and when someone signs in or out. */
  function register(helpers) {
    app = helpers;
    const view = $('view-locate');
    if (!view) return;
    const shown = () => !view.hidden;
    new MutationObserver(() => { if (shown()) load(true); }).observe(view, { attributes: true, attributeFilter: ['hidden'] });
    new MutationObserver(() => { if (shown()) load(true); }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    new MutationObserver(() => { if (shown()) load(true); }).observe($('me'), { attributes: true, attributeFilter: ['hidden'] });
    if (shown()) load(true);
  }

  return { register, load };
})();
