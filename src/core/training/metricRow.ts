/**
 * A batch's numbers as one vector, so a single read-back fetches them all:
 *   [term₁ … termₜ (declared order), −ELBO, objective, code usage (K, discrete latents), KL per dimension…].
 */
import * as tf from '../tf';
import type { BatchLosses } from '../models/family';
import type { LossTermSpec, LossValues } from '../objective/terms';

export function packMetricRow(terms: readonly LossTermSpec[], losses: BatchLosses): tf.Tensor1D {
  return tf.tidy(() => {
    const head = tf.stack([...terms.map((t) => losses.means[t.id]), losses.negativeElbo, losses.objective]);
    const parts = [head, ...(losses.codeUsage ? [losses.codeUsage] : []), ...(losses.klPerDim ? [losses.klPerDim] : [])];
    return (parts.length > 1 ? tf.concat(parts) : head) as tf.Tensor1D;
  });
}

/** `codes`: the codebook's size K when the row carries code usage (a discrete latent), else 0. */
export function unpackMetricRow(terms: readonly LossTermSpec[], row: ArrayLike<number>, codes = 0): LossValues {
  const values = Array.from(row);
  const t = terms.length;
  const unpacked: LossValues = {
    terms: Object.fromEntries(terms.map((term, i) => [term.id, values[i]])),
    negativeElbo: values[t],
    objective: values[t + 1],
    klPerDim: values.slice(t + 2 + codes),
  };
  if (codes > 0) unpacked.codeUsage = values.slice(t + 2, t + 2 + codes);
  return unpacked;
}
