/**
 * The tools of a trained model in the real page: after some training the "Use the model" tab has
 * its five regions, each rendered; the interpolation path is drawn on the latent space; a stroke on
 * the drawing pad puts the drawing's posterior on it; a text file dropped on the pad gets a clear
 * message; the sets are scored with AUCs; the IWAE curve rises with k; and nothing logs an error.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
let page: Page;
let errors: string[];

const REGIONS = ['Interpolation', 'Anomaly detection', 'Draw a digit', 'Log-likelihood (IWAE)', 'Reconstructions'];

beforeAll(async () => {
  h = await startHarness();
  ({ page, errors } = await openPage(h, 'z=10'));
});
afterAll(async () => {
  await h?.close();
});

const region = (name: string) => page.getByRole('region', { name, exact: true });
const scatterOverlay = () => page.getByRole('region', { name: 'Latent space' }).locator('.latent-overlay');

describe('Use the model', () => {
  it('after training, the tab has the five regions, each rendered', async () => {
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 400, 180_000);
    await page.getByRole('tab', { name: 'Use the model' }).click();
    // the tab's code loads apart from the page's first script: its regions appear once it has
    for (const name of REGIONS) await expect.poll(() => region(name).count(), { message: name }).toBe(1);
    // the interpolation strip and its pixel blends, and the path on the latent space
    await expect.poll(() => region('Interpolation').locator('canvas.interp-latent').getAttribute('data-count'), { timeout: 30_000 }).toBe('10');
    expect(await region('Interpolation').locator('canvas.interp-pixel').getAttribute('data-count')).toBe('10');
    await expect.poll(() => scatterOverlay().getAttribute('data-path-points')).toBe('10');
    // reconstructions: inputs, means and samples
    await expect.poll(() => region('Reconstructions').locator('canvas.recon-means').getAttribute('data-count'), { timeout: 30_000 }).toBe('10');
    expect(await region('Reconstructions').locator('canvas.recon-sample-2').getAttribute('data-count')).toBe('10');
    // the sets are scored by themselves once the tab is seen after some training
    const auc = region('Anomaly detection').locator('table.anomaly-auc');
    await expect.poll(() => auc.locator('tbody tr[data-set]').count(), { timeout: 180_000 }).toBe(3);
    const invertedAuc = Number(await auc.locator('tr[data-set="inverted"] td').first().textContent());
    expect(invertedAuc).toBeGreaterThan(0.9);
    expect(await region('Anomaly detection').getByTestId('false-positive-rate').textContent()).toMatch(/flags 5(\.0)?% of the test set/);
  });

  it('switching the path to linear and picking another pair redraws the strip', async () => {
    const strip = region('Interpolation').locator('canvas.interp-latent');
    const before = await strip.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await region('Interpolation').getByRole('button', { name: 'Another pair' }).click();
    await expect.poll(() => strip.evaluate((c) => (c as HTMLCanvasElement).toDataURL()), { timeout: 20_000 }).not.toBe(before);
    await region('Interpolation').getByRole('button', { name: 'linear', exact: true }).click();
    await expect.poll(() => region('Interpolation').getByRole('button', { name: 'linear', exact: true }).getAttribute('aria-pressed')).toBe('true');
  });

  it('dragging an end of the path on the latent space moves it there', async () => {
    // paused: while training, a test image's end follows its posterior mean and can move away
    // between reading its position and pressing the mouse on it
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1);
    const end = scatterOverlay().locator('[data-overlay-end="0"]');
    await end.scrollIntoViewIfNeeded();
    const box = await end.boundingBox();
    if (!box) throw new Error('end A is not visible');
    const strip = region('Interpolation').locator('canvas.interp-latent');
    const before = await strip.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 70, box.y + box.height / 2 - 50, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => region('Interpolation').locator('.interp-ends').textContent()).toMatch(/A · a point you dragged/);
    await expect.poll(() => strip.evaluate((c) => (c as HTMLCanvasElement).toDataURL()), { timeout: 20_000 }).not.toBe(before);
  });

  it('a stroke on the drawing pad puts its posterior on the latent space and scores it', async () => {
    expect(await scatterOverlay().getAttribute('data-drawing-point')).toBe('none');
    const pad = region('Draw a digit').getByRole('img', { name: /Drawing pad/ });
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('the pad is not visible');
    // a "7": a bar across the top and a stroke down to the bottom left
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.2, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.42, box.y + box.height * 0.85, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => scatterOverlay().getAttribute('data-drawing-point'), { timeout: 20_000 }).toBe('shown');
    await expect.poll(() => region('Draw a digit').getByTestId('drawing-score').count()).toBe(1);
    expect(await region('Draw a digit').getByText(/How typical is your digit\?/).count()).toBe(1);
    // and its −ELBO on the anomaly histogram
    expect(await region('Anomaly detection').locator('.hist-marker').count()).toBe(1);
  });

  it('a file that is not a PNG or JPEG gets a clear message', async () => {
    await region('Draw a digit').getByLabel('Open a picture of a digit').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture\n') });
    const alert = region('Draw a digit').getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/“notes\.txt” is not a PNG or JPEG image \(it looks like text\)/);
  });

  it('the IWAE curve rises with k, from the ELBO at k = 1', async () => {
    const iwae = region('Log-likelihood (IWAE)');
    await iwae.getByRole('button', { name: 'Estimate' }).click();
    await expect.poll(() => iwae.getByRole('progressbar', { name: 'IWAE progress' }).count(), { timeout: 10_000 }).toBe(1);
    const chart = iwae.locator('svg.iwae-chart');
    await expect.poll(() => chart.count(), { timeout: 240_000 }).toBe(1);
    const bounds = JSON.parse((await chart.getAttribute('data-bounds')) ?? '[]') as number[];
    expect(bounds).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(bounds[i]).toBeGreaterThanOrEqual(bounds[i - 1]);
    expect(bounds[3]).toBeGreaterThan(bounds[0]);
    expect(bounds.every((b) => b < 0 && b > -400)).toBe(true);
    // (paused since the drag above)
    await page.waitForTimeout(500);
    await page.locator('.labs').scrollIntoViewIfNeeded();
    await screenshot(page, '40-use-the-model');
    await page.locator('.labs').screenshot({ path: 'screenshots/41-use-the-model-tab.png' });
    await page.getByRole('region', { name: 'Latent space' }).screenshot({ path: 'screenshots/42-latent-overlay.png' });
  });

  it('the preset “Interpolate a 7 into a 1” walks from a test 7 to a test 1', async () => {
    await page.getByLabel('Presets', { exact: true }).selectOption({ label: 'Interpolate a 7 into a 1' });
    const ends = region('Interpolation').locator('.interp-ends');
    await expect.poll(() => ends.textContent(), { timeout: 20_000 }).toMatch(/A · test #\d+ \(7\).*test #\d+ \(1\) · B/);
    expect(await page.getByRole('tab', { name: 'Use the model' }).getAttribute('aria-selected')).toBe('true');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
