/**
 * A small autoregressive prior over code grids: p(c) = Π_p p(c_p | c_<p) in raster order, as a
 * MADE (Germain et al. 2015), a masked MLP: each position's code is embedded (a learned E-vector
 * per code), the P·E inputs go through two masked ReLU layers of H units, and a masked layer gives
 * each position an F-vector that scores the K codes (a product with a shared [F, K] matrix, plus a
 * bias per position and code). The masks give hidden unit h a degree m_h in 0…P−2 and let it see
 * the positions ≤ m_h; position p's output sees only units with m_h < p, so it depends on the codes
 * before it and never on its own or later ones (position 0 gets its bias alone: the first code's
 * marginal). Trained by maximum likelihood on code grids of training images; sampled position by
 * position. Its −log p(c) is the KL of a VQ-VAE's deterministic q(z|x) against this prior.
 */
import * as tf from '../../tf';
import { Adam } from '../../optim/adam';
import type { Rng } from '../../types';
import { drawIndex } from '../../analysis/codebook';
import { lookupCodes, oneHotCodes } from './quantiser';

export interface MadeShape {
  codebookSize: number;
  positions: number;
  /** E, each code's input embedding. */
  embedding: number;
  /** H, units of each hidden layer. */
  hidden: number;
  /** F, each position's output vector. */
  output: number;
}

export const MADE_DEFAULTS = { embedding: 16, hidden: 256, output: 32 } as const;

/** MADE's masks for P positions (inputs of `perInput` features each, outputs of `perOutput`), H hidden units. */
export function madeMasks(positions: number, perInput: number, hidden: number, perOutput: number): { input: Float32Array; hidden: Float32Array; output: Float32Array; degrees: Int32Array } {
  const degrees = Int32Array.from({ length: hidden }, (_, h) => (positions > 1 ? h % (positions - 1) : 0));
  const input = new Float32Array(positions * perInput * hidden);
  for (let i = 0; i < positions * perInput; i++) for (let h = 0; h < hidden; h++) input[i * hidden + h] = Math.floor(i / perInput) <= degrees[h] ? 1 : 0;
  const between = new Float32Array(hidden * hidden);
  for (let a = 0; a < hidden; a++) for (let b = 0; b < hidden; b++) between[a * hidden + b] = degrees[a] <= degrees[b] ? 1 : 0;
  const output = new Float32Array(hidden * positions * perOutput);
  for (let h = 0; h < hidden; h++) for (let j = 0; j < positions * perOutput; j++) output[h * positions * perOutput + j] = Math.floor(j / perOutput) > degrees[h] ? 1 : 0;
  return { input, hidden: between, output, degrees };
}

export class AutoregressivePrior {
  readonly shape: MadeShape;
  private readonly variables: tf.Variable[];
  private readonly masks: tf.Tensor2D[];
  private readonly adam: Adam;
  private readonly embed: tf.Variable;
  private readonly layers: { weight: tf.Variable; bias: tf.Variable }[];
  private readonly scoreWeight: tf.Variable;
  private readonly scoreBias: tf.Variable;

  constructor(codebookSize: number, positions: number, rng: Rng, learningRate = 1e-3, sizes: Partial<Omit<MadeShape, 'codebookSize' | 'positions'>> = {}) {
    this.shape = { codebookSize, positions, ...MADE_DEFAULTS, ...sizes };
    const { embedding: E, hidden: H, output: F } = this.shape;
    const uniform = (rows: number, cols: number, fanIn: number) => {
      const bound = 1 / Math.sqrt(fanIn);
      return tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from({ length: rows * cols }, () => (rng.next() * 2 - 1) * bound), [rows, cols])));
    };
    const zeros = (n: number) => tf.tidy(() => tf.variable(tf.zeros([n])));
    this.embed = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from({ length: codebookSize * E }, () => (rng.next() * 2 - 1) * 0.5), [codebookSize, E])));
    // fan-in as seen through the masks is smaller; PyTorch-like bounds on the full fan-in train fine here
    this.layers = [
      { weight: uniform(positions * E, H, positions * E), bias: zeros(H) },
      { weight: uniform(H, H, H), bias: zeros(H) },
      { weight: uniform(H, positions * F, H), bias: zeros(positions * F) },
    ];
    this.scoreWeight = uniform(F, codebookSize, F);
    this.scoreBias = tf.tidy(() => tf.variable(tf.zeros([positions, codebookSize])));
    const m = madeMasks(positions, E, H, F);
    this.masks = [tf.tensor2d(m.input, [positions * E, H]), tf.tensor2d(m.hidden, [H, H]), tf.tensor2d(m.output, [H, positions * F])];
    this.variables = [this.embed, ...this.layers.flatMap((l) => [l.weight, l.bias]), this.scoreWeight, this.scoreBias];
    this.adam = new Adam(this.variables, learningRate);
  }

  /** Logits [n, P, K] of every position's code given the codes before it, for grids int32 [n, P]. */
  logits(codes: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const { codebookSize: K, positions: P, embedding: E, output: F } = this.shape;
      const n = codes.shape[0];
      const embedded = tf.reshape(lookupCodes(oneHotCodes(tf.reshape(codes, [n * P]) as tf.Tensor1D, K), this.embed as tf.Variable<tf.Rank.R2>), [n, P * E]);
      let h: tf.Tensor2D = embedded as tf.Tensor2D;
      this.layers.forEach((layer, i) => {
        const y = tf.add(tf.matMul(h, tf.mul(layer.weight, this.masks[i])), layer.bias) as tf.Tensor2D;
        h = i < this.layers.length - 1 ? tf.relu(y) : y;
      });
      const scores = tf.matMul(tf.reshape(h, [n * P, F]), this.scoreWeight as tf.Variable<tf.Rank.R2>);
      return tf.add(tf.reshape(scores, [n, P, K]), this.scoreBias) as tf.Tensor3D;
    });
  }

  /** −log p(grid) of each grid [n], nats. */
  nll(codes: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const { codebookSize: K } = this.shape;
      const logProbs = tf.logSoftmax(this.logits(codes));
      const picked = tf.sum(tf.mul(logProbs, tf.cast(tf.oneHot(tf.cast(codes, 'int32'), K), 'float32')), 2);
      return tf.neg(tf.sum(picked, 1)) as tf.Tensor1D;
    });
  }

  /** One Adam step on grids [n, P]; returns the batch's mean −log p (a scalar the caller owns). */
  trainStep(codes: Int32Array, count: number): tf.Scalar {
    return tf.tidy(() => {
      const grids = tf.tensor2d(codes, [count, this.shape.positions], 'int32');
      const { value, grads } = tf.variableGrads(() => tf.mean(this.nll(grids)) as tf.Scalar, this.variables);
      this.adam.apply(this.variables.map((v) => grads[v.name] ?? tf.zerosLike(v)));
      return value;
    });
  }

  /** Mean −log p(grid) over grids [count, P], nats, in chunks. */
  async meanNll(codes: Int32Array, count: number, chunk = 500): Promise<number> {
    const P = this.shape.positions;
    let total = 0;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const sum = tf.tidy(() => tf.sum(this.nll(tf.tensor2d(codes.subarray(start * P, (start + n) * P), [n, P], 'int32'))));
      total += (await sum.data())[0];
      sum.dispose();
    }
    return count > 0 ? total / count : NaN;
  }

  /** `count` grids drawn position by position (P passes), codes from `rng`. */
  async sample(count: number, rng: Rng, betweenPositions?: () => Promise<void>): Promise<Int32Array> {
    const { codebookSize: K, positions: P } = this.shape;
    const codes = new Int32Array(count * P);
    for (let p = 0; p < P; p++) {
      const probs = tf.tidy(() => tf.softmax(tf.reshape(tf.slice(this.logits(tf.tensor2d(codes, [count, P], 'int32')), [0, p, 0], [count, 1, K]), [count, K])));
      const values = (await probs.data()) as Float32Array;
      probs.dispose();
      for (let g = 0; g < count; g++) codes[g * P + p] = drawIndex(values, rng, g * K, K);
      if (betweenPositions) await betweenPositions();
    }
    return codes;
  }

  dispose(): void {
    this.adam.dispose();
    for (const v of this.variables) v.dispose();
    for (const m of this.masks) m.dispose();
  }
}
