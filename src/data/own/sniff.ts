/**
 * What a file is, from its first bytes: a PNG or a JPEG (with its width and height, read from the
 * PNG's IHDR chunk or the JPEG's frame header), or something else, named where we can. Lets the
 * page refuse a non-image or a huge image with a clear message before decoding anything. Pure.
 */

export type Sniffed = { kind: 'png' | 'jpeg'; width: number; height: number } | { kind: 'other'; what: string };

function startsWith(bytes: Uint8Array, ...sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

function other(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, 0x47, 0x49, 0x46, 0x38)) return { kind: 'other', what: 'a GIF image' };
  if (startsWith(bytes, 0x52, 0x49, 0x46, 0x46) && startsWith(bytes.subarray(8), 0x57, 0x45, 0x42, 0x50)) return { kind: 'other', what: 'a WebP image' };
  if (startsWith(bytes, 0x42, 0x4d)) return { kind: 'other', what: 'a BMP image' };
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) return { kind: 'other', what: 'a PDF document' };
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return { kind: 'other', what: 'a zip archive inside the zip' };
  if (bytes.length === 0) return { kind: 'other', what: 'empty' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 256));
  if (text.trimStart().startsWith('<svg') || text.includes('<svg')) return { kind: 'other', what: 'an SVG drawing' };
  const printable = [...bytes.subarray(0, 256)].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128);
  return { kind: 'other', what: printable ? 'a text file' : 'not an image we can read' };
}

function pngSize(bytes: Uint8Array): Sniffed {
  // signature (8), then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4), big-endian
  if (bytes.length < 24 || !startsWith(bytes.subarray(12), 0x49, 0x48, 0x44, 0x52)) return { kind: 'other', what: 'a damaged PNG (no image header)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { kind: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

/** SOF markers (baseline, extended, progressive, lossless, …): 0xC0–0xCF except DHT C4, JPG C8, DAC CC. */
function isFrameMarker(m: number): boolean {
  return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}

function jpegSize(bytes: Uint8Array): Sniffed {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { kind: 'other', what: 'a damaged JPEG' };
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // padding
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    if (isFrameMarker(marker)) {
      if (at + 9 > bytes.length) break;
      return { kind: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data or end: no frame header before it
    at += 2 + length;
  }
  return { kind: 'other', what: 'a damaged JPEG (no frame header)' };
}

export function sniffImage(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return pngSize(bytes);
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return jpegSize(bytes);
  return other(bytes);
}
