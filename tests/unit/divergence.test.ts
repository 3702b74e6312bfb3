/**
 * The divergence rule (src/worker/divergence.ts): NaN and infinity, a loss far above its recent
 * median, weights beyond bounds; which reports are sane (checkpoints may follow them) and which
 * are merely doubtful; and the sentence the page shows.
 */
import { describe, expect, it } from 'vitest';
import type { LossValues } from '../../src/core/objective/terms';
import { DIVERGENCE_LIMITS, DivergenceWatch, describeDivergence, firstReportCeiling, isDiverged, judgeReport, judgeWeights, median, UNINFORMED_NATS_PER_PIXEL } from '../../src/worker/divergence';

/** A report whose bound is `bound` and whose objective is `objective` (terms split the bound). */
function report(bound: number, objective = bound, extra: Partial<LossValues> = {}): LossValues {
  return { terms: { reconstruction: bound * 0.9, kl: bound * 0.1 }, negativeElbo: bound, objective, klPerDim: [], ...extra };
}

const flat = (value: number, n = 5) => Array.from({ length: n }, () => value);

describe('judgeReport', () => {
  it('calls a NaN or an infinity a divergence, whatever the history', () => {
    expect(judgeReport(report(NaN), { bound: [], objective: [] })).toEqual({ kind: 'nonFinite', what: 'NaN' });
    expect(judgeReport(report(100, Infinity), { bound: flat(100), objective: flat(100) })).toEqual({ kind: 'nonFinite', what: 'infinite' });
    expect(judgeReport(report(100, 100, { terms: { reconstruction: 90, kl: NaN } }), { bound: [], objective: [] })).toMatchObject({ kind: 'nonFinite', what: 'NaN' });
  });

  it('trusts any finite report until a series has a few sane values', () => {
    expect(judgeReport(report(1e9), { bound: [150, 140], objective: [150, 140] })).toEqual({ kind: 'sane' });
  });

  it('is sane within twice the median, doubtful above, exploded above 11 times', () => {
    const history = { bound: [160, 150, 140, 150, 150], objective: [160, 150, 140, 150, 150] };
    expect(median(history.bound)).toBe(150);
    expect(judgeReport(report(290), history)).toEqual({ kind: 'sane' });
    expect(judgeReport(report(310), history)).toEqual({ kind: 'doubtful' });
    expect(judgeReport(report(1600), history)).toEqual({ kind: 'doubtful' });
    expect(judgeReport(report(1700), history)).toEqual({ kind: 'exploded', series: 'bound', value: 1700, median: 150 });
    // a falling loss is never a problem
    expect(judgeReport(report(-5000), history)).toEqual({ kind: 'sane' });
  });

  it('needs both series to explode: a β raised tenfold lifts only the objective, an autoencoder’s unpenalised KL only the bound', () => {
    const history = { bound: flat(150), objective: flat(150) };
    expect(judgeReport(report(150, 5000), history)).toEqual({ kind: 'doubtful' });
    expect(judgeReport(report(5000, 150), history)).toEqual({ kind: 'doubtful' });
    expect(judgeReport(report(5000, 5000), history)).toMatchObject({ kind: 'exploded', series: 'bound' });
  });

  it('judges by the bound alone while the objective has no history (just after β changed)', () => {
    expect(judgeReport(report(5000, 40_000), { bound: flat(150), objective: [] })).toMatchObject({ kind: 'exploded', series: 'bound', value: 5000 });
    expect(judgeReport(report(150, 40_000), { bound: flat(150), objective: [] })).toEqual({ kind: 'sane' });
  });

  it('works for a negative loss (the Gaussian likelihood is a density) and near zero (a floor of 50 nats)', () => {
    const gaussian = { bound: flat(-900), objective: flat(-900) };
    expect(judgeReport(report(-850), gaussian)).toEqual({ kind: 'sane' });
    expect(judgeReport(report(8000), gaussian)).toEqual({ kind: 'doubtful' }); // −900 + 10·900 = 8100
    expect(judgeReport(report(8200), gaussian)).toMatchObject({ kind: 'exploded', median: -900 });
    const small = { bound: flat(2), objective: flat(2) };
    expect(judgeReport(report(40), small)).toEqual({ kind: 'sane' });
    expect(judgeReport(report(60), small)).toMatchObject({ kind: 'exploded' });
  });

  it('compares with the last `window` values only', () => {
    const old = [...flat(10_000, 20), ...flat(150, DIVERGENCE_LIMITS.window)];
    expect(judgeReport(report(2000), { bound: old, objective: old })).toMatchObject({ kind: 'exploded', median: 150 });
  });
});

describe('judgeWeights', () => {
  it('passes finite weights within ±1000 and calls the rest a divergence', () => {
    expect(judgeWeights({ finite: true, maxAbs: 3.2 })).toEqual({ kind: 'sane' });
    expect(judgeWeights({ finite: true, maxAbs: 1000 })).toEqual({ kind: 'sane' });
    expect(judgeWeights({ finite: true, maxAbs: 4.5e4 })).toEqual({ kind: 'weights', maxAbs: 4.5e4 });
    const bad = judgeWeights({ finite: false, maxAbs: 2 });
    expect(bad.kind).toBe('weights');
    expect(isDiverged(bad)).toBe(true);
    expect(isDiverged(judgeWeights({ finite: true, maxAbs: 1 }))).toBe(false);
  });
});

describe('DivergenceWatch', () => {
  it('remembers sane reports only, and forgets what came after a restored step', () => {
    const watch = new DivergenceWatch();
    for (const [step, v] of [[20, 160], [40, 150], [60, 140]] as const) expect(watch.observe(step, report(v)).kind).toBe('sane');
    expect(watch.observe(80, report(400)).kind).toBe('doubtful');
    // the doubtful 400 did not join the history: the median is still 150
    expect(watch.observe(100, report(1700))).toMatchObject({ kind: 'exploded', median: 150 });
    watch.rewindTo(40);
    // two values left: not enough to judge, so anything finite is trusted again
    expect(watch.observe(60, report(1700)).kind).toBe('sane');
  });

  it('forgets the objective’s history when the objective changes, and everything on clear', () => {
    const watch = new DivergenceWatch();
    for (let i = 1; i <= 5; i++) watch.observe(i * 20, report(150));
    expect(watch.observe(120, report(150, 3000)).kind).toBe('doubtful');
    watch.objectiveChanged();
    expect(watch.observe(140, report(150, 3000)).kind).toBe('sane');
    watch.clear();
    expect(watch.observe(160, report(1e7)).kind).toBe('sane');
  });

  it('catches a run that blows up while staying finite, and never calls its ruined reports sane', () => {
    // the run: a healthy start, then the loss grows 2.5× per report into the millions
    const watch = new DivergenceWatch();
    const healthy = [540, 300, 220, 190, 175, 168, 163];
    const sane: number[] = [];
    let step = 0;
    let diverged: ReturnType<DivergenceWatch['observe']> | null = null;
    for (const value of [...healthy, ...Array.from({ length: 20 }, (_, i) => 163 * 2.5 ** (i + 1))]) {
      step += 20;
      const verdict = watch.observe(step, report(value, value));
      if (verdict.kind === 'sane') sane.push(value);
      if (isDiverged(verdict)) {
        diverged = verdict;
        break;
      }
    }
    expect(diverged).toMatchObject({ kind: 'exploded', series: 'bound' });
    // caught within a few reports of the start of the blow-up, long before 121,986,992
    expect(step).toBeLessThanOrEqual((healthy.length + 4) * 20);
    // none of the growing reports was sane (so no checkpoint was taken from one)
    expect(sane).toEqual(healthy);
  });
});

describe('the first reports’ ceiling', () => {
  const MNIST_PIXELS = 784;

  it('is ten times the loss of a model that knows nothing: the Gaussian of σ = 0.1 at a mean of 0.5, the costliest likelihood', () => {
    // −log N(x; 0.5, 0.1²) at the worst x in [0, 1] (x = 0 or 1)
    expect(UNINFORMED_NATS_PER_PIXEL).toBeCloseTo(0.5 * Math.log(2 * Math.PI * 0.01) + 0.5 ** 2 / (2 * 0.1 ** 2), 10);
    expect(UNINFORMED_NATS_PER_PIXEL).toBeGreaterThan(Math.log(256)); // a logistic spread evenly over the 256 levels
    expect(UNINFORMED_NATS_PER_PIXEL).toBeGreaterThan(Math.log(2)); // Bernoulli at 0.5
    expect(firstReportCeiling(MNIST_PIXELS)).toBeCloseTo(10 * UNINFORMED_NATS_PER_PIXEL * MNIST_PIXELS, 6);
    expect(Math.round(firstReportCeiling(MNIST_PIXELS))).toBe(87_152);
  });

  it('catches a blow-up in the very first report, before any median: the VQ-VAE at a learning rate of 10', () => {
    const ceiling = firstReportCeiling(64);
    // measured: an 8×8 VQ-VAE at lr 10, Gaussian likelihood; its bound stays finite and modest, its codebook term does not
    const first = { terms: { reconstruction: 1325, codeKl: 16.6, codebook: 3.0e10, commitment: 7.6e9 }, negativeElbo: 1342, objective: 3.8e10, klPerDim: [] };
    expect(judgeReport(first, { bound: [], objective: [] }, DIVERGENCE_LIMITS, ceiling)).toMatchObject({ kind: 'exploded', series: 'objective', value: 3.8e10, ceiling });
    // without the ceiling the same report passed as sane (nothing to compare with)
    expect(judgeReport(first, { bound: [], objective: [] })).toEqual({ kind: 'sane' });
    expect(new DivergenceWatch().observe(20, first, ceiling)).toMatchObject({ kind: 'exploded', series: 'objective' });
    // the bound alone beyond it (a Bernoulli decoder's logits blown up)
    expect(judgeReport(report(5.6e6, 44), { bound: [], objective: [] }, DIVERGENCE_LIMITS, ceiling)).toMatchObject({ kind: 'exploded', series: 'bound' });
  });

  it('leaves an ordinary start alone, and is not used once the bound has a median', () => {
    const ceiling = firstReportCeiling(MNIST_PIXELS);
    // a fresh MNIST model's first report (Gaussian likelihood: about 9,000 nats) and a VAE's at β = 10
    expect(judgeReport(report(9000, 9000), { bound: [], objective: [] }, DIVERGENCE_LIMITS, ceiling)).toEqual({ kind: 'sane' });
    expect(judgeReport(report(550, 1200), { bound: [], objective: [] }, DIVERGENCE_LIMITS, ceiling)).toEqual({ kind: 'sane' });
    // later, a γ of capacity annealing may rightly multiply the objective past it: the median decides
    const watch = new DivergenceWatch();
    for (const [i, v] of [200, 180, 170].entries()) expect(watch.observe(20 * (i + 1), report(v, v), ceiling).kind).toBe('sane');
    watch.objectiveChanged();
    expect(watch.observe(80, report(170, 150_000), ceiling).kind).not.toBe('exploded');
  });

  it('says it in a sentence with the ceiling', () => {
    const text = describeDivergence({ kind: 'exploded', series: 'objective', value: 3.8e10, median: Number.NaN, ceiling: 7103 }, { step: 20, restoredStep: 0, learningRate: 10, learningRateLimit: 0.01 });
    expect(text).toBe(
      'The loss exploded near step 20: the objective reached 3.80e+10 nats in the first reports, beyond ten times what a model that knows nothing pays per image, 7,103 (learning rate 10, probably too high). Training is paused and the weights of step 0, the last sane ones, are restored.',
    );
  });
});

describe('describeDivergence', () => {
  const at = { step: 340, restoredStep: 300, learningRate: 10, learningRateLimit: 0.01 };

  it('says what happened, to which step the weights went back, and blames a high learning rate', () => {
    expect(describeDivergence({ kind: 'nonFinite', what: 'NaN' }, at)).toBe(
      'The loss became NaN near step 340 (learning rate 10, probably too high). Training is paused and the weights of step 300, the last sane ones, are restored.',
    );
    expect(describeDivergence({ kind: 'exploded', series: 'bound', value: 121_988_560, median: 156 }, at)).toMatch(
      /^The loss exploded near step 340: the −ELBO reached 1\.22e\+8 nats, 781,978× its recent median of 156 \(learning rate 10, probably too high\)\. .*weights of step 300/,
    );
    expect(describeDivergence({ kind: 'weights', maxAbs: 45_000 }, { ...at, learningRate: 0.001 })).toBe(
      'The weights blew up near step 340: the largest is 45,000, beyond ±1,000 (learning rate 0.001). Training is paused and the weights of step 300, the last sane ones, are restored.',
    );
    expect(describeDivergence({ kind: 'weights', maxAbs: NaN }, at)).toMatch(/^The weights became NaN or infinite near step 340/);
  });
});
