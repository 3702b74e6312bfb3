/**
 * The GEMM runner with its real helper thread (helpers/nodeHelper.ts) on a shared memory: every
 * way of cutting a product, and im2col / col2im shared by whole images, give what one thread
 * gives, over many jobs of alternating kinds posted back to back (the helper wakes late, spins,
 * or finds a job already done). The browser runs these paths; Node's tfjs-wasm cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmExports, Mode, PatchMode, RELU, TRANS_A, TRANS_B, type GemmExports } from '../../src/kernels/control';
import { col2imInto, im2colInto, patchColumns, patchRows } from '../../src/kernels/convReference';
import type { PatchGeometry } from '../../src/kernels/names';
import { GemmRunner } from '../../src/kernels/runner';
import { wasmFile } from './helpers/kernels';
import { startNodeHelper } from './helpers/nodeHelper';
import { TestRng } from './helpers/rng';

let g: GemmExports;
let heap: Float32Array;
let memory: WebAssembly.Memory;
let runner: GemmRunner;
let top = 1024;
const alloc = (bytes: number): number => {
  const p = (top + 63) & ~63;
  top = p + bytes;
  if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
  return p;
};
const view = (): Float32Array => (heap.buffer === memory.buffer ? heap : (heap = new Float32Array(memory.buffer)));

beforeAll(async () => {
  memory = new WebAssembly.Memory({ initial: 800, maximum: 65536, shared: true });
  heap = new Float32Array(memory.buffer);
  const module = await WebAssembly.compile(wasmFile('gemm-simd-shared'));
  g = gemmExports(await WebAssembly.instantiate(module, { env: { memory } }));
  runner = new GemmRunner(g, { malloc: alloc, free: () => {} });
  runner.attachHelper(await startNodeHelper(module, memory, alloc(32 * 4)));
});

afterAll(() => runner?.dispose());

function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, flags: number, bias?: Float32Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) s += a[flags & TRANS_A ? p * m + i : i * k + p] * b[flags & TRANS_B ? j * k + p : p * n + j];
      c[i * n + j] = flags & RELU && s < 0 ? 0 : s;
    }
  }
  return c;
}

/** Index of the first difference (bit for bit, NaN ≠ NaN), or -1. */
function firstDifference(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < expected.length; i++) if (!(actual[i] === expected[i])) return i;
  return -1;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1e-30;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
  }
  return error / scale;
}

describe('two threads', () => {
  it('the runner has its helper', () => {
    expect(runner.threads).toBe(2);
  });

  it('products cut by columns, rows and sums, and shared patch jobs, back to back, equal one thread’s', () => {
    const rng = new TestRng(21);
    // [m, k, n, flags, bias, mode]: big enough to be shared (≥ 3 MFLOP, several chunks)
    const products: [number, number, number, number, boolean, Mode][] = [
      [200, 150, 120, 0, true, Mode.Columns],
      [1500, 40, 48, RELU | TRANS_B, true, Mode.Rows],
      [64, 3000, 40, TRANS_A, false, Mode.Sum],
      [130, 300, 90, TRANS_A | RELU, true, Mode.Columns],
    ];
    const cases = products.map(([m, k, n, flags, withBias, mode]) => {
      const a = Float32Array.from(rng.normals(m * k));
      const b = Float32Array.from(rng.normals(k * n));
      const bias = withBias ? Float32Array.from(rng.normals(n)) : undefined;
      const [A, B, BIAS, C] = [alloc(4 * m * k), alloc(4 * k * n), alloc(4 * n), alloc(4 * m * n)];
      view().set(a, A / 4);
      view().set(b, B / 4);
      if (bias) view().set(bias, BIAS / 4);
      return { call: { a: A, b: B, c: C, bias: bias ? BIAS : 0, m, n, k, flags, mode }, expected: reference(a, b, m, k, n, flags, bias) };
    });
    const geometry: PatchGeometry = { batch: 24, height: 14, width: 14, channels: 16, kernelHeight: 4, kernelWidth: 4, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, gridHeight: 7, gridWidth: 7 };
    const imageSize = geometry.batch * geometry.height * geometry.width * geometry.channels;
    const patchSize = patchRows(geometry) * patchColumns(geometry);
    const image = Float32Array.from(rng.normals(imageSize));
    const patches = Float32Array.from(rng.normals(patchSize));
    const bias = Float32Array.from(rng.normals(geometry.channels));
    const [IMAGE, PATCHES, BIAS, OUT_PATCHES, OUT_IMAGE] = [alloc(4 * imageSize), alloc(4 * patchSize), alloc(64), alloc(4 * patchSize), alloc(4 * imageSize)];
    view().set(image, IMAGE / 4);
    view().set(patches, PATCHES / 4);
    view().set(bias, BIAS / 4);
    const expectedPatches = new Float32Array(patchSize);
    im2colInto(image, expectedPatches, geometry);
    const expectedImage = new Float32Array(imageSize);
    col2imInto(patches, bias, expectedImage, geometry, true);
    expect(4 * patchSize).toBeGreaterThan(256 * 1024); // shared, not run alone

    for (let round = 0; round < 40; round++) {
      for (const { call, expected } of cases) {
        view().fill(NaN, call.c / 4, call.c / 4 + call.m * call.n);
        runner.run(call);
        expect(relativeError(view().subarray(call.c / 4, call.c / 4 + call.m * call.n), expected), `round ${round}, mode ${call.mode}`).toBeLessThan(1e-5);
      }
      view().fill(NaN, OUT_PATCHES / 4, OUT_PATCHES / 4 + patchSize);
      runner.runPatches({ mode: PatchMode.Im2col, image: IMAGE, patches: OUT_PATCHES, bias: 0, relu: 0, ...geometry });
      expect(firstDifference(view().subarray(OUT_PATCHES / 4, OUT_PATCHES / 4 + patchSize), expectedPatches), `im2col, round ${round}`).toBe(-1);
      view().fill(NaN, OUT_IMAGE / 4, OUT_IMAGE / 4 + imageSize);
      runner.runPatches({ mode: PatchMode.Col2im, image: OUT_IMAGE, patches: PATCHES, bias: BIAS, relu: 1, ...geometry });
      expect(firstDifference(view().subarray(OUT_IMAGE / 4, OUT_IMAGE / 4 + imageSize), expectedImage), `col2im, round ${round}`).toBe(-1);
    }
    expect(runner.threads).toBe(2); // the helper never timed out
  });
});
