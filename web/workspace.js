/* workspace.js - the analyst's workspace: a spreadsheet uploaded (the size limit said first),
 * its preview (areas matched and not, names to choose, columns, values per indicator, periods),
 * the labels, units and polarity people set, the import as a draft and its publication; hot spots,
 * a forecast and a composite index with weights set by sliders, each shown as a draft with its
 * method card. Routes: GET /api/workspace, POST /api/imports, POST /api/runs/{lisa,forecast,index},
 * GET /api/runs/ID, POST /api/publish. */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const A = () => window.SOL_APP;
  const t = (k, p) => A().t(k, p);
  const el = (...a) => A().el(...a);
  const ws = { max: 50000000, file: null, b64: null, preview: null, imported: null };

  function isAnalyst() {
    const r = A().state.me.role;
    return r === 'analyst' || r === 'admin';
  }

  /* ---- the upload ---------------------------------------------------------------------------- */

  function megabytes(n) {
    return Math.round(n / 1e6);
  }

  function sayLimit() {
    $('ws-limit').textContent = t('wsLimit', { mb: megabytes(ws.max) });
  }

  function readBase64(file) {
    return new Promise((resolve, reject) => {
      const fr = new FileReader();
      fr.onload = () => resolve(String(fr.result).replace(/^data:[^,]*,/, ''));
      fr.onerror = () => reject(fr.error);
      fr.readAsDataURL(file);
    });
  }

  function options(preview) {
    const o = { preview };
    const v = (id) => $(id).value.trim();
    if (v('ws-area-field')) o.area_field = v('ws-area-field');
    if (v('ws-period')) o.period = v('ws-period');
    if (v('ws-source')) o.source_name = v('ws-source');
    /* the names the person chose among candidates: [{name, parent, code}] */
    const choices = [];
    document.querySelectorAll('#ws-preview-body [data-ambiguous]').forEach((g) => {
      const c = g.querySelector('input:checked');
      if (c) choices.push({ name: g.dataset.ambiguous, parent: g.dataset.parent || '', code: c.value });
    });
    if (choices.length) o.choices = choices;
    const meta = [];
    document.querySelectorAll('#ws-preview-body [data-new-indicator]').forEach((f) => {
      const code = f.dataset.newIndicator;
      const pol = f.querySelector('input[type=radio]:checked');
      meta.push({ code, label: f.querySelector('[data-k=label]').value.trim(), unit: f.querySelector('[data-k=unit]').value.trim(), polarity: pol ? pol.value : '' });
    });
    if (meta.length) o.indicator_meta = meta;
    if (!preview) o.skip_unknown_areas = true;
    if ($('ws-own').checked) o.own_records = true;
    return o;
  }

  async function send(preview) {
    return A().api('/api/imports', { body: { filename: ws.file.name, content_base64: ws.b64, options: options(preview) } });
  }

  async function checkFile(e) {
    e.preventDefault();
    const f = $('ws-file').files[0];
    $('ws-preview').hidden = true;
    $('ws-done').hidden = true;
    if (!f) { $('ws-status').textContent = t('wsNoFile'); return; }
    if (f.size > ws.max) {
      $('ws-status').textContent = t('wsTooBig', { mb: megabytes(ws.max), size: megabytes(f.size) });
      return;
    }
    $('ws-status').textContent = t('wsReading');
    ws.file = f;
    ws.b64 = await readBase64(f);
    const r = await send(true);
    if (r.status === 413) { $('ws-status').textContent = t('wsTooBig', { mb: megabytes(ws.max), size: megabytes(f.size) }); return; }
    if (!r.ok || !r.json || !r.json.preview) {
      $('ws-status').textContent = t('wsPreviewFailed', { msg: (r.json && r.json.error) || r.status });
      return;
    }
    $('ws-status').textContent = '';
    ws.preview = r.json;
    renderPreview(r.json);
    $('ws-preview').hidden = false;
    $('ws-preview-title').setAttribute('tabindex', '-1');
    $('ws-preview-title').focus();
  }

  function list(title, items) {
    const s = el('div', { class: 'ws-block' });
    s.appendChild(el('h4', null, title));
    const ul = el('ul');
    items.forEach((x) => ul.appendChild(typeof x === 'string' ? el('li', null, x) : x));
    s.appendChild(ul);
    return s;
  }

  /* The preview as sol_import_data gives it (docs: include/solidata/import.h): facts of the
   * reading, problems that would stop the import, areas matched / not / ambiguous (with their
   * candidates as choices), columns read and ignored, values per indicator, periods. */
  function renderPreview(p) {
    const box = $('ws-preview-body');
    box.textContent = '';
    const rep = p.report || {};
    const areas = p.areas || {};
    const values = p.values !== undefined ? p.values : rep.rows_written || 0;
    /* the facts of the file: encoding, sheet, header row, total rows... as the server says them */
    const facts = (p.facts || []).map(String);
    facts.push(t('wsRows', { n: p.rows_read || rep.rows_read || 0, written: values }));
    if (p.missing_values) facts.push(t('wsMissing', { n: p.missing_values }));
    if (p.periods && p.periods.length) facts.push(t('wsPeriods', { periods: p.periods.join(', ') }));
    box.appendChild(list(t('wsFacts'), facts));
    if (p.problems && p.problems.length) {
      const pr = list(t('wsProblems'), p.problems.map(String));
      pr.classList.add('notice');
      pr.id = 'ws-problems';
      box.appendChild(pr);
    }
    /* areas matched, not matched, ambiguous */
    const a = [t('wsMatched', { n: areas.matched || 0 })];
    if (areas.by_name) a.push(t('wsByName', { n: areas.by_name }));
    if (areas.by_restored_code) a.push(t('wsRestored', { n: areas.by_restored_code }));
    const unmatched = areas.unmatched_values || [];
    unmatched.forEach((u) => {
      const sug = (u.suggestions || []).map((c) => c.name || c.code).join(', ');
      a.push(sug ? t('wsNotMatchedSuggest', { name: String(u.value), n: u.rows || 1, names: sug }) : t('wsNotMatchedName', { name: String(u.value), n: u.rows || 1 }));
    });
    if (!unmatched.length && areas.unmatched_rows) a.push(t('wsNotMatched', { n: areas.unmatched_rows, example: areas.unmatched_example || '' }));
    box.appendChild(list(t('wsAreas'), a));
    (areas.ambiguous_values || []).forEach((amb, i) => {
      const fs = el('fieldset', { class: 'ws-choice', 'data-ambiguous': String(amb.value), 'data-parent': amb.parent || '' });
      fs.appendChild(el('legend', null, t('wsAmbiguous', { name: String(amb.value) })));
      (amb.candidates || []).forEach((c, j) => {
        const id = 'ws-amb-' + i + '-' + j;
        const lab = el('label', { for: id });
        const inp = el('input', { type: 'radio', name: 'ws-amb-' + i, id, value: c.code });
        lab.appendChild(inp);
        lab.appendChild(document.createTextNode(' ' + (c.parent_name ? t('wsCandidateIn', { name: c.name || c.code, code: c.code, parent: c.parent_name }) : t('wsCandidate', { name: c.name || c.code, code: c.code }))));
        fs.appendChild(lab);
      });
      box.appendChild(fs);
    });
    /* columns read and ignored, and why */
    const cols = p.columns || {};
    const cl = [];
    (cols.read || []).forEach((c) => cl.push(t('wsColumnRead', { name: String(c) })));
    (cols.ignored || []).forEach((c) => {
      const why = c.why ? A().t('wsWhy.' + c.why, null, String(c.why)) : '';
      cl.push(t('wsColumnIgnored', { name: String(c.column), why: c.detail ? t('wsWhyDetail', { why, detail: String(c.detail) }) : why }));
    });
    if (cl.length) box.appendChild(list(t('wsColumns'), cl));
    /* values per indicator; new indicators get their labels, unit and polarity here */
    const inds = p.indicators || [];
    box.appendChild(list(t('wsIndicators'), inds.map((x) => (x.areas !== undefined
      ? t('wsIndicatorValues', { code: x.code, n: x.values, areas: x.areas, periods: (x.periods || []).join(', ') })
      : t('wsIndicatorCount', { code: x.code, n: x.values })))));
    const fresh = inds.filter((x) => x.new);
    if (fresh.length) {
      box.appendChild(el('p', { class: 'explain' }, t('wsPolarityExplain')));
      fresh.forEach((x, i) => {
        const fs = el('fieldset', { class: 'ws-new', 'data-new-indicator': x.code });
        fs.appendChild(el('legend', null, t('wsNewIndicator', { code: x.code })));
        [['label', 'wsLabel', x.label || ''], ['unit', 'wsUnit', x.unit || '']].forEach(([k, key, v]) => {
          const id = 'ws-' + k + '-' + i;
          fs.appendChild(el('label', { for: id }, t(key)));
          const inp = el('input', { id, 'data-k': k, autocomplete: 'off' });
          inp.value = v;
          fs.appendChild(inp);
        });
        const pg = el('div', { role: 'radiogroup', 'aria-label': t('wsPolarity') });
        pg.appendChild(el('span', null, t('wsPolarity')));
        [['higher_better', 'wsHigherBetter'], ['lower_better', 'wsLowerBetter'], ['', 'wsNoPolarity']].forEach(([v, key], j) => {
          const id = 'ws-pol-' + i + '-' + j;
          const lab = el('label', { for: id });
          const inp = el('input', { type: 'radio', name: 'ws-pol-' + i, id, value: v });
          if ((x.polarity || '') === v) inp.checked = true;
          lab.appendChild(inp);
          lab.appendChild(document.createTextNode(' ' + t(key)));
          pg.appendChild(lab);
        });
        fs.appendChild(pg);
        box.appendChild(fs);
      });
    }
  }

  async function importFile() {
    if (!ws.file) return;
    $('ws-status').textContent = t('wsImporting');
    const r = await send(false);
    if (!r.ok) {
      $('ws-status').textContent = t('wsImportFailed', { msg: (r.json && r.json.error) || r.status });
      return;
    }
    $('ws-status').textContent = '';
    ws.imported = r.json;
    const rep = r.json.report || {};
    const box = $('ws-done-body');
    box.textContent = '';
    box.appendChild(el('p', null, t('wsImported', { name: r.json.source_name, n: rep.rows_written || 0, version: rep.version || 1 })));
    box.appendChild(el('p', { class: 'explain', id: 'ws-view-explain' }, t('wsDraftExplain')));
    box.appendChild(publishButton({ kind: 'source', name: r.json.source_name }));
    await fillRate((ws.preview && ws.preview.indicators || []).map((x) => x.code));
    $('ws-preview').hidden = true;
    $('ws-done').hidden = false;
    $('ws-done-title').setAttribute('tabindex', '-1');
    $('ws-done-title').focus();
  }

  /* ---- publication (POST /api/publish) ------------------------------------------------------- */

  /* {kind: 'source', name} or {kind: 'run', id}; a refusal for own records (403) offers the
   * explicit confirmation the server asks for */
  let pubSeq = 0;
  function publishButton(what) {
    const wrap = el('div', { class: 'ws-publish' });
    const b = el('button', { type: 'button', class: 'publish' }, t('wsPublish'));
    const out = el('p', { role: 'status', 'aria-live': 'polite' });
    const id = 'ws-confirm-' + (++pubSeq);
    const conf = el('p', { class: 'ws-confirm', hidden: '' });
    const cb = el('input', { type: 'checkbox', id });
    conf.appendChild(cb);
    conf.appendChild(el('label', { for: id }, ' ' + t('wsConfirmOwn')));
    b.addEventListener('click', async () => {
      const body = Object.assign({}, what);
      if (cb.checked) body.confirm_own_records = true;
      const r = await A().api('/api/publish', { body });
      out.textContent = r.ok ? t('wsPublished') : t('wsPublishFailed', { msg: (r.json && r.json.error) || r.status });
      if (r.status === 403) conf.hidden = false;
      if (r.ok) b.disabled = true;
    });
    wrap.appendChild(b);
    wrap.appendChild(conf);
    wrap.appendChild(out);
    return wrap;
  }

  /* ---- from counts to a rate (POST /api/derive) ---------------------------------------------- */

  async function fillRate(newCodes) {
    const inds = await A().api('/api/indicators');
    const all = inds.ok ? inds.json : A().state.indicators;
    const num = $('ws-rate-num'), den = $('ws-rate-den');
    num.textContent = '';
    den.textContent = '';
    all.filter((i) => newCodes.includes(i.code)).forEach((i) => num.appendChild(el('option', { value: i.code }, A().indLabel(i))));
    /* a population: its unit or code says persons or inhabitants, first */
    const pop = (i) => /popul|inhabit|habitant|abitant|person|residen/i.test((i.code || '') + ' ' + (i.unit || '') + ' ' + (i.label || ''));
    all.filter((i) => !newCodes.includes(i.code)).sort((a, b) => pop(b) - pop(a))
      .forEach((i) => den.appendChild(el('option', { value: i.code }, A().indLabel(i))));
    $('ws-rate').hidden = !num.options.length;
  }

  async function runRate() {
    const num = $('ws-rate-num').value, den = $('ws-rate-den').value;
    if (!num || !den) return;
    $('ws-rate-status').textContent = t('wsRunning');
    const r = await A().api('/api/derive', { body: { kind: 'rate', numerator: num, denominator: den, per: 1000 } });
    const box = $('ws-rate-result');
    box.textContent = '';
    if (!r.ok) {
      $('ws-rate-status').textContent = t('wsRunFailed', { msg: (r.json && r.json.error) || r.status });
      return;
    }
    $('ws-rate-status').textContent = t('wsRateDone', { code: r.json.code, n: r.json.written, withheld: r.json.withheld || 0 });
    (r.json.notes || []).forEach((n) => box.appendChild(el('p', { class: 'explain' }, n)));
    box.appendChild(publishButton({ kind: 'source', name: r.json.source }));
    if (r.json.run_id) box.appendChild(publishButton({ kind: 'run', id: r.json.run_id }));
  }

  /* ---- analyses ------------------------------------------------------------------------------ */

  function onScreen() {
    const s = A().state;
    const ind = s.byCode[s.indicator];
    $('ws-on-screen').textContent = ind ? t('wsOnScreen', { indicator: A().indLabel(ind), period: s.period || '' }) : t('wsNothingOnScreen');
    $('ws-run-lisa').disabled = !ind;
    $('ws-run-forecast').disabled = !ind;
  }

  function fillIndexList() {
    const s = A().state;
    const box = $('ws-index-list');
    const kept = {};
    box.querySelectorAll('[data-code]').forEach((r) => {
      kept[r.dataset.code] = { on: r.querySelector('input[type=checkbox]').checked, w: r.querySelector('input[type=range]').value };
    });
    box.textContent = '';
    s.indicators.filter((i) => i.coverage && i.coverage[s.level]).forEach((ind, i) => {
      const k = kept[ind.code] || { on: false, w: '1' };
      const row = el('div', { class: 'ws-weight', 'data-code': ind.code });
      const cb = el('input', { type: 'checkbox', id: 'ws-ix-' + i });
      cb.checked = k.on;
      const lab = el('label', { for: 'ws-ix-' + i }, A().indLabel(ind));
      const sl = el('input', { type: 'range', min: '0', max: '10', step: '1', id: 'ws-w-' + i, 'aria-label': t('wsWeightOf', { indicator: A().indLabel(ind) }) });
      sl.value = k.w;
      const out = el('output', { for: 'ws-w-' + i }, sl.value);
      sl.addEventListener('input', () => { out.textContent = sl.value; });
      row.appendChild(cb);
      row.appendChild(lab);
      row.appendChild(sl);
      row.appendChild(out);
      box.appendChild(row);
    });
  }

  async function showRun(kind, r) {
    const box = $('ws-run-result');
    box.textContent = '';
    if (r.status === 422 && r.json && r.json.too_short) {
      $('ws-run-status').textContent = '';
      box.appendChild(el('p', { class: 'notice', id: 'ws-too-short' }, t('wsTooShort')));
      if (r.json.fewest) box.appendChild(el('p', { class: 'explain' }, t('wsTooShortCount', { n: r.json.longest || 0, fewest: r.json.fewest })));
      (r.json.notes || []).forEach((n) => box.appendChild(el('p', { class: 'explain' }, n)));
      return;
    }
    if (!r.ok) {
      $('ws-run-status').textContent = t('wsRunFailed', { msg: (r.json && r.json.error) || r.status });
      return;
    }
    $('ws-run-status').textContent = t('wsRunDone', { id: r.json.run_id });
    const got = await A().api('/api/runs/' + r.json.run_id);
    const run = got.ok ? got.json : null;
    const card = (run && run.method_card) || {};
    const art = el('article', { class: 'run ws-run', 'data-run': String(r.json.run_id) });
    art.appendChild(el('h4', null, t('wsDraftOf', { what: t('wsKind.' + kind), id: r.json.run_id })));
    art.appendChild(el('p', { class: 'explain', id: 'ws-view-explain' }, t('wsMeans.' + kind)));
    const dl = el('dl', { class: 'card' });
    const add = (k, v) => { if (v !== undefined && v !== null && v !== '') { dl.appendChild(el('dt', null, t(k))); dl.appendChild(el('dd', null, String(v))); } };
    add('wsCardWhen', run ? A().fmtDate(run.created_at) : '');
    add('wsCardMethod', card.method && (card.method.name || card.method));
    const w = card.choices && card.choices.weights;
    if (w && typeof w === 'object') {
      add('wsCardWeightsBy', t('wsCardWeightsByText', { name: w.set_by || '', on: w.set_on || '' }));
      const iw = w.indicator_weights || {};
      const ul = el('ul', { class: 'ws-weights' });
      Object.keys(iw).forEach((c) => {
        const ind = A().state.byCode[c];
        ul.appendChild(el('li', { 'data-code': c, 'data-weight': String(iw[c]) }, t('wsCardWeight', { indicator: ind ? A().indLabel(ind) : c, weight: A().fmt(iw[c]) })));
      });
      dl.appendChild(el('dt', null, t('wsCardWeights')));
      const dd = el('dd');
      dd.appendChild(ul);
      dl.appendChild(dd);
    }
    if (r.json.series !== undefined) add('wsCardSeries', t('wsSeriesDone', { n: r.json.series - r.json.skipped, skipped: r.json.skipped }));
    if (r.json.models && r.json.models['RW(drift)']) art.appendChild(el('p', { class: 'notice', id: 'ws-short-model' }, t('wsShortModel', { n: r.json.models['RW(drift)'] })));
    art.appendChild(dl);
    const open = el('button', { type: 'button', class: 'link' }, t('wsOpenCard'));
    open.addEventListener('click', () => A().openCard(String(r.json.run_id)));
    art.appendChild(open);
    art.appendChild(publishButton({ kind: 'run', id: r.json.run_id }));
    box.appendChild(art);
  }

  async function runLisa() {
    const s = A().state;
    $('ws-run-status').textContent = t('wsRunning');
    showRun('lisa', await A().api('/api/runs/lisa', { body: { indicator: s.indicator, period: s.period } }));
  }

  async function runForecast() {
    $('ws-run-status').textContent = t('wsRunning');
    showRun('forecast', await A().api('/api/runs/forecast', { body: { indicator: A().state.indicator, horizon: 3 } }));
  }

  async function runIndex() {
    const chosen = [];
    document.querySelectorAll('#ws-index-list [data-code]').forEach((r) => {
      if (r.querySelector('input[type=checkbox]').checked) chosen.push({ code: r.dataset.code, weight: Number(r.querySelector('input[type=range]').value) });
    });
    if (chosen.length < 2) { $('ws-run-status').textContent = t('wsIndexTwo'); return; }
    if (chosen.every((c) => c.weight === 0)) { $('ws-run-status').textContent = t('wsIndexZero'); return; }
    $('ws-run-status').textContent = t('wsRunning');
    showRun('index', await A().api('/api/runs/index', { body: { indicators: chosen } }));
  }

  /* ---- wiring -------------------------------------------------------------------------------- */

  async function roleChanged() {
    const on = isAnalyst();
    $('tab-workspace').hidden = !on;
    if (!on && !$('view-workspace').hidden) A().selectTab($('tab-map'), false);
    if (!on) {
      ws.file = ws.b64 = ws.preview = null;
      $('ws-preview-body').textContent = '';
      $('ws-run-result').textContent = '';
      return;
    }
    const r = await A().api('/api/workspace');
    if (r.ok && r.json && r.json.max_upload_bytes) ws.max = r.json.max_upload_bytes;
    sayLimit();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('ws-upload').addEventListener('submit', checkFile);
    $('ws-import-btn').addEventListener('click', importFile);
    $('ws-run-lisa').addEventListener('click', runLisa);
    $('ws-run-forecast').addEventListener('click', runForecast);
    $('ws-run-index').addEventListener('click', runIndex);
    $('ws-rate-btn').addEventListener('click', runRate);
  });
  document.addEventListener('sol:role', () => { roleChanged(); });
  document.addEventListener('sol:tab', (e) => {
    if (e.detail === 'tab-workspace') { onScreen(); fillIndexList(); sayLimit(); }
  });
  document.addEventListener('sol:relabel', () => {
    sayLimit();
    if (!$('view-workspace').hidden) { onScreen(); fillIndexList(); }
    if (ws.preview && !$('ws-preview').hidden) renderPreview(ws.preview);
  });
})();
