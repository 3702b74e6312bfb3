/**
 * The VQ-VAE family (van den Oord et al. 2017), exactly ../shared/reference/vae_torch.py --arch vq:
 * the conv-small trunk and a 1×1 conv give z_e at each position of a 7×7 grid (8×8 on Shapes);
 * each position takes its nearest of K codes; the decoder sees only the codes (a 1×1 conv, then
 * conv-small's transposed convolutions). The straight-through gradient carries the decoder's
 * gradient to z_e unchanged.
 *
 * The loss per example, each part summed over positions and D like the reconstruction over pixels:
 *   reconstruction + ‖sg[z_e] − e‖² (codebook) + β_c‖z_e − sg[e]‖² (commitment),
 * with the codebook term left out under EMA updates (the codes then follow running means, outside
 * the gradient). With a uniform prior over the K codes, KL(q(z|x) ‖ p(z)) = positions · log K is a
 * constant (q is one code per position with certainty): −ELBO = reconstruction + positions · log K,
 * a true bound on −log p(x) that training cannot change except through the reconstruction.
 *
 * Every likelihood of the page applies: the binarised Bernoulli trains on images binarised afresh
 * at every use (the encoder sees them too, as in the VAE), the learned σ and the logistic's scale
 * are one variable beside the decoder (decoder/logScale, as in the VAE).
 *
 * Outside the gradient: the codebook starts as K encoder outputs of the first batch (as the
 * reference does); after each step the EMA update, and every RESTART_EVERY steps (when asked) the
 * restart of codes that no position chose meanwhile.
 */
import * as tf from '../../tf';
import { FAMILIES } from '../catalog';
import { VQ_SETTINGS, type CodebookUpdate } from './vqSettings';
import type { ModelConfig } from '../config';
import type { Batch, BatchLosses, DiscreteLatent, FamilyModel, LossOptions, NoiseSource, StepPhase, WeightGroup } from '../family';
import { codeGrid, VqDecoder, VqEncoder } from '../nets/vqConv';
import { VariableScope, type NamedVariable } from '../../layers/scope';
import { LEARNED_SCALE_LIKELIHOODS } from '../../objective/catalog';
import type { ObjectiveSpec } from '../../objective/gaussianObjective';
import { meanFromLogits, reconstructionNllPerExample } from '../../objective/likelihoods';
import { binarise, uniformFromNormal } from '../../objective/pixelNoise';
import { INITIAL_LOG_SCALE } from '../gaussianLatent';
import type { LossTermSpec } from '../../objective/terms';
import type { Rng } from '../../types';
import { assignments, emaUpdate, nearestCodes, quantise, restartDeadCodes, type Assignments } from './quantiser';

export const MODEL_GROUP = 'model';
/** Dead codes are looked for over windows of this many steps. */
export const RESTART_EVERY = 100;

/** A family option's value, or its declared default (a training config may leave options out). */
function option<K extends keyof typeof VQ_SETTINGS>(options: Readonly<Record<string, unknown>> | undefined, key: K): (typeof VQ_SETTINGS)[K]['default'] {
  const value = options?.[key];
  return (value === undefined ? VQ_SETTINGS[key].default : value) as (typeof VQ_SETTINGS)[K]['default'];
}

/** The terms as this model reports them: under EMA updates the codebook term is measured, not minimised. */
function termsFor(update: CodebookUpdate): readonly LossTermSpec[] {
  const declared = FAMILIES.vqvae.terms;
  if (update === 'gradient') return declared;
  return declared.map((t) =>
    t.id === 'codebook'
      ? { ...t, inObjective: false, meaning: '‖sg[z_e] − e‖²: how far the codes are from the encoder outputs that chose them; measured only, since under EMA updates each code follows the running mean of those outputs' }
      : t,
  );
}

/** `count` distinct indices in [0, n) (with repeats only when n < count), drawn from rng. */
export function drawRows(rng: Rng, n: number, count: number): Int32Array {
  const out = new Int32Array(count);
  if (n >= count) {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(rng.next() * (n - i));
      [all[i], all[j]] = [all[j], all[i]];
      out[i] = all[i];
    }
  } else {
    for (let i = 0; i < count; i++) out[i] = Math.floor(rng.next() * n);
  }
  return out;
}

export class VqVae implements FamilyModel {
  readonly terms: readonly LossTermSpec[];
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: MODEL_GROUP }];
  readonly latent: DiscreteLatent;
  readonly codebookSize: number;
  readonly codeDim: number;
  readonly update: CodebookUpdate;
  /** Positions of the code grid (49 on MNIST). */
  readonly positions: number;
  private readonly scope = new VariableScope('vqvae');
  private readonly encoder: VqEncoder;
  private readonly decoder: VqDecoder;
  readonly codebook: tf.Variable<tf.Rank.R2>;
  /** log σ of a learned-σ Gaussian, log s of the discretised logistic; null for the other likelihoods. */
  private readonly logScale: tf.Variable | null = null;
  /** The EMA state (EMA updates only): running counts N_k and sums m_k. */
  private readonly emaCount: tf.Variable<tf.Rank.R1> | null = null;
  private readonly emaSum: tf.Variable<tf.Rank.R2> | null = null;
  /** The codebook has had its data-dependent start (or weights were loaded). */
  private started = false;
  /** What a training step's losses kept for afterStep. */
  private pending: { assignments: Assignments; candidates: tf.Tensor2D | null } | null = null;
  /** Rows per code since the last look for dead codes (restarts on), and the steps counted. */
  private windowUsage: tf.Tensor1D | null = null;
  private windowSteps = 0;

  constructor(
    readonly config: ModelConfig,
    private readonly rng: Rng,
  ) {
    this.codebookSize = option(config.options, 'codes');
    this.codeDim = option(config.options, 'codeDim');
    this.update = option(config.options, 'codebookUpdate');
    const grid = codeGrid(config.imageShape);
    this.positions = grid[0] * grid[1];
    const [K, D] = [this.codebookSize, this.codeDim];
    // the reference's order of initialisation: trunk and 1×1 conv, codebook U(−1/K, 1/K), decoder
    this.encoder = new VqEncoder(config.imageShape, D, rng, this.scope);
    const initial = tf.tensor2d(Float32Array.from({ length: K * D }, () => (rng.next() * 2 - 1) / K), [K, D]);
    this.codebook = this.scope.variable('quantiser/codebook', initial) as tf.Variable<tf.Rank.R2>;
    if (this.update === 'ema') {
      const ones = tf.ones([K]);
      this.emaCount = this.scope.variable('quantiser/emaCount', ones, false) as tf.Variable<tf.Rank.R1>;
      this.emaSum = this.scope.variable('quantiser/emaSum', initial, false) as tf.Variable<tf.Rank.R2>;
      ones.dispose();
    }
    initial.dispose();
    this.decoder = new VqDecoder(config.imageShape, D, rng, this.scope);
    if (LEARNED_SCALE_LIKELIHOODS.includes(config.likelihood)) {
      const start = tf.scalar(INITIAL_LOG_SCALE);
      this.logScale = this.scope.variable('decoder/logScale', start);
      start.dispose();
    }
    this.terms = termsFor(this.update);
    const trained = this.scope.named.filter((n) => n.variable.trainable && (this.update === 'gradient' || n.variable !== this.codebook)).map((n) => n.variable);
    this.groups = [{ id: MODEL_GROUP, label: this.update === 'gradient' ? 'encoder, codebook and decoder' : 'encoder and decoder', variables: trained }];
    this.latent = {
      kind: 'discrete',
      codebookSize: K,
      codeDim: D,
      grid,
      encode: (x) => tf.tidy(() => tf.reshape(nearestCodes(this.encoder.call(x), this.codebook), [x.shape[0], this.positions]) as tf.Tensor2D),
      decode: (codes) =>
        tf.tidy(() => {
          const rows = tf.gather(this.codebook, tf.reshape(tf.cast(codes, 'int32'), [-1])) as tf.Tensor2D;
          return meanFromLogits(this.decoder.call(rows));
        }),
      codebook: () => tf.clone(this.codebook),
      learnedScale: () => (this.logScale ? (tf.tidy(() => tf.exp(this.logScale as tf.Variable)) as tf.Scalar) : null),
    };
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  /** The commitment weight β_c in force. */
  commitmentWeight(spec: ObjectiveSpec): number {
    return option(spec.options, 'commitment');
  }

  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, _group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const x = this.config.likelihood === 'binarised' ? binarise(batch.x, uniformFromNormal(noise([batch.x.shape[0], batch.x.shape[1]]))) : batch.x;
      const ze = this.encoder.call(x);
      const q = quantise(ze, this.codebook, this.positions);
      const logits = this.decoder.call(q.zq);
      const reconstructionPerExample = reconstructionNllPerExample(this.config.likelihood, logits, x, this.logScale);
      const commitmentPerExample = tf.mul(q.commitmentPerExample, this.commitmentWeight(spec)) as tf.Tensor1D;
      const reconstruction = tf.mean(reconstructionPerExample) as tf.Scalar;
      const codebook = tf.mean(q.codebookPerExample) as tf.Scalar;
      const commitment = tf.mean(commitmentPerExample) as tf.Scalar;
      const klValue = this.positions * Math.log(this.codebookSize);
      const codeKl = tf.scalar(klValue);
      const minimised = this.update === 'gradient' ? [reconstruction, codebook, commitment] : [reconstruction, commitment];
      const losses: BatchLosses = {
        means: { reconstruction, codeKl, codebook, commitment },
        negativeElbo: tf.add(reconstruction, codeKl) as tf.Scalar,
        objective: tf.addN(minimised) as tf.Scalar,
        codeUsage: tf.div(tf.sum(q.oneHot, 0), q.oneHot.shape[0]) as tf.Tensor1D,
      };
      if (options.perExample) {
        const n = x.shape[0];
        losses.perExample = { reconstruction: reconstructionPerExample, codeKl: tf.fill([n], klValue) as tf.Tensor1D, codebook: q.codebookPerExample, commitment: commitmentPerExample };
      }
      if (options.training) this.keepForAfterStep(q.oneHot, ze, spec);
      return losses;
    });
  }

  /** The batch's assignments (EMA, dead-code windows) and, when a restart is due, K of its outputs. */
  private keepForAfterStep(oneHot: tf.Tensor2D, ze: tf.Tensor2D, spec: ObjectiveSpec): void {
    this.disposePending();
    const restartDue = option(spec.options, 'restartDeadCodes') === 'on' && this.windowSteps + 1 >= RESTART_EVERY;
    const candidates = restartDue ? tf.keep(tf.gather(ze, tf.tensor1d(drawRows(this.rng, ze.shape[0], this.codebookSize), 'int32')) as tf.Tensor2D) : null;
    const a = assignments(oneHot, ze);
    this.pending = { assignments: { counts: tf.keep(a.counts), sums: tf.keep(a.sums) }, candidates };
  }

  /** The reference's start: the codes are K encoder outputs of the first batch (dead codes are then rarer). */
  beforeStep(batch: Batch): void {
    if (this.started) return;
    this.started = true;
    tf.tidy(() => {
      const ze = this.encoder.call(batch.x);
      const start = tf.gather(ze, tf.tensor1d(drawRows(this.rng, ze.shape[0], this.codebookSize), 'int32'));
      this.codebook.assign(start as tf.Tensor2D);
      this.emaCount?.assign(tf.onesLike(this.emaCount));
      this.emaSum?.assign(start as tf.Tensor2D);
    });
  }

  afterStep(spec: ObjectiveSpec): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    const { counts, sums } = pending.assignments;
    tf.tidy(() => {
      if (this.emaCount && this.emaSum) {
        const next = emaUpdate({ count: this.emaCount, sum: this.emaSum }, pending.assignments, option(spec.options, 'emaDecay'));
        this.emaCount.assign(next.count);
        this.emaSum.assign(next.sum);
        this.codebook.assign(next.codebook);
      }
    });
    if (option(spec.options, 'restartDeadCodes') === 'on') {
      const usage = this.windowUsage ? tf.add(this.windowUsage, counts) : tf.clone(counts);
      this.windowUsage?.dispose();
      this.windowUsage = usage as tf.Tensor1D;
      this.windowSteps += 1;
      if (pending.candidates && this.windowSteps >= RESTART_EVERY) this.restart(this.windowUsage, pending.candidates);
    } else {
      this.forgetWindow();
    }
    tf.dispose([counts, sums, ...(pending.candidates ? [pending.candidates] : [])]);
  }

  private restart(usage: tf.Tensor1D, candidates: tf.Tensor2D): void {
    tf.tidy(() => {
      const { codebook, restarted } = restartDeadCodes(this.codebook, usage, candidates);
      this.codebook.assign(codebook);
      if (this.emaCount && this.emaSum) {
        // a restarted code starts its running mean afresh, at its new vector, with a count of one
        this.emaCount.assign(tf.add(tf.mul(this.emaCount, tf.sub(1, restarted)), restarted) as tf.Tensor1D);
        this.emaSum.assign(restartDeadCodes(this.emaSum, usage, candidates).codebook);
      }
    });
    this.forgetWindow();
  }

  private forgetWindow(): void {
    this.windowUsage?.dispose();
    this.windowUsage = null;
    this.windowSteps = 0;
  }

  weightsLoaded(): void {
    this.started = true;
  }

  private disposePending(): void {
    if (!this.pending) return;
    const { assignments: a, candidates } = this.pending;
    tf.dispose([a.counts, a.sums, ...(candidates ? [candidates] : [])]);
    this.pending = null;
  }

  dispose(): void {
    this.disposePending();
    this.forgetWindow();
    this.scope.dispose();
  }
}
