/**
 * The VQ-VAE in the real page (issue 11): `#model=vqvae` trains on wasm; the panels of a Gaussian
 * latent are gone and the codebook, the code usage and the code grid render; editing a cell of
 * the grid changes the decoded image; the priors over codes fit and give samples; Shapes trains
 * with its 8×8 grid; the preset sets the family up. No console errors anywhere.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const GAUSSIAN_PANELS = ['Latent space', 'Decoded point', 'Decoder grid', 'KL per dimension', 'Latent traversals'];

/** Pixels of a canvas (an image panel's, by its accessible name) as an array of bytes. */
async function canvasPixels(page: Page, name: string): Promise<number[]> {
  return page.getByRole('img', { name, exact: true }).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const ctx = c.getContext('2d');
    return ctx ? Array.from(ctx.getImageData(0, 0, c.width, c.height).data) : [];
  });
}

async function train(page: Page, steps: number): Promise<number> {
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 120_000 }).toBe(true);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const reached = await waitForStep(page, steps, 300_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  return reached;
}

describe('the VQ-VAE', () => {
  it('#model=vqvae trains on wasm, shows the codebook, code usage and code grid, and a cell edited changes the decoded image', async () => {
    const { page, errors } = await openPage(h, 'model=vqvae');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await expect.poll(() => settings.getByLabel('Model', { exact: true }).inputValue()).toBe('vqvae');
    expect(await settings.getByLabel('Codes K').inputValue()).toBe('64');
    expect(await settings.getByLabel('Code size D').inputValue()).toBe('16');
    await train(page, 120);
    for (const name of GAUSSIAN_PANELS) expect(await page.getByRole('region', { name }).count(), name).toBe(0);
    for (const name of ['Codebook', 'Code usage', 'Code grid', 'Samples from priors over codes', 'Loss curves']) {
      expect(await page.getByRole('region', { name }).count(), name).toBe(1);
    }
    // the codebook: K codes, some in use
    const codebook = page.getByRole('region', { name: 'Codebook' }).getByRole('img');
    await expect.poll(() => codebook.getAttribute('data-codes'), { timeout: 60_000 }).toBe('64');
    expect(Number(await codebook.getAttribute('data-in-use'))).toBeGreaterThan(1);
    // code usage: perplexity between 1 and K, codes in use n / K
    const usage = page.getByRole('region', { name: 'Code usage' });
    const perplexity = Number(/Perplexity ([\d.]+)/.exec((await usage.getByTestId('perplexity').textContent()) ?? '')?.[1]);
    expect(perplexity).toBeGreaterThan(1);
    expect(perplexity).toBeLessThanOrEqual(64);
    expect(await usage.getByTestId('codes-in-use').textContent()).toMatch(/codes in use \d+ \/ 64/);
    // the code grid: 7×7 cells of code indices, the test image's reconstruction decoded
    const grid = page.getByRole('region', { name: 'Code grid' });
    const cells = grid.getByRole('gridcell');
    expect(await cells.count()).toBe(49);
    await expect.poll(async () => (await canvasPixels(page, 'Reconstruction')).length, { timeout: 60_000 }).toBeGreaterThan(0);
    const before = await canvasPixels(page, 'Reconstruction');
    // edit cells: each to a code other than its own; the edited grid's decoding differs from the reconstruction
    for (const cell of [16, 24, 32]) {
      await cells.nth(cell).click();
      const current = Number(await cells.nth(cell).textContent());
      await grid.getByLabel('Code for the selected cell').selectOption(String((current + 17) % 64));
      await expect.poll(() => cells.nth(cell).textContent()).toBe(String((current + 17) % 64));
    }
    await expect.poll(async () => (await canvasPixels(page, 'Decoded from the edited grid')).length, { timeout: 30_000 }).toBe(before.length);
    await expect
      .poll(async () => {
        const edited = await canvasPixels(page, 'Decoded from the edited grid');
        const recon = await canvasPixels(page, 'Reconstruction');
        return edited.reduce((s, v, i) => s + Math.abs(v - recon[i]), 0);
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(await grid.locator('.code-cell.changed').count()).toBe(3);
    await screenshot(page, '60-vqvae-mnist');
    // undo: the grid is the encoder's again and the edited image goes
    await grid.getByRole('button', { name: 'Undo edits' }).click();
    await expect.poll(() => grid.locator('.code-cell.changed').count()).toBe(0);
    await expect.poll(() => page.getByRole('img', { name: 'Decoded from the edited grid', exact: true }).count()).toBe(0);
    // the priors over codes: fitted on demand, both give decoded samples and a test −log p
    const priors = page.getByRole('region', { name: 'Samples from priors over codes' });
    await expect.poll(() => priors.getByRole('button', { name: 'Fit priors' }).isEnabled(), { timeout: 300_000 }).toBe(true);
    await priors.getByRole('button', { name: 'Fit priors' }).click();
    await expect.poll(() => priors.getByRole('status').textContent(), { timeout: 300_000 }).toMatch(/Fitted at step/);
    for (const prior of ['independent', 'autoregressive']) {
      await expect.poll(() => priors.getByRole('img', { name: `Samples from the ${prior} prior` }).count(), { timeout: 60_000 }).toBe(1);
    }
    expect(await priors.getByText(/test grids −log p = [\d.]+ nats/).count()).toBe(2);
    // a VQ-VAE has no PyTorch export yet: the button says so instead of failing
    const exportButton = page.getByRole('button', { name: 'Export for PyTorch' });
    expect(await exportButton.isDisabled()).toBe(true);
    expect(await exportButton.getAttribute('title')).toMatch(/does not cover the VQ-VAE/);
    await screenshot(page, '61-vqvae-priors');
    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);

  it('trains on Shapes with an 8×8 code grid', async () => {
    const { page, errors } = await openPage(h, 'model=vqvae&data=shapes');
    await train(page, 30);
    const grid = page.getByRole('region', { name: 'Code grid' });
    await expect.poll(() => grid.getByRole('gridcell').count(), { timeout: 120_000 }).toBe(64);
    await expect.poll(() => page.getByRole('region', { name: 'Codebook' }).getByRole('img').getAttribute('data-codes'), { timeout: 60_000 }).toBe('64');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('from M2 on WebGL with batch 16, the preset and then Code size D = 1 train, and the worker is not taken for hung while it compiles its shaders', async () => {
    // the monkey's path (seed 1854847849): the first WebGL steps of the VQ-VAE compile shaders for
    // over a minute on a software renderer under load; the page used to replace the healthy worker
    const { page, errors } = await openPage(h, 'model=m2&backend=webgl&batch=16');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    const trainButton = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => trainButton.isEnabled(), { timeout: 120_000 }).toBe(true);
    await settings.getByLabel('Presets').selectOption({ label: 'Discrete latents (VQ-VAE)' });
    await expect.poll(() => settings.getByLabel('Model', { exact: true }).inputValue()).toBe('vqvae');
    const codeSize = settings.getByLabel('Code size D');
    await codeSize.fill('1');
    await codeSize.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/codedim=1/);
    // a preset keeps the machine's backend; the batch size is the lesson's, set back to 16 as the monkey did
    expect(await settings.getByLabel('Backend').inputValue()).toBe('webgl');
    await settings.getByLabel('Batch size').selectOption('16');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/batch=16/);
    await expect.poll(() => trainButton.isEnabled(), { timeout: 120_000 }).toBe(true);
    await trainButton.click();
    await waitForStep(page, 5, 400_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await page.getByText(/The training worker stopped/).count()).toBe(0);
    await expect.poll(() => page.getByRole('region', { name: 'Code grid' }).getByRole('gridcell').count(), { timeout: 120_000 }).toBe(49);
    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);

  it('the preset “Discrete latents (VQ-VAE)” sets the family up', async () => {
    const { page, errors } = await openPage(h);
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 120_000 }).toBe(true);
    await settings.getByLabel('Presets').selectOption({ label: 'Discrete latents (VQ-VAE)' });
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/model=vqvae/);
    expect(await settings.getByLabel('Model', { exact: true }).inputValue()).toBe('vqvae');
    await expect.poll(() => page.getByRole('region', { name: 'Code grid' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Latent space' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
