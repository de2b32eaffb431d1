/* t_campaign_add.js - an analyst creates a campaign from the dashboard in Italian (web/campaign.js,
 * POST /api/campaigns): the "New campaign" form with the figures chosen from the store's
 * indicators and a place, then the campaign's draft page with its "Publish" button, "What was
 * achieved" and "Evaluate the label". A visitor sees no form. */
'use strict';

module.exports = (h) => {
  const { test, assert, ready, until } = h;

  test('new campaign: an analyst creates a campaign in Italian from the form and sees its draft page', async (page) => {
    await ready(page, '?lang=it');
    await page.click('#tab-campaigns');
    await until(page, () => { const b = document.getElementById('campaign-box'); return b && b.dataset.ready === '-'; }, null, 'the list');
    assert((await page.locator('#campaign-new').count()) === 0, 'a visitor sees the new campaign form');
    await page.fill('#login-name', h.ANALYST.name);
    await page.fill('#login-password', h.ANALYST.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#campaign-new').waitFor({ state: 'attached' });
    await page.click('#campaign-new summary');
    await page.fill('#cn-name', 'sportello-estate');
    await page.selectOption('#cn-kind', 'information');
    await page.fill('#cn-objective', 'Far conoscere lo sportello estivo alle famiglie con redditi bassi');
    const inds = await page.locator('#cn-indicators option').count();
    assert(inds > 0, 'no indicator to choose from');
    await page.selectOption('#cn-indicators', ['pct_income_0_10k']);
    const areas = await page.locator('#cn-area option').count();
    assert(areas > 1, 'no place to choose from');
    await page.selectOption('#cn-area', '12');
    await page.fill('#cn-budget', '1500,50');
    await page.fill('#cn-starts', '2027-06-01');
    await page.fill('#cn-ends', '2027-08-31');
    await page.click('#cn-submit');
    await until(page, () => { const b = document.getElementById('campaign-box'); return b && b.dataset.ready === 'sportello-estate'; }, null, 'the new draft page');
    const title = await page.locator('#campaign-title').innerText();
    assert(title === 'sportello-estate', 'title: ' + title);
    const box = await page.locator('#campaign-box').innerText();
    assert(/bozza/.test(box), 'the page does not say it is a draft (bozza): ' + box.slice(0, 200));
    assert(/Lazio/.test(await page.locator('#campaign-evidence').innerText()), 'the place is not among the evidence');
    assert((await page.locator('#campaign-evidence li').count()) === 2, 'two evidence items expected');
    assert((await page.locator('#campaign-publish').count()) === 1, 'no Publish button on the draft');
    assert((await page.locator('#campaign-achieved-text').count()) === 1, 'no "what was achieved" box');
    assert((await page.locator('#campaign-label-eval').count()) === 1, 'no "evaluate the label" button');
    /* an empty ledger is signed to its end: publishing works, then the label is evaluated */
    await page.fill('#campaign-achieved-text', 'Volantini in 12 parrocchie');
    await page.click('#campaign-achieved-save');
    await until(page, () => /Volantini/.test((document.getElementById('campaign-achieved') || {}).textContent || ''), null, 'what was achieved shown');
    await page.click('#campaign-label-eval');
    await until(page, () => document.querySelectorAll('#campaign-rules li').length === 8, null, 'the label evaluated');
  });

  test('new campaign page aside: non-take-up in "Who we reach" ranks the places by the people entitled and not helped', async (page) => {
    await ready(page, '?lang=fr');
    await page.click('#tab-audience');
    assert((await page.locator('#takeup-box').count()) === 0, 'a visitor sees the non-take-up section');
    await page.fill('#login-name', h.ANALYST.name);
    await page.fill('#login-password', h.ANALYST.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#takeup-box').waitFor({ state: 'visible' });
    await page.selectOption('#takeup-people', 'taxpayers');
    await page.selectOption('#takeup-share', 'pct_income_0_10k');
    await page.selectOption('#takeup-helped', 'people_helped');
    await page.click('#takeup-show');
    await until(page, () => document.querySelectorAll('#takeup-table tbody tr').length === 3 ||
      !!document.querySelector('#takeup-result .error'), null, 'the ranking');
    const err = await page.locator('#takeup-result .error').count();
    assert(err === 0, 'refused: ' + (err ? await page.locator('#takeup-result .error').innerText() : ''));
    const rows = await page.locator('#takeup-table tbody tr').allInnerTexts();
    assert(/^1\t/.test(rows[0]), 'not ranked: ' + rows[0]);
    assert(/\(\D*\d[\d\s.,\u202f]*\D+\d[\d\s.,\u202f]*\)/.test(rows[0]), 'no interval: ' + rows[0]);
  });
};
