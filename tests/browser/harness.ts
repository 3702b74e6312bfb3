/**
 * Browser tests drive the built app (dist/, from `npm run build`) in Debian's Chromium through
 * playwright-core: a Vite preview server with the app's COOP/COEP headers, one browser per file.
 */
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'screenshots');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface Harness {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(path.join(ROOT, 'dist/index.html'))) throw new Error('dist/ is missing: run `npm run build` before the browser tests');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the preview server has no port');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    url: `http://127.0.0.1:${address.port}/`,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A page that records console errors and uncaught exceptions, for the "no errors" assertion. */
export async function openPage(h: Harness, hash = '', viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(h.url + (hash ? `#${hash}` : ''));
  return { page, errors };
}

/** The step shown by the status bar's role=status element. */
export async function currentStep(page: Page): Promise<number> {
  const text = (await page.getByRole('region', { name: 'Training' }).getByRole('status').textContent()) ?? '';
  const match = /Step\s+([\d,]+)/.exec(text);
  if (!match) throw new Error(`status reads “${text}”`);
  return Number(match[1].replace(/,/g, ''));
}

export async function waitForStep(page: Page, atLeast: number, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const step = await currentStep(page);
    if (step >= atLeast) return step;
    if (Date.now() - started > timeoutMs) throw new Error(`step ${step} after ${timeoutMs} ms, wanted ${atLeast}`);
    await page.waitForTimeout(200);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Numbers shown in the status bar's figures (reconstruction, KL, −ELBO). */
export async function figure(page: Page, testId: 'reconstruction-value' | 'kl-value' | 'elbo-value'): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  return Number(text.replace(/,/g, '').replace('−', '-'));
}
