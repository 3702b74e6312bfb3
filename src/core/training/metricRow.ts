/**
 * A batch's numbers as one vector, so a single read-back fetches them all:
 *   [term₁ … termₜ (declared order), −ELBO, objective, KL per dimension…].
 */
import * as tf from '../tf';
import type { BatchLosses } from '../models/family';
import type { LossTermSpec, LossValues } from '../objective/terms';

export function packMetricRow(terms: readonly LossTermSpec[], losses: BatchLosses): tf.Tensor1D {
  return tf.tidy(() => {
    const head = tf.stack([...terms.map((t) => losses.means[t.id]), losses.negativeElbo, losses.objective]);
    return (losses.klPerDim ? tf.concat([head, losses.klPerDim]) : head) as tf.Tensor1D;
  });
}

export function unpackMetricRow(terms: readonly LossTermSpec[], row: ArrayLike<number>): LossValues {
  const values = Array.from(row);
  const t = terms.length;
  return {
    terms: Object.fromEntries(terms.map((term, i) => [term.id, values[i]])),
    negativeElbo: values[t],
    objective: values[t + 1],
    klPerDim: values.slice(t + 2),
  };
}
