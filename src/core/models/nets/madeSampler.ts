/**
 * MADE's sequential sampling on plain arrays: D steps of O(n·H) each, no tensor op per pixel
 * (thousands of tiny kernels cost far more than the arithmetic). The masked weights are read
 * once; the hidden pre-activation is kept and, after pixel i is drawn, x_i·(W₁ ⊙ M₁)[i] added.
 * Pixels are drawn from their likelihood with a seeded generator of its own.
 */
import type { LikelihoodId } from '../../objective/catalog';
import { GAUSSIAN_SIGMA } from '../../objective/constants';

export interface MadeWeights {
  /** (W₁ ⊙ M₁) row-major [pixels + extra, hidden]. */
  w1: Float32Array;
  b1: Float32Array;
  /** (W₂ ⊙ M₂) row-major [hidden, pixels]. */
  w2: Float32Array;
  b2: Float32Array;
  pixels: number;
  hidden: number;
}

/** mulberry32: a small seeded uniform generator on [0, 1). */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export class MadeArraySampler {
  private done = 0;
  private readonly pre: Float64Array;
  readonly logitValues: Float32Array;
  readonly pixelValues: Float32Array;
  private readonly next: () => number;

  /** `latent` row-major [n, extra] (z, then the condition). */
  constructor(
    private readonly w: MadeWeights,
    latent: Float32Array,
    private readonly n: number,
    private readonly likelihood: LikelihoodId,
    private readonly scale: number | null,
    seed: number,
  ) {
    const { pixels, hidden, w1, b1 } = w;
    const extra = latent.length / n;
    this.pre = new Float64Array(n * hidden);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < hidden; k++) {
        let s = b1[k];
        for (let e = 0; e < extra; e++) s += latent[r * extra + e] * w1[(pixels + e) * hidden + k];
        this.pre[r * hidden + k] = s;
      }
    }
    this.logitValues = new Float32Array(n * pixels);
    this.pixelValues = new Float32Array(n * pixels);
    this.next = uniforms(seed);
  }

  get total(): number {
    return this.w.pixels;
  }

  advance(count: number): number {
    const { pixels, hidden, w1, w2, b2 } = this.w;
    const end = Math.min(pixels, this.done + count);
    for (let i = this.done; i < end; i++) {
      for (let r = 0; r < this.n; r++) {
        let l = b2[i];
        const base = r * hidden;
        for (let k = 0; k < hidden; k++) {
          const h = this.pre[base + k];
          if (h > 0) l += h * w2[k * pixels + i];
        }
        const x = this.draw(l);
        this.logitValues[r * pixels + i] = l;
        this.pixelValues[r * pixels + i] = x;
        if (x !== 0) for (let k = 0; k < hidden; k++) this.pre[base + k] += x * w1[i * hidden + k];
      }
    }
    this.done = end;
    return end;
  }

  /** One pixel from its likelihood given its logit. */
  private draw(logit: number): number {
    const mean = sigmoid(logit);
    const u = Math.min(1 - 1e-7, Math.max(1e-7, this.next()));
    switch (this.likelihood) {
      case 'bernoulli':
      case 'binarised':
        return u < mean ? 1 : 0;
      case 'gaussian':
      case 'gaussian-learned': {
        const sigma = this.likelihood === 'gaussian' || this.scale === null ? GAUSSIAN_SIGMA : this.scale;
        const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
        return Math.min(1, Math.max(0, mean + sigma * normal));
      }
      case 'logistic': {
        const s = this.scale ?? 0.1;
        const value = 2 * mean - 1 + s * Math.log(u / (1 - u));
        return Math.min(255, Math.max(0, Math.round((value + 1) * 127.5))) / 255;
      }
    }
  }
}
