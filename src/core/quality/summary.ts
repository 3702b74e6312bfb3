/**
 * A set of images as the sample-quality score sees it: the moments of the classifier's features
 * (for the Fréchet distance), its confidence and the share of each class it sees (a model whose
 * samples collapse onto a few modes shows it), and the images' sharpness. Chunked, with an
 * awaited callback between chunks (the worker yields there).
 */
import * as tf from '../tf';
import { featureMoments, frechetDistance, type FeatureMoments } from '../analysis/frechet';
import { meanGradientMagnitude } from '../analysis/sharpness';
import type { ImageShape } from '../../data/dataset';
import { CLASSIFIER_FEATURES, type SampleClassifier } from './classifier';

export interface ImageSetSummary {
  count: number;
  moments: FeatureMoments;
  /** The mean over the images of the classifier's largest class probability. */
  confidence: number;
  /** The fraction of the images the classifier assigns to each class. */
  classShares: number[];
  /** Mean gradient magnitude (analysis/sharpness.ts). */
  sharpness: number;
}

export interface SummaryOptions {
  chunk?: number;
  /** Awaited after every chunk but the last; a throw stops the summary. */
  betweenChunks?(done: number, total: number): Promise<void>;
}

/** The summary of `count` images, row-major [count, pixels] in [0, 1]. */
export async function summariseImages(classifier: SampleClassifier, images: Float32Array, count: number, shape: ImageShape, options: SummaryOptions = {}): Promise<ImageSetSummary> {
  const pixels = shape.width * shape.height * shape.channels;
  const chunk = Math.max(1, options.chunk ?? 500);
  const classes = classifier.classCount;
  const features = new Float32Array(count * CLASSIFIER_FEATURES);
  const counts = new Array<number>(classes).fill(0);
  let confidence = 0;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const out = tf.tidy(() => classifier.predict(tf.tensor2d(images.subarray(start * pixels, (start + n) * pixels), [n, pixels])));
    const [f, p] = await Promise.all([out.features.data(), out.probabilities.data()]);
    out.features.dispose();
    out.probabilities.dispose();
    features.set(f as Float32Array, start * CLASSIFIER_FEATURES);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (p[i * classes + k] > p[i * classes + best]) best = k;
      counts[best] += 1;
      confidence += p[i * classes + best];
    }
    if (options.betweenChunks && start + n < count) await options.betweenChunks(start + n, count);
  }
  return {
    count,
    moments: featureMoments(features, count, CLASSIFIER_FEATURES),
    confidence: confidence / count,
    classShares: counts.map((c) => c / count),
    sharpness: meanGradientMagnitude(images.subarray(0, count * pixels), count, shape),
  };
}

/** Samples against the reference (test) images: Fréchet distance and the sharpness ratio. */
export function compareSummaries(reference: ImageSetSummary, samples: ImageSetSummary): { frechetDistance: number; sharpnessRatio: number } {
  return {
    frechetDistance: frechetDistance(reference.moments, samples.moments),
    sharpnessRatio: reference.sharpness > 0 ? samples.sharpness / reference.sharpness : Number.NaN,
  };
}
