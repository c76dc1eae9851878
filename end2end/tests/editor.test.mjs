// The board editor, used the way a facilitator does: palette, typing, dragging, arrows,
// selection, undo/redo, pan and zoom, and a reload that shows everything where it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const KINDS = ['domain_event', 'command', 'aggregate', 'policy', 'read_model', 'actor',
  'external_system', 'hotspot', 'bounded_context', 'text_note'];

async function openNewBoard(title) {
  const { body } = await api('POST', '/api/boards', { title });
  const page = await newPage(browser);
  await page.goto(boardUrl(body.id));
  await waitForHydration(page);
  return { page, id: body.id };
}

const saved = (page) => page.locator('.save-state.saved').waitFor();
const stored = async (id) => (await api('GET', `/api/boards/${id}`)).body;
const sticky = (page, label) => page.locator('.element', { has: page.locator('.label', { hasText: label }) });
async function centreOf(locator) {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test('every kind can be added from the palette and named by typing', async () => {
  const { page, id } = await openNewBoard('Palette');
  for (const kind of KINDS) {
    await page.locator(`.palette [data-kind="${kind}"]`).click();
    const editor = page.getByLabel('Sticky text');
    await editor.waitFor();
    await page.keyboard.type(`A ${kind}`);
    await page.keyboard.press('Enter');
    await editor.waitFor({ state: 'detached' });
  }
  // Dragging from the palette drops the sticky where the pointer is.
  await page.dragAndDrop('.palette [data-kind="policy"]', '.canvas', { targetPosition: { x: 900, y: 500 } });
  await page.keyboard.type('Dropped policy');
  await page.keyboard.press('Enter');
  await saved(page);

  const board = await stored(id);
  const labels = board.elements.map((e) => `${e.kind}:${e.label}`).sort();
  assert.deepEqual(labels, [...KINDS.map((k) => `${k}:A ${k}`), 'policy:Dropped policy'].sort());
  for (const kind of KINDS) {
    assert.equal(await page.locator(`.element.kind-${kind}`).first().isVisible(), true);
  }
  assert.deepEqual(page.errors, []);
});

test('a facilitator builds, connects, selects, deletes, undoes and redoes, and a reload keeps it all', async () => {
  const { page, id } = await openNewBoard('Order flow');
  const canvas = page.locator('.canvas');
  const box = await canvas.boundingBox();

  // Double-click on empty canvas adds a domain event (the default) in edit mode.
  await page.mouse.dblclick(box.x + 300, box.y + 250);
  await page.keyboard.type('Order Placed');
  await page.keyboard.press('Enter');
  await page.locator('.palette [data-kind="command"]').click();
  await page.keyboard.type('Place Order');
  await page.keyboard.press('Enter');
  await page.dragAndDrop('.palette [data-kind="policy"]', '.canvas', { targetPosition: { x: 800, y: 550 } });
  await page.keyboard.type('Request payment');
  await page.keyboard.press('Enter');
  await saved(page);

  // Drag "Place Order" to the left of the event.
  const cmd = sticky(page, 'Place Order');
  const before = (await stored(id)).elements.find((e) => e.label === 'Place Order');
  const from = await centreOf(cmd);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x - 250, from.y + 40, { steps: 8 });
  await page.mouse.up();
  await saved(page);
  const zoom = parseFloat(await page.locator('.zoom-level').textContent()) / 100;
  const after = (await stored(id)).elements.find((e) => e.label === 'Place Order');
  assert.ok(Math.abs(after.x - before.x + 250 / zoom) < 2 && Math.abs(after.y - before.y - 40 / zoom) < 2,
    `moved by the drag: (${before.x}, ${before.y}) -> (${after.x}, ${after.y}) at zoom ${zoom}`);

  // Connect the command to the event by dragging from its edge handle.
  await cmd.hover();
  const handle = await centreOf(cmd.locator('.handle.connect'));
  const target = await centreOf(sticky(page, 'Order Placed'));
  await page.mouse.move(handle.x, handle.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 8 });
  await page.mouse.up();
  await saved(page);
  assert.equal(await page.locator('g.arrow').count(), 1);
  assert.equal((await stored(id)).connections.length, 1);

  // The arrow follows its sticky.
  const lineBefore = await page.locator('g.arrow line.shaft').getAttribute('x1');
  const evt = await centreOf(sticky(page, 'Order Placed'));
  await page.mouse.move(evt.x, evt.y);
  await page.mouse.down();
  await page.mouse.move(evt.x + 80, evt.y + 140, { steps: 5 });
  await page.mouse.up();
  await saved(page);
  assert.notEqual(await page.locator('g.arrow line.shaft').getAttribute('x1'), lineBefore);

  // Shift-click selects two; Delete removes both and their arrow; undo brings all back; redo again.
  await sticky(page, 'Place Order').click();
  await sticky(page, 'Order Placed').click({ modifiers: ['Shift'] });
  assert.equal(await page.locator('.element.selected').count(), 2);
  await page.keyboard.press('Delete');
  await saved(page);
  assert.equal((await stored(id)).elements.length, 1);
  await page.keyboard.press('Control+z');
  await saved(page);
  let board = await stored(id);
  assert.equal(board.elements.length, 3);
  assert.equal(board.connections.length, 1, 'undo restores the arrow too');
  await page.keyboard.press('Control+Shift+z');
  await saved(page);
  assert.equal((await stored(id)).elements.length, 1);
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+z');
  await saved(page);
  assert.equal((await stored(id)).elements.length, 3);

  // Rubber band: drag on empty canvas around everything selects it all.
  await page.keyboard.press('Escape');
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 5, box.y + box.height - 5, { steps: 6 });
  await page.mouse.up();
  assert.equal(await page.locator('.element.selected').count(), 3);

  // Ctrl+D duplicates the selection; Ctrl+A selects everything.
  await page.keyboard.press('Control+d');
  await saved(page);
  assert.equal((await stored(id)).elements.length, 6);
  await page.keyboard.press('Control+z');
  await saved(page);

  // Reload: everything where it was.
  board = await stored(id);
  await page.reload();
  await waitForHydration(page);
  assert.equal(await page.locator('.element').count(), board.elements.length);
  for (const e of board.elements) {
    const style = await page.locator(`[data-id="${e.id}"]`).getAttribute('style');
    assert.match(style, new RegExp(`left:${e.x}px;top:${e.y}px`));
    assert.equal(await page.locator(`[data-id="${e.id}"] .label`).textContent(), e.label);
  }
  assert.equal(await page.locator('g.arrow').count(), board.connections.length);
  assert.deepEqual(page.errors, []);
});

test('pan and zoom move the view, not the board', async () => {
  const { page, id } = await openNewBoard('Pan and zoom');
  await page.locator('.palette [data-kind="domain_event"]').click();
  await page.keyboard.type('Anchor');
  await page.keyboard.press('Enter');
  await saved(page);
  const level = () => page.locator('.zoom-level').textContent();
  const start = await level();
  const canvas = await page.locator('.canvas').boundingBox();

  await page.mouse.move(canvas.x + 400, canvas.y + 300);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  assert.notEqual(await level(), start, 'ctrl+wheel zooms');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  const before = await centreOf(sticky(page, 'Anchor'));
  const dots = async () => (await page.locator('.grid').boundingBox()).y;
  const dotsBefore = await dots();
  await page.mouse.wheel(0, 200); // plain wheel pans
  const after = await centreOf(sticky(page, 'Anchor'));
  assert.ok(Math.abs(after.y - before.y + 200) < 2, `wheel pans by 200px (${before.y} -> ${after.y})`);
  // The dot grid moves with the board (by the pan modulo its tile size).
  const tile = parseFloat(await page.locator('.grid').evaluate((g) => g.style.backgroundSize));
  const off = (((dotsBefore - await dots() - 200) % tile) + tile) % tile; // 0 (or ~tile) when it followed
  assert.ok(Math.min(off, tile - off) < 0.5, `the grid is ${off} px off a 200 px pan (tile ${tile})`);

  // Space + drag pans too.
  await page.keyboard.down(' ');
  await page.mouse.move(canvas.x + 500, canvas.y + 500);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 600, canvas.y + 450, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  const panned = await centreOf(sticky(page, 'Anchor'));
  assert.ok(Math.abs(panned.x - after.x - 100) < 2 && Math.abs(panned.y - after.y + 50) < 2);

  await page.getByRole('button', { name: 'Fit' }).click();
  assert.equal(await level(), '100%');
  const stored1 = await stored(id);
  assert.equal(stored1.seq, 2, 'panning and zooming never write to the board');
  assert.deepEqual(page.errors, []);
});
