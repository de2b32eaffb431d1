/* t_map_speed.js - the map of 35,000 areas (setup_map_speed.sh): the level is drawn on a canvas
 * from the simplified topology and the values reply, the legend and the table follow, a pointer
 * over an area shows its tooltip, the wheel zooms in and a finer level is fetched. The times
 * (first open with the server building the arcs, then a warm open from its cache) go to
 * BUILD/browser/timing.log; they are reported, never asserted. */
const fs = require('fs');
const path = require('path');

module.exports = (h) => {
  const { test, assert, ready, OUT } = h;

  async function waitDrawn(page, ms) {
    for (let i = 0; i < ms / 100; i++) {
      if (await page.evaluate(() => { const c = document.getElementById('map-canvas'); return !!(c && !c.hidden && c.dataset.drawnMs); })) return;
      await page.waitForTimeout(100);
    }
    throw new Error('the canvas map was not drawn within ' + ms + ' ms');
  }

  async function openLevel(page) {
    await ready(page);
    if (!(await page.locator('#level option[value="commune_fr"]').count())) return false;
    const t0 = Date.now();
    await page.selectOption('#level', 'commune_fr');
    await waitDrawn(page, 120000);
    const wall = Date.now() - t0;
    const t = await page.evaluate(() => {
      const c = document.getElementById('map-canvas');
      const m = c.solMap;
      return { areas: Number(c.dataset.areas), total: Number(c.dataset.drawnMs), values: m.timing.values, fetch: m.timing.fetch, decode: m.timing.decode, draw: m.timing.draw, zoom: Number(c.dataset.zoom), vertices: m.geo.arcs.reduce((n, a) => n + a.length / 2, 0) };
    });
    t.wall = wall;
    return t;
  }

  function log(line) {
    fs.appendFileSync(path.join(OUT, 'timing.log'), new Date().toISOString() + ' ' + line + '\n');
  }

  test('map of 35,000 areas: drawn on a canvas from simplified geometry, zooms to a finer level', async (page) => {
    const cold = await openLevel(page);
    if (cold === false) return; /* SOL_MAP_SPEED=0: not set up */
    assert(cold.areas >= 35000, 'areas drawn: ' + cold.areas);
    assert(cold.zoom === 0, 'the first level is the coarsest: ' + cold.zoom);
    log(`map_speed cold: ${cold.areas} areas, ${cold.vertices} vertices at zoom ${cold.zoom}: shown in ${cold.total.toFixed(0)} ms (values ${cold.values.toFixed(0)}, geometry fetch+parse ${cold.fetch.toFixed(0)}, decode+paths ${cold.decode.toFixed(0)}, draw ${cold.draw.toFixed(0)}); selection to table ${cold.wall} ms`);
    const legend = await page.locator('#legend-items li').count();
    assert(legend >= 2, 'legend items: ' + legend);
    /* the table lists the first 500 rows and says so; the map has them all */
    const rows = await page.locator('#values-table tbody tr').count();
    assert(rows === 500, 'table rows: ' + rows);
    const caption = await page.locator('#values-caption').innerText();
    assert(/500/.test(caption) && /35[,.\u202f\u00a0 ]?000/.test(caption), 'the caption does not say 500 of 35,000: ' + caption);
    /* a pointer in the middle of the map: the tooltip names an area */
    const box = await page.locator('#map-canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(200);
    await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2 + 2);
    const tip = await page.locator('#tooltip').innerText();
    assert(!(await page.locator('#tooltip').isHidden()) && tip.length > 3, 'no tooltip over the map: ' + tip);
    /* zoom in: a finer level replaces the coarse one */
    for (let i = 0; i < 14; i++) await page.mouse.wheel(0, -200);
    let z = 0;
    for (let i = 0; i < 600 && z === 0; i++) {
      await page.waitForTimeout(100);
      z = await page.evaluate(() => Number(document.getElementById('map-canvas').dataset.zoom));
    }
    assert(z > 0, 'no finer level fetched after zooming in');
    const redraw = await page.evaluate(() => document.getElementById('map-canvas').solMap.timing.draw);
    log(`map_speed zoomed: level ${z}, one redraw ${redraw.toFixed(1)} ms`);
    await page.screenshot({ path: path.join(OUT, 'map_speed.png') });
    /* a warm open: the server has both replies cached (gzip), the browser starts afresh */
    await page.reload();
    const warm = await openLevel(page);
    log(`map_speed warm: ${warm.areas} areas, ${warm.vertices} vertices at zoom ${warm.zoom}: shown in ${warm.total.toFixed(0)} ms (values ${warm.values.toFixed(0)}, geometry fetch+parse ${warm.fetch.toFixed(0)}, decode+paths ${warm.decode.toFixed(0)}, draw ${warm.draw.toFixed(0)}); selection to table ${warm.wall} ms`);
  });
};
