/**
 * Your own images in the real page: choose the data set, give a zip with a folder per class (and
 * a text file), see the count per class, the preview and why a file was not used; train on them;
 * then a JPEG, a big PNG and a picture too large to decode, at 32×32.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStep, figure, openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';
import { png, pngHeaderOnly, shapesZip } from './images';

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

const panel = () => page.getByRole('region', { name: 'Your own images' });

/** A JPEG made by the page's own canvas: a light stroke on a dark ground. */
async function jpeg(): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(120, 90);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, 120, 90);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 10;
    ctx.beginPath();
    ctx.moveTo(20, 70);
    ctx.lineTo(100, 20);
    ctx.stroke();
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(base64, 'base64');
}

describe('your own images', () => {
  it('are offered by the Dataset select, with the limits stated', async () => {
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
    const select = page.getByLabel('Dataset', { exact: true });
    expect(await select.locator('option').allTextContents()).toEqual(['MNIST digits', 'Fashion-MNIST', 'Shapes (dSprites factors)', 'Your own images']);
    await select.selectOption('own');
    await expect.poll(() => panel().count()).toBe(1);
    expect(await panel().textContent()).toMatch(/up to 20,000 images, each at most 50 MB and 40 megapixels/);
    // nothing to train on yet
    expect(await page.getByRole('button', { name: 'Train', exact: true }).isEnabled()).toBe(false);
  });

  it('lets you go back to MNIST before choosing any, and trains it again', async () => {
    // MNIST is still in the worker: the page must hear it is ready without a download
    const select = page.getByLabel('Dataset', { exact: true });
    await select.selectOption('mnist');
    const dialog = page.getByRole('alertdialog');
    if (await dialog.count()) await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('.data-banner').count()).toBe(0);
    await select.selectOption('own');
    await expect.poll(() => panel().count()).toBe(1);
  });

  it('reads a zip with a folder per class: the count, the preview, and the file that is not an image', async () => {
    await panel().getByLabel('Images to train on', { exact: true }).setInputFiles({ name: 'shapes.zip', mimeType: 'application/zip', buffer: Buffer.from(shapesZip()) });
    await expect.poll(() => panel().getByTestId('own-count').textContent(), { timeout: 30_000 }).toMatch(/8 images in 2 classes: circles 4, squares 4, 28×28 grey\. 8 light backgrounds were made dark\. 1 held out for testing\./);
    await panel().getByText('1 file not used').click();
    expect(await panel().locator('.own-skipped li').allTextContents()).toEqual(['shapes/notes.txt: not a PNG or JPEG image (a text file)']);
    // the preview shows light shapes on dark: the middle of the first tile is bright
    const centre = await panel().getByRole('img').evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const tile = canvas.width / Math.min(12, 8);
      return [ctx.getImageData(Math.floor(tile / 2), Math.floor(tile / 2), 1, 1).data[0], ctx.getImageData(1, 1, 1, 1).data[0]];
    });
    expect(centre[0]).toBeGreaterThan(200);
    expect(centre[1]).toBeLessThan(40);
    await screenshot(page, '42-own-images-preview');
  });

  it('trains on them', async () => {
    await panel().getByRole('button', { name: 'Train on these images' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await panel().textContent()).toMatch(/The model trains on these images/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 30);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(Number.isFinite(await figure(page, 'elbo-value'))).toBe(true);
    const legend = page.getByRole('region', { name: 'Latent space' }).getByRole('group', { name: 'Classes (click to highlight)' });
    expect(await legend.getByRole('button').allTextContents()).toEqual(['circles', 'squares']);
    await screenshot(page, '43-own-images-training');
  });

  it('takes a JPEG and a big PNG at 32×32, and refuses a picture too large to decode', async () => {
    await panel().getByLabel('Size').selectOption('32');
    const big = png(3000, 2000, (x, y) => ((x - 1500) ** 2 + (y - 1000) ** 2 < 600 ** 2 ? [255, 255, 255] : [0, 0, 0]));
    await panel()
      .getByLabel('Images to train on', { exact: true })
      .setInputFiles([
        { name: 'stroke.jpg', mimeType: 'image/jpeg', buffer: await jpeg() },
        { name: 'big.png', mimeType: 'image/png', buffer: Buffer.from(big) },
        { name: 'giant.png', mimeType: 'image/png', buffer: Buffer.from(pngHeaderOnly(9000, 9000)) },
      ]);
    await expect.poll(() => panel().getByTestId('own-count').textContent(), { timeout: 60_000 }).toMatch(/^2 images, 32×32 grey\. 1 held out for testing\.$/);
    expect(await panel().locator('.own-skipped li').allTextContents()).toEqual(['giant.png: 9,000×9,000 pixels is more than the 40 megapixels allowed']);
    // the big picture's disc fills the middle of its tile; its corners stay dark
    await panel().getByRole('button', { name: 'Train on these images' }).click();
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.count()).toBe(1);
    await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => currentStep(page)).toBe(1);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
