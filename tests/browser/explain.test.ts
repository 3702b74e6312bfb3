/**
 * The page explains itself: the first-visit invitation and the tour (dismissed for good, back on
 * request), the Model diagram and the Worked example after training (Draw another ε changes z
 * and not μ), the article's outline, each Try it opening its lesson, and no console errors.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
let page: Page;
let errors: string[];

const number = (text: string | null) => Number((text ?? '').replace('−', '-').replace('×10^', 'e'));

async function cell(column: string, dim = 0): Promise<number> {
  return number(await page.getByRole('region', { name: 'Worked example' }).locator(`tr[data-dim="${dim}"] td[data-column="${column}"]`).textContent());
}

beforeAll(async () => {
  h = await startHarness();
  ({ page, errors } = await openPage(h));
});
afterAll(async () => {
  await h?.close();
});

describe('explaining the model', () => {
  it('invites a first-time visitor and offers the three-step tour', async () => {
    await expect.poll(() => page.getByText('Press Train and watch the two terms of the loss').count(), { timeout: 60_000 }).toBe(1);
    await page.getByRole('button', { name: 'Take the tour' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Step 1 of 3');
    expect(await dialog.getByRole('heading').textContent()).toBe('Train');
    await dialog.getByRole('button', { name: 'Next' }).click();
    expect(await dialog.getByRole('heading').textContent()).toBe('Drag the probe');
    await dialog.getByRole('button', { name: 'Next' }).click();
    expect(await dialog.getByRole('heading').textContent()).toBe('Raise β');
    await dialog.getByRole('button', { name: 'Close the tour' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('keeps the tour dismissed after a reload, and brings it back when asked', async () => {
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByText('Press Train and watch the two terms of the loss').count()).toBe(0);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Tour', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await page.getByRole('button', { name: 'Close the tour' }).click();
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('shows the Model diagram and the Worked example of a test image after training', async () => {
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 60);
    await page.getByRole('button', { name: 'Pause' }).click();
    const diagram = page.getByRole('region', { name: 'Model diagram' });
    const worked = page.getByRole('region', { name: 'Worked example' });
    await expect.poll(() => worked.locator('tr[data-dim]').count(), { timeout: 60_000 }).toBe(2);
    for (const key of ['term:reconstruction', 'term:kl', 'loss']) {
      await expect.poll(async () => Number.isFinite(number(await diagram.locator(`[data-live="${key}"]`).textContent())), { timeout: 30_000 }).toBe(true);
    }
    expect(await diagram.locator('canvas').count()).toBeGreaterThanOrEqual(2);
    // z = μ + σ ε with the shown (rounded) values
    for (const dim of [0, 1]) {
      const [mu, sigma, eps, z] = [await cell('mu', dim), await cell('sigma', dim), await cell('epsilon', dim), await cell('z', dim)];
      expect(Math.abs(z - (mu + sigma * eps))).toBeLessThan(2e-3 * Math.max(1, Math.abs(z)));
    }
    // hovering a node explains it with its formula
    await diagram.locator('[data-node="z"]').hover();
    await expect.poll(() => diagram.locator('.diagram-info').textContent()).toContain('reparameterised sample');
    expect(await diagram.locator('.diagram-info math').count()).toBe(1);
    await screenshot(page, 'explain-01-trained');
  });

  it('Draw another ε changes z but not μ', async () => {
    const worked = page.getByRole('region', { name: 'Worked example' });
    // the refresh after the pause has landed once the numbers stop changing
    let before = await cell('z');
    await expect
      .poll(async () => {
        const now = await cell('z');
        const same = now === before;
        before = now;
        return same;
      }, { interval: 1000, timeout: 30_000 })
      .toBe(true);
    const mu = [await cell('mu', 0), await cell('mu', 1)];
    const z = [await cell('z', 0), await cell('z', 1)];
    await worked.getByRole('button', { name: 'Draw another ε' }).click();
    await expect.poll(async () => [await cell('z', 0), await cell('z', 1)], { timeout: 30_000 }).not.toEqual(z);
    expect([await cell('mu', 0), await cell('mu', 1)]).toEqual(mu);
  });

  it('has an article whose headings form an outline (h1 → h2 → h3, no level skipped)', async () => {
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((e) => Number(e.tagName[1])));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1], `heading ${i}`).toBeLessThanOrEqual(1);
    const article = page.locator('article.article');
    expect(await article.locator('h2').count()).toBe(1);
    const sections = await article.locator('h3').allTextContents();
    expect(sections).toContain('The reparameterisation trick');
    expect(sections).toContain('References');
    expect(await article.locator('.article-references a[href^="https://"]').count()).toBe(7);
  });

  it('opens each section’s lesson with its Try it button', async () => {
    const buttons = page.locator('article.article').getByRole('button', { name: 'Try it' });
    const count = await buttons.count();
    expect(count).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < count; i++) {
      const button = buttons.nth(i);
      const preset = await button.getAttribute('data-preset');
      await button.click();
      // a trained model would be discarded: the page asks first
      if (await page.getByRole('button', { name: 'Discard and rebuild' }).count()) await page.getByRole('button', { name: 'Discard and rebuild' }).click();
      await expect.poll(() => page.getByLabel('Presets', { exact: true }).inputValue()).toBe(preset);
      expect(await page.locator('.preset-summary').count()).toBe(1);
    }
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('z=10');
    await screenshot(page, 'explain-02-after-presets');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
