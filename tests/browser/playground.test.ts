/**
 * The real page in real Chromium: load MNIST, train, watch the −ELBO fall, drag the probe, turn
 * β up, reset, survive a learning rate of 100 (clamped to 10, with a warning; restored and halved
 * in one click), and never log a console error.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStep, figure, openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
let page: Page;
let errors: string[];

async function pixels(page: Page, region: string): Promise<string> {
  return page.getByRole('region', { name: region }).locator('canvas').first().evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

async function pressTrain(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
}

async function pressPause(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1);
}

async function setField(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Enter');
}

beforeAll(async () => {
  h = await startHarness();
  ({ page, errors } = await openPage(h));
});
afterAll(async () => {
  await h?.close();
});

describe('the playground', () => {
  it('loads the data and offers Train once a model is ready', async () => {
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByRole('progressbar', { name: 'Data loading' }).count()).toBe(0);
    for (const name of ['Loss curves', 'Latent space', 'Decoder grid', 'Decoded point']) {
      expect(await page.getByRole('region', { name }).count(), name).toBe(1);
    }
    for (const label of ['Dataset', 'Latent dimensions', 'β (KL weight)', 'Learning rate', 'Batch size', 'Likelihood']) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    expect(await currentStep(page)).toBe(0);
    // no hardware GPU here: the backend race is skipped, and the page says why
    await expect.poll(() => page.locator('.backend-reason').textContent()).toMatch(/no backend race: (WebGL runs on a software renderer here|this browser offers no WebGL2)/);
    await screenshot(page, '01-loaded');
  });

  it('trains in the worker: the −ELBO falls over 300 steps', async () => {
    await pressTrain(page);
    await waitForStep(page, 40);
    const early = await figure(page, 'elbo-value');
    await waitForStep(page, 320);
    const late = await figure(page, 'elbo-value');
    expect(Number.isFinite(early)).toBe(true);
    expect(late).toBeLessThan(early - 20);
    await screenshot(page, '02-trained-300');
  });

  it('shows at least 1,000 test points in the latent scatter', async () => {
    const scatter = page.getByRole('region', { name: 'Latent space' });
    await expect.poll(async () => Number(await scatter.locator('[data-point-count]').first().getAttribute('data-point-count'))).toBeGreaterThanOrEqual(1000);
  });

  it('dragging the probe changes the decoded image', async () => {
    const before = await pixels(page, 'Decoded point');
    const probe = page.getByRole('button', { name: 'Latent probe' });
    const box = await probe.boundingBox();
    if (!box) throw new Error('the probe is not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y - 90, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => pixels(page, 'Decoded point'), { timeout: 10_000 }).not.toBe(before);
    // and with the keyboard
    const afterDrag = await pixels(page, 'Decoded point');
    await probe.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => pixels(page, 'Decoded point'), { timeout: 10_000 }).not.toBe(afterDrag);
  });

  it('while training, the dragged probe is decoded by the decoder’s copy and the image follows each move', async () => {
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    const probe = page.getByRole('button', { name: 'Latent probe' });
    const box = await probe.boundingBox();
    if (!box) throw new Error('the probe is not visible');
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    const stepBefore = await currentStep(page);
    await page.mouse.move(x, y);
    await page.mouse.down();
    let shown = await pixels(page, 'Decoded point');
    for (let i = 1; i <= 5; i++) {
      await page.mouse.move(x - 18 * i, y + 12 * i);
      await expect.poll(() => pixels(page, 'Decoded point'), { timeout: 10_000 }).not.toBe(shown);
      shown = await pixels(page, 'Decoded point');
    }
    await page.mouse.up();
    const latency = page.locator('.decoded-latency');
    await expect.poll(() => latency.textContent(), { timeout: 10_000 }).toMatch(/by the decoder’s copy \(weights of step [\d,]+\)/);
    const copyStep = Number(/step ([\d,]+)/.exec((await latency.textContent()) ?? '')?.[1].replace(/,/g, ''));
    // the copy follows training: weights of a step taken while the probe moved; the status bar
    // (updated every report, ~20 steps) reaches that step soon after
    expect(copyStep).toBeGreaterThan(0);
    await expect.poll(() => currentStep(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(copyStep);
    expect(await currentStep(page)).toBeGreaterThan(stepBefore);
    await screenshot(page, '02b-drag-while-training');
  });

  it('β = 8 during training lowers the KL term within a few hundred steps', async () => {
    const klBefore = await figure(page, 'kl-value');
    const stepBefore = await currentStep(page);
    await setField(page, 'β (KL weight)', '8');
    await waitForStep(page, stepBefore + 300);
    const klAfter = await figure(page, 'kl-value');
    expect(klAfter).toBeLessThan(klBefore * 0.7);
    await screenshot(page, '03-beta-8');
  });

  it('Reset returns to step 0', async () => {
    await pressPause(page);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => currentStep(page)).toBe(0);
  });

  it('a learning rate of 100 is clamped to 10 with a warning, diverges, and one click restores the last sane weights at half the rate', async () => {
    await setField(page, 'β (KL weight)', '1');
    await setField(page, 'Learning rate', '100');
    const lr = page.getByLabel('Learning rate', { exact: true });
    expect(await lr.inputValue()).toBe('10');
    // not a silent clamp: the field says what happened, and warns while the rate is in force
    const notes = (await lr.getAttribute('aria-describedby'))?.split(' ') ?? [];
    expect(notes).toHaveLength(2);
    expect(await page.locator(`[id="${notes[0]}"]`).textContent()).toBe('Learning rate 100 is above the maximum; set to 10.');
    expect(await page.locator(`[id="${notes[1]}"]`).textContent()).toMatch(/^Learning rate 10 is above 0\.01: the fastest rate at which every model trains here/);
    // no waiting for "Pause": the run may diverge and pause itself within a fraction of a second
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: /(became (NaN|infinite)|exploded|blew up) near step/ });
    await expect.poll(() => alert.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await alert.first().textContent()).toMatch(/learning rate 10, probably too high\)\. Training is paused and the weights of step \d+, the last sane ones, are restored/);
    expect(await page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1); // paused
    await screenshot(page, '04-diverged');
    // one click: back to the last sane weights at half the rate
    await page.getByRole('button', { name: 'Restore and halve the learning rate' }).click();
    await expect.poll(() => lr.inputValue()).toBe('5');
    await expect.poll(() => page.getByText(/^Restored the weights of step \d+; the learning rate is 5\. Press Train to go on\.$/).count()).toBe(1);
    // the page still works: a sane learning rate trains on from the restored weights
    await setField(page, 'Learning rate', '0.001');
    expect(await page.locator('.field-caution').count()).toBe(0);
    const step = await currentStep(page);
    await pressTrain(page);
    await waitForStep(page, step + 40);
    await pressPause(page);
    expect(Number.isFinite(await figure(page, 'elbo-value'))).toBe(true);
    await screenshot(page, '05-restored-and-trained');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
