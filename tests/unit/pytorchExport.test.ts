/**
 * The PyTorch export without PyTorch: the safetensors writer against a reader written here from
 * the format's description, names and shapes as PyTorch's modules have them, the layout
 * conversions (a decoder run in plain JS on PyTorch-layout weights gives our decoder's outputs),
 * the zip writer against the zip reader, and the script's contents.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pytorchExportEntries, pytorchWeights, SCRIPT_FILE, WEIGHTS_FILE } from '../../src/core/io/pytorchExport';
import { pytorchExportProblem } from '../../src/core/io/pytorchSupport';
import { writeSafetensors } from '../../src/core/io/safetensors';
import { toTorch, torchLayers, type TorchLayer } from '../../src/core/io/torchLayout';
import { listZip, readZipEntry } from '../../src/core/io/zipReader';
import { writeZip } from '../../src/core/io/zipWriter';
import { Trainer } from '../../src/core/training/trainer';
import { disposeTrainerSnapshot } from '../../src/core/training/trainerState';
import { Rng } from '../../src/data/rng';
import { mlpVae } from './helpers/model';
import { expectAllClose, useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

/** A safetensors reader from the format's description (not from our writer's code). */
function readSafetensors(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  type Entry = { dtype: string; shape: number[]; data_offsets: [number, number] };
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const data = bytes.subarray(8 + n);
  const metadata = (parsed.__metadata__ ?? {}) as Record<string, string>;
  delete parsed.__metadata__;
  const entries = (Object.entries(parsed) as [string, Entry][]).sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let expectedStart = 0;
  const tensors: Record<string, { shape: number[]; values: number[] }> = {};
  for (const [name, t] of entries) {
    const [begin, end] = t.data_offsets;
    if (begin !== expectedStart) throw new Error(`${name} leaves a gap or overlaps`);
    expectedStart = end;
    const count = t.shape.reduce((a, b) => a * b, 1);
    const dv = new DataView(data.buffer, data.byteOffset + begin, end - begin);
    const size = t.dtype === 'F32' ? 4 : 8;
    if ((end - begin) / size !== count) throw new Error(`${name}: ${end - begin} bytes for ${count} values`);
    tensors[name] = { shape: t.shape, values: Array.from({ length: count }, (_, i) => (t.dtype === 'F32' ? dv.getFloat32(i * 4, true) : Number(dv.getBigInt64(i * 8, true)))) };
  }
  if (expectedStart !== data.length) throw new Error('the tensors do not cover the data');
  return { headerLength: n, tensors, metadata };
}

let trainers: Trainer[] = [];
afterEach(() => {
  for (const t of trainers) t.dispose();
  trainers = [];
});

function trainedMlp(side = 6, latent = 2, hidden = 5) {
  const config = { ...mlpVae({ inputDim: side * side, hiddenDim: hidden, latentDim: latent, likelihood: 'bernoulli', seed: 4 }), imageShape: { width: side, height: side, channels: 1 } };
  const trainer = new Trainer(config, { beta: 1, learningRate: 0.01, batchSize: 4 }, new Rng(4));
  trainers.push(trainer);
  const x = tf.tensor2d(Float32Array.from({ length: 4 * side * side }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), [4, side * side]);
  for (let s = 0; s < 3; s++) trainer.trainStep(x);
  x.dispose();
  return { config, trainer };
}

async function plainState(trainer: Trainer) {
  const snapshot = trainer.captureState();
  const read = (list: { path: string; tensor: tf.Tensor }[]) => list.map(({ path, tensor }) => ({ path, shape: tensor.shape.slice(), values: Float32Array.from(tensor.dataSync()) }));
  try {
    return { step: snapshot.step, weights: read(snapshot.weights), first: read(snapshot.optimizers[0].firstMoments), second: read(snapshot.optimizers[0].secondMoments), adamStep: snapshot.optimizers[0].step };
  } finally {
    disposeTrainerSnapshot(snapshot);
  }
}

describe('the safetensors writer', () => {
  it('round-trips through a reader written from the format: names, shapes, values, metadata, alignment', () => {
    const bytes = writeSafetensors(
      [
        { name: 'a.weight', shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, -6.5]) },
        { name: 'a.bias', shape: [3], values: new Float32Array([0.25, NaN, Infinity]) },
        { name: 'steps', shape: [1], values: { int64: [123456789] } },
      ],
      { format: 'pt', note: 'ü' },
    );
    const read = readSafetensors(bytes);
    expect((8 + read.headerLength) % 8).toBe(0);
    expect(read.metadata).toEqual({ format: 'pt', note: 'ü' });
    expect(read.tensors['a.weight']).toEqual({ shape: [2, 3], values: [1, 2, 3, 4, 5, -6.5] });
    expect(read.tensors['a.bias'].values[0]).toBe(0.25);
    expect(read.tensors['a.bias'].values[1]).toBeNaN();
    expect(read.tensors.steps.values).toEqual([123456789]);
    expect(() => writeSafetensors([{ name: 'x', shape: [2], values: new Float32Array(3) }])).toThrow(/3 values for shape \[2\]/);
    expect(() => writeSafetensors([{ name: 'x', shape: [1], values: new Float32Array(1) }, { name: 'x', shape: [1], values: new Float32Array(1) }])).toThrow(/twice/);
  });
});

describe('the PyTorch layout', () => {
  it("names and shapes the MLP VAE's tensors as its nn.Linear modules have them, with Adam's moments", async () => {
    const { config, trainer } = trainedMlp(28, 20, 400);
    const s = await plainState(trainer);
    const file = readSafetensors(pytorchWeights({ config, training: trainer.config, step: s.step, adamStep: s.adamStep, weights: s.weights, firstMoments: s.first, secondMoments: s.second, dataName: 'MNIST', savedAt: '2026-12-02T00:00:00Z' }));
    const shapes = Object.fromEntries(Object.entries(file.tensors).map(([k, t]) => [k, t.shape]));
    const stateDict = {
      'encoder.hidden.weight': [400, 784],
      'encoder.hidden.bias': [400],
      'encoder.head.weight': [40, 400],
      'encoder.head.bias': [40],
      'decoder.hidden.weight': [400, 20],
      'decoder.hidden.bias': [400],
      'decoder.output.weight': [784, 400],
      'decoder.output.bias': [784],
    };
    const moments = (prefix: string) => Object.fromEntries(Object.entries(stateDict).map(([k, v]) => [`optimizer.${prefix}.${k}`, v]));
    expect(shapes).toEqual({ ...stateDict, ...moments('exp_avg'), ...moments('exp_avg_sq') });
    expect(file.metadata).toMatchObject({ format: 'pt', step: '3', adam_step: '3' });
    expect(JSON.parse(file.metadata.model)).toEqual(config);
    // PyTorch's weight[o][i] is our weight[i][o]
    const ours = s.weights.find((w) => w.path === 'decoder/hidden/weight')!;
    expect(file.tensors['decoder.hidden.weight'].values[3 * 20 + 7]).toBe(ours.values[7 * 400 + 3]);
  });

  it('gives, run in plain JS the way PyTorch runs it, the same decoder and encoder outputs as ours', async () => {
    const { config, trainer } = trainedMlp();
    const s = await plainState(trainer);
    const t = Object.fromEntries(toTorch(torchLayers(config), s.weights).map((x) => [x.name, x]));
    // PyTorch's nn.Linear: y = x Wᵀ + b with W [out, in]
    const linear = (x: number[], name: string) => {
      const { shape: [out, inp], values: w } = t[`${name}.weight`];
      const b = t[`${name}.bias`].values;
      return Array.from({ length: out }, (_, o) => x.reduce((sum, xi, i) => sum + xi * w[o * inp + i], b[o]));
    };
    const relu = (v: number[]) => v.map((x) => Math.max(0, x));
    const sigmoid = (v: number[]) => v.map((x) => 1 / (1 + Math.exp(-x)));
    const z = [0.3, -1.2];
    const theirs = sigmoid(linear(relu(linear(z, 'decoder.hidden')), 'decoder.output'));
    expectAllClose(await trainer.decode(Float32Array.from(z), 1), theirs, 1e-6);
    const x = Array.from({ length: 36 }, (_, i) => (i % 5) / 4);
    const head = linear(relu(linear(x, 'encoder.hidden')), 'encoder.head');
    const { mu, logVar } = await trainer.encode(Float32Array.from(x), 1);
    expectAllClose(mu, head.slice(0, 2), 1e-5);
    expectAllClose(logVar, head.slice(2), 1e-5);
  });

  it('reorders a flattened feature map from (h, w, c) to (c, h, w) and conv kernels to [out, in, k, k]', () => {
    const layers: TorchLayer[] = [
      { kind: 'linear', ours: 'enc/fc', torch: 'enc.fc', inputMap: [1, 2, 2] },
      { kind: 'linear', ours: 'dec/fc', torch: 'dec.fc', outputMap: [1, 2, 2] },
      { kind: 'conv2d', ours: 'enc/conv', torch: 'enc.conv' },
      { kind: 'convTranspose2d', ours: 'dec/convT', torch: 'dec.convT' },
    ];
    // enc/fc: 5 inputs (a 1×2×2 map in (h, w, c) order, then one condition) → 1 output
    const kernel = (k: number, a: number, b: number) => Float32Array.from({ length: k * k * a * b }, (_, i) => i);
    const weights = [
      { path: 'enc/fc/weight', shape: [5, 1], values: new Float32Array([10, 11, 12, 13, 14]) },
      { path: 'enc/fc/bias', shape: [1], values: new Float32Array([0]) },
      { path: 'dec/fc/weight', shape: [1, 4], values: new Float32Array([20, 21, 22, 23]) },
      { path: 'dec/fc/bias', shape: [4], values: new Float32Array([30, 31, 32, 33]) },
      { path: 'enc/conv/kernel', shape: [2, 2, 1, 3], values: kernel(2, 1, 3) },
      { path: 'enc/conv/bias', shape: [3], values: new Float32Array(3) },
      { path: 'dec/convT/kernel', shape: [2, 2, 3, 1], values: kernel(2, 3, 1) },
      { path: 'dec/convT/bias', shape: [3], values: new Float32Array(3) },
    ];
    const t = Object.fromEntries(toTorch(layers, weights).map((x) => [x.name, x]));
    // (h, w, c) index: (0,0,0)=0 (0,0,1)=1 (0,1,0)=2 (0,1,1)=3 → (c, h, w): 0, 2, 1, 3; the condition stays last
    expect(Array.from(t['enc.fc.weight'].values)).toEqual([10, 12, 11, 13, 14]);
    expect(Array.from(t['dec.fc.weight'].values)).toEqual([20, 22, 21, 23]);
    expect(Array.from(t['dec.fc.bias'].values)).toEqual([30, 32, 31, 33]);
    // ours [ky, kx, in, out] (value = ((ky·2 + kx)·1 + i)·3 + o) → [out, in, ky, kx]
    expect(t['enc.conv.weight'].shape).toEqual([3, 1, 2, 2]);
    expect(Array.from(t['enc.conv.weight'].values)).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
    // ours [ky, kx, out=3, in=1] → PyTorch ConvTranspose2d [in=1, out=3, ky, kx]
    expect(t['dec.convT.weight'].shape).toEqual([1, 3, 2, 2]);
    expect(Array.from(t['dec.convT.weight'].values)).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
    expect(() => toTorch(layers, weights.slice(1))).toThrow(/expects enc\/fc\/weight/);
    expect(() => toTorch(layers.slice(1), weights)).toThrow(/no PyTorch layer takes enc\/fc\/weight, enc\/fc\/bias/);
  });
});

describe('the conv layouts, numerically', () => {
  /** PyTorch's Conv2d on one NCHW image: out[o][y][x] = b[o] + Σ W[o][i][ky][kx]·in[i][y·s − p + ky][x·s − p + kx]. */
  function torchConv(input: number[], [c, h, w]: number[], weight: Float32Array, [o, , k]: number[], s: number, p: number) {
    const ho = Math.floor((h + 2 * p - k) / s) + 1;
    const wo = Math.floor((w + 2 * p - k) / s) + 1;
    const out = new Array(o * ho * wo).fill(0);
    for (let oc = 0; oc < o; oc++)
      for (let y = 0; y < ho; y++)
        for (let x = 0; x < wo; x++)
          for (let ic = 0; ic < c; ic++)
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) {
                const iy = y * s - p + ky;
                const ix = x * s - p + kx;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) out[(oc * ho + y) * wo + x] += weight[((oc * c + ic) * k + ky) * k + kx] * input[(ic * h + iy) * w + ix];
              }
    return out;
  }

  /** PyTorch's ConvTranspose2d: each input pixel adds W[i][o][ky][kx]·in[i][iy][ix] at (iy·s − p + ky, ix·s − p + kx). */
  function torchConvT(input: number[], [c, h, w]: number[], weight: Float32Array, [, o, k]: number[], s: number, p: number) {
    const ho = (h - 1) * s - 2 * p + k;
    const wo = (w - 1) * s - 2 * p + k;
    const out = new Array(o * ho * wo).fill(0);
    for (let ic = 0; ic < c; ic++)
      for (let iy = 0; iy < h; iy++)
        for (let ix = 0; ix < w; ix++)
          for (let oc = 0; oc < o; oc++)
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) {
                const y = iy * s - p + ky;
                const x = ix * s - p + kx;
                if (y >= 0 && y < ho && x >= 0 && x < wo) out[(oc * ho + y) * wo + x] += weight[((ic * o + oc) * k + ky) * k + kx] * input[(ic * h + iy) * w + ix];
              }
    return out;
  }

  const nhwcToNchw = (t: tf.Tensor4D) => Array.from(tf.transpose(t, [0, 3, 1, 2]).dataSync());

  it('a conv2d kernel in PyTorch layout computes what tfjs computes with ours (4×4, stride 2, padding 1)', () => {
    tf.tidy(() => {
      const [cIn, cOut, k] = [2, 3, 4];
      const kernel = tf.randomNormal([k, k, cIn, cOut], 0, 1, 'float32', 3) as tf.Tensor4D;
      const x = tf.randomNormal([1, 6, 6, cIn], 0, 1, 'float32', 4) as tf.Tensor4D;
      const ours = tf.conv2d(x, kernel, 2, 1);
      const [t] = toTorch([{ kind: 'conv2d', ours: 'c', torch: 'c' }], [
        { path: 'c/kernel', shape: kernel.shape.slice(), values: Float32Array.from(kernel.dataSync()) },
        { path: 'c/bias', shape: [cOut], values: new Float32Array(cOut) },
      ]);
      expect(t.shape).toEqual([cOut, cIn, k, k]);
      expectAllClose(torchConv(nhwcToNchw(x), [cIn, 6, 6], t.values, t.shape, 2, 1), nhwcToNchw(ours as tf.Tensor4D), 1e-4);
    });
  });

  it('a transposed-conv kernel in PyTorch layout computes what tfjs computes with ours (3×3 → 6×6)', () => {
    tf.tidy(() => {
      const [cIn, cOut, k] = [3, 2, 4];
      const kernel = tf.randomNormal([k, k, cOut, cIn], 0, 1, 'float32', 5) as tf.Tensor4D;
      const x = tf.randomNormal([1, 3, 3, cIn], 0, 1, 'float32', 6) as tf.Tensor4D;
      const ours = tf.conv2dTranspose(x, kernel, [1, 6, 6, cOut], 2, 1);
      const [t] = toTorch([{ kind: 'convTranspose2d', ours: 't', torch: 't' }], [
        { path: 't/kernel', shape: kernel.shape.slice(), values: Float32Array.from(kernel.dataSync()) },
        { path: 't/bias', shape: [cOut], values: new Float32Array(cOut) },
      ]);
      expect(t.shape).toEqual([cIn, cOut, k, k]);
      expectAllClose(torchConvT(nhwcToNchw(x), [cIn, 3, 3], t.values, t.shape, 2, 1), nhwcToNchw(ours as tf.Tensor4D), 1e-4);
    });
  });

  it('a dense layer after a flattened feature map gives the same outputs fed PyTorch’s (c, h, w) flatten', () => {
    const [h, w, c, out] = [2, 3, 2, 4];
    const weight = Float32Array.from({ length: h * w * c * out }, (_, i) => Math.sin(i));
    const feature = Float32Array.from({ length: h * w * c }, (_, i) => Math.cos(i * 1.3));
    const [t] = toTorch([{ kind: 'linear', ours: 'fc', torch: 'fc', inputMap: [h, w, c] }], [
      { path: 'fc/weight', shape: [h * w * c, out], values: weight },
      { path: 'fc/bias', shape: [out], values: new Float32Array(out) },
    ]);
    const ours = Array.from({ length: out }, (_, o) => feature.reduce((s, v, i) => s + v * weight[i * out + o], 0));
    // the same features in (c, h, w) order, as PyTorch's flatten of NCHW gives them
    const chw = Array.from({ length: h * w * c }, (_, k) => {
      const ch = Math.floor(k / (h * w));
      const rest = k % (h * w);
      return feature[rest * c + ch];
    });
    const theirs = Array.from({ length: out }, (_, o) => chw.reduce((s, v, i) => s + v * t.values[o * h * w * c + i], 0));
    expectAllClose(theirs, ours, 1e-5);
  });
});

describe('the export zip', () => {
  it('holds the weights, the script and a readme, and reads back with its checksums', async () => {
    const { config, trainer } = trainedMlp();
    const s = await plainState(trainer);
    const entries = pytorchExportEntries({ config, training: trainer.config, step: s.step, adamStep: s.adamStep, weights: s.weights, firstMoments: s.first, secondMoments: s.second, dataName: 'patterns', savedAt: '2026-12-02T09:30:00Z' });
    const zip = writeZip(entries, new Date(2026, 11, 2, 9, 30, 10));
    const listed = listZip(zip);
    expect(listed.map((e) => e.name)).toEqual([WEIGHTS_FILE, SCRIPT_FILE, 'README.txt']);
    for (const [i, entry] of listed.entries()) expect(Array.from(await readZipEntry(zip, entry))).toEqual(Array.from(entries[i].data));
    const script = new TextDecoder().decode(entries[1].data);
    for (const piece of ['class Encoder(nn.Module)', 'self.hidden = nn.Linear(PIXELS + CONDITION, HIDDEN)', 'self.head = nn.Linear(HIDDEN, 2 * LATENT)', 'def losses(model, x, step, y=None)', "optimizer.state[p] = {", 'def read_safetensors(path)', 'PIXELS = 36', 'LATENT = 2', 'STEP = 3']) {
      expect(script, piece).toContain(piece);
    }
    // the settings travel as JSON the script parses
    const config2 = /CONFIG = json\.loads\(r'''(.*)'''\)/.exec(script)?.[1];
    expect(JSON.parse(config2 ?? 'null')).toEqual(config);
  });

  it('reads a deflated entry and refuses damaged or unsupported ones', async () => {
    // a zip with one deflated entry "a.txt" = "hello hello hello", made by Python's zipfile
    const deflated = new Uint8Array(await new Response(new Blob([new TextEncoder().encode('hello hello hello')]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const stored = writeZip([{ name: 'a.txt', data: deflated }]);
    // turn the stored entry into a deflated one: method 8 and the uncompressed size and CRC
    const view = new DataView(stored.buffer);
    const listed = listZip(stored)[0];
    const { crc32 } = await import('../../src/core/io/crc32');
    const crc = crc32(new TextEncoder().encode('hello hello hello'));
    for (const at of [listed.offset, stored.length - 22 - 46 - 5]) {
      view.setUint16(at + (at === listed.offset ? 8 : 10), 8, true);
      view.setUint32(at + (at === listed.offset ? 14 : 16), crc, true);
      view.setUint32(at + (at === listed.offset ? 22 : 24), 17, true);
    }
    const entry = listZip(stored)[0];
    expect(entry).toMatchObject({ method: 8, size: 17 });
    expect(new TextDecoder().decode(await readZipEntry(stored, entry))).toBe('hello hello hello');
    await expect(readZipEntry(stored, { ...entry, crc: crc ^ 1 })).rejects.toThrow(/checksum/);
    await expect(readZipEntry(stored, { ...entry, method: 12 })).rejects.toThrow(/method 12/);
    expect(() => listZip(new Uint8Array(100))).toThrow(/not a zip archive/);
  });
});

describe('families without a PyTorch script', () => {
  it('VAE-GAN is refused with a message that points to the model file; the VAE is not', () => {
    expect(pytorchExportProblem({ family: 'vae' })).toBeNull();
    const message = pytorchExportProblem({ family: 'vaegan' });
    expect(message).toMatch(/VAE-GAN/);
    expect(message).toMatch(/Download model file/);
    expect(() => pytorchExportEntries({ config: { family: 'vaegan' } } as Parameters<typeof pytorchExportEntries>[0])).toThrow(/VAE-GAN/);
  });
});
