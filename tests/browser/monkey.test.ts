/**
 * A seeded monkey, for every model family the Model select offers: a minute of random
 * clicks, selects, typing (numbers, nonsense, huge and empty values), key presses and drags on
 * the latent space. Afterwards there must be no uncaught error and no console error, and the
 * page must still train. The seed is printed; MONKEY_SEED repeats a run, MONKEY_SECONDS sets
 * its length per family, MONKEY_FAMILIES (ids, comma-separated) runs only those families (each
 * with the seed it has in the full run: SEED plus its place in the Model select).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_IDS } from '../../src/core/models/catalog';
import { currentStep, openPage, screenshot, startHarness, type Harness } from './harness';

const SEED = Number(process.env.MONKEY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SECONDS = Number(process.env.MONKEY_SECONDS ?? 60);
const ONLY = process.env.MONKEY_FAMILIES?.split(',').map((id) => id.trim()) ?? null;
/** The run takes SECONDS per family, plus up to 90 s for its page to train and 120 s to show it still trains. */
const TIMEOUT_MS = FAMILY_IDS.length * (SECONDS * 1000 + 240_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = ['0', '1', '-1', '2', '0.5', '1e-4', '0.001', '3', '10', '100', '9999', '1e308', '-1e308', 'NaN', 'Infinity', '-0', '0x10', 'abc', '', ' ', '1,5', '½', '😀', '<b>x</b>', 'x'.repeat(5000)];
const KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Shift+ArrowUp', 'Enter', 'Space', 'Escape', 'Tab', 'Home', 'End'];
/** Buttons that leave the page: the monkey stays on it. */
const LEAVES_THE_PAGE = /^(Try again|Reload the page)$/;

class Monkey {
  readonly log: string[] = [];
  constructor(
    private readonly page: Page,
    private readonly random: () => number,
  ) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** One of the visible, enabled elements a locator matches, or null. */
  private async anyOf(locator: Locator): Promise<Locator | null> {
    const n = await locator.count();
    for (let tries = 0; tries < 3 && n > 0; tries++) {
      const candidate = locator.nth(Math.floor(this.random() * n));
      if ((await candidate.isVisible()) && (await candidate.isEnabled().catch(() => false))) return candidate;
    }
    return null;
  }

  async act(): Promise<void> {
    const r = this.random();
    // the test's own actions may race with the page (an element re-rendered away): that is not a page error
    try {
      if (r < 0.35) await this.click();
      else if (r < 0.55) await this.select();
      else if (r < 0.75) await this.type();
      else if (r < 0.88) await this.press();
      else await this.drag();
    } catch (error) {
      this.log.push(`(skipped: ${String(error).split('\n')[0].slice(0, 80)})`);
    }
    await this.page.waitForTimeout(20 + Math.floor(this.random() * 200));
  }

  private async click(): Promise<void> {
    const target = await this.anyOf(this.page.locator('button, summary, [role="tab"], [role="button"]'));
    if (!target) return;
    const name = ((await target.textContent()) ?? '').trim();
    if (LEAVES_THE_PAGE.test(name)) return;
    this.log.push(`click ${name.slice(0, 40)}`);
    await target.click({ timeout: 1000, modifiers: this.random() < 0.1 ? ['Shift'] : [] });
  }

  private async select(): Promise<void> {
    const target = await this.anyOf(this.page.locator('select'));
    if (!target) return;
    // the Model select stays: the monkey works on one family at a time
    if ((await target.evaluate((el) => (el as HTMLSelectElement).labels?.[0]?.textContent)) === 'Model') return;
    const values = await target.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    const value = this.pick(values);
    this.log.push(`select ${(await target.getAttribute('aria-label')) ?? (await target.getAttribute('id'))} = ${value}`);
    await target.selectOption(value, { timeout: 1000 });
  }

  private async type(): Promise<void> {
    const target = await this.anyOf(this.page.locator('input:not([type="range"])'));
    if (!target) return;
    const text = this.pick(TEXTS);
    this.log.push(`type ${text.slice(0, 20)}${text.length > 20 ? '…' : ''}`);
    await target.fill(text, { timeout: 1000 });
    await target.press(this.random() < 0.7 ? 'Enter' : 'Tab', { timeout: 1000 });
  }

  private async press(): Promise<void> {
    const target = await this.anyOf(this.page.locator('input, select, button, [role="tab"], [role="button"], [tabindex="0"]'));
    if (!target) return;
    const key = this.pick(KEYS);
    this.log.push(`press ${key}`);
    await target.focus({ timeout: 1000 });
    await this.page.keyboard.press(key);
  }

  private async drag(): Promise<void> {
    const plot = this.page.getByRole('region', { name: 'Latent space' }).locator('svg').first();
    const box = (await plot.count()) ? await plot.boundingBox() : null;
    if (!box) return;
    const at = () => ({ x: box.x + this.random() * box.width, y: box.y + this.random() * box.height });
    const from = at();
    const to = at();
    this.log.push('drag the latent space');
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x, to.y, { steps: 4 });
    await this.page.mouse.up();
  }
}

/** What a stuck page shows: its status bar, every message (the folded earlier ones too) and the last console lines. */
async function diagnosis(page: Page, consoleLines: string[]): Promise<string> {
  const status = (await page.getByRole('region', { name: 'Training' }).textContent({ timeout: 10_000 }).catch(() => 'no answer')) ?? '';
  // the folded earlier messages are in the document too
  const notices = await Promise.race([page.locator('section.notices li').allTextContents(), page.waitForTimeout(10_000).then(() => ['(no answer)'])]).catch(() => ['(no answer)']);
  // alerts outside the messages (a divergence, a worker that keeps stopping) and the model in force
  const alerts = await Promise.race([page.getByRole('alert').allTextContents(), page.waitForTimeout(10_000).then(() => ['(no answer)'])]).catch(() => ['(no answer)']);
  const model = await Promise.race([page.getByRole('contentinfo').textContent(), page.waitForTimeout(10_000).then(() => '(no answer)')]).catch(() => '(no answer)');
  return [
    `status bar: ${status}`,
    `model: ${(model ?? '').slice(0, 300)}`,
    'messages:',
    ...notices.filter((t) => t.trim()).map((t) => `  ${t.slice(0, 300)}`),
    'alerts:',
    ...alerts.filter((t) => t.trim()).map((t) => `  ${t.slice(0, 300)}`),
    'console:',
    ...consoleLines.slice(-30).map((t) => `  ${t}`),
  ].join('\n');
}

/** After the monkey: answer any question, stop a comparison, pick sane values, and train. */
async function stillTrains(page: Page): Promise<void> {
  const dialog = page.getByRole('alertdialog');
  if (await dialog.count()) await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
  const cancel = page.getByRole('button', { name: 'Cancel' });
  if (await cancel.count()) await cancel.click();
  for (const [label, value] of [['Learning rate', '0.001'], ['β (KL weight)', '1']] as const) {
    const field = page.getByLabel(label, { exact: true });
    if ((await field.count()) === 0) continue;
    await field.fill(value);
    await field.press('Enter');
  }
  if (await dialog.count()) await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
  // WebGL here is a software renderer: a big conv batch on it takes minutes a step and starves the
  // page's compositor; the machine's own choice (auto: wasm on a software renderer) trains
  const backend = page.getByLabel('Backend', { exact: true });
  if ((await backend.count()) && (await backend.inputValue()) !== 'auto') {
    const advanced = page.locator('summary', { hasText: 'Advanced' });
    if (!(await backend.isVisible())) await advanced.click();
    await backend.selectOption('auto');
    if (await dialog.count()) await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
  }
  // your own images need files the monkey cannot give: a page waiting for them trains MNIST again
  const dataset = page.getByLabel('Dataset', { exact: true });
  if ((await dataset.inputValue()) === 'own') {
    await dataset.selectOption('mnist');
    if (await dialog.count()) await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
  }
  expect(await page.getByText('The training worker keeps stopping').count()).toBe(0);
  // exact: the own-images file inputs are buttons named "Images to train on"
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  if (await pause.count()) await pause.click();
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => train.isEnabled(), { timeout: 120_000 }).toBe(true);
  const before = await currentStep(page);
  await train.click();
  await expect.poll(() => currentStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(before + 5);
  // the run may have paused itself meanwhile (a divergence the monkey's settings caused)
  if (await pause.count()) await pause.click();
}

describe('a seeded monkey', () => {
  it(`leaves no error and a page that still trains, for every model family (seed ${SEED}, ${SECONDS} s each)`, async () => {
    console.log(`monkey seed ${SEED} (MONKEY_SEED=${SEED} repeats this run)`);
    const probe = await openPage(h);
    const families = await probe.page.getByLabel('Model', { exact: true }).locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await probe.page.close();
    expect(families.length).toBeGreaterThan(0);
    for (const [i, family] of families.entries()) {
      if (ONLY && !ONLY.includes(family)) continue;
      const { page, errors } = await openPage(h, `model=${family}`);
      const consoleLines: string[] = [];
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text().slice(0, 300)}`));
      await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
      const monkey = new Monkey(page, rng(SEED + i));
      const until = Date.now() + SECONDS * 1000;
      let actions = 0;
      while (Date.now() < until) {
        await monkey.act();
        actions += 1;
      }
      console.log(`monkey on ${family}: ${actions} actions; the last ones: ${monkey.log.slice(-8).join(' · ')}`);
      await screenshot(page, `80-monkey-${family}`);
      await stillTrains(page).catch(async (error: unknown) => {
        // a page that no longer paints must not hide why it failed
        await Promise.race([screenshot(page, `81-monkey-${family}-stuck`), page.waitForTimeout(15_000)]).catch(() => undefined);
        throw new Error(`the page does not train after ${actions} actions (seed ${SEED}; last: ${monkey.log.slice(-40).join(' · ')}): ${String(error)}\n${await diagnosis(page, consoleLines)}`);
      });
      expect(errors, `after ${actions} actions (seed ${SEED}):\n${monkey.log.slice(-30).join('\n')}`).toEqual([]);
      await page.close();
    }
  }, TIMEOUT_MS);
});
