// The live model check (docs/model-rules.md): badges on stickies and the Problems panel, for
// everyone on the board, updated on every edit, local or remote; quick fixes and undo clear them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, boardUrl, launch, newPage, waitForHydration, waitForServer } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const stored = async (id) => (await api('GET', `/api/boards/${id}`)).body;

/** A board from stickies { name: [kind, x, y, fields?] } in one frame, and arrows [from, to]. */
async function board(title, stickies, arrows) {
  const { body } = await api('POST', '/api/boards', { title });
  const ids = { Ordering: randomUUID() };
  const ops = [{ type: 'create_element', element: { id: ids.Ordering, kind: 'bounded_context', label: 'Ordering', x: 0, y: 0, width: 1100, height: 700 } }];
  for (const [label, [kind, x, y, fields]] of Object.entries(stickies)) {
    ids[label] = randomUUID();
    ops.push({ type: 'create_element', element: { id: ids[label], kind, label, x, y, width: 120, height: 120,
      ...(fields ? { props: { fields } } : {}) } });
  }
  for (const [from, to] of arrows) {
    ops.push({ type: 'connect', connection: { id: randomUUID(), from: ids[from], to: ids[to] } });
  }
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);
  return { id: body.id, ids };
}

const badge = (page, id) => page.locator(`.element[data-id="${id}"] .problem-badge`);
const count = (page) => page.locator('.problems-toggle .count');
async function centreOf(locator) {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test('an arrow the grammar forbids shows on both pages; undo, redo and the quick fix follow on both (R1)', async () => {
  const key = [{ name: 'id', type: 'UUID', key: true }];
  const { id, ids } = await board('Live check', {
    Customer: ['actor', 40, 300],
    'Place Order': ['command', 200, 100],
    Order: ['aggregate', 400, 100, key],
    'Order Placed': ['domain_event', 600, 100],
  }, [['Customer', 'Place Order'], ['Place Order', 'Order'], ['Order', 'Order Placed']]);
  const alice = await newPage(browser, undefined, { name: 'Alice' });
  await alice.goto(boardUrl(id));
  await waitForHydration(alice);
  // Bob only looks: a view link sees the same problems, without the fixes.
  const bob = await newPage(browser, undefined, { name: 'Bob' });
  await bob.goto(boardUrl(id, 'view'));
  await waitForHydration(bob);
  for (const page of [alice, bob]) {
    await page.locator('.problems-toggle.none').waitFor();
    assert.equal(await count(page).textContent(), '0', 'a clean model');
  }
  await bob.locator('.problems-toggle').click();
  const bobPanel = bob.getByRole('region', { name: 'Problems' });
  await bobPanel.getByText('No problems').waitFor();

  // Alice draws an arrow from the event to the actor.
  const event = alice.locator(`.element[data-id="${ids['Order Placed']}"]`);
  await event.hover();
  const handle = await centreOf(event.locator('.handle.connect'));
  const actor = await centreOf(alice.locator(`.element[data-id="${ids.Customer}"]`));
  await alice.mouse.move(handle.x, handle.y);
  await alice.mouse.down();
  await alice.mouse.move(actor.x, actor.y, { steps: 8 });
  await alice.mouse.up();
  assert.equal((await stored(id)).connections.length, 4);

  for (const page of [alice, bob]) {
    const b = badge(page, ids['Order Placed']);
    await b.waitFor();
    assert.equal(await b.getAttribute('class'), 'problem-badge error');
    assert.equal(await b.textContent(), '1');
    assert.match(await b.getAttribute('title'), /^R1 an arrow from domain event "Order Placed" to actor "Customer" means nothing/);
    assert.equal(await count(page).textContent(), '1');
  }
  const row = bobPanel.locator('li.problem-row[data-rule="R1"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-element'), ids['Order Placed']);
  assert.equal(await row.locator('button.fix').isVisible(), false, 'a view link cannot fix');

  // Undo takes the arrow back: the badge goes on both pages; redo brings both back.
  await alice.locator('.canvas').click({ position: { x: 900, y: 600 } });
  await alice.keyboard.press('Control+z');
  for (const page of [alice, bob]) await badge(page, ids['Order Placed']).waitFor({ state: 'detached' });
  await bobPanel.getByText('No problems').waitFor();
  await alice.keyboard.press('Control+y');
  for (const page of [alice, bob]) await badge(page, ids['Order Placed']).waitFor();

  // Alice clicks the badge: the panel opens on her page; its quick fix removes the arrow.
  await badge(alice, ids['Order Placed']).click();
  const panel = alice.getByRole('region', { name: 'Problems' });
  await panel.getByRole('button', { name: 'Remove the arrow' }).click();
  for (const page of [alice, bob]) await badge(page, ids['Order Placed']).waitFor({ state: 'detached' });
  await bobPanel.getByText('No problems').waitFor();
  assert.equal((await stored(id)).connections.length, 3, 'the fix is an ordinary batch, stored');
  // ... and an ordinary batch to undo.
  await alice.locator('.canvas').click({ position: { x: 900, y: 600 } });
  await alice.keyboard.press('Control+z');
  for (const page of [alice, bob]) await badge(page, ids['Order Placed']).waitFor();
  await bob.screenshot({ path: new URL('../../docs/problems.png', import.meta.url).pathname });
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('a command without an arrow to its result is connected to the event its name implies (R5); filters narrow the list', async () => {
  const key = [{ name: 'id', type: 'UUID', key: true }];
  const { id, ids } = await board('Which event', {
    'Place Order': ['command', 40, 60],
    'Cancel Order': ['command', 40, 260],
    Order: ['aggregate', 240, 60, key],
    'Order Placed': ['domain_event', 440, 60],
    'Order Paid': ['domain_event', 440, 260],
    'Order Cancelled': ['domain_event', 440, 460],
    'Loose idea': ['text_note', 2000, 2000],
    'Who refunds?': ['hotspot', 700, 60],
  }, [['Place Order', 'Order'], ['Cancel Order', 'Order'], ['Order', 'Order Placed'], ['Order', 'Order Paid'],
    ['Order', 'Order Cancelled'], ['Place Order', 'Order Placed']]);
  const page = await newPage(browser);
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  const b = badge(page, ids['Cancel Order']);
  await b.waitFor();
  assert.equal(await b.getAttribute('class'), 'problem-badge error');
  assert.match(await b.getAttribute('title'), /^R5 command "Cancel Order" may result in any of/);
  assert.equal(await badge(page, ids['Place Order']).count(), 0, 'its arrow says what it results in');

  await page.locator('.problems-toggle').click();
  const panel = page.getByRole('region', { name: 'Problems' });
  await panel.locator('li.problem-row').first().waitFor();
  // Severity filters: only the hotspot (info) is left when errors are hidden.
  const rules = async () => panel.locator('li.problem-row').evaluateAll((rows) => rows.map((r) => r.dataset.rule));
  assert.deepEqual((await rules()).sort(), ['R27', 'R5']);
  await panel.getByRole('button', { name: /^1 error$/ }).click();
  assert.deepEqual(await rules(), ['R27']);
  await panel.getByRole('button', { name: /^1 error$/ }).click();
  await panel.getByLabel('Bounded context').selectOption({ label: 'Outside every context' });
  assert.deepEqual(await rules(), []);
  await panel.getByLabel('Bounded context').selectOption({ label: 'Ordering' });
  assert.deepEqual((await rules()).sort(), ['R27', 'R5']);

  // Clicking a problem finds its sticky and selects it.
  await panel.locator('li[data-rule="R5"] button.problem').click();
  await page.locator(`.element.selected[data-id="${ids['Cancel Order']}"]`).waitFor();

  // The quick fix connects the command to "Order Cancelled", not to every event.
  await panel.getByRole('button', { name: 'Connect to “Order Cancelled”' }).click();
  await b.waitFor({ state: 'detached' });
  await page.locator('.save-state.saved').waitFor();
  const connections = (await stored(id)).connections;
  assert.ok(connections.some((c) => c.from === ids['Cancel Order'] && c.to === ids['Order Cancelled']));
  assert.equal(connections.length, 7);
  assert.deepEqual(await rules(), ['R27']);
  assert.deepEqual(page.errors, []);
});

test('examples (Given / When / Then) are written in the properties panel, checked, and go stale visibly (R28)', async () => {
  const { id, ids } = await board('Examples', {
    'Cancel Order': ['command', 40, 60, [{ name: 'reason', type: 'String' }]],
    Order: ['aggregate', 240, 60, [{ name: 'id', type: 'UUID', key: true }]],
    'Order Placed': ['domain_event', 440, 60, [{ name: 'orderId', type: 'UUID' }]],
    'Order Cancelled': ['domain_event', 440, 260, [{ name: 'orderId', type: 'UUID' }, { name: 'reason', type: 'String' }]],
  }, [['Cancel Order', 'Order'], ['Order', 'Order Placed'], ['Order', 'Order Cancelled'], ['Cancel Order', 'Order Cancelled']]);
  const page = await newPage(browser);
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  await page.locator(`.element[data-id="${ids['Cancel Order']}"]`).click();
  const panel = page.getByRole('complementary', { name: 'Properties' });
  await panel.getByRole('button', { name: 'Add example' }).click();
  const draft = panel.getByLabel('New example');
  await draft.fill('Given Order Placed {"orderId": "o-1"}\nWhen {"reason": "changed my mind"}\nThen Order Cancelled {"orderId": "o-1", "reason": "changed my mind"}');
  // Clicking elsewhere saves it, as with every field.
  await page.locator('.canvas').click({ position: { x: 1000, y: 700 } });
  await page.locator('.save-state.saved').waitFor();
  let stored = (await api('GET', `/api/boards/${id}`)).body.elements.find((e) => e.id === ids['Cancel Order']);
  assert.deepEqual(stored.props.examples, [{
    given: [{ event: ids['Order Placed'], fields: { orderId: 'o-1' } }],
    when: { reason: 'changed my mind' },
    then: { events: [{ event: ids['Order Cancelled'], fields: { orderId: 'o-1', reason: 'changed my mind' } }] },
  }]);

  // A mistake names its line and stores nothing.
  await page.locator(`.element[data-id="${ids['Cancel Order']}"]`).click();
  const first = panel.getByLabel('Example 1');
  assert.match(await first.inputValue(), /^Given Order Placed \{"orderId":"o-1"\}\nWhen/);
  await first.fill('Given Order Shipped\nThen Order Cancelled');
  await first.blur();
  assert.equal(await panel.getByRole('alert').textContent(), 'line 1: no domain event is named "Order Shipped" on this board');
  stored = (await api('GET', `/api/boards/${id}`)).body.elements.find((e) => e.id === ids['Cancel Order']);
  assert.equal(stored.props.examples.length, 1);
  assert.equal(stored.props.examples[0].given[0].event, ids['Order Placed']);

  // Over HTTP too: an example naming what the board does not have is refused, nothing changes.
  const refused = await api('POST', `/api/boards/${id}/ops`, { ops: [{ type: 'set_examples', id: ids['Cancel Order'],
    examples: [{ then: { events: [{ event: ids['Order Cancelled'], fields: { colour: 'red' } }] } }] }] });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.code, 'bad_example');
  assert.match(refused.body.message, /a field "colour" it does not have/);

  // The event loses the field the example fills: the command's badge says so (R28).
  const cancelled = ids['Order Cancelled'];
  assert.equal((await api('POST', `/api/boards/${id}/ops`, { ops: [{ type: 'update_element', id: cancelled,
    fields: [{ name: 'orderId', type: 'UUID' }] }] })).status, 200);
  const b = badge(page, ids['Cancel Order']);
  await b.waitFor();
  assert.match(await b.getAttribute('title'), /R28 command "Cancel Order": example 1 gives domain event "Order Cancelled" a field "reason" it does not have/);
  assert.deepEqual(page.errors.filter((e) => !/422|Unprocessable/.test(e)), []);
});

test('field mapping: a field nothing fills shows on both pages (R29, R30); choosing its source in the properties panel clears it, undo brings it back', async () => {
  const { id, ids } = await board('Mapping', {
    'Place Order': ['command', 40, 60],
    Order: ['aggregate', 220, 60, [{ name: 'id', type: 'UUID', key: true }]],
    'Order Placed': ['domain_event', 400, 60, [{ name: 'orderId', type: 'UUID' }, { name: 'total', type: 'Money' }]],
    'Request payment': ['policy', 580, 60],
    'Request Payment': ['command', 760, 60, [{ name: 'orderId', type: 'UUID' }, { name: 'amount', type: 'Money' }]],
    Payment: ['aggregate', 940, 60, [{ name: 'id', type: 'UUID', key: true }]],
    'Payment Requested': ['domain_event', 940, 300],
    'Orders by customer': ['read_model', 400, 300, [{ name: 'customerId', type: 'UUID', key: true }]],
  }, [['Place Order', 'Order'], ['Order', 'Order Placed'], ['Order Placed', 'Request payment'],
    ['Request payment', 'Request Payment'], ['Request Payment', 'Payment'], ['Payment', 'Payment Requested'],
    ['Order Placed', 'Orders by customer']]);
  const alice = await newPage(browser, undefined, { name: 'Alice' });
  await alice.goto(boardUrl(id));
  await waitForHydration(alice);
  const bob = await newPage(browser, undefined, { name: 'Bob' });
  await bob.goto(boardUrl(id, 'view'));
  await waitForHydration(bob);
  const policy = ids['Request payment'];
  for (const page of [alice, bob]) {
    const b = badge(page, policy);
    await b.waitFor();
    assert.equal(await b.getAttribute('class'), 'problem-badge info');
    assert.equal(await b.getAttribute('title'),
      'R29 policy "Request payment": nothing in event "Order Placed" fills field "amount" of command "Request Payment": map one in the properties panel');
    // A read model keyed by what its source event does not carry cannot find its row.
    const r = badge(page, ids['Orders by customer']);
    assert.equal(await r.getAttribute('class'), 'problem-badge warning');
    assert.match(await r.getAttribute('title'), /^R30 read model "Orders by customer" cannot tell which row event "Order Placed" updates/);
  }

  // Alice opens the policy: `orderId` is filled by name, `amount` by nothing (marked).
  await alice.locator(`.element[data-id="${policy}"]`).click();
  const panel = alice.getByRole('complementary', { name: 'Properties' });
  const table = panel.locator('table.mapping');
  assert.equal(await table.locator('caption').textContent(), 'Order Placed → Request Payment');
  const amount = panel.getByLabel('amount', { exact: true });
  assert.equal(await panel.getByLabel('orderId', { exact: true }).locator('option:checked').textContent(), 'Automatic: orderId');
  assert.equal(await amount.locator('option:checked').textContent(), 'Automatic: nothing');
  assert.equal(await table.locator('tr.unfilled th').textContent(), 'amount');
  await alice.screenshot({ path: new URL('../../docs/mapping.png', import.meta.url).pathname });

  // `amount` ← `total`: stored as a choice, the badge goes on both pages.
  await amount.selectOption({ label: 'total' });
  for (const page of [alice, bob]) await badge(page, policy).waitFor({ state: 'detached' });
  await alice.locator('.save-state.saved').waitFor();
  const stored = async () => (await api('GET', `/api/boards/${id}`)).body.elements.find((e) => e.id === policy).props?.mapping;
  assert.deepEqual(await stored(), [{ event: ids['Order Placed'], command: ids['Request Payment'], field: 'amount', from: { field: 'total' } }]);
  assert.equal(await table.locator('tr.unfilled').count(), 0);

  // Bob's view link shows the choice but cannot change it.
  await bob.locator(`.element[data-id="${policy}"]`).click();
  const bobAmount = bob.getByRole('complementary', { name: 'Properties' }).getByLabel('amount', { exact: true });
  assert.equal(await bobAmount.locator('option:checked').textContent(), 'total');
  assert.equal(await bobAmount.isDisabled(), true);

  // Undo is an ordinary undo: the choice goes, the badge comes back on both pages.
  await alice.locator('.canvas').click({ position: { x: 1050, y: 650 } });
  await alice.keyboard.press('Control+z');
  for (const page of [alice, bob]) await badge(page, policy).waitFor();
  await alice.locator('.save-state.saved').waitFor();
  assert.equal(await stored(), undefined);

  // A mapping naming what the event does not have is refused and changes nothing.
  const refused = await api('POST', `/api/boards/${id}/ops`, { ops: [{ type: 'set_mapping', id: policy,
    mapping: [{ event: ids['Order Placed'], command: ids['Request Payment'], field: 'amount', from: { field: 'price' } }] }] });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.code, 'bad_mapping');
  assert.equal(refused.body.message, 'domain event "Order Placed" has no field "price"');
  assert.equal(await stored(), undefined);
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('Escape closes the Problems panel opened from its button; with a selection it clears that first', async () => {
  const { id, ids } = await board('Escape', { 'Place Order': ['command', 200, 100] }, []);
  const page = await newPage(browser);
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  const panel = page.getByRole('region', { name: 'Problems' });
  await page.locator('.problems-toggle').click();
  await panel.waitFor();
  await page.locator(`.element[data-id="${ids['Place Order']}"]`).click();
  await page.locator('.element.selected').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.element.selected').waitFor({ state: 'detached' });
  assert.equal(await panel.count(), 1, 'the first Escape clears the selection');
  await page.locator('.problems-toggle').focus();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('the server checks the board as loaded; the browser fetches the check only when it changes', async () => {
  const { id, ids } = await board('Checked by the server', {
    'Place Order': ['command', 200, 100],
    Order: ['aggregate', 400, 100],
  }, [['Place Order', 'Order']]);
  // The badge is in the server's HTML, before any WebAssembly runs.
  const html = await (await fetch(boardUrl(id))).text();
  assert.match(html, /class="problem-badge/);
  const page = await newPage(browser);
  const checks = [];
  page.on('request', (r) => { if (/split_check_[^/]*\.wasm$/.test(r.url())) checks.push(r.url()); });
  await page.goto(boardUrl(id));
  await waitForHydration(page);
  await page.waitForLoadState('networkidle');
  await badge(page, ids.Order).waitFor();
  assert.notEqual(await count(page).textContent(), '…', 'the count is known at once');
  const before = await count(page).textContent();
  assert.deepEqual(checks, [], 'no check code for a board nobody changed');
  // The first change brings the check, which agrees with the server until the model changes.
  await page.locator(`.element[data-id="${ids['Place Order']}"]`).click();
  await page.keyboard.press('ArrowRight');
  await page.locator('.save-state.saved').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(checks.length, 1, 'fetched at the first change');
  await page.locator('.problems-toggle:not(.checking)').waitFor();
  assert.equal(await count(page).textContent(), before);
  assert.deepEqual(page.errors, []);
});
