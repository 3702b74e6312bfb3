/**
 * The model file's container (core/io/modelFile.ts), on its own: what is written is read back,
 * and every kind of bad file is told apart, with its own message.
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/io/crc32';
import { FORMAT_VERSION, readModelFile, writeModelFile, type ModelFileHeader } from '../../src/core/io/modelFile';

function header(data: Uint8Array, family = 'vae'): Omit<ModelFileHeader, 'dataBytes' | 'dataCrc32'> {
  return {
    app: 'VAE Playground',
    name: 'a test',
    savedAt: '2026-12-01T10:00:00.000Z',
    model: { family, network: 'mlp', latentDim: 2 },
    training: { beta: 1 },
    data: { id: 'mnist', name: 'MNIST', trainCount: 10, shape: { width: 2, height: 2, channels: 1 }, classNames: ['a'] },
    progress: { step: 3, epoch: 0.3, epochProgress: 0.3 },
    trainer: { step: 3, noise: null, optimizers: [{ group: 'model', step: 3 }] },
    batcher: null,
    weights: [{ name: 'weights/w', shape: [data.length / 4], dtype: 'float32' }],
    page: { note: 'kept as is' },
  };
}

const DATA = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);

describe('crc32', () => {
  it('matches the standard check value and continues across pieces', () => {
    const text = new TextEncoder().encode('123456789');
    expect(crc32(text)).toBe(0xcbf43926);
    expect(crc32(text.subarray(4), crc32(text.subarray(0, 4)))).toBe(0xcbf43926);
  });
});

describe('the model file', () => {
  it('reads back what was written: the header (with length and checksum) and the bytes', () => {
    const file = writeModelFile(header(DATA), DATA);
    expect(new TextDecoder().decode(file.subarray(0, 8))).toBe('VAEPLAYG');
    const read = readModelFile(file);
    if (!read.ok) throw new Error(read.message);
    expect(read.header).toMatchObject({ ...header(DATA), dataBytes: 16, dataCrc32: crc32(DATA) });
    expect(Array.from(read.data)).toEqual(Array.from(DATA));
    // the tensors start on a 4-byte boundary
    expect(read.data.byteOffset % 4).toBe(0);
  });

  it('tells every bad file apart, each with its own message', () => {
    const good = writeModelFile(header(DATA), DATA);
    const withVersion = (v: number) => {
      const f = good.slice();
      new DataView(f.buffer).setUint32(8, v, true);
      return f;
    };
    const flipped = good.slice();
    flipped[flipped.length - 2] ^= 0x40;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]);
    const badJson = good.slice();
    badJson[16] = 0x7e; // '~' where the JSON's '{' was
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['random bytes', new Uint8Array([1, 2, 3, 4, 5]), 'notOurs', /not a VAE Playground model file/],
      ['a PNG', png, 'notOurs', /PNG image/],
      ['a zip', zip, 'notOurs', /zip archive/],
      ['an empty file', new Uint8Array(0), 'notOurs', /empty/],
      ['cut inside the prefix', good.subarray(0, 11), 'truncated', /cut short: it has only 11 bytes/],
      ['cut inside the header', good.subarray(0, 60), 'truncated', /cut short.*description/],
      ['cut inside the weights', good.subarray(0, good.length - 5), 'truncated', /cut short: it has 11 of the 16 bytes/],
      ['a newer version', withVersion(FORMAT_VERSION + 1), 'newerVersion', /newer version.*format 2; this page reads format 1/],
      ['version 0', withVersion(0), 'damaged', /version reads 0/],
      ['a changed byte', flipped, 'damaged', /checksum/],
      ['an unreadable header', badJson, 'damaged', /description cannot be read/],
      ['another family', writeModelFile(header(DATA, 'vq-vae'), DATA), 'unknownFamily', /family “vq-vae”.*does not have/],
      ['bytes after the weights', new Uint8Array([...good, 0, 0, 0, 0]), 'damaged', /4 bytes follow its weights/],
    ];
    const messages = new Set<string>();
    for (const [what, bytes, kind, message] of cases) {
      const read = readModelFile(bytes);
      expect(read.ok, what).toBe(false);
      if (read.ok) continue;
      expect(read.kind, what).toBe(kind);
      expect(read.message, what).toMatch(message);
      messages.add(read.message);
    }
    expect(messages.size).toBe(cases.length);
  });

  it('refuses a header whose table of weights does not add up', () => {
    const h = { ...header(DATA), weights: [{ name: 'weights/w', shape: [5], dtype: 'float32' as const }] };
    const read = readModelFile(writeModelFile(h, DATA));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(/needs 20 bytes but it announces 16/);
  });
});
