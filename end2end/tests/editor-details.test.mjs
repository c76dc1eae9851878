// The rest of the editor a modeller reaches for: resizing, deleting an arrow, the properties
// panel, frames that carry their stickies, and copy/paste into another board.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const saved = (page) => page.locator('.save-state.saved').waitFor();
const stored = async (id) => (await api('GET', `/api/boards/${id}`)).body;
const el = (kind, label, x, y, w = 120, h = 120) => ({ id: randomUUID(), kind, label, x, y, width: w, height: h });

async function boardWith(elements, connections = []) {
  const { body } = await api('POST', '/api/boards', { title: 'Details' });
  const ops = [...elements.map((element) => ({ type: 'create_element', element })),
    ...connections.map((connection) => ({ type: 'connect', connection }))];
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);
  const page = await newPage(browser);
  await page.goto(boardUrl(body.id));
  await waitForHydration(page);
  return { page, id: body.id };
}

test('a sticky is resized by its corner and an arrow is deleted by selecting it', async () => {
  const a = el('command', 'Place Order', 0, 0);
  const b = el('aggregate', 'Order', 400, 0, 200, 200);
  const arrow = { id: randomUUID(), from: a.id, to: b.id };
  const { page, id } = await boardWith([a, b], [arrow]);
  const zoom = parseFloat(await page.locator('.zoom-level').textContent()) / 100;

  await page.locator(`[data-id="${a.id}"]`).click();
  const corner = await page.locator(`[data-id="${a.id}"] .handle.resize`).boundingBox();
  await page.mouse.move(corner.x + 5, corner.y + 5);
  await page.mouse.down();
  await page.mouse.move(corner.x + 5 + 60 * zoom, corner.y + 5 + 30 * zoom, { steps: 5 });
  await page.mouse.up();
  await saved(page);
  const resized = (await stored(id)).elements.find((e) => e.id === a.id);
  assert.ok(Math.abs(resized.width - 180) <= 2 && Math.abs(resized.height - 150) <= 2, JSON.stringify(resized));

  // Click the middle of the arrow, then Delete.
  const line = page.locator(`[data-arrow="${arrow.id}"] line.hit`);
  const box = await line.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  assert.equal(await page.locator(`[data-arrow="${arrow.id}"].selected`).count(), 1);
  await page.keyboard.press('Delete');
  await saved(page);
  const board = await stored(id);
  assert.equal(board.connections.length, 0);
  assert.equal(board.elements.length, 2, 'deleting an arrow keeps its stickies');
  assert.equal(await page.locator(`[data-arrow="${arrow.id}"]`).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the properties panel edits fields, keys and a command route, and explains a policy', async () => {
  const agg = el('aggregate', 'Order', 0, 0, 200, 200);
  const cmd = el('command', 'Cancel Order', 300, 0);
  const evt = el('domain_event', 'Payment Approved', 0, 300);
  const pol = el('policy', 'Mark paid', 300, 300);
  const cmd2 = el('command', 'Mark Order Paid', 600, 300);
  const { page, id } = await boardWith([agg, cmd, evt, pol, cmd2], [
    { id: randomUUID(), from: evt.id, to: pol.id }, { id: randomUUID(), from: pol.id, to: cmd2.id }]);

  await page.locator(`[data-id="${agg.id}"]`).click();
  const panel = page.getByRole('complementary', { name: 'Properties' });
  await panel.getByRole('button', { name: 'Add field' }).click();
  await saved(page);
  await panel.getByLabel('Field name').fill('id');
  await panel.getByLabel('Field name').press('Tab');
  await panel.getByLabel('Field type').fill('UUID');
  await panel.getByLabel('Field type').press('Tab');
  await panel.getByRole('checkbox').check();
  await saved(page);
  await panel.getByLabel('Field type').fill('Not a type!');
  await panel.getByLabel('Field type').press('Tab');
  await panel.getByRole('alert').waitFor();

  await page.locator(`[data-id="${cmd.id}"]`).click();
  await panel.getByLabel('HTTP method').selectOption('PUT');
  await panel.getByLabel('Path').fill('/orders/{id}/cancel');
  await panel.getByLabel('Path').press('Tab');
  await saved(page);

  await page.locator(`[data-id="${pol.id}"]`).click();
  const text = await panel.textContent();
  assert.match(text, /When Payment Approved/);
  assert.match(text, /then Mark Order Paid/);

  const board = await stored(id);
  const order = board.elements.find((e) => e.id === agg.id);
  assert.deepEqual(order.props.fields, [{ name: 'id', type: 'UUID', key: true }]);
  const cancel = board.elements.find((e) => e.id === cmd.id);
  assert.equal(cancel.props.http_method, 'PUT');
  assert.equal(cancel.props.http_path, '/orders/{id}/cancel');
  assert.deepEqual(page.errors, []);
});

test('moving a bounded context moves the stickies inside it, and stickies paste into another board', async () => {
  const frame = el('bounded_context', 'Ordering', 0, 0, 600, 400);
  const inside = el('domain_event', 'Order Placed', 100, 100);
  const outside = el('domain_event', 'Elsewhere', 900, 100);
  const { page, id } = await boardWith([frame, inside, outside]);
  const zoom = parseFloat(await page.locator('.zoom-level').textContent()) / 100;
  const f = await page.locator(`[data-id="${frame.id}"]`).boundingBox();
  await page.mouse.move(f.x + 20, f.y + 12); // the frame's title bar
  await page.mouse.down();
  await page.mouse.move(f.x + 20 + 100 * zoom, f.y + 12 + 50 * zoom, { steps: 5 });
  await page.mouse.up();
  await saved(page);
  const board = await stored(id);
  const at = (e) => board.elements.find((x) => x.id === e.id);
  assert.deepEqual([at(frame).x, at(frame).y], [100, 50]);
  assert.deepEqual([at(inside).x, at(inside).y], [200, 150]);
  assert.deepEqual([at(outside).x, at(outside).y], [900, 100]);

  // Copy the event and paste it into a second board.
  await page.locator(`[data-id="${inside.id}"]`).click();
  await page.keyboard.press('Control+c');
  const second = await api('POST', '/api/boards', { title: 'Second' });
  await page.goto(boardUrl(second.body.id));
  await waitForHydration(page);
  await page.locator('.canvas').click({ position: { x: 600, y: 400 } });
  await page.keyboard.press('Control+v');
  await saved(page);
  const pasted = (await stored(second.body.id)).elements;
  assert.equal(pasted.length, 1);
  assert.equal(pasted[0].label, 'Order Placed');
  assert.notEqual(pasted[0].id, inside.id, 'a pasted sticky gets a new id');
  assert.deepEqual(page.errors, []);
});

test('only the arrows near the screen are drawn, and panning brings the others in', async () => {
  const a = el('domain_event', 'Order Placed', 0, 0);
  const b = el('policy', 'Bill the order', 300, 0);
  const c = el('domain_event', 'Parcel Shipped', 3000, 0);
  const d = el('read_model', 'Deliveries', 3300, 0);
  const near = { id: randomUUID(), from: a.id, to: b.id };
  const far = { id: randomUUID(), from: c.id, to: d.id };
  const { page } = await boardWith([a, b, c, d], [near, far]);
  const drawn = async () => (await page.locator('g.arrow').evaluateAll(
    (gs) => gs.map((g) => g.dataset.arrow))).sort();
  // Fitted, the whole board is on screen: both arrows.
  assert.deepEqual(await drawn(), [near.id, far.id].sort());

  // Zoomed in on the first two stickies, the far arrow leaves the DOM.
  for (let i = 0; i < 20 && parseFloat(await page.locator('.zoom-level').textContent()) < 100; i++) {
    const box = await page.locator(`[data-id="${a.id}"]`).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
  }
  assert.deepEqual(await drawn(), [near.id]);

  // A sideways scroll to the far stickies (3,000 board pixels on) swaps the two.
  const zoom = parseFloat(await page.locator('.zoom-level').textContent()) / 100;
  await page.mouse.wheel(3000 * zoom, 0);
  await page.locator(`[data-id="${c.id}"]`).waitFor();
  assert.deepEqual(await drawn(), [far.id]);
  assert.deepEqual(page.errors, []);
});

test('with Snap on a dragged sticky lands on the grid, and Alt drags it freely', async () => {
  const a = el('domain_event', 'Order Placed', 10, 30);
  const b = el('policy', 'Bill the order', 300, 30);
  const { page, id } = await boardWith([a, b]);
  assert.equal(await page.locator('.zoom-level').textContent(), '100%');
  const at = async () => (await stored(id)).elements.find((e) => e.id === a.id);
  const drag = async (dx, dy) => {
    const box = await page.locator(`[data-id="${a.id}"]`).boundingBox();
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 40 + dx, box.y + 40 + dy, { steps: 5 });
    await page.mouse.up();
    await saved(page);
  };

  const snap = page.getByRole('button', { name: 'Snap' });
  assert.equal(await snap.getAttribute('aria-pressed'), 'false');
  await snap.click();
  assert.equal(await snap.getAttribute('aria-pressed'), 'true');
  await drag(37, -5);
  assert.deepEqual([(await at()).x, (await at()).y], [48, 24], 'on the grid (24 px)');

  await page.keyboard.down('Alt');
  await drag(5, 7);
  await page.keyboard.up('Alt');
  assert.deepEqual([(await at()).x, (await at()).y], [53, 31], 'Alt: exactly where it was let go');
  // Snapping off again: a plain drag is free.
  await snap.click();
  await drag(-10, 2);
  assert.deepEqual([(await at()).x, (await at()).y], [43, 33]);
  assert.deepEqual(page.errors, []);
});
