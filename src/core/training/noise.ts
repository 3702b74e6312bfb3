/**
 * The sources of ε: a training stream drawn from the trainer's seeded Rng (one integer seed per
 * draw, so a run is reproducible), a fixed-seed stream for evaluations (repeated calls agree), and
 * a given tensor (tests, the worked example).
 */
import * as tf from '../tf';
import type { NoiseSource } from '../models/family';
import type { Rng } from '../types';

/** Seeds for tf.randomNormal: one integer per call from our own seeded stream. */
export function nextSeed(rng: Rng): number {
  return Math.floor(rng.next() * 2 ** 31);
}

export function streamNoise(rng: Rng): NoiseSource {
  return (shape) => tf.randomNormal(shape, 0, 1, 'float32', nextSeed(rng)) as tf.Tensor2D;
}

/** The k-th draw uses seed + k·1,000,003 (the first uses `seed` itself). */
export function fixedNoise(seed: number): NoiseSource {
  let draws = 0;
  return (shape) => tf.randomNormal(shape, 0, 1, 'float32', seed + 1_000_003 * draws++) as tf.Tensor2D;
}

/** Always the given ε (its shape must match what the model asks for). */
export function givenNoise(epsilon: tf.Tensor2D): NoiseSource {
  return (shape) => {
    if (!tf.util.arraysEqual(shape, epsilon.shape)) throw new Error(`ε has shape [${epsilon.shape.join(', ')}], the model asked for [${shape.join(', ')}]`);
    return epsilon;
  };
}
