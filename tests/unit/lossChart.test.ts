import { describe, expect, it } from 'vitest';
import { allPositive, linearYDomain, logYDomain, quantileSorted, type ValueSeries } from '../../src/ui/panels/loss/domain';
import { decimateMinMax } from '../../src/ui/panels/loss/decimate';
import { nearestIndex } from '../../src/ui/panels/loss/lookup';
import { placeLabels } from '../../src/ui/panels/loss/markers';
import { logTicks } from '../../src/ui/panels/loss/ticks';
import { formatBeta, formatNats, formatStep, formatStepTick } from '../../src/ui/format';

interface Pt {
  step: number;
  value: number;
}
const curve = (points: Pt[]): ValueSeries<Pt> => ({ points, value: (p) => p.value });
const noisy = (points: Pt[]): ValueSeries<Pt> => ({ points, value: (p) => p.value, soft: true });

/** A typical training run: −ELBO from ~540 nats at step 0 down to ~100, sampled every 20 steps. */
function run(steps = 10_000, every = 20): Pt[] {
  const out: Pt[] = [];
  for (let s = every; s <= steps; s += every) out.push({ step: s, value: 100 + 440 * Math.exp(-s / 150) + 3 * Math.sin(s) });
  return out;
}

describe('quantileSorted', () => {
  it('interpolates between order statistics', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileSorted([7], 0.9)).toBe(7);
    expect(quantileSorted([1, 2, 3], 1)).toBe(3);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });
});

describe('linearYDomain', () => {
  it('ignores the huge early values but contains the recent ones', () => {
    const samples = run();
    const { domain, clipped, clippedRecent } = linearYDomain([curve(samples)]);
    const recent = samples.filter((s) => s.step > 2000).map((s) => s.value);
    expect(domain[0]).toBeLessThanOrEqual(Math.min(...recent));
    expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...recent));
    // The first values (~500 nats) would flatten the curve: the upper limit stays far below them.
    expect(domain[1]).toBeLessThan(200);
    expect(clipped).toBe(true);
    expect(clippedRecent).toBe(false); // only the warm-up is off the scale
  });

  it('lets spikes of soft (raw) samples be clipped but keeps the smoothed curve whole', () => {
    const smoothCurve = Array.from({ length: 500 }, (_, i) => ({ step: (i + 1) * 20, value: 100 + 10 * Math.exp(-i / 100) }));
    const raw = smoothCurve.map((s, i) => ({ step: s.step, value: s.value + (i % 25 === 0 ? 60 : (i % 3) - 1) }));
    const { domain, clippedRecent } = linearYDomain([curve(smoothCurve), noisy(raw)]);
    const recentSmooth = smoothCurve.filter((s) => s.step >= 0.1 * 10_000).map((s) => s.value);
    expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...recentSmooth));
    expect(domain[1]).toBeLessThan(140); // the +60 spikes (4% of raw points) stay off the scale
    // Noisy raw values poking out do not count as a curve leaving the chart.
    expect(raw.some((r) => r.value > domain[1])).toBe(true);
    expect(clippedRecent).toBe(false);
    // As hard samples, the same spikes would set the scale.
    const asHard = linearYDomain([curve(smoothCurve), curve(raw)]);
    expect(asHard.domain[1]).toBeGreaterThan(150);
  });

  it('always contains values passed in `include` (the latest points)', () => {
    const samples = run();
    const { domain } = linearYDomain([curve(samples)], { include: [260] });
    expect(domain[1]).toBeGreaterThanOrEqual(260);
  });

  it('uses the whole range when the run is short, so nothing is clipped', () => {
    const samples = run(100);
    const { domain, clipped } = linearYDomain([curve(samples)]);
    const values = samples.map((s) => s.value);
    expect(domain[0]).toBeLessThanOrEqual(Math.min(...values));
    expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
    expect(clipped).toBe(false);
  });

  it('starts at 0 rather than below it for non-negative losses, and pads negative ones', () => {
    const kl = Array.from({ length: 50 }, (_, i) => ({ step: i * 20, value: 0.5 + i * 0.3 }));
    expect(linearYDomain([curve(kl)]).domain[0]).toBe(0);
    // A Gaussian likelihood's reconstruction term: negative and still falling.
    const gaussian = Array.from({ length: 50 }, (_, i) => ({ step: (i + 1) * 20, value: -200 - 3 * i }));
    const { domain } = linearYDomain([curve(gaussian)]);
    expect(domain[0]).toBeLessThan(-347); // the latest, lowest value has room below it
    expect(domain[1]).toBeGreaterThan(-240);
    expect(domain[1]).toBeLessThan(0); // not forced up to 0
  });

  it('is not flattened by one wild low value in the recent part', () => {
    const samples = run();
    samples.push({ step: 9_990, value: -1e6 });
    const { domain, clipped, clippedRecent } = linearYDomain([curve(samples)]);
    expect(domain[0]).toBeGreaterThan(-500);
    expect(clipped).toBe(true);
    expect(clippedRecent).toBe(true);
  });

  it('skips non-finite values and handles flat or empty input', () => {
    const samples = [...run(), { step: 5000, value: NaN }, { step: 5020, value: Infinity }];
    const { domain } = linearYDomain([curve(samples)]);
    expect(domain.every(Number.isFinite)).toBe(true);
    expect(domain[1]).toBeLessThan(200);
    expect(linearYDomain([]).domain).toEqual([0, 1]);
    expect(linearYDomain([curve([])]).domain).toEqual([0, 1]);
    const flat = linearYDomain([curve([{ step: 1, value: 5 }, { step: 2, value: 5 }])]).domain;
    expect(flat[0]).toBeLessThan(5);
    expect(flat[1]).toBeGreaterThan(5);
  });
});

describe('logYDomain', () => {
  it('is positive, contains the recent values and ignores the early ones', () => {
    const elbo = run();
    const kl = elbo.map((s) => ({ step: s.step, value: 0.05 + 25 * (1 - Math.exp(-s.step / 400)) }));
    const result = logYDomain([curve(elbo), curve(kl)]);
    expect(result).not.toBeNull();
    const [lo, hi] = result!.domain;
    expect(lo).toBeGreaterThan(0);
    const recent = [...elbo, ...kl].filter((s) => s.step > 2000).map((s) => s.value);
    expect(lo).toBeLessThanOrEqual(Math.min(...recent));
    expect(hi).toBeGreaterThanOrEqual(Math.max(...recent));
    expect(hi).toBeLessThan(300);
  });

  it('falls back (null) as soon as a value is ≤ 0, e.g. a Gaussian reconstruction term', () => {
    const samples = run();
    expect(logYDomain([curve(samples)])).not.toBeNull();
    expect(allPositive([curve(samples)])).toBe(true);
    const gaussianRecon = [{ step: 10_020, value: -3.2 }];
    expect(allPositive([curve(samples), noisy(gaussianRecon)])).toBe(false);
    expect(logYDomain([curve(samples), noisy(gaussianRecon)])).toBeNull();
    expect(logYDomain([curve([...samples, { step: 10_020, value: 0 }])])).toBeNull();
    expect(logYDomain([curve(samples)], { include: [-1] })).toBeNull();
    expect(logYDomain([])).toBeNull();
    // NaN (a diverged step) is skipped, not a reason to refuse.
    expect(logYDomain([curve([...samples, { step: 10_020, value: NaN }])])).not.toBeNull();
  });

  it('spans at most six decades (plus padding) even when the KL term collapses to ~0', () => {
    const [lo, hi] = logYDomain([curve(run()), curve(run().map((s) => ({ step: s.step, value: 1e-12 })))])!.domain;
    expect(Math.log10(hi) - Math.log10(lo)).toBeLessThan(6 * 1.13);
    expect(lo).toBeGreaterThan(1e-6);
  });
});

describe('nearestIndex', () => {
  const points = [{ step: 0 }, { step: 20 }, { step: 40 }, { step: 100 }];

  it('finds the nearest step by bisection', () => {
    expect(nearestIndex(points, 0)).toBe(0);
    expect(nearestIndex(points, 9)).toBe(0);
    expect(nearestIndex(points, 11)).toBe(1);
    expect(nearestIndex(points, 40)).toBe(2);
    expect(nearestIndex(points, 69)).toBe(2);
    expect(nearestIndex(points, 71)).toBe(3);
    expect(nearestIndex(points, 10)).toBe(0); // tie → earlier
  });

  it('clamps outside the range and returns -1 when empty or NaN', () => {
    expect(nearestIndex(points, -50)).toBe(0);
    expect(nearestIndex(points, 1e9)).toBe(3);
    expect(nearestIndex([], 5)).toBe(-1);
    expect(nearestIndex(points, NaN)).toBe(-1);
  });

  it('agrees with a linear scan on a long series', () => {
    const long = Array.from({ length: 2000 }, (_, i) => ({ step: i * 50 + (i % 7) }));
    for (const target of [3, 777, 12_345, 55_555, 99_999]) {
      let best = 0;
      for (let i = 1; i < long.length; i++) if (Math.abs(long[i].step - target) < Math.abs(long[best].step - target)) best = i;
      expect(nearestIndex(long, target)).toBe(best);
    }
  });
});

describe('decimateMinMax', () => {
  it('keeps at most four points per pixel column, including each column’s extremes', () => {
    const points = Array.from({ length: 2000 }, (_, i) => ({ x: i / 10, y: Math.sin(i) * (i % 13) }));
    const out = decimateMinMax(points, (p) => p.x, (p) => p.y);
    expect(out.length).toBeLessThanOrEqual(4 * 200);
    expect(out.length).toBeLessThan(points.length);
    for (let col = 0; col < 200; col++) {
      const inCol = points.filter((p) => Math.floor(p.x) === col);
      const kept = out.filter((p) => Math.floor(p.x) === col);
      expect(Math.max(...kept.map((p) => p.y))).toBe(Math.max(...inCol.map((p) => p.y)));
      expect(Math.min(...kept.map((p) => p.y))).toBe(Math.min(...inCol.map((p) => p.y)));
      expect(kept[0]).toBe(inCol[0]);
      expect(kept[kept.length - 1]).toBe(inCol[inCol.length - 1]);
    }
    // Original order preserved.
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThanOrEqual(out[i - 1].x);
  });

  it('keeps non-finite points so the line still breaks there', () => {
    const points = [0, 0.1, 0.2, 0.3, 0.4, 0.5].map((x, i) => ({ x, y: i === 3 ? NaN : i }));
    const out = decimateMinMax(points, (p) => p.x, (p) => p.y);
    expect(out.some((p) => Number.isNaN(p.y))).toBe(true);
  });
});

describe('logTicks', () => {
  it('gives 1-2-5 ticks, thinned to powers of ten when crowded', () => {
    expect(logTicks([1, 1000], 12)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
    expect(logTicks([1, 1000], 5)).toEqual([1, 10, 100, 1000]);
    const wide = logTicks([1e-4, 1e4], 5);
    expect(wide.length).toBeLessThanOrEqual(5);
    expect(wide.length).toBeGreaterThanOrEqual(2);
    expect(logTicks([0, 10], 5)).toEqual([]);
  });

  it('still has ticks within one decade', () => {
    const ticks = logTicks([90, 300], 6);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((t) => t >= 90 && t <= 300)).toBe(true);
  });
});

describe('placeLabels', () => {
  it('stacks overlapping labels, flips at the right edge, hides what does not fit', () => {
    const placed = placeLabels(
      [
        { x: 10, width: 40 },
        { x: 20, width: 40 },
        { x: 30, width: 40 },
        { x: 200, width: 40 },
        { x: 290, width: 40 },
      ],
      300,
      2,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, -1, 0, 0]);
    expect(placed[4].anchor).toBe('end');
    expect(placed[4].left + 40).toBeLessThanOrEqual(300);
  });
});

describe('formatting', () => {
  it('formats nats, steps and β for reading', () => {
    expect(formatNats(143.24)).toBe('143.2');
    expect(formatNats(14.26)).toBe('14.3');
    expect(formatNats(2.414)).toBe('2.41');
    expect(formatNats(0.0521)).toBe('0.052');
    expect(formatNats(1234.4)).toBe('1,234');
    expect(formatNats(-12.5)).toBe('−12.5');
    expect(formatNats(NaN)).toBe('—');
    expect(formatStep(2000)).toBe('2,000');
    expect(formatStepTick(20_000)).toBe('20k');
    expect(formatStepTick(1500)).toBe('1.5k');
    expect(formatBeta(1)).toBe('1.00');
    expect(formatBeta(0.5)).toBe('0.50');
    expect(formatBeta(0.001)).toBe('0.001');
  });
});
