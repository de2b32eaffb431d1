/* t_audience.js - "Who we reach": an anonymous visitor reads the published audience card in
 * French (the rule in words, the evidence, k, the areas' map) and sees no form; an analyst
 * previews an audience from choices and reads the refusal in words when a place holds fewer than
 * k people. */
'use strict';
module.exports = (h) => {
  const { test, assert, ready, until, ANALYST, OUT } = h;
  const path = require('path');

  test('who we reach: the public audience card in French, like an ad library', async (page) => {
    await ready(page, '?lang=fr');
    await page.click('#tab-audience');
    await page.locator('.aud-card[data-audience="winter"]').waitFor();
    const text = await page.locator('.aud-card[data-audience="winter"]').innerText();
    assert(/Winter help desk/.test(text), 'no purpose on the card');
    assert(/Contribuables percevant une pension/.test(text), 'the evidence is not labelled in French: ' + text.slice(0, 300));
    assert(/CC BY 4\.0/.test(text), 'no licence in the evidence');
    assert(!(await page.locator('#aud-form-box').isVisible()), 'the form is shown to a visitor');
    assert(!/brouillon|draft/.test(text), 'a draft is shown to a visitor');
    await until(page, () => { const i = document.querySelector('.aud-card img.aud-map'); return i && i.complete && i.naturalWidth > 0; }, null, 'the map');
    await page.screenshot({ path: path.join(OUT, 'audience-fr.png'), fullPage: true });
  });

  test('who we reach: an analyst previews an audience and reads a refusal below k', async (page) => {
    await ready(page, '?lang=en');
    await page.fill('#login-name', ANALYST.name);
    await page.fill('#login-password', ANALYST.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#me').waitFor({ state: 'visible' });
    await page.click('#tab-audience');
    await page.locator('#aud-form-box').waitFor({ state: 'visible' });
    await until(page, () => document.querySelectorAll('#aud-people option').length > 5, null, 'the indicators');
    await page.fill('#aud-name', 'try');
    await page.selectOption('#aud-cond', 'pct_income_0_10k');
    await page.selectOption('#aud-op', '>');
    await page.fill('#aud-value', '30');
    await page.selectOption('#aud-people', 'self_employed_income_n');
    await page.click('#aud-preview');
    await until(page, () => /Not accepted|Preview/.test(document.getElementById('aud-result').innerText), null, 'the preview');
    const out = await page.locator('#aud-result').innerText();
    assert(/fewer than k = 100 people/.test(out) && /k at most \d+/.test(out), 'no refusal in words: ' + out.slice(0, 300));
    await page.check('#aud-drop');
    await page.click('#aud-preview');
    await until(page, () => /Preview \(nothing was saved\)/.test(document.getElementById('aud-result').innerText), null, 'the accepted preview');
    await page.screenshot({ path: path.join(OUT, 'audience-analyst.png'), fullPage: true });
  }, /\/api\/audiences 400/);
};
