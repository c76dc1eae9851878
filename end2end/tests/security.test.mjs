// The Content-Security-Policy in a real browser (docs/operations.md, "Security headers"): the
// app hydrates, edits, exports and assesses under it without a single violation, and a script
// injected into the page (what a hostile label would try) does not run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, boardUrl, launch, newPage, sampleBoardOps, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

test('the app works under its Content-Security-Policy and an injected script does not run', async () => {
  const { body: created } = await api('POST', '/api/boards', { title: 'Under policy' });
  const applied = await api('POST', `/api/boards/${created.id}/ops`, { ops: sampleBoardOps().ops });
  assert.equal(applied.status, 200);
  const page = await newPage(browser);
  await page.context().addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(boardUrl(created.id));
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /script-src 'self' 'nonce-[A-Za-z0-9_-]{20,}' 'wasm-unsafe-eval'/);
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');
  await waitForHydration(page);

  // Edit, export, assess: what a session touches.
  const canvas = await page.locator('.canvas').boundingBox();
  await page.mouse.dblclick(canvas.x + 60, canvas.y + canvas.height - 60);
  await page.keyboard.type('Under policy');
  await page.keyboard.press('Enter');
  await page.locator('.save-state.saved').waitFor();
  await page.getByRole('button', { name: 'Export' }).click();
  await page.locator('.export-panel .export-body').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Assess' }).click();
  await page.locator('svg.context-map').waitFor();

  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the app itself breaks no rule');

  // A script smuggled into the page, inline or as an event handler, is refused.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__pwned = true';
    document.body.append(script);
    const img = document.createElement('img');
    img.setAttribute('src', 'data:,');
    img.setAttribute('onerror', 'window.__pwned = true');
    document.body.append(img);
    await new Promise((r) => setTimeout(r, 200));
    return window.__pwned === true;
  });
  assert.equal(ran, false);
  const violations = await page.evaluate(() => window.__violations);
  assert.ok(violations.length >= 1 && violations.every((v) => v.startsWith('script-src')), violations.join('\n'));
  const unexpected = page.errors.filter((e) => !/Content Security Policy/.test(e));
  assert.deepEqual(unexpected, []);
});

test('a file larger than any request the server reads is refused on the page, not uploaded', async () => {
  const page = await newPage(browser);
  const uploads = [];
  page.on('request', (r) => { if (r.url().includes('/sfn/')) uploads.push(r.url()); });
  await page.goto(BASE_URL);
  await waitForHydration(page);
  const huge = Buffer.alloc(17 * 1024 * 1024 + 1, ' ');
  await page.locator('input[type="file"]').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: huge });
  await page.getByText('Not imported: this file is 17.0 MB; a file to import may be at most 16 MB').waitFor();
  assert.deepEqual(uploads, []);
  assert.deepEqual(page.errors, []);
});
