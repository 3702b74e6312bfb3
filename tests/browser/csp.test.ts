/**
 * Only our origin, enforced by the browser: the server sends the Content-Security-Policy with
 * the page and with the worker's script, the page carries it as a <meta> too, the app trains on
 * multithreaded WebAssembly under it without a single violation, and a request to another
 * origin is refused.
 */
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../csp';
import { currentStep, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/** Console errors of the page and of every worker it starts (a violation in a worker is logged there). */
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  const onConsole = (where: string) => (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`${where}: ${m.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (e) => errors.push(`page: ${String(e)}`));
  page.on('worker', (w) => w.on('console', onConsole(`worker ${w.url().split('/').pop()}`)));
  return errors;
}

describe('Content-Security-Policy', () => {
  it('is sent with the page and its worker, and the app trains on wasm threads under it', async () => {
    const page = await h.browser.newPage();
    const errors = recordErrors(page);
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const scripts: { url: string; csp: string | undefined }[] = [];
    page.on('response', (r) => {
      if (/\.(js|wasm)$/.test(new URL(r.url()).pathname)) scripts.push({ url: r.url(), csp: r.headers()['content-security-policy'] });
    });
    const response = await page.goto(h.url);
    const policy = response?.headers()['content-security-policy'];
    expect(policy).toBe(contentSecurityPolicy());
    expect(policy).toMatch(/^default-src 'none'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; connect-src 'self';/);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(contentSecurityPolicy({ meta: true }));

    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
    // multithreaded wasm: the page is cross-origin isolated and the backend runs more than one thread
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const backend = page.getByRole('region', { name: 'Training' }).locator('.figure', { hasText: 'backend' }).locator('.figure-value');
    expect(await backend.textContent()).toMatch(/^wasm ×([2-9]|\d\d)$/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 60);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await currentStep(page)).toBeGreaterThanOrEqual(60);

    // every script, the worker's among them, came with the policy
    const worker = scripts.find((s) => /training\.worker/.test(s.url));
    expect(worker, scripts.map((s) => s.url).join(', ')).toBeDefined();
    expect(scripts.filter((s) => s.csp !== policy).map((s) => s.url)).toEqual([]);
    expect(await page.evaluate(() => window.__cspViolations ?? [])).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, '50-csp-trained');

    // and it is enforced: another origin is refused before any request leaves
    const outcome = await page.evaluate(() => fetch('https://example.com/data.bin').then(() => 'fetched', (e: unknown) => (e instanceof TypeError ? 'refused' : String(e))));
    expect(outcome).toBe('refused');
    // once per policy that refuses it: the header's and the <meta>'s
    const violations = await page.evaluate(() => window.__cspViolations ?? []);
    expect(violations.length).toBeGreaterThan(0);
    expect([...new Set(violations)]).toEqual(['connect-src https://example.com/data.bin']);
    await page.close();
  });
});
