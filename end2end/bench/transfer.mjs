// Benchmark: the bytes a browser moves to open a board, on a first visit (empty cache) and on a
// second one (same browser, a later visit), split by kind. Counts what crossed the wire
// (compressed sizes, headers included), as Chromium's network panel does.
//   make bench    (builds the release server with --precompress, starts it, runs this)
import { BASE_URL, api, boardUrl, launch, sampleBoardOps, waitForServer } from '../lib.mjs';

/** Opens `url` in `page` and sums the transferred bytes per kind of resource. */
async function visit(page, url) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const kinds = new Map();
  const totals = {};
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const path = new URL(response.url).pathname;
    const kind = path.endsWith('.wasm') ? 'wasm' : path.endsWith('.js') ? 'js'
      : path.endsWith('.css') ? 'css' : path.startsWith('/b/') || path === '/' ? 'html' : 'other';
    kinds.set(requestId, { kind, status: response.status, encoding: response.headers['content-encoding'] ?? response.headers['Content-Encoding'] });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const seen = kinds.get(requestId);
    if (!seen) return;
    const t = (totals[seen.kind] ??= { bytes: 0, requests: 0, statuses: [], encodings: [] });
    t.bytes += encodedDataLength;
    t.requests += 1;
    t.statuses.push(seen.status);
    if (seen.encoding) t.encodings.push(seen.encoding);
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector('main[data-hydrated="true"]');
  // Code fetched right after hydration (a board's model check) counts too.
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return totals;
}

function report(name, totals) {
  const app = ['wasm', 'js', 'css'].reduce((n, k) => n + (totals[k]?.bytes ?? 0), 0);
  const all = Object.values(totals).reduce((n, t) => n + t.bytes, 0);
  const parts = Object.entries(totals)
    .map(([k, t]) => `${k} ${(t.bytes / 1024).toFixed(1)} KB (${t.statuses.join('/')}${t.encodings.length ? ` ${[...new Set(t.encodings)].join(',')}` : ''})`)
    .join(', ');
  console.log(`${name}: wasm+js+css ${(app / 1024).toFixed(1)} KB, everything ${(all / 1024).toFixed(1)} KB; ${parts}`);
}

await waitForServer();
const { body } = await api('POST', '/api/boards', { title: 'Transfer benchmark' });
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addInitScript(() => window.localStorage.setItem('squall.name', 'Bench'));
report('first visit', await visit(await context.newPage(), boardUrl(body.id)));
report('second visit', await visit(await context.newPage(), boardUrl(body.id)));
// A board with stickies also fetches the model check's code (app/src/editor/problems.rs).
const sample = sampleBoardOps();
const full = (await api('POST', '/api/boards', { title: sample.title })).body.id;
await api('POST', `/api/boards/${full}/ops`, { ops: sample.ops });
const another = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await another.addInitScript(() => window.localStorage.setItem('squall.name', 'Bench'));
report('first visit, a board with stickies', await visit(await another.newPage(), boardUrl(full)));
// The home page in a browser that has never been here: rendered by the server, not hydrated
// (app/src/pages/home.rs), so no WebAssembly.
const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
report('first visit, home page', await visit(await fresh.newPage(), `${BASE_URL}/`));
await browser.close();
