/**
 * An autoregressive decoder p(x|z) = Π_i p(x_i | x_<i, z): a masked MLP (MADE, Germain et al.
 * 2015) conditioned on z, pixels in raster order (the flattened image's order).
 *
 *   hidden = ReLU([x, z, y]·(W₁ ⊙ M₁) + b₁),   logits = hidden·(W₂ ⊙ M₂) + b₂
 *
 * Degrees: pixel d (0-based) has degree d + 1, z and the condition y degree 0; hidden unit k has
 * degree m_k = ⌊k·D/H⌋ ∈ [0, D − 1] (spread evenly, no draw: the seed's weights stay the
 * factorised decoder's). M₁ connects an input of degree ≤ m_k to unit k; M₂ connects unit k to
 * output i when m_k ≤ i. Output i thus sees pixel d only through a unit with d + 1 ≤ m_k ≤ i, so
 * only pixels d < i: x_i never depends on itself or later pixels, while z reaches every output.
 *
 * Training is one pass with the true image as context (teacher forcing). Sampling is
 * sequential: pixel i's logit needs the pixels drawn before it. Since one new pixel changes the
 * hidden pre-activation by a single row of W₁, the sampler (madeSampler.ts) keeps the
 * pre-activation and adds x_i·(W₁ ⊙ M₁)[i] after each pixel: D steps of O(n·H) instead of D
 * full passes.
 */
import * as tf from '../../tf';
import { pixelCount } from '../../../data/dataset';
import { MaskedDense } from '../../layers/maskedDense';
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';
import type { MadeWeights } from './madeSampler';
import type { NetShape } from './net';

/** The hidden units' degrees ⌊k·D/H⌋. */
export function hiddenDegrees(pixels: number, hidden: number): Int32Array {
  return Int32Array.from({ length: hidden }, (_, k) => Math.floor((k * pixels) / hidden));
}

/** M₁ [pixels + extra, hidden]: pixel rows d connect to units with m_k ≥ d + 1; the extra rows (z, y) to all. */
export function inputMask(pixels: number, extra: number, degrees: Int32Array): Float32Array {
  const hidden = degrees.length;
  const mask = new Float32Array((pixels + extra) * hidden);
  for (let d = 0; d < pixels + extra; d++) for (let k = 0; k < hidden; k++) mask[d * hidden + k] = d >= pixels || degrees[k] >= d + 1 ? 1 : 0;
  return mask;
}

/** M₂ [hidden, pixels]: unit k connects to output i when m_k ≤ i. */
export function outputMask(pixels: number, degrees: Int32Array): Float32Array {
  const hidden = degrees.length;
  const mask = new Float32Array(hidden * pixels);
  for (let k = 0; k < hidden; k++) for (let i = 0; i < pixels; i++) mask[k * pixels + i] = degrees[k] <= i ? 1 : 0;
  return mask;
}

export class MadeDecoder {
  readonly pixels: number;
  private readonly hidden: MaskedDense;
  private readonly output: MaskedDense;

  constructor(shape: NetShape, rng: Rng, scope: VariableScope) {
    this.pixels = pixelCount(shape.imageShape);
    const extra = shape.latentSize + shape.conditionSize;
    const degrees = hiddenDegrees(this.pixels, shape.hiddenDim);
    this.hidden = new MaskedDense(this.pixels + extra, shape.hiddenDim, 'relu', rng, { scope, path: 'decoder/hidden' }, inputMask(this.pixels, extra, degrees));
    this.output = new MaskedDense(shape.hiddenDim, this.pixels, 'linear', rng, { scope, path: 'decoder/output' }, outputMask(this.pixels, degrees));
  }

  /** Teacher-forced logits [n, pixels]: pixel i's from the context's pixels before i and z (and y). */
  call(z: tf.Tensor2D, condition: tf.Tensor2D | null, context: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.output.call(this.hidden.call(tf.concat(condition ? [context, z, condition] : [context, z], 1) as tf.Tensor2D)));
  }

  /** The masked weights and biases as plain arrays, for the sampler (one synchronous read). */
  weights(): MadeWeights {
    const [w1, b1, w2, b2] = tf.tidy(() => [tf.mul(this.hidden.weight, this.hidden.mask), this.hidden.bias, tf.mul(this.output.weight, this.output.mask), this.output.bias].map((t) => t.dataSync() as Float32Array));
    return { w1, b1, w2, b2, pixels: this.pixels, hidden: this.hidden.outputSize };
  }

  dispose(): void {
    this.hidden.dispose();
    this.output.dispose();
  }
}
