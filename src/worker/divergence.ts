/**
 * When is a run diverging? Not only when a number turns NaN: a run whose weights blow up may keep
 * every number finite while its loss climbs to millions. The rule, pure and in one place:
 *
 * - A report (the metrics averaged over the steps since the last one) has two series: the bound
 *   (−ELBO, whatever the weights of its terms) and the objective (what the optimiser minimises).
 *   Each remembers its last few *sane* values; its reference is their median.
 * - A series' value has **exploded** when it lies more than `explodedFactor`·|median| above the
 *   median (with a floor of `floorNats`), and is **healthy** within `healthyFactor`·|median|.
 * - A report **diverged** when a number is NaN or infinite, or when every series that has a
 *   reference exploded. Both must explode because each can move alone for a good reason: a β
 *   raised from 0.01 to 10 multiplies the objective, not the bound; the plain autoencoder does
 *   not minimise its KL, so its bound may grow while its objective falls.
 * - Before the bound has `minReports` sane values (a model's first reports) there is no median: a
 *   series beyond the **first reports' ceiling** (firstReportCeiling: `ceilingFactor` times the nats
 *   per pixel of a model that knows nothing, for every pixel) has exploded all the same. A rate so
 *   high that the very first reports blow up (the VQ-VAE at 10) would otherwise leave nothing sane
 *   to compare with, and the run would go on from ruined weights.
 * - A report is **sane** when every series is healthy; only sane reports join the history, and
 *   only at sane reports may a checkpoint be taken (with the weights checked too: finite and
 *   within ±`weightLimit`). The reports in between are neither: no checkpoint, no history.
 *
 * The objective's history is forgotten when its definition changes (β, schedule, free bits, the
 * objective kind, a family's own settings): its scale may jump; the bound's stays.
 */
import type { LossValues } from '../core/objective/terms';

export const DIVERGENCE_LIMITS = {
  /** Sane values remembered per series (metrics come every 20 steps: about the last 200 steps). */
  window: 10,
  /** Values a series needs before it is judged against its median. */
  minReports: 3,
  /** Exploded: more than 10·|median| above the median (11× the median of a positive loss). */
  explodedFactor: 10,
  /** Healthy: at most |median| above the median (twice a positive median). */
  healthyFactor: 1,
  /** The margins never shrink below this many nats (a loss near 0, a negative Gaussian density). */
  floorNats: 50,
  /** No weight of a working model is this large (inputs are intensities in [0, 1], weights start near ±0.1). */
  weightLimit: 1000,
  /** A series without a median yet has exploded beyond this many times an uninformed model's loss per pixel. */
  ceilingFactor: 10,
} as const;

/**
 * Nats per pixel of a model that knows nothing, under the costliest likelihood offered: a mean of
 * 0.5 under the Gaussian of σ = 0.1 costs ½·log(2π·0.01) + (x − 0.5)²/(2·0.01) ≤ 11.1 nats for a
 * pixel in [0, 1] (Bernoulli at 0.5: log 2 = 0.69; a logistic spread evenly over 256 levels:
 * log 256 = 5.5). Every family's first reports start near such a loss: the KL of fresh weights is
 * a few nats, the VQ-VAE's codebook and commitment terms are near 0.
 */
export const UNINFORMED_NATS_PER_PIXEL = 0.5 * Math.log(2 * Math.PI * 0.01) + 0.25 / (2 * 0.01);

/** The ceiling of a series that has no median yet, for images of `pixels` values (nats per image). */
export function firstReportCeiling(pixels: number, limits: DivergenceLimits = DIVERGENCE_LIMITS): number {
  return limits.ceilingFactor * UNINFORMED_NATS_PER_PIXEL * pixels;
}

export type DivergenceLimits = typeof DIVERGENCE_LIMITS;

export type SeriesId = 'bound' | 'objective';
export const SERIES: readonly SeriesId[] = ['bound', 'objective'];
const SERIES_LABEL: Record<SeriesId, string> = { bound: 'the −ELBO', objective: 'the objective' };

export type Verdict =
  | { kind: 'sane' }
  /** Not diverged, not healthy either: no checkpoint is taken and the history does not move. */
  | { kind: 'doubtful' }
  | { kind: 'nonFinite'; what: 'NaN' | 'infinite' }
  /** `median` is NaN when the series had none yet and the value passed the first reports' ceiling. */
  | { kind: 'exploded'; series: SeriesId; value: number; median: number; ceiling?: number }
  /** The largest |weight| beyond the limit; NaN when a weight is NaN or infinite. */
  | { kind: 'weights'; maxAbs: number };

export type DivergedVerdict = Extract<Verdict, { kind: 'nonFinite' | 'exploded' | 'weights' }>;

export function isDiverged(verdict: Verdict): verdict is DivergedVerdict {
  return verdict.kind === 'nonFinite' || verdict.kind === 'exploded' || verdict.kind === 'weights';
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function margin(reference: number, factor: number, limits: DivergenceLimits): number {
  return Math.max(factor * Math.abs(reference), limits.floorNats);
}

function seriesValue(values: LossValues, id: SeriesId): number {
  return id === 'bound' ? values.negativeElbo : values.objective;
}

/**
 * The verdict on one report, given each series' recent sane values (oldest first) and the ceiling
 * of a series that has too few of them (firstReportCeiling; none: no ceiling).
 */
export function judgeReport(values: LossValues, history: Readonly<Record<SeriesId, readonly number[]>>, limits: DivergenceLimits = DIVERGENCE_LIMITS, ceiling = Number.POSITIVE_INFINITY): Verdict {
  const numbers = [...Object.values(values.terms), values.negativeElbo, values.objective];
  if (!numbers.every(Number.isFinite)) return { kind: 'nonFinite', what: numbers.some(Number.isNaN) ? 'NaN' : 'infinite' };
  // the first reports of a model (the bound has no median yet; the objective's history alone may
  // restart when β or the schedule changes, and a new γ may rightly multiply it): beyond the
  // ceiling is a blow-up, whatever the other series does
  if (history.bound.length < limits.minReports) {
    for (const id of SERIES) {
      const value = seriesValue(values, id);
      if (value > ceiling) return { kind: 'exploded', series: id, value, median: Number.NaN, ceiling };
    }
  }
  let exploded: Extract<Verdict, { kind: 'exploded' }> | null = null;
  let judged = 0;
  let explodedCount = 0;
  let healthy = true;
  for (const id of SERIES) {
    const recent = history[id].slice(-limits.window);
    if (recent.length < limits.minReports) continue;
    judged += 1;
    const reference = median(recent);
    const value = seriesValue(values, id);
    if (value > reference + margin(reference, limits.explodedFactor, limits)) {
      explodedCount += 1;
      // the message quotes the bound when it exploded: the number the page shows
      exploded ??= { kind: 'exploded', series: id, value, median: reference };
    }
    if (value > reference + margin(reference, limits.healthyFactor, limits)) healthy = false;
  }
  if (judged > 0 && explodedCount === judged && exploded) return exploded;
  return healthy ? { kind: 'sane' } : { kind: 'doubtful' };
}

/** The verdict on the weights: finite and within ±weightLimit, or diverged. */
export function judgeWeights(stats: { finite: boolean; maxAbs: number }, limits: DivergenceLimits = DIVERGENCE_LIMITS): Verdict {
  if (!stats.finite || !Number.isFinite(stats.maxAbs)) return { kind: 'weights', maxAbs: Number.NaN };
  return stats.maxAbs > limits.weightLimit ? { kind: 'weights', maxAbs: stats.maxAbs } : { kind: 'sane' };
}

/** Each series' recent sane values, by step: what judgeReport compares a new report with. */
export class DivergenceWatch {
  private readonly history: Record<SeriesId, { step: number; value: number }[]> = { bound: [], objective: [] };

  constructor(private readonly limits: DivergenceLimits = DIVERGENCE_LIMITS) {}

  /** Judge the report of `step`; a sane one joins the history. `ceiling`: firstReportCeiling of the model's images. */
  observe(step: number, values: LossValues, ceiling = Number.POSITIVE_INFINITY): Verdict {
    const verdict = judgeReport(values, { bound: this.values('bound'), objective: this.values('objective') }, this.limits, ceiling);
    if (verdict.kind === 'sane') {
      for (const id of SERIES) {
        const series = this.history[id];
        series.push({ step, value: seriesValue(values, id) });
        if (series.length > this.limits.window) series.shift();
      }
    }
    return verdict;
  }

  /** The objective's definition changed (β, schedule, free bits…): its scale may jump. */
  objectiveChanged(): void {
    this.history.objective = [];
  }

  /** The weights of `step` were restored: what was seen after it is forgotten. */
  rewindTo(step: number): void {
    for (const id of SERIES) this.history[id] = this.history[id].filter((p) => p.step <= step);
  }

  clear(): void {
    for (const id of SERIES) this.history[id] = [];
  }

  private values(id: SeriesId): number[] {
    return this.history[id].map((p) => p.value);
  }
}

function formatNats(value: number): string {
  return Math.abs(value) >= 1e6 ? value.toExponential(2) : Math.round(value).toLocaleString('en-US');
}

/** What happened, in a sentence for the page. */
export function describeDivergence(
  verdict: DivergedVerdict,
  at: { step: number; restoredStep: number; learningRate: number; learningRateLimit: number },
): string {
  let what: string;
  switch (verdict.kind) {
    case 'nonFinite':
      what = `The loss became ${verdict.what} near step ${at.step}`;
      break;
    case 'exploded': {
      if (verdict.ceiling !== undefined) {
        what = `The loss exploded near step ${at.step}: ${SERIES_LABEL[verdict.series]} reached ${formatNats(verdict.value)} nats in the first reports, beyond ten times what a model that knows nothing pays per image, ${formatNats(verdict.ceiling)}`;
        break;
      }
      const times = verdict.median > 0 ? `, ${formatNats(verdict.value / verdict.median)}× its recent median of ${formatNats(verdict.median)}` : ` (its recent median: ${formatNats(verdict.median)})`;
      what = `The loss exploded near step ${at.step}: ${SERIES_LABEL[verdict.series]} reached ${formatNats(verdict.value)} nats${times}`;
      break;
    }
    case 'weights':
      what = Number.isNaN(verdict.maxAbs)
        ? `The weights became NaN or infinite near step ${at.step}`
        : `The weights blew up near step ${at.step}: the largest is ${formatNats(verdict.maxAbs)}, beyond ±${formatNats(DIVERGENCE_LIMITS.weightLimit)}`;
      break;
  }
  const tooHigh = at.learningRate > at.learningRateLimit ? ', probably too high' : '';
  return `${what} (learning rate ${at.learningRate}${tooHigh}). Training is paused and the weights of step ${at.restoredStep}, the last sane ones, are restored.`;
}
