/**
 * PyTorch's default initialisation of nn.Linear, nn.Conv2d and nn.ConvTranspose2d: weights by
 * kaiming_uniform_(a = √5), whose bound gain·√(3 / fanIn) with gain = √(2 / (1 + a²)) = √(1/3)
 * is 1/√fanIn, and the bias U(−1/√fanIn, 1/√fanIn) too. Drawing the same distributions keeps our
 * numbers comparable with the reference in ../shared/reference.
 */
import type { Rng } from '../types';

/** `count` values U(−1/√fanIn, 1/√fanIn), in the order drawn. */
export function uniformFanIn(rng: Rng, count: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (rng.next() * 2 - 1) * bound;
  return values;
}
