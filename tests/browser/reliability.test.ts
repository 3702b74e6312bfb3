/**
 * Reliability in the real page: a run that explodes with finite numbers is caught like a NaN;
 * messages never vanish or widen the page (five bad URL parameters, a 100 KB hash); a refused
 * field value goes back with its reason beside it; a truncated data file says so; and a training
 * worker killed from the test (an uncaught error, a hung step) is replaced by a new one that goes
 * on from the last weights the page kept.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_EVERY_MS, UNTIMED_TIMEOUT_MS } from '../../src/worker/protocol';
import { audit, describeFindings, seriousOrWorse } from './axe';
import { currentStep, figure, openPage, ROOT, screenshot, startHarness, waitForStep, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function trainable(page: Page, timeout = 90_000): Promise<void> {
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout }).toBe(true);
}

function trainingWorker(page: Page): Worker {
  const workers = page.workers().filter((w) => /training\.worker/.test(w.url()));
  if (workers.length !== 1) throw new Error(`expected one training worker, found ${workers.map((w) => w.url()).join(', ') || 'none'}`);
  return workers[0];
}

/** The page is no wider than its window. */
async function fitsTheWindow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

describe('divergence beyond NaN', () => {
  it('catches a Gaussian-likelihood run that blows up at a learning rate of 10, and keeps the figures sane', async () => {
    const { page, errors } = await openPage(h, 'lik=gaussian&lr=10');
    await trainable(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: /(exploded|blew up|became (NaN|infinite)) near step/ });
    await expect.poll(() => alert.count(), { timeout: 90_000 }).toBeGreaterThan(0);
    const text = (await alert.first().textContent()) ?? '';
    const restored = Number(/the weights of step (\d+), the last sane ones/.exec(text)?.[1]);
    expect(Number.isInteger(restored)).toBe(true);
    expect(await currentStep(page)).toBe(restored);
    // what the page shows is the last sane report, not a KL of 121,986,992
    expect(Math.abs(await figure(page, 'kl-value'))).toBeLessThan(10_000);
    expect(Math.abs(await figure(page, 'elbo-value'))).toBeLessThan(100_000);
    expect(await page.getByRole('button', { name: 'Restore and halve the learning rate' }).count()).toBe(1);
    const bad = seriousOrWorse(await audit(page));
    expect(bad, describeFindings(bad)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('messages', () => {
  it('groups five bad URL parameters under one line, drops none, and lists each', async () => {
    const { page, errors } = await openPage(h, 'z=9999&beta=abc&lr=-1&foo=1&bar=2');
    const group = page.getByRole('region', { name: 'Messages' }).locator('details.notice-group');
    await expect.poll(() => group.count()).toBe(1);
    expect(await group.locator('summary').textContent()).toBe('5 URL parameters were ignored');
    // open, with the list: the first explanation (z = 9999) is there to read
    expect(await group.getAttribute('open')).not.toBeNull();
    const items = await group.locator('li').allTextContents();
    expect(items).toHaveLength(5);
    expect(items[0]).toMatch(/Latent dimensions: “9999” is not one of 2, 3, 5, 10, 20, 32; using 2/);
    expect(items.join(' ')).toMatch(/“foo”.*“bar”/);
    await screenshot(page, '60-url-messages');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('never grows wider than the window, whatever the URL (a 100 KB hash)', async () => {
    const long = 'a'.repeat(50_000);
    const { page, errors } = await openPage(h, `beta=${long}&${long}=1`);
    await expect.poll(() => page.getByText(/is not a number/).count()).toBeGreaterThan(0);
    const size = await fitsTheWindow(page);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    // the value is quoted shortened, with an ellipsis
    const quoted = await page.getByText(/β \(KL weight\): “a+…” is not a number/).first().textContent();
    expect(quoted?.length).toBeLessThan(120);
    await trainable(page);
    expect(errors).toEqual([]);
    await screenshot(page, '61-long-hash');
    // and on a phone-sized window
    await page.setViewportSize({ width: 360, height: 740 });
    // the plots re-measure their panels in the frames after the window narrows (a ResizeObserver, then
    // React's render): the page must fit once that has happened, and keep fitting
    await expect.poll(async () => { const s = await fitsTheWindow(page); return s.scrollWidth - s.innerWidth; }, { timeout: 3_000 }).toBeLessThanOrEqual(0);
    await page.waitForTimeout(500);
    const small = await fitsTheWindow(page);
    expect(small.scrollWidth).toBeLessThanOrEqual(small.innerWidth);
    await page.close();
  });

  it('puts a refused value back to the one in force, with the reason next to the field', async () => {
    const { page } = await openPage(h);
    await trainable(page);
    const beta = page.getByLabel('β (KL weight)', { exact: true });
    await beta.fill('abc');
    await beta.press('Enter');
    expect(await beta.inputValue()).toBe('1');
    expect(await beta.getAttribute('aria-invalid')).toBe('true');
    const described = await beta.getAttribute('aria-describedby');
    expect(described).toBeTruthy();
    const message = page.locator(`[id="${described}"]`);
    expect(await message.textContent()).toBe('β (KL weight): “abc” is not a number. Kept 1.');
    // the message sits with the field, in the settings
    expect(await page.getByRole('complementary', { name: 'Settings' }).locator(`[id="${described}"]`).count()).toBe(1);
    await screenshot(page, '62-refused-value');
    // a good value clears it
    await beta.fill('2');
    await beta.press('Enter');
    expect(await beta.getAttribute('aria-invalid')).toBeNull();
    expect(await beta.getAttribute('aria-describedby')).toBeNull();
    expect(await message.count()).toBe(0);
    await page.close();
  });

  it('says a data file is truncated, with the bytes that came', async () => {
    const context = await h.browser.newContext();
    // the first half of the real gzip file, as a download cut short would leave it
    const gz = readFileSync(path.join(ROOT, 'dist/data/mnist-train-labels.idx.gz'));
    await context.route('**/data/mnist-train-labels.idx.gz', (route) => route.fulfill({ status: 200, contentType: 'application/gzip', body: gz.subarray(0, gz.length >> 1) }));
    const page = await context.newPage();
    await page.goto(h.url);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await expect.poll(() => alert.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await alert.first().textContent()).toMatch(/mnist-train-labels\.idx\.gz is truncated: the server sent [\d,]+ of its [\d,]+ bytes; run `npm run prepare-data` and reload\./);
    expect(await alert.first().textContent()).not.toMatch(/Failed to fetch/);
    await context.close();
  });
});

describe('a training worker that dies', () => {
  it('is replaced after an uncaught error, and the run goes on from the last weights the page kept', async () => {
    const { page, errors } = await openPage(h);
    await trainable(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 560);
    await page.getByRole('button', { name: 'Pause' }).click();
    const before = trainingWorker(page);
    const closed = new Promise<void>((resolve) => before.once('close', () => resolve()));
    // an uncaught error inside the worker, as a bug in a step would throw
    await before.evaluate(() => {
      setTimeout(() => {
        throw new Error('killed by the test');
      }, 0);
    });
    const notice = page.getByRole('alert').filter({ hasText: 'The training worker stopped' });
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
    expect(await notice.textContent()).toMatch(/^The training worker stopped \(an uncaught error: .*killed by the test\)\. A new one has started with the weights of step 500, the last copy the page kept; press Train to go on\./);
    await closed; // the old worker is gone
    await trainable(page);
    expect(await currentStep(page)).toBe(500);
    await screenshot(page, '70-worker-restarted');
    expect(trainingWorker(page)).not.toBe(before);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitForStep(page, 540);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(Number.isFinite(await figure(page, 'elbo-value'))).toBe(true);
    // the page's own error log holds the worker's uncaught error, nothing else
    expect(errors.filter((e) => !/killed by the test/.test(e))).toEqual([]);
    await page.close();
  });

  it('is replaced when a step hangs (its heartbeat stops)', async () => {
    const { page } = await openPage(h);
    await trainable(page);
    await page.getByRole('button', { name: 'Step' }).click();
    // the first step waits behind the first latent report of the new model (seconds on a loaded machine)
    await expect.poll(() => currentStep(page), { timeout: 60_000 }).toBe(1);
    // let a heartbeat tell the page how long a step takes (until one does, it allows a minute)
    await page.waitForTimeout(2 * HEARTBEAT_EVERY_MS);
    const before = trainingWorker(page);
    // a step that never returns: the worker's thread spins, no message leaves it
    void before.evaluate(() => {
      for (;;) {
        // hang
      }
    }).catch(() => undefined);
    const notice = page.getByRole('alert').filter({ hasText: 'The training worker stopped' });
    // within the silence allowed (20 s once a step was timed, a minute before), and some slack for a loaded machine
    await expect.poll(() => notice.count(), { timeout: UNTIMED_TIMEOUT_MS + 30_000 }).toBe(1);
    expect(await notice.textContent()).toMatch(/^The training worker stopped \(it stopped answering for \d+ s, a step may have hung\)\. A new one has started from fresh weights/);
    await trainable(page);
    await page.getByRole('button', { name: 'Step' }).click();
    // the first step waits behind the first latent report of the new model (seconds on a loaded machine)
    await expect.poll(() => currentStep(page), { timeout: 60_000 }).toBe(1);
    await page.close();
  });
});
