/**
 * The largest finite value, and never below `floor`: a chart's domain from its data, leaving out
 * NaN, ±Infinity and missing values (a model that diverged reports NaN once before the
 * divergence watch restores it; one such value would make every coordinate of the chart NaN).
 */
export function finiteMax(values: Iterable<number | null | undefined>, floor: number): number {
  let max = floor;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v) && v > max) max = v;
  return max;
}
