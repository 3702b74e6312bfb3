/**
 * M2 of Kingma, Rezende, Mohamed & Welling 2014 ("Semi-supervised learning with deep generative
 * models"): a classifier q(y|x), an encoder q(z|x, y) and a decoder p(x|y, z), with p(y) uniform
 * over K classes and p(z) = N(0, I).
 *
 * A labelled image (x, y) gets the bound on log p(x, y):
 *   −L(x, y) = −E_q(z|x,y)[log p(x|y, z)] + KL(q(z|x, y) ‖ p(z)) − log p(y).
 * An unlabelled image gets the bound on log p(x), the class summed out under q(y|x):
 *   −U(x) = Σ_y q(y|x) (−L(x, y) + log p(y)) + KL(q(y|x) ‖ p(y)).
 * Both are Σ_y w_y [recon_y + KL_y] + Σ_y w_y (log w_y − log p(y)) with w = onehot(y) for a
 * labelled image (the last sum is then −log p(y) = log K) and w = q(y|x) for an unlabelled one;
 * the declared terms are these three sums. The classifier learns from the labels only through the
 * extra term α · mean over the labelled images of −log q(y|x) (J^α of the paper), which is outside
 * the bound. One weight group, one phase.
 */
import * as tf from '../tf';
import { FAMILIES } from './catalog';
import { inputSize, type ModelConfig } from './config';
import type { Batch, BatchLosses, FamilyModel, GaussianLatent, LossOptions, NoiseSource, StepPhase, WeightGroup } from './family';
import { GaussianAutoencoder, oneHotCondition } from './gaussianLatent';
import { MODEL_GROUP } from './gaussianVae';
import { MlpClassifier } from './nets/classifier';
import { VariableScope, type NamedVariable } from '../layers/scope';
import { combineTerms, type ObjectiveSpec } from '../objective/gaussianObjective';
import { klPerExampleAndDim } from '../objective/kl';
import { StandardNormalPrior } from '../objective/priors/standardNormal';
import type { Rng } from '../types';

/** α when the settings do not say. */
export const DEFAULT_CLASSIFIER_WEIGHT = 50;

/** Per-example terms of some rows, each [rows] (klPerDim [rows, d]). */
interface RowTerms {
  reconstruction: tf.Tensor1D;
  kl: tf.Tensor1D;
  klPerDim: tf.Tensor2D;
  classKl: tf.Tensor1D;
  classification: tf.Tensor1D;
  /** 1 for labelled rows, 0 for unlabelled ones. */
  labelled: tf.Tensor1D;
}

export class SemiSupervisedVae implements FamilyModel {
  readonly terms = FAMILIES.m2.terms;
  readonly groups: readonly WeightGroup[];
  readonly phases: readonly StepPhase[] = [{ group: MODEL_GROUP }];
  readonly latent: GaussianLatent;
  private readonly prior = new StandardNormalPrior();
  readonly classifier: { classify(x: tf.Tensor2D): tf.Tensor2D };
  private readonly scope = new VariableScope('m2');
  private readonly nets: GaussianAutoencoder;
  private readonly classifierNet: MlpClassifier;
  private readonly classes: number;

  constructor(readonly config: ModelConfig, rng: Rng) {
    this.classes = config.classCount;
    this.nets = new GaussianAutoencoder(config, rng, this.scope, this.classes);
    this.classifierNet = new MlpClassifier(inputSize(config), config.hiddenDim, this.classes, rng, this.scope);
    this.groups = [{ id: MODEL_GROUP, label: 'classifier, encoder and decoder', variables: this.scope.named.map((n) => n.variable) }];
    this.classifier = { classify: (x) => tf.tidy(() => tf.softmax(this.classifierNet.logits(x)) as tf.Tensor2D) };
    this.latent = {
      kind: 'gaussian',
      latentDim: config.latentDim,
      // without a label, z is inferred under the classifier's most probable class
      encode: (x, labels) => tf.tidy(() => this.nets.posterior(x, oneHotCondition(labels ?? (tf.argMax(this.classifierNet.logits(x), 1) as tf.Tensor1D), this.classes))),
      decode: (z, labels) =>
        tf.tidy(() => {
          if (!labels) throw new Error('M2 decodes p(x|y, z): it needs a class for every latent');
          return this.nets.decodeMean(z, oneHotCondition(labels, this.classes));
        }),
      // log p(x|y, z): the importance-weighted bound at a given class (p(y) is uniform)
      logLikelihood: (x, z, labels) =>
        tf.tidy(() => {
          if (!labels) throw new Error('M2’s likelihood p(x|y, z) needs a class for every image');
          return this.nets.logLikelihood(x, z, oneHotCondition(labels, this.classes));
        }),
      prior: this.prior,
    };
  }

  get named(): readonly NamedVariable[] {
    return this.scope.named;
  }

  losses(batch: Batch, noise: NoiseSource, spec: ObjectiveSpec, _group: string, options: LossOptions = {}): BatchLosses {
    return tf.tidy(() => {
      const n = batch.x.shape[0];
      const unlabelled = batch.labels ? Math.min(n, Math.max(0, batch.unlabelledCount ?? 0)) : n;
      const parts: RowTerms[] = [];
      if (unlabelled > 0) parts.push(this.unlabelledTerms(tf.slice(batch.x, [0, 0], [unlabelled, -1]), noise));
      if (unlabelled < n) {
        parts.push(this.labelledTerms(tf.slice(batch.x, [unlabelled, 0], [n - unlabelled, -1]), tf.slice(batch.labels as tf.Tensor1D, [unlabelled], [n - unlabelled]), noise));
      }
      const all = <K extends keyof RowTerms>(key: K): RowTerms[K] => (parts.length === 1 ? parts[0][key] : (tf.concat(parts.map((p) => p[key])) as RowTerms[K]));
      const reconstruction = all('reconstruction');
      const classKl = all('classKl');
      const classification = all('classification');
      const labelledRows = tf.sum(all('labelled'));
      const t = combineTerms(reconstruction, all('klPerDim'), spec);
      const classKlMean = tf.mean(classKl);
      // α · mean over the labelled rows of −log q(y|x) (0 when the batch has none)
      const alpha = Number(spec.options?.classifierWeight ?? DEFAULT_CLASSIFIER_WEIGHT);
      const supervised = tf.mul(tf.div(tf.sum(classification), tf.maximum(labelledRows, 1)), alpha);
      const losses: BatchLosses = {
        means: { reconstruction: t.reconstruction as tf.Scalar, kl: t.kl as tf.Scalar, classKl: classKlMean as tf.Scalar, classification: tf.mean(classification) as tf.Scalar },
        klPerDim: t.klPerDim as tf.Tensor1D,
        negativeElbo: tf.add(t.negativeElbo, classKlMean) as tf.Scalar,
        objective: tf.add(tf.add(t.objective, classKlMean), supervised) as tf.Scalar,
      };
      if (options.perExample) losses.perExample = { reconstruction, kl: all('kl'), classKl, classification };
      return losses;
    });
  }

  /** Labelled rows: the bound on log p(x, y) at the given class, and −log q(y|x). */
  private labelledTerms(x: tf.Tensor2D, labels: tf.Tensor1D, noise: NoiseSource): RowTerms {
    return tf.tidy(() => {
      const rows = x.shape[0];
      const y = oneHotCondition(labels, this.classes);
      const { posterior, reconstruction } = this.nets.pass(x, y, noise([rows, this.config.latentDim]));
      const klPerDim = klPerExampleAndDim(posterior);
      const logQ = tf.logSoftmax(this.classifierNet.logits(x));
      return {
        reconstruction,
        klPerDim,
        kl: tf.sum(klPerDim, 1) as tf.Tensor1D,
        classKl: tf.fill([rows], Math.log(this.classes)) as tf.Tensor1D,
        classification: tf.neg(tf.sum(tf.mul(y, logQ), 1)) as tf.Tensor1D,
        labelled: tf.ones([rows]) as tf.Tensor1D,
      };
    });
  }

  /**
   * Unlabelled rows: each image is encoded and decoded under every class (rows × K passes, class
   * k in block k), and the per-class terms are averaged with q(y|x).
   */
  private unlabelledTerms(x: tf.Tensor2D, noise: NoiseSource): RowTerms {
    return tf.tidy(() => {
      const rows = x.shape[0];
      const K = this.classes;
      const d = this.config.latentDim;
      const logQ = tf.logSoftmax(this.classifierNet.logits(x)) as tf.Tensor2D;
      const q = tf.exp(logQ) as tf.Tensor2D;
      const xs = tf.tile(x, [K, 1]) as tf.Tensor2D;
      const classOfRow = tf.tensor1d(Int32Array.from({ length: K * rows }, (_, r) => Math.floor(r / rows)), 'int32');
      const { posterior, reconstruction } = this.nets.pass(xs, oneHotCondition(classOfRow, K), noise([K * rows, d]));
      const klDims = klPerExampleAndDim(posterior);
      // [K·rows] in class blocks → [rows, K], weighted by q(y|x) and summed over the classes
      const byClass = (v: tf.Tensor1D) => tf.transpose(tf.reshape(v, [K, rows])) as tf.Tensor2D;
      const expect = (v: tf.Tensor1D) => tf.sum(tf.mul(q, byClass(v)), 1) as tf.Tensor1D;
      const klPerDim = tf.sum(tf.mul(tf.reshape(klDims, [K, rows, d]), tf.expandDims(tf.transpose(q), 2)), 0) as tf.Tensor2D;
      return {
        reconstruction: expect(reconstruction),
        klPerDim,
        kl: tf.sum(klPerDim, 1) as tf.Tensor1D,
        // KL(q(y|x) ‖ uniform) = Σ_y q log q + log K
        classKl: tf.add(tf.sum(tf.mul(q, logQ), 1), Math.log(K)) as tf.Tensor1D,
        classification: tf.zeros([rows]) as tf.Tensor1D,
        labelled: tf.zeros([rows]) as tf.Tensor1D,
      };
    });
  }

  dispose(): void {
    this.scope.dispose();
  }
}
