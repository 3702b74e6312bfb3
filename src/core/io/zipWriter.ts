/**
 * A minimal zip writer: stored (uncompressed) entries with their CRC-32, UTF-8 names and a date,
 * which every unzip tool and Python's zipfile read. Enough to hand over a few files (the PyTorch
 * export: weights, script, readme) as one download. Pure.
 */
import { crc32 } from './crc32';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const encoder = new TextEncoder();

/** MS-DOS time and date of `when` (local time, 2-second resolution, years 1980…2107). */
function dosTime(when: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, when.getFullYear()));
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}

export function writeZip(entries: readonly ZipEntry[], when = new Date()): Uint8Array {
  const { time, date } = dosTime(when);
  const names = entries.map((e) => encoder.encode(e.name));
  const crcs = entries.map((e) => crc32(e.data));
  const localSize = entries.reduce((n, e, i) => n + 30 + names[i].length + e.data.length, 0);
  const centralSize = names.reduce((n, name) => n + 46 + name.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let at = 0;
  const u16 = (v: number) => {
    view.setUint16(at, v, true);
    at += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(at, v >>> 0, true);
    at += 4;
  };
  entries.forEach((e, i) => {
    offsets.push(at);
    u32(0x04034b50);
    u16(20); // version needed: 2.0
    u16(0x0800); // names are UTF-8
    u16(0); // stored
    u16(time);
    u16(date);
    u32(crcs[i]);
    u32(e.data.length);
    u32(e.data.length);
    u16(names[i].length);
    u16(0);
    out.set(names[i], at);
    at += names[i].length;
    out.set(e.data, at);
    at += e.data.length;
  });
  const centralStart = at;
  entries.forEach((e, i) => {
    u32(0x02014b50);
    u16(20); // made by: 2.0
    u16(20);
    u16(0x0800);
    u16(0);
    u16(time);
    u16(date);
    u32(crcs[i]);
    u32(e.data.length);
    u32(e.data.length);
    u16(names[i].length);
    u16(0); // extra
    u16(0); // comment
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(offsets[i]);
    out.set(names[i], at);
    at += names[i].length;
  });
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(centralSize);
  u32(centralStart);
  u16(0);
  return out;
}
