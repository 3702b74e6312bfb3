/**
 * Bad input in the real page: a corrupt or missing data file, a nonsense URL, a model change that
 * would discard a trained model. The page must explain itself and never go blank.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStep, openPage, ROOT, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('bad input', () => {
  it('a corrupt data file gives a clear message, not a blank page', async () => {
    const context = await h.browser.newContext();
    await context.route('**/data/mnist-test-labels.idx.gz', (route) => route.fulfill({ status: 200, contentType: 'application/gzip', body: Buffer.from('not gzip at all, just text') }));
    const page = await context.newPage();
    await page.goto(h.url);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await expect.poll(() => alert.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await alert.first().textContent()).toMatch(/mnist-test-labels/);
    expect(await page.getByRole('heading', { name: 'VAE Playground' }).isVisible()).toBe(true);
    await screenshot(page, '10-corrupt-data');
    await context.close();
  });

  it('a missing data file says how to fix it', async () => {
    const context = await h.browser.newContext();
    await context.route('**/data/mnist-train-images.idx.gz', (route) => route.fulfill({ status: 404, body: 'not found' }));
    const page = await context.newPage();
    await page.goto(h.url);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await expect.poll(() => alert.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await alert.first().textContent()).toMatch(/mnist-train-images.*npm run prepare-data/s);
    await context.close();
  });

  it('a nonsense URL is explained and the defaults are used', async () => {
    const { page, errors } = await openPage(h, 'beta=abc&z=7&lr=0&foo=bar');
    await expect.poll(() => page.getByText(/“abc” is not a number/).count()).toBeGreaterThan(0);
    expect(await page.getByText(/unknown URL parameter “foo”/).count()).toBeGreaterThan(0);
    expect(await page.getByLabel('β (KL weight)', { exact: true }).inputValue()).toBe('1');
    expect(await page.getByLabel('Latent dimensions', { exact: true }).inputValue()).toBe('2');
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks before a new latent size throws away a trained model', async () => {
    const { page } = await openPage(h);
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    for (let i = 1; i <= 3; i++) {
      await page.getByRole('button', { name: 'Step' }).click();
      // a step shows after its reports (the scatter's codes, M1's read-out): seconds on a loaded machine
      await expect.poll(() => currentStep(page), { timeout: 60_000 }).toBe(i);
    }
    await page.getByLabel('Latent dimensions', { exact: true }).selectOption('10');
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.count()).toBe(1);
    await screenshot(page, '11-confirm-change');
    await dialog.getByRole('button', { name: 'Keep current model' }).click();
    expect(await currentStep(page)).toBe(3);
    expect(await page.getByLabel('Latent dimensions', { exact: true }).inputValue()).toBe('2');
    await page.getByLabel('Latent dimensions', { exact: true }).selectOption('10');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard and rebuild' }).click();
    await expect.poll(() => currentStep(page)).toBe(0);
    expect(page.url()).toContain('z=10');
    await page.getByRole('button', { name: 'Step' }).click();
    await waitForStep(page, 1);
    await page.close();
  });

  it('holds a coordinate typed far out (1e308) at 100, and the probe still decodes', async () => {
    const { page, errors } = await openPage(h, 'z=5');
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    const field = page.getByRole('region', { name: 'Decoded point' }).locator('.decoded-other input').first();
    await field.fill('1e308');
    await field.press('Tab');
    expect(await field.inputValue()).toBe('100.00');
    // a decode of 1e308 would reach the worker as Infinity and be refused
    await page.waitForTimeout(1000);
    expect(await page.getByText(/Decoding the probe failed/).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps tfjs out of the main thread: the page bundle does not contain it', () => {
    const assets = path.join(ROOT, 'dist/assets');
    const entry = readdirSync(assets).filter((f) => /^(main|client)-.*\.js$/.test(f));
    expect(entry.length).toBeGreaterThan(0);
    for (const file of entry) {
      const code = readFileSync(path.join(assets, file), 'utf8');
      expect(code).not.toMatch(/MathBackendWebGL|BackendWasm|tfjs-core/);
    }
  });
});
