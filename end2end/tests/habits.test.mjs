// The habits people bring from Miro and Excalidraw, done with a real mouse and keyboard: double-
// click a sticky to edit it, click elsewhere while typing, type Korean through an input method,
// fit a frame around stickies, undo next to someone else, a phone-sized window, Ctrl+F.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const saved = (page) => page.locator('.save-state.saved').waitFor();
const stored = async (id) => (await api('GET', `/api/boards/${id}`)).body;
const el = (kind, label, x, y, w = 120, h = 120) => ({ id: randomUUID(), kind, label, x, y, width: w, height: h });
const labelOf = async (id, elementId) => (await stored(id)).elements.find((e) => e.id === elementId)?.label;
const shot = (page, name) => page.screenshot({ path: new URL(`../../docs/${name}.png`, import.meta.url).pathname });

async function boardWith(elements, { viewport, name, title = 'Habits', hasTouch } = {}) {
  const { body } = await api('POST', '/api/boards', { title });
  const ops = elements.map((element) => ({ type: 'create_element', element }));
  if (ops.length) assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);
  const page = await open(body.id, { viewport, name, hasTouch });
  return { page, id: body.id };
}

async function open(id, { viewport = { width: 1440, height: 900 }, name = 'Tester', hasTouch = false } = {}) {
  const page = hasTouch
    ? await (await browser.newContext({ viewport, hasTouch: true, isMobile: true })).newPage()
    : await newPage(browser, viewport, { name });
  if (hasTouch) {
    await page.context().addInitScript((n) => { window.localStorage.setItem('squall.name', n); }, name);
    page.errors = [];
    page.on('pageerror', (err) => page.errors.push(String(err)));
  }
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  return page;
}

const box = async (page, id) => page.locator(`.element[data-id="${id}"]`).boundingBox();
const middle = (b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

test('double-clicking a sticky edits its text instead of adding a sticky on top of it', async () => {
  const a = el('domain_event', 'Order placed', 0, 0);
  const { page, id } = await boardWith([a]);
  const m = middle(await box(page, a.id));
  await page.mouse.dblclick(m.x, m.y);
  const editor = page.getByLabel('Sticky text');
  await editor.waitFor();
  assert.equal(await editor.inputValue(), 'Order placed');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Order submitted');
  await page.keyboard.press('Enter');
  await editor.waitFor({ state: 'detached' });
  await saved(page);
  const board = await stored(id);
  assert.deepEqual(board.elements.map((e) => e.label), ['Order submitted'], 'no new sticky was added');

  // On empty canvas a double-click still adds one.
  await page.mouse.dblclick(m.x + 400, m.y);
  await page.getByLabel('Sticky text').waitFor();
  await page.keyboard.type('Order shipped');
  await page.keyboard.press('Enter');
  await saved(page);
  assert.deepEqual((await stored(id)).elements.map((e) => e.label).sort(), ['Order shipped', 'Order submitted']);
  assert.deepEqual(page.errors, []);
});

test('double-clicking inside a frame adds a sticky in it; double-clicking its name renames it', async () => {
  const frame = el('bounded_context', 'Ordering', 0, 0, 900, 600);
  const { page, id } = await boardWith([frame]);
  const f = await box(page, frame.id);
  await page.mouse.dblclick(f.x + f.width / 2, f.y + f.height / 2);
  await page.getByLabel('Sticky text').waitFor();
  await page.keyboard.type('Order placed');
  await page.keyboard.press('Enter');
  await saved(page);
  const board = await stored(id);
  assert.deepEqual(board.elements.map((e) => e.label).sort(), ['Order placed', 'Ordering'], 'the frame keeps its name');
  const added = board.elements.find((e) => e.label === 'Order placed');
  assert.ok(added.x > 0 && added.x + added.width < 900 && added.y > 0 && added.y + added.height < 600, 'it lands inside the frame');
  // The frame's name is edited from the name.
  const name = page.locator(`.element[data-id="${frame.id}"] .label`);
  const n = middle(await name.boundingBox());
  await page.mouse.dblclick(n.x, n.y);
  const editor = page.getByLabel('Sticky text');
  await editor.waitFor();
  assert.equal(await editor.inputValue(), 'Ordering');
  await page.keyboard.press('Escape');
  assert.deepEqual(page.errors, []);
});

test('an open label editor is committed by a click on another sticky and by a click on the canvas', async () => {
  const a = el('command', 'Place order', 0, 0);
  const b = el('aggregate', 'Order', 300, 0, 200, 200);
  const { page, id } = await boardWith([a, b]);
  const ma = middle(await box(page, a.id));
  const mb = middle(await box(page, b.id));

  await page.mouse.dblclick(ma.x, ma.y);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Place an order');
  await page.mouse.click(mb.x, mb.y);
  await page.getByLabel('Sticky text').waitFor({ state: 'detached' });
  await saved(page);
  assert.equal(await labelOf(id, a.id), 'Place an order');
  assert.equal(await page.locator(`.element[data-id="${b.id}"].selected`).count(), 1, 'the click selected the other sticky');
  // Keys now go to the board, not to a hidden editor: Delete removes the selected aggregate.
  await page.keyboard.press('Delete');
  await saved(page);
  assert.deepEqual((await stored(id)).elements.map((e) => e.label), ['Place an order']);

  await page.mouse.dblclick(ma.x, ma.y);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Submit order');
  await page.mouse.click(ma.x + 500, ma.y + 300);
  await page.getByLabel('Sticky text').waitFor({ state: 'detached' });
  await saved(page);
  assert.equal(await labelOf(id, a.id), 'Submit order');
  assert.deepEqual(page.errors, []);
});

test('a description typed in the properties panel is saved when another sticky is clicked, and the other page shows it', async () => {
  const a = el('command', 'Place order', 0, 0);
  const b = el('domain_event', 'Order placed', 300, 0);
  const { page, id } = await boardWith([a, b]);
  const other = await open(id, { name: 'Bob' });
  await page.locator(`.element[data-id="${a.id}"]`).click();
  const description = page.getByRole('complementary', { name: 'Properties' }).getByLabel('Description');
  await description.click();
  await page.keyboard.type('From the cart, once paid');
  // Typed but not committed: the bar does not claim it is saved.
  assert.equal(await page.locator('.save-state').textContent(), 'Typing…');
  await page.locator(`.element[data-id="${b.id}"]`).click();
  await saved(page);
  const stored_ = (await stored(id)).elements.find((e) => e.id === a.id);
  assert.equal(stored_.props?.description, 'From the cart, once paid');
  await other.locator(`.element[data-id="${a.id}"]`).click();
  const shown = other.getByRole('complementary', { name: 'Properties' }).getByLabel('Description');
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50 && (await shown.inputValue()) !== 'From the cart, once paid'; i++) await other.waitForTimeout(100);
  });
  assert.equal(await shown.inputValue(), 'From the cart, once paid');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
  await other.context().close();
});

test('Escape or a click away removes a new sticky nobody typed in, and leaves nothing to undo', async () => {
  const { page, id } = await boardWith([el('domain_event', 'Keep me', 0, 0)]);
  const canvas = await page.locator('.canvas').boundingBox();
  await page.mouse.dblclick(canvas.x + 900, canvas.y + 500);
  await page.getByLabel('Sticky text').waitFor();
  await page.keyboard.press('Escape');
  await page.mouse.dblclick(canvas.x + 900, canvas.y + 300);
  await page.getByLabel('Sticky text').waitFor();
  await page.mouse.click(canvas.x + 600, canvas.y + 700);
  await page.getByLabel('Sticky text').waitFor({ state: 'detached' });
  await saved(page);
  assert.deepEqual((await stored(id)).elements.map((e) => e.label), ['Keep me']);
  assert.equal(await page.locator('.element').count(), 1);
  // Undo has nothing of those empty stickies to bring back.
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(200);
  assert.equal(await page.locator('.element').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('one Ctrl+Z takes back a new sticky with its text, and a click inside a selection narrows it', async () => {
  const a = el('command', 'Place order', 0, 0);
  const b = el('domain_event', 'Order placed', 300, 0);
  const { page, id } = await boardWith([a, b]);
  const canvas = await page.locator('.canvas').boundingBox();
  await page.mouse.dblclick(canvas.x + 900, canvas.y + 600);
  await page.keyboard.type('Order shipped');
  await page.keyboard.press('Escape'); // Escape keeps what was typed, as on Miro
  await saved(page);
  assert.equal((await stored(id)).elements.length, 3);
  await page.keyboard.press('Control+z');
  await saved(page);
  assert.deepEqual((await stored(id)).elements.map((e) => e.label).sort(), ['Order placed', 'Place order']);

  await page.keyboard.press('Control+a');
  await page.locator(`.element[data-id="${a.id}"]`).click();
  assert.equal(await page.locator('.element.selected').count(), 1, 'the click narrowed the selection');
  await page.keyboard.press('Delete');
  await saved(page);
  assert.deepEqual((await stored(id)).elements.map((e) => e.label), ['Order placed']);
  assert.deepEqual(page.errors, []);
});

test('Korean typed through an input method: Enter while composing commits nothing half-made', async () => {
  const a = el('domain_event', '결제', 0, 0);
  const { page, id } = await boardWith([a]);
  const cdp = await page.context().newCDPSession(page);
  const m = middle(await box(page, a.id));
  await page.mouse.dblclick(m.x, m.y);
  await page.getByLabel('Sticky text').waitFor();
  await page.keyboard.press('Control+a');
  // ㅈ → 주 → 주ㅁ → 주무: the syllable is still being composed when Enter is pressed.
  for (const text of ['ㅈ', '주', '줌', '주무']) {
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  }
  // The Enter key as an input method passes it on while composing: a key press without text
  // (the input method, not the page, decides what it inserts).
  const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...enter });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...enter });
  await page.waitForTimeout(300);
  assert.equal(await labelOf(id, a.id), '결제', 'nothing was saved from an unfinished composition');
  assert.equal(await page.getByLabel('Sticky text').count(), 1, 'the editor is still open');
  // The input method finishes the word; now Enter saves exactly what was composed.
  await cdp.send('Input.imeSetComposition', { text: '주문', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '주문' });
  await page.keyboard.press('Enter');
  await page.getByLabel('Sticky text').waitFor({ state: 'detached' });
  await saved(page);
  assert.equal(await labelOf(id, a.id), '주문');
  assert.deepEqual(page.errors, []);
});

test('a frame is put around the selected stickies and resized by its left edge', async () => {
  const a = el('command', 'Place order', 0, 0);
  const b = el('domain_event', 'Order placed', 300, 100);
  const c = el('domain_event', 'Far away', 1200, 0);
  // Not selected, and lying across where the frame's left edge will be.
  const d = el('hotspot', 'Across the edge', -100, 40);
  const { page, id } = await boardWith([a, b, c, d]);
  await page.locator(`.element[data-id="${a.id}"]`).click();
  await page.locator(`.element[data-id="${b.id}"]`).click({ modifiers: ['Shift'] });
  await page.locator('.palette [data-kind="bounded_context"]').click();
  await page.getByLabel('Sticky text').waitFor();
  await page.keyboard.type('Ordering');
  await page.keyboard.press('Enter');
  await saved(page);
  const frame = (await stored(id)).elements.find((e) => e.kind === 'bounded_context');
  assert.equal(frame.label, 'Ordering');
  // 40 px around the contents and 40 more above them for the label.
  assert.deepEqual([frame.x, frame.y, frame.width, frame.height], [-40, -80, 500, 340]);

  // Its left handle sits above the sticky that overlaps the edge, and drags only that edge.
  await page.locator(`.element[data-id="${frame.id}"]`).click({ position: { x: 30, y: 10 } });
  const zoom = parseFloat(await page.locator('.zoom-level').textContent()) / 100;
  const handle = await page.locator(`.frame-handles[data-frame="${frame.id}"] .frame-handle.w`).boundingBox();
  const h = middle(handle);
  await page.mouse.move(h.x, h.y);
  await page.mouse.down();
  await page.mouse.move(h.x - 100 * zoom, h.y + 40 * zoom, { steps: 5 });
  await page.mouse.up();
  await saved(page);
  const resized = (await stored(id)).elements.find((e) => e.id === frame.id);
  assert.ok(Math.abs(resized.x - -140) <= 2 && resized.y === -80, JSON.stringify(resized));
  assert.ok(Math.abs(resized.width - 600) <= 2 && resized.height === 340, JSON.stringify(resized));
  const after = (await stored(id)).elements;
  const at = (e) => after.find((x) => x.id === e.id);
  assert.deepEqual([a, b, c, d].map((e) => [at(e).x, at(e).y]), [[0, 0], [300, 100], [1200, 0], [-100, 40]],
    'resizing a frame moves none of the stickies');
  await shot(page, 'frame');
  assert.deepEqual(page.errors, []);
});

test('"Fit to contents" wraps a frame around what lies in it, and Shift+2 shows the selection', async () => {
  const frame = el('bounded_context', 'Ordering', 0, 0, 1200, 900);
  const a = el('command', 'Place order', 100, 200);
  const b = el('domain_event', 'Order placed', 400, 300);
  const { page, id } = await boardWith([frame, a, b]);
  await page.locator(`.element[data-id="${frame.id}"]`).click({ position: { x: 40, y: 10 } });
  await page.getByRole('button', { name: 'Fit to contents' }).click();
  await saved(page);
  const fitted = (await stored(id)).elements.find((e) => e.id === frame.id);
  assert.deepEqual([fitted.x, fitted.y, fitted.width, fitted.height], [60, 120, 500, 340]);
  // One Ctrl+Z puts it back as it was.
  await page.keyboard.press('Control+z');
  await saved(page);
  const back = (await stored(id)).elements.find((e) => e.id === frame.id);
  assert.deepEqual([back.x, back.y, back.width, back.height], [0, 0, 1200, 900]);

  await page.locator(`.element[data-id="${b.id}"]`).click();
  await page.keyboard.press('Shift+@');
  await page.waitForTimeout(100);
  // The sticky in the middle of the canvas, as large as fits (never past 100%).
  assert.equal(await page.locator('.zoom-level').textContent(), '100%');
  const canvas = await page.locator('.canvas').boundingBox();
  const m = middle(await box(page, b.id));
  assert.ok(Math.abs(m.x - (canvas.x + canvas.width / 2)) < 2 && Math.abs(m.y - (canvas.y + canvas.height / 2)) < 2,
    `centred: ${JSON.stringify(m)} in ${JSON.stringify(canvas)}`);
  assert.deepEqual(page.errors, []);
});

test('two people rename a sticky in turn: the first one\'s undo leaves the second one\'s text', async () => {
  const a = el('domain_event', 'Order placed', 0, 0);
  const { page: ada, id } = await boardWith([a], { name: 'Ada' });
  const bob = await open(id, { name: 'Bob' });
  const rename = async (page, text) => {
    const m = middle(await box(page, a.id));
    await page.mouse.dblclick(m.x, m.y);
    await page.getByLabel('Sticky text').waitFor();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await saved(page);
  };
  await rename(ada, 'Order submitted');
  // Bob sees Ada typing in it while her editor is open, in her colour.
  await rename(bob, 'Order received');
  await ada.locator(`.element[data-id="${a.id}"] .label`, { hasText: 'Order received' }).waitFor();
  await ada.keyboard.press('Control+z');
  await ada.locator('.notice', { hasText: 'changed by someone else' }).waitFor();
  await ada.waitForTimeout(300);
  assert.equal(await labelOf(id, a.id), 'Order received');
  assert.equal(await bob.locator(`.element[data-id="${a.id}"] .label`).textContent(), 'Order received');
  assert.deepEqual(ada.errors, []);
  assert.deepEqual(bob.errors, []);
  await bob.context().close();
});

test('the other people see who is typing in a sticky', async () => {
  const a = el('command', 'Place order', 0, 0);
  const { page: ada, id } = await boardWith([a], { name: 'Ada' });
  const bob = await open(id, { name: 'Bob' });
  const m = middle(await box(ada, a.id));
  await ada.mouse.dblclick(m.x, m.y);
  await ada.getByLabel('Sticky text').waitFor();
  const typist = bob.locator(`.element[data-id="${a.id}"].peer-editing .typist`);
  await typist.waitFor();
  assert.equal(await typist.textContent(), 'Ada is typing…');
  await shot(bob, 'typing');
  await ada.keyboard.press('Escape');
  await typist.waitFor({ state: 'detached' });
  assert.deepEqual(bob.errors, []);
  await bob.context().close();
});

test('Ctrl+F finds stickies by their text, Enter goes to the next one', async () => {
  const a = el('domain_event', 'Order placed', 0, 0);
  const b = el('domain_event', 'Payment approved', 3000, 0);
  const c = el('domain_event', 'Order shipped', 6000, 0);
  const { page } = await boardWith([a, b, c]);
  await page.locator('.canvas').click({ position: { x: 700, y: 600 } });
  await page.keyboard.press('Control+f');
  const field = page.getByLabel('Find stickies by text');
  await field.waitFor();
  await page.keyboard.type('order');
  // The search's code may still be on its way: the box takes the text meanwhile.
  await page.locator('.search-status').filter({ hasText: '1 of 2' }).waitFor();
  const selected = async () => {
    await page.locator('.element.selected').waitFor();
    return page.locator('.element.selected').getAttribute('data-id');
  };
  const first = await selected();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.search-status').textContent(), '2 of 2');
  await page.locator(`.element.selected:not([data-id="${first}"])`).waitFor();
  const second = await selected();
  assert.deepEqual([first, second].sort(), [a.id, c.id].sort(), 'the two stickies saying "order", one after the other');
  const shown = await box(page, second);
  assert.ok(shown && shown.x > 0 && shown.x + shown.width < 1440, 'the match is brought on screen');
  await page.keyboard.press('Escape');
  await field.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

// A panel's code arrives after the click that asks for it (app/src/split.rs): meanwhile the
// keyboard still means what the user sees. Each test holds that code back for a while.
async function holdBack(page, pattern, ms = 1500) {
  let resolve;
  const arrived = new Promise((r) => { resolve = r; });
  await page.route(pattern, async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
    resolve();
  });
  return { arrived };
}

test('Ctrl+F and typing at once: the text goes to the search box, Backspace deletes no sticky', async () => {
  const a = el('domain_event', 'Order placed', 0, 0);
  const b = el('domain_event', 'Payment approved', 300, 0);
  const { page, id } = await boardWith([a, b]);
  const { arrived } = await holdBack(page, /split_search_[^/]*\.wasm$/);
  await page.locator(`.element[data-id="${b.id}"]`).click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type('orderx');
  await page.keyboard.press('Backspace');
  const field = page.getByLabel('Find stickies by text');
  assert.equal(await field.inputValue(), 'order');
  assert.equal(await page.locator('.search[aria-busy="true"] .search-status').textContent(), 'Loading…');
  await arrived;
  await page.locator('.search:not([aria-busy]) .search-status').filter({ hasText: '1 of 1' }).waitFor();
  assert.equal(await field.inputValue(), 'order', 'the search starts from what was typed');
  assert.equal(await page.locator('.element.selected').getAttribute('data-id'), a.id);
  assert.equal((await stored(id)).elements.length, 2, 'Backspace went to the search box');
  await page.keyboard.type(' pl');
  assert.equal(await field.inputValue(), 'order pl', 'the caret is after the text');
  assert.deepEqual(page.errors, []);
});

test('Escape while the Export panel\'s code is on its way: the panel does not pop up later', async () => {
  const { page } = await boardWith([el('command', 'Place order', 0, 0)]);
  const { arrived } = await holdBack(page, /split_export_panel_[^/]*\.wasm$/);
  await page.getByRole('button', { name: 'Export' }).click();
  const loading = page.locator('.split-loading');
  await loading.waitFor();
  assert.equal(await loading.textContent(), 'Loading…');
  await page.keyboard.press('Escape');
  await loading.waitFor({ state: 'detached' });
  await arrived;
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('dialog', { name: 'Export' }).count(), 0, 'closed for good');
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('dialog', { name: 'Export' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a click on Share while the Export panel\'s code is on its way: Share alone opens', async () => {
  const { page } = await boardWith([el('command', 'Place order', 0, 0)]);
  const { arrived } = await holdBack(page, /split_export_panel_[^/]*\.wasm$/);
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('dialog', { name: 'Share' }).waitFor();
  await arrived;
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('dialog', { name: 'Export' }).count(), 0, 'the last click wins');
  assert.deepEqual(page.errors, []);
});

test('the arrow keys move the selection and L connects it left to right', async () => {
  const a = el('command', 'Place order', 0, 0);
  const b = el('domain_event', 'Order placed', 300, 0);
  const { page, id } = await boardWith([a, b]);
  await page.locator(`.element[data-id="${a.id}"]`).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await saved(page);
  const moved = (await stored(id)).elements.find((e) => e.id === a.id);
  assert.deepEqual([moved.x, moved.y], [4, 24]);
  // A burst of arrow keys is one step to undo.
  await page.keyboard.press('Control+z');
  await saved(page);
  const back = (await stored(id)).elements.find((e) => e.id === a.id);
  assert.deepEqual([back.x, back.y], [0, 0]);
  await page.keyboard.press('Control+Shift+z');
  await saved(page);
  await page.locator(`.element[data-id="${b.id}"]`).click({ modifiers: ['Shift'] });
  await page.keyboard.press('l');
  await saved(page);
  const { connections } = await stored(id);
  assert.deepEqual(connections.map((c) => [c.from, c.to]), [[a.id, b.id]]);
  assert.deepEqual(page.errors, []);
});

test('a phone-sized window reaches Share and pans with one finger', async () => {
  const a = el('domain_event', 'Order placed', 0, 0);
  const { page } = await boardWith([a], { viewport: { width: 390, height: 844 }, hasTouch: true });
  const header = await page.locator('.board-bar').evaluate((e) => e.scrollWidth);
  const share = await page.locator('.board-bar button.share').boundingBox();
  assert.ok(header <= 390, `header ${header}px wide`);
  assert.ok(share.x >= 0 && share.x + share.width <= 390, `Share at ${share.x}..${share.x + share.width}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  await shot(page, 'phone');

  const before = middle(await box(page, a.id));
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1 }],
  });
  const start = { x: 200, y: 600 };
  await touch('touchStart', start.x, start.y);
  for (let i = 1; i <= 5; i++) await touch('touchMove', start.x + 12 * i, start.y - 20 * i);
  await touch('touchEnd');
  // Chrome takes a tap right after a gesture for part of it; a person lifts the finger first.
  await page.waitForTimeout(800);
  const after = middle(await box(page, a.id));
  assert.ok(Math.abs(after.x - before.x - 60) < 3 && Math.abs(after.y - before.y + 100) < 3,
    `one finger pans the board (${JSON.stringify(before)} -> ${JSON.stringify(after)})`);

  await page.locator('.board-bar button.share').tap();
  await page.getByRole('dialog', { name: 'Share' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Replace link asks first, and Escape closes Share; a page on the old link turns read-only', async () => {
  const keep = el('domain_event', 'Keep me', 0, 0);
  const { page, id } = await boardWith([keep]);
  await page.locator(`.element[data-id="${keep.id}"]`).click();
  const editor = await open(id, { name: 'Bob' });
  await editor.goto(boardUrl(id, 'edit'));
  await waitForHydration(editor);
  await editor.locator('.palette').waitFor();
  await page.locator('.board-bar button.share').click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await dialog.waitFor();
  const edit = dialog.getByLabel('Edit link');
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50 && !(await edit.inputValue()); i++) await page.waitForTimeout(100);
  });
  const before = await edit.inputValue();
  await dialog.locator('.share-row[data-role="edit"]').getByRole('button', { name: 'Replace link' }).click();
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await edit.inputValue(), before, 'nothing replaced without a confirmation');
  // Keys pressed in the dialog stay there: the selected sticky behind it is neither moved nor
  // deleted.
  await dialog.getByRole('button', { name: 'Done' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Delete');
  const behind = (await stored(id)).elements;
  assert.deepEqual(behind.map((e) => [e.label, e.x]), [['Keep me', 0]]);
  // Escape takes the question back and leaves the dialog open.
  await dialog.locator('.share-row[data-role="edit"]').getByRole('button', { name: 'Replace link' }).click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Keep it' }).waitFor({ state: 'detached' });
  assert.equal(await dialog.count(), 1);
  await dialog.locator('.share-row[data-role="edit"]').getByRole('button', { name: 'Replace link' }).click();
  // The question's focus is on "Keep it": a reflex Enter keeps the link.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep it');
  await dialog.getByRole('button', { name: 'Replace', exact: true }).click();
  for (let i = 0; i < 50 && (await edit.inputValue()) === before; i++) await page.waitForTimeout(100);
  assert.notEqual(await edit.inputValue(), before);
  await dialog.getByText('Replaced: the old link no longer opens the board.').waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
  // The page still open on the replaced link cannot edit any more, and says why.
  await editor.locator('.closed-banner').waitFor();
  assert.match(await editor.locator('.closed-banner').textContent(), /^This link was replaced/);
  assert.equal(await editor.locator('.palette').count(), 0);
  await editor.context().close();
});

test('the board title is renamed by clicking it', async () => {
  const { page, id } = await boardWith([], { title: 'Untitled' });
  await page.locator('.board-title').click();
  const field = page.getByLabel('Board title');
  await field.waitFor();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Order flow');
  await page.keyboard.press('Enter');
  await saved(page);
  assert.equal((await stored(id)).title, 'Order flow');
  assert.equal(await page.locator('.board-title').textContent(), 'Order flow');
  assert.deepEqual(page.errors, []);
});
