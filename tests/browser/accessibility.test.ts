/**
 * An accessibility audit of the real page with axe-core: after training, for every model family
 * the Model select offers (each family's panels shown, in each lab tab), with messages on the
 * page, no finding may be critical or serious. The moderate and minor ones are logged.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_IDS } from '../../src/core/models/catalog';
import { audit, describeFindings, seriousOrWorse, type Finding } from './axe';
import { currentStep, openPage, screenshot, startHarness, waitForStep, type Harness } from './harness';

/** Steps each family trains before its audit: enough for every panel's first reports. */
const STEPS = 200;
/** Per family: up to 90 s to build, 240 s for its steps on a loaded machine (M2 sums over ten classes), the audits. */
const TIMEOUT_MS = FAMILY_IDS.length * 400_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function trainable(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isEnabled(), { timeout: 90_000 }).toBe(true);
}

/** Train `steps` more steps, then pause. */
async function train(page: Page, steps: number): Promise<void> {
  const from = await currentStep(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, from + steps, 240_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1);
}

/** Audit the page in each lab tab; the findings are tagged with where they were seen. */
async function auditEveryTab(page: Page, where: string): Promise<Finding[]> {
  const found: Finding[] = [];
  const tabs = page.getByRole('tablist', { name: 'Labs' }).getByRole('tab');
  const names = await tabs.allTextContents();
  for (const name of names.length ? names : ['']) {
    if (name) await page.getByRole('tab', { name, exact: true }).click();
    for (const f of await audit(page)) found.push({ ...f, help: `${f.help} [${where}${name ? `, ${name}` : ''}]` });
  }
  return found;
}

describe('accessibility (axe-core)', () => {
  it('has no critical or serious findings after training, for every model family, with messages shown', async () => {
    // a bad URL parameter and a refused field value put messages on the page
    const { page, errors } = await openPage(h, 'foo=bar');
    await trainable(page);
    const lr = page.getByLabel('Learning rate', { exact: true });
    await lr.fill('abc');
    await lr.press('Enter');
    const models = page.getByRole('complementary', { name: 'Settings' }).getByLabel('Model', { exact: true });
    const families = await models.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(families.length).toBeGreaterThan(0);
    const findings: Finding[] = [];
    for (const family of families) {
      if ((await models.inputValue()) !== family) {
        await models.selectOption(family);
        const dialog = page.getByRole('alertdialog');
        if (await dialog.count()) await dialog.getByRole('button', { name: 'Discard and rebuild' }).click();
        await trainable(page);
      }
      await train(page, STEPS);
      await page.getByRole('button', { name: 'Take snapshot' }).click().catch(() => undefined);
      findings.push(...(await auditEveryTab(page, family)));
      await screenshot(page, `40-axe-${family}`);
    }
    // the question before a trained model is discarded, too (any setting that needs a new model)
    const latent = page.getByLabel('Latent dimensions', { exact: true });
    if (await latent.count()) {
      const options = await latent.locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
      const now = await latent.inputValue();
      await latent.selectOption(options.find((v) => v !== now) ?? now);
      await expect.poll(() => page.getByRole('alertdialog').count()).toBe(1);
      for (const f of await audit(page)) findings.push({ ...f, help: `${f.help} [confirm dialog]` });
      await page.getByRole('alertdialog').getByRole('button', { name: 'Keep current model' }).click();
    }
    const bad = seriousOrWorse(findings);
    const others = findings.filter((f) => !bad.includes(f));
    if (others.length) console.log(`axe: ${others.length} moderate or minor finding(s):\n${describeFindings(others)}`);
    expect(bad, `axe found:\n${describeFindings(bad)}`).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, TIMEOUT_MS);
});
