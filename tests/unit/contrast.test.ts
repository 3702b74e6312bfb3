/**
 * The design tokens meet WCAG AA: every text colour 4.5:1 on the panel, the page background and
 * the accent tint it sits on; every class colour of the scatter 3:1 on the white plot.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_PALETTE } from '../../src/ui/charts/colors';

const THEME = readFileSync(path.resolve(import.meta.dirname, '../../src/ui/theme.css'), 'utf8');

function token(name: string): string {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})\\b`).exec(THEME);
  if (!match) throw new Error(`theme.css has no hex colour --${name}`);
  return match[1];
}

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('colour contrast of the design tokens', () => {
  it('computes the WCAG ratio (black on white is 21:1, the old grey 3.1:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#8a93a3', '#ffffff')).toBeCloseTo(3.1, 1);
  });

  const TEXT = ['ink', 'ink-soft', 'ink-faint', 'recon', 'kl', 'adversarial', 'auxiliary', 'accent', 'warn', 'warn-ink', 'error', 'ok'];
  const BACKGROUNDS = ['panel', 'bg', 'accent-soft'];
  for (const fg of TEXT) {
    it(`--${fg} reads at 4.5:1 or more on ${BACKGROUNDS.map((b) => `--${b}`).join(', ')}`, () => {
      for (const bg of BACKGROUNDS) expect(contrast(token(fg), token(bg)), `--${fg} on --${bg}`).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('keeps messages readable: warnings and errors on their own tints, white on the accent', () => {
    expect(contrast(token('warn-ink'), token('warn-bg'))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(token('error'), token('error-bg'))).toBeGreaterThanOrEqual(4.5);
    expect(contrast('#ffffff', token('accent'))).toBeGreaterThanOrEqual(4.5);
    expect(contrast('#ffffff', token('accent-strong'))).toBeGreaterThanOrEqual(4.5);
  });

  it('draws every class of the scatter at 3:1 or more against the white plot', () => {
    expect(CLASS_PALETTE).toHaveLength(10);
    for (const colour of CLASS_PALETTE) expect(contrast(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(3);
    expect(new Set(CLASS_PALETTE).size).toBe(10);
  });
});
