/**
 * Parsing of IDX files (the MNIST container format): a big-endian header, then raw unsigned bytes.
 * Pure functions over bytes, usable in a worker, the main thread or Node.
 */

export type DataFormatErrorCode =
  | 'bad-magic'
  | 'truncated'
  | 'count-mismatch'
  | 'bad-dimensions'
  | 'bad-label';

/** A data file that is not what it should be. The message is a complete sentence for the user. */
export class DataFormatError extends Error {
  readonly code: DataFormatErrorCode;
  readonly file: string;

  constructor(code: DataFormatErrorCode, file: string, message: string) {
    super(message);
    this.name = 'DataFormatError';
    this.code = code;
    this.file = file;
  }
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** Row-major [count, rows·cols] bytes; a view into the input, not a copy. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  /** A view into the input, not a copy. */
  labels: Uint8Array;
}

/** 0x00000803: unsigned bytes, 3 dimensions. */
export const IDX_IMAGES_MAGIC = 2051;
/** 0x00000801: unsigned bytes, 1 dimension. */
export const IDX_LABELS_MAGIC = 2049;

const IMAGE_HEADER_BYTES = 16;
const LABEL_HEADER_BYTES = 8;

/** Checks the magic number first (when present) so a wrong file type is reported as such. */
function readHeader(bytes: Uint8Array, headerBytes: number, magic: number, file: string, what: string): DataView {
  if (bytes.length >= 4) checkMagic(new DataView(bytes.buffer, bytes.byteOffset, 4), magic, file, what);
  if (bytes.length < headerBytes) {
    throw new DataFormatError(
      'truncated',
      file,
      `${file}: the file is truncated: it has ${bytes.length} bytes, fewer than the ${headerBytes}-byte header of an IDX ${what} file.`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
}

function checkMagic(view: DataView, expected: number, file: string, what: string): void {
  const magic = view.getUint32(0, false);
  if (magic !== expected) {
    throw new DataFormatError(
      'bad-magic',
      file,
      `${file}: wrong magic number ${magic} (expected ${expected}): this is not an IDX ${what} file.`,
    );
  }
}

/**
 * Parses an IDX image file (magic 2051). `expect` pins the image size, e.g. 28×28 for MNIST.
 * Bytes after the last image are ignored.
 */
export function parseIdxImages(
  bytes: Uint8Array,
  file = 'images',
  expect?: { rows?: number; cols?: number },
): IdxImages {
  const view = readHeader(bytes, IMAGE_HEADER_BYTES, IDX_IMAGES_MAGIC, file, 'image');
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (rows === 0 || cols === 0) {
    throw new DataFormatError('bad-dimensions', file, `${file}: images of ${rows}×${cols} pixels are empty.`);
  }
  if ((expect?.rows !== undefined && rows !== expect.rows) || (expect?.cols !== undefined && cols !== expect.cols)) {
    throw new DataFormatError(
      'bad-dimensions',
      file,
      `${file}: images are ${rows}×${cols} pixels, expected ${expect?.rows ?? rows}×${expect?.cols ?? cols}.`,
    );
  }
  const needed = IMAGE_HEADER_BYTES + count * rows * cols;
  if (bytes.length < needed) {
    throw new DataFormatError(
      'truncated',
      file,
      `${file}: the file is truncated: ${count} images of ${rows}×${cols} need ${needed} bytes, but it has ${bytes.length}.`,
    );
  }
  return { count, rows, cols, pixels: bytes.subarray(IMAGE_HEADER_BYTES, needed) };
}

/** Parses an IDX label file (magic 2049) and checks every label is below `classCount`. */
export function parseIdxLabels(bytes: Uint8Array, file = 'labels', classCount = 10): IdxLabels {
  const view = readHeader(bytes, LABEL_HEADER_BYTES, IDX_LABELS_MAGIC, file, 'label');
  const count = view.getUint32(4, false);
  const needed = LABEL_HEADER_BYTES + count;
  if (bytes.length < needed) {
    throw new DataFormatError(
      'truncated',
      file,
      `${file}: the file is truncated: ${count} labels need ${needed} bytes, but it has ${bytes.length}.`,
    );
  }
  const labels = bytes.subarray(LABEL_HEADER_BYTES, needed);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classCount) {
      throw new DataFormatError(
        'bad-label',
        file,
        `${file}: label ${labels[i]} at index ${i} is out of range (expected 0 to ${classCount - 1}).`,
      );
    }
  }
  return { count, labels };
}

/** Throws unless an image file and its label file describe the same number of examples. */
export function checkPair(images: { count: number }, labels: { count: number }, name = 'data set'): void {
  if (images.count !== labels.count) {
    throw new DataFormatError(
      'count-mismatch',
      name,
      `${name}: ${images.count} images but ${labels.count} labels; the image and label files do not belong together.`,
    );
  }
}
