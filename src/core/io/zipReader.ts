/**
 * A minimal zip reader, for a zip of images dropped on the page: the central directory, stored
 * and deflated entries (inflated with the platform's DecompressionStream('deflate-raw')), each
 * checked against its CRC-32. Zip64, encryption and other methods are refused with a message.
 * Pure apart from DecompressionStream (browsers, Node ≥ 18).
 */
import { crc32 } from './crc32';

export interface ZipListing {
  /** The path inside the archive ("cats/001.png"). */
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Where the entry's local header starts. */
  offset: number;
  flags: number;
}

/** An entry larger than this (uncompressed) is refused: no image of ours needs more. */
export const ZIP_ENTRY_LIMIT = 64 * 1024 * 1024;

/** The files (not folders) in a zip archive; throws with a message when it is not one we read. */
export function listZip(bytes: Uint8Array): ZipListing[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('it is not a zip archive (or it is cut short)');
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const start = view.getUint32(end + 16, true);
  if (count === 0xffff || start === 0xffffffff) throw new Error('it is a Zip64 archive, which is not supported: zip fewer or smaller files');
  if (start + size > end) throw new Error('its table of contents is damaged');
  const entries: ZipListing[] = [];
  let at = start;
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw new Error('its table of contents is damaged');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const uncompressed = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    entries.push({ name, method, compressedSize, size: uncompressed, crc, offset, flags });
  }
  return entries;
}

async function inflateRaw(data: Uint8Array, expected: number): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const out = new Uint8Array(expected);
  let at = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > expected) {
      await reader.cancel();
      throw new Error('it inflates to more than its stated size');
    }
    out.set(value, at);
    at += value.length;
  }
  if (at !== expected) throw new Error(`it inflates to ${at} bytes, not the ${expected} it states`);
  return out;
}

/** One entry's contents, checked against its CRC-32; throws with the reason it cannot be read. */
export async function readZipEntry(bytes: Uint8Array, entry: ZipListing): Promise<Uint8Array> {
  if (entry.flags & 1) throw new Error('it is encrypted');
  if (entry.size > ZIP_ENTRY_LIMIT) throw new Error(`it is ${Math.round(entry.size / 1e6)} MB unpacked, more than the ${ZIP_ENTRY_LIMIT / 1024 / 1024} MB allowed per file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== 0x04034b50) throw new Error('its entry in the archive is damaged');
  const dataStart = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  if (dataStart + entry.compressedSize > bytes.length) throw new Error('the archive is cut short');
  const raw = bytes.subarray(dataStart, dataStart + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = await inflateRaw(raw, entry.size);
    } catch (error) {
      throw new Error(`it cannot be unpacked (${error instanceof Error ? error.message : String(error)})`);
    }
  } else throw new Error(`it is packed with method ${entry.method}; only stored and deflated files are read`);
  if (crc32(data) !== entry.crc) throw new Error('it is damaged (checksum mismatch)');
  return data;
}
