/**
 * The numbers of a discrete latent's codebook, from code grids and labels as typed arrays (no
 * tfjs): how often each code is chosen, the perplexity of that usage, the codes in use, the class
 * each code is most used for, per-position code frequencies (the simplest prior over code grids)
 * and sampling from them.
 */
import type { Rng } from '../types';

/**
 * exp(entropy) of a usage histogram (counts or fractions; normalised here), in codes: K for
 * uniform use of K codes, 1 when one code takes every position; 0 for an empty histogram.
 */
export function perplexity(usage: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < usage.length; i++) total += usage[i] > 0 ? usage[i] : 0;
  if (!(total > 0)) return 0;
  let entropy = 0;
  for (let i = 0; i < usage.length; i++) {
    const p = usage[i] / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** Codes chosen at least once. */
export function codesInUse(usage: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < usage.length; i++) if (usage[i] > 0) n += 1;
  return n;
}

/** How many positions chose each of K codes, over all grids. */
export function codeCounts(codes: ArrayLike<number>, codebookSize: number): Float64Array {
  const counts = new Float64Array(codebookSize);
  for (let i = 0; i < codes.length; i++) counts[codes[i]] += 1;
  return counts;
}

/** Per code, positions by class [K, classes] (row-major), and the class each code is most used for (−1: unused). */
export function codeClasses(codes: ArrayLike<number>, positions: number, labels: ArrayLike<number>, codebookSize: number, classCount: number): { counts: Uint32Array; top: Int16Array } {
  const counts = new Uint32Array(codebookSize * classCount);
  for (let i = 0; i < codes.length; i++) {
    const label = labels[Math.floor(i / positions)];
    if (label < classCount) counts[codes[i] * classCount + label] += 1;
  }
  const top = new Int16Array(codebookSize).fill(-1);
  for (let k = 0; k < codebookSize; k++) {
    let best = 0;
    for (let c = 0; c < classCount; c++) {
      const n = counts[k * classCount + c];
      if (n > best) {
        best = n;
        top[k] = c;
      }
    }
  }
  return { counts, top };
}

/**
 * p(code k at position p) from `count` grids, each position on its own: (n_pk + α) / (count + Kα),
 * row-major [positions, K]. Add-α smoothing gives every code some mass (a held-out grid is then
 * never impossible). It ignores every dependency between positions.
 */
export function positionFrequencies(codes: ArrayLike<number>, count: number, positions: number, codebookSize: number, alpha = 0.01): Float32Array {
  const freq = new Float32Array(positions * codebookSize);
  for (let g = 0; g < count; g++) for (let p = 0; p < positions; p++) freq[p * codebookSize + codes[g * positions + p]] += 1;
  const norm = count + codebookSize * alpha;
  for (let i = 0; i < freq.length; i++) freq[i] = (freq[i] + alpha) / norm;
  return freq;
}

/** The index drawn from a discrete distribution (any non-negative weights). */
export function drawIndex(weights: ArrayLike<number>, rng: Rng, offset = 0, length = weights.length - offset): number {
  let total = 0;
  for (let i = 0; i < length; i++) total += weights[offset + i];
  let u = rng.next() * total;
  for (let i = 0; i < length; i++) {
    u -= weights[offset + i];
    if (u < 0) return i;
  }
  return length - 1;
}

/** `count` code grids drawn position by position, independently, from per-position frequencies. */
export function sampleIndependent(freq: Float32Array, positions: number, codebookSize: number, count: number, rng: Rng): Int32Array {
  const out = new Int32Array(count * positions);
  for (let g = 0; g < count; g++) for (let p = 0; p < positions; p++) out[g * positions + p] = drawIndex(freq, rng, p * codebookSize, codebookSize);
  return out;
}

/** Mean −log p(grid) in nats under per-position frequencies. */
export function independentNll(freq: Float32Array, codes: ArrayLike<number>, count: number, positions: number, codebookSize: number): number {
  let total = 0;
  for (let g = 0; g < count; g++) for (let p = 0; p < positions; p++) total -= Math.log(freq[p * codebookSize + codes[g * positions + p]]);
  return count > 0 ? total / count : NaN;
}
