// The home page's behaviour (app/src/pages/home.rs): the page is rendered by the server and not
// hydrated, so a first visit loads no WebAssembly (BENCHMARKS.md). This script, inlined with the
// page's CSP nonce, lists this browser's recent boards, imports a file and switches the language.
// Creating a board is a plain HTML form and needs none of it. Every text shown comes from the
// page (`data-t-*`, in the page's language); every user-given text goes in as text, never HTML.
const page = document.querySelector('main.page.home');
const say = (key, values = {}) =>
  Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`{${name}}`, value), page.dataset[key] ?? '');
const lang = document.documentElement.lang || 'en';

// Recent boards, as the board page remembers them (app/src/pages/recent.rs: `squall.recent`).
function recentBoards() {
  try {
    const boards = JSON.parse(localStorage.getItem('squall.recent') ?? '[]');
    return Array.isArray(boards) ? boards.filter((b) => typeof b?.id === 'string' && typeof b?.title === 'string') : [];
  } catch {
    return [];
  }
}

function showRecent() {
  const recent = page.querySelector('.recent');
  const boards = recentBoards();
  if (!recent || !boards.length) return;
  const list = document.createElement('ul');
  for (const board of boards) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `/b/${encodeURIComponent(board.id)}?key=${encodeURIComponent(board.key ?? '')}`;
    link.textContent = board.title;
    item.append(link);
    if (typeof board.opened_at === 'number') {
      const date = new Date(board.opened_at).toLocaleDateString(lang, { dateStyle: 'medium' });
      const opened = document.createElement('span');
      opened.className = 'muted opened';
      opened.textContent = say('tOpened', { date });
      item.append(' ', opened);
    }
    list.append(item);
  }
  recent.querySelector('.recent-empty')?.remove();
  recent.querySelector('ul')?.remove();
  recent.append(list);
}
showRecent();

// Back from a board the browser may show this page from its cache, as it was: list the boards
// again (the one just opened among them) and empty the title, so Enter makes no second board.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  showRecent();
  page.querySelector('form.create-board')?.reset();
});

// A refused title came back in the address (server_fn's `__err`): shown by the server, and
// taken out of the address so a reload does not show it again.
if (new URLSearchParams(window.location.search).has('__err')) {
  window.history.replaceState(null, '', '/');
}

// Import: the file is read here and sent to the server function as JSON; the server validates
// it like live edits and answers the new board's link, or a refusal for people (a 4xx).
const input = page.querySelector('.import input[type="file"]');
const button = page.querySelector('.import .file-button');
const caption = page.querySelector('.import .file-caption');
const error = page.querySelector('.import .error');
const MAX_MB = 16;

function refuse(message) {
  error.textContent = say('tNotImported', { message });
  error.hidden = false;
}

function importing(busy) {
  input.disabled = busy;
  button.classList.toggle('disabled', busy);
  caption.textContent = busy ? say('tImporting') : say('tChooseFile');
}

input?.addEventListener('change', async () => {
  const file = input.files?.[0];
  if (!file) return;
  // The same file may be chosen again after a fix.
  input.value = '';
  error.hidden = true;
  const mb = file.size / (1024 * 1024);
  if (mb > MAX_MB) {
    refuse(say('tTooLarge', { size: mb.toFixed(1), max: String(MAX_MB) }));
    return;
  }
  importing(true);
  let text;
  try {
    text = await file.text();
  } catch {
    importing(false);
    refuse(say('tUnreadable'));
    return;
  }
  try {
    const response = await fetch('/sfn/import_board', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ document: text, file_name: file.name }),
    });
    const body = await response.text();
    if (response.ok) {
      window.location.href = JSON.parse(body);
      return;
    }
    // server_fn's error encoding: `ServerError|the server's words`.
    refuse(body.replace(/^[A-Za-z]+\|/, ''));
  } catch (e) {
    refuse(String(e?.message ?? e));
  }
  importing(false);
});

// The language menu: remembered in the cookie the server reads (app/src/i18n.rs), then the page
// comes back in that language.
page.querySelector('select.language')?.addEventListener('change', (event) => {
  document.cookie = `squall_lang=${event.target.value}; Path=/; Max-Age=${365 * 24 * 60 * 60}; SameSite=Lax`;
  window.location.reload();
});

if (input) {
  input.disabled = false;
  button.classList.remove('disabled');
}
page.dataset.hydrated = 'true';
