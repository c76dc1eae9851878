// A crowded view is painted on the canvas (docs/canvas.md C1-C3), and the habits still work on
// it: hover, double-click to edit, drag, a tap with a finger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const KINDS = ['domain_event', 'command', 'aggregate', 'policy', 'read_model', 'actor', 'external_system', 'hotspot'];

/** A 20 x 20 grid of stickies, 160 px apart: ids by position. */
async function crowdedBoard() {
  const { body } = await api('POST', '/api/boards', { title: 'Crowded' });
  const ids = [];
  const ops = [];
  for (let i = 0; i < 400; i++) {
    const id = randomUUID();
    ids.push(id);
    ops.push({ type: 'create_element', element: {
      id, kind: KINDS[i % KINDS.length], label: `Sticky ${i}`,
      x: (i % 20) * 160, y: Math.floor(i / 20) * 160, width: 120, height: 120 } });
  }
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);
  return { id: body.id, ids };
}

/** Where board point (x, y) is on the page, from the world layer's transform. */
async function onPage(page, x, y) {
  return page.evaluate(([x, y]) => {
    const m = /translate\(([-\d.e]+)px, *([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(document.querySelector('.world').style.transform);
    const c = document.querySelector('.canvas').getBoundingClientRect();
    return { x: c.left + Number(m[1]) + x * Number(m[3]), y: c.top + Number(m[2]) + y * Number(m[3]) };
  }, [x, y]);
}

/** "Fit", then `+` up to the first zoom at or above 45%: the crowded view is painted (C1). */
async function zoomToPainted(page) {
  await page.getByRole('button', { name: 'Fit' }).click();
  for (let i = 0; i < 10 && parseFloat(await page.locator('.zoom-level').textContent()) < 45; i++) {
    await page.keyboard.press('+');
  }
  await page.locator('.canvas.painted').waitFor();
}

async function element(id) {
  const { body } = await api('GET', `/api/boards/${id.board}`);
  return body.elements.find((e) => e.id === id.element);
}

test('a crowded view is painted with its labels, and a painted sticky is edited and dragged as any (C1, C2)', async () => {
  const board = await crowdedBoard();
  const page = await newPage(browser);
  await page.goto(boardUrl(board.id));
  await waitForHydration(page);
  await zoomToPainted(page);
  await page.mouse.move(2, 2);
  assert.equal(await page.locator('.element').count(), 0, 'nothing selected, nothing hovered: no DOM sticky');
  // The canvas holds the painting: a domain event's orange where sticky 208 (row 10, column 8,
  // near the middle of the board, which "Fit" centres) is.
  const p0 = await onPage(page, 8 * 160 + 60, 10 * 160 + 20);
  const pixel = await page.evaluate(({ x, y }) => {
    // The painted tile under the point (docs/canvas.md: tiles in a layer that a pan moves).
    const c = [...document.querySelectorAll('.tiles canvas')].find((t) => {
      const r = t.getBoundingClientRect();
      return x >= r.left && x < r.right && y >= r.top && y < r.bottom;
    });
    const r = c.getBoundingClientRect();
    const dpr = window.devicePixelRatio;
    return [...c.getContext('2d').getImageData(Math.floor((x - r.left) * dpr), Math.floor((y - r.top) * dpr), 1, 1).data];
  }, p0);
  assert.deepEqual(pixel, [0xff, 0x9f, 0x43, 255], 'a domain event is painted orange');
  await page.screenshot({ path: new URL('../../docs/painted.png', import.meta.url).pathname });

  // The pointer over a painted sticky gives it a DOM node; a double-click edits it.
  const s189 = await onPage(page, 9 * 160 + 60, 9 * 160 + 60);
  await page.mouse.move(s189.x, s189.y);
  await page.locator(`.element[data-id="${board.ids[189]}"]`).waitFor();
  await page.mouse.dblclick(s189.x, s189.y);
  const editor = page.locator(`.element[data-id="${board.ids[189]}"] textarea`);
  await editor.waitFor();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Renamed on a painted board');
  await page.keyboard.press('Enter');
  await page.locator('.save-state.saved').waitFor();
  assert.equal((await element({ board: board.id, element: board.ids[189] })).label, 'Renamed on a painted board');

  // A painted sticky is dragged by the pointer that went down on it.
  const s231 = await onPage(page, 11 * 160 + 60, 11 * 160 + 60);
  const zoom = parseFloat(await page.locator('.zoom-level').textContent()) / 100;
  await page.mouse.move(s231.x, s231.y);
  await page.mouse.down();
  await page.mouse.move(s231.x + 50, s231.y + 30, { steps: 5 });
  await page.mouse.up();
  await page.locator('.save-state.saved').waitFor();
  const moved = await element({ board: board.id, element: board.ids[231] });
  assert.ok(Math.abs(moved.x - (11 * 160 + 50 / zoom)) < 2 && Math.abs(moved.y - (11 * 160 + 30 / zoom)) < 2,
    `dragged to ${moved.x}, ${moved.y}`);

  // An arrow drawn from the round handle, pressed on its half outside the sticky (where no
  // painted sticky is under the pointer), to another painted sticky.
  const from = await onPage(page, 12 * 160 + 60, 9 * 160 + 60);
  await page.mouse.move(from.x, from.y);
  await page.locator(`.element[data-id="${board.ids[192]}"]`).waitFor();
  // The browser gives the new node its :hover (and so its handle) on the next move.
  await page.mouse.move(from.x + 3, from.y + 2);
  const handle = page.locator(`.element[data-id="${board.ids[192]}"] .handle.connect`);
  await handle.waitFor();
  const h = await handle.boundingBox();
  const grip = { x: h.x + h.width * 0.85, y: h.y + h.height / 2 };
  await page.mouse.move(grip.x, grip.y, { steps: 3 });
  await page.mouse.down();
  const to = await onPage(page, 12 * 160 + 60, 10 * 160 + 60);
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await page.locator('.save-state.saved').waitFor();
  const { body: afterConnect } = await api('GET', `/api/boards/${board.id}`);
  assert.ok(afterConnect.connections.some((c) => c.from === board.ids[192] && c.to === board.ids[212]),
    'the arrow joins the two painted stickies');

  // Zoomed in to 100%: DOM stickies again, with their labels.
  for (let i = 0; i < 10 && parseFloat(await page.locator('.zoom-level').textContent()) < 100; i++) {
    await page.keyboard.press('+');
  }
  await page.locator('.canvas:not(.painted)').waitFor();
  assert.ok(await page.locator('.element .label', { hasText: /^Sticky \d+$/ }).count() > 20);
  assert.deepEqual(page.errors, []);
});

test('a finger taps a painted sticky and selects it (C3)', async () => {
  const board = await crowdedBoard();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, hasTouch: true });
  await context.addInitScript(() => { window.localStorage.setItem('squall.name', 'Tapper'); });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  await page.goto(boardUrl(board.id));
  await waitForHydration(page);
  await zoomToPainted(page);
  const target = await onPage(page, 12 * 160 + 60, 10 * 160 + 60);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: target.x, y: target.y, id: 1 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.locator(`.element.selected[data-id="${board.ids[212]}"]`).waitFor();
  assert.equal(await page.locator('.properties h2').textContent(), 'Read model');
  assert.deepEqual(page.errors, []);
});
