// Helpers shared by the browser tests: the server under test, Debian's Chromium, the sample board.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import yaml from 'js-yaml';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3999';

// Flags for headless Debian Chromium on a closed network (see ../shared/TOOLCHAIN.md).
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Waits until the server answers /healthz (cargo-leptos-style start-ups race the tests). */
export async function waitForServer(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${BASE_URL}/healthz`);
      if (res.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`server at ${BASE_URL} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new page (in its own browser context, so its own localStorage) that records console errors
 * and page errors in `page.errors`. `name` is the display name this browser already chose;
 * `null` makes a first-time visitor who will be asked for one; `locale` the browser's language.
 */
export async function newPage(browser, viewport = { width: 1440, height: 900 }, { name = 'Tester', locale = 'en-US' } = {}) {
  // `locale` is the browser's language: navigator.languages and the Accept-Language header.
  const context = await browser.newContext({ viewport, locale });
  if (name !== null) {
    await context.addInitScript((n) => { window.localStorage.setItem('squall.name', n); }, name);
  }
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(msg.text()); });
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('dialog', (dialog) => { page.errors.push(`unexpected dialog: ${dialog.message()}`); dialog.dismiss(); });
  return page;
}

/** Waits for the WASM to take over the server-rendered page. */
export async function waitForHydration(page) {
  await page.waitForSelector('main[data-hydrated="true"]', { timeout: 30_000 });
}

/** The links of the boards created through `api`: board id → { owner, edit, view } tokens. */
export const links = new Map();

/**
 * Calls the JSON API. A board created here is remembered, and later calls on it carry its owner
 * token (as a bearer token) unless `key` names another one.
 */
export async function api(method, path, body, key) {
  const board = [...links.keys()].find((id) => path.includes(id));
  const token = key ?? (board ? links.get(board).owner : undefined);
  const headers = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const answer = { status: res.status, body: text ? JSON.parse(text) : null };
  if (method === 'POST' && path === '/api/boards' && res.status === 201) {
    links.set(answer.body.id, answer.body.links);
  }
  return answer;
}

/** The address of a board opened with its `role` link (owner by default). */
export function boardUrl(id, role = 'owner') {
  return `${BASE_URL}/b/${id}?key=${links.get(id)[role]}`;
}

const STICKY = 120;
const GAP = 30;
// Left-to-right columns inside a bounded context, in the order a team reads the flow.
const COLUMNS = [
  ['actors', 'actor'], ['commands', 'command'], ['aggregates', 'aggregate'],
  ['events', 'domain_event'], ['policies', 'policy'], ['read_models', 'read_model'],
  ['external_systems', 'external_system'], ['hotspots', 'hotspot'],
];

/**
 * The sample board (fixtures/order-flow.yaml) as create/connect operations, laid out as a team
 * would: one frame per bounded context side by side, kinds in columns, arrows as the primer says.
 */
export function sampleBoardOps() {
  // The fixture's title line holds ": " unquoted, which strict YAML reads as a nested mapping.
  const text = readFileSync(new URL('../fixtures/order-flow.yaml', import.meta.url), 'utf8')
    .replace(/^board: (.*)$/m, (_, title) => `board: ${JSON.stringify(title)}`);
  const doc = yaml.load(text);
  const ops = [];
  const byName = new Map();
  const add = (kind, label, x, y, size, props) => {
    const id = randomUUID();
    const [width, height] = size;
    ops.push({ type: 'create_element', element: { id, kind, label, x, y, width, height, ...(props ? { props } : {}) } });
    byName.set(label, { id, kind });
    return id;
  };
  const field = (f) => ({ name: f.name, type: f.type, ...(f.key ? { key: true } : {}) });
  let frameX = 0;
  for (const bc of doc.bounded_contexts) {
    const used = COLUMNS.filter(([key]) => (bc[key] ?? []).length > 0);
    const width = used.length * (STICKY + 2 * GAP) + GAP;
    const rows = Math.max(...used.map(([key]) => bc[key].length));
    const height = 80 + rows * (STICKY + 100) + GAP;
    add('bounded_context', bc.name, frameX, 0, [width, height]);
    used.forEach(([key, kind], col) => {
      bc[key].forEach((item, row) => {
        const label = typeof item === 'string' ? item : item.name;
        const x = frameX + GAP + col * (STICKY + 2 * GAP) + (kind === 'aggregate' ? -20 : 0);
        const y = 80 + row * (STICKY + 100);
        const size = kind === 'aggregate' ? [160, 160] : kind === 'actor' ? [90, 90] : [STICKY, STICKY];
        let props;
        if (item.fields?.length) {
          // A read model's `key` names the field it is looked up by.
          const keyed = (f) => (item.key && f.name === item.key ? { ...f, key: true } : f);
          props = { fields: item.fields.map(keyed).map(field) };
        }
        if (kind === 'command' && item.http) {
          const [method, path] = item.http.split(' ');
          props = { ...(props ?? {}), http_method: method, http_path: path };
        }
        add(kind, label, x, y, size, props);
      });
    });
    frameX += width + 120;
  }
  const connect = (from, to) => {
    const a = byName.get(from); const b = byName.get(to);
    if (a && b) ops.push({ type: 'connect', connection: { id: randomUUID(), from: a.id, to: b.id } });
  };
  for (const bc of doc.bounded_contexts) {
    for (const c of bc.commands ?? []) {
      if (c.aggregate) connect(c.name, c.aggregate);
      for (const e of c.emits ?? []) connect(c.name, e);
      if (c.external) connect(c.name, c.external);
      if (c.actor) connect(c.actor, c.name);
    }
    for (const e of bc.events ?? []) if (e.aggregate) connect(e.aggregate, e.name);
    for (const p of bc.policies ?? []) { connect(p.on, p.name); connect(p.name, p.issues); }
    for (const r of bc.read_models ?? []) for (const e of r.from ?? []) connect(e, r.name);
    for (const a of bc.actors ?? []) {
      const first = (bc.commands ?? []).find((c) => !c.actor);
      if (first) connect(a, first.name);
    }
  }
  // Given / When / Then examples (docs/board-format.md), one set_examples op per sticky.
  const examples = new Map();
  const happened = (h) => ({ event: byName.get(h.event).id, ...(h.fields ? { fields: h.fields } : {}) });
  for (const ex of doc.examples ?? []) {
    const owner = byName.get(ex.command ?? ex.policy).id;
    let then;
    if (ex.then_refused) then = { refused: ex.then_refused };
    else if (ex.then_issues) then = { issues: ex.then_issues.map((c) => ({ command: byName.get(c.command).id, ...(c.fields ? { fields: c.fields } : {}) })) };
    else then = { events: (ex.then ?? []).map(happened) };
    const example = { given: (ex.given ?? []).map(happened), ...(ex.when ? { when: ex.when } : {}), then };
    examples.set(owner, [...(examples.get(owner) ?? []), example]);
  }
  for (const [id, list] of examples) ops.push({ type: 'set_examples', id, examples: list });
  // Field mapping choices (docs/board-format.md), one set_mapping op per policy or read model.
  const mappings = new Map();
  for (const m of doc.mappings ?? []) {
    const owner = byName.get(m.policy ?? m.read_model).id;
    const entries = Object.entries(m.fields).map(([field, from]) => ({
      event: byName.get(m.event).id,
      ...(m.command ? { command: byName.get(m.command).id } : {}),
      field,
      from: { field: from },
    }));
    mappings.set(owner, [...(mappings.get(owner) ?? []), ...entries]);
  }
  for (const [id, mapping] of mappings) ops.push({ type: 'set_mapping', id, mapping });
  return { title: doc.board, ops };
}
