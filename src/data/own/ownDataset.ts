/**
 * Your own images as a data set: grey images of one square size with class labels, split with a
 * fixed seed into training and test images (a tenth, at least one, held out), behind the same
 * Dataset interface as MNIST. The page prepares the images (decoding needs the browser); the
 * worker receives them as bytes (OwnImages) and builds the Dataset here. The limits are stated
 * where the images are chosen.
 */
import type { Dataset } from '../dataset';
import { Rng } from '../rng';

export const OWN_IMAGE_LIMITS = {
  /** At most this many images are used (the rest are left out, with a message). */
  maxImages: 20_000,
  /** Fewer cannot be split into training and test images. */
  minImages: 2,
  /** Classes from sub-folders. */
  maxClasses: 100,
  /** A picture larger than this many pixels is refused before decoding. */
  maxPixels: 40_000_000,
  /** A file larger than this is refused unread. */
  maxFileBytes: 50 * 1024 * 1024,
  /** The square sizes offered. */
  sides: [28, 32] as const,
} as const;

export const OWN_TEST_FRACTION = 0.1;
const SPLIT_SEED = 20_261_201;

/** What the page sends the worker: grey levels 0…255, row-major, one byte per pixel. */
export interface OwnImages {
  name: string;
  side: number;
  classNames: string[];
  /** [count · side · side] grey levels. */
  pixels: Uint8Array;
  /** [count] class indices. */
  labels: Uint8Array;
  count: number;
}

/** Why `images` cannot be a data set, or null. */
export function ownImagesProblem(images: unknown): string | null {
  if (typeof images !== 'object' || images === null) return 'images must be an object';
  const o = images as Partial<OwnImages>;
  if (typeof o.name !== 'string' || o.name.length > 200) return 'images.name must be a short string';
  if (!(OWN_IMAGE_LIMITS.sides as readonly number[]).includes(o.side as number)) return `images.side must be one of ${OWN_IMAGE_LIMITS.sides.join(', ')}`;
  if (!Array.isArray(o.classNames) || o.classNames.length < 1 || o.classNames.length > OWN_IMAGE_LIMITS.maxClasses || !o.classNames.every((c) => typeof c === 'string')) {
    return `images.classNames must be 1 to ${OWN_IMAGE_LIMITS.maxClasses} names`;
  }
  const count = o.count as number;
  if (!Number.isInteger(count) || count < OWN_IMAGE_LIMITS.minImages || count > OWN_IMAGE_LIMITS.maxImages) return `there must be ${OWN_IMAGE_LIMITS.minImages} to ${OWN_IMAGE_LIMITS.maxImages.toLocaleString('en-US')} images`;
  if (!(o.pixels instanceof Uint8Array) || o.pixels.length !== count * (o.side as number) ** 2) return `images.pixels must hold ${count} images of ${o.side}×${o.side} bytes`;
  if (!(o.labels instanceof Uint8Array) || o.labels.length !== count) return `images.labels must hold ${count} class indices`;
  if (o.labels.some((l) => l >= (o.classNames as string[]).length)) return 'a label is not one of the classes';
  return null;
}

/** The held-out images: a seeded choice of a tenth (at least one, never all). */
export function testIndices(count: number): Set<number> {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  new Rng(SPLIT_SEED).shuffleInPlace(order);
  const n = Math.min(count - 1, Math.max(1, Math.round(count * OWN_TEST_FRACTION)));
  return new Set(order.subarray(0, n));
}

export function ownDataset(images: OwnImages): Dataset {
  const problem = ownImagesProblem(images);
  if (problem) throw new Error(problem);
  const { side, count } = images;
  const pixels = side * side;
  const held = testIndices(count);
  const split = (test: boolean) => {
    const rows = Array.from({ length: count }, (_, i) => i).filter((i) => held.has(i) === test);
    const out = new Float32Array(rows.length * pixels);
    rows.forEach((row, k) => {
      for (let p = 0; p < pixels; p++) out[k * pixels + p] = images.pixels[row * pixels + p] / 255;
    });
    return { images: out, labels: Uint8Array.from(rows, (r) => images.labels[r]), count: rows.length };
  };
  return { id: 'own', name: images.name, shape: { width: side, height: side, channels: 1 }, classNames: [...images.classNames], train: split(false), test: split(true) };
}
