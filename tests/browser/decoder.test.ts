/**
 * The decoder in the real page: `#dec=made` trains the autoregressive decoder, and the decoded
 * point and the decoder grid render its pixel-by-pixel draws; the lesson "Posterior collapse and
 * KL annealing" runs its collapse-vs-rescue pair into two snapshot cards.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Pixels brighter than mid-grey on the first canvas of a region. */
async function litPixels(region: Locator): Promise<number> {
  return region.locator('canvas').first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let bright = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 128) bright++;
    return bright;
  });
}

async function trainFor(page: Page, steps: number): Promise<void> {
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, steps);
  await page.getByRole('button', { name: 'Pause' }).click();
}

describe('the autoregressive decoder', () => {
  it('trains with #dec=made, and the decoded point and the grid render its draws', async () => {
    const { page, errors } = await openPage(h, 'dec=made');
    expect(await page.getByLabel('Decoder', { exact: true }).inputValue()).toBe('made');
    await trainFor(page, 150);
    const grid = page.getByRole('region', { name: 'Decoder grid' });
    await expect.poll(async () => (await grid.textContent()) ?? '', { timeout: 60_000 }).toMatch(/pixel by pixel/);
    await expect.poll(() => litPixels(grid), { timeout: 60_000 }).toBeGreaterThan(200);
    const point = page.getByRole('region', { name: 'Decoded point' });
    await expect.poll(() => litPixels(point), { timeout: 60_000 }).toBeGreaterThan(20);
    const loss = page.getByRole('region', { name: 'Loss curves' });
    expect(await loss.textContent()).toMatch(/−ELBO/);
    await screenshot(page, '60-decoder-made');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows bits per dimension and the learned scale with the discretised logistic', async () => {
    const { page, errors } = await openPage(h, 'lik=logistic');
    await trainFor(page, 60);
    const loss = page.getByRole('region', { name: 'Loss curves' });
    await expect.poll(async () => (await loss.textContent()) ?? '', { timeout: 30_000 }).toMatch(/bits per dimension: \d\.\d{3}/);
    const grid = page.getByRole('region', { name: 'Decoder grid' });
    await expect.poll(async () => (await grid.textContent()) ?? '', { timeout: 60_000 }).toMatch(/Learned logistic scale s = \d/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the lesson “Posterior collapse and KL annealing”', () => {
  it('runs: the collapse and the rescue as two snapshot cards with their KL, active units and samples', async () => {
    // a short budget keeps the suite quick (the setting is the user's too: Advanced)
    const { page, errors } = await openPage(h, 'preset=collapse-annealing&cmp=60');
    await trainFor(page, 30);
    const usage = page.getByRole('region', { name: 'Latent usage' });
    await expect.poll(async () => (await usage.textContent()) ?? '', { timeout: 60_000 }).toMatch(/units active at step/);
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    await snapshots.getByRole('button', { name: 'Collapse vs rescue' }).click();
    const cards = snapshots.getByRole('article');
    await expect.poll(() => cards.count(), { timeout: 240_000, interval: 1000 }).toBe(2);
    expect(await cards.nth(0).getAttribute('aria-label')).toMatch(/β = 1, constant/);
    expect(await cards.nth(1).getAttribute('aria-label')).toMatch(/cyclical β \+ free bits/);
    for (const i of [0, 1]) {
      const text = (await cards.nth(i).textContent()) ?? '';
      expect(text).toMatch(/active units\s*\d+/);
      expect(text).toMatch(/KL\s*-?\d/);
      expect(await cards.nth(i).getByRole('img', { name: /decoded samples from the prior/ }).count()).toBe(1);
    }
    await screenshot(page, '61-collapse-rescue');
    expect(errors).toEqual([]);
    await page.close();
  });
});
