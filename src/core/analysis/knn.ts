/**
 * k-nearest-neighbour classification on latent codes (typed arrays only): the M1 read-out of
 * Kingma et al. 2014 asks how much class information an unsupervised latent space holds, given a
 * few labelled codes. Euclidean distance; ties in the vote go to the nearer neighbours' class.
 */

/** The predicted class of each of `queryCount` query rows from the `refCount` labelled rows. */
export function knnPredict(refs: Float32Array, refLabels: ArrayLike<number>, refCount: number, queries: Float32Array, queryCount: number, dim: number, k = 5): Uint8Array {
  const kk = Math.max(1, Math.min(k, refCount));
  const out = new Uint8Array(queryCount);
  const bestD = new Float64Array(kk);
  const bestL = new Int32Array(kk);
  const votes = new Map<number, number>();
  for (let q = 0; q < queryCount; q++) {
    bestD.fill(Infinity);
    bestL.fill(-1);
    for (let r = 0; r < refCount; r++) {
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const diff = queries[q * dim + j] - refs[r * dim + j];
        d += diff * diff;
      }
      if (d >= bestD[kk - 1]) continue;
      // insertion into the sorted list of the k nearest
      let i = kk - 1;
      while (i > 0 && bestD[i - 1] > d) {
        bestD[i] = bestD[i - 1];
        bestL[i] = bestL[i - 1];
        i--;
      }
      bestD[i] = d;
      bestL[i] = refLabels[r];
    }
    votes.clear();
    let winner = bestL[0];
    let most = 0;
    for (let i = 0; i < kk; i++) {
      if (bestL[i] < 0) continue;
      const v = (votes.get(bestL[i]) ?? 0) + 1;
      votes.set(bestL[i], v);
      if (v > most) {
        most = v;
        winner = bestL[i];
      }
    }
    out[q] = Math.max(0, winner);
  }
  return out;
}

/** Fraction of predictions equal to the labels. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) right++;
  return predicted.length ? right / predicted.length : Number.NaN;
}
