/**
 * One owner for a model, its optimiser and the running metrics: a training step, evaluation on
 * held-out data, encoding and decoding. Every tensor made here is either returned to a caller who
 * owns it, kept in a field this class disposes, or freed by tf.tidy.
 *
 * Metrics are summed on the device and read back only when asked (every K steps), because a
 * read-back each step stalls the WebGL pipeline and costs on wasm too.
 */
import * as tf from '@tensorflow/tfjs';
import { Adam, disposeAdamState, type AdamState } from './adam';
import { betaObjective, combineTerms, klPerExampleAndDim, meanFromLogits, reconstructionNllPerExample } from './losses';
import { capacityAt, klWeightAt, resolveTrainingConfig } from './schedules';
import { reparameterize, Vae } from './vae';
import type { LossTerms, LossValues, ModelConfig, ObjectiveSpec, ResolvedTrainingConfig, Rng, TrainingConfig } from './types';

/** Averages of the metrics over the steps since the last read. */
export interface TrainingMetrics extends LossValues {
  steps: number;
  /**
   * The weight the objective put on the KL penalty, averaged over the steps read: β(t) of the
   * schedule, γ under capacity annealing, 0 for the autoencoder objective.
   */
  klWeight: number;
  /** The KL target C(t) in nats averaged over the steps that had one; NaN when none did. */
  capacity: number;
}

interface Checkpoint {
  weights: tf.Tensor[];
  optimizer: AdamState;
  /** The trainer's step (not Adam's: imported weights start a fresh Adam at a later step). */
  step: number;
}

/** Seeds for tf.randomNormal: one integer per call from our own seeded stream. */
function nextSeed(rng: Rng): number {
  return Math.floor(rng.next() * 2 ** 31);
}

export class Trainer {
  readonly vae: Vae;
  private readonly optimizer: Adam;
  private training: ResolvedTrainingConfig;
  private metricSum: tf.Tensor1D | null = null;
  private metricSteps = 0;
  /** Host-side sums of the per-step schedule values (plain numbers: nothing to read back). */
  private klWeightSum = 0;
  private capacitySum = 0;
  private capacitySteps = 0;
  private checkpoint: Checkpoint | null = null;
  private stepCount = 0;

  constructor(
    readonly modelConfig: ModelConfig,
    training: TrainingConfig,
    private readonly rng: Rng,
    vae?: Vae,
  ) {
    this.vae = vae ?? Vae.mlp(modelConfig, rng);
    this.training = resolveTrainingConfig(training);
    this.optimizer = new Adam(this.vae.variables, training.learningRate);
  }

  get step(): number {
    return this.stepCount;
  }

  /** The training settings with every default applied (a copy). */
  get config(): ResolvedTrainingConfig {
    return { ...this.training, klSchedule: { ...this.training.klSchedule } };
  }

  /**
   * Change any training setting (β, learning rate, batch size, KL schedule, free bits, objective);
   * takes effect at the next step. Undefined fields are ignored. Schedules are evaluated at the
   * trainer's step, so a new schedule applies as of the current step (a linear warm-up shorter
   * than the steps taken is already complete); a reset starts it from step 0.
   */
  updateTraining(change: Partial<TrainingConfig>): void {
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<TrainingConfig>;
    this.training = resolveTrainingConfig({ ...this.training, ...defined });
    this.optimizer.learningRate = this.training.learningRate;
  }

  /** The objective at a step (default: the next step to be taken), from the schedule and settings. */
  objectiveAt(step = this.stepCount): ObjectiveSpec {
    const { objective, klSchedule, beta, freeBits } = this.training;
    if (objective === 'autoencoder') return { kind: objective, klWeight: 0, capacity: null, freeBits };
    return { kind: objective, klWeight: klWeightAt(klSchedule, beta, step), capacity: capacityAt(klSchedule, step), freeBits };
  }

  /**
   * The loss terms of a batch for a given ε (tensors the caller owns). `objective` defaults to
   * the one of the next step; a number means the plain VAE with that β. The autoencoder decodes
   * z = μ and ignores ε.
   */
  lossTerms(x: tf.Tensor2D, epsilon: tf.Tensor2D, objective: ObjectiveSpec | number = this.objectiveAt()): LossTerms<tf.Tensor> {
    const spec = typeof objective === 'number' ? betaObjective(objective) : objective;
    return tf.tidy(() => {
      const posterior = this.vae.encoder.encode(x);
      const z = spec.kind === 'autoencoder' ? posterior.mu : reparameterize(posterior, epsilon);
      const logits = this.vae.decoder.decode(z);
      const reconstruction = reconstructionNllPerExample(this.modelConfig.likelihood, logits, x);
      return combineTerms(reconstruction, klPerExampleAndDim(posterior), spec);
    });
  }

  /** One optimiser step on a batch [n, inputDim] of intensities in [0, 1]. */
  trainStep(x: tf.Tensor2D): void {
    const variables = this.vae.variables;
    // variableGrads frees everything made inside f except its value, so the metric row is
    // kept explicitly (tf.keep) and freed here once it is added to the running sum.
    let row: tf.Tensor1D | null = null;
    const spec = this.objectiveAt(this.stepCount);
    tf.tidy(() => {
      // drawn for every objective, so the noise stream does not depend on the objective
      const epsilon = tf.randomNormal([x.shape[0], this.modelConfig.latentDim], 0, 1, 'float32', nextSeed(this.rng)) as tf.Tensor2D;
      const { grads } = tf.variableGrads(() => {
        const terms = this.lossTerms(x, epsilon, spec);
        row = tf.keep(packMetricRow(terms));
        return terms.objective as tf.Scalar;
      }, variables);
      // Variables outside the objective's graph (the decoder under 'kl-only') have no gradient:
      // they get zeros (Adam's momentum from earlier steps may still move them a little).
      this.optimizer.apply(variables.map((v) => grads[v.name] ?? tf.zerosLike(v)));
    });
    this.klWeightSum += spec.klWeight;
    if (spec.capacity !== null) {
      this.capacitySum += spec.capacity;
      this.capacitySteps += 1;
    }
    const kept = row as unknown as tf.Tensor1D;
    if (this.metricSum) {
      const sum = tf.add(this.metricSum, kept) as tf.Tensor1D;
      this.metricSum.dispose();
      kept.dispose();
      this.metricSum = sum;
    } else {
      this.metricSum = kept;
    }
    this.metricSteps += 1;
    this.stepCount += 1;
  }

  /** Means over the steps since the last call (null if there were none); resets the sums. */
  async readMetrics(): Promise<TrainingMetrics | null> {
    if (!this.metricSum || this.metricSteps === 0) return null;
    const sum = this.metricSum;
    const steps = this.metricSteps;
    const klWeight = this.klWeightSum / steps;
    const capacity = this.capacitySteps > 0 ? this.capacitySum / this.capacitySteps : NaN;
    this.metricSum = null; // read below, then disposed: not by resetMetricSums
    this.resetMetricSums();
    const values = await sum.data();
    sum.dispose();
    return { ...unpackMetricRow(Array.from(values, (v) => v / steps)), steps, klWeight, capacity };
  }

  /** Forget the running sums (the device sum is disposed). */
  private resetMetricSums(): void {
    this.metricSum?.dispose();
    this.metricSum = null;
    this.metricSteps = 0;
    this.klWeightSum = 0;
    this.capacitySum = 0;
    this.capacitySteps = 0;
  }

  /**
   * −ELBO, reconstruction and KL on held-out images, in nats per example, one ε sample per
   * example (as the PyTorch reference does), with a fixed seed so repeated calls agree.
   * Always the ELBO of q with sampling (objective = −ELBO), whatever the training objective or
   * schedule, so the three objectives are compared on the same footing.
   */
  async evaluate(images: Float32Array, count: number, chunk = 1000, seed = 1234, betweenChunks?: () => Promise<void>): Promise<LossValues> {
    const dim = this.modelConfig.inputDim;
    const totals = new Float64Array(4 + this.modelConfig.latentDim);
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const row = tf.tidy(() => {
        const x = tf.tensor2d(images.subarray(start * dim, (start + n) * dim), [n, dim]);
        const epsilon = tf.randomNormal([n, this.modelConfig.latentDim], 0, 1, 'float32', seed + start) as tf.Tensor2D;
        return packMetricRow(this.lossTerms(x, epsilon, betaObjective(1)));
      });
      const values = await row.data();
      row.dispose();
      values.forEach((v, i) => (totals[i] += v * n));
      if (betweenChunks && start + n < count) await betweenChunks();
    }
    return unpackMetricRow(Array.from(totals, (v) => v / count));
  }

  /** Posterior means and log-variances of images [count, inputDim]. */
  async encode(images: Float32Array, count: number): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const dim = this.modelConfig.inputDim;
    const { mu, logVar } = tf.tidy(() => this.vae.encoder.encode(tf.tensor2d(images, [count, dim])));
    const [muValues, logVarValues] = await Promise.all([mu.data() as Promise<Float32Array>, logVar.data() as Promise<Float32Array>]);
    mu.dispose();
    logVar.dispose();
    return { mu: muValues, logVar: logVarValues };
  }

  /** The decoder's mean images (intensities in [0, 1]) for latents [count, latentDim]. */
  async decode(latents: Float32Array, count: number): Promise<Float32Array> {
    const means = tf.tidy(() => meanFromLogits(this.vae.decoder.decode(tf.tensor2d(latents, [count, this.modelConfig.latentDim]))));
    const values = (await means.data()) as Float32Array;
    means.dispose();
    return values;
  }

  /** The weights as plain arrays (in `vae.variables` order): a copy that survives the device. */
  async exportWeights(): Promise<Float32Array[]> {
    return Promise.all(this.vae.variables.map((v) => v.data() as Promise<Float32Array>));
  }

  /** Load weights exported by exportWeights (same architecture); the optimiser starts afresh. */
  importWeights(weights: Float32Array[], step: number): void {
    const variables = this.vae.variables;
    if (weights.length !== variables.length || weights.some((w, i) => w.length !== variables[i].size)) {
      throw new Error('the saved weights do not fit this model');
    }
    tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
    this.stepCount = step;
  }

  /** Remember the current weights and optimiser state as the last good ones. */
  saveCheckpoint(): void {
    this.disposeCheckpoint();
    this.checkpoint = { weights: this.vae.variables.map((v) => v.clone()), optimizer: this.optimizer.snapshot(), step: this.stepCount };
  }

  get hasCheckpoint(): boolean {
    return this.checkpoint !== null;
  }

  /** Go back to the last good weights (after a NaN, say). False when there is none. */
  restoreCheckpoint(): boolean {
    if (!this.checkpoint) return false;
    const { weights, optimizer, step } = this.checkpoint;
    this.vae.variables.forEach((v, i) => v.assign(weights[i]));
    this.optimizer.restore(optimizer);
    this.stepCount = step;
    this.resetMetricSums();
    return true;
  }

  /** True when every weight is finite (cheap enough to call after a divergence). */
  async weightsAreFinite(): Promise<boolean> {
    const flags = tf.tidy(() => tf.stack(this.vae.variables.map((v) => tf.all(tf.isFinite(v)))).all());
    const ok = (await flags.data())[0] === 1;
    flags.dispose();
    return ok;
  }

  dispose(): void {
    this.resetMetricSums();
    this.disposeCheckpoint();
    this.optimizer.dispose();
    this.vae.dispose();
  }

  private disposeCheckpoint(): void {
    if (!this.checkpoint) return;
    for (const t of this.checkpoint.weights) t.dispose();
    disposeAdamState(this.checkpoint.optimizer);
    this.checkpoint = null;
  }
}

/** [reconstruction, kl, −ELBO, objective, klPerDim…] as one vector: one read-back for all. */
function packMetricRow(t: LossTerms<tf.Tensor>): tf.Tensor1D {
  return tf.tidy(() => tf.concat([tf.stack([t.reconstruction, t.kl, t.negativeElbo, t.objective]), t.klPerDim]) as tf.Tensor1D);
}

function unpackMetricRow(row: number[]): LossValues {
  return { reconstruction: row[0], kl: row[1], negativeElbo: row[2], objective: row[3], klPerDim: row.slice(4) };
}
