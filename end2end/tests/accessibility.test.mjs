// WCAG 2 A and AA, checked by axe-core (the engine behind Lighthouse's accessibility audit) on the
// pages people meet: home, a board (owner, and a view link), the Share dialog and the Export panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

/** The WCAG 2 A/AA violations on the page as it is now, one line each. */
async function violations(page) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy refuses inline
  // scripts (docs/operations.md), which is what an injected <script> would be.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}

async function sampleBoard() {
  const { body } = await api('POST', '/api/boards', { title: 'Accessibility' });
  const el = (kind, label, x, y) => ({ id: randomUUID(), kind, label, x, y, width: 120, height: 120 });
  const a = el('command', 'Place order', 0, 0);
  const b = el('domain_event', 'Order placed', 300, 0);
  const frame = { id: randomUUID(), kind: 'bounded_context', label: 'Ordering', x: -40, y: -80, width: 500, height: 260 };
  const ops = [frame, a, b].map((element) => ({ type: 'create_element', element }));
  ops.push({ type: 'connect', connection: { id: randomUUID(), from: a.id, to: b.id } });
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);
  return { id: body.id, a };
}

test('the home page meets WCAG 2 A and AA', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await waitForHydration(page);
  assert.deepEqual(await violations(page), []);
});

test('a board, its Share dialog and its Export panel meet WCAG 2 A and AA', async () => {
  const { id, a } = await sampleBoard();
  const page = await newPage(browser);
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  await page.locator('.save-state.saved').waitFor();
  await page.locator(`.element[data-id="${a.id}"]`).click();
  assert.deepEqual(await violations(page), [], 'board with a selected sticky and its properties');

  await page.locator('.board-bar button.share').click();
  await page.getByRole('dialog', { name: 'Share' }).waitFor();
  assert.deepEqual(await violations(page), [], 'Share dialog');
  await page.keyboard.press('Escape');

  await page.locator('.board-bar button.export').click();
  await page.locator('.export-panel').waitFor();
  assert.deepEqual(await violations(page), [], 'Export panel');
});

test('a board opened with its view link meets WCAG 2 A and AA', async () => {
  const { id } = await sampleBoard();
  const page = await newPage(browser);
  await page.goto(boardUrl(id, 'view'));
  await waitForHydration(page);
  assert.deepEqual(await violations(page), []);
});
