/* campaign.js - the view "Campaigns": the published campaigns (GET /api/campaigns) and one
 * campaign's public page (GET /api/campaigns/NAME, reachable by ?campaign=NAME): its objective,
 * the need evidence with sources and licences, the audience card, budget and dates, totals with
 * a bar of what went to the objective and to running costs, the ledger, its verification in the
 * visitor's own browser (SHA-256 with crypto.subtle.digest, Ed25519 with crypto.subtle.verify),
 * the transparency label rule by rule, and the downloads. The canonical encoding it recomputes
 * is docs/ledger.md's. app.js registers it (SOL_CAMPAIGN.register); every word is a key of
 * web/messages.json. */
'use strict';

window.SOL_CAMPAIGN = (function () {
  let app = null;
  let current = null; /* the campaign shown, or null for the list */
  const $ = (id) => document.getElementById(id);
  const t = (k, p) => app.t(k, p);

  /* ---- the canonical encoding and the checks (docs/ledger.md) ------------------------------ */

  const DECL_KEYS = ['format', 'name', 'kind', 'objective', 'currency', 'budget_cents', 'starts', 'ends', 'created_at'];
  const KEYS = {
    donation: ['seq', 'kind', 'date', 'amount_cents', 'currency', 'rate_ppm', 'channel', 'donor'],
    expenditure: ['seq', 'kind', 'date', 'amount_cents', 'currency', 'rate_ppm', 'category', 'what'],
    reversal: ['seq', 'kind', 'date', 'reverses', 'why'],
  };

  /* The object rebuilt with its keys in the fixed order, absent keys left out: JSON.stringify
   * then writes exactly the canonical body. */
  function canonical(obj, keys) {
    const o = {};
    keys.forEach((k) => { if (obj[k] !== undefined && obj[k] !== null) o[k] = obj[k]; });
    return JSON.stringify(o);
  }

  function hex(buf) {
    return Array.from(new Uint8Array(buf)).map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function bytes(h) {
    const a = new Uint8Array(h.length / 2);
    for (let i = 0; i < a.length; i++) a[i] = parseInt(h.substr(2 * i, 2), 16);
    return a;
  }

  async function sha256(text) {
    return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  }

  /* Verify a ledger file: { ok, key, n, what: [key, params] } (the words are the page's). */
  async function verifyLedger(doc, pinKey) {
    const bad = (key, params) => ({ ok: false, what: [key, params || {}] });
    if (!doc || doc.format !== 'solidata-ledger/1' || !doc.campaign || !Array.isArray(doc.entries)) {
      return bad('campaign.v.format');
    }
    let prev = await sha256(canonical(doc.campaign, DECL_KEYS));
    const entries = doc.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i], b = e.body || {}, pos = i + 1;
      if (b.seq !== pos) {
        return b.seq > pos ? bad('campaign.v.missing', { n: pos }) : bad('campaign.v.order', { n: pos });
      }
      if (e.prev_hash !== prev) return bad('campaign.v.prev', { n: pos });
      const keys = KEYS[b.kind];
      if (!keys) return bad('campaign.v.kind', { n: pos });
      const h = await sha256(prev + canonical(b, keys));
      if (h !== e.hash) return bad('campaign.v.hash', { n: pos });
      prev = h;
    }
    const key = doc.public_key;
    if (pinKey && pinKey !== key) return bad('campaign.v.pin');
    let signedTo = 0, pub = null;
    for (const s of doc.signatures || []) {
      if (s.public_key !== key) return bad('campaign.v.otherKey', { n: s.seq });
      if (!(s.seq >= 1 && s.seq <= entries.length) || s.head_hash !== entries[s.seq - 1].hash) {
        return bad('campaign.v.sigChain', { n: s.seq });
      }
      let ok = false;
      try {
        if (!pub) pub = await crypto.subtle.importKey('raw', bytes(key), { name: 'Ed25519' }, false, ['verify']);
        const msg = new TextEncoder().encode('solidata-ledger/1\n' + s.seq + '\n' + s.head_hash);
        ok = await crypto.subtle.verify({ name: 'Ed25519' }, pub, bytes(s.signature), msg);
      } catch (err) {
        return bad('campaign.v.noEd25519');
      }
      if (!ok) return bad('campaign.v.sig', { n: s.seq });
      signedTo = Math.max(signedTo, s.seq);
    }
    if (entries.length > 0 && signedTo !== entries.length) return bad('campaign.v.unsigned', { n: signedTo + 1 });
    return { ok: true, n: entries.length, key, what: ['campaign.v.ok', { n: entries.length, key: key.slice(0, 16) }] };
  }

  /* ---- drawing ------------------------------------------------------------------------------ */

  function money(cents, currency) {
    return new Intl.NumberFormat(app.state.lang, { style: 'currency', currency: currency || 'EUR' }).format(cents / 100);
  }

  function date(d) {
    if (!d) return '';
    const x = new Date(d.slice(0, 10) + 'T12:00:00Z');
    return Number.isNaN(x.getTime()) ? d : new Intl.DateTimeFormat(app.state.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(x);
  }

  function h(tag, attrs, text) {
    return app.el(tag, attrs, text);
  }

  function section(box, titleKey) {
    box.appendChild(h('h3', null, t(titleKey)));
  }


  const isAnalyst = () => app.state.me && (app.state.me.role === 'analyst' || app.state.me.role === 'admin');

  function fieldIn(f, id, key, input, helpKey) {
    const d = h('div', { class: 'field' });
    d.appendChild(h('label', { for: id }, t(key)));
    input.id = id;
    d.appendChild(input);
    if (helpKey) d.appendChild(h('span', { class: 'help' }, ' ' + t(helpKey)));
    f.appendChild(d);
    return input;
  }

  /* The areas already known to the map (any level), else the current level's. */
  async function areaNames() {
    const st = app.state;
    let lv = Object.keys(st.areas || {});
    if (!lv.length && (st.level || (st.levels && st.levels[0]))) {
      const level = st.level || (st.levels[0].level || st.levels[0]);
      try {
        const r = await fetch('/api/areas?level=' + encodeURIComponent(level), { credentials: 'same-origin' });
        const gj = await r.json();
        return (gj.features || []).map((f) => [f.properties.code, f.properties.name || f.properties.code]);
      } catch (e) { return []; }
    }
    const out = [];
    lv.forEach((l) => { const a = st.areas[l]; Object.keys(a.names || {}).forEach((c) => out.push([c, a.names[c]])); });
    return out;
  }

  /* Analysts: declare a new campaign (POST /api/campaigns); it starts as a draft. */
  async function newForm(box) {
    const det = h('details', { id: 'campaign-new' });
    det.appendChild(h('summary', null, t('campaign.new.title')));
    const f = h('form', { id: 'campaign-new-form', class: 'controls' });
    f.appendChild(h('p', { class: 'help' }, t('campaign.new.explain')));
    const name = fieldIn(f, 'cn-name', 'campaign.new.name', h('input', { type: 'text', required: 'required', size: '20', pattern: '[A-Za-z0-9._\\-]+' }), 'campaign.new.nameHelp');
    const kind = fieldIn(f, 'cn-kind', 'campaign.new.kind', h('select'));
    ['information', 'fundraising', 'event'].forEach((k) => kind.appendChild(h('option', { value: k }, kindWord(k))));
    const obj = fieldIn(f, 'cn-objective', 'campaign.new.objective', h('textarea', { rows: '2', cols: '50', required: 'required' }));
    const inds = fieldIn(f, 'cn-indicators', 'campaign.new.indicators', h('select', { multiple: 'multiple', size: '4' }), 'campaign.new.indicatorsHelp');
    const label = (i) => (window.SOL_APP && window.SOL_APP.indLabel ? window.SOL_APP.indLabel(i) : (i.label || i.code));
    (app.state.indicators || []).forEach((i) => inds.appendChild(h('option', { value: i.code }, label(i))));
    const area = fieldIn(f, 'cn-area', 'campaign.new.area', h('select'));
    area.appendChild(h('option', { value: '' }, t('campaign.new.none')));
    (await areaNames()).forEach(([c, n]) => area.appendChild(h('option', { value: c }, n)));
    const aud = fieldIn(f, 'cn-audience', 'campaign.new.audience', h('select'), 'campaign.new.audienceHelp');
    aud.appendChild(h('option', { value: '' }, t('campaign.new.none')));
    const ar = await app.api('/api/audiences?lang=' + encodeURIComponent(app.state.lang));
    (ar.ok && ar.json && Array.isArray(ar.json.audiences) ? ar.json.audiences : []).forEach((a) => aud.appendChild(h('option', { value: a.name }, a.name)));
    const budget = fieldIn(f, 'cn-budget', 'campaign.new.budget', h('input', { type: 'text', inputmode: 'decimal', size: '10' }), 'campaign.new.budgetHelp');
    const starts = fieldIn(f, 'cn-starts', 'campaign.new.starts', h('input', { type: 'date' }));
    const ends = fieldIn(f, 'cn-ends', 'campaign.new.ends', h('input', { type: 'date' }));
    const btn = h('button', { type: 'submit', id: 'cn-submit' }, t('campaign.new.submit'));
    f.appendChild(btn);
    const status = h('p', { id: 'campaign-new-status', class: 'status', role: 'status', 'aria-live': 'polite' });
    f.appendChild(status);
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const evidence = Array.from(inds.selectedOptions).map((o) => 'indicator:' + o.value);
      if (area.value) evidence.push('area:' + area.value);
      const body = { name: name.value.trim(), kind: kind.value, objective: obj.value.trim(), evidence,
        audience: aud.value, budget: budget.value.trim().replace(',', '.'), currency: 'EUR',
        starts: starts.value, ends: ends.value, lang: app.state.lang };
      btn.disabled = true;
      const r = await app.api('/api/campaigns', { body });
      btn.disabled = false;
      if (!r.ok) {
        status.textContent = t('campaign.new.failed', { msg: (r.json && r.json.error) || r.status });
        return;
      }
      open(body.name);
    });
    det.appendChild(f);
    box.appendChild(det);
  }

  /* Analysts, on a campaign's page: publish or withdraw it, say what was achieved, evaluate the
   * label with the shared rules. */
  function manage(box, c) {
    const d = h('div', { id: 'campaign-manage', class: 'controls' });
    const status = h('p', { id: 'campaign-manage-status', class: 'status', role: 'status', 'aria-live': 'polite' });
    const say = (r, okKey) => {
      status.textContent = r.ok ? t(okKey) : t('campaign.manage.failed', { msg: (r.json && r.json.error) || r.status });
      return r.ok;
    };
    const pub = h('button', { type: 'button', id: 'campaign-publish' }, t(c.published ? 'campaign.manage.unpublish' : 'campaign.manage.publish'));
    pub.addEventListener('click', async () => {
      const r = await app.api('/api/campaigns/publish', { body: { name: c.name, publish: !c.published } });
      if (say(r, c.published ? 'campaign.manage.unpublished' : 'campaign.manage.published')) { await render(); }
    });
    d.appendChild(h('p', { class: 'help' }, t(c.published ? 'campaign.manage.publicHelp' : 'campaign.manage.draftHelp')));
    d.appendChild(pub);
    const ach = fieldIn(d, 'campaign-achieved-text', 'campaign.manage.achieved', h('textarea', { rows: '2', cols: '50' }));
    ach.value = c.achieved || '';
    const ab = h('button', { type: 'button', id: 'campaign-achieved-save' }, t('campaign.manage.achievedSave'));
    ab.addEventListener('click', async () => {
      const r = await app.api('/api/campaigns/achieved', { body: { name: c.name, text: ach.value.trim() } });
      if (say(r, 'campaign.manage.achievedDone')) await render();
    });
    d.appendChild(ab);
    d.appendChild(h('p', { class: 'help' }, t('campaign.manage.labelHelp')));
    const lb = h('button', { type: 'button', id: 'campaign-label-eval' }, t('campaign.manage.label'));
    lb.addEventListener('click', async () => {
      const r = await app.api('/api/campaigns/label', { body: { name: c.name, rules: 'default' } });
      if (say(r, 'campaign.manage.labelDone')) await render();
    });
    d.appendChild(lb);
    d.appendChild(status);
    box.appendChild(d);
  }

  async function showList(box) {
    const r = await app.api('/api/campaigns');
    box.appendChild(h('h2', { id: 'campaign-title' }, t('campaign.listTitle')));
    box.appendChild(h('p', { class: 'explain' }, t('campaign.listExplain')));
    if (isAnalyst()) await newForm(box);
    const list = r.ok && Array.isArray(r.json) ? r.json : [];
    if (!list.length) {
      box.appendChild(h('p', { id: 'campaign-none' }, t('campaign.none')));
      return;
    }
    const ul = h('ul', { id: 'campaign-list', class: 'campaign-list' });
    list.forEach((c) => {
      const li = h('li');
      const a = h('a', { href: '?campaign=' + encodeURIComponent(c.name) + '&lang=' + app.state.lang }, c.name);
      a.addEventListener('click', (e) => { e.preventDefault(); open(c.name); });
      li.appendChild(a);
      li.appendChild(document.createTextNode(' — ' + c.objective + ' '));
      li.appendChild(h('span', { class: 'muted' }, t('campaign.raised', { amount: money(c.donations_cents || 0, c.currency) }) +
        (c.published ? '' : ' · ' + t('campaign.draft'))));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function kindWord(k) {
    return t('campaign.kind.' + k);
  }

  function ruleWord(r) {
    return t('campaign.rule.' + r);
  }

  async function showAudience(box, name) {
    const p = h('p', { id: 'campaign-audience' });
    box.appendChild(p);
    if (!name) {
      p.textContent = t('campaign.noAudience');
      return;
    }
    const r = await app.api('/api/audiences/' + encodeURIComponent(name));
    if (!r.ok || !r.json) {
      p.textContent = t('campaign.audienceUnavailable', { name });
      return;
    }
    const a = r.json;
    p.textContent = t('campaign.audienceIs', { name: a.name || name });
    const dl = h('dl', { class: 'campaign-audience' });
    const row = (k, v) => { if (v === undefined || v === null || v === '') return; dl.appendChild(h('dt', null, t(k))); dl.appendChild(h('dd', null, String(v))); };
    row('campaign.audienceRule', a.rule_text);
    row('campaign.audiencePurpose', a.purpose);
    row('campaign.audienceK', a.k);
    if (a.people && a.people.estimate !== undefined) {
      row('campaign.audiencePeople', t('campaign.audiencePeopleValue', { n: a.people.estimate, low: a.people.low, high: a.people.high }));
    }
    box.appendChild(dl);
  }

  function bar(box, tot) {
    const spent = tot.objective_cents + tot.running_cents;
    const wrap = h('div', { id: 'campaign-bar', class: 'campaign-bar', role: 'img',
      'aria-label': t('campaign.barLabel', { objective: money(tot.objective_cents, tot.currency), running: money(tot.running_cents, tot.currency) }) });
    if (spent > 0) {
      /* widths through the CSSOM: the page's CSP allows no inline style attribute */
      const o = h('span', { class: 'bar-objective' });
      o.style.width = (100 * tot.objective_cents / spent).toFixed(1) + '%';
      const r = h('span', { class: 'bar-running' });
      r.style.width = (100 * tot.running_cents / spent).toFixed(1) + '%';
      wrap.appendChild(o);
      wrap.appendChild(r);
    }
    box.appendChild(wrap);
    const legend = h('p', { class: 'help' });
    legend.appendChild(h('span', { class: 'swatch bar-objective' }));
    legend.appendChild(document.createTextNode(' ' + t('campaign.onObjective') + '  '));
    legend.appendChild(h('span', { class: 'swatch bar-running' }));
    legend.appendChild(document.createTextNode(' ' + t('campaign.onRunning')));
    box.appendChild(legend);
  }

  function ledgerTable(box, doc, currency) {
    const table = h('table', { id: 'campaign-ledger', class: 'data' });
    const head = h('tr');
    ['campaign.col.seq', 'campaign.col.date', 'campaign.col.kind', 'campaign.col.amount', 'campaign.col.how',
      'campaign.col.donor', 'campaign.col.what', 'campaign.col.hash'].forEach((k) => head.appendChild(h('th', { scope: 'col' }, t(k))));
    const thead = h('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    const tb = h('tbody');
    (doc.entries || []).forEach((e) => {
      const b = e.body, tr = h('tr');
      const how = b.kind === 'donation' ? t('campaign.channel.' + b.channel) : b.kind === 'expenditure' ? t('campaign.category.' + b.category) : '';
      const donor = b.kind === 'donation' ? (b.donor === 'anonymous' ? t('campaign.anonymous') : b.donor) : '';
      const what = b.kind === 'reversal' ? t('campaign.reverses', { n: b.reverses, why: b.why }) : (b.what || '');
      const amount = b.kind === 'reversal' ? '' : money(b.amount_cents, b.currency || currency);
      [String(b.seq), date(b.date), t('campaign.entry.' + b.kind), amount, how, donor, what].forEach((v) => tr.appendChild(h('td', null, v)));
      tr.appendChild(h('td', null)).appendChild(h('code', { title: e.hash }, e.hash.slice(0, 12)));
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    box.appendChild(table);
  }

  /* Analysts: append a donation or an expenditure (POST /api/campaigns/ledger); the server signs
   * with the organisation's key it was started with. */
  function entryForm(box, c) {
    const f = h('form', { id: 'campaign-entry-form', class: 'controls' });
    f.appendChild(h('h4', null, t('campaign.form.title')));
    const field = (id, key, input) => {
      const d = h('div', { class: 'field' });
      d.appendChild(h('label', { for: id }, t(key)));
      input.id = id;
      d.appendChild(input);
      f.appendChild(d);
      return input;
    };
    const select = (opts) => {
      const s = h('select');
      opts.forEach(([v, k]) => s.appendChild(h('option', { value: v }, t(k))));
      return s;
    };
    const kind = field('ce-kind', 'campaign.form.kind', select([['donation', 'campaign.entry.donation'], ['expenditure', 'campaign.entry.expenditure']]));
    const amount = field('ce-amount', 'campaign.col.amount', h('input', { type: 'text', inputmode: 'decimal', required: 'required', size: '8' }));
    const date = field('ce-date', 'campaign.col.date', h('input', { type: 'date', required: 'required' }));
    date.value = new Date().toISOString().slice(0, 10);
    const channel = field('ce-channel', 'campaign.form.channel', select(['bank', 'cash', 'online', 'cheque', 'card', 'other'].map((x) => [x, 'campaign.channel.' + x])));
    const donor = field('ce-donor', 'campaign.form.donor', h('input', { type: 'text', placeholder: t('campaign.anonymous'), size: '14' }));
    const cat = field('ce-category', 'campaign.form.category', select([['objective', 'campaign.category.objective'], ['running', 'campaign.category.running']]));
    const what = field('ce-what', 'campaign.col.what', h('input', { type: 'text', size: '24' }));
    const sync = () => {
      const d = kind.value === 'donation';
      [channel, donor].forEach((x) => { x.parentElement.hidden = !d; });
      [cat, what].forEach((x) => { x.parentElement.hidden = d; });
    };
    kind.addEventListener('change', sync);
    sync();
    const btn = h('button', { type: 'submit' }, t('campaign.form.submit'));
    f.appendChild(btn);
    const status = h('p', { id: 'campaign-entry-status', class: 'status', role: 'status', 'aria-live': 'polite' });
    f.appendChild(status);
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      btn.disabled = true;
      const body = { campaign: c.name, kind: kind.value, amount: amount.value.trim(), date: date.value };
      if (kind.value === 'donation') { body.channel = channel.value; body.donor = donor.value.trim() || 'anonymous'; }
      else { body.category = cat.value; body.what = what.value.trim(); }
      const r = await app.api('/api/campaigns/ledger', { body });
      btn.disabled = false;
      if (!r.ok) {
        status.textContent = t('campaign.form.failed', { msg: (r.json && r.json.error) || r.status });
        return;
      }
      await render();
      const s2 = $('campaign-entry-status');
      if (s2) s2.textContent = t('campaign.form.done', { n: r.json.seq });
    });
    box.appendChild(f);
  }

  async function showCampaign(box, name) {
    const r = await app.api('/api/campaigns/' + encodeURIComponent(name));
    const back = h('a', { href: '?lang=' + app.state.lang, id: 'campaign-back' }, t('campaign.back'));
    back.addEventListener('click', (e) => { e.preventDefault(); open(null); });
    box.appendChild(back);
    if (!r.ok || !r.json) {
      box.appendChild(h('h2', { id: 'campaign-title' }, name));
      box.appendChild(h('p', { id: 'campaign-missing' }, t('campaign.missing', { name })));
      return;
    }
    const c = r.json, tot = c.totals;
    box.appendChild(h('h2', { id: 'campaign-title' }, c.name));
    box.appendChild(h('p', { class: 'muted' }, kindWord(c.kind) + (c.published ? '' : ' · ' + t('campaign.draft'))));
    section(box, 'campaign.objective');
    box.appendChild(h('p', { id: 'campaign-objective' }, c.objective));
    const facts = h('dl', { class: 'campaign-facts' });
    const fact = (k, v) => { facts.appendChild(h('dt', null, t(k))); facts.appendChild(h('dd', null, v)); };
    fact('campaign.budget', c.budget_cents === null ? t('campaign.notSet') : money(c.budget_cents, c.currency));
    fact('campaign.dates', c.starts || c.ends ? t('campaign.fromTo', { from: date(c.starts), to: date(c.ends) }) : t('campaign.notSet'));
    box.appendChild(facts);
    if (isAnalyst()) manage(box, c);

    section(box, 'campaign.evidence');
    const ev = h('ul', { id: 'campaign-evidence' });
    (c.evidence || []).forEach((x) => {
      const li = h('li');
      li.appendChild(h('strong', null, t('campaign.evidenceType.' + x.type) + ': '));
      li.appendChild(document.createTextNode((x.label || x.code) + (x.detail ? ' (' + x.detail + ')' : '')));
      (x.sources || []).forEach((s) => {
        li.appendChild(h('span', { class: 'muted' }, ' · ' + t('campaign.source', { name: s.name, licence: s.licence || t('campaign.noLicence') })));
      });
      ev.appendChild(li);
    });
    if (!(c.evidence || []).length) ev.appendChild(h('li', null, t('campaign.noEvidence')));
    box.appendChild(ev);

    section(box, 'campaign.audience');
    await showAudience(box, c.audience);

    section(box, 'campaign.totals');
    const tl = h('dl', { id: 'campaign-totals', class: 'campaign-facts' });
    const tf = (k, v) => { tl.appendChild(h('dt', null, t(k))); tl.appendChild(h('dd', null, v)); };
    tf('campaign.donations', money(tot.donations_cents, tot.currency));
    tf('campaign.onObjective', money(tot.objective_cents, tot.currency));
    tf('campaign.onRunning', money(tot.running_cents, tot.currency));
    tf('campaign.balance', money(tot.balance_cents, tot.currency));
    if (tot.running_pct !== null) tf('campaign.runningShare', new Intl.NumberFormat(app.state.lang, { style: 'percent', maximumFractionDigits: 1 }).format(tot.running_pct / 100));
    if (tot.budget_used_pct !== null) tf('campaign.budgetUsed', new Intl.NumberFormat(app.state.lang, { style: 'percent', maximumFractionDigits: 1 }).format(tot.budget_used_pct / 100));
    box.appendChild(tl);
    bar(box, tot);
    section(box, 'campaign.achieved');
    box.appendChild(h('p', { id: 'campaign-achieved' }, c.achieved || t('campaign.notYet')));

    section(box, 'campaign.ledger');
    /* the ledger file is public for published campaigns only (a draft's would be 404) */
    const lr = c.published ? await fetch('/api/campaigns/' + encodeURIComponent(name) + '/ledger.json', { credentials: 'same-origin' }) : null;
    let doc = null;
    try { doc = lr && lr.ok ? await lr.json() : null; } catch (e) { doc = null; }
    const status = h('p', { id: 'campaign-verify', class: 'status', role: 'status', 'aria-live': 'polite' }, t('campaign.verifying'));
    box.appendChild(status);
    if (doc) {
      ledgerTable(box, doc, c.currency);
      const v = await verifyLedger(doc);
      status.textContent = (v.ok ? t('campaign.verified') : t('campaign.notVerified')) + ' ' + t(v.what[0], v.what[1]);
      status.className = 'status ' + (v.ok ? 'ok' : 'bad');
      status.dataset.ok = v.ok ? '1' : '0';
    } else {
      status.textContent = t('campaign.noLedger');
    }

    if (isAnalyst()) entryForm(box, c);

    section(box, 'campaign.label');
    const lab = c.label;
    if (!lab) {
      box.appendChild(h('p', { id: 'campaign-label' }, t('campaign.noLabel')));
    } else {
      const p = h('p', { id: 'campaign-label' }, t('campaign.labelSummary', { label: lab.label, passed: lab.passed, total: lab.total, na: lab.not_applicable, date: date(lab.date) }));
      box.appendChild(p);
      box.appendChild(h('p', { class: 'help' }, t('campaign.labelRulesFile', { sha: (lab.rules_sha256 || '').slice(0, 16) })));
      const ul = h('ul', { id: 'campaign-rules', class: 'campaign-rules' });
      (lab.rules || []).forEach((x) => {
        const li = h('li', { class: 'rule-' + x.outcome });
        li.appendChild(h('strong', null, t('campaign.outcome.' + x.outcome) + ' — ' + ruleWord(x.rule) + ': '));
        li.appendChild(document.createTextNode((x.why && (x.why[app.state.lang] || x.why.en)) || ''));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      const img = h('img', { src: '/api/campaigns/' + encodeURIComponent(name) + '/label.svg?lang=' + app.state.lang, alt: t('campaign.badgeAlt', { label: lab.label }), width: '360', height: '96' });
      box.appendChild(img);
    }

    section(box, 'campaign.downloads');
    const dl = h('ul', { id: 'campaign-downloads' });
    [['ledger.json', 'campaign.dlLedger'], ['iati.xml', 'campaign.dlIati'], ['360giving.json', 'campaign.dl360']].forEach(([f, k]) => {
      const li = h('li');
      li.appendChild(h('a', { href: '/api/campaigns/' + encodeURIComponent(name) + '/' + f, download: name + '-' + f }, t(k)));
      dl.appendChild(li);
    });
    box.appendChild(dl);
    box.appendChild(h('p', { class: 'help' }, t('campaign.verifyYourself')));
  }

  /* Several events may ask for a render at once (the tab shown, the language, a sign-in): each
   * draws into a detached box, and only the latest replaces the page's. */
  let generation = 0;
  async function render() {
    const box = $('campaign-box');
    if (!box || !app) return;
    const gen = ++generation;
    const tmp = document.createElement('div');
    if (current) await showCampaign(tmp, current);
    else await showList(tmp);
    if (gen !== generation) return;
    box.replaceChildren(...tmp.childNodes);
    box.dataset.ready = current || '-';
  }

  function open(name) {
    current = name;
    const u = new URL(location.href);
    if (name) u.searchParams.set('campaign', name); else u.searchParams.delete('campaign');
    history.replaceState(history.state, '', u.pathname + u.search + u.hash);
    return render();
  }

  function register(helpers) {
    app = helpers;
    const view = $('view-campaigns');
    if (!view) return;
    const shown = () => !view.hidden;
    new MutationObserver(() => { if (shown()) render(); }).observe(view, { attributes: true, attributeFilter: ['hidden'] });
    new MutationObserver(() => { if (shown()) render(); }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    const me = $('me');
    if (me) new MutationObserver(() => { if (shown()) render(); }).observe(me, { attributes: true, attributeFilter: ['hidden'] });
    const want = new URLSearchParams(location.search).get('campaign');
    if (want) {
      current = want;
      const tab = $('tab-campaigns');
      if (tab) tab.click();
    }
  }

  return { register, verifyLedger, canonical, render };
})();
