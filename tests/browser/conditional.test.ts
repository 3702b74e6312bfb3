/**
 * The conditional VAE, M2 and the learned priors in the real page: #model=cvae trains and the
 * Class picker changes the decoded image (and the strip shows one z as every class); #prior=mog
 * trains and the scatter draws the prior's components; the VampPrior shows its pseudo-inputs; M2
 * reports its classifier's test accuracy.
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

function canvasOf(page: Page, region: string): Promise<string> {
  return page.getByRole('region', { name: region }).locator('canvas').first().evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

async function train(page: Page, steps: number): Promise<void> {
  const button = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => button.isEnabled(), { timeout: 90_000 }).toBe(true);
  await button.click();
  await waitForStep(page, steps, 240_000);
  await page.getByRole('button', { name: 'Pause' }).click();
}

describe('conditional and semi-supervised models, learned priors', () => {
  it('#model=cvae trains, and the Class picker changes the decoded image', async () => {
    const { page, errors } = await openPage(h, 'model=cvae');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await expect.poll(() => settings.getByLabel('Model', { exact: true }).inputValue()).toBe('cvae');
    expect(await settings.getByLabel('Model', { exact: true }).locator('option:checked').textContent()).toBe('Conditional VAE');
    await train(page, 600);
    const picker = page.getByLabel('Class', { exact: true });
    await expect.poll(() => picker.locator('option').count()).toBe(10);
    await expect.poll(() => page.getByRole('region', { name: 'Decoded point' }).locator('canvas').count()).toBe(1);
    await page.waitForTimeout(500);
    const before = await canvasOf(page, 'Decoded point');
    await picker.selectOption('7');
    await expect.poll(() => canvasOf(page, 'Decoded point'), { timeout: 10_000 }).not.toBe(before);
    expect(await page.getByRole('region', { name: 'Decoded point' }).textContent()).toMatch(/class 7/);
    // a move of the probe is decoded as class 7 by the decoder's copy in its own worker
    const picked = await canvasOf(page, 'Decoded point');
    await page.getByRole('button', { name: 'Latent probe' }).focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => canvasOf(page, 'Decoded point'), { timeout: 10_000 }).not.toBe(picked);
    await expect.poll(() => page.locator('.decoded-latency').textContent(), { timeout: 10_000 }).toMatch(/by the decoder’s copy \(weights of step [\d,]+\)/);
    expect(await page.getByRole('region', { name: 'Decoded point' }).textContent()).toMatch(/class 7/);
    // the strip: one z as every class, the picked one outlined
    const strip = page.getByRole('region', { name: 'Same z, every class' });
    await expect.poll(() => strip.getByRole('button').count()).toBe(10);
    expect(await strip.getByRole('button', { name: 'Decode as 7' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('region', { name: 'Latent space' }).textContent()).toMatch(/style, not the class/);
    await screenshot(page, '60-cvae-class-picker');
    await strip.getByRole('button', { name: 'Decode as 3' }).click();
    await expect.poll(() => picker.inputValue()).toBe('3');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('#prior=mog trains and the scatter draws the prior’s components', async () => {
    const { page, errors } = await openPage(h, 'prior=mog');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await expect.poll(() => settings.getByLabel('Prior').inputValue()).toBe('mog');
    expect(await settings.getByLabel('Components').inputValue()).toBe('10');
    await train(page, 400);
    const scatter = page.getByRole('region', { name: 'Latent space' });
    await expect.poll(() => scatter.locator('g.prior-component').count(), { timeout: 30_000 }).toBe(10);
    expect(await scatter.textContent()).toMatch(/learned prior’s 10 components/);
    const prior = page.getByRole('region', { name: 'Prior components' });
    expect(await prior.textContent()).toMatch(/log q\(z\|x\) − log p\(z\)/);
    // sampling the grid from one component
    const gridBefore = await canvasOf(page, 'Decoder grid');
    await prior.getByRole('button', { name: '3', exact: true }).click();
    await expect.poll(() => canvasOf(page, 'Decoder grid'), { timeout: 10_000 }).not.toBe(gridBefore);
    expect(await page.getByRole('region', { name: 'Decoder grid' }).textContent()).toMatch(/component 3/);
    expect(await page.getByRole('region', { name: 'Decoded point' }).textContent()).toMatch(/claims the probe/);
    await screenshot(page, '61-mog-prior-components');
    // the model diagram has the mixture's node beside the KL, with its ten weights as bars
    const diagram = page.getByRole('region', { name: 'Model diagram' });
    await expect.poll(() => diagram.locator('[data-node="prior"] .diagram-bars rect').count(), { timeout: 10_000 }).toBe(10);
    expect(await diagram.locator('[data-node="prior"]').textContent()).toMatch(/mixture/);
    expect(await diagram.textContent()).toMatch(/under a learned prior/);
    // the standard normal has no Components setting
    await settings.getByLabel('Prior').selectOption('standard');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard and rebuild' }).click();
    await expect.poll(() => settings.getByLabel('Components').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the VampPrior shows its pseudo-inputs', async () => {
    const { page, errors } = await openPage(h, 'prior=vamp&components=20');
    await train(page, 300);
    const pseudo = page.getByRole('region', { name: 'VampPrior pseudo-inputs' });
    await expect.poll(() => pseudo.locator('canvas').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'Latent space' }).locator('g.prior-component').count()).toBe(20);
    await screenshot(page, '62-vamp-pseudo-inputs');
    // the model diagram's prior node shows the first pseudo-input
    await expect.poll(() => page.getByRole('region', { name: 'Model diagram' }).locator('[data-node="prior"] canvas.grey-image').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('M2 reports its classifier’s test accuracy', async () => {
    const { page, errors } = await openPage(h, 'model=m2&labelled=100');
    const settings = page.getByRole('complementary', { name: 'Settings' });
    expect(await settings.getByLabel('Labelled examples').inputValue()).toBe('100');
    await page.getByRole('tab', { name: 'Semi-supervised' }).click();
    await train(page, 200);
    const panel = page.getByRole('region', { name: 'Classifier' });
    const accuracy = panel.getByRole('status', { name: 'Classifier test accuracy' });
    // the report after 200 steps (the first, at step 0, is chance)
    await expect.poll(async () => /step [1-9]/.test((await panel.textContent()) ?? ''), { timeout: 120_000 }).toBe(true);
    const percent = Number(((await accuracy.textContent()) ?? '').replace('%', ''));
    expect(percent).toBeGreaterThan(30); // chance is 10%
    await screenshot(page, '63-m2-classifier');
    expect(errors).toEqual([]);
    await page.close();
  });
});
