/**
 * Fashion-MNIST in the real page: chosen from the Dataset select, downloaded from our own server,
 * trained, its ten class names in the latent scatter's legend.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figure, openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
let page: Page;
let errors: string[];

beforeAll(async () => {
  h = await startHarness();
  ({ page, errors } = await openPage(h));
});
afterAll(async () => {
  await h?.close();
});

const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

describe('Fashion-MNIST', () => {
  it('is offered by the Dataset select and loads from our server when chosen', async () => {
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    const select = page.getByLabel('Dataset', { exact: true });
    expect(await select.locator('option').allTextContents()).toContain('Fashion-MNIST');
    // The worker's requests too: they are the context's.
    const requests: string[] = [];
    page.context().on('request', (r) => requests.push(r.url()));
    await select.selectOption('fashion');
    await expect.poll(() => page.url()).toMatch(/data=fashion/);
    // Once loaded, the latent scatter's legend names the ten classes (MNIST's were digits).
    const legend = page.getByRole('region', { name: 'Latent space' }).getByRole('group', { name: 'Classes (click to highlight)' });
    await expect.poll(() => legend.getByRole('button').allTextContents(), { timeout: 90_000 }).toEqual(CLASSES);
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByRole('progressbar', { name: 'Data loading' }).count()).toBe(0);
    expect(requests.filter((u) => /\/data\/fashion-(train|test)-(images|labels)\.idx\.gz$/.test(u)).sort()).toEqual(
      ['test-images', 'test-labels', 'train-images', 'train-labels'].map((f) => `${h.url}data/fashion-${f}.idx.gz`),
    );
  });

  it('trains on it', async () => {
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 60);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(Number.isFinite(await figure(page, 'elbo-value'))).toBe(true);
    await screenshot(page, '30-fashion-mnist');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
