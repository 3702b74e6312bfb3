/**
 * The convolutional network in the real page on wasm: `#net=conv` trains on MNIST and on Shapes,
 * the scatter and the decoder grid render, the loss chart draws the KL's three parts (index-code
 * MI, total correlation, dimension-wise KL) over training, the preset “Disentangling with
 * β-TCVAE” sets up the conv net with β-TCVAE, and nothing logs an error.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figure, openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function ready(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
}

/** Pixels of a region's first canvas unlike its first pixel (0 for a blank one). */
async function drawnPixels(page: Page, region: string): Promise<number> {
  return page
    .getByRole('region', { name: region })
    .locator('canvas')
    .first()
    .evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let unlike = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 60) unlike++;
      return unlike;
    });
}

/** The smoothed training curves of the loss chart that have at least two points, by count. */
async function drawnTrainCurves(page: Page): Promise<number> {
  return page
    .getByRole('region', { name: 'Loss curves' })
    .locator('path.lc-train')
    .evaluateAll((paths) => paths.filter((p) => ((p.getAttribute('d') ?? '').match(/L/g) ?? []).length >= 1).length);
}

describe('the convolutional network (#net=conv, wasm)', () => {
  it('trains on MNIST: the −ELBO falls, the scatter and the grid render, the KL’s parts are drawn', async () => {
    const { page, errors } = await openPage(h, 'net=conv&backend=wasm');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await ready(page);
    expect(await settings.getByLabel('Network', { exact: true }).inputValue()).toBe('conv');
    expect(await settings.getByLabel('Network', { exact: true }).locator('option:checked').textContent()).toBe('Convolutional');
    expect(await page.locator('.app-footer').textContent()).toMatch(/convolutional, 16 \/ 32 channels/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 30, 180_000);
    const early = await figure(page, 'elbo-value');
    await waitForStep(page, 200, 300_000);
    const late = await figure(page, 'elbo-value');
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(Number.isFinite(early)).toBe(true);
    expect(late).toBeLessThan(early - 20);
    expect(await page.locator('.figure', { hasText: 'backend' }).locator('.figure-value').textContent()).toMatch(/^wasm/);

    const scatter = page.getByRole('region', { name: 'Latent space' });
    await expect.poll(async () => Number(await scatter.locator('[data-point-count]').first().getAttribute('data-point-count')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1000);
    await expect.poll(() => drawnPixels(page, 'Decoder grid'), { timeout: 30_000 }).toBeGreaterThan(100);

    const loss = page.getByRole('region', { name: 'Loss curves' });
    for (const name of ['index-code MI', 'total correlation', 'dimension-wise KL']) {
      expect(await loss.getByRole('button', { name: new RegExp(name) }).count(), name).toBe(1);
    }
    // reconstruction, KL, the three parts and −ELBO: six curves over training
    await expect.poll(() => drawnTrainCurves(page), { timeout: 30_000 }).toBe(6);
    await screenshot(page, '40-conv-mnist');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains on Shapes (32×32): the −ELBO falls and the grid renders', async () => {
    const { page, errors } = await openPage(h, 'data=shapes&net=conv&z=10&backend=wasm');
    await ready(page);
    expect(await page.getByLabel('Dataset', { exact: true }).inputValue()).toBe('shapes');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 30, 180_000);
    const early = await figure(page, 'elbo-value');
    await waitForStep(page, 200, 300_000);
    const late = await figure(page, 'elbo-value');
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(late).toBeLessThan(early - 10);
    await expect.poll(() => drawnPixels(page, 'Decoder grid'), { timeout: 30_000 }).toBeGreaterThan(50);
    const scatter = page.getByRole('region', { name: 'Latent space' });
    await expect.poll(async () => Number(await scatter.locator('[data-point-count]').first().getAttribute('data-point-count')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1000);
    await screenshot(page, '41-conv-shapes');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the preset “Disentangling with β-TCVAE” trains the conv net with β-TCVAE, and the caption says so', async () => {
    const { page, errors } = await openPage(h, 'backend=wasm');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await ready(page);
    await settings.getByLabel('Presets').selectOption({ label: 'Disentangling with β-TCVAE' });
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/obj=tcvae/);
    expect(await settings.getByLabel('Network', { exact: true }).inputValue()).toBe('conv');
    expect(await settings.getByLabel('Training objective', { exact: true }).inputValue()).toBe('tcvae');
    expect(await settings.getByLabel('Dataset', { exact: true }).inputValue()).toBe('shapes');
    expect(await page.getByRole('tab', { name: 'β-VAE lab' }).getAttribute('aria-selected')).toBe('true');
    await ready(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 60, 300_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    const loss = page.getByRole('region', { name: 'Loss curves' });
    await expect.poll(async () => (await loss.textContent()) ?? '', { timeout: 30_000 }).toMatch(/reconstruction \+ KL \+ \(β − 1\)·total correlation/);
    expect(Number.isFinite(await figure(page, 'elbo-value'))).toBe(true);
    await screenshot(page, '42-preset-beta-tcvae');
    expect(errors).toEqual([]);
    await page.close();
  });
});
