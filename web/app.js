/* app.js - the solidata dashboard: a choropleth drawn as SVG from /api/areas and
 * /api/observations, area profiles, the catalog, analyses with their method cards, sign-in, and
 * CSV/PNG export. Plain JavaScript, no build step; every label is a template of web/messages.json
 * in the page's language (i18n.js), and every number is written as that language writes it. */
'use strict';

(function () {
  const I = window.SOL_I18N;
  const $ = (id) => document.getElementById(id);
  const SVGNS = 'http://www.w3.org/2000/svg';
  /* viridis, light to dark: distinguishable with the common colour-vision deficiencies */
  const PALETTE = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'];
  const NO_DATA = '#d4d4d4';
  /* GeoDa's LISA cluster colours (src/render: SOL_RENDER_LISA_*), in the order of the legend */
  const CLUSTERS = ['HH', 'LL', 'HL', 'LH', 'NS'];
  const CLUSTER_COLOUR = { HH: '#ff0000', LL: '#0000ff', HL: '#f4ada8', LH: '#a7adf9', NS: '#eeeeee' };
  const MAP_W = 1000;
  /* levels with this many areas are drawn on a canvas from simplified geometry (map.js) */
  const BIG_MAP_AREAS = 3000;
  const BIG_TABLE_ROWS = 500; /* rows the table of such a map lists */

  const state = {
    lang: 'en',
    me: { signed_in: false, role: 'anonymous' },
    indicators: [],
    byCode: {},
    levels: [],
    level: null,
    layer: 'indicator', /* 'indicator', 'index' (latest composite index run), 'hotspots' (latest LISA run) */
    layers: { index: null, hotspots: null },
    indicator: null,
    period: null,
    areas: {},      /* level -> { features, paths: code -> d, names: code -> name, h } */
    levelLabels: {}, /* level -> its name in each language, when the server gives it */
    rows: [],       /* the current view: { code, name, value, rank, cls } */
    classes: null,  /* { breaks, k, colours } */
    sort: { key: 'rank', dir: 1 },
    profileCode: null,
    catalog: null,
    runs: null,
    forecasts: {},  /* indicator -> the latest forecast run's layer (GET /api/forecasts) */
    alerts: null,   /* the latest alerts run (GET /api/alerts) */
  };

  /* ---- text ---------------------------------------------------------------------------- */

  function t(key, params, fallback) {
    return I.t(state.lang, key, params, fallback);
  }

  function fmt(v, unit) {
    if (v === null || v === undefined || Number.isNaN(v)) return t('noData');
    const a = Math.abs(v);
    const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 || a === 0 ? 2 : 3; /* shares as 0.301 */
    const s = I.number(state.lang, v, { maximumFractionDigits: digits });
    if (unit === '%') return t('valuePercent', { value: s }); /* "27,9 %" in French, "27,9%" in Italian */
    return unit ? t('valueUnit', { value: s, unit }) : s;
  }

  /* a whole number (ranks, counts) as the language writes it; '' for none */
  function fmtInt(v) {
    return v === null || v === undefined ? '' : I.number(state.lang, v, { maximumFractionDigits: 0 });
  }

  /* a date-time of the store ("2024-05-01T10:00:00Z", "2024-05-01 10:00:00") as the language
   * writes a date; the text itself when it is not one */
  function fmtDate(s) {
    const d = typeof s === 'string' ? new Date(s.replace(' ', 'T')) : null;
    if (!d || Number.isNaN(d.getTime())) return s || '';
    return new Intl.DateTimeFormat(state.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  }

  /* A text the server gives in several languages ({en, fr, it}), or a plain string. */
  function loc(v) {
    if (v && typeof v === 'object') return v[state.lang] || v.en || Object.values(v)[0] || '';
    return v;
  }

  /* the unit of an indicator or profile row, in the page's language when the server gives it */
  function unitOf(x) {
    return loc(x.units) || x.unit || '';
  }

  /* "region"/"regions" for a count n; a level the dashboard has no words for takes the name the
   * server gives (level_labels of its areas), else its code */
  function levelName(level, n) {
    return t((I.isOne(state.lang, n) ? 'levelOne.' : 'levelMany.') + level, null, '') || loc(state.levelLabels[level]) || level;
  }

  function indLabel(ind) {
    return ind ? (loc(ind.labels) || loc(ind.label) || ind.code) : '';
  }

  /* the dimension of an indicator or profile row, in the page's language when the server gives it */
  function dimLabel(x) {
    return loc(x.dimension_labels) || loc(x.dimension) || t('noDimension');
  }

  function polarity(ind) {
    return ind && ind.polarity === 'higher_better' ? 1 : ind && ind.polarity === 'lower_better' ? -1 : 0;
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function applyStatic() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
    document.querySelectorAll('[data-i18n-aria]').forEach((e) => {
      e.setAttribute('aria-label', t(e.dataset.i18nAria));
    });
    document.title = t('pageTitle', { title: t('title'), tagline: t('tagline') });
    $('lang').value = state.lang;
  }

  function setStatus(msg) {
    $('status').textContent = msg || '';
  }

  /* ---- API ------------------------------------------------------------------------------ */

  async function api(path, opts) {
    const o = Object.assign({ credentials: 'same-origin', headers: {} }, opts || {});
    if (o.body !== undefined) {
      o.method = 'POST';
      o.headers['Content-Type'] = 'application/json';
      if (state.me.csrf) o.headers['X-CSRF-Token'] = state.me.csrf;
      o.body = JSON.stringify(o.body);
    }
    o.headers['Accept-Language'] = state.lang; // the server's messages in the page's language
    const r = await fetch(path, o);
    let j = null;
    try { j = await r.json(); } catch (e) { j = null; }
    return { status: r.status, ok: r.ok, json: j };
  }

  /* ---- map geometry ----------------------------------------------------------------------- */

  function ringsOf(geom) {
    if (!geom) return [];
    if (geom.type === 'Polygon') return geom.coordinates;
    if (geom.type === 'MultiPolygon') return geom.coordinates.flat();
    return [];
  }

  function project(features) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    features.forEach((f) => ringsOf(f.geometry).forEach((ring) => ring.forEach((p) => {
      if (p[0] < x0) x0 = p[0];
      if (p[0] > x1) x1 = p[0];
      if (p[1] < y0) y0 = p[1];
      if (p[1] > y1) y1 = p[1];
    })));
    if (!Number.isFinite(x0)) return { paths: {}, h: 600 };
    const kx = Math.cos(((y0 + y1) / 2) * Math.PI / 180); /* equirectangular at the mid latitude */
    const s = (MAP_W - 20) / Math.max((x1 - x0) * kx, 1e-9);
    const h = Math.ceil((y1 - y0) * s + 20);
    const paths = {};
    features.forEach((f) => {
      const parts = ringsOf(f.geometry).map((ring) => 'M' + ring.map((p) =>
        ((p[0] - x0) * kx * s + 10).toFixed(1) + ' ' + ((y1 - p[1]) * s + 10).toFixed(1)).join('L') + 'Z');
      paths[f.properties.code] = parts.join('');
    });
    return { paths, h };
  }

  async function loadAreas(level) {
    if (state.areas[level]) return state.areas[level];
    const r = await fetch('/api/areas?level=' + encodeURIComponent(level), { credentials: 'same-origin' });
    const gj = await r.json();
    const names = {};
    gj.features.forEach((f) => { names[f.properties.code] = f.properties.name || f.properties.code; });
    if (gj.features.length && gj.features[0].properties.level_labels) state.levelLabels[level] = gj.features[0].properties.level_labels;
    const p = project(gj.features);
    state.areas[level] = { codes: gj.features.map((f) => f.properties.code), paths: p.paths, h: p.h, names };
    return state.areas[level];
  }

  /* ---- classes and ranks --------------------------------------------------------------------- */

  /* Quantile breaks: k classes with about the same number of areas each. */
  function quantileBreaks(values, k) {
    const v = values.slice().sort((a, b) => a - b);
    const breaks = [];
    for (let i = 1; i < k; i++) {
      const b = v[Math.floor((i * v.length) / k)];
      if (b !== undefined && (breaks.length === 0 || b > breaks[breaks.length - 1]) && b > v[0]) breaks.push(b);
    }
    return { min: v[0], max: v[v.length - 1], breaks };
  }

  function classOf(v, breaks) {
    let c = 0;
    while (c < breaks.length && v >= breaks[c]) c++;
    return c;
  }

  /* Colours light to dark, so that darker always means greater need: for an indicator where
   * higher is better, low values get the dark end. Without a stated polarity, darker = higher. */
  function coloursFor(k, pol) {
    const c = [];
    for (let i = 0; i < k; i++) c.push(PALETTE[k === 1 ? 2 : Math.round((i * (PALETTE.length - 1)) / (k - 1))]);
    return pol > 0 ? c.reverse() : c;
  }

  /* Rank 1 = greatest need (by polarity); without polarity, rank 1 = highest value. */
  function rankRows(rows, pol) {
    const withV = rows.filter((r) => r.value !== null);
    const sign = pol > 0 ? 1 : -1; /* higher is better: the lowest value is rank 1 */
    withV.sort((a, b) => sign * (a.value - b.value));
    withV.forEach((r, i) => {
      r.rank = i > 0 && withV[i - 1].value === r.value ? withV[i - 1].rank : i + 1;
    });
    return withV.length;
  }

  /* ---- the map view ---------------------------------------------------------------------- */

  function fillPickers() {
    const ly = $('layer');
    ly.textContent = '';
    ['indicator', 'index', 'hotspots'].filter((k) => k === 'indicator' || state.layers[k])
      .forEach((k) => ly.appendChild(el('option', { value: k }, t('layer.' + k))));
    ly.value = state.layer;
    const analysis = state.layer !== 'indicator';
    $('field-level').hidden = analysis;
    $('field-indicator').hidden = analysis;
    $('layer-card').hidden = !analysis;
    if (analysis) {
      const per = $('period');
      per.textContent = '';
      layerPeriods().forEach((p) => per.appendChild(el('option', { value: p }, p)));
      per.value = state.period;
      return;
    }
    const lv = $('level');
    lv.textContent = '';
    state.levels.forEach((l) => lv.appendChild(el('option', { value: l }, t('levelPick.' + l, null, '') || loc(state.levelLabels[l]) || l)));
    lv.value = state.level;
    const sel = $('indicator');
    sel.textContent = '';
    const groups = {};
    state.indicators.filter((i) => i.coverage && i.coverage[state.level]).forEach((i) => {
      const d = dimLabel(i);
      (groups[d] = groups[d] || []).push(i);
    });
    Object.keys(groups).sort((a, b) => a.localeCompare(b, state.lang)).forEach((d) => {
      const g = el('optgroup', { label: d });
      groups[d].sort((a, b) => indLabel(a).localeCompare(indLabel(b), state.lang))
        .forEach((i) => g.appendChild(el('option', { value: i.code }, indLabel(i))));
      sel.appendChild(g);
    });
    sel.value = state.indicator;
    const per = $('period');
    per.textContent = '';
    const cov = (state.byCode[state.indicator] || {}).coverage || {};
    Object.keys(cov[state.level] || {}).forEach((p) => per.appendChild(el('option', { value: p }, p)));
    per.value = state.period;
  }

  function layerPeriods() {
    const L = state.layers[state.layer];
    if (state.layer === 'index') return L.periods;
    if (state.layer === 'hotspots') return [L.period];
    return [];
  }

  function chooseLayer(layer) {
    state.layer = layer;
    if (layer === 'indicator') {
      chooseDefaults(true);
      return;
    }
    const L = state.layers[layer];
    state.level = L.level || state.level;
    const ps = layerPeriods();
    if (!ps.includes(state.period)) state.period = ps[ps.length - 1];
  }

  function chooseDefaults(keepIndicator) {
    const avail = state.indicators.filter((i) => i.coverage && i.coverage[state.level]);
    if (!keepIndicator || !avail.some((i) => i.code === state.indicator)) {
      const preferred = avail.find((i) => polarity(i) !== 0) || avail[0];
      state.indicator = preferred ? preferred.code : null;
    }
    const ind = state.byCode[state.indicator];
    const periods = ind ? Object.keys(ind.coverage[state.level] || {}) : [];
    if (!periods.includes(state.period)) state.period = periods[periods.length - 1] || null;
  }

  /* The rows of the current view: one per area of the level, with what the map, the tooltip, the
   * table and the exports show. Each view kind fills value and rank its own way. */
  async function viewRows(areas) {
    const L = state.layers[state.layer];
    /* areas the server withholds from this layer (their inputs are small counts) */
    const gone = new Set((L && L.withheld_areas) || []);
    const flagOf = (c, a) => (!a && gone.has(c) ? 'suppressed' : '');
    if (state.layer === 'index') {
      const by = L.areas[state.period] || {};
      const rows = areas.codes.map((c) => {
        const a = by[c];
        return { code: c, name: areas.names[c], value: a ? a.score : null, rank: a ? a.rank : null, rlo: a ? a.rank_lo : null, rhi: a ? a.rank_hi : null, cls: null, flags: flagOf(c, a) };
      });
      return { rows, pol: 1, n: rows.filter((r) => r.value !== null).length, unit: '' };
    }
    if (state.layer === 'hotspots') {
      /* the values come from the observations, the public path the disclosure rules govern */
      const obs = await api('/api/observations?indicator=' + encodeURIComponent(L.indicator) + '&period=' + encodeURIComponent(L.period));
      const vals = {}, flags = {};
      if (obs.ok) obs.json.values.forEach((v) => { vals[v.area] = v.value; flags[v.area] = v.flags || ''; });
      const rows = areas.codes.map((c) => {
        const a = L.areas[c];
        return { code: c, name: areas.names[c], value: vals[c] !== undefined ? vals[c] : null, cluster: a ? a.cluster : null, p: a ? a.p : null,
          rank: a ? CLUSTERS.indexOf(a.cluster) + 1 : null, cls: null, flags: flagOf(c, a) || flags[c] || '' };
      });
      return { rows, pol: L.polarity === 'higher_better' ? 1 : L.polarity === 'lower_better' ? -1 : 0, n: rows.filter((r) => r.cluster).length, unit: loc(L.units) || L.unit || '' };
    }
    const ind = state.byCode[state.indicator];
    const obs = await api('/api/observations?indicator=' + encodeURIComponent(ind.code) + '&period=' + encodeURIComponent(state.period));
    if (!obs.ok) throw new Error(obs.json && obs.json.error ? obs.json.error : String(obs.status));
    const vals = {};
    obs.json.values.forEach((v) => { vals[v.area] = v; });
    const rows = areas.codes.map((c) => {
      const o = vals[c];
      const r = { code: c, name: areas.names[c], value: o ? o.value : null, rank: null, cls: null, se: o ? o.se : null, flags: o ? o.flags : '' };
      if (r.value !== null && r.se !== null && r.se !== undefined) {
        r.lo = r.value - 1.959963984540054 * r.se;
        r.hi = r.value + 1.959963984540054 * r.se;
      }
      return r;
    });
    const pol = polarity(ind);
    return { rows, pol, n: rankRows(rows, pol), unit: unitOf(ind) };
  }

  function viewReady() {
    if (state.layer !== 'indicator') return !!(state.layers[state.layer] && state.period);
    return !!(state.byCode[state.indicator] && state.period);
  }

  async function drawMap() {
    if (state.layer !== 'indicator' && !state.layers[state.layer]) state.layer = 'indicator';
    const ind = state.byCode[state.indicator];
    if (!viewReady()) {
      setStatus(t('nothingToShow'));
      return;
    }
    state.bigMap = useBigMap();
    showCanvasMap(state.bigMap);
    if (state.bigMap) return drawBigMap(ind);
    setStatus(t('loading'));
    let areas, view;
    try {
      areas = await loadAreas(state.level);
      view = await viewRows(areas);
    } catch (e) {
      setStatus(t('loadFailed', { msg: e.message }));
      return;
    }
    const pol = view.pol, n = view.n;
    state.rows = view.rows;
    state.unit = view.unit;
    if (state.layer === 'hotspots') {
      state.classes = { q: null, k: CLUSTERS.length, colours: CLUSTERS.map((c) => CLUSTER_COLOUR[c]), pol, n };
      state.rows.forEach((r) => { if (r.cluster) r.cls = CLUSTERS.indexOf(r.cluster); });
    } else {
      const present = state.rows.filter((r) => r.value !== null).map((r) => r.value);
      const q = present.length ? quantileBreaks(present, Math.min(5, present.length)) : { breaks: [], min: 0, max: 0 };
      const k = q.breaks.length + 1;
      state.classes = { q, k, colours: coloursFor(k, pol), pol, n };
      state.rows.forEach((r) => { if (r.value !== null) r.cls = classOf(r.value, q.breaks); });
    }
    const colours = state.classes.colours;

    const svg = $('map');
    svg.textContent = '';
    svg.setAttribute('viewBox', '0 0 ' + MAP_W + ' ' + areas.h);
    const title = document.createElementNS(SVGNS, 'title');
    title.textContent = mapTitle();
    svg.appendChild(title);
    state.rows.forEach((r) => {
      const p = document.createElementNS(SVGNS, 'path');
      p.setAttribute('d', areas.paths[r.code] || '');
      p.setAttribute('fill', r.cls === null ? NO_DATA : colours[r.cls]);
      p.setAttribute('fill-rule', 'evenodd');
      p.setAttribute('class', withheld(r) ? 'area withheld' : 'area');
      p.setAttribute('tabindex', '0');
      p.setAttribute('role', 'button');
      p.setAttribute('data-code', r.code);
      p.setAttribute('aria-label', areaSentence(r));
      svg.appendChild(p);
    });
    $('map-title').textContent = mapTitle();
    $('map-explain').textContent = mapExplanation(ind, n);
    $('layer-card').dataset.run = state.layer !== 'indicator' ? String(state.layers[state.layer].run) : '';
    drawLegend();
    drawTable();
    markSelected();
    setStatus('');
  }

  /* ---- the map of many areas (map.js): a canvas, simplified geometry, the values alone ---- */

  /* The most areas of the level that hold a value of any indicator in any period. */
  function levelAreas(level) {
    let most = 0;
    state.indicators.forEach((i) => Object.values((i.coverage || {})[level] || {}).forEach((n) => { if (n > most) most = n; }));
    return most;
  }

  function useBigMap() {
    return !!window.SOL_BIGMAP && state.layer === 'indicator' && levelAreas(state.level) >= BIG_MAP_AREAS;
  }

  function showCanvasMap(on) {
    let c = $('map-canvas');
    if (on && !c) {
      c = el('canvas', { id: 'map-canvas', tabindex: '0', role: 'img', 'aria-labelledby': 'map-title', 'aria-describedby': 'map-explain' });
      $('map').parentNode.insertBefore(c, $('map'));
    }
    if (c) c.hidden = !on;
    $('map').style.display = on ? 'none' : '';
  }

  async function drawBigMap(ind) {
    setStatus(t('loading'));
    let v;
    try {
      v = await window.SOL_BIGMAP.show($('map-canvas'), {
        level: state.level, indicator: ind.code, period: state.period,
        onHover: (i, e) => bigTip(i, e), onPick: (i) => openProfile(state.rows[i].code),
      });
    } catch (e) {
      setStatus(t('loadFailed', { msg: e.message }));
      return;
    }
    const vals = v.values, k = vals.colours.length, brk = vals.breaks;
    state.rows = v.codes.map((c, i) => {
      const ch = vals.classes.charCodeAt(i) - 48;
      return { code: c, name: v.names[i] || c, value: vals.values[i], rank: null, cls: ch >= 0 && ch < k ? ch : null, flags: ch === 67 ? 'suppressed' : '' };
    });
    const pol = polarity(ind);
    state.unit = unitOf(ind);
    state.classes = { q: { min: brk[0], max: brk[k], breaks: brk.slice(1, k) }, k, colours: vals.colours, pol, n: rankRows(state.rows, pol) };
    $('map-title').textContent = mapTitle();
    $('map-explain').textContent = mapExplanation(ind, state.classes.n);
    $('layer-card').dataset.run = '';
    drawLegend();
    drawTable();
    setStatus('');
  }

  function bigTip(i, e) {
    const r = i >= 0 ? state.rows[i] : null;
    if (!r || !e) return hideTip();
    const tip = $('tooltip');
    tip.textContent = '';
    tip.appendChild(el('strong', null, r.name));
    tip.appendChild(el('span', null, valueWords(r)));
    tip.appendChild(el('span', null, rankWords(r)));
    tip.hidden = false;
    const box = $('map-canvas').parentNode.getBoundingClientRect();
    tip.style.left = Math.min(e.clientX - box.left + 14, box.width - 220) + 'px';
    tip.style.top = (e.clientY - box.top + 14) + 'px';
  }

  function mapTitle() {
    if (state.layer === 'index') return t('mapTitleIndex', { period: state.period, areas: levelName(state.level, 2) });
    if (state.layer === 'hotspots') {
      const L = state.layers.hotspots;
      return t('mapTitleHotspots', { indicator: loc(L.labels) || loc(L.label) || L.indicator, period: state.period, areas: levelName(state.level, 2) });
    }
    const ind = state.byCode[state.indicator];
    return t('mapTitle', { indicator: indLabel(ind), period: state.period, areas: levelName(state.level, 2) });
  }

  function rankWords(r) {
    if (withheld(r) && !r.cluster && r.rank === null) return t('rankWithheld');
    if (state.layer === 'hotspots') return r.cluster ? clusterWords(r) : t('noData');
    if (r.rank === null) return t('noData');
    if (state.layer === 'index') {
      if (r.rlo === null || r.rlo === undefined) return t('rankIndexNoInterval', { rank: r.rank, n: state.classes.n });
      return t('rankIndex', { rank: r.rank, n: state.classes.n, lo: r.rlo, hi: r.rhi });
    }
    return t(state.classes.pol ? 'rankNeed' : 'rankValue', { rank: r.rank, n: state.classes.n });
  }

  /* "High-High (p = 0.002)" */
  function clusterWords(r) {
    const name = t('clusterName.' + r.cluster);
    return r.p !== null && r.p !== undefined ? t('clusterWithP', { cluster: name, p: fmtP(r.p) }) : name;
  }

  function fmtP(p) {
    return p < 0.001 ? t('pBelow', { p: 0.001 }) : I.number(state.lang, p, { maximumSignificantDigits: 2 });
  }

  /* "between X and Y (95%)" for a value with a standard error; "" otherwise */
  function intervalWords(r, unit) {
    if (r.lo === undefined || r.lo === null) return '';
    return t('interval95', { lo: fmt(r.lo), hi: fmt(r.hi, unit) });
  }

  function lowReliability(r) {
    return r.flags && /low-reliability/.test(r.flags);
  }

  /* withheld by disclosure control: the public gets no value, an analyst the value and a mark */
  function withheld(r) {
    return !!(r.flags && /suppressed/.test(r.flags));
  }

  function valueWords(r) {
    if (withheld(r) && (r.value === null || r.value === undefined)) return t('suppressedPublic');
    const iv = intervalWords(r, state.unit);
    let s = fmt(r.value, state.unit);
    if (iv) s = t('valueWithInterval', { value: s, interval: iv });
    if (lowReliability(r)) s = t('valueNoted', { value: s, note: t('lowReliability') });
    if (withheld(r)) s = t('valueNoted', { value: s, note: t('suppressedAnalyst') });
    return s;
  }

  function areaSentence(r) {
    return r.rank ? t('areaSaysRank', { name: r.name, value: valueWords(r), rank: rankWords(r) })
      : t('areaSays', { name: r.name, value: valueWords(r) });
  }

  function mapExplanation(ind, n) {
    if (state.layer === 'index') {
      const L = state.layers.index;
      return [t('explainIndexMap', { period: state.period, n, areas: levelName(state.level, n), k: state.classes.k, reps: L.replications || 0 }),
        t('explainIndexDark'), t('explainMethodCard')].join(' ');
    }
    if (state.layer === 'hotspots') {
      const L = state.layers.hotspots;
      return [t('explainHotspotMap', { indicator: loc(L.labels) || loc(L.label) || L.indicator, period: state.period, n, areas: levelName(state.level, n) }),
        t(L.inference === 'permutation' ? 'explainHotspotPerm' : 'explainHotspotAnalytic', { alpha: L.alpha, perms: L.permutations }),
        t('explainMethodCard')].join(' ');
    }
    const pol = polarity(ind);
    const withSe = state.rows.some((r) => r.lo !== undefined && r.lo !== null);
    return [
      /* explainMap.one for one area with a value, explainMap.none for none (the areas then plural) */
      t('explainMap', { indicator: indLabel(ind), period: state.period, n, areas: levelName(state.level, n || 2), k: state.classes.k }),
      t(pol > 0 ? 'explainHigherBetter' : pol < 0 ? 'explainLowerBetter' : 'explainNoPolarity'),
      t('explainSource'),
    ].concat(withSe ? [t('explainIntervalMap')] : []).join(' ');
  }

  function drawLegend() {
    const ul = $('legend-items');
    ul.textContent = '';
    const { q, k, colours, pol } = state.classes;
    const items = [];
    if (state.layer === 'hotspots') {
      CLUSTERS.forEach((c, i) => items.push({ colour: colours[i], text: t('clusterLegend.' + c, { count: state.rows.filter((r) => r.cluster === c).length }), c: i }));
    }
    for (let c = 0; c < k && state.layer !== 'hotspots'; c++) {
      const lo = c === 0 ? q.min : q.breaks[c - 1];
      const hi = c === k - 1 ? q.max : q.breaks[c];
      const count = state.rows.filter((r) => r.cls === c).length;
      items.push({ colour: colours[c], text: t(c === k - 1 ? 'legendLast' : 'legendRange', { lo: fmt(lo), hi: fmt(hi), count }), c });
    }
    /* listed from least to greatest need (light to dark) */
    if (pol > 0 && state.layer !== 'hotspots') items.reverse();
    items.forEach((it) => {
      const li = el('li');
      const sw = document.createElementNS(SVGNS, 'svg');
      sw.setAttribute('width', '18');
      sw.setAttribute('height', '18');
      sw.setAttribute('aria-hidden', 'true');
      const rect = document.createElementNS(SVGNS, 'rect');
      rect.setAttribute('width', '18');
      rect.setAttribute('height', '18');
      rect.setAttribute('fill', it.colour);
      rect.setAttribute('stroke', '#555');
      sw.appendChild(rect);
      li.appendChild(sw);
      li.appendChild(el('span', null, it.text));
      ul.appendChild(li);
    });
    const swatch = (text, fill, dashed) => {
      const li = el('li');
      const sw = document.createElementNS(SVGNS, 'svg');
      sw.setAttribute('width', '18');
      sw.setAttribute('height', '18');
      sw.setAttribute('aria-hidden', 'true');
      const rect = document.createElementNS(SVGNS, 'rect');
      rect.setAttribute('width', '18');
      rect.setAttribute('height', '18');
      rect.setAttribute('fill', fill);
      rect.setAttribute('stroke', dashed ? '#000' : '#555');
      if (dashed) {
        rect.setAttribute('stroke-dasharray', '3 2');
        rect.setAttribute('stroke-width', '2');
      }
      sw.appendChild(rect);
      li.appendChild(sw);
      li.appendChild(el('span', null, text));
      ul.appendChild(li);
      return li;
    };
    const missing = state.rows.filter((r) => r.cls === null && !withheld(r)).length;
    if (missing) swatch(t('legendMissing', { count: missing }), NO_DATA, false);
    /* counts below the minimum cell size: hidden from the public, marked for analysts */
    const hidden = state.rows.filter((r) => withheld(r));
    const shown = hidden.filter((r) => r.value !== null && r.value !== undefined).length;
    if (hidden.length - shown) swatch(t('legendWithheldPublic', { count: hidden.length - shown }), NO_DATA, true).dataset.withheld = 'public';
    if (shown) swatch(t('legendWithheld', { count: shown }), '#ffffff', true).dataset.withheld = 'analyst';
    const note = state.layer === 'hotspots' ? t('legendHotspots', { alpha: state.layers.hotspots.alpha })
      : state.layer === 'index' ? t('legendIndex')
        : state.unit ? t(pol ? 'legendNeedUnit' : 'legendValueUnit', { unit: state.unit }) : t(pol ? 'legendNeed' : 'legendValue');
    ul.appendChild(el('li', { class: 'legend-note' }, note));
  }

  function drawTable() {
    const { key, dir } = state.sort;
    const rows = state.rows.slice().sort((a, b) => {
      const va = a[key], vb = b[key];
      if (va === null && vb === null) return 0;
      if (va === null) return 1;
      if (vb === null) return -1;
      return dir * (typeof va === 'string' ? va.localeCompare(vb, state.lang) : va - vb);
    });
    const tb = document.querySelector('#values-table tbody');
    tb.textContent = '';
    /* a map of many areas lists the first rows in the chosen order (the export has them all) */
    const all = rows.length;
    if (state.bigMap && all > BIG_TABLE_ROWS) rows.length = BIG_TABLE_ROWS;
    rows.forEach((r) => {
      const tr = el('tr');
      const th = el('th', { scope: 'row' });
      const b = el('button', { type: 'button', class: 'link', 'data-code': r.code }, r.name);
      th.appendChild(b);
      tr.appendChild(th);
      tr.appendChild(el('td', { class: 'num' }, valueWords(r)));
      const third = state.layer === 'hotspots' ? (r.cluster ? clusterWords(r) : '—')
        : r.rank === null ? (withheld(r) ? t('withheldShort') : '—')
          : state.layer === 'index' && r.rlo !== null && r.rlo !== undefined ? t('rankWithInterval', { rank: r.rank, lo: r.rlo, hi: r.rhi })
            : fmtInt(r.rank);
      tr.appendChild(el('td', { class: state.layer === 'hotspots' ? '' : 'num' }, third));
      tb.appendChild(tr);
    });
    $('values-caption').textContent = t('tableCaption', { title: mapTitle() }) + ' ' +
      t(state.layer === 'index' ? 'rankIndexNote' : state.layer === 'hotspots' ? 'clusterNote' : state.classes.pol ? 'rankNeedNote' : 'rankValueNote') +
      (rows.length < all ? ' ' + t('tableFirstRows', { shown: fmtInt(rows.length), n: fmtInt(all) }) : '');
    $('col-third').textContent = t(state.layer === 'hotspots' ? 'colCluster' : 'colRank');
    $('col-value').textContent = t(state.layer === 'index' ? 'colScore' : 'colValue');
    document.querySelectorAll('#values-table th[aria-sort]').forEach((th) => {
      const k = th.querySelector('button').dataset.sort;
      th.setAttribute('aria-sort', k === key ? (dir > 0 ? 'ascending' : 'descending') : 'none');
    });
  }

  /* ---- tooltip -------------------------------------------------------------------------- */

  function showTip(path, evt) {
    const r = state.rows.find((x) => x.code === path.dataset.code);
    if (!r) return;
    const tip = $('tooltip');
    tip.textContent = '';
    tip.appendChild(el('strong', null, r.name));
    tip.appendChild(el('span', null, valueWords(r)));
    tip.appendChild(el('span', null, rankWords(r)));
    tip.hidden = false;
    const box = $('map').parentNode.getBoundingClientRect();
    let x, y;
    if (evt && evt.clientX !== undefined) {
      x = evt.clientX - box.left + 14;
      y = evt.clientY - box.top + 14;
    } else {
      const b = path.getBoundingClientRect();
      x = b.left - box.left + b.width / 2;
      y = b.top - box.top + b.height / 2;
    }
    tip.style.left = Math.min(x, box.width - 220) + 'px';
    tip.style.top = y + 'px';
  }

  function hideTip() {
    $('tooltip').hidden = true;
  }

  /* ---- the area profile ---------------------------------------------------------------------- */

  function bucket(k, n) {
    for (const b of [1, 3, 5, 10]) if (k <= b && b < n) return b;
    return null;
  }

  /* Strengths and weaknesses, judged by polarity: rank among the areas of the same level. */
  function strengthsWeaknesses(rows) {
    const s = [], w = [];
    /* a rank among few areas (a period most areas have not reached yet) says little */
    const most = Math.max(0, ...rows.map((r) => r.n_areas));
    rows.forEach((r) => {
      const pol = r.polarity === 'higher_better' ? 1 : r.polarity === 'lower_better' ? -1 : 0;
      if (!pol || r.value === null || r.n_areas < Math.max(4, most / 2)) return;
      const best = pol > 0 ? r.rank_desc : r.n_areas - r.rank_desc + 1;
      const worst = r.n_areas - best + 1;
      const quarter = Math.max(1, Math.floor(r.n_areas / 4));
      const what = loc(r.labels) || loc(r.label) || r.indicator;
      if (best <= quarter) s.push({ k: best, text: phrase('best', best, r.n_areas, what) });
      else if (worst <= quarter) w.push({ k: worst, text: phrase('worst', worst, r.n_areas, what) });
    });
    s.sort((a, b) => a.k - b.k);
    w.sort((a, b) => a.k - b.k);
    return { s: s.slice(0, 6), w: w.slice(0, 6) };
  }

  function phrase(side, k, n, what) {
    const b = bucket(k, n);
    const areas = levelName(state.profileLevel, n);
    if (b === 1) return t(side + 'One', { what, n, areas });
    if (b) return t(side + 'Few', { what, k: b, n, areas });
    return t(side + 'Quarter', { what, n, areas });
  }

  function sparkline(series) {
    const pts = (series || []).filter((p) => p[1] !== null);
    const svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('width', '96');
    svg.setAttribute('height', '24');
    svg.setAttribute('viewBox', '0 0 96 24');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('role', 'img');
    if (pts.length < 2) {
      svg.setAttribute('aria-label', t('sparkNone'));
      return svg;
    }
    const vs = pts.map((p) => p[1]);
    const lo = Math.min(...vs), hi = Math.max(...vs);
    const xy = pts.map((p, i) => [2 + (i * 92) / (pts.length - 1), hi === lo ? 12 : 22 - ((p[1] - lo) * 20) / (hi - lo)]);
    const line = document.createElementNS(SVGNS, 'polyline');
    line.setAttribute('points', xy.map((q) => q[0].toFixed(1) + ',' + q[1].toFixed(1)).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#0b4f9c');
    line.setAttribute('stroke-width', '1.5');
    svg.appendChild(line);
    const last = xy[xy.length - 1];
    const dot = document.createElementNS(SVGNS, 'circle');
    dot.setAttribute('cx', last[0].toFixed(1));
    dot.setAttribute('cy', last[1].toFixed(1));
    dot.setAttribute('r', '2.5');
    dot.setAttribute('fill', '#0b4f9c');
    svg.appendChild(dot);
    svg.setAttribute('aria-label', t('sparkLabel', { from: pts[0][0], to: pts[pts.length - 1][0], first: fmt(pts[0][1]), last: fmt(pts[pts.length - 1][1]) }));
    return svg;
  }

  /* The open area is outlined by a copy of its shape drawn last (on top), not focusable, so the
   * tab order of the areas stays the map's order. */
  function markSelected() {
    const old = $('selected-outline');
    if (old) old.remove();
    const p = !$('profile').hidden && state.profileCode &&
      document.querySelector('#map path[data-code="' + CSS.escape(state.profileCode) + '"]');
    if (!p) return;
    const o = document.createElementNS(SVGNS, 'path');
    o.setAttribute('id', 'selected-outline');
    o.setAttribute('d', p.getAttribute('d'));
    o.setAttribute('aria-hidden', 'true');
    o.setAttribute('fill', 'none');
    o.setAttribute('stroke', '#000000');
    o.setAttribute('stroke-width', '2.5');
    $('map').appendChild(o);
  }

  /* the latest forecast run of the shown indicator, fetched once per indicator */
  async function loadForecasts() {
    const ind = state.layer === 'indicator' ? state.indicator : null;
    if (ind && !(ind in state.forecasts)) {
      const f = await api('/api/forecasts?indicator=' + encodeURIComponent(ind));
      state.forecasts[ind] = f.ok && f.json.run !== null ? f.json : null;
    }
  }

  /* an open profile follows the indicator picker (its forecast section) without taking focus */
  async function refreshProfile() {
    if (!state.profileData || $('profile').hidden) return;
    await loadForecasts();
    renderProfile(state.profileData);
  }

  async function openProfile(code) {
    state.profileCode = code;
    await loadForecasts();
    await loadAlerts();
    const r = await api('/api/areas/' + encodeURIComponent(code) + '/profile');
    if (!r.ok) {
      setStatus(t('loadFailed', { msg: r.json && r.json.error ? r.json.error : r.status }));
      return;
    }
    renderProfile(r.json);
    $('profile').hidden = false;
    markSelected();
    $('profile-title').focus();
  }

  /* The profile is a list of sections, each a function (profile, context) -> element or null, drawn
   * in order: adding one (forecast bands, alerts) is one function and one entry here. */
  const PROFILE_SECTIONS = [
    ['profile-index', profileIndex],
    ['profile-hotspot', profileHotspot],
    ['profile-sw', profileStrengths],
    ['profile-alerts', profileAlerts],
    ['profile-forecast', profileForecast],
    ['profile-body', profileIndicators],
    ['profile-intervals', profileIntervals],
  ];

  function renderProfile(p) {
    state.profileData = p;
    state.profileLevel = p.area.level;
    if (p.area.level_labels) state.levelLabels[p.area.level] = p.area.level_labels;
    const rows = p.indicators;
    const n = rows.length ? Math.max(...rows.map((x) => x.n_areas)) : 0;
    const name = p.area.name || p.area.code;
    $('profile-title').textContent = t('profileTitle', { name, level: levelName(p.area.level, 1) });
    $('profile-explain').textContent = t('explainProfile', { name, n, areas: levelName(p.area.level, n), k: rows.length });
    const box = $('profile-sections');
    box.textContent = '';
    const ctx = { name, code: p.area.code, level: p.area.level, rows };
    PROFILE_SECTIONS.forEach(([id, fn]) => {
      const e = fn(p, ctx);
      if (!e) return;
      e.id = id;
      box.appendChild(e);
    });
  }

  function methodCardButton(run) {
    return el('button', { type: 'button', class: 'link card-link', 'data-card': String(run) }, t('methodCardOf', { id: String(run) }));
  }

  /* a dimension of the index by its name, in the page's language when the server gives it */
  function dimName(name, d) {
    const L = state.layers.index;
    return loc(d && d.labels) || loc(L && L.dimension_labels && L.dimension_labels[name]) || name;
  }

  function zWords(z) {
    if (z === null || z === undefined) return t('noData');
    const a = Math.abs(z);
    const amount = I.number(state.lang, a, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    if (a < 0.25) return t('zAbout');
    return t(z > 0 ? 'zAbove' : 'zBelow', { z: amount });
  }

  /* the composite index: score, rank and its interval, dimensions, why the area ranks here */
  function profileIndex(p, ctx) {
    const L = state.layers.index;
    if (!L) return null;
    const per = L.periods.slice().reverse().find((q) => L.areas[q] && L.areas[q][ctx.code]);
    if (!per) return null;
    const a = L.areas[per][ctx.code];
    const s = el('section', { class: 'psec', 'aria-labelledby': 'h-index' });
    s.appendChild(el('h3', { id: 'h-index' }, t('indexTitle')));
    if (a.score === null) {
      s.appendChild(el('p', null, t('indexNoScore', { name: ctx.name, period: per })));
      return s;
    }
    const areas = levelName(L.level, a.n);
    s.appendChild(el('p', { class: 'index-score' }, t('indexScore', { name: ctx.name, period: per, score: fmt(a.score), rank: a.rank, n: a.n, areas })));
    if (a.rank_lo !== null) s.appendChild(el('p', { class: 'index-interval' }, t(a.rank_lo === a.rank_hi ? 'indexIntervalFixed' : 'indexInterval', { lo: a.rank_lo, hi: a.rank_hi, reps: L.replications || 0 })));
    const strong = a.dims.find((d) => d.name === a.strength), weak = a.dims.find((d) => d.name === a.weakness);
    const z = (d) => I.number(state.lang, Math.abs(d.z), { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    let why;
    const m = a.n; /* the areas compared */
    if (strong && weak) why = t('indexWhy', { name: ctx.name, strong: dimName(strong.name, strong), sz: z(strong), weak: dimName(weak.name, weak), wz: z(weak), n: m, areas });
    else if (strong) why = t('indexWhyAllAbove', { name: ctx.name, strong: dimName(strong.name, strong), sz: z(strong), n: m, areas });
    else if (weak) why = t('indexWhyAllBelow', { name: ctx.name, weak: dimName(weak.name, weak), wz: z(weak), n: m, areas });
    else why = t('indexWhyAverage', { name: ctx.name, n: m, areas });
    s.appendChild(el('p', { class: 'index-why' }, why));
    const table = el('table', { class: 'profile-table dims' });
    table.appendChild(el('caption', null, t('dimsCaption', { period: per })));
    const hr = el('tr');
    ['colDimension', 'colScore', 'colComparedMean'].forEach((k) => hr.appendChild(el('th', { scope: 'col' }, t(k))));
    const thead = el('thead');
    thead.appendChild(hr);
    table.appendChild(thead);
    const tb = el('tbody');
    a.dims.forEach((d) => {
      const tr = el('tr');
      const dn = dimName(d.name, d);
      tr.appendChild(el('th', { scope: 'row' }, d.name === a.strength ? t('dimStrongest', { dimension: dn }) : d.name === a.weakness ? t('dimWeakest', { dimension: dn }) : dn));
      tr.appendChild(el('td', { class: 'num' }, fmt(d.score)));
      tr.appendChild(el('td', null, zWords(d.z)));
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    s.appendChild(table);
    const det = el('details', { class: 'means' });
    det.appendChild(el('summary', null, t('indexMeansTitle')));
    det.appendChild(el('p', null, t('indexMeans', { k: L.indicators.length, d: L.dimensions.length, reps: L.replications || 0 })));
    if (L.aggregation === 'mpi') det.appendChild(el('p', null, t('indexMeansMpi')));
    det.appendChild(el('p', null, t('indexMeansChoices', { who: L.weights_set_by || t('notStated') })));
    s.appendChild(det);
    s.appendChild(methodCardButton(L.run));
    return s;
  }

  /* the area's LISA cluster: what it means and how sure */
  function profileHotspot(p, ctx) {
    const L = state.layers.hotspots;
    const a = L && L.areas[ctx.code];
    if (!a) return null;
    const s = el('section', { class: 'psec', 'aria-labelledby': 'h-hotspot' });
    s.appendChild(el('h3', { id: 'h-hotspot' }, t('hotspotTitle', { indicator: loc(L.labels) || loc(L.label) || L.indicator, period: L.period })));
    s.appendChild(el('p', { class: 'cluster-what' }, t('clusterSays.' + a.cluster, { name: ctx.name })));
    if (a.p !== null) {
      s.appendChild(el('p', { class: 'cluster-sure' }, t(L.inference === 'permutation' ? 'clusterSurePerm' : 'clusterSureAnalytic',
        { p: fmtP(a.p), perms: L.permutations, alpha: L.alpha })));
    }
    if (L.adjust === 'none' && a.cluster !== 'NS') s.appendChild(el('p', { class: 'muted' }, t('clusterManyTests', { n: Object.keys(L.areas).length })));
    s.appendChild(methodCardButton(L.run));
    return s;
  }

  function profileStrengths(p, ctx) {
    const sw = strengthsWeaknesses(ctx.rows);
    const box = el('div');
    [['strengths', sw.s], ['weaknesses', sw.w]].forEach(([key, list]) => {
      box.appendChild(el('h3', null, t(key)));
      if (!list.length) {
        box.appendChild(el('p', { class: 'muted' }, t(key + 'None')));
        return;
      }
      const ul = el('ul', { class: key });
      list.forEach((x) => ul.appendChild(el('li', null, x.text)));
      box.appendChild(ul);
    });
    return box;
  }

  function profileIndicators(p, ctx) {
    const body = el('div');
    const groups = {};
    ctx.rows.forEach((x) => { const d = dimLabel(x); (groups[d] = groups[d] || []).push(x); });
    Object.keys(groups).sort((a, b) => a.localeCompare(b, state.lang)).forEach((d) => {
      body.appendChild(el('h3', null, d));
      const table = el('table', { class: 'profile-table' });
      const thead = el('thead');
      const hr = el('tr');
      ['colIndicator', 'colValue', 'colRankOf', 'colTrend'].forEach((k) => hr.appendChild(el('th', { scope: 'col' }, t(k))));
      thead.appendChild(hr);
      table.appendChild(thead);
      const tb = el('tbody');
      groups[d].forEach((x) => {
        const tr = el('tr');
        tr.appendChild(el('th', { scope: 'row' }, loc(x.labels) || loc(x.label) || x.indicator));
        const r = { value: x.value, flags: x.flags };
        if (x.value !== null && x.se !== null && x.se !== undefined) {
          r.lo = x.value - 1.959963984540054 * x.se;
          r.hi = x.value + 1.959963984540054 * x.se;
        }
        const iv = intervalWords(r, unitOf(x));
        const hidden = withheld(r) && (x.value === null || x.value === undefined);
        const td = el('td', { class: 'num' }, t('valueAt', { value: hidden ? t('suppressedPublic') : fmt(x.value, unitOf(x)), period: x.period }));
        if (iv) td.appendChild(el('span', { class: 'interval' }, iv));
        if (lowReliability(r)) td.appendChild(el('span', { class: 'flag' }, t('lowReliability')));
        tr.appendChild(td);
        const pol = x.polarity === 'higher_better' ? 1 : x.polarity === 'lower_better' ? -1 : 0;
        const need = pol > 0 ? x.n_areas - x.rank_desc + 1 : x.rank_desc;
        /* a withheld value has no rank: said so, never "null of 215" */
        const rankText = x.rank_desc === null || x.rank_desc === undefined || x.value === null
          ? (hidden ? t('rankWithheld') : '—')
          : t(pol ? 'rankOfNeed' : 'rankOfValue', { rank: pol ? need : x.rank_desc, n: x.n_areas });
        tr.appendChild(el('td', { class: 'num' }, rankText));
        const sp = el('td');
        sp.appendChild(sparkline(x.series));
        tr.appendChild(sp);
        tb.appendChild(tr);
      });
      table.appendChild(tb);
      body.appendChild(table);
    });
    return body;
  }

  /* The chart of a forecast: the observed values, then the mean with its 80% and 95% bands. */
  function forecastChart(hist, fc, unit, label) {
    const W = 320, H = 120, P = 6;
    const svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('width', String(W));
    svg.setAttribute('height', String(H));
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('class', 'forecast-chart');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    const n = hist.length + fc.length;
    const vals = hist.map((q) => q[1]).concat(fc.flatMap((q) => [q.lo95, q.hi95]));
    const lo = Math.min(...vals), hi = Math.max(...vals);
    const x = (i) => P + (i * (W - 2 * P)) / Math.max(1, n - 1);
    const y = (v) => (hi === lo ? H / 2 : H - 14 - ((v - lo) * (H - 28)) / (hi - lo));
    const poly = (pts, attrs) => {
      const e = document.createElementNS(SVGNS, attrs.fill === 'none' ? 'polyline' : 'polygon');
      e.setAttribute('points', pts.map((q) => q[0].toFixed(1) + ',' + q[1].toFixed(1)).join(' '));
      Object.keys(attrs).forEach((k) => e.setAttribute(k, attrs[k]));
      svg.appendChild(e);
    };
    const i0 = hist.length - 1; /* the bands start from the last observed value */
    const last = hist[i0];
    [['lo95', 'hi95', '#c6dbef'], ['lo80', 'hi80', '#6baed6']].forEach(([a, b, col]) => {
      const up = [[x(i0), y(last[1])]].concat(fc.map((q, k) => [x(i0 + 1 + k), y(q[b])]));
      const down = fc.map((q, k) => [x(i0 + 1 + k), y(q[a])]).reverse();
      poly(up.concat(down), { fill: col, stroke: 'none' });
    });
    poly(hist.map((q, i) => [x(i), y(q[1])]), { fill: 'none', stroke: '#0b4f9c', 'stroke-width': '2' });
    poly([[x(i0), y(last[1])]].concat(fc.map((q, k) => [x(i0 + 1 + k), y(q.mean)])),
      { fill: 'none', stroke: '#08306b', 'stroke-width': '2', 'stroke-dasharray': '4 3' });
    const txt = (tx, ty, s, anchor) => {
      const e = document.createElementNS(SVGNS, 'text');
      e.setAttribute('x', String(tx));
      e.setAttribute('y', String(ty));
      e.setAttribute('font-size', '10');
      e.setAttribute('fill', '#222222');
      e.setAttribute('text-anchor', anchor);
      e.textContent = s;
      svg.appendChild(e);
    };
    txt(P, H - 2, hist[0][0], 'start');
    txt(W - P, H - 2, fc[fc.length - 1].period, 'end');
    txt(P, 10, fmt(hi, unit), 'start');
    return svg;
  }

  /* the forecast of the shown indicator for this area: chart, sentence, table, how sure */
  function profileForecast(p, ctx) {
    const ind = state.layer === 'indicator' ? state.indicator : null;
    const F = ind && state.forecasts[ind];
    const a = F && F.areas[ctx.code];
    const row = ctx.rows.find((x) => x.indicator === ind);
    if (!a || !a.forecast.length || !row) return null;
    const hist = (row.series || []).filter((q) => q[1] !== null);
    if (!hist.length) return null;
    const fc = a.forecast, end = fc[fc.length - 1];
    const what = loc(row.labels) || loc(row.label) || ind;
    const s = el('section', { class: 'psec', 'aria-labelledby': 'h-forecast' });
    s.appendChild(el('h3', { id: 'h-forecast' }, t('forecastTitle', { indicator: what })));
    const say = t('forecastSays', { name: ctx.name, indicator: what, period: end.period, mean: fmt(end.mean, unitOf(row)),
      lo80: fmt(end.lo80, unitOf(row)), hi80: fmt(end.hi80, unitOf(row)), lo95: fmt(end.lo95, unitOf(row)), hi95: fmt(end.hi95, unitOf(row)) });
    s.appendChild(el('p', { class: 'forecast-says' }, say));
    s.appendChild(forecastChart(hist, fc, unitOf(row), say));
    const table = el('table', { class: 'profile-table forecast-table' });
    table.appendChild(el('caption', null, t('forecastCaption', { model: a.model })));
    const hr = el('tr');
    ['colPeriod', 'colForecast', 'colInterval80', 'colInterval95'].forEach((k) => hr.appendChild(el('th', { scope: 'col' }, t(k))));
    const thead = el('thead');
    thead.appendChild(hr);
    table.appendChild(thead);
    const tb = el('tbody');
    fc.forEach((q) => {
      const tr = el('tr');
      tr.appendChild(el('th', { scope: 'row' }, q.period));
      tr.appendChild(el('td', { class: 'num' }, fmt(q.mean, unitOf(row))));
      tr.appendChild(el('td', { class: 'num' }, t('range', { lo: fmt(q.lo80), hi: fmt(q.hi80) })));
      tr.appendChild(el('td', { class: 'num' }, t('range', { lo: fmt(q.lo95), hi: fmt(q.hi95) })));
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    s.appendChild(table);
    const det = el('details', { class: 'means' });
    det.appendChild(el('summary', null, t('forecastMeansTitle')));
    det.appendChild(el('p', null, t('forecastMeans', { model: a.model })));
    s.appendChild(det);
    s.appendChild(methodCardButton(F.run));
    return s;
  }

  /* what an interval means, once, when a figure of the profile has one */
  function profileIntervals(p, ctx) {
    if (!ctx.rows.some((x) => x.se !== null && x.se !== undefined && x.value !== null)) return null;
    const s = el('section', { class: 'psec notice' });
    s.appendChild(el('h3', null, t('intervalTitle')));
    s.appendChild(el('p', null, t('intervalMeans')));
    if (ctx.rows.some((x) => /low-reliability/.test(x.flags || ''))) s.appendChild(el('p', null, t('lowReliabilityMeans')));
    return s;
  }

  /* ---- catalog and runs ------------------------------------------------------------------- */

  async function showCatalog() {
    if (!state.catalog) {
      const r = await api('/api/catalog');
      state.catalog = r.ok ? r.json : [];
    }
    const cur = state.catalog.filter((s) => s.status === 'current');
    $('catalog-explain').textContent = t('explainCatalog', { n: cur.length });
    const tb = document.querySelector('#catalog-table tbody');
    tb.textContent = '';
    cur.forEach((s) => {
      const tr = el('tr');
      tr.appendChild(el('th', { scope: 'row' }, t('sourceVersion', { name: s.name, version: String(s.version) })));
      tr.appendChild(el('td', null, s.licence || t('notStated')));
      tr.appendChild(el('td', null, s.attribution || t('notStated')));
      tr.appendChild(el('td', { class: 'num' }, fmtInt(s.rows_written)));
      tr.appendChild(el('td', null, fmtDate(s.imported_at)));
      tr.appendChild(el('td', { class: 'mono' }, s.sha256.slice(0, 16) + '…'));
      tb.appendChild(tr);
    });
  }

  function cardList(obj, depth) {
    const dl = el('dl', { class: 'card' });
    Object.keys(obj).forEach((k) => {
      dl.appendChild(el('dt', null, k));
      const v = obj[k];
      const dd = el('dd');
      if (v !== null && typeof v === 'object' && depth < 3 && !Array.isArray(v)) dd.appendChild(cardList(v, depth + 1));
      else dd.textContent = typeof v === 'string' ? v : JSON.stringify(v);
      dl.appendChild(dd);
    });
    return dl;
  }

  async function showRuns() {
    if (!state.runs) {
      const r = await api('/api/runs');
      state.runs = r.ok ? r.json : [];
    }
    $('runs-explain').textContent = t('explainRuns', { n: state.runs.length });
    const box = $('runs-list');
    box.textContent = '';
    state.runs.forEach((run) => {
      const art = el('article', { class: 'run', 'aria-labelledby': 'run-' + run.id });
      art.appendChild(el('h3', { id: 'run-' + run.id }, t('runTitle', { id: String(run.id), kind: run.kind, at: fmtDate(run.created_at) })));
      art.appendChild(el('p', { class: 'muted' }, t('runBy', { who: run.created_by || t('notStated') })));
      const det = el('details', { id: 'card-' + run.id });
      det.appendChild(el('summary', null, t('methodCard')));
      const card = run.method_card_text || run.method_card; // in the page's language when the server gives it
      det.appendChild(card && typeof card === 'object' ? cardList(card, 0) : el('p', null, t('notStated')));
      art.appendChild(det);
      const b = el('button', { type: 'button', class: 'run-result', 'data-run': String(run.id) }, t('showResult'));
      art.appendChild(b);
      art.appendChild(el('div', { class: 'result', id: 'result-' + run.id, role: 'region', 'aria-live': 'polite', 'aria-label': t('result') }));
      box.appendChild(art);
    });
  }

  /* "Method card" next to a figure: the Analyses view with that run's card open */
  async function openCard(id) {
    selectTab($('tab-runs'), false);
    await showRuns();
    const det = $('card-' + id);
    if (!det) return;
    det.open = true;
    det.querySelector('summary').focus();
    det.scrollIntoView({ block: 'start' });
  }

  async function showResult(id) {
    const out = $('result-' + id);
    out.textContent = '';
    const r = await api('/api/runs/' + encodeURIComponent(id));
    if (r.status === 401 || r.status === 403) {
      out.appendChild(el('p', { class: 'notice' }, t(r.status === 401 ? 'resultSignIn' : 'resultRole')));
      return;
    }
    if (!r.ok) {
      out.appendChild(el('p', { class: 'error' }, t('loadFailed', { msg: r.json && r.json.error ? r.json.error : r.status })));
      return;
    }
    const text = JSON.stringify(r.json.result, null, 2) || '';
    out.appendChild(el('pre', { class: 'json', tabindex: '0' }, text.length > 20000 ? text.slice(0, 20000) + '\n…' : text));
  }

  /* ---- emerging needs (the latest alerts run) ------------------------------------------ */

  async function loadAlerts() {
    if (!state.alerts) {
      const r = await api('/api/alerts');
      state.alerts = r.ok && Array.isArray(r.json.alerts) ? r.json : { alerts: [] };
    }
    return state.alerts;
  }

  function alertSentence(a) {
    return (a.sentence && (a.sentence[state.lang] || a.sentence.en)) || '';
  }

  function alertItem(a, withLink) {
    const li = el('li', { class: 'alert alert-' + a.direction });
    li.appendChild(el('span', { class: 'alert-kind' }, t('alertKindDir', { kind: t('alertKind.' + a.kind), direction: t('alertDir.' + a.direction) })));
    li.appendChild(el('p', { class: 'alert-says' }, alertSentence(a)));
    if (withLink) li.appendChild(el('button', { type: 'button', class: 'link', 'data-area': a.area }, t('alertOpen', { name: a.area_name || a.area })));
    return li;
  }

  async function showAlerts() {
    const A = await loadAlerts();
    const worse = $('alerts-worse').checked;
    const list = A.alerts.filter((a) => !worse || a.direction === 'worsening' || a.kind === 'revision'); /* a revised figure: always shown */
    $('alerts-explain').textContent = A.run
      ? t('alertsExplain', { n: A.alerts.length, w: A.alerts.filter((a) => a.direction === 'worsening').length, tests: A.tests, since: String(A.since), fdr: Math.round(A.fdr * 100) })
      : t('alertsNone');
    const ol = $('alerts-list');
    ol.textContent = '';
    list.forEach((a) => ol.appendChild(alertItem(a, true)));
  }

  /* the alerts about this area, from the same run */
  function profileAlerts(p, ctx) {
    const A = state.alerts;
    const mine = A ? A.alerts.filter((a) => a.area === ctx.code) : [];
    if (!mine.length) return null;
    const s = el('section', { class: 'psec', 'aria-labelledby': 'h-alerts' });
    s.appendChild(el('h3', { id: 'h-alerts' }, t('profileAlertsTitle', { n: mine.length })));
    const ol = el('ol', { class: 'alerts' });
    mine.forEach((a) => ol.appendChild(alertItem(a, false)));
    s.appendChild(ol);
    if (A.run) s.appendChild(methodCardButton(A.run));
    return s;
  }

  /* ---- tabs ---------------------------------------------------------------------------- */

  function selectTab(tab, focus) {
    document.querySelectorAll('[role=tab]').forEach((b) => {
      const on = b === tab;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      $(b.getAttribute('aria-controls')).hidden = !on;
    });
    if (focus) tab.focus();
    if (tab.id === 'tab-catalog') showCatalog();
    if (tab.id === 'tab-runs') showRuns();
    if (tab.id === 'tab-alerts') showAlerts();
    document.dispatchEvent(new CustomEvent('sol:tab', { detail: tab.id }));
  }

  /* ---- account --------------------------------------------------------------------------- */

  function showMe() {
    const m = state.me;
    document.dispatchEvent(new CustomEvent('sol:role'));
    $('login-form').hidden = m.signed_in;
    $('me').hidden = !m.signed_in;
    if (m.signed_in) $('me-text').textContent = t('signedInAs', { name: m.name, role: t('role.' + m.role) });
  }

  async function login(evt) {
    evt.preventDefault();
    $('login-error').textContent = '';
    const r = await api('/api/login', { body: { name: $('login-name').value, password: $('login-password').value } });
    $('login-password').value = '';
    if (!r.ok) {
      $('login-error').textContent = t(r.status === 429 ? 'loginLimited' : 'loginFailed');
      return;
    }
    state.me = r.json;
    showMe();
    await roleChanged();
    $('logout').focus();
  }

  async function logout() {
    await api('/api/logout', { body: {} });
    state.me = { signed_in: false, role: 'anonymous' };
    showMe();
    document.querySelectorAll('.result').forEach((e) => { e.textContent = ''; });
    await roleChanged();
    $('login-name').focus();
  }

  /* What the server sends depends on the role (values withheld from the public reach analysts
   * only): after signing in or out, everything on screen is fetched again, so that an analyst's
   * values never stay in view after sign-out. */
  async function roleChanged() {
    const layers = await api('/api/layers');
    state.layers = layers.ok && layers.json ? { index: layers.json.index || null, hotspots: layers.json.hotspots || null } : { index: null, hotspots: null };
    state.forecasts = {};
    state.alerts = null;
    if (viewReady() || state.layer !== 'indicator') await drawMap();
    if (state.profileCode && !$('profile').hidden) {
      const r = await api('/api/areas/' + encodeURIComponent(state.profileCode) + '/profile');
      if (r.ok) {
        await loadForecasts();
        await loadAlerts();
        state.profileData = r.json;
        renderProfile(r.json);
      } else {
        $('profile').hidden = true;
      }
    }
  }

  /* ---- export ---------------------------------------------------------------------------- */

  function download(blob, name) {
    const a = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function fileBase() {
    const what = state.layer === 'indicator' ? state.indicator : state.layer === 'index' ? 'index-run' + state.layers.index.run
      : 'hotspots-run' + state.layers.hotspots.run;
    return 'solidata-' + what + '-' + state.period + '-' + state.level;
  }

  /* The CSV as the page's language opens it in a spreadsheet: in French and Italian ';' between
   * fields, ',' as the decimal mark, a UTF-8 byte order mark and CRLF (what `solidata export data
   * --csv-dialect excel-fr|excel-it` writes); in English ',' and '.'. The column names stay the
   * machine names, the same in every language, so that a script reads every download alike. */
  function csvDialect() {
    return state.lang === 'fr' || state.lang === 'it' ? { sep: ';', dec: ',', eol: '\r\n', bom: '\ufeff' }
      : { sep: ',', dec: '.', eol: '\n', bom: '' };
  }

  /* a text cell: quoted when it holds the separator, a quote or a line break; a cell a
   * spreadsheet would run as a formula gets a single quote first (OWASP CSV injection) */
  function csvText(s, D) {
    s = s === null || s === undefined ? '' : String(s);
    const formula = /^[=+\-@\t\r]/.test(s);
    if (formula) s = "'" + s;
    return formula || s.includes(D.sep) || /["\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  /* a number cell: all its digits, with the dialect's decimal mark; '' for none */
  function csvNum(x, D) {
    return x === null || x === undefined || Number.isNaN(x) ? '' : String(x).replace('.', D.dec);
  }

  function exportCsv() {
    const D = csvDialect();
    const T = (x) => csvText(x, D), N = (x) => csvNum(x, D);
    const row = (cells) => cells.join(D.sep);
    let lines;
    if (state.layer === 'index') {
      const run = state.layers.index.run;
      lines = [row(['area_code', 'area_name', 'index_run', 'period', 'score', 'rank', 'rank_lo_90', 'rank_hi_90', 'rank_meaning'])];
      state.rows.forEach((r) => lines.push(row([T(r.code), T(r.name), N(run), T(state.period), N(r.value), N(r.rank), N(r.rlo), N(r.rhi), T('highest_score_first')])));
    } else if (state.layer === 'hotspots') {
      const L = state.layers.hotspots;
      lines = [row(['area_code', 'area_name', 'lisa_run', 'indicator', 'period', 'value', 'cluster', 'p', 'inference', 'alpha'])];
      state.rows.forEach((r) => lines.push(row([T(r.code), T(r.name), N(L.run), T(L.indicator), T(state.period), N(r.value), T(r.cluster), N(r.p), T(L.inference), N(L.alpha)])));
    } else {
      lines = [row(['area_code', 'area_name', 'indicator', 'period', 'value', 'rank', 'rank_meaning', 'se', 'lower_95', 'upper_95', 'flags'])];
      const meaning = state.classes.pol ? 'greatest_need_first' : 'highest_value_first';
      state.rows.forEach((r) => lines.push(row([T(r.code), T(r.name), T(state.indicator), T(state.period),
        N(r.value), N(r.rank), T(meaning), N(r.se), N(r.lo), N(r.hi), T(r.flags)])));
    }
    download(new Blob([D.bom + lines.join(D.eol) + D.eol], { type: 'text/csv;charset=utf-8' }), fileBase() + '.csv');
  }

  /* The credit of the current view, as lines: its sources and licences (CC BY requires them).
   * For an indicator (and the hot spots of one) the server's own map of it names exactly the
   * sources of its values, in the page's language (the footer of /api/map.svg); otherwise every
   * current source of the store is credited. */
  async function creditLines() {
    const ind = state.layer === 'indicator' ? state.indicator : state.layer === 'hotspots' ? state.layers.hotspots.indicator : null;
    if (ind) {
      try {
        const r = await fetch('/api/map.svg?indicator=' + encodeURIComponent(ind) + '&period=' + encodeURIComponent(state.period) +
          '&lang=' + encodeURIComponent(state.lang), { credentials: 'same-origin' });
        if (r.ok) {
          const doc = new DOMParser().parseFromString(await r.text(), 'image/svg+xml');
          const lines = [...doc.querySelectorAll('#footer text')].map((e) => e.textContent.trim()).filter(Boolean);
          if (lines.length) return lines;
        }
      } catch (e) { /* fall back to the catalogue */ }
    }
    if (!state.catalog) {
      const r = await api('/api/catalog');
      state.catalog = r.ok ? r.json : [];
    }
    const cur = state.catalog.filter((x) => x.status === 'current');
    const names = [...new Set(cur.map((x) => x.attribution || x.name))];
    const lics = [...new Set(cur.map((x) => x.licence).filter(Boolean))];
    const lines = [];
    if (names.length) lines.push(t('creditSources', { sources: names.join('; ') }));
    if (lics.length) lines.push(t('creditLicences', { licences: lics.join('; ') }));
    return lines;
  }

  /* `text` cut into lines no wider than `width` on canvas `g` (its current font) */
  function wrapText(g, text, width) {
    const out = [];
    let line = '';
    text.split(/\s+/).forEach((w) => {
      const next = line ? line + ' ' + w : w;
      if (line && g.measureText(next).width > width) {
        out.push(line);
        line = w;
      } else {
        line = next;
      }
    });
    if (line) out.push(line);
    return out;
  }

  /* The map as a PNG: title, the map, its legend, then the credit under it (sources, licences)
   * and the date it was made. */
  async function exportPng() {
    const svg = $('map');
    const vb = svg.viewBox.baseVal;
    const clone = svg.cloneNode(true);
    clone.setAttribute('width', String(vb.width));
    clone.setAttribute('height', String(vb.height));
    clone.querySelectorAll('path').forEach((p) => { p.setAttribute('stroke', '#ffffff'); p.setAttribute('stroke-width', '0.6'); });
    const src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(clone));
    const credit = await creditLines();
    const made = t('creditMade', { date: new Intl.DateTimeFormat(state.lang, { dateStyle: 'long' }).format(new Date()) });
    const img = new Image();
    img.onload = () => {
      const items = [...document.querySelectorAll('#legend-items li')];
      const pad = 20, head = 60, legendH = items.length * 24 + 20;
      const c = document.createElement('canvas');
      c.width = vb.width + 2 * pad;
      const g0 = c.getContext('2d');
      g0.font = '14px sans-serif';
      const foot = credit.concat([made]).flatMap((l) => wrapText(g0, l, c.width - 2 * pad));
      c.height = vb.height + head + legendH + foot.length * 20 + 2 * pad;
      const g = c.getContext('2d');
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, c.width, c.height);
      g.fillStyle = '#1b1b1b';
      g.font = 'bold 20px sans-serif';
      g.fillText(mapTitle(), pad, 34, c.width - 2 * pad);
      g.drawImage(img, pad, head, vb.width, vb.height);
      g.font = '15px sans-serif';
      let y = head + vb.height + 24;
      items.forEach((li) => {
        const rect = li.querySelector('rect');
        if (rect) {
          g.fillStyle = rect.getAttribute('fill');
          g.fillRect(pad, y - 14, 18, 18);
          g.strokeStyle = '#555555';
          g.strokeRect(pad, y - 14, 18, 18);
        }
        g.fillStyle = '#1b1b1b';
        g.fillText(li.textContent, pad + (rect ? 28 : 0), y);
        y += 24;
      });
      /* the credit, under a rule */
      y += 4;
      g.strokeStyle = '#bfbfbf';
      g.beginPath();
      g.moveTo(pad, y - 14);
      g.lineTo(c.width - pad, y - 14);
      g.stroke();
      g.fillStyle = '#404040';
      g.font = '14px sans-serif';
      foot.forEach((l) => {
        g.fillText(l, pad, y + 4);
        y += 20;
      });
      $('export-png').dataset.credit = foot.join('\n'); /* what the image says, for the tests */
      c.toBlob((b) => download(b, fileBase() + '.png'), 'image/png');
    };
    img.src = src;
  }

  /* ---- wiring ---------------------------------------------------------------------------- */

  function relabel() {
    applyStatic();
    document.dispatchEvent(new CustomEvent('sol:relabel'));
    showMe();
    if (state.indicator || state.layer !== 'indicator') {
      fillPickers();
      drawMap();
    }
    if (state.profileData && !$('profile').hidden) renderProfile(state.profileData);
    if (!$('view-catalog').hidden) showCatalog();
    if (!$('view-runs').hidden) showRuns();
    if (!$('view-alerts').hidden) showAlerts();
  }

  function wire() {
    $('lang').addEventListener('change', async () => {
      const lang = $('lang').value;
      try { localStorage.setItem('solidata.lang', lang); } catch (e) { /* private mode */ }
      await setLang(lang, true);
      relabel();
    });
    $('layer').addEventListener('change', () => {
      chooseLayer($('layer').value);
      fillPickers();
      drawMap();
      refreshProfile();
    });
    $('layer-card').addEventListener('click', () => { if ($('layer-card').dataset.run) openCard($('layer-card').dataset.run); });
    $('profile').addEventListener('click', (e) => { if (e.target.dataset && e.target.dataset.card) openCard(e.target.dataset.card); });
    $('level').addEventListener('change', () => {
      state.level = $('level').value;
      chooseDefaults(false);
      fillPickers();
      drawMap();
    });
    $('indicator').addEventListener('change', () => {
      state.indicator = $('indicator').value;
      chooseDefaults(true);
      fillPickers();
      drawMap();
      refreshProfile();
    });
    $('period').addEventListener('change', () => {
      state.period = $('period').value;
      drawMap();
    });
    $('controls').addEventListener('submit', (e) => e.preventDefault());
    $('alerts-worse').addEventListener('change', showAlerts);
    $('alerts-list').addEventListener('click', (e) => {
      const code = e.target.dataset && e.target.dataset.area;
      if (!code) return;
      selectTab($('tab-map'), false);
      openProfile(code);
    });
    const map = $('map');
    map.addEventListener('mousemove', (e) => { if (e.target.dataset.code) showTip(e.target, e); else hideTip(); });
    map.addEventListener('mouseleave', hideTip);
    map.addEventListener('focusin', (e) => { if (e.target.dataset.code) showTip(e.target, null); });
    map.addEventListener('focusout', hideTip);
    map.addEventListener('click', (e) => { if (e.target.dataset.code) openProfile(e.target.dataset.code); });
    map.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target.dataset.code) {
        e.preventDefault();
        openProfile(e.target.dataset.code);
      }
    });
    $('profile-close').addEventListener('click', () => {
      $('profile').hidden = true;
      markSelected();
      const back = document.querySelector('#map path[data-code="' + CSS.escape(state.profileCode || '') + '"]');
      if (back) back.focus();
    });
    document.querySelector('#values-table thead').addEventListener('click', (e) => {
      const k = e.target.dataset && e.target.dataset.sort;
      if (!k) return;
      state.sort = { key: k, dir: state.sort.key === k ? -state.sort.dir : 1 };
      drawTable();
    });
    document.querySelector('#values-table tbody').addEventListener('click', (e) => {
      if (e.target.dataset && e.target.dataset.code) openProfile(e.target.dataset.code);
    });
    $('tablist').addEventListener('click', (e) => { if (e.target.getAttribute('role') === 'tab') selectTab(e.target, false); });
    $('tablist').addEventListener('keydown', (e) => {
      const tabs = [...document.querySelectorAll('[role=tab]')].filter((b) => !b.hidden);
      const i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      let j = null;
      if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
      if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      if (e.key === 'Home') j = 0;
      if (e.key === 'End') j = tabs.length - 1;
      if (j !== null) {
        e.preventDefault();
        selectTab(tabs[j], true);
      }
    });
    $('runs-list').addEventListener('click', (e) => { if (e.target.dataset && e.target.dataset.run) showResult(e.target.dataset.run); });
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('export-csv').addEventListener('click', exportCsv);
    $('export-png').addEventListener('click', exportPng);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !$('profile').hidden) $('profile-close').click();
    });
  }

  /* The page's language: ?lang= in the address first (a link opens the dashboard in that
   * language), then the choice saved in this browser, then the browser's languages, then English.
   * An unknown ?lang= (de) is passed over. */
  function chooseLang() {
    const ok = (l) => (l && I.languages.includes(l) ? l : null);
    const fromUrl = ok((new URLSearchParams(location.search).get('lang') || '').toLowerCase().slice(0, 2));
    if (fromUrl) return fromUrl;
    let saved = null;
    try { saved = ok(localStorage.getItem('solidata.lang')); } catch (e) { saved = null; }
    if (saved) return saved;
    const nav = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'])
      .map((l) => ok(String(l).slice(0, 2).toLowerCase())).find(Boolean);
    return nav || 'en';
  }

  /* Load the words of `lang` and make it the page's language; with `inUrl`, write it into the
   * address too (history.replaceState: no new history entry), so that a link opens it. */
  async function setLang(lang, inUrl) {
    if (!(await I.load(lang))) lang = 'en';
    state.lang = lang;
    const u = new URL(location.href);
    if (inUrl && u.searchParams.get('lang') !== lang) {
      u.searchParams.set('lang', lang);
      history.replaceState(history.state, '', u.pathname + u.search + u.hash);
    }
  }

  async function start() {
    /* an address that names a language it cannot have (?lang=de) is corrected to the one shown */
    await setLang(chooseLang(), new URLSearchParams(location.search).has('lang'));
    applyStatic();
    wire();
    if (window.SOL_LOCATE) window.SOL_LOCATE.register({ t, api, el, state, levelName });
    if (window.SOL_CONNECT) window.SOL_CONNECT.register({ t, api, el, state });
    if (window.SOL_AUDIENCE) window.SOL_AUDIENCE.register({ t, api, el, state, levelName });
    if (window.SOL_TAKEUP) window.SOL_TAKEUP.register({ t, api, el, state });
    if (window.SOL_CAMPAIGN) window.SOL_CAMPAIGN.register({ t, api, el, state });
    const [me, inds, layers] = await Promise.all([api('/api/me'), api('/api/indicators'), api('/api/layers')]);
    if (me.ok) state.me = me.json;
    if (layers.ok && layers.json) state.layers = { index: layers.json.index || null, hotspots: layers.json.hotspots || null };
    showMe();
    if (!inds.ok) {
      setStatus(t('loadFailed', { msg: inds.status }));
      return;
    }
    state.indicators = inds.json;
    inds.json.forEach((i) => { state.byCode[i.code] = i; });
    const levels = new Set();
    inds.json.forEach((i) => Object.keys(i.coverage || {}).forEach((l) => levels.add(l)));
    const order = ['region', 'province', 'municipality', 'district', 'section'];
    state.levels = [...levels].sort((a, b) => (order.indexOf(a) + 99 * (order.indexOf(a) < 0)) - (order.indexOf(b) + 99 * (order.indexOf(b) < 0)));
    state.level = state.levels[0] || null;
    if (!state.level) {
      setStatus(t('nothingToShow'));
      return;
    }
    chooseDefaults(false);
    fillPickers();
    await drawMap();
    document.body.dataset.ready = '1';
    document.dispatchEvent(new CustomEvent('sol:ready'));
    /* the other languages' words, ahead of a change of language */
    I.languages.forEach((l) => I.load(l));
  }

  /* what the workspace and the first-visit helpers (workspace.js, firstvisit.js) use */
  window.SOL_APP = { state, t, api, el, fmt, fmtInt, fmtDate, indLabel, selectTab, openCard };

  document.addEventListener('DOMContentLoaded', start);
})();
