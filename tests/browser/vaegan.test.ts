/**
 * VAE-GAN in the real page on wasm: #model=vaegan trains, the loss chart carries both players'
 * terms, the player step buttons step, the Discriminator panel draws its histograms, and Score
 * samples answers with numbers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { currentStep, openPage, screenshot, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

it('#model=vaegan trains, steps one player, shows the discriminator and scores its samples', async () => {
  const { page, errors } = await openPage(h, 'model=vaegan&z=10');
  const settings = page.getByRole('complementary', { name: 'Settings' });
  await expect.poll(() => settings.getByLabel('Model', { exact: true }).inputValue()).toBe('vaegan');
  for (const label of ['Discriminator', 'γ (adversarial weight)', 'k_D (discriminator steps)', 'Balancing margin', 'Reconstruction in']) {
    expect(await settings.getByLabel(label, { exact: true }).count(), label).toBe(1);
  }
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => train.isEnabled(), { timeout: 120_000 }).toBe(true);
  // one discriminator step, one generator step, one of both
  await page.getByRole('button', { name: 'Step discriminator' }).click();
  await expect.poll(() => currentStep(page), { timeout: 60_000 }).toBe(1);
  await page.getByRole('button', { name: 'Step generator' }).click();
  await expect.poll(() => currentStep(page), { timeout: 60_000 }).toBe(2);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => currentStep(page), { timeout: 60_000 }).toBe(3);
  await train.click();
  await expect.poll(() => currentStep(page), { timeout: 180_000 }).toBeGreaterThan(220);
  await page.getByRole('button', { name: 'Pause' }).click();
  // the loss chart's legend names the players' terms
  const loss = page.getByRole('region', { name: 'Loss curves' });
  for (const term of ['Adversarial (G)', 'Discriminator, real', 'Discriminator, fake']) await expect.poll(() => loss.getByText(term).count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.getByRole('tab', { name: 'Sample quality' }).click();
  const panel = page.getByRole('region', { name: 'Discriminator' });
  await expect.poll(() => panel.locator('.disc-strips').getAttribute('data-reports'), { timeout: 60_000 }).not.toBe('0');
  const means = await panel.locator('figure').evaluateAll((figures) => figures.map((f) => Number(f.getAttribute('data-mean'))));
  expect(means).toHaveLength(3);
  for (const m of means) expect(m > 0 && m < 1).toBe(true);
  // the strips are painted: some pixel is not the empty background
  const painted = await panel.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200) coloured++;
    return coloured;
  });
  expect(painted).toBeGreaterThan(20);
  const quality = page.getByRole('region', { name: 'Sample quality' });
  await quality.getByRole('button', { name: 'Score samples' }).click();
  const figures = quality.locator('.quality-figures');
  await expect.poll(() => figures.count(), { timeout: 600_000, interval: 2000 }).toBe(1);
  const frechet = Number(await figures.getAttribute('data-frechet'));
  const sharpness = Number(await figures.getAttribute('data-sharpness'));
  expect(Number.isFinite(frechet) && frechet > 0).toBe(true);
  expect(sharpness > 0 && sharpness < 5).toBe(true);
  expect(await quality.getByText(/of the test set right/).textContent()).toMatch(/gets (9[0-9]|100)\.\d\d% of the test set right/);
  await screenshot(page, '60-vaegan-quality');
  expect(errors).toEqual([]);
  await page.close();
}, 900_000);
