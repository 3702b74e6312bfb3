/**
 * Which training images keep their label in a semi-supervised run: `count` of them, the same
 * number of each class (the first classes take one more when count does not divide evenly), drawn
 * with a fixed seed so a run, its M1 read-out and a reload agree on the same images.
 */
import { Rng } from './rng';

export function labelledSubset(labels: ArrayLike<number>, count: number, classCount: number, seed: number): Int32Array {
  const n = labels.length;
  if (!(count < n)) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  new Rng(seed).shuffleInPlace(order);
  const quota = Array.from({ length: classCount }, (_, c) => Math.floor(count / classCount) + (c < count % classCount ? 1 : 0));
  const chosen: number[] = [];
  for (const i of order) {
    const c = labels[i];
    if (quota[c] > 0) {
      quota[c] -= 1;
      chosen.push(i);
      if (chosen.length === count) break;
    }
  }
  return Int32Array.from(chosen).sort();
}
