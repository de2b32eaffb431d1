/* t_campaign.js - the public campaign page (web/campaign.js) for an anonymous visitor, in English,
 * French and Italian with nothing left in English; the ledger verified in the browser (SHA-256
 * and Ed25519 through crypto.subtle); a tampered copy of the ledger not verified. The campaign is
 * made by setup_campaign.sh. */
'use strict';

module.exports = (h) => {
  const { test, assert, ready, until } = h;

  async function openCampaign(page, lang) {
    await ready(page, '?campaign=winter-helpdesk&lang=' + lang);
    await until(page, () => {
      const b = document.getElementById('campaign-box');
      const v = document.getElementById('campaign-verify');
      return b && b.dataset.ready === 'winter-helpdesk' && v && v.dataset.ok !== undefined;
    }, null, 'the campaign page and its verification');
  }

  /* English templates (from /i18n/en.json) whose translation differs: a text of the campaign
   * page matching one is left in English. */
  async function leftInEnglish(page, lang) {
    return page.evaluate(async (l) => {
      const get = async (u) => (await fetch(u)).json();
      const en = await get('/i18n/en.json'), tr = await get('/i18n/' + l + '.json');
      const pats = Object.keys(en).filter((k) => tr[k] !== undefined && tr[k] !== en[k] &&
          en[k].replace(/\{\w+\}/g, '').replace(/[^A-Za-z]/g, '').length >= 3)
        .map((k) => ({ k, re: new RegExp('^' + en[k].split(/\{\w+\}/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+?') + '$') }));
      /* a translation equal to the English (Date, Budget, online) is fine; a missing one is not */
      const missing = Object.keys(en).filter((k) => k.startsWith('campaign.') && tr[k] === undefined);
      const bad = [];
      const box = document.getElementById('view-campaigns');
      const w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      const texts = [];
      for (let n = w.nextNode(); n; n = w.nextNode()) texts.push(n.textContent.replace(/\s+/g, ' ').trim());
      box.querySelectorAll('[aria-label],[alt],[title]').forEach((e) => ['aria-label', 'alt'].forEach((a) => { if (e.getAttribute(a)) texts.push(e.getAttribute(a)); }));
      texts.push(document.getElementById('tab-campaigns').textContent.trim());
      for (const t of texts) {
        if (!t) continue;
        const hit = pats.find((p) => p.re.test(t));
        if (hit) bad.push('"' + t.slice(0, 60) + '" (' + hit.k + ')');
        else if (/\{[a-z]\w*\}|\bnull\b|\bundefined\b|\bNaN\b/.test(t)) bad.push('"' + t.slice(0, 60) + '"');
      }
      return { bad, missing };
    }, lang);
  }

  for (const lang of ['en', 'fr', 'it']) {
    test('campaign page for an anonymous visitor in ' + lang + ': verified in the browser, nothing left in English', async (page) => {
      await openCampaign(page, lang);
      const ok = await page.getAttribute('#campaign-verify', 'data-ok');
      const said = await page.locator('#campaign-verify').innerText();
      assert(ok === '1', lang + ': the ledger is not verified in the browser: ' + said);
      assert((await page.locator('#campaign-ledger tbody tr').count()) === 12, 'the ledger table does not have 12 rows');
      assert((await page.locator('#campaign-rules li').count()) === 8, 'the label does not show its 8 rules');
      assert((await page.locator('#campaign-downloads a').count()) === 3, 'three downloads');
      assert(await page.locator('#campaign-bar .bar-objective').count() === 1, 'no bar of spending');
      const tab = await page.locator('#tab-campaigns').innerText();
      if (lang === 'fr') assert(tab === 'Campagnes', 'tab in French: ' + tab);
      if (lang === 'it') assert(tab === 'Campagne', 'tab in Italian: ' + tab);
      if (lang !== 'en') {
        const r = await leftInEnglish(page, lang);
        assert(r.missing.length === 0, lang + ': campaign texts without a translation: ' + r.missing.slice(0, 6).join(', '));
        assert(r.bad.length === 0, lang + ': left in English: ' + r.bad.slice(0, 6).join('; '));
      }
      await page.screenshot({ path: require('path').join(h.OUT, 'campaign-' + lang + '.png'), fullPage: true });
    });
  }

  test('campaign page: a tampered copy of the ledger is not verified, naming the entry', async (page) => {
    await openCampaign(page, 'en');
    const r = await page.evaluate(async () => {
      const doc = await (await fetch('/api/campaigns/winter-helpdesk/ledger.json')).json();
      const good = await window.SOL_CAMPAIGN.verifyLedger(doc);
      const a = JSON.parse(JSON.stringify(doc));
      a.entries[2].body.amount_cents += 100;
      const altered = await window.SOL_CAMPAIGN.verifyLedger(a);
      const b = JSON.parse(JSON.stringify(doc));
      b.entries.splice(4, 1);
      const removed = await window.SOL_CAMPAIGN.verifyLedger(b);
      const c = JSON.parse(JSON.stringify(doc));
      const s = c.signatures[c.signatures.length - 1];
      s.signature = (s.signature[0] === '0' ? '1' : '0') + s.signature.slice(1);
      const badsig = await window.SOL_CAMPAIGN.verifyLedger(c);
      const pinned = await window.SOL_CAMPAIGN.verifyLedger(doc, '0'.repeat(64));
      return { good, altered, removed, badsig, pinned };
    });
    assert(r.good.ok, 'the served ledger does not verify');
    assert(!r.altered.ok && r.altered.what[0] === 'campaign.v.hash' && r.altered.what[1].n === 3, 'altered amount: ' + JSON.stringify(r.altered));
    assert(!r.removed.ok && r.removed.what[0] === 'campaign.v.missing' && r.removed.what[1].n === 5, 'removed entry: ' + JSON.stringify(r.removed));
    assert(!r.badsig.ok && r.badsig.what[0] === 'campaign.v.sig', 'flipped signature: ' + JSON.stringify(r.badsig));
    assert(!r.pinned.ok && r.pinned.what[0] === 'campaign.v.pin', 'other key: ' + JSON.stringify(r.pinned));
  });

  test('campaigns tab lists the published campaign for anyone; an unknown campaign is said plainly', async (page) => {
    await ready(page, '?lang=fr');
    await page.click('#tab-campaigns');
    await until(page, () => { const b = document.getElementById('campaign-box'); return b && b.dataset.ready === '-'; }, null, 'the list');
    assert((await page.locator('#campaign-list li').count()) === 1, 'one published campaign listed');
    await ready(page, '?campaign=nope&lang=it');
    await until(page, () => { const b = document.getElementById('campaign-box'); return b && b.dataset.ready === 'nope'; }, null, 'the missing page');
    const t = await page.locator('#campaign-missing').innerText();
    assert(/nope/.test(t), 'the missing campaign is not named: ' + t);
  }, /\/api\/campaigns\/nope 404$/);

  /* last: it adds a 13th entry to the ledger the tests above count */
  test('campaign page: an analyst adds a donation; the ledger stays verified in the browser', async (page) => {
    await openCampaign(page, 'en');
    assert((await page.locator('#campaign-entry-form').count()) === 0, 'a visitor sees the entry form');
    await page.fill('#login-name', h.ANALYST.name);
    await page.fill('#login-password', h.ANALYST.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#campaign-entry-form').waitFor({ state: 'visible' });
    await page.selectOption('#ce-kind', 'donation');
    await page.fill('#ce-amount', '12.50');
    await page.fill('#ce-donor', 'd-9c1e55');
    await page.click('#campaign-entry-form button[type=submit]');
    await until(page, () => /13/.test((document.getElementById('campaign-entry-status') || {}).textContent || ''), null, 'entry 13 added');
    await until(page, () => { const v = document.getElementById('campaign-verify'); return v && v.dataset.ok === '1'; }, null, 'the ledger verified again');
    assert((await page.locator('#campaign-ledger tbody tr').count()) === 13, 'the new entry is not in the table');
  });
};
