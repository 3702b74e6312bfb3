/**
 * Keep and share in the real page: save a model to the browser, reload, load it and train on;
 * the autosaved run offered back after a reload; download a model file and load it back (dropped
 * on the page); a corrupt file refused with the model untouched; Export for PyTorch; Copy link; a
 * link to a lesson.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../../src/core/io/modelFile';
import { listZip } from '../../src/core/io/zipReader';
import { currentStep, figure, openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

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

const bar = () => page.getByRole('region', { name: 'Keep and share' });

async function ready(): Promise<void> {
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
}

async function trainTo(steps: number): Promise<number> {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, steps);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1);
  // a step in flight at the pause may still land
  await page.waitForTimeout(500);
  return currentStep(page);
}

async function lastNotice(): Promise<string> {
  // errors are role=alert, not listitem
  return (await page.getByRole('region', { name: 'Messages' }).locator('li').last().textContent()) ?? '';
}

async function download(button: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [d] = await Promise.all([page.waitForEvent('download'), bar().getByRole('button', { name: button }).click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) };
}

describe('keep and share', () => {
  let saved = 0;

  it('saves a model in this browser: the list shows its name, data set, step and −ELBO', async () => {
    await ready();
    saved = await trainTo(60);
    await bar().getByRole('button', { name: 'Save model' }).click();
    await expect.poll(lastNotice).toMatch(/Saved “VAE on MNIST, step [\d,]+” in this browser/);
    await bar().getByRole('button', { name: /Saved in this browser \(1\)/ }).click();
    const row = page.getByRole('table', { name: 'Models saved in this browser' }).getByRole('row').nth(1);
    expect(await row.textContent()).toMatch(new RegExp(`VAE on MNIST, step ${saved}.*MNIST.*${saved}`));
    await screenshot(page, '40-keep-saved-list');
  });

  it('after a reload offers the last run back, and resumes it at its step', async () => {
    await page.reload();
    const offer = page.getByRole('alertdialog', { name: 'Resume your last run?' });
    await expect.poll(() => offer.count(), { timeout: 30_000 }).toBe(1);
    const text = (await offer.textContent()) ?? '';
    const step = Number(/step ([\d,]+)/.exec(text)?.[1].replace(/,/g, ''));
    expect(step).toBeGreaterThanOrEqual(saved);
    await screenshot(page, '41-resume-offer');
    await ready();
    await offer.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => currentStep(page), { timeout: 30_000 }).toBe(step);
    expect(await offer.count()).toBe(0);
    // the loss chart came back with the run
    expect(await page.getByRole('region', { name: 'Loss curves' }).locator('svg path').count()).toBeGreaterThan(0);
  });

  it('loads the model saved in the browser and trains on from its step', async () => {
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => currentStep(page)).toBe(0);
    await bar().getByRole('button', { name: /Saved in this browser/ }).click();
    const list = page.getByRole('table', { name: 'Models saved in this browser' });
    const row = list.getByRole('row').filter({ hasText: `VAE on MNIST, step ${saved}` });
    await row.getByRole('button', { name: 'Load', exact: true }).click();
    await expect.poll(() => currentStep(page), { timeout: 30_000 }).toBe(saved);
    expect(await lastNotice()).toMatch(new RegExp(`Loaded “VAE on MNIST, step ${saved}”`));
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => currentStep(page)).toBe(saved + 1);
    expect(Number.isFinite(await figure(page, 'elbo-value'))).toBe(true);
  });

  it('downloads a model file and loads it back; a corrupt file is refused and the model stays', async () => {
    const step = await currentStep(page);
    const file = await download('Download model file');
    expect(file.name).toBe(`vae-on-mnist-step-${step}.vaemodel`);
    const read = readModelFile(file.bytes);
    expect(read.ok && read.header.progress.step).toBe(step);
    await page.getByLabel('Latent dimensions', { exact: true }).selectOption('5');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard and rebuild' }).click();
    await expect.poll(() => currentStep(page)).toBe(0);
    await ready();
    const input = page.getByLabel('Model file to load');
    await input.setInputFiles({ name: 'broken.vaemodel', mimeType: 'application/octet-stream', buffer: Buffer.from(file.bytes.subarray(0, file.bytes.length - 4096)) });
    await expect.poll(lastNotice).toMatch(/Could not load “broken\.vaemodel”: The file is cut short/);
    expect(await currentStep(page)).toBe(0);
    expect(await page.getByLabel('Latent dimensions', { exact: true }).inputValue()).toBe('5');
    // the good file dropped on the page
    await page.evaluate(
      ({ base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name));
        document.querySelector('main')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { base64: Buffer.from(file.bytes).toString('base64'), name: file.name },
    );
    await expect.poll(() => currentStep(page), { timeout: 30_000 }).toBe(step);
    // the file's settings came back with it
    expect(await page.getByLabel('Latent dimensions', { exact: true }).inputValue()).toBe('2');
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => currentStep(page)).toBe(step + 1);
  });

  it('exports for PyTorch: a zip of the weights, the script and a readme', async () => {
    const zip = await download('Export for PyTorch');
    expect(zip.name).toMatch(/^vae-on-mnist-step-\d+-pytorch\.zip$/);
    expect(listZip(zip.bytes).map((e) => e.name)).toEqual(['model.safetensors', 'vae_model.py', 'README.txt']);
  });

  it('copies a link to the settings', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    await page.getByLabel('β (KL weight)', { exact: true }).fill('4');
    await page.getByLabel('β (KL weight)', { exact: true }).press('Enter');
    await bar().getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => bar().getByRole('status').textContent()).toMatch(/Link copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${h.url}#beta=4`);
  });

  it('opens a link to a lesson with its settings and its tab', async () => {
    const { page: other, errors: otherErrors } = await openPage(h, 'preset=ae-vs-vae');
    await expect.poll(() => other.getByRole('tab', { name: 'AE vs VAE' }).getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
    expect(await other.getByLabel('Latent dimensions', { exact: true }).inputValue()).toBe('2');
    expect(await other.getByRole('region', { name: 'Messages' }).count()).toBe(0);
    expect(otherErrors).toEqual([]);
    await other.close();
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
