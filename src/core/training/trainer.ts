/**
 * One owner for a model of any family, its optimisers (one per weight group) and the running
 * metrics: a training step, evaluation and per-example scores on held-out data, encoding and
 * decoding, weights by name and checkpoints. Every tensor made here is either returned to a
 * caller who owns it, kept in a field this class disposes, or freed by tf.tidy.
 *
 * Metrics are summed on the device and read back only when asked (every K steps), because a
 * read-back each step stalls the WebGL pipeline and costs on wasm too.
 */
import * as tf from '../tf';
import { exportNamedWeights, importNamedWeights, type NamedWeight } from '../io/weights';
import type { ModelConfig } from '../models/config';
import { gaussianLatentOf, modelVariables, planStep, type Batch, type BatchLosses, type FamilyModel, type LossOptions, type NoiseSource } from '../models/family';
import { buildModel } from '../models/registry';
import { importanceWeightedBounds, type BoundResult } from '../objective/bounds';
import { betaObjective, type ObjectiveSpec } from '../objective/gaussianObjective';
import type { LossValues } from '../objective/terms';
import { Adam } from '../optim/adam';
import { isRestorableRng, type Rng } from '../types';
import { decodeLatents } from './decoding';
import { disposeCheckpoint, restoreCheckpoint, takeCheckpoint, type Checkpoint } from './checkpoint';
import { evaluationObjective, objectiveAt, resolveTrainingConfig, type ResolvedTrainingConfig, type TrainingConfig } from './config';
import { packMetricRow, unpackMetricRow } from './metricRow';
import { MetricSums, type TrainingMetrics } from './metricSums';
import { readClasses, readCodebook, readCodes, readDecodedCodes, readPriorComponents, type PriorComponentValues } from './readouts';
import { fixedNoise, streamNoise } from './noise';
import { trainerStateProblem, type OptimizerState, type TrainerSnapshot, type TrainerState } from './trainerState';

export type { GroupUpdates, TrainingMetrics } from './metricSums';
export type { PriorComponentValues } from './readouts';

/** Per-example values of each declared term and of the bound, for the analysis tools. */
export interface ExampleScores {
  terms: Record<string, Float32Array>;
  negativeElbo: Float32Array;
}

export class Trainer {
  readonly model: FamilyModel;
  private readonly optimizers: Map<string, Adam>;
  private readonly noise: NoiseSource;
  private training: ResolvedTrainingConfig;
  /** The running metrics since the last read (metricSums.ts). */
  private readonly sums = new MetricSums();
  private checkpoint: Checkpoint | null = null;
  private stepCount = 0;

  constructor(
    readonly modelConfig: ModelConfig,
    training: TrainingConfig,
    private readonly rng: Rng,
    model?: FamilyModel,
  ) {
    this.model = model ?? buildModel(modelConfig, rng);
    this.training = resolveTrainingConfig(training);
    this.optimizers = new Map(this.model.groups.map((g) => [g.id, new Adam(g.variables, training.learningRate)]));
    this.noise = streamNoise(rng);
  }

  get step(): number {
    return this.stepCount;
  }

  /** The training settings with every default applied (a copy). */
  get config(): ResolvedTrainingConfig {
    return { ...this.training, klSchedule: { ...this.training.klSchedule }, options: { ...this.training.options } };
  }

  /** Every variable of the model, in the order of its named list. */
  get variables(): tf.Variable[] {
    return modelVariables(this.model);
  }

  /**
   * Change any training setting (β, learning rate, batch size, KL schedule, free bits, objective,
   * family options); takes effect at the next step. Undefined fields are ignored. Schedules are
   * evaluated at the trainer's step, so a new schedule applies as of the current step (a linear
   * warm-up shorter than the steps taken is already complete); a reset starts it from step 0.
   */
  updateTraining(change: Partial<TrainingConfig>): void {
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<TrainingConfig>;
    const options = defined.options ? { ...this.training.options, ...defined.options } : this.training.options;
    this.training = resolveTrainingConfig({ ...this.training, ...defined, options });
    for (const adam of this.optimizers.values()) adam.learningRate = this.training.learningRate;
  }

  /** The objective at a step (default: the next step to be taken). */
  objectiveAt(step = this.stepCount): ObjectiveSpec {
    return objectiveAt(this.training, step);
  }

  /**
   * The losses of a batch (tensors the caller owns) as minimised by the last phase's weight group
   * (the one whose losses a training step reports; the only one for a VAE). `objective` defaults
   * to the one of the next step; a number means the plain VAE with that β. `noise` defaults to
   * the training stream (which it then advances).
   */
  losses(batch: Batch | tf.Tensor2D, noise: NoiseSource = this.noise, objective: ObjectiveSpec | number = this.objectiveAt(), options?: LossOptions): BatchLosses {
    // a bare β keeps the family's own live settings (VQ-VAE's β_c) in force
    const spec = typeof objective === 'number' ? { ...betaObjective(objective), options: this.training.options } : objective;
    const phases = this.model.phases;
    return this.model.losses(asBatch(batch), noise, spec, phases[phases.length - 1].group, options);
  }

  /**
   * One training step on a batch of intensities in [0, 1]: the phases the family plans for it
   * (model.planStep), each updating its weight group unless its gate says no. `groups` asks for
   * a single player's step: only the phases of those weight groups run. The metrics report the
   * last phase's losses.
   */
  trainStep(batch: Batch | tf.Tensor2D, groups: readonly string[] | null = null): void {
    const b = asBatch(batch);
    const spec = this.objectiveAt(this.stepCount);
    const phases = planStep(this.model, { step: this.stepCount, groups, options: this.training.options });
    if (phases.length === 0) throw new Error(`no step phase updates ${groups?.join(', ') ?? 'any weight group'}`);
    this.model.beforeStep?.(b, spec);
    // variableGrads frees everything made inside f except its value, so the metric row is
    // kept explicitly (tf.keep) and freed here once it is added to the running sum.
    let row: tf.Tensor1D | null = null;
    for (const phase of phases) {
      const group = this.model.groups.find((g) => g.id === phase.group);
      const adam = this.optimizers.get(phase.group);
      if (!group || !adam) throw new Error(`step phase ${phase.group} names no weight group`);
      const counts = this.sums.updatesOf(phase.group);
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const losses = this.model.losses(b, this.noise, spec, phase.group, { training: true });
          row?.dispose();
          row = tf.keep(packMetricRow(this.model.terms, losses));
          return losses.objective;
        }, group.variables);
        // a gate decides on the values the update would follow (a small synchronous read)
        if (phase.gate && !phase.gate(unpackMetricRow(this.model.terms, (row as unknown as tf.Tensor1D).dataSync(), this.codeCount).terms)) {
          counts.skipped += 1;
          return;
        }
        counts.applied += 1;
        // Variables outside the objective's graph (the decoder under 'kl-only') have no gradient:
        // they get zeros (Adam's momentum from earlier steps may still move them a little).
        adam.apply(group.variables.map((v) => grads[v.name] ?? tf.zerosLike(v)));
      });
    }
    this.model.afterStep?.(spec);
    this.sums.add(row as unknown as tf.Tensor1D, spec.klWeight, spec.capacity);
    this.stepCount += 1;
  }

  /** Means over the steps since the last call (null if there were none); resets the sums. */
  readMetrics(): Promise<TrainingMetrics | null> {
    return this.sums.read((means) => unpackMetricRow(this.model.terms, means, this.codeCount));
  }

  /**
   * −ELBO and its terms on held-out images, in nats per example, one ε sample per example (as
   * the PyTorch reference does), with a fixed seed so repeated calls agree. Always the ELBO of q
   * with sampling (objective = −ELBO), whatever the training objective or schedule, so the three
   * objectives are compared on the same footing.
   */
  async evaluate(images: Float32Array, count: number, chunk = 1000, seed = 1234, betweenChunks?: () => Promise<void>, labels?: Uint8Array): Promise<LossValues> {
    const dim = this.inputSize;
    let totals: Float64Array | null = null;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const row = tf.tidy(() => packMetricRow(this.model.terms, this.losses(this.batchOf(images, labels, start, n, dim), fixedNoise(seed + start), evaluationObjective(this.training))));
      const values = await row.data();
      row.dispose();
      totals ??= new Float64Array(values.length);
      values.forEach((v, i) => ((totals as Float64Array)[i] += v * n));
      if (betweenChunks && start + n < count) await betweenChunks();
    }
    return unpackMetricRow(this.model.terms, Array.from(totals ?? [], (v) => v / count), this.codeCount);
  }

  /** Per-example term values and −ELBO of images (one ε each, fixed seed): anomaly scores. */
  async scoreExamples(images: Float32Array, count: number, chunk = 500, seed = 1234, labels?: Uint8Array, betweenChunks?: () => Promise<void>): Promise<ExampleScores> {
    const dim = this.inputSize;
    const terms = Object.fromEntries(this.model.terms.map((t) => [t.id, new Float32Array(count)]));
    const negativeElbo = new Float32Array(count);
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const rows = tf.tidy(() => {
        const losses = this.losses(this.batchOf(images, labels, start, n, dim), fixedNoise(seed + start), evaluationObjective(this.training), { perExample: true });
        const perExample = losses.perExample as Record<string, tf.Tensor1D>;
        const inElbo = this.model.terms.filter((t) => t.inElbo).map((t) => perExample[t.id]);
        return tf.stack([...this.model.terms.map((t) => perExample[t.id]), inElbo.length ? tf.addN(inElbo) : tf.zeros([n])]);
      });
      const values = (await rows.data()) as Float32Array;
      rows.dispose();
      this.model.terms.forEach((t, i) => terms[t.id].set(values.subarray(i * n, (i + 1) * n), start));
      negativeElbo.set(values.subarray(this.model.terms.length * n), start);
      if (betweenChunks && start + n < count) await betweenChunks();
    }
    return { terms, negativeElbo };
  }

  /**
   * The importance-weighted bounds L_k on log p(x) of images (objective/bounds.ts), from
   * `samples` draws per image with a fixed seed. Needs a Gaussian latent with a prior.
   */
  importanceWeightedBounds(
    images: Float32Array,
    count: number,
    options: { ks: readonly number[]; samples: number; seed?: number; rowsPerChunk?: number; betweenChunks?(done: number, total: number): Promise<void> },
    labels?: Uint8Array,
  ): Promise<BoundResult> {
    const latent = gaussianLatentOf(this.model, 'the importance-weighted bound');
    return importanceWeightedBounds(latent, images, count, this.inputSize, { ...options, noise: fixedNoise(options.seed ?? 321) }, labels);
  }

  /** Posterior means and log-variances of images [count, pixels]. */
  async encode(images: Float32Array, count: number, labels?: Uint8Array): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const { mu, logVar } = tf.tidy(() => {
      const b = this.batchOf(images, labels, 0, count, this.inputSize);
      return gaussianLatentOf(this.model, 'encoding to a posterior').encode(b.x, b.labels);
    });
    const [muValues, logVarValues] = await Promise.all([mu.data() as Promise<Float32Array>, logVar.data() as Promise<Float32Array>]);
    mu.dispose();
    logVar.dispose();
    return { mu: muValues, logVar: logVarValues };
  }

  /** The decoder's mean images (intensities in [0, 1]) for latents [count, latentDim] (decoding.ts: autoregressive decoders in slices). */
  decode(latents: Float32Array, count: number, labels?: Uint8Array | Int32Array, betweenSlices?: (done: number, total: number) => Promise<void>): Promise<Float32Array> {
    return decodeLatents(gaussianLatentOf(this.model, 'decoding a latent point'), latents, count, labels, betweenSlices);
  }

  /** The nearest code at each position of images [count, pixels] (discrete latents): [count, positions]. */
  encodeCodes(images: Float32Array, count: number, labels?: Uint8Array): Promise<Int32Array> {
    return readCodes(this.model, () => this.batchOf(images, labels, 0, count, this.inputSize));
  }

  /** The decoder's mean images for code grids [count, positions] of indices in [0, K). */
  decodeCodes(codes: Int32Array, count: number, labels?: Uint8Array): Promise<Float32Array> {
    return readDecodedCodes(this.model, codes, count, labels);
  }

  /** The codebook [K, D] as plain numbers (discrete latents). */
  codebook(): Promise<{ size: number; dim: number; vectors: Float32Array }> {
    return readCodebook(this.model);
  }

  /** Codes per position of a discrete latent in the metric row (0 for a Gaussian one). */
  private get codeCount(): number {
    return this.model.latent.kind === 'discrete' ? this.model.latent.codebookSize : 0;
  }

  /** The class the model's classifier q(y|x) finds most probable for each image; null without a classifier. */
  classify(images: Float32Array, count: number): Promise<Uint8Array | null> {
    return readClasses(this.model, () => tf.tensor2d(images, [count, this.inputSize]));
  }

  /** A mixture prior's components as plain arrays (weights [K], means and log-variances [K, d], pseudo-inputs [K, pixels]); null for N(0, I). */
  priorComponents(): Promise<PriorComponentValues | null> {
    return readPriorComponents(this.model);
  }

  /** The weights by stable path, as plain arrays: a copy that survives the device. */
  exportWeights(): Promise<NamedWeight[]> {
    return exportNamedWeights(this.model.named);
  }

  /** Load weights by path (same architecture); the optimisers start afresh at `step`. */
  importWeights(weights: readonly NamedWeight[], step: number): void {
    importNamedWeights(this.model.named, weights);
    this.model.weightsLoaded?.();
    this.stepCount = step;
  }

  /**
   * Copies of everything a saved model needs (weights, every optimiser's step and moments, the
   * step, the noise stream's position), taken synchronously: nothing can change between them.
   * The caller owns the tensors (disposeTrainerSnapshot).
   */
  captureState(): TrainerSnapshot {
    const pathOf = new Map(this.model.named.map((n) => [n.variable, n.path]));
    const named = (group: string, variables: tf.Variable[], tensors: tf.Tensor[]) =>
      tensors.map((tensor, i) => {
        const path = pathOf.get(variables[i]);
        if (path === undefined) throw new Error(`weight group ${group} holds a variable the model does not name`);
        return { path, tensor };
      });
    const optimizers = this.model.groups.map((g) => {
      const state = (this.optimizers.get(g.id) as Adam).snapshot();
      return { group: g.id, step: state.step, firstMoments: named(g.id, g.variables, state.firstMoments), secondMoments: named(g.id, g.variables, state.secondMoments) };
    });
    return {
      step: this.stepCount,
      weights: this.model.named.map(({ path, variable }) => ({ path, tensor: variable.clone() })),
      optimizers,
      noise: isRestorableRng(this.rng) ? [...this.rng.saveState()] : null,
    };
  }

  /** Why `state` cannot be loaded into this trainer (its model and weight groups), or null. */
  stateProblem(state: TrainerState): string | null {
    return trainerStateProblem(this.model, isRestorableRng(this.rng), state);
  }

  /**
   * Load a saved state (same architecture): weights, optimiser moments and steps, the step and
   * the noise stream, so training goes on exactly as it would have. Throws, assigning nothing,
   * when stateProblem finds a problem. Without a saved noise position the stream goes on from
   * wherever this trainer's generator is.
   */
  importState(state: TrainerState): void {
    const problem = this.stateProblem(state);
    if (problem) throw new Error(`the saved state does not fit this model: ${problem}`);
    // first, because the generator checks its state itself: a refusal here has changed nothing
    if (state.noise !== null && isRestorableRng(this.rng)) this.rng.restoreState(state.noise);
    importNamedWeights(this.model.named, state.weights);
    this.model.weightsLoaded?.();
    const pathOf = new Map(this.model.named.map((n) => [n.variable, n.path]));
    for (const group of this.model.groups) {
      const saved = state.optimizers.find((o) => o.group === group.id) as OptimizerState;
      const byPath = (list: NamedWeight[]) => new Map(list.map((w) => [w.path, w]));
      const first = byPath(saved.firstMoments);
      const second = byPath(saved.secondMoments);
      const tensors = (from: Map<string, NamedWeight>) => group.variables.map((v) => tf.tensor((from.get(pathOf.get(v) as string) as NamedWeight).values, v.shape));
      const firstMoments = tensors(first);
      const secondMoments = tensors(second);
      try {
        (this.optimizers.get(group.id) as Adam).restore({ step: saved.step, firstMoments, secondMoments });
      } finally {
        tf.dispose([...firstMoments, ...secondMoments]);
      }
    }
    this.stepCount = state.step;
    this.sums.reset();
  }

  /** Remember the current weights and optimiser states as the last good ones. */
  saveCheckpoint(): void {
    this.disposeCheckpoint();
    this.checkpoint = takeCheckpoint(this.variables, this.optimizers, this.stepCount);
  }

  get hasCheckpoint(): boolean {
    return this.checkpoint !== null;
  }

  /** Go back to the last good weights (after a NaN, say). False when there is none. */
  restoreCheckpoint(): boolean {
    if (!this.checkpoint) return false;
    restoreCheckpoint(this.checkpoint, this.variables, this.optimizers);
    this.stepCount = this.checkpoint.step;
    this.sums.reset();
    return true;
  }

  /** True when every weight is finite (cheap enough to call after a divergence). */
  async weightsAreFinite(): Promise<boolean> {
    return (await this.weightStats()).finite;
  }

  /** Whether every weight is finite, and the largest |weight| (one read-back of two numbers). */
  async weightStats(): Promise<{ finite: boolean; maxAbs: number }> {
    const stats = tf.tidy(() => {
      const finite = tf.cast(tf.all(tf.stack(this.variables.map((v) => tf.all(tf.isFinite(v))))), 'float32');
      const maxAbs = tf.max(tf.stack(this.variables.map((v) => tf.max(tf.abs(v)))));
      return tf.stack([finite, maxAbs]);
    });
    const [finite, maxAbs] = await stats.data();
    stats.dispose();
    return { finite: finite === 1, maxAbs };
  }

  dispose(): void {
    this.sums.reset();
    this.disposeCheckpoint();
    for (const adam of this.optimizers.values()) adam.dispose();
    this.model.dispose();
  }

  private get inputSize(): number {
    const { width, height, channels } = this.modelConfig.imageShape;
    return width * height * channels;
  }

  /** Rows [start, start + n) of images (and their labels) as a batch of tensors. */
  private batchOf(images: Float32Array, labels: Uint8Array | undefined, start: number, n: number, dim: number): Batch {
    return {
      x: tf.tensor2d(images.subarray(start * dim, (start + n) * dim), [n, dim]),
      labels: labels ? tf.tensor1d(labels.subarray(start, start + n), 'int32') : null,
    };
  }

  private disposeCheckpoint(): void {
    if (!this.checkpoint) return;
    disposeCheckpoint(this.checkpoint);
    this.checkpoint = null;
  }
}

function asBatch(batch: Batch | tf.Tensor2D): Batch {
  return batch instanceof tf.Tensor ? { x: batch, labels: null } : batch;
}
