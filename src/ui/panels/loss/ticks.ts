/** Tick values of the loss chart's nats axis: linear, or 1-2-5 per decade on a log scale. Pure. */
import { scaleLinear, scaleLog } from 'd3';

/** Ticks of a linear y-axis, about one per `spacing` pixels. */
export function linearTicks(domain: readonly [number, number], pixelHeight: number, spacing = 42): number[] {
  const count = Math.max(2, Math.round(pixelHeight / spacing));
  return scaleLinear().domain(domain).ticks(count);
}

/** Ticks of a log y-axis: 1-2-5 per decade, thinned to powers of ten (or every other) when crowded. */
export function logTicks(domain: readonly [number, number], maxCount: number): number[] {
  const [a, b] = domain;
  if (!(a > 0) || !(b > a)) return [];
  const all = scaleLog().domain([a, b]).ticks();
  if (all.length <= maxCount) return all;
  const mantissa = (t: number) => Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
  const oneTwoFive = all.filter((t) => [1, 2, 5].includes(mantissa(t)));
  if (oneTwoFive.length <= maxCount && oneTwoFive.length >= 2) return oneTwoFive;
  const decades = all.filter((t) => mantissa(t) === 1);
  if (decades.length <= maxCount) return decades.length >= 2 ? decades : all.filter((_, i) => i % Math.ceil(all.length / maxCount) === 0);
  const every = Math.ceil(decades.length / maxCount);
  return decades.filter((_, i) => i % every === 0);
}
