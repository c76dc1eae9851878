// The assessment view (docs/assessment.md): open it from the sample board, read the context map
// and the metrics, apply the suggested cut as one change and undo it; the view link sees it too.
// The Mermaid export is rendered by Mermaid itself in a real page, without a parse error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, newPage, waitForHydration, waitForServer, BASE_URL, api, links } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: new URL(`../../docs/${name}.png`, import.meta.url).pathname });

async function importSample() {
  const document = readFileSync(new URL('../../fixtures/order-flow.board.json', import.meta.url), 'utf8');
  const res = await fetch(`${BASE_URL}/api/boards/import`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: document,
  });
  assert.equal(res.status, 201);
  const board = await res.json();
  links.set(board.id, board.links);
  return board;
}

const element = async (id, label) => (await api('GET', `/api/boards/${id}`)).body.elements.find((e) => e.label === label);

test('the assessment view shows the map and metrics, applies the suggested cut and undoes it', async () => {
  const { id, links: keys } = await importSample();
  // A habit of workshops: a sticky dragged into the wrong frame. Refund Payment lands in Ordering.
  const refund = await element(id, 'Refund Payment');
  const ops = [{ type: 'move_element', id: refund.id, x: 210, y: 640 }];
  assert.equal((await api('POST', `/api/boards/${id}/ops`, { ops })).status, 200);

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/b/${id}?key=${keys.edit}`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Assess' }).click();
  const panel = page.getByRole('dialog', { name: 'Assessment' });
  await panel.waitFor();
  assert.match(page.url(), new RegExp(`/b/${id}/assess\\?key=`), 'the view has an address of its own');

  // The context map: four contexts, an edge per upstream, downstream and style (the stray command
  // adds a synchronous one: Payment's policy now calls into Ordering); cycles in red.
  const map = panel.locator('svg.context-map');
  assert.equal(await map.locator('g.node').count(), 4);
  assert.equal(await map.locator('g.edge').count(), 6);
  assert.equal(await map.locator('g.edge.calls').count(), 1);
  assert.match(await map.locator('g.edge.calls title').textContent(), /^Refund Payment$/);
  assert.equal(await map.locator('g.node.in-cycle').count(), 3);
  assert.match(await panel.locator('.assess-cycles').textContent(), /Ordering, Payment, Shipping/);
  // Metrics of Ordering (docs/assessment.md A2).
  const ordering = panel.locator('.assess-metrics tbody tr', { hasText: 'Ordering' });
  const cells = await ordering.locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 9), ['1', '4', '3', '1', '1', '2', '2', '0.50', '0']);

  // The cut brings the stray command back (A7); the scores sit side by side.
  const moves = panel.locator('.moves li');
  assert.deepEqual(await moves.allTextContents(), ['Refund Payment: from Ordering to Payment']);
  await shot(page, 'assess');
  await panel.getByRole('button', { name: 'Apply the cut' }).click();
  await panel.getByRole('status').filter({ hasText: 'Applied as one change.' }).waitFor();
  await panel.locator('.cut-current').waitFor();
  await page.locator('.save-state.saved').waitFor();
  let moved = await element(id, 'Refund Payment');
  assert.ok(moved.x >= 1410 && moved.x + moved.width <= 2340, `inside the Payment frame: x = ${moved.x}`);
  const payment = (await api('GET', `/api/boards/${id}`)).body.elements.find((e) => e.kind === 'bounded_context' && e.label === 'Payment');
  assert.ok(moved.y + moved.height <= payment.y + payment.height, 'the frame grew to hold it');

  // One undo takes the whole cut back.
  await panel.getByRole('button', { name: 'Undo' }).click();
  await panel.locator('.moves li').waitFor();
  await page.waitForFunction(async ([base, board, key]) => {
    const res = await fetch(`${base}/api/boards/${board}?key=${key}`);
    const doc = await res.json();
    return doc.elements.find((e) => e.label === 'Refund Payment').x === 210;
  }, [BASE_URL, id, keys.edit]);
  moved = await element(id, 'Refund Payment');
  assert.deepEqual([moved.x, moved.y], [210, 640]);

  // Escape closes it and the address follows.
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert.doesNotMatch(page.url(), /\/assess/);
  await page.close();

  // The view link opens the same page straight away, and cannot apply.
  const viewer = await newPage(browser);
  await viewer.goto(`${BASE_URL}/b/${id}/assess?key=${keys.view}`);
  await waitForHydration(viewer);
  const seen = viewer.getByRole('dialog', { name: 'Assessment' });
  await seen.locator('.moves li').waitFor();
  assert.equal(await seen.getByRole('button', { name: 'Apply the cut' }).isDisabled(), true);
  await viewer.close();
});

test('the small screen stacks the assessment sections', async () => {
  const { id, links: keys } = await importSample();
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(`${BASE_URL}/b/${id}/assess?key=${keys.view}`);
  await waitForHydration(page);
  const panel = page.getByRole('dialog', { name: 'Assessment' });
  await panel.locator('svg.context-map').waitFor();
  const width = await panel.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  assert.ok(width, 'no sideways scrolling of the panel itself');
  await shot(page, 'assess-phone');
  await page.close();
});

test('Mermaid renders the exported context maps without a parse error', async () => {
  const { id, links: keys } = await importSample();
  // A board of hostile context names and an event between them.
  const hostile = readFileSync(new URL('../../fixtures/hostile-labels.txt', import.meta.url), 'utf8')
    .split('\n').filter((l) => l.trim() && !l.startsWith('#') && /[^A-Za-z0-9 ]/.test(l)).slice(0, 12);
  const { body } = await api('POST', '/api/boards', { title: 'Hostile "map" #1' });
  const frames = hostile.map((label, i) => ({
    id: crypto.randomUUID(), kind: 'bounded_context', label, x: i * 1200, y: 0, width: 1000, height: 800,
  }));
  const events = frames.map((f, i) => ({
    id: crypto.randomUUID(), kind: 'domain_event', label: `${hostile[i]} happened`, x: f.x + 100, y: 100, width: 120, height: 120,
  }));
  const policies = frames.map((f, i) => ({
    id: crypto.randomUUID(), kind: 'policy', label: `react ${i}`, x: f.x + 400, y: 100, width: 120, height: 120,
  }));
  const ops = [...frames, ...events, ...policies].map((element) => ({ type: 'create_element', element }));
  // Each context reacts to the previous one's event, and the first to the last: one big cycle.
  policies.forEach((p, i) => ops.push({
    type: 'connect', connection: { id: crypto.randomUUID(), from: events[(i + frames.length - 1) % frames.length].id, to: p.id },
  }));
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);

  const maps = [];
  for (const [board, key] of [[id, keys.view], [body.id, links.get(body.id).view]]) {
    const res = await fetch(`${BASE_URL}/api/boards/${board}/export?target=context-map-mermaid&key=${key}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/vnd\.mermaid/);
    maps.push(await res.text());
  }

  const page = await newPage(browser);
  await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  const require = createRequire(import.meta.url);
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  for (const [i, text] of maps.entries()) {
    const result = await page.evaluate(async ([text, i]) => {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      try {
        await window.mermaid.parse(text);
        const { svg } = await window.mermaid.render(`map${i}`, text);
        document.getElementById('out').innerHTML = svg;
        return { ok: true, nodes: document.querySelectorAll('#out .node').length, scripts: document.querySelectorAll('#out script').length };
      } catch (e) {
        return { ok: false, error: String(e?.message ?? e) };
      }
    }, [text, i]);
    assert.ok(result.ok, `${result.error}\n${text}`);
    assert.equal(result.nodes, i === 0 ? 4 : frames.length);
    assert.equal(result.scripts, 0);
  }
  await page.close();
});

test('a cut that makes new frames, applied and closed, leaves a board that draws, fits and undoes', async () => {
  // A monolith of two aggregates with nothing between them: the cut takes Book out to a new frame.
  const { body } = await api('POST', '/api/boards', { title: 'Library' });
  const el = (kind, label, x, y, w = 120, h = 120) => ({ id: crypto.randomUUID(), kind, label, x, y, width: w, height: h });
  const frame = el('bounded_context', 'Monolith', 0, 0, 900, 900);
  const add = el('command', 'Add Book', 50, 80);
  const book = el('aggregate', 'Book', 220, 80);
  const added = el('domain_event', 'Book Added', 400, 80);
  const join = el('command', 'Join Club', 50, 400);
  const renew = el('command', 'Renew Card', 50, 560);
  const member = el('aggregate', 'Member', 220, 400);
  const joined = el('domain_event', 'Member Joined', 400, 400);
  const ops = [frame, add, book, added, join, renew, member, joined].map((element) => ({ type: 'create_element', element }));
  for (const [from, to] of [[add, book], [book, added], [join, member], [renew, member], [member, joined]]) {
    ops.push({ type: 'connect', connection: { id: crypto.randomUUID(), from: from.id, to: to.id } });
  }
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/b/${body.id}/assess?key=${links.get(body.id).owner}`);
  await waitForHydration(page);
  const panel = page.getByRole('dialog', { name: 'Assessment' });
  await panel.getByRole('button', { name: 'Apply the cut' }).click();
  await panel.locator('.cut-current').waitFor();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Fit' }).click();
  // The new frame and the stickies it received are drawn, and nothing failed.
  const newFrame = page.locator('.element.kind-bounded_context', { hasText: 'Book' });
  await newFrame.waitFor();
  await shot(page, 'assess-applied');
  const drawn = await page.locator('.element.kind-aggregate').allTextContents();
  assert.ok(drawn.some((t) => t.startsWith('Book')), `drawn aggregates: ${JSON.stringify(drawn)}`);
  assert.deepEqual(page.errors, []);
  // One undo takes the whole cut back: the frame goes, Book is in the monolith again.
  await page.keyboard.press('Control+z');
  await newFrame.waitFor({ state: 'detached' });
  await page.locator('.save-state.saved').waitFor();
  const stored = (await api('GET', `/api/boards/${body.id}`)).body;
  assert.equal(stored.elements.filter((e) => e.kind === 'bounded_context').length, 1);
  assert.deepEqual(stored.elements.find((e) => e.id === book.id).x, 220);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a sticky dragged by mouse into the wrong frame is named in the moves and brought back', async () => {
  const { id, links: keys } = await importSample();
  const refund = await element(id, 'Refund Payment');
  const markPaid = await element(id, 'Mark Order Paid');
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/b/${id}?key=${keys.edit}`);
  await waitForHydration(page);
  // Drag Refund Payment (Payment) to just below Mark Order Paid, inside Ordering.
  const from = await page.locator(`.element[data-id="${refund.id}"]`).boundingBox();
  const to = await page.locator(`.element[data-id="${markPaid.id}"]`).boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height * 1.8, { steps: 12 });
  await page.mouse.up();
  await page.locator('.save-state.saved').waitFor();
  const dropped = await element(id, 'Refund Payment');
  assert.ok(dropped.x < 1290 && dropped.y + dropped.height / 2 < 770, `dropped in Ordering at ${dropped.x}, ${dropped.y}`);

  await page.getByRole('button', { name: 'Assess' }).click();
  const panel = page.getByRole('dialog', { name: 'Assessment' });
  // The view's code arrives when it first opens (ARCHITECTURE.md, the browser's code is split).
  await panel.locator('.moves li').first().waitFor();
  assert.deepEqual(await panel.locator('.moves li').allTextContents(), ['Refund Payment: from Ordering to Payment']);
  await panel.getByRole('button', { name: 'Apply the cut' }).click();
  await panel.locator('.cut-current').waitFor();
  await page.locator('.save-state.saved').waitFor();
  const back = await element(id, 'Refund Payment');
  assert.ok(back.x >= 1410 && back.x + back.width <= 2340, `back in Payment: x = ${back.x}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
