/* connect.js - the analyst's panel "Data updated automatically (connectors)" in the Sources view:
 * each connector with its provider, last check, last change and what changed (GET
 * /api/connectors), and a "Refresh now" button (POST /api/connectors/refresh). Revised
 * published figures then appear among the emerging needs. app.js registers it with its helpers
 * (SOL_CONNECT.register); every word comes from web/messages.json. Below it, "Add a connector":
 * choose a publisher, search its datasets by words, pick one, choose the figures per dimension
 * (or type the key), how often to check, then Add (POST /api/connectors). */
'use strict';

window.SOL_CONNECT = (function () {
  let app = null; /* { t, api, el, state } from app.js */
  const $ = (id) => document.getElementById(id);
  const t = (k, p) => app.t(k, p);

  function when(iso) {
    if (!iso) return t('connect.never');
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString(app.state.lang);
  }

  function changed(c) {
    if (!c.last_outcome) return t('connect.notYet');
    if (c.last_outcome === 'new-version') return t('connect.outcome.new', { added: c.added, revised: c.revised, removed: c.removed });
    return t('connect.outcome.' + c.last_outcome);
  }

  function analyst() {
    const me = app.state.me || {};
    return me.signed_in && (me.role === 'analyst' || me.role === 'admin');
  }

  async function refresh(name, btn, status) {
    btn.disabled = true;
    status.textContent = t('connect.refreshing', { name });
    const r = await app.api('/api/connectors/refresh', { body: { name } });
    btn.disabled = false;
    if (!r.ok || !r.json || !r.json.results) {
      status.textContent = t('connect.failed', { name, msg: (r.json && r.json.error) || r.status });
      return;
    }
    const x = r.json.results[0] || {};
    if (x.outcome === 'failed') status.textContent = t('connect.failed', { name, msg: x.error });
    else if (x.outcome === 'new-version') status.textContent = t('connect.refreshedNew', { name, version: x.version, added: x.added, revised: x.revised, removed: x.removed });
    else status.textContent = t('connect.refreshedSame', { name });
    if (x.revision_run) app.state.alerts = null; /* the emerging needs list them: load again */
    await load(false);
  }

  async function load(clearStatus) {
    const box = $('connect-box');
    if (!box || !app) return;
    box.hidden = !analyst();
    if (box.hidden) return;
    const el = app.el;
    const r = await app.api('/api/connectors');
    const list = r.ok && r.json && Array.isArray(r.json.connectors) ? r.json.connectors : [];
    providers = r.ok && r.json && Array.isArray(r.json.providers) ? r.json.providers : providers;
    const old = $('connect-status');
    const status = el('p', { id: 'connect-status', class: 'status', role: 'status', 'aria-live': 'polite' }, clearStatus || !old ? '' : old.textContent);
    box.textContent = '';
    box.appendChild(el('h3', { id: 'connect-title' }, t('connect.title')));
    box.appendChild(el('p', { class: 'explain' }, list.length ? t('connect.explain') : t('connect.none')));
    if (list.length) {
      const table = el('table', { id: 'connect-table', 'aria-labelledby': 'connect-title' });
      const head = el('tr');
      ['connect.colName', 'connect.colProvider', 'connect.colChecked', 'connect.colChanged', 'connect.colWhat', 'connect.colAction'].forEach((k) => head.appendChild(el('th', { scope: 'col' }, t(k))));
      const thead = el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      const tbody = el('tbody');
      list.forEach((c) => {
        const tr = el('tr', { 'data-connector': c.name });
        tr.appendChild(el('th', { scope: 'row' }, c.name));
        tr.appendChild(el('td', {}, c.provider + (c.dataflow ? ' · ' + c.dataflow : '')));
        tr.appendChild(el('td', {}, when(c.last_checked_at)));
        tr.appendChild(el('td', {}, when(c.last_changed_at)));
        tr.appendChild(el('td', { class: 'connect-what' }, changed(c)));
        const td = el('td');
        const btn = el('button', { type: 'button', class: 'connect-refresh', 'aria-label': t('connect.refreshOne', { name: c.name }) }, t('connect.refresh'));
        btn.addEventListener('click', () => refresh(c.name, btn, $('connect-status')));
        td.appendChild(btn);
        tr.appendChild(td);
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      box.appendChild(table);
    }
    box.appendChild(status);
    box.appendChild(addForm());
  }

  /* ---- "Add a connector": publisher, words, what to fetch, which figures, how often ---------- */

  let providers = [];
  let form = null, formLang = null;
  let flow = null; /* the structure chosen: {provider, dataflow, name, dimensions} */

  function say(msg) { const p = $('connect-add-status'); if (p) p.textContent = msg; }
  function errOf(r) { return (r.json && r.json.error) || String(r.status); }
  function field(id, label, input, hint) {
    const el = app.el;
    const d = el('div', { class: 'field' });
    d.appendChild(el('label', { for: id }, label));
    if (hint) { input.setAttribute('aria-describedby', id + '-hint'); d.appendChild(el('span', { id: id + '-hint', class: 'hint' }, hint)); }
    d.appendChild(input);
    return d;
  }

  async function search() {
    const words = $('connect-words').value.trim();
    const sel = $('connect-flow');
    sel.textContent = '';
    $('connect-dims').textContent = '';
    flow = null;
    if (!words) { say(t('connect.add.needWords')); return; }
    say(t('connect.add.searching'));
    const q = '/api/connectors/search?provider=' + encodeURIComponent($('connect-provider').value) + '&q=' + encodeURIComponent(words);
    const r = await app.api(q);
    if (!r.ok || !r.json) { say(t('connect.add.failed', { msg: errOf(r) })); return; }
    const found = r.json.dataflows || [];
    sel.appendChild(app.el('option', { value: '' }, t('connect.add.pick')));
    found.forEach((f) => sel.appendChild(app.el('option', { value: f.id }, (f.name || f.id) + ' (' + f.id + ')')));
    sel.disabled = !found.length;
    say(found.length ? t('connect.add.found', { n: found.length }) : t('connect.add.noneFound'));
  }

  async function choose() {
    const id = $('connect-flow').value;
    const box = $('connect-dims');
    box.textContent = '';
    flow = null;
    if (!id) return;
    say(t('connect.add.reading'));
    const r = await app.api('/api/connectors/structure?provider=' + encodeURIComponent($('connect-provider').value) + '&dataflow=' + encodeURIComponent(id));
    if (!r.ok || !r.json) { say(t('connect.add.failed', { msg: errOf(r) })); return; }
    flow = r.json;
    const el = app.el;
    if (!$('connect-name').value) $('connect-name').value = id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
    const fs = el('fieldset', {});
    fs.appendChild(el('legend', {}, t('connect.add.which')));
    fs.appendChild(el('p', { class: 'explain' }, t('connect.add.whichExplain')));
    flow.dimensions.filter((d) => !d.time).forEach((d, i) => {
      const label = (d.name || d.id) + (d.geo ? ' — ' + t('connect.add.places') : '');
      let input;
      if (d.codes && d.codes.length) {
        input = el('select', { id: 'connect-dim-' + i, multiple: 'multiple', size: String(Math.min(6, d.codes.length)), 'data-dim': d.id });
        d.codes.forEach((c) => input.appendChild(el('option', { value: c.id }, c.name ? c.name + ' (' + c.id + ')' : c.id)));
        fs.appendChild(field('connect-dim-' + i, label, input, t('connect.add.pickCodes')));
      } else {
        input = el('input', { id: 'connect-dim-' + i, type: 'text', 'data-dim': d.id, autocomplete: 'off' });
        fs.appendChild(field('connect-dim-' + i, label, input, t('connect.add.typeCodes')));
      }
    });
    fs.appendChild(field('connect-key', t('connect.add.key'), el('input', { id: 'connect-key', type: 'text', autocomplete: 'off' }), t('connect.add.keyHint')));
    box.appendChild(fs);
    say(t('connect.add.chosen', { name: flow.name || flow.dataflow, n: flow.dimensions.filter((d) => !d.time).length }));
  }

  function choices() {
    return flow.dimensions.filter((d) => !d.time).map((d, i) => {
      const x = $('connect-dim-' + i);
      if (x.tagName === 'SELECT') return Array.from(x.selectedOptions).map((o) => o.value);
      return x.value.split(/[\s+,]+/).filter(Boolean);
    });
  }

  async function add(btn) {
    if (!flow) { say(t('connect.add.needFlow')); return; }
    const name = $('connect-name').value.trim();
    if (!name) { say(t('connect.add.needName')); $('connect-name').focus(); return; }
    const body = { name, provider: flow.provider, dataflow: flow.dataflow, every: $('connect-every').value, add_areas: $('connect-addareas').checked };
    const key = $('connect-key').value.trim();
    if (key) body.key = key; else body.choices = choices();
    const ind = $('connect-indicator').value.trim();
    if (ind) body.indicator = ind;
    if (body.add_areas) body.level = $('connect-level').value.trim() || 'municipality';
    btn.disabled = true;
    say(t('connect.add.adding', { name }));
    const r = await app.api('/api/connectors', { body });
    btn.disabled = false;
    if (r.status !== 201) { say(t('connect.add.failed', { msg: errOf(r) })); return; }
    await load(true);
    say(t('connect.add.added', { name }));
    const row = document.querySelector('#connect-table tr[data-connector="' + CSS.escape(name) + '"] button');
    if (row) row.focus();
  }

  function addForm() {
    if (form && formLang === app.state.lang) return form;
    const el = app.el;
    formLang = app.state.lang;
    flow = null;
    form = el('details', { id: 'connect-add', class: 'connect-add' });
    form.appendChild(el('summary', {}, t('connect.add.title')));
    form.appendChild(el('p', { class: 'explain' }, t('connect.add.explain')));
    const prov = el('select', { id: 'connect-provider' });
    providers.forEach((p) => prov.appendChild(el('option', { value: p.id }, p.name + ' (' + p.id + ')')));
    form.appendChild(field('connect-provider', t('connect.add.provider'), prov));
    const words = el('input', { id: 'connect-words', type: 'search', autocomplete: 'off' });
    words.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } });
    form.appendChild(field('connect-words', t('connect.add.words'), words, t('connect.add.wordsHint')));
    const go = el('button', { type: 'button', id: 'connect-search' }, t('connect.add.search'));
    go.addEventListener('click', search);
    form.appendChild(go);
    const sel = el('select', { id: 'connect-flow', disabled: 'disabled' });
    sel.addEventListener('change', choose);
    form.appendChild(field('connect-flow', t('connect.add.what'), sel));
    form.appendChild(el('div', { id: 'connect-dims' }));
    form.appendChild(field('connect-name', t('connect.add.name'), el('input', { id: 'connect-name', type: 'text', autocomplete: 'off' }), t('connect.add.nameHint')));
    form.appendChild(field('connect-indicator', t('connect.add.indicator'), el('input', { id: 'connect-indicator', type: 'text', autocomplete: 'off' }), t('connect.add.indicatorHint')));
    const every = el('select', { id: 'connect-every' });
    ['never', 'weekly', 'monthly'].forEach((v) => every.appendChild(el('option', { value: v }, t('connect.add.every.' + v))));
    form.appendChild(field('connect-every', t('connect.add.every'), every));
    const cb = el('input', { id: 'connect-addareas', type: 'checkbox' });
    const cbl = el('div', { class: 'field' });
    cbl.appendChild(cb);
    cbl.appendChild(el('label', { for: 'connect-addareas' }, t('connect.add.addAreas')));
    form.appendChild(cbl);
    form.appendChild(field('connect-level', t('connect.add.level'), el('input', { id: 'connect-level', type: 'text', value: 'municipality', autocomplete: 'off' })));
    const btn = el('button', { type: 'button', id: 'connect-add-go' }, t('connect.add.go'));
    btn.addEventListener('click', () => add(btn));
    form.appendChild(btn);
    form.appendChild(el('p', { id: 'connect-add-status', class: 'status', role: 'status', 'aria-live': 'polite' }, ''));
    return form;
  }

  /* the panel (re)loads when the Sources view is shown, the language changes, someone signs in */
  function register(helpers) {
    app = helpers;
    const view = $('view-catalog');
    if (!view) return;
    const shown = () => !view.hidden;
    new MutationObserver(() => { if (shown()) load(true); }).observe(view, { attributes: true, attributeFilter: ['hidden'] });
    new MutationObserver(() => { if (shown()) load(true); }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    new MutationObserver(() => { if (shown()) load(true); }).observe($('me'), { attributes: true, attributeFilter: ['hidden'] });
    if (shown()) load(true);
  }

  return { register, load };
})();
