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
 * hidden pre-activation by a single row of W₁, the sampler keeps the pre-activation and adds
 * x_i·(W₁ ⊙ M₁)[i] after each pixel: D steps of O(n·H) instead of D full passes.
 */
import * as tf from '../../tf';
import { MaskedDense } from '../../layers/maskedDense';
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';
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

/** Draws pixel values from their logits (one column [n, 1]) for pixel `index`. */
export type PixelDraw = (logits: tf.Tensor2D, index: number) => tf.Tensor2D;

export class MadeDecoder {
  readonly pixels: number;
  private readonly hidden: MaskedDense;
  private readonly output: MaskedDense;

  constructor(shape: NetShape, rng: Rng, scope: VariableScope) {
    this.pixels = shape.inputSize;
    const extra = shape.latentSize + shape.conditionSize;
    const degrees = hiddenDegrees(this.pixels, shape.hiddenDim);
    this.hidden = new MaskedDense(this.pixels + extra, shape.hiddenDim, 'relu', rng, { scope, path: 'decoder/hidden' }, inputMask(this.pixels, extra, degrees));
    this.output = new MaskedDense(shape.hiddenDim, this.pixels, 'linear', rng, { scope, path: 'decoder/output' }, outputMask(this.pixels, degrees));
  }

  /** Teacher-forced logits [n, pixels]: pixel i's from the context's pixels before i and z (and y). */
  call(z: tf.Tensor2D, condition: tf.Tensor2D | null, context: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.output.call(this.hidden.call(tf.concat(condition ? [context, z, condition] : [context, z], 1) as tf.Tensor2D)));
  }

  /** A sequential sampler for latents z [n, d]: each pixel is drawn by `draw` from its logits. */
  sampler(z: tf.Tensor2D, condition: tf.Tensor2D | null, draw: PixelDraw): MadeSampler {
    return new MadeSampler(this, z, condition, draw);
  }

  /** The masked weights and biases, for the sampler. */
  parts(): { w1: tf.Tensor2D; b1: tf.Tensor1D; w2: tf.Tensor2D; b2: tf.Tensor1D } {
    return tf.tidy(() => ({
      w1: tf.mul(this.hidden.weight, this.hidden.mask) as tf.Tensor2D,
      b1: tf.clone(this.hidden.bias) as tf.Tensor1D,
      w2: tf.mul(this.output.weight, this.output.mask) as tf.Tensor2D,
      b2: tf.clone(this.output.bias) as tf.Tensor1D,
    }));
  }

  dispose(): void {
    this.hidden.dispose();
    this.output.dispose();
  }
}

/**
 * Sampling in slices of pixels (the worker reports progress and answers messages between them).
 * Owns its tensors until dispose(); the results are copies the caller owns.
 */
export class MadeSampler {
  private done = 0;
  private preActivation: tf.Tensor2D;
  private readonly logitColumns: tf.Tensor2D[] = [];
  private readonly pixelColumns: tf.Tensor2D[] = [];
  private readonly weights: ReturnType<MadeDecoder['parts']>;

  constructor(
    private readonly net: MadeDecoder,
    z: tf.Tensor2D,
    condition: tf.Tensor2D | null,
    private readonly draw: PixelDraw,
  ) {
    this.weights = net.parts();
    const { w1, b1 } = this.weights;
    this.preActivation = tf.tidy(() => {
      const latent = condition ? tf.concat([z, condition], 1) : z;
      // with an empty context, only the rows of z (and y) contribute
      const rows = tf.slice(w1, [net.pixels, 0], [latent.shape[1], w1.shape[1]]);
      return tf.add(tf.matMul(latent, rows), b1) as tf.Tensor2D;
    });
  }

  get total(): number {
    return this.net.pixels;
  }

  get pixelsDone(): number {
    return this.done;
  }

  /** Draw the next `count` pixels (fewer at the end); returns the pixels done so far. */
  advance(count: number): number {
    const end = Math.min(this.net.pixels, this.done + count);
    const { w1, w2, b2 } = this.weights;
    for (let i = this.done; i < end; i++) {
      const [logit, pixel, next] = tf.tidy(() => {
        const h = tf.relu(this.preActivation);
        const l = tf.add(tf.matMul(h, tf.slice(w2, [0, i], [w2.shape[0], 1])), tf.slice(b2, [i], [1])) as tf.Tensor2D;
        const x = this.draw(l, i);
        const updated = tf.add(this.preActivation, tf.mul(x, tf.slice(w1, [i, 0], [1, w1.shape[1]]))) as tf.Tensor2D;
        return [l, x, updated];
      });
      this.preActivation.dispose();
      this.preActivation = next;
      this.logitColumns.push(logit);
      this.pixelColumns.push(pixel);
    }
    this.done = end;
    return end;
  }

  /** Draw every pixel left. */
  finish(): void {
    this.advance(this.net.pixels - this.done);
  }

  /** The logits [n, pixels] each pixel was drawn from (pixels drawn so far). */
  logits(): tf.Tensor2D {
    return tf.concat(this.logitColumns, 1) as tf.Tensor2D;
  }

  /** The drawn image [n, pixels]. */
  samples(): tf.Tensor2D {
    return tf.concat(this.pixelColumns, 1) as tf.Tensor2D;
  }

  dispose(): void {
    this.preActivation.dispose();
    tf.dispose([...this.logitColumns, ...this.pixelColumns]);
    this.logitColumns.length = 0;
    this.pixelColumns.length = 0;
    const { w1, b1, w2, b2 } = this.weights;
    tf.dispose([w1, b1, w2, b2]);
  }
}
