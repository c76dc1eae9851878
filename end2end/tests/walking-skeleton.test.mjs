// A visitor's first minutes: create a board from the home page, then see a real board drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, boardUrl, launch, newPage, sampleBoardOps, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

test('a visitor creates a board from the home page and lands on it', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await waitForHydration(page);
  await page.getByLabel('Title').fill('Team offsite: returns process');
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.waitForURL(/\/b\/[0-9a-f-]{36}\?key=[A-Za-z0-9_-]{43}$/);
  await waitForHydration(page);
  assert.equal(await page.locator('h1.board-title').textContent(), 'Team offsite: returns process');
  assert.match(await page.title(), /Team offsite: returns process/);
  // A palette sticky lands mid-screen (the canvas is measured once it is laid out, not while
  // it has no size yet).
  await page.locator('.palette [data-kind="command"]').click();
  await page.keyboard.type('Start return');
  await page.keyboard.press('Enter');
  const sticky = await page.locator('.element').first().boundingBox();
  const canvas = await page.locator('.canvas').boundingBox();
  assert.ok(
    Math.abs(sticky.x + sticky.width / 2 - (canvas.x + canvas.width / 2)) < 40
      && Math.abs(sticky.y + sticky.height / 2 - (canvas.y + canvas.height / 2)) < 40,
    `the sticky landed at ${sticky.x}, ${sticky.y}`,
  );

  // The home page remembers the board in this browser.
  await page.goto(BASE_URL);
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Team offsite: returns process' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the home page loads no WebAssembly, and its language menu switches and remembers', async () => {
  const page = await newPage(browser);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(BASE_URL);
  await waitForHydration(page);
  assert.deepEqual(fetched.filter((p) => /\.(wasm|js)$/.test(p)), [], 'the script is in the page');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
  await page.getByRole('heading', { name: '새 보드' }).waitFor();
  await waitForHydration(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
  assert.equal(await page.getByRole('combobox', { name: '언어' }).inputValue(), 'ko');
  await page.reload();
  await page.getByRole('heading', { name: '새 보드' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a board file exported from one board is imported from the home page as a new board', async () => {
  const { title, ops } = sampleBoardOps();
  const original = (await api('POST', '/api/boards', { title })).body.id;
  assert.equal((await api('POST', `/api/boards/${original}/ops`, { ops })).status, 200);
  const exported = await api('GET', `/api/boards/${original}/export?target=json`);
  assert.equal(exported.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'squall-import-'));
  const file = join(dir, 'order-flow.squall.json');
  writeFileSync(file, JSON.stringify(exported.body));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"format": "squall-board", "version": 1, "board": {"title": "x", "elements": [{"id": 1}]}}');

  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await waitForHydration(page);
  // A file that is not a board is refused with a message, and the visitor stays home.
  await page.getByLabel('Board file, SQL schema or OpenAPI document to import').setInputFiles(broken);
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByRole('alert').textContent(),
    'Not imported: element 1, field "id": not a valid id (expected a UUID such as 0190c3a0-7b5e-7c3d-9a41-2f6e8d1b0c55)');
  assert.equal(new URL(page.url()).pathname, '/');
  // (A refusal answers 422, which Chromium logs as a failed resource.)
  assert.deepEqual(page.errors, ['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
  page.errors.length = 0;

  await page.getByLabel('Board file, SQL schema or OpenAPI document to import').setInputFiles(file);
  await page.waitForURL(/\/b\/[0-9a-f-]{36}\?key=[A-Za-z0-9_-]{43}$/);
  await waitForHydration(page);
  const id = new URL(page.url()).pathname.split('/').pop();
  assert.notEqual(id, original, 'a new board, not the exported one');
  assert.equal(await page.locator('h1.board-title').textContent(), title);
  assert.equal(await page.locator('.element').count(), ops.filter((op) => op.type === 'create_element').length);
  assert.equal(await page.locator('svg.arrows g.arrow').count(), ops.filter((op) => op.type === 'connect').length);
  assert.deepEqual(page.errors, []);
});

test('an empty title is refused with a message and no board', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await waitForHydration(page);
  await page.getByLabel('Title').fill('   ');
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /title cannot be empty/);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.waitForFunction(() => window.location.search === '');
  // Back from a board, the home page lists it and the title field is empty again.
  await page.getByLabel('Title').fill('Second try');
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.waitForURL(/\/b\//);
  await waitForHydration(page);
  await page.goBack();
  await page.getByRole('link', { name: 'Second try' }).waitFor();
  assert.equal(await page.getByLabel('Title').inputValue(), '');
});

test('elements posted through the API are drawn at their places in their colours', async () => {
  const { title, ops } = sampleBoardOps();
  const created = await api('POST', '/api/boards', { title });
  assert.equal(created.status, 201);
  const id = created.body.id;
  const hostile = '</script><script>alert(1)</script>';
  const hostileId = crypto.randomUUID();
  ops.push({ type: 'create_element', element: { id: hostileId, kind: 'hotspot', label: hostile, x: 40, y: 900, width: 160, height: 120 } });
  const applied = await api('POST', `/api/boards/${id}/ops`, { ops });
  assert.equal(applied.status, 200, JSON.stringify(applied.body));

  const page = await newPage(browser);
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  const elements = ops.filter((op) => op.type === 'create_element').map((op) => op.element);
  assert.equal(await page.locator('.element').count(), elements.length);
  assert.equal(await page.locator('svg.arrows g.arrow').count(), ops.filter((op) => op.type === 'connect').length);

  // Positions: every element's centre sits where the API put it, relative to the first frame
  // (centres, because hotspots are drawn slightly rotated).
  const centre = async (id) => {
    const box = await page.locator(`[data-id="${id}"]`).boundingBox();
    return [box.x + box.width / 2, box.y + box.height / 2];
  };
  const [ox, oy] = await centre(elements[0].id);
  // The board opens zoomed to fit: distances on screen are board distances times the zoom.
  const zoom = (await page.locator(`[data-id="${elements[0].id}"]`).boundingBox()).width / elements[0].width;
  const expected = (e) => [(e.x + e.width / 2 - elements[0].x - elements[0].width / 2) * zoom,
    (e.y + e.height / 2 - elements[0].y - elements[0].height / 2) * zoom];
  for (const e of elements) {
    const [x, y] = await centre(e.id);
    const [ex, ey] = expected(e);
    assert.ok(Math.abs(x - ox - ex) < 1 && Math.abs(y - oy - ey) < 1, `${e.label} at (${x - ox}, ${y - oy}), expected (${ex}, ${ey})`);
  }
  const colour = (label) => page.locator('.element', { hasText: label }).first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(await colour('Order Placed'), 'rgb(255, 159, 67)');
  assert.equal(await colour('Place Order'), 'rgb(84, 160, 255)');

  // A hostile label is shown as text and never runs.
  assert.equal(await page.locator(`[data-id="${hostileId}"] .label`).textContent(), hostile);
  assert.deepEqual(page.errors, []);

  if (process.env.SCREENSHOT !== '0') {
    mkdirSync(new URL('../../docs', import.meta.url), { recursive: true });
    // The README shows the sample board as a team would have it: without the test's hostile sticky.
    const removed = await api('POST', `/api/boards/${id}/ops`, { ops: [{ type: 'delete_element', id: hostileId }] });
    assert.equal(removed.status, 200);
    await page.reload();
    await waitForHydration(page);
    // All four bounded contexts, fitted to a wide screen so the labels stay readable.
    await page.setViewportSize({ width: 2400, height: 800 });
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.mouse.move(5, 5);
    await page.screenshot({ path: new URL('../../docs/screenshot.png', import.meta.url).pathname });
  }
});
