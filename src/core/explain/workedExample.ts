/**
 * The seeds' full example, computed by the real model for one image: the posterior μ and log σ²,
 * σ, a drawn ε, the reparameterised z = μ + σ ⊙ ε, the reconstruction term at that z, the KL per
 * dimension in closed form, and the gradients of the loss L = L_rec + β·KL with respect to μ and
 * log σ² at that z (by tf.grads, through the decoder), beside ∂L_rec/∂z, from which the chain rule
 * with ∂z/∂μ = 1 and ∂z/∂log σ² = ½ σ ε rebuilds them. Formulas: core/explain/formulas.ts.
 *
 * Typed arrays out, every tensor disposed: the worker sends the result to the page as it is.
 */
import * as tf from '../tf';
import type { GaussianLatent } from '../models/family';
import { reparameterize } from '../models/gaussianLatent';
import { klPerExampleAndDim } from '../objective/kl';
import type { FlowValue } from '../models/diagram';

export interface WorkedExample {
  latentDim: number;
  /** The KL weight of the loss whose gradients are shown. */
  beta: number;
  mu: Float32Array;
  logVar: Float32Array;
  /** σ = exp(½ log σ²). */
  sigma: Float32Array;
  epsilon: Float32Array;
  /** z = μ + σ ⊙ ε as the model computed it. */
  z: Float32Array;
  /** −log p(x|z) at that z, nats. */
  reconstruction: number;
  /** ½ (μ_j² + σ_j² − log σ_j² − 1) per dimension, nats. */
  klPerDim: Float32Array;
  kl: number;
  /** reconstruction + β·KL. */
  loss: number;
  /** ∂L_rec/∂z at that z. */
  gradZ: Float32Array;
  /** ∂L/∂μ and ∂L/∂log σ² at that z (ε held fixed), by automatic differentiation. */
  gradMu: Float32Array;
  gradLogVar: Float32Array;
  /** The decoder's mean image at z, [pixels]. */
  reconstructionImage: Float32Array;
}

/**
 * The worked example for one image x [1, pixels] (its label for a conditional family, else
 * null) and a drawn ε [latentDim].
 */
export async function computeWorkedExample(latent: GaussianLatent, x: tf.Tensor2D, labels: tf.Tensor1D | null, epsilon: Float32Array, beta: number): Promise<WorkedExample> {
  const d = latent.latentDim;
  if (x.shape[0] !== 1) throw new Error(`the worked example takes one image, got ${x.shape[0]}`);
  if (epsilon.length !== d) throw new Error(`ε must have ${d} values, got ${epsilon.length}`);
  const out = tf.tidy(() => {
    const { mu, logVar } = latent.encode(x, labels);
    const eps = tf.tensor2d(epsilon, [1, d]);
    const reconstructionAt = (z: tf.Tensor2D): tf.Scalar => tf.neg(tf.sum(latent.logLikelihood(x, z, labels))) as tf.Scalar;
    // L(μ, log σ²) with ε fixed: the function whose gradients training follows
    const lossOf = (m: tf.Tensor2D, lv: tf.Tensor2D): tf.Scalar => {
      const z = reparameterize({ mu: m, logVar: lv }, eps);
      return tf.add(reconstructionAt(z), tf.mul(tf.sum(klPerExampleAndDim({ mu: m, logVar: lv })), beta)) as tf.Scalar;
    };
    const [gradMu, gradLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => lossOf(m as tf.Tensor2D, lv as tf.Tensor2D))([mu, logVar]);
    const z = reparameterize({ mu, logVar }, eps);
    const gradZ = tf.grad((zz: tf.Tensor) => reconstructionAt(zz as tf.Tensor2D))(z);
    const klPerDim = klPerExampleAndDim({ mu, logVar });
    return {
      mu,
      logVar,
      sigma: tf.exp(tf.mul(logVar, 0.5)),
      z,
      reconstruction: reconstructionAt(z),
      klPerDim,
      gradZ,
      gradMu,
      gradLogVar,
      image: latent.decode(z, labels),
    };
  });
  try {
    const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
    const klPerDim = await read(out.klPerDim);
    const reconstruction = (await read(out.reconstruction))[0];
    const kl = klPerDim.reduce((a, b) => a + b, 0);
    return {
      latentDim: d,
      beta,
      mu: await read(out.mu),
      logVar: await read(out.logVar),
      sigma: await read(out.sigma),
      epsilon: Float32Array.from(epsilon),
      z: await read(out.z),
      reconstruction,
      klPerDim,
      kl,
      loss: reconstruction + beta * kl,
      gradZ: await read(out.gradZ),
      gradMu: await read(out.gradMu),
      gradLogVar: await read(out.gradLogVar),
      reconstructionImage: await read(out.image),
    };
  } finally {
    tf.dispose(Object.values(out));
  }
}

/**
 * What a family's diagram shows beyond the worked example (core/models/diagram.ts
 * DIAGRAM_EXTRA_FLOW_KEYS): its other loss terms for the same image (with the example's ε), by
 * term id, and the decoding of a prior sample when the diagram has one.
 */
export interface ExplainExtras {
  terms: Record<string, number>;
  priorSample: Float32Array | null;
}

/** The live values of the model diagram for a Gaussian latent (keys: GAUSSIAN_FLOW_KEYS, then the extras'). */
export function gaussianFlow(input: Float32Array, example: WorkedExample, extras?: ExplainExtras): Record<string, FlowValue> {
  const more: Record<string, FlowValue> = {};
  for (const [id, value] of Object.entries(extras?.terms ?? {})) more[`term:${id}`] = { kind: 'number', value };
  if (extras?.priorSample) more.priorSample = { kind: 'image', pixels: extras.priorSample };
  return {
    ...more,
    input: { kind: 'image', pixels: input },
    mu: { kind: 'bars', values: example.mu },
    logVar: { kind: 'bars', values: example.logVar },
    epsilon: { kind: 'bars', values: example.epsilon },
    z: { kind: 'bars', values: example.z },
    reconstruction: { kind: 'image', pixels: example.reconstructionImage },
    'term:reconstruction': { kind: 'number', value: example.reconstruction },
    'term:kl': { kind: 'number', value: example.kl },
    loss: { kind: 'number', value: example.loss },
  };
}
