/**
 * Which training images keep their label in a semi-supervised run: `count` of them, the same
 * number of each class (the first classes take one more when count does not divide evenly), drawn
 * with a fixed seed so a run, its M1 read-out and a reload agree on the same images. A class held
 * out of training (`heldOut`) has none: the count is shared among the other classes.
 */
import { Rng } from './rng';

export function labelledSubset(labels: ArrayLike<number>, count: number, classCount: number, seed: number, heldOut: number | null = null): Int32Array {
  const n = labels.length;
  const kept = heldOut === null ? null : Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] !== heldOut);
  const available = kept ? kept.length : n;
  if (!(count < available)) return kept ?? Int32Array.from({ length: n }, (_, i) => i);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  new Rng(seed).shuffleInPlace(order);
  const classes = Array.from({ length: classCount }, (_, c) => c).filter((c) => c !== heldOut);
  const quota = new Array<number>(classCount).fill(0);
  classes.forEach((c, k) => (quota[c] = Math.floor(count / classes.length) + (k < count % classes.length ? 1 : 0)));
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
