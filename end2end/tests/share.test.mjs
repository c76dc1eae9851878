// Sharing by link: the owner shares a view link; a second person (another browser) opens it,
// watches the board live, and can change nothing; replacing the link cuts them off at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, launch, newPage, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

test('the owner shares a view link; the viewer sees live updates and cannot change anything', async () => {
  // The owner creates the board from the home page and lands on it with the owner link.
  const owner = await newPage(browser, undefined, { name: 'Olga' });
  await owner.goto(BASE_URL);
  await waitForHydration(owner);
  await owner.getByLabel('Title').fill('Returns process');
  await owner.getByRole('button', { name: 'Create board' }).click();
  await owner.waitForURL(/\/b\/[0-9a-f-]{36}\?key=[A-Za-z0-9_-]{43}$/);
  await waitForHydration(owner);
  const id = new URL(owner.url()).pathname.split('/').pop();
  const ownerKey = new URL(owner.url()).searchParams.get('key');
  const canvas = await owner.locator('.canvas').boundingBox();
  await owner.mouse.dblclick(canvas.x + 500, canvas.y + 300);
  await owner.keyboard.type('Return requested');
  await owner.keyboard.press('Enter');
  await owner.locator('.save-state.saved').waitFor();

  // Share dialog: two links, each with a copy button.
  await owner.getByRole('button', { name: 'Share' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Share' });
  const viewInput = dialog.getByLabel('View link');
  await owner.waitForFunction(() => document.querySelector('input[aria-label="View link"]')?.value.includes('key='));
  const viewLink = await viewInput.inputValue();
  const editLink = await dialog.getByLabel('Edit link').inputValue();
  assert.match(viewLink, new RegExp(`/b/${id}\\?key=[A-Za-z0-9_-]{43}$`));
  assert.notEqual(viewLink, editLink);
  assert.ok(!viewLink.includes(ownerKey) && !editLink.includes(ownerKey), 'the owner key stays private');
  await owner.screenshot({ path: new URL('../../docs/share.png', import.meta.url).pathname });
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The viewer, in another browser.
  const viewer = await newPage(browser, undefined, { name: 'Victor' });
  await viewer.goto(viewLink);
  await waitForHydration(viewer);
  await viewer.locator('.badge.view-only').waitFor();
  assert.equal(await viewer.locator('.palette').count(), 0, 'no palette');
  assert.equal(await viewer.getByRole('button', { name: 'Share' }).count(), 0, 'no sharing');
  const sticky = viewer.locator('.element', { hasText: 'Return requested' });
  await sticky.waitFor();

  // Live: the owner's next sticky appears on the viewer's screen.
  await owner.mouse.dblclick(canvas.x + 800, canvas.y + 300);
  await owner.keyboard.type('Refund issued');
  await owner.keyboard.press('Enter');
  await viewer.locator('.element', { hasText: 'Refund issued' }).waitFor();

  // The viewer tries to drag, type and delete: nothing changes, on screen or on the server.
  const stored = async () => (await api('GET', `/api/boards/${id}`, undefined, ownerKey)).body;
  const before = (await stored()).elements.find((e) => e.label === 'Return requested');
  const box = await sticky.boundingBox();
  await viewer.mouse.move(box.x + 60, box.y + 60);
  await viewer.mouse.down();
  await viewer.mouse.move(box.x + 300, box.y + 200, { steps: 8 });
  await viewer.mouse.up();
  await viewer.mouse.dblclick(box.x + 60, box.y + 60);
  await viewer.keyboard.type('hacked');
  await viewer.keyboard.press('Delete');
  await viewer.mouse.dblclick(box.x + 400, box.y + 400);
  await viewer.waitForTimeout(500);
  const after = await sticky.boundingBox();
  assert.deepEqual([after.x, after.y], [box.x, box.y], 'the sticky did not move on screen');
  assert.equal(await viewer.getByLabel('Sticky text').count(), 0, 'no text editor');
  const now = await stored();
  assert.deepEqual(now.elements.find((e) => e.id === before.id), before, 'nor on the server');
  assert.equal(now.elements.length, 2);

  // The owner replaces the view link: the viewer is cut off at once.
  await owner.getByRole('button', { name: 'Share' }).click();
  await owner.locator('.share-row[data-role="view"]').getByRole('button', { name: 'Replace link' }).click();
  await owner.locator('.share-row[data-role="view"]').getByRole('button', { name: 'Replace', exact: true }).click();
  await owner.waitForFunction((old) => document.querySelector('input[aria-label="View link"]')?.value !== old, viewLink);
  await viewer.locator('.save-state.closed').waitFor();
  assert.equal(await viewer.locator('.save-state').textContent(), 'Read-only');
  assert.match(await viewer.locator('.closed-banner').textContent(), /^This link was replaced/);
  assert.equal((await api('GET', `/api/boards/${id}`, undefined, new URL(viewLink).searchParams.get('key'))).status, 404);
  assert.deepEqual(owner.errors, []);
  assert.deepEqual(viewer.errors, []);
});
