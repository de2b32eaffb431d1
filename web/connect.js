/* connect.js - the analyst's panel "Data updated automatically (connectors)" in the Sources view:
 * each connector with its provider, last check, last change and what changed (GET
 * /api/connectors), and a "Refresh now" button (POST /api/connectors/refresh). Revised
 * published figures then appear among the emerging needs. app.js registers it with its helpers
 * (SOL_CONNECT.register); every word comes from web/messages.json. */
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
