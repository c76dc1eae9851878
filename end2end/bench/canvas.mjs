// Benchmark: open a 5,000-sticky board in headless Chromium and report time to interactive and
// frames per second while panning, zoomed in and zoomed out to show everything.
//   make bench    (builds the release server, starts it, runs this)
import { randomUUID } from 'node:crypto';
import { api, boardUrl, launch, newPage, waitForServer, BASE_URL } from '../lib.mjs';
import { panFps } from './pan.mjs';

const COUNT = Number(process.env.STICKIES ?? 5000);
const KINDS = ['domain_event', 'command', 'aggregate', 'policy', 'read_model', 'actor', 'external_system', 'hotspot'];

/**
 * A board of COUNT stickies in rows of 100; with `arrows`, each sticky also points at its right
 * neighbour (the flow of a timeline), which puts about COUNT arrows on the board.
 */
async function makeBoard(arrows) {
  const { body } = await api('POST', '/api/boards', { title: `Benchmark: ${COUNT} stickies` });
  const perRow = 100;
  const ops = [];
  const ids = [];
  for (let i = 0; i < COUNT; i++) {
    ids.push(randomUUID());
    ops.push({ type: 'create_element', element: {
      id: ids[i], kind: KINDS[i % KINDS.length], label: `Sticky ${i}`,
      x: (i % perRow) * 160, y: Math.floor(i / perRow) * 160, width: 120, height: 120 } });
  }
  if (arrows) {
    for (let i = 0; i + 1 < COUNT; i++) {
      if ((i + 1) % perRow !== 0) {
        ops.push({ type: 'connect', connection: { id: randomUUID(), from: ids[i], to: ids[i + 1] } });
      }
    }
  }
  for (let i = 0; i < ops.length; i += 1000) {
    const res = await api('POST', `/api/boards/${body.id}/ops`, { ops: ops.slice(i, i + 1000) });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  }
  return { id: body.id, arrows: ops.filter((op) => op.type === 'connect').length };
}

/** Pans by wheel events, one per animation frame, for `ms`; returns frames per second. */

/**
 * The live model check's time (docs/model-rules.md), as the Problems button reports it: the
 * board is re-checked after every edit, here 15 nudges of one sticky with the arrow key.
 */
async function checkTimes(page) {
  const toggle = page.locator('.problems-toggle');
  const times = [];
  // Focusing a sticky selects it (the arrow keys then move it).
  await page.locator('.element').first().focus();
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('ArrowRight');
    // Two frames: the commit, then the check's effect.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    times.push(Number(await toggle.getAttribute('data-check-ms')));
  }
  return times;
}

/** Opens the board in three fresh pages; time to interactive and pan rates for each. */
async function measure(browser, id) {
  const results = [];
  for (let run = 0; run < 3; run++) {
    const page = await newPage(browser, { width: 1440, height: 900 });
    const t0 = Date.now();
    await page.goto(boardUrl(id));
    await page.waitForSelector('main[data-hydrated="true"]', { timeout: 120_000 });
    const tti = Date.now() - t0;
    // Zoomed out so all stickies are visible (the board opens fitted).
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.locator('.element').first().waitFor({ state: 'detached' });
    const outDom = await page.locator('.element').count();
    const fpsOut = await panFps(page, 3000);
    // Zoomed in to 100% around the middle of the board (re-fitted: the pan above drifts further
    // the faster it runs).
    await page.getByRole('button', { name: 'Fit' }).click();
    for (let i = 0; i < 12 && (await page.locator('.zoom-level').textContent()) !== '100%'; i++) {
      await page.keyboard.press('+');
    }
    const zoom = await page.locator('.zoom-level').textContent();
    await page.locator('.element').first().waitFor();
    const inDom = await page.locator('.element').count();
    const arrowsInDom = await page.locator('g.arrow').count();
    const fpsIn = await panFps(page, 3000);
    const check = await checkTimes(page);
    results.push({ tti, fpsIn, fpsOut, inDom, arrowsInDom, outDom, zoom, check });
    await page.context().close();
  }
  return results;
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function report(results, arrows) {
  console.log(JSON.stringify(results));
  console.log(`stickies: ${COUNT}, arrows: ${arrows}`);
  console.log(`  time to interactive (navigation -> hydrated), median of 3: ${median(results.map((r) => r.tti))} ms`);
  console.log(`  pan fps zoomed in (${results[0].zoom}, ${results[0].inDom} stickies and ${results[0].arrowsInDom} arrows in the DOM): ${median(results.map((r) => r.fpsIn)).toFixed(1)}`);
  console.log(`  pan fps all visible (fit: blocks painted on one canvas, ${results[0].outDom} sticky nodes in the DOM): ${median(results.map((r) => r.fpsOut)).toFixed(1)}`);
  const checks = results.flatMap((r) => r.check);
  console.log(`  model check after an edit (${checks.length} edits): median ${median([...checks]).toFixed(2)} ms, max ${Math.max(...checks).toFixed(2)} ms`);
}

await waitForServer();
const browser = await launch();
// The board (stickies only), then the same board with an arrow per sticky.
for (const arrows of process.env.ARROWS === '0' ? [false] : [false, true]) {
  const board = await makeBoard(arrows);
  report(await measure(browser, board.id), board.arrows);
}
await browser.close();
