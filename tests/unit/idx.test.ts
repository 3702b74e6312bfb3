import { describe, expect, it } from 'vitest';
import { checkPair, DataFormatError, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { idxImages, idxLabels } from './helpers/idx';

function formatError(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataFormatError);
    return err as DataFormatError;
  }
  throw new Error('expected a DataFormatError');
}

describe('parseIdxImages', () => {
  it('parses a hand-built file to the exact header values and pixel bytes', () => {
    const pixels = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255];
    const parsed = parseIdxImages(idxImages(2, 2, 3, pixels), 'tiny-images');
    expect(parsed.count).toBe(2);
    expect(parsed.rows).toBe(2);
    expect(parsed.cols).toBe(3);
    expect(Array.from(parsed.pixels)).toEqual(pixels);
  });

  it('reads the header at the view offset of a subarray', () => {
    const inner = idxImages(1, 1, 2, [7, 9]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    const parsed = parseIdxImages(outer.subarray(5), 'offset-images');
    expect(Array.from(parsed.pixels)).toEqual([7, 9]);
  });

  it('rejects a wrong magic number', () => {
    const err = formatError(() => parseIdxImages(idxImages(1, 1, 1, [0], 1234), 'mnist-train-images'));
    expect(err.code).toBe('bad-magic');
    expect(err.file).toBe('mnist-train-images');
    expect(err.message).toBe(
      'mnist-train-images: wrong magic number 1234 (expected 2051): this is not an IDX image file.',
    );
  });

  it('rejects a label file given as images (magic 2049)', () => {
    const err = formatError(() => parseIdxImages(idxLabels([1, 2, 3]), 'imgs'));
    expect(err.code).toBe('bad-magic');
    expect(err.message).toContain('wrong magic number 2049 (expected 2051)');
  });

  it('rejects truncated pixel data', () => {
    const full = idxImages(2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8]);
    const err = formatError(() => parseIdxImages(full.subarray(0, full.length - 1), 'cut-images'));
    expect(err.code).toBe('truncated');
    expect(err.message).toBe(
      'cut-images: the file is truncated: 2 images of 2×2 need 24 bytes, but it has 23.',
    );
  });

  it('rejects a file shorter than the header', () => {
    const err = formatError(() => parseIdxImages(idxImages(1, 1, 1, [0]).subarray(0, 10), 'stub'));
    expect(err.code).toBe('truncated');
    expect(err.message).toContain('fewer than the 16-byte header');
  });

  it('rejects unexpected and empty dimensions', () => {
    const wrong = formatError(() => parseIdxImages(idxImages(1, 2, 2, [0, 0, 0, 0]), 'x', { rows: 28, cols: 28 }));
    expect(wrong.code).toBe('bad-dimensions');
    expect(wrong.message).toBe('x: images are 2×2 pixels, expected 28×28.');
    const empty = formatError(() => parseIdxImages(idxImages(1, 0, 5, []), 'y'));
    expect(empty.code).toBe('bad-dimensions');
  });
});

describe('parseIdxLabels', () => {
  it('parses labels exactly', () => {
    const parsed = parseIdxLabels(idxLabels([5, 0, 4, 1, 9]), 'tiny-labels');
    expect(parsed.count).toBe(5);
    expect(Array.from(parsed.labels)).toEqual([5, 0, 4, 1, 9]);
  });

  it('rejects a wrong magic number', () => {
    const err = formatError(() => parseIdxLabels(idxLabels([1], 1, 2051), 'mnist-test-labels'));
    expect(err.code).toBe('bad-magic');
    expect(err.message).toBe('mnist-test-labels: wrong magic number 2051 (expected 2049): this is not an IDX label file.');
  });

  it('rejects truncated labels', () => {
    const err = formatError(() => parseIdxLabels(idxLabels([1, 2], 3), 'short-labels'));
    expect(err.code).toBe('truncated');
    expect(err.message).toBe('short-labels: the file is truncated: 3 labels need 11 bytes, but it has 10.');
  });

  it('rejects labels outside the class count', () => {
    const err = formatError(() => parseIdxLabels(idxLabels([3, 10, 2]), 'mnist-train-labels', 10));
    expect(err.code).toBe('bad-label');
    expect(err.message).toBe('mnist-train-labels: label 10 at index 1 is out of range (expected 0 to 9).');
    expect(parseIdxLabels(idxLabels([3, 10, 2]), 'wide', 11).count).toBe(3);
  });
});

describe('checkPair', () => {
  it('accepts equal counts and rejects a count mismatch', () => {
    const images = parseIdxImages(idxImages(3, 1, 1, [1, 2, 3]), 'i');
    expect(() => checkPair(images, parseIdxLabels(idxLabels([1, 2, 3]), 'l'))).not.toThrow();
    const err = formatError(() => checkPair(images, parseIdxLabels(idxLabels([1, 2]), 'l'), 'MNIST test set'));
    expect(err.code).toBe('count-mismatch');
    expect(err.message).toBe(
      'MNIST test set: 3 images but 2 labels; the image and label files do not belong together.',
    );
  });
});
