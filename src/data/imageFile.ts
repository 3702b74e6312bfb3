/**
 * What a dropped file is, from its first bytes (a file's name and type can lie): PNG and JPEG are
 * taken, anything else gets a message that says what it seems to be and what to drop instead.
 */

export type ImageFileKind = 'png' | 'jpeg';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
}

/** PNG or JPEG by their signatures, else null. */
export function sniffImageFile(bytes: Uint8Array): ImageFileKind | null {
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  return null;
}

/** A few common kinds of file that are not PNG or JPEG, named for the message. */
function describeOther(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'it is empty';
  const head = ascii(bytes, 0, 16);
  if (head.startsWith('GIF8')) return 'it is a GIF';
  if (head.startsWith('RIFF') && ascii(bytes, 8, 12) === 'WEBP') return 'it is a WebP image';
  if (head.startsWith('BM')) return 'it looks like a BMP image';
  if (head.startsWith('%PDF')) return 'it is a PDF';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'it is a ZIP archive (or an office document)';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'it is gzip-compressed';
  const sample = bytes.subarray(0, 512);
  const text = sample.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128);
  if (text) return /<svg[\s>]/i.test(ascii(bytes, 0, 512)) ? 'it is an SVG drawing (vector, not pixels)' : 'it looks like text';
  return 'its contents are not a picture this page can read';
}

/**
 * Null when `bytes` start like a PNG or JPEG; otherwise the message to show, naming the file
 * (`name`) and what it seems to be.
 */
export function imageFileProblem(name: string, bytes: Uint8Array): string | null {
  if (sniffImageFile(bytes)) return null;
  return `“${name}” is not a PNG or JPEG image (${describeOther(bytes)}). Drop a PNG or JPEG picture of a digit, or draw one.`;
}

/** The message for a PNG or JPEG the browser could not decode (damaged or cut short). */
export function undecodableImageMessage(name: string, kind: ImageFileKind): string {
  return `“${name}” starts like a ${kind === 'png' ? 'PNG' : 'JPEG'} image but could not be decoded: the file may be damaged or cut short.`;
}

/** The message for a picture with nothing to read in it (a blank page, a flat colour). */
export function blankImageMessage(name: string): string {
  return `“${name}” has no strokes to read: it is one flat colour. Try a picture of a digit with some contrast.`;
}
