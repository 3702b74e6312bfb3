/**
 * axe-core in the real page: the audit runs in the page through the DevTools protocol (an injected
 * <script> would be refused by the page's Content-Security-Policy), and the findings come back as
 * plain data with one line per finding for the test's failure message.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue } from 'axe-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Finding {
  id: string;
  impact: ImpactValue | null;
  help: string;
  /** How many elements fail, and the first few of them (selector: why). */
  count: number;
  examples: string[];
}

/** Run axe on the whole page (WCAG 2.x A and AA, and the best-practice rules such as "region"). */
export async function audit(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    count: v.nodes.length,
    examples: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}`),
  }));
}

/** The findings axe rates critical or serious: what the tests allow none of. */
export function seriousOrWorse(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.impact === 'critical' || f.impact === 'serious');
}

/** One line per finding, for a failure message or the log. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.impact} ${f.id} ×${f.count} (${f.help})\n    ${f.examples.join('\n    ')}`).join('\n');
}
