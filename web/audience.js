/* audience.js - the view "Who we reach": the published audience cards listed like an ad library
 * (GET /api/audiences: whom, the rule in words, the evidence and its sources, the k, the areas
 * and people reached with their interval, when and by whom, the areas on a small map), drafts
 * with a button to publish them for a signed-in analyst, and a form that builds a rule from
 * choices (an indicator, a condition, a threshold, the people counted) with a preview of the areas
 * and people and the refusal in words when an area holds fewer than k people (POST
 * /api/audiences). app.js registers it (SOL_AUDIENCE.register); every word is in
 * web/messages.json under "aud.". */
'use strict';

window.SOL_AUDIENCE = (function () {
  let app = null; /* { t, api, el, state } from app.js */
  let indicators = null;

  const $ = (id) => document.getElementById(id);
  const t = (k, p) => app.t(k, p);

  /* "94 places, about 73,673 people (between ... and ...)", or an exact count said as such */
  function reach(c) {
    const p = c.people || {}, areas = num((c.areas || []).length);
    if (p.low === p.high && p.low === p.estimate)
      return t('aud.reachExact', { areas, people: num(p.estimate) });
    return t('aud.reachText', { areas, people: num(p.estimate), low: num(p.low), high: num(p.high) });
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function num(x) {
    return x === null || x === undefined ? '-' : window.SOL_I18N.number(app.state.lang, Math.round(x));
  }

  function when(iso) {
    if (!iso) return '-';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleDateString(app.state.lang);
  }

  function analyst() {
    const r = app.state.me && app.state.me.role;
    return r === 'analyst' || r === 'admin';
  }

  /* ---- one card ------------------------------------------------------------------------------ */

  function card(c) {
    const box = el('article', { class: 'aud-card', 'data-audience': c.name });
    const h = el('h3', {}, c.name);
    if (!c.published) h.appendChild(el('span', { class: 'aud-draft' }, ' ' + t('aud.draft')));
    box.appendChild(h);
    const dl = el('dl', { class: 'aud-facts' });
    const row = (k, v) => { dl.appendChild(el('dt', {}, t(k))); dl.appendChild(el('dd', {}, v)); };
    row('aud.who', c.group);
    row('aud.rule', c.rule_text);
    if (c.purpose) row('aud.purpose', c.purpose + (c.public_service ? ' (' + t('aud.publicService') + ')' : ''));
    row('aud.reach', reach(c));
    row('aud.k', t('aud.kText', { k: num(c.k) }));
    const ev = el('ul', { class: 'aud-evidence' });
    (c.evidence || []).forEach((e) => {
      const src = (e.sources || []).map((s) => s.name + (s.licence ? ' (' + s.licence + ')' : '')).join('; ');
      ev.appendChild(el('li', {}, e.label + ', ' + e.period + (src ? ' — ' + src : '')));
    });
    dl.appendChild(el('dt', {}, t('aud.evidence')));
    const dd = el('dd');
    dd.appendChild(ev);
    dl.appendChild(dd);
    const ex = c.excluded || {};
    if (ex.withheld && ex.withheld.length) row('aud.leftOut', t('aud.withheldText', { n: num(ex.withheld.length) }));
    row('aud.when', c.created_by ? t('aud.whenText', { date: when(c.created_at), who: c.created_by })
      : t('aud.whenTextNoWho', { date: when(c.created_at) }));
    box.appendChild(dl);
    const lang = encodeURIComponent(app.state.lang);
    const name = encodeURIComponent(c.name);
    const img = el('img', {
      class: 'aud-map', loading: 'lazy', src: '/api/audiences/' + name + '/map.svg?lang=' + lang,
      alt: t('aud.mapAlt', { name: c.name })
    });
    img.style.maxWidth = '100%';
    box.appendChild(img);
    const links = el('p', { class: 'aud-links' });
    const a = el('a', { href: '/api/audiences/' + name + '/places.csv' }, t('aud.places'));
    a.setAttribute('download', c.name + '-places.csv');
    links.appendChild(a);
    links.appendChild(document.createTextNode(' · '));
    const b = el('a', { href: '/api/audiences/' + name + '/areas.csv' }, t('aud.areasCsv'));
    b.setAttribute('download', c.name + '-areas.csv');
    links.appendChild(b);
    box.appendChild(links);
    if (analyst()) {
      const btn = el('button', { type: 'button', class: 'aud-publish' }, c.published ? t('aud.unpublish') : t('aud.publish'));
      btn.addEventListener('click', async () => {
        const r = await app.api('/api/audiences/publish', { body: { name: c.name, publish: !c.published } });
        if (r.ok) load();
        else $('aud-status').textContent = (r.json && r.json.error) || String(r.status);
      });
      box.appendChild(btn);
    }
    return box;
  }

  async function load() {
    const list = $('aud-list');
    if (!list) return;
    const r = await app.api('/api/audiences?lang=' + encodeURIComponent(app.state.lang));
    list.textContent = '';
    const cards = r.ok && r.json ? r.json.audiences : [];
    $('aud-k').textContent = r.ok && r.json ? t('aud.kText', { k: num(r.json.k) }) : '';
    if (!cards.length) list.appendChild(el('p', { class: 'explain' }, t('aud.none')));
    cards.forEach((c) => list.appendChild(card(c)));
    $('aud-form-box').hidden = !analyst();
    if (analyst()) await form();
  }

  /* ---- the analyst's form ------------------------------------------------------------------ */

  function option(sel, value, text) {
    const o = el('option', { value }, text);
    sel.appendChild(o);
  }

  async function form() {
    if (!indicators) {
      const r = await app.api('/api/indicators');
      indicators = r.ok && r.json ? (r.json.indicators || r.json) : [];
    }
    const lang = app.state.lang;
    const label = (i) => (i.labels && (i.labels[lang] || i.labels.en)) || i.label || i.code;
    ['aud-cond', 'aud-people'].forEach((id) => {
      const sel = $(id);
      if (sel.options.length) return;
      if (id === 'aud-cond') option(sel, '', t('aud.noCondition'));
      indicators.forEach((i) => option(sel, i.code, label(i)));
    });
    const lv = $('aud-level');
    if (!lv.options.length) {
      (app.state.levels || []).forEach((l) => option(lv, l, app.levelName ? app.levelName(l) : l));
      /* the level shown on the map; then the level of the chosen figure (levelFor) */
      if (app.state.level) lv.value = app.state.level;
      else if (app.state.levels && app.state.levels.length) lv.value = app.state.levels.slice(-1)[0];
    }
    const ops = $('aud-op');
    if (!ops.options.length) {
      [['top', 'aud.opTop'], ['bottom', 'aud.opBottom'], ['>', 'aud.opAbove'], ['<', 'aud.opBelow']]
        .forEach(([v, k]) => option(ops, v, t(k)));
    }
  }

  function rule() {
    const r = { people: $('aud-people').value, conditions: [] };
    const lv = $('aud-level').value;
    if (lv) r.level = lv;
    const c = $('aud-cond').value, v = parseFloat($('aud-value').value);
    if (c && Number.isFinite(v)) r.conditions.push({ indicator: c, op: $('aud-op').value, value: v });
    const purpose = $('aud-purpose').value.trim();
    if (purpose) r.purpose = purpose;
    r.public_service = $('aud-public').checked;
    return r;
  }

  async function send(preview) {
    const out = $('aud-result');
    out.textContent = '';
    const name = $('aud-name').value.trim() || 'preview';
    const r = await app.api('/api/audiences', { body: { name, rule: rule(), preview, drop_small: $('aud-drop').checked } });
    if (!r.ok) {
      out.appendChild(el('p', { class: 'error', role: 'alert' }, t('aud.refused') + ' ' + ((r.json && r.json.error) || r.status)));
      return;
    }
    const c = r.json;
    out.appendChild(el('p', { class: 'notice' }, (preview ? t('aud.previewDone') : t('aud.defined')) + ' ' +
      reach(c)));
    const names = (c.areas || []).slice(0, 40).map((a) => a.name || a.code).join(', ');
    out.appendChild(el('p', {}, names + ((c.areas || []).length > 40 ? ', …' : '')));
    (c.notes || []).forEach((n) => out.appendChild(el('p', { class: 'help' }, n)));
    if (!preview) load();
  }

  function register(helpers) {
    app = helpers;
    const view = $('view-audience');
    if (!view) return;
    /* a figure chosen for the condition (or the people) brings the form to a level where it has
     * values: the one shown if it has, else the finest */
    const levelFor = (code) => {
      const ind = (app.state.indicators || []).find((i) => i.code === code);
      const cov = ind && ind.coverage ? Object.keys(ind.coverage) : [];
      const lv = $('aud-level');
      if (!cov.length || cov.indexOf(lv.value) >= 0) return;
      const order = (app.state.levels || []).filter((l) => cov.indexOf(l) >= 0);
      lv.value = order.length ? order[order.length - 1] : cov[0];
    };
    $('aud-cond').addEventListener('change', () => levelFor($('aud-cond').value));
    $('aud-people').addEventListener('change', () => { if (!$('aud-cond').value) levelFor($('aud-people').value); });
    $('aud-preview').addEventListener('click', () => send(true));
    $('aud-define').addEventListener('click', () => send(false));
    const shown = () => !view.hidden;
    new MutationObserver(() => { if (shown()) load(); }).observe(view, { attributes: true, attributeFilter: ['hidden'] });
    new MutationObserver(() => { if (shown()) { indicators = null; ['aud-level', 'aud-cond', 'aud-people', 'aud-op'].forEach((id) => { $(id).textContent = ''; }); load(); } })
      .observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    new MutationObserver(() => { if (shown()) load(); }).observe($('me'), { attributes: true, attributeFilter: ['hidden'] });
    if (shown()) load();
  }

  return { register, load };
})();

/* People who do not get help they are entitled to (non-take-up, GET /api/takeup, analysts): the
 * eligible people per place as a count of people times a share, against the count of people
 * helped; per place eligible, helped and the gap with its interval, the largest gaps first. */
window.SOL_TAKEUP = (function () {
  let app = null;
  const $ = (id) => document.getElementById(id);
  const t = (k, p) => app.t(k, p);
  const num = (x) => (x === null || x === undefined ? '' : new Intl.NumberFormat(app.state.lang, { maximumFractionDigits: 0 }).format(x));
  const analyst = () => app.state.me && (app.state.me.role === 'analyst' || app.state.me.role === 'admin');

  function field(box, id, key, input) {
    const d = app.el('div', { class: 'field wide' });
    d.appendChild(app.el('label', { for: id }, t(key)));
    input.id = id;
    d.appendChild(input);
    box.appendChild(d);
    return input;
  }

  function build() {
    const view = $('view-audience');
    let sec = $('takeup-box');
    if (sec) sec.remove();
    if (!analyst()) return;
    sec = app.el('section', { id: 'takeup-box', 'aria-labelledby': 'takeup-title' });
    sec.appendChild(app.el('h3', { id: 'takeup-title' }, t('takeup.title')));
    sec.appendChild(app.el('p', { class: 'help' }, t('takeup.explain')));
    const label = (i) => (window.SOL_APP && window.SOL_APP.indLabel ? window.SOL_APP.indLabel(i) : (i.label || i.code));
    const sel = (id, key) => {
      const s = field(sec, id, key, app.el('select'));
      (app.state.indicators || []).forEach((i) => s.appendChild(app.el('option', { value: i.code }, label(i))));
      return s;
    };
    const people = sel('takeup-people', 'takeup.people');
    const share = sel('takeup-share', 'takeup.share');
    const helped = sel('takeup-helped', 'takeup.helped');
    const d = app.el('div', { class: 'field' });
    const mz = app.el('input', { type: 'checkbox', id: 'takeup-zero' });
    const l = app.el('label');
    l.appendChild(mz);
    l.appendChild(document.createTextNode(' ' + t('takeup.zero')));
    d.appendChild(l);
    sec.appendChild(d);
    const btn = app.el('button', { type: 'button', id: 'takeup-show' }, t('takeup.show'));
    sec.appendChild(btn);
    const out = app.el('div', { id: 'takeup-result', 'aria-live': 'polite' });
    sec.appendChild(out);
    btn.addEventListener('click', async () => {
      out.textContent = '';
      const q = new URLSearchParams({ eligible: 'people ' + people.value + ' * share ' + share.value, receiving: helped.value, lang: app.state.lang });
      if (mz.checked) q.set('missing_as_zero', '1');
      const r = await app.api('/api/takeup?' + q.toString());
      if (!r.ok || !r.json) {
        out.appendChild(app.el('p', { class: 'error', role: 'alert' }, t('takeup.failed', { msg: (r.json && r.json.error) || r.status })));
        return;
      }
      const table = app.el('table', { class: 'data', id: 'takeup-table' });
      const head = app.el('tr');
      ['takeup.col.rank', 'takeup.col.place', 'takeup.col.eligible', 'takeup.col.helped', 'takeup.col.gap'].forEach((k) => head.appendChild(app.el('th', { scope: 'col' }, t(k))));
      const thead = app.el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      const tb = app.el('tbody');
      (r.json.areas || []).forEach((a) => {
        const tr = app.el('tr');
        [String(a.rank), a.name || a.code,
          t('takeup.range', { n: num(a.eligible), low: num(a.eligible_low), high: num(a.eligible_high) }),
          num(a.receiving),
          t('takeup.range', { n: num(a.gap), low: num(a.gap_low), high: num(a.gap_high) }) + (a.sure ? ' ' + t('takeup.sure') : '')]
          .forEach((v) => tr.appendChild(app.el('td', null, v)));
        tb.appendChild(tr);
      });
      table.appendChild(tb);
      out.appendChild(table);
      (r.json.notes || []).forEach((n) => out.appendChild(app.el('p', { class: 'help' }, n)));
    });
    view.appendChild(sec);
  }

  function register(helpers) {
    app = helpers;
    const view = $('view-audience');
    if (!view) return;
    const shown = () => !view.hidden;
    new MutationObserver(() => { if (shown()) build(); }).observe(view, { attributes: true, attributeFilter: ['hidden'] });
    new MutationObserver(() => { if (shown()) build(); }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    const me = $('me');
    if (me) new MutationObserver(() => { if (shown()) build(); }).observe(me, { attributes: true, attributeFilter: ['hidden'] });
    if (shown()) build();
  }

  return { register };
})();
