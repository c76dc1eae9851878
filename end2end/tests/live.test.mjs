// Two people on one board, each in their own browser: names, who is here, live cursors and
// edits, and the save indicator. The second Chromium page is a separate browser context (its
// own storage), as on a second laptop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

async function boardWithOneSticky() {
  const { body } = await api('POST', '/api/boards', { title: 'Workshop: order flow' });
  const element = {
    id: crypto.randomUUID(), kind: 'domain_event', label: 'Order placed',
    x: 200, y: 150, width: 120, height: 120,
  };
  const res = await api('POST', `/api/boards/${body.id}/ops`, { ops: [{ type: 'create_element', element }] });
  assert.equal(res.status, 200);
  return { id: body.id, element };
}

test('a first visit asks for a display name and remembers it', async () => {
  const { id } = await boardWithOneSticky();
  const page = await newPage(browser, undefined, { name: null });
  await page.goto(boardUrl(id, 'edit'));
  await waitForHydration(page);
  const prompt = page.getByLabel('Display name');
  await prompt.waitFor();
  await prompt.fill('Ada Lovelace');
  await page.keyboard.press('Enter');
  await prompt.waitFor({ state: 'detached' });
  await page.reload();
  await waitForHydration(page);
  await page.locator('.save-state.saved').waitFor();
  assert.equal(await page.getByLabel('Display name').count(), 0, 'not asked again');
  assert.deepEqual(page.errors, []);
});

test('an edit and a pointer on one page show up on the other', async () => {
  const { id, element } = await boardWithOneSticky();
  const ada = await newPage(browser, undefined, { name: 'Ada' });
  const bob = await newPage(browser, undefined, { name: 'Bob' });
  for (const page of [ada, bob]) {
    await page.goto(boardUrl(id, 'edit'));
    await waitForHydration(page);
  }
  // Each sees the other in the list of people on the board.
  await bob.locator('.peers [data-peer-name="Ada"]').waitFor();
  await ada.locator('.peers [data-peer-name="Bob"]').waitFor();

  // Ada's pointer, with her name, on Bob's screen.
  const canvas = await ada.locator('.canvas').boundingBox();
  await ada.mouse.move(canvas.x + 600, canvas.y + 400, { steps: 5 });
  const cursor = bob.locator('.peer-cursor', { hasText: 'Ada' });
  await cursor.waitFor();

  // Ada adds a sticky; Bob sees it appear with its text.
  await ada.mouse.dblclick(canvas.x + 700, canvas.y + 300);
  await ada.keyboard.type('Payment received');
  await ada.keyboard.press('Enter');
  await bob.locator('.element .label', { hasText: 'Payment received' }).waitFor();

  // Ada drags the first sticky; it moves on Bob's screen too.
  const sticky = (page) => page.locator(`.element[data-id="${element.id}"]`);
  const before = await sticky(bob).boundingBox();
  const from = await sticky(ada).boundingBox();
  await ada.mouse.move(from.x + 60, from.y + 60);
  await ada.mouse.down();
  await ada.mouse.move(from.x + 260, from.y + 160, { steps: 8 });
  await ada.mouse.up();
  await bob.waitForFunction(
    ([sel, x]) => document.querySelector(sel)?.getBoundingClientRect().x > x + 100,
    [`.element[data-id="${element.id}"]`, before.x],
  );
  // Bob sees that Ada has it selected (her colour around it).
  await bob.locator(`.element.peer-selected[data-id="${element.id}"]`).waitFor();
  await ada.mouse.move(from.x + 330, from.y + 250, { steps: 3 });
  await bob.locator('.peer-cursor', { hasText: 'Ada' }).waitFor();
  await bob.waitForTimeout(200);
  await bob.screenshot({ path: new URL('../../docs/live.png', import.meta.url).pathname });
  await ada.locator('.save-state.saved').waitFor();
  const stored = (await api('GET', `/api/boards/${id}`)).body;
  const moved = stored.elements.find((e) => e.id === element.id);
  assert.ok(moved.x > element.x + 100, `stored at x=${moved.x}`);

  // Bob's undo does not undo Ada's work: he has done nothing.
  await bob.locator('.canvas').click({ position: { x: 50, y: 600 } });
  await bob.keyboard.press('Control+z');
  await bob.waitForTimeout(300);
  assert.equal(await bob.locator('.element .label', { hasText: 'Payment received' }).count(), 1);

  // When Ada leaves, she disappears from Bob's screen.
  await ada.close();
  await cursor.waitFor({ state: 'detached' });
  await bob.locator('.peers [data-peer-name="Ada"]').waitFor({ state: 'detached' });
  assert.deepEqual(ada.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('a dropped connection keeps the edits and sends them when it comes back', async () => {
  const { id } = await boardWithOneSticky();
  const ada = await newPage(browser, undefined, { name: 'Ada' });
  const bob = await newPage(browser, undefined, { name: 'Bob' });
  // Ada's Wi-Fi: her sockets pass through this switch.
  let online = true;
  const open = [];
  await ada.routeWebSocket(/\/ws\?key=/, (ws) => {
    if (!online) { ws.close(); return; }
    open.push([ws, ws.connectToServer()]);
  });
  for (const page of [ada, bob]) {
    await page.goto(boardUrl(id, 'edit'));
    await waitForHydration(page);
  }
  await bob.locator('.peers [data-peer-name="Ada"]').waitFor();

  // The connection drops; Ada keeps working.
  online = false;
  for (const [page, server] of open.splice(0)) { await page.close(); await server.close(); }
  await ada.locator('.save-state.offline').waitFor();
  const canvas = await ada.locator('.canvas').boundingBox();
  await ada.mouse.dblclick(canvas.x + 700, canvas.y + 450);
  await ada.keyboard.type('Written offline');
  await ada.keyboard.press('Enter');
  await ada.locator('.save-state', { hasText: /\d+ changes? kept/ }).waitFor();
  await bob.locator('.peers [data-peer-name="Ada"]').waitFor({ state: 'detached' });
  assert.equal(await bob.locator('.element .label', { hasText: 'Written offline' }).count(), 0);

  // It comes back: Ada's page reconnects, catches up and sends what she did.
  online = true;
  await ada.locator('.save-state.saved').waitFor({ timeout: 20_000 });
  await bob.locator('.element .label', { hasText: 'Written offline' }).waitFor();
  const stored = (await api('GET', `/api/boards/${id}`)).body;
  assert.ok(stored.elements.some((e) => e.label === 'Written offline'));
  assert.deepEqual(ada.errors.filter((e) => !/WebSocket/.test(e)), []);
  assert.deepEqual(bob.errors, []);
});

test('a crowded board shows a few faces and "+N" naming the rest, and the bar keeps its title and Share on screen', async () => {
  const { id } = await boardWithOneSticky();
  const host = await newPage(browser, { width: 1024, height: 768 }, { name: 'Host' });
  await host.goto(boardUrl(id));
  await waitForHydration(host);
  const names = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus'];
  const guests = [];
  for (const name of names) {
    const page = await newPage(browser, undefined, { name });
    await page.goto(boardUrl(id, 'edit'));
    await waitForHydration(page);
    guests.push(page);
  }
  const more = host.locator('.peers .peer.more');
  // Three faces on a laptop (five from 1440 px), one on a phone.
  await more.filter({ hasText: '+4' }).waitFor();
  assert.equal(await host.locator('.peers .peer:not(.more)').count(), 3);
  const title = await host.locator('.board-title').boundingBox();
  assert.ok(title.width >= 80, `the title keeps a few words: ${title.width} px`);
  const shown = await host.locator('.peers [data-peer-name]').evaluateAll((faces) => faces.map((f) => f.dataset.peerName));
  const rest = (await more.getAttribute('title')).split(', ');
  assert.deepEqual([...shown, ...rest].sort(), [...names].sort(), 'everyone is either a face or named in +N');
  const share = await host.getByRole('button', { name: 'Share' }).boundingBox();
  assert.ok(share.x + share.width <= 1024, `Share at ${share.x}+${share.width} is on screen`);
  const bar = await host.locator('.board-bar').evaluate((b) => [b.scrollWidth, b.clientWidth]);
  assert.ok(bar[0] <= bar[1], `the bar fits: ${bar}`);
  // A phone shows one face and "+N", and keeps Share and Fit on screen.
  const phone = await newPage(browser, { width: 390, height: 844 }, { name: 'Pia' });
  await phone.goto(boardUrl(id, 'edit'));
  await waitForHydration(phone);
  await phone.locator('.peers .peer.more').filter({ hasText: '+7' }).waitFor();
  assert.equal(await phone.locator('.peers .peer:not(.more)').count(), 1);
  const phoneBar = await phone.locator('.board-bar').evaluate((b) => [b.scrollWidth, b.clientWidth]);
  assert.ok(phoneBar[0] <= phoneBar[1], `the phone's bar fits: ${phoneBar}`);
  await phone.context().close();
  await guests[0].context().close();
  await more.filter({ hasText: '+3' }).waitFor();
  for (const page of guests.slice(1)) await page.context().close();
  await more.waitFor({ state: 'detached' });
  assert.deepEqual(host.errors, []);
});
