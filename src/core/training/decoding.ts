/**
 * Latents to images, read back as plain arrays: one pass for a factorised decoder; for an
 * autoregressive one, pixel after pixel in slices (progress and messages between them), with a
 * fixed seed so the same z decodes alike. The images are the decoder's means: for the
 * autoregressive decoder its conditional means p(x_i | x_<i, z) along the drawn path.
 */
import * as tf from '../tf';
import type { GaussianLatent } from '../models/family';

/** Seed of the pixels an autoregressive decoder draws when decoding. */
export const DECODE_SEED = 4242;

/** Pixels drawn per slice (progress and messages between slices). */
export const DECODE_SLICE = 112;

export async function decodeLatents(
  latent: GaussianLatent,
  latents: Float32Array,
  count: number,
  labels?: Uint8Array | Int32Array,
  betweenSlices?: (done: number, total: number) => Promise<void>,
  slice = DECODE_SLICE,
): Promise<Float32Array> {
  const latentDim = latent.latentDim;
  if (!latent.startDecoding) {
    const means = tf.tidy(() => latent.decode(tf.tensor2d(latents, [count, latentDim]), labels ? tf.tensor1d(Int32Array.from(labels), 'int32') : null));
    const values = (await means.data()) as Float32Array;
    means.dispose();
    return values;
  }
  const z = tf.tensor2d(latents, [count, latentDim]);
  const y = labels ? tf.tensor1d(Int32Array.from(labels), 'int32') : null;
  const decoding = latent.startDecoding(z, y, DECODE_SEED);
  try {
    for (let done = 0; done < decoding.total; ) {
      done = decoding.advance(slice);
      if (betweenSlices) await betweenSlices(done, decoding.total);
    }
    const means = decoding.means();
    const values = (await means.data()) as Float32Array;
    means.dispose();
    return values;
  } finally {
    decoding.dispose();
    z.dispose();
    y?.dispose();
  }
}
