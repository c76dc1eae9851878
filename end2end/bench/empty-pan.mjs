// The ceiling of the pan measurement itself: the same wheel-per-frame pan on a board with one
// sticky, at 100%. Whatever the 5,000-sticky figures lose against this is the board's cost.
import { api, boardUrl, launch, newPage, waitForServer } from '../lib.mjs';
import { panFps } from './pan.mjs';

await waitForServer();
const { body } = await api('POST', '/api/boards', { title: 'Empty pan' });
await api('POST', `/api/boards/${body.id}/ops`, { ops: [{ type: 'create_element', element: {
  id: crypto.randomUUID(), kind: 'domain_event', label: 'Only one', x: 0, y: 0, width: 120, height: 120 } }] });
const browser = await launch();
const out = [];
for (let run = 0; run < 3; run++) {
  const page = await newPage(browser, { width: 1440, height: 900 });
  await page.goto(boardUrl(body.id));
  await page.waitForSelector('main[data-hydrated="true"]');
  for (let i = 0; i < 12 && (await page.locator('.zoom-level').textContent()) !== '100%'; i++) {
    await page.keyboard.press(i < 6 ? '-' : '+');
  }
  out.push(await panFps(page, 3000));
  await page.context().close();
}
await browser.close();
console.log(`pan fps, one sticky at 100%: ${out.map((f) => f.toFixed(1)).join(' / ')}`);
