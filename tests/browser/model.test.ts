/**
 * The page organised around the model: the Model select at the top of the settings, the Presets
 * that set up a lesson in one click (a preset is a URL), and the labs in tabs below the core loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('the model and the presets', () => {
  it('offers the Model select first, with the VAE, and the core loop above the lab tabs', async () => {
    const { page, errors } = await openPage(h);
    const settings = page.getByRole('complementary', { name: 'Settings' });
    const model = settings.getByLabel('Model', { exact: true });
    await expect.poll(() => model.inputValue()).toBe('vae');
    expect(await model.locator('option').first().textContent()).toBe('VAE');
    // the first control of the model section is the Model select
    const firstField = settings.getByRole('region', { name: 'Data & model' }).locator('select, input').first();
    expect(await firstField.getAttribute('id')).toBe(await model.getAttribute('id'));
    for (const name of ['Latent space', 'Decoded point', 'Decoder grid', 'Loss curves']) {
      expect(await page.getByRole('region', { name }).count(), name).toBe(1);
    }
    const tabs = page.getByRole('tablist', { name: 'Labs' }).getByRole('tab');
    expect(await tabs.allTextContents()).toEqual(['β-VAE lab', 'AE vs VAE', 'Semi-supervised', 'Use the model', 'Sample quality']);
    // the lab tab shows its panels; the other tab's are not on the page until chosen
    expect(await page.getByRole('region', { name: 'Latent traversals' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Autoencoder vs VAE' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'AE vs VAE' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Autoencoder vs VAE' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Latent traversals' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'AE vs VAE' }).getAttribute('aria-selected')).toBe('true');
    // arrow keys move between tabs
    await page.getByRole('tab', { name: 'AE vs VAE' }).press('ArrowLeft');
    expect(await page.getByRole('tab', { name: 'β-VAE lab' }).getAttribute('aria-selected')).toBe('true');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a preset sets up its lesson: the settings, the URL, the tab and what to watch', async () => {
    const { page, errors } = await openPage(h);
    const settings = page.getByRole('complementary', { name: 'Settings' });
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByRole('tab', { name: 'AE vs VAE' }).click();
    await settings.getByLabel('Presets').selectOption({ label: 'β-VAE and disentanglement' });
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#data=shapes&z=10&beta=4');
    expect(await settings.getByLabel('Dataset').inputValue()).toBe('shapes');
    expect(await settings.getByLabel('Latent dimensions').inputValue()).toBe('10');
    expect(await settings.getByLabel('β (KL weight)', { exact: true }).inputValue()).toBe('4');
    expect(await page.getByRole('tab', { name: 'β-VAE lab' }).getAttribute('aria-selected')).toBe('true');
    expect(await settings.getByText(/MIG/).first().textContent()).toMatch(/traversals and the MIG/);
    // the new model trains on the new data
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    await screenshot(page, '30-preset-beta-vae');
    // another preset after training asks before discarding the model
    await page.getByRole('button', { name: 'Step' }).click();
    // the step waits behind the new data set's generation and the first latent report
    await expect.poll(() => page.getByRole('region', { name: 'Training' }).getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/Step [1-9]/);
    await settings.getByLabel('Presets').selectOption({ label: 'AE vs VAE' });
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.textContent()).toMatch(/AE vs VAE.*needs a new model/);
    await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
    // the lesson is the defaults (MNIST, two latent dimensions): the URL holds nothing else
    await expect.poll(() => settings.getByLabel('Dataset').inputValue()).toBe('mnist');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await settings.getByLabel('Latent dimensions').inputValue()).toBe('2');
    expect(await page.getByRole('tab', { name: 'AE vs VAE' }).getAttribute('aria-selected')).toBe('true');
    expect(errors).toEqual([]);
    await page.close();
  });
});
