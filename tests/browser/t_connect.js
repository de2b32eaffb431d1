/* t_connect.js - the connectors in the dashboard (setup_connect.sh): an analyst sees the
 * connector "nidi" in the Sources view with its last check and what changed, presses "Refresh
 * now", which fetches Istat's revised answer, and finds the revision first among the emerging
 * needs; a visitor does not see the panel. */
module.exports = (h) => {
  const { test, assert, ready, until, ANALYST } = h;

  test('connectors: an analyst refreshes an Istat connector and sees the revision among the emerging needs', async (page) => {
    await ready(page);
    await page.click('#tab-catalog');
    assert(await page.locator('#connect-box').isHidden(), 'a visitor sees the connectors panel');
    await page.fill('#login-name', ANALYST.name);
    await page.fill('#login-password', ANALYST.password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#connect-table tr[data-connector="nidi"]').waitFor({ timeout: 20000 });
    const row = page.locator('#connect-table tr[data-connector="nidi"]');
    assert(/ISTAT · 47_850/.test(await row.innerText()), 'the provider and dataflow: ' + (await row.innerText()));
    assert(/new version: 22 values added, 0 revised, 0 removed/.test(await row.locator('.connect-what').innerText()), 'what changed: ' + (await row.locator('.connect-what').innerText()));
    await row.locator('button.connect-refresh').click();
    await until(page, () => /version 2, 0 values added, 1 revised, 0 removed/.test(document.getElementById('connect-status').textContent), null, 'the refresh status');
    await until(page, () => /new version: 0 values added, 1 revised/.test((document.querySelector('#connect-table tr[data-connector="nidi"] .connect-what') || {}).textContent || ''), null, 'the row updated');
    await page.click('#tab-alerts');
    await until(page, () => document.querySelectorAll('#alerts-list li.alert-revised').length > 0, null, 'the revision in the emerging needs');
    const first = await page.locator('#alerts-list li').first().innerText();
    assert(/20 → 25 \(Agliè, .*2023\)/.test(first) && /Istat/.test(first), 'the revision is not first: ' + first);
    assert(/Figure revised/.test(first), 'the kind of the revision: ' + first);
    /* a second refresh: nothing changed, nothing written */
    await page.click('#tab-catalog');
    const row2 = page.locator('#connect-table tr[data-connector="nidi"]');
    await row2.waitFor();
    await row2.locator('button.connect-refresh').click();
    await until(page, () => /nothing changed, nothing written/.test(document.getElementById('connect-status').textContent), null, 'the second refresh');
  });
};
