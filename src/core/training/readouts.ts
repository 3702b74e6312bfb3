/**
 * The model's read-outs beyond encode and decode, as plain arrays: a discrete latent's code grids
 * and codebook, a classifier's choices, a learned prior's components. Each frees what it made;
 * the Trainer (trainer.ts) hands them its model and batches.
 */
import * as tf from '../tf';
import { discreteLatentOf, type Batch, type FamilyModel } from '../models/family';

/** A mixture prior's components, read back. */
export interface PriorComponentValues {
  count: number;
  weights: Float32Array;
  means: Float32Array;
  logVars: Float32Array;
  pseudoInputs: Float32Array | null;
}

/** The nearest code at each position of a batch's images (discrete latents): [count, positions]. */
export async function readCodes(model: FamilyModel, batchOf: () => Batch): Promise<Int32Array> {
  const latent = discreteLatentOf(model, 'encoding to codes');
  const codes = tf.tidy(() => {
    const b = batchOf();
    return latent.encode(b.x, b.labels);
  });
  const values = Int32Array.from(await codes.data());
  codes.dispose();
  return values;
}

/** The decoder's mean images for code grids [count, positions] of indices in [0, K); a grid that is not one is refused. */
export async function readDecodedCodes(model: FamilyModel, codes: Int32Array, count: number, labels?: Uint8Array): Promise<Float32Array> {
  const latent = discreteLatentOf(model, 'decoding a code grid');
  const positions = latent.grid[0] * latent.grid[1];
  if (codes.length !== count * positions) throw new Error(`expected ${count} × ${positions} codes, got ${codes.length}`);
  const bad = codes.findIndex((c) => !Number.isInteger(c) || c < 0 || c >= latent.codebookSize);
  if (bad >= 0) throw new Error(`code ${codes[bad]} at ${bad} is not one of the ${latent.codebookSize} codes`);
  const means = tf.tidy(() => latent.decode(tf.tensor2d(codes, [count, positions], 'int32'), labels ? tf.tensor1d(labels, 'int32') : null));
  const values = (await means.data()) as Float32Array;
  means.dispose();
  return values;
}

/** The codebook [K, D] as plain numbers (discrete latents). */
export async function readCodebook(model: FamilyModel): Promise<{ size: number; dim: number; vectors: Float32Array }> {
  const latent = discreteLatentOf(model, 'the codebook');
  const vectors = latent.codebook();
  const values = Float32Array.from(await vectors.data());
  vectors.dispose();
  return { size: latent.codebookSize, dim: latent.codeDim, vectors: values };
}

/** The class the model's classifier q(y|x) finds most probable for each of images [n, pixels]; null without a classifier. */
export async function readClasses(model: FamilyModel, images: () => tf.Tensor2D): Promise<Uint8Array | null> {
  const classifier = model.classifier;
  if (!classifier) return null;
  const best = tf.tidy(() => tf.argMax(classifier.classify(images()), 1));
  const values = await best.data();
  best.dispose();
  return Uint8Array.from(values);
}

/** A mixture prior's components as plain arrays; null for N(0, I) and for a discrete latent. */
export async function readPriorComponents(model: FamilyModel): Promise<PriorComponentValues | null> {
  if (model.latent.kind !== 'gaussian') return null;
  const parts = model.latent.prior.components();
  if (!parts) return null;
  try {
    // copies: a part may be a clone, which shares its variable's data (its storage on the cpu
    // backend, its CPU cache on webgl), and the worker transfers these arrays to the page
    const own = async (t: tf.Tensor) => Float32Array.from((await t.data()) as Float32Array);
    const [weights, means, logVars, pseudoInputs] = await Promise.all([own(parts.weights), own(parts.means), own(parts.logVars), parts.pseudoInputs ? own(parts.pseudoInputs) : null]);
    return { count: parts.weights.shape[0], weights, means, logVars, pseudoInputs };
  } finally {
    tf.dispose([parts.weights, parts.means, parts.logVars, ...(parts.pseudoInputs ? [parts.pseudoInputs] : [])]);
  }
}
