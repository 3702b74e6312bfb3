/**
 * Numbers and names as the page shows them, in one place: nats, steps, counts, β, latent
 * coordinates and dimension labels, loss-term names. Every formatter uses a true minus sign (−)
 * and says "unknown" with a dash rather than printing NaN where a reader expects a figure.
 */
import { format } from 'd3';
import type { LossTermSpec } from '../core/objective/terms';

const fmtThousands = format(',.0f');
const fmt1 = format(',.1f');
const fmt2 = format('.2f');
const fmt3 = format('.3f');
const fmtSci = format('.1e');
const fmtStep = format(',');
const fmtStepTick = format('~s');
const fmtTick = format(',~g');
const fmtSmallBeta = format('.2~g');
const COUNT = new Intl.NumberFormat('en-US');

/** A true minus sign in place of the hyphen. */
function minus(s: string): string {
  return s.replace('-', '−');
}

function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
}

/** A status-bar figure: nats with a fixed number of decimals (one by default), '–' when unknown. */
export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return '–';
  if (!Number.isFinite(x)) return nonFinite(x);
  return minus(x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
}

/** A loss in nats for people: 143.2, 14.3, 2.41, 0.052, 1,234; "—" when not finite. */
export function formatNats(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return fmtThousands(v);
  if (a >= 10) return fmt1(v);
  if (a >= 1) return fmt2(v);
  if (a >= 0.001) return fmt3(v);
  return fmtSci(v);
}

/** A nats-axis tick: 1,000, 150, 0.5, −20. */
export function formatNatsTick(v: number): string {
  return fmtTick(Math.abs(v) < 1e-12 ? 0 : v);
}

/** Nats with fixed decimals (KL per dimension: 2.70, 0.013); '–' when not finite. */
export function formatNatsFixed(v: number, digits = 2): string {
  return Number.isFinite(v) ? minus(v.toFixed(digits)) : '–';
}

/** A KL bar's value label: as short as it can be and still say something (12, 2.7, 0.04, 0). */
export function formatNatsShort(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v >= 10) return v.toFixed(0);
  if (v >= 0.095) return v.toFixed(1);
  return v < 0.005 ? '0' : v.toFixed(2);
}

/** A KL beside a traversal row: two decimals under 0.1 nats, one above; '–' when unknown. */
export function formatKlRow(kl: number): string {
  if (!Number.isFinite(kl)) return '–';
  return kl < 0.1 ? kl.toFixed(2) : kl.toFixed(1);
}

/** A step count with thousands separators: 12,340. */
export function formatStep(step: number): string {
  return Number.isFinite(step) ? fmtStep(Math.round(step)) : '—';
}

/** A compact step tick: 0, 500, 1.5k, 20k, 1M. */
export function formatStepTick(step: number): string {
  return fmtStepTick(step);
}

/** A count for running text: 2,000 images. */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** β as the caption shows it: 1.00, 0.50, 4.00, 0.001. */
export function formatBeta(beta: number): string {
  if (!Number.isFinite(beta)) return '—';
  if (beta === 0) return '0';
  if (Math.abs(beta) >= 0.01) return fmt2(beta);
  return fmtSmallBeta(beta);
}

/** A tick of the KL-weight axis: 0, 0.25, 1, 4. */
export function formatBetaTick(v: number): string {
  return Math.abs(v) < 1e-12 ? '0' : String(Number(v.toPrecision(3)));
}

/** A KL beside a bar chart's title: whole nats from 10 up, else one decimal. */
export function formatNatsBrief(v: number): string {
  return v >= 10 ? String(Math.round(v)) : v.toFixed(1);
}

/** Training speed: "58.9 steps/s", '–' when not measured yet. */
export function formatSpeed(stepsPerSecond: number): string {
  return stepsPerSecond ? `${fmt(stepsPerSecond, 1)} steps/s` : '–';
}

/** A latency: "4.2 ms" under 10 ms, else whole milliseconds. */
export function formatMilliseconds(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** Bytes as megabytes with one decimal: "11.3". */
export function formatMegabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** A tick of a 0…1 score axis: 0.0, 0.25, 0.5, 0.75, 1.0. */
export function formatScoreTick(v: number): string {
  return v.toFixed(2).replace(/0$/, '');
}

/** A score in [0, 1] (MIG): two decimals, '–' when unknown. */
export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2);
}

/** A latent coordinate: fixed digits, a true minus sign, no "−0.00". */
export function formatCoord(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const s = v.toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return minus(s);
}

/** A swept latent value for a column header: "−2.25", "0", "3" (at most two decimals). */
export function formatSweepValue(v: number): string {
  const s = String(Math.round(v * 100) / 100);
  return s === '-0' ? '0' : minus(s);
}

/** A symmetric half-range for a plot's corner: 4, 2.5, 40. */
export function formatHalfRange(r: number): string {
  return Number.isInteger(r) ? COUNT.format(r) : formatCoord(r, r < 10 ? 1 : 0).replace(/\.0$/, '');
}

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/** "z₁" for dimension 0: latent dimensions are numbered from 1 on screen. */
export function latentLabel(dim: number): string {
  const digits = String(dim + 1)
    .split('')
    .map((c) => SUBSCRIPT_DIGITS[Number(c)])
    .join('');
  return `z${digits}`;
}

/**
 * A loss term's name in running text: its label, lower-cased unless it is an abbreviation
 * ("Reconstruction" → "reconstruction", "KL" stays "KL").
 */
export function termName(term: Pick<LossTermSpec, 'label'>): string {
  const { label } = term;
  const abbreviation = label.length > 1 && label[1] === label[1].toUpperCase() && label[1] !== label[1].toLowerCase();
  return abbreviation ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
