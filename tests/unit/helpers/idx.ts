/** Hand-built IDX files (big-endian header, then bytes) for the parser and loader tests. */

export function idxImages(count: number, rows: number, cols: number, pixels: ArrayLike<number>, magic = 2051): Uint8Array {
  const bytes = new Uint8Array(16 + pixels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  view.setUint32(4, count, false);
  view.setUint32(8, rows, false);
  view.setUint32(12, cols, false);
  bytes.set(pixels, 16);
  return bytes;
}

export function idxLabels(labels: ArrayLike<number>, count = labels.length, magic = 2049): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  view.setUint32(4, count, false);
  bytes.set(labels, 8);
  return bytes;
}
