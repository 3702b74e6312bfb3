/**
 * The β-VAE lab in the real page: Shapes at β = 4 with 10 latents, traversals, KL bars, MIG,
 * a snapshot card, and the autoencoder / KL-only / VAE comparison in one click.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
let page: Page;
let errors: string[];

beforeAll(async () => {
  h = await startHarness();
  // a short comparison keeps the suite quick; the setting is the user's too (Advanced)
  ({ page, errors } = await openPage(h, 'data=shapes&z=10&beta=4&cmp=150'));
});
afterAll(async () => {
  await h?.close();
});

describe('the β-VAE lab', () => {
  it('trains on Shapes at β = 4 and renders traversals, KL bars and MIG', async () => {
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByLabel('Dataset', { exact: true }).inputValue()).toBe('shapes');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 420);
    await page.getByRole('button', { name: 'Pause' }).click();

    const traversals = page.getByRole('region', { name: 'Latent traversals' });
    // rows are labelled by dimension and KL, and the mosaic is not blank
    const subscript = (n: number) => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
    await expect
      .poll(async () => {
        const text = (await traversals.textContent()) ?? '';
        return Array.from({ length: 10 }, (_, i) => `z${subscript(i + 1)}`).filter((label) => text.includes(label)).length;
      })
      .toBe(10);
    const lit = await traversals.locator('canvas').first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let bright = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 128) bright++;
      return bright;
    });
    expect(lit).toBeGreaterThan(100);

    const kl = page.getByRole('region', { name: 'KL per dimension' });
    expect(await kl.getByText(/Active units \d+ \/ 10/).count()).toBe(1);
    const dis = page.getByRole('region', { name: 'Disentanglement' });
    await expect.poll(async () => (await dis.textContent()) ?? '').toMatch(/MIG\s*0\.\d\d/);
    await screenshot(page, '20-lab-shapes-beta4');
  });

  it('freezes the run into a snapshot card', async () => {
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    await snapshots.getByRole('button', { name: 'Take snapshot' }).click();
    const card = snapshots.getByRole('article');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.first().getAttribute('aria-label')).toMatch(/β = 4, z = 10, Shapes/);
  });

  it('compares a plain autoencoder, a KL-only model and a VAE in one click', async () => {
    await page.getByRole('tab', { name: 'AE vs VAE' }).click();
    const compare = page.getByRole('region', { name: 'Autoencoder vs VAE' });
    await compare.getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => compare.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    await expect.poll(() => compare.getByRole('button', { name: 'Compare' }).count(), { timeout: 180_000 }).toBe(1);
    expect(await compare.getByText(/failed|error/i).count()).toBe(0);
    expect(await compare.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, '21-comparison');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
