/**
 * What the worker tells the page about a model in training: metrics (with the speed over the
 * steps since the last report), status, the scatter's latents with active units and MIG, and
 * evaluations on the test set; with the scatter, an adversarial family's discriminator outputs. Encoding and evaluation yield between slices, so a decode asked
 * for meanwhile is not held up for long.
 */
import * as tf from '../core/tf';
import { activeUnits, mutualInformationGap } from '../core/analysis/disentanglement';
import { discreteLatentOf } from '../core/models/family';
import { mutualInformationEstimate } from '../core/analysis/latentUsage';
import type { LossValues } from '../core/objective/terms';
import type { TrainingMetrics } from '../core/training/trainer';
import { Rng } from '../data/rng';
import { discriminatorOutputs } from './analysis/discriminator';
import { familyOf } from '../core/models/catalog';
import { classifierReport } from './classifierReport';
import { epochPosition, type LiveModel } from './liveModel';
import type { ReportingConfig, WorkerEvent, WorkerEventOf } from './protocol';
import type { ResidentData } from './residentData';

export const DEFAULT_REPORTING: ReportingConfig = { metricsEvery: 20, latentsEvery: 200, evaluateEvery: 1000, latentPoints: 2000 };

/** Test images encoded per slice for the scatter (the worker answers messages between slices). */
const ENCODE_CHUNK = 500;
/** Test images evaluated per slice. */
const EVALUATE_CHUNK = 500;
/** The seed of the evaluation's ε (fixed, so repeated evaluations agree). */
const EVALUATION_SEED = 1234;

export interface ReporterDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  yieldToEventLoop(): Promise<void>;
  now(): number;
}

export class Reporter {
  reporting: ReportingConfig = { ...DEFAULT_REPORTING };
  private window = { start: 0, steps: 0 };
  private latentIndices: Int32Array | null = null;
  /** The indices whose preview images the main thread already has. */
  private previewSentFor: Int32Array | null = null;

  constructor(private readonly deps: ReporterDeps) {}

  /** Apply a reporting change; an explicit undefined must not wipe a setting (structured clone keeps such keys). */
  setReporting(change: Partial<ReportingConfig>): void {
    this.reporting = { ...this.reporting, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
    if (change.latentPoints !== undefined) this.latentIndices = null;
  }

  /** A new data set: the scatter's sample and previews are chosen again. */
  forgetData(): void {
    this.latentIndices = null;
    this.previewSentFor = null;
  }

  /** Start timing steps afresh (a run starts, a single step is taken). */
  startWindow(): void {
    this.window = { start: this.deps.now(), steps: 0 };
  }

  countStep(): void {
    this.window.steps += 1;
  }

  postMetrics(model: LiveModel, train: TrainingMetrics): void {
    const now = this.deps.now();
    const seconds = (now - this.window.start) / 1000;
    const stepsPerSecond = seconds > 0 && this.window.steps > 1 ? this.window.steps / seconds : 0;
    this.window = { start: now, steps: 0 };
    const { epoch, epochProgress } = epochPosition(model);
    const { numTensors, numBytes } = tf.memory();
    this.deps.post({ type: 'metrics', step: model.trainer.step, epoch, epochProgress, stepsPerSecond, train, beta: model.trainer.config.beta, memory: { numTensors, numBytes } });
  }

  postStatus(running: boolean, model: LiveModel | null): void {
    const position = model ? epochPosition(model) : { epoch: 0, epochProgress: 0 };
    this.deps.post({ type: 'status', running, step: model?.trainer.step ?? 0, ...position });
  }

  evaluate(model: LiveModel, data: ResidentData): Promise<LossValues> {
    const test = data.dataset.test;
    // a semi-supervised model is tested as on unlabelled images: the bound on log p(x), the class summed out
    const labels = model.usesLabels && !familyOf(model.trainer.modelConfig.family).labelledExamplesSetting ? test.labels : undefined;
    return model.trainer.evaluate(test.images, test.count, EVALUATE_CHUNK, EVALUATION_SEED, this.deps.yieldToEventLoop, labels);
  }

  /**
   * Encode the scatter's test points and post them (with their images once per data set), and
   * the active units and MIG on them. `isCurrent` says whether the model is still the one in
   * use when the encoding is done (it may have been replaced meanwhile).
   */
  async reportLatents(model: LiveModel, data: ResidentData, isCurrent: () => boolean): Promise<void> {
    if (model.trainer.model.latent.kind === 'discrete') return this.reportCodes(model, data, isCurrent);
    const dataset = data.dataset;
    const indices = this.pointIndices(data);
    const dim = data.pixels;
    const images = new Float32Array(indices.length * dim);
    indices.forEach((row, k) => images.set(dataset.test.images.subarray(row * dim, (row + 1) * dim), k * dim));
    const labels = Uint8Array.from(indices, (i) => dataset.test.labels[i]);
    const { mu, logVar } = await this.encodeInChunks(model, images, indices.length, dim, model.usesLabels ? labels : undefined);
    if (!isCurrent()) return;
    const factors = this.pointFactors(data, indices);
    const firstReport = this.previewSentFor !== indices;
    const preview = firstReport ? Uint8Array.from(images, (v) => Math.round(v * 255)) : undefined;
    this.previewSentFor = indices;
    const latentDim = model.trainer.modelConfig.latentDim;
    const usage = mutualInformationEstimate(mu, logVar, indices.length, latentDim, new Rng(11));
    const learnedScale = await readLearnedScale(model);
    if (!isCurrent()) return;
    this.postDisentanglement(data, model.trainer.step, mu, indices.length, latentDim, factors, { mutualInformation: usage.value, mutualInformationCeiling: usage.ceiling, learnedScale });
    const transfer: Transferable[] = [mu.buffer, logVar.buffer, labels.buffer];
    if (preview) transfer.push(preview.buffer);
    const sentFactors = firstReport && factors ? factors.slice() : undefined;
    if (sentFactors) transfer.push(sentFactors.buffer);
    const classifier = await classifierReport(model, data, { images, labels, mu, count: indices.length }, this.deps.yieldToEventLoop);
    const prior = await model.trainer.priorComponents();
    if (!isCurrent()) return;
    if (prior) {
      const { count, weights, means, logVars, pseudoInputs } = prior;
      const kind = model.trainer.model.latent.prior.id;
      this.deps.post({ type: 'prior', step: model.trainer.step, kind, count, latentDim, weights, means, logVars, pseudoInputs }, [weights.buffer, means.buffer, logVars.buffer, ...(pseudoInputs ? [pseudoInputs.buffer] : [])]);
    }
    if (classifier) this.deps.post(classifier);
    // an adversarial family's discriminator, on the same schedule as the scatter
    const critic = await discriminatorOutputs(model, data);
    if (critic && isCurrent()) this.deps.post(critic);
    this.deps.post(
      { type: 'latents', step: model.trainer.step, count: indices.length, latentDim, mu, logVar, labels, indices: indices.slice(), images: preview, factors: sentFactors },
      transfer,
    );
  }

  /**
   * A discrete latent's report instead of the scatter's: the code grids of the same sample of test
   * points (with their images once per data set) and the codebook they index.
   */
  private async reportCodes(model: LiveModel, data: ResidentData, isCurrent: () => boolean): Promise<void> {
    const latent = discreteLatentOf(model.trainer.model, 'the code report');
    const dataset = data.dataset;
    const indices = this.pointIndices(data);
    const dim = data.pixels;
    const images = new Float32Array(indices.length * dim);
    indices.forEach((row, k) => images.set(dataset.test.images.subarray(row * dim, (row + 1) * dim), k * dim));
    const labels = Uint8Array.from(indices, (i) => dataset.test.labels[i]);
    const positions = latent.grid[0] * latent.grid[1];
    const codes = new Uint16Array(indices.length * positions);
    for (let start = 0; start < indices.length; start += ENCODE_CHUNK) {
      const n = Math.min(ENCODE_CHUNK, indices.length - start);
      codes.set(await model.trainer.encodeCodes(images.subarray(start * dim, (start + n) * dim), n), start * positions);
      if (start + n < indices.length) await this.deps.yieldToEventLoop();
    }
    const { vectors } = await model.trainer.codebook();
    if (!isCurrent()) return;
    const firstReport = this.previewSentFor !== indices;
    const preview = firstReport ? Uint8Array.from(images, (v) => Math.round(v * 255)) : undefined;
    this.previewSentFor = indices;
    const transfer: Transferable[] = [codes.buffer, labels.buffer, vectors.buffer];
    if (preview) transfer.push(preview.buffer);
    this.deps.post(
      {
        type: 'codes',
        step: model.trainer.step,
        count: indices.length,
        grid: [latent.grid[0], latent.grid[1]],
        codebookSize: latent.codebookSize,
        codeDim: latent.codeDim,
        codes,
        labels,
        indices: indices.slice(),
        codebook: vectors,
        images: preview,
      },
      transfer,
    );
  }

  /** The posterior of every test image, in slices (the latent codes to download). */
  encodeTestSet(model: LiveModel, data: ResidentData): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const test = data.dataset.test;
    return this.encodeInChunks(model, test.images, test.count, data.pixels, model.usesLabels ? test.labels : undefined);
  }

  /** The test points shown in the latent scatter: a fixed, seeded sample of the test set. */
  private pointIndices(data: ResidentData): Int32Array {
    const test = data.dataset.test;
    const n = Math.min(this.reporting.latentPoints, test.count);
    if (!this.latentIndices || this.latentIndices.length !== n) {
      const all = new Int32Array(test.count).map((_, i) => i);
      new Rng(7).shuffleInPlace(all);
      this.latentIndices = all.slice(0, n).sort();
    }
    return this.latentIndices;
  }

  /** The ground-truth factors of the scatter's points, row-major, or null without factors. */
  private pointFactors(data: ResidentData, indices: Int32Array): Uint16Array | null {
    const all = data.dataset.test.factors;
    if (!all) return null;
    const k = all.names.length;
    const out = new Uint16Array(indices.length * k);
    indices.forEach((row, i) => out.set(all.values.subarray(row * k, (row + 1) * k), i * k));
    return out;
  }

  /** Active units and, with ground-truth factors, MIG, on the scatter's sample of test points. */
  private postDisentanglement(
    data: ResidentData,
    step: number,
    mu: Float32Array,
    count: number,
    latentDim: number,
    factors: Uint16Array | null,
    usage: Pick<WorkerEventOf<'disentanglement'>, 'mutualInformation' | 'mutualInformationCeiling' | 'learnedScale'>,
  ): void {
    const units = activeUnits(mu, count, latentDim);
    let mig: number | null = null;
    let migPerFactor: WorkerEventOf<'disentanglement'>['migPerFactor'] = null;
    const info = data.dataset.test.factors;
    if (factors && info) {
      try {
        const result = mutualInformationGap(mu, count, latentDim, factors, info.sizes);
        mig = result.mig;
        migPerFactor = result.perFactor.map((f) => ({ factor: info.names[f.factor], gap: f.gap, topDims: f.top }));
      } catch {
        // a sample where no factor varies has no MIG; the event says null
      }
    }
    this.deps.post({ type: 'disentanglement', step, unitVariances: Array.from(units.variances), activeUnits: units.count, mig, migPerFactor, ...usage });
  }

  /** Encode in slices, yielding between them, so other messages are not held up for long. */
  private async encodeInChunks(model: LiveModel, images: Float32Array, count: number, dim: number, labels?: Uint8Array): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const latentDim = model.trainer.modelConfig.latentDim;
    const mu = new Float32Array(count * latentDim);
    const logVar = new Float32Array(count * latentDim);
    for (let start = 0; start < count; start += ENCODE_CHUNK) {
      const n = Math.min(ENCODE_CHUNK, count - start);
      const part = await model.trainer.encode(images.subarray(start * dim, (start + n) * dim), n, labels?.subarray(start, start + n));
      mu.set(part.mu, start * latentDim);
      logVar.set(part.logVar, start * latentDim);
      if (start + n < count) await this.deps.yieldToEventLoop();
    }
    return { mu, logVar };
  }
}

/** The learned σ (or logistic scale) of the model's likelihood, or null. */
async function readLearnedScale(model: LiveModel): Promise<number | null> {
  const scale = model.trainer.model.latent.learnedScale?.() ?? null;
  if (!scale) return null;
  const value = (await scale.data())[0];
  scale.dispose();
  return value;
}
