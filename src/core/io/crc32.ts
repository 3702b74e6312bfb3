/**
 * CRC-32 (the zip / PNG polynomial 0xEDB88320), to tell a damaged file from a good one: model
 * files carry it over their weights, zip entries over their contents. Pure; no DOM, no tfjs.
 */

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of what came before; 0 to start). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const t = crcTable();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
