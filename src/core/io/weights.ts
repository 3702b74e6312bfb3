/**
 * A model's weights by stable path, as plain arrays: what survives a lost GPU, a saved file or a
 * worker restart. Loading checks every path and shape and refuses non-finite values, with a
 * message that says which weight is wrong; on a refusal nothing is assigned.
 */
import * as tf from '../tf';
import type { NamedVariable } from '../layers/scope';

export interface NamedWeight {
  path: string;
  shape: number[];
  values: Float32Array;
}

/** Copies of every variable's values, in the model's order. */
export async function exportNamedWeights(named: readonly NamedVariable[]): Promise<NamedWeight[]> {
  return Promise.all(
    named.map(async ({ path, variable }) => ({ path, shape: variable.shape.slice(), values: Float32Array.from((await variable.data()) as Float32Array) })),
  );
}

/** Why these weights cannot be loaded into these variables, or null when they can. */
export function weightsProblem(named: readonly NamedVariable[], weights: readonly NamedWeight[]): string | null {
  const byPath = new Map(weights.map((w) => [w.path, w]));
  const missing = named.filter((n) => !byPath.has(n.path)).map((n) => n.path);
  if (missing.length) return `the weights lack ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`;
  const known = new Set(named.map((n) => n.path));
  const extra = weights.filter((w) => !known.has(w.path)).map((w) => w.path);
  if (extra.length) return `the weights hold ${extra.slice(0, 3).join(', ')}, which this model does not have`;
  for (const { path, variable } of named) {
    const w = byPath.get(path) as NamedWeight;
    if (!tf.util.arraysEqual(w.shape, variable.shape)) return `${path} has shape [${w.shape.join(', ')}], the model needs [${variable.shape.join(', ')}]`;
    if (w.values.length !== variable.size) return `${path} has ${w.values.length} values for shape [${variable.shape.join(', ')}]`;
    if (!w.values.every(Number.isFinite)) return `${path} contains NaN or infinite values`;
  }
  return null;
}

/** Assign weights by path; throws (assigning nothing) when weightsProblem finds one. */
export function importNamedWeights(named: readonly NamedVariable[], weights: readonly NamedWeight[]): void {
  const problem = weightsProblem(named, weights);
  if (problem) throw new Error(`the saved weights do not fit this model: ${problem}`);
  const byPath = new Map(weights.map((w) => [w.path, w]));
  tf.tidy(() => {
    for (const { path, variable } of named) variable.assign(tf.tensor((byPath.get(path) as NamedWeight).values, variable.shape));
  });
}
