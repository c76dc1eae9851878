// The UI in Korean and English (docs/i18n.md): the browser's language picks it, the menu switches
// it, and the choice is remembered. Also takes the README's Korean screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, boardUrl, launch, newPage, sampleBoardOps, waitForHydration, waitForServer, BASE_URL } from '../lib.mjs';

let browser;
before(async () => { await waitForServer(); browser = await launch(); });
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: new URL(`../../docs/${name}.png`, import.meta.url).pathname });

test('the Korean UI renders for a browser that asks for Korean, home page and board alike', async () => {
  const page = await newPage(browser, { width: 1440, height: 900 }, { locale: 'ko-KR' });
  await page.goto(BASE_URL);
  await waitForHydration(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
  await page.getByRole('heading', { name: '새 보드' }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: '언어' }).inputValue(), 'ko');
  await page.getByLabel('제목').fill('주문 흐름 워크숍');
  await page.getByRole('button', { name: '보드 만들기' }).click();
  await page.waitForURL(/\/b\//);
  await waitForHydration(page);
  for (const name of ['공유', '내보내기', '전체 보기']) {
    await page.getByRole('button', { name, exact: true }).waitFor();
  }
  assert.equal(await page.locator('.save-state').textContent(), '모든 변경 사항 저장됨');
  assert.equal(await page.locator('.element-count').textContent(), '요소 0개');
  await page.locator('.palette [data-kind="command"]').click();
  await page.keyboard.type('주문하기');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.element-count').textContent(), '요소 1개');
  assert.equal(await page.locator('.element[data-kind="command"]').getAttribute('aria-label'), '커맨드: 주문하기');

  // The home page lists the board with the day it was opened, as Korean writes dates.
  await page.goto(BASE_URL);
  await waitForHydration(page);
  const opened = await page.locator('.recent li').filter({ hasText: '주문 흐름 워크숍' }).locator('.opened').textContent();
  assert.match(opened, /^마지막으로 연 날: \d{4}\. \d{1,2}\. \d{1,2}\.$/);
  assert.deepEqual(page.errors, []);
});

test('the language menu switches at once and the choice outlives a reload', async () => {
  const page = await newPage(browser, { width: 1440, height: 900 }, { locale: 'ko-KR' });
  const { body } = await api('POST', '/api/boards', { title: 'Switch' });
  await page.goto(boardUrl(body.id));
  await waitForHydration(page);
  await page.getByRole('button', { name: '공유' }).waitFor();
  await page.getByRole('combobox', { name: '언어' }).selectOption('en');
  await page.getByRole('button', { name: 'Share' }).waitFor();
  assert.equal(await page.locator('.save-state').textContent(), 'All changes saved');
  await page.reload();
  await waitForHydration(page);
  // Rendered in English by the server already: the cookie, not the browser's Korean, decides.
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('button', { name: 'Share' }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Language' }).inputValue(), 'en');

  // An English browser sees English, with English dates on the home page.
  const english = await newPage(browser);
  await english.goto(boardUrl(body.id));
  await waitForHydration(english);
  await english.getByRole('button', { name: 'Share' }).waitFor();
  await english.goto(BASE_URL);
  await waitForHydration(english);
  const opened = await english.locator('.recent li').filter({ hasText: 'Switch' }).locator('.opened').textContent();
  assert.match(opened, /^opened [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
  assert.deepEqual([...page.errors, ...english.errors], []);
});

test('the README screenshots in Korean: the sample board, Share and Export', async () => {
  const { title, ops } = sampleBoardOps();
  const { body } = await api('POST', '/api/boards', { title });
  assert.equal((await api('POST', `/api/boards/${body.id}/ops`, { ops })).status, 200);
  const page = await newPage(browser, { width: 2400, height: 800 }, { locale: 'ko-KR' });
  await page.goto(boardUrl(body.id));
  await waitForHydration(page);
  await page.getByRole('button', { name: '전체 보기', exact: true }).click();
  await page.mouse.move(5, 5);
  await shot(page, 'screenshot.ko');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByRole('button', { name: '공유' }).click();
  const share = page.getByRole('dialog', { name: '공유' });
  await page.waitForFunction(() => document.querySelector('input[aria-label="보기 링크"]')?.value.includes('key='));
  await share.getByText('이 링크가 있는 사람은 누구나 보드를 실시간으로 볼 수 있습니다.').waitFor();
  await shot(page, 'share.ko');
  await share.getByRole('button', { name: '완료' }).click();
  await page.getByRole('button', { name: '내보내기' }).click();
  const panel = page.getByRole('dialog', { name: '내보내기' });
  await panel.locator('.export-tree button.file').first().waitFor();
  const problems = panel.getByRole('region', { name: '문제' });
  assert.equal(await problems.locator('h3').textContent(), '문제 9개');
  // The model's problems in Korean too (docs/model-rules.md).
  assert.match(await problems.textContent(), /커맨드 "Send Email": 처리할 애그리거트가 없습니다/);
  await shot(page, 'export.ko');
  assert.deepEqual(page.errors, []);
});
