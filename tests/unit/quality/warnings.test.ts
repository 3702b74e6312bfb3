import { describe, expect, it } from 'vitest';
import { collapseWarning, discriminatorWarning, type SampleScore } from '../../../src/state/quality/state';
import { histogram } from '../../../src/worker/analysis/discriminator';

const report = (real: number, priorSamples: number) => ({ step: 100, count: 10, histograms: { real: [], reconstructions: [], priorSamples: [] }, means: { real, reconstructions: 0.5, priorSamples } });
const score = (classShares: number[]): SampleScore => ({ step: 1, count: 10, samplesFrom: 'the prior N(0, I)', frechetDistance: 1, confidence: 0.9, testConfidence: 0.99, sharpnessRatio: 1, classShares, classifierAccuracy: 0.98, classifierSteps: 10, seconds: 1 });

describe('warnings', () => {
  it('say when the discriminator wins outright, not when it is unsure', () => {
    expect(discriminatorWarning(report(0.97, 0.01))).toMatch(/wins outright/);
    expect(discriminatorWarning(report(0.6, 0.4))).toBeNull();
  });

  it('say when samples collapse onto a few classes', () => {
    const even = new Array(10).fill(0.1);
    expect(collapseWarning(score(even), [])).toBeNull();
    expect(collapseWarning(score([0.6, 0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0, 0]), ['zero'])).toMatch(/60% of them in class zero/);
    expect(collapseWarning(score([0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0, 0]), [])).toMatch(/sees 4 of 10 classes/);
  });
});

it('histogram: fractions in equal bins over [0, 1], the ends included', () => {
  expect(histogram([0, 0.05, 0.5, 1], 4)).toEqual([0.5, 0, 0.25, 0.25]);
});
