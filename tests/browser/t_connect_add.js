/* t_connect_add.js - adding a connector from the dashboard, in French (setup_connect.sh's replay
 * of Istat): the analyst opens "Ajouter un connecteur", chooses Istat, searches words, picks the
 * recorded dataflow 47_850, chooses the figures of each part, a monthly check, adds it, sees it
 * listed, and fetches it with "Refresh now"; a key of the wrong length is refused in words. */
module.exports = (h) => {
  const { test, assert, ready, until, ANALYST } = h;

  test('add a connector: an analyst searches Istat, adds a dataflow and refreshes it, in French', async (page) => {
    await ready(page, '?lang=fr');
    await page.click('#tab-catalog');
    await page.fill('#login-name', ANALYST.name);
    await page.fill('#login-password', ANALYST.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#connect-add summary').waitFor({ timeout: 20000 });
    await page.locator('#connect-add summary').click();
    assert(/ISTAT/.test(await page.locator('#connect-provider').innerText()), 'Istat is not among the publishers');
    await page.selectOption('#connect-provider', 'ISTAT');
    await page.fill('#connect-words', 'infancy');
    await page.keyboard.press('Enter'); /* keyboard: Enter in the words searches */
    await until(page, () => !!document.querySelector('#connect-flow option[value="47_850"]'), null, 'the dataflow among the results');
    await page.selectOption('#connect-flow', '47_850');
    await page.locator('#connect-dim-0').waitFor();
    const dims = await page.locator('#connect-dims').innerText();
    assert(/REF_AREA/.test(dims), 'the parts of the dataflow are not shown: ' + dims);
    /* a key of the wrong length: refused in words, in French, nothing added */
    await page.fill('#connect-name', 'creches');
    await page.fill('#connect-key', 'A.001001.AUTP');
    await page.click('#connect-add-go');
    await until(page, () => /la clé « A\.001001\.AUTP » a 3 parties/.test(document.getElementById('connect-add-status').textContent), null, 'the bad key refused in French');
    assert(await page.locator('#connect-table tr[data-connector="creches"]').count() === 0, 'a refused connector is listed');
    /* the figures chosen part by part */
    await page.fill('#connect-key', '');
    const codes = ['A', '001001 001002', 'AUTP', 'ALL', 'ALL', '1'];
    for (let i = 0; i < codes.length; i++) {
      const x = page.locator('#connect-dim-' + i);
      if ((await x.evaluate((e) => e.tagName)) === 'SELECT') await x.selectOption(codes[i].split(' '));
      else await x.fill(codes[i]);
    }
    /* the same figures already come from the connector "nidi": a code of their own */
    await page.fill('#connect-indicator', 'creches');
    await page.selectOption('#connect-every', 'monthly');
    await page.click('#connect-add-go');
    await page.locator('#connect-table tr[data-connector="creches"]').waitFor({ timeout: 20000 });
    const row = page.locator('#connect-table tr[data-connector="creches"]');
    assert(/ISTAT · 47_850/.test(await row.innerText()), 'the new row: ' + (await row.innerText()));
    await row.locator('button.connect-refresh').click();
    await until(page, () => /^creches ?:/.test(document.getElementById('connect-status').textContent), null, 'the first refresh of the new connector');
    const said = await page.locator('#connect-status').innerText();
    assert(/version 1\b/.test(said), 'the first refresh did not write version 1: ' + said);
    assert(await page.evaluate(() => document.documentElement.lang) === 'fr', 'the page is not in French');
  }, /\/api\/connectors 400$/); /* the refused key */
};
