// The reports as a reader sees them: headless Chromium (Debian's package, no
// browser download) opens offload-report.html and cucumber.html from a fresh
// run of a fixture suite whose first scenario is named like an XSS probe.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { runCucumber } from './cucumber-run';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=alert(1)>';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`browser tests skipped: ${CHROMIUM} not found (install Debian's chromium package; .ci/run does)`);
}

describe.skipIf(!haveChromium)(`reports in headless Chromium (${CHROMIUM})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'offload-report-'));
  let browser: Browser;
  let scenarios = 0;

  beforeAll(async () => {
    const r = runCucumber(['test/fixtures/report/report.feature'], [
      '--profile', 'bare',
      '--format', `./src/report/offload-formatter.js:${join(dir, 'offload-report.html')}`,
      '--format', `html:${join(dir, 'cucumber.html')}`,
    ]);
    expect(r.status, r.stdout).toBe(0);
    scenarios = r.envelopes.filter((e) => 'testCaseStarted' in e).length;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => { await browser?.close(); });

  /** Opens a report and records what would show a broken page: console errors, uncaught errors, dialogs. */
  async function open(file: string, height = 900, hash = ''): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
    await page.goto(pathToFileURL(join(dir, file)).href + hash);
    return { page, problems };
  }

  it('offload-report.html: every diagram visible, hop filter works, hostile name is text', async () => {
    const { page, problems } = await open('offload-report.html');
    await page.waitForSelector('body[data-ready]');
    const cards = page.locator('details.scenario');
    expect(await cards.count()).toBe(scenarios);
    // bodies are drawn as their cards come into view: scroll to each card first
    for (let i = 0; i < scenarios; i++) {
      await cards.nth(i).scrollIntoViewIfNeeded();
      await expect.poll(() => cards.nth(i).locator('svg.hops').first().isVisible(), { message: `scenario ${i}: diagram visible` }).toBe(true);
    }
    await expect.poll(() => page.getByText(HOSTILE, { exact: true }).first().isVisible()).toBe(true);
    expect(await page.locator('img').count(), 'no element was injected from scenario text').toBe(0);

    await page.fill('#hop', 'mlx5_cmd_create_fte');
    const visible = page.locator('details.scenario:not([hidden])');
    expect(await visible.count()).toBe(1);
    expect(await visible.locator('.name').textContent()).toBe('A flow offloaded with skip_sw');
    expect(await page.textContent('#count')).toBe(`1 of ${scenarios} scenarios`);
    await page.fill('#hop', '');
    await page.selectOption('#tag', '@refused');
    expect(await visible.locator('.name').allTextContents()).toEqual(['A refused skip_sw flow falls back to the kernel datapath']);
    await page.selectOption('#tag', '');
    expect(await visible.count()).toBe(scenarios);

    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: join('reports', 'offload-report.png') });
    expect(problems).toEqual([]);
  }, 30_000);

  it('offload-report.html: draws cards lazily; links and opening a card reveal its body', async () => {
    const last = 'test/fixtures/report/report.feature:18';
    // a short window: the last card starts far below it and is not drawn on open
    const { page, problems } = await open('offload-report.html', 200);
    await page.waitForSelector('body[data-ready]');
    const card = (key: string) => page.locator(`details.scenario[id="${key}"]`);
    expect(await page.locator('div.body[data-drawn]').count(), 'some bodies wait until seen').toBeLessThan(scenarios);
    expect(await card(last).locator('svg.hops').count()).toBe(0);
    // a closed card stays undrawn in view, and is drawn when opened
    await card(last).evaluate((d: { open: boolean; scrollIntoView(): void }) => { d.open = false; d.scrollIntoView(); });
    await page.waitForTimeout(200);
    expect(await card(last).locator('div.body[data-drawn]').count(), 'closed card in view: not drawn').toBe(0);
    await card(last).locator(':scope > summary').click();
    await expect.poll(() => card(last).locator('svg.hops').first().isVisible(), { message: `${last}: drawn when opened` }).toBe(true);
    // a filter hides the card; its link in the coverage map still reveals it
    await page.fill('#hop', 'mlx5_cmd_create_fte');
    expect(await card(last).isHidden()).toBe(true);
    await page.locator(`#coverage a[href="#${last}"]`).first().click();
    await expect.poll(() => card(last).locator('svg.hops').first().isVisible(), { message: `${last}: revealed by its link` }).toBe(true);
    expect(await page.inputValue('#hop')).toBe('');
    expect(await page.textContent('#count')).toBe(`${scenarios} of ${scenarios} scenarios`);
    // a page opened at a scenario's address shows that scenario
    const direct = await open('offload-report.html', 200, `#${last}`);
    await direct.page.waitForSelector('body[data-ready]');
    await expect.poll(() => direct.page.locator(`details.scenario[id="${last}"] svg.hops`).first().isVisible()).toBe(true);
    expect([...problems, ...direct.problems]).toEqual([]);
  }, 30_000);

  it('cucumber.html: every scenario shows its diagram, hostile name is text', async () => {
    const { page, problems } = await open('cucumber.html');
    await page.getByText('test/fixtures/report/report.feature').first().click();
    await expect.poll(() => page.getByText(HOSTILE, { exact: true }).first().isVisible()).toBe(true);
    // Attachments sit under each scenario's collapsed "N hooks" line, which
    // goes away once expanded: open them bottom-up so the rest stay put.
    const hooks = page.getByText(/^\d+ hooks?$/);
    const n = await hooks.count();
    expect(n).toBe(scenarios);
    for (let i = n - 1; i >= 0; i--) await hooks.nth(i).click();
    // each image attachment is a collapsed <details> named after its file name
    const named = page.locator('summary', { hasText: /^hops: / });
    await expect.poll(() => named.count()).toBe(scenarios);
    for (let i = 0; i < scenarios; i++) await named.nth(i).click();
    const diagrams = page.locator('img[src^="data:image/svg+xml"]');
    expect(await diagrams.count()).toBe(scenarios);
    for (let i = 0; i < scenarios; i++) {
      await expect.poll(() => diagrams.nth(i).isVisible(), { message: `diagram ${i} visible` }).toBe(true);
    }
    expect(await page.locator('img:not([src^="data:image/svg+xml"])').count()).toBe(0);
    await page.screenshot({ path: join('reports', 'cucumber-report.png') });
    expect(problems).toEqual([]);
  }, 30_000);
});
