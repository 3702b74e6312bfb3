/**
 * Our wasm GEMM (src/kernels) against float64 references: through tfjs's BatchMatMul and
 * _FusedMatMul on the wasm backend (Node: single-threaded build, plain-SIMD variant), and the
 * two-thread split computed on one thread. Needs the built .wasm (npm install / build-kernels).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../../src/core/layers/dense';
import { VariableScope } from '../../src/core/layers/scope';
import { CHUNK_BITS, CLAIM, CONTROL_WORDS, FINISHED, gemmExports, RELU, TRANS_A, TRANS_B, workOnChunks } from '../../src/kernels/control';
import { chunkColumns } from '../../src/kernels/runner';
import { uninstallWasmMatMul, wasmMatMulActive } from '../../src/kernels/tfjsKernels';
import { installKernels, wasmFile } from './helpers/kernels';
import { TestRng } from './helpers/rng';

const install = installKernels;

/** C = op(A)·op(B) (+ bias) (ReLU) in float64; A stored K×M when transA, B stored N×K when transB. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean, bias?: Float32Array, relu = false): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
      c[i * n + j] = relu && s < 0 ? 0 : s;
    }
  }
  return c;
}

/** max |x − ref| ≤ tolerance · max |ref| (and shapes agree). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-30;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
  }
  expect(error / scale).toBeLessThan(tolerance);
}

function randoms(n: number, rng: TestRng): Float32Array {
  return Float32Array.from(rng.normals(n));
}

// [M, K, N] of every product of the 784-400-20 VAE's training step, batch 128, and the
// transposes its backward pass uses.
const MODEL_PRODUCTS: [number, number, number, boolean, boolean][] = [
  [128, 784, 400, false, false],
  [128, 400, 40, false, false],
  [128, 20, 400, false, false],
  [128, 400, 784, false, false],
  [784, 128, 400, true, false],
  [128, 40, 400, false, true],
  [400, 128, 40, true, false],
  [128, 400, 20, false, true],
  [20, 128, 400, true, false],
  [128, 784, 400, false, true],
  [400, 128, 784, true, false],
];

// sizes that leave partial 4×8 tiles and K not divisible by 4
const ODD_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 3, 11],
  [7, 13, 9],
  [3, 17, 2],
  [33, 6, 19],
  [9, 1, 24],
];

let description = '';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  description = await install();
});

afterAll(() => {
  uninstallWasmMatMul();
});

describe('wasm GEMM kernels', () => {
  it('install on the wasm backend (Node 20: plain SIMD, one thread)', () => {
    expect(description).toMatch(/SIMD GEMM, 1 thread/);
    expect(wasmMatMulActive()).toBe(true);
  });

  it.each(MODEL_PRODUCTS)('matMul %i×%i×%i (transposeA %s, transposeB %s) matches float64', (m, k, n, transA, transB) => {
    const rng = new TestRng(m * 7 + k * 3 + n);
    const a = randoms(m * k, rng);
    const b = randoms(k * n, rng);
    const out = tf.tidy(() => tf.matMul(tf.tensor2d(a, transA ? [k, m] : [m, k]), tf.tensor2d(b, transB ? [n, k] : [k, n]), transA, transB).dataSync());
    expectClose(out, reference(a, b, m, k, n, transA, transB));
  });

  it('fused matMul: bias and ReLU, all transpose combinations, partial tiles', () => {
    const rng = new TestRng(5);
    for (const [m, k, n] of [...ODD_SHAPES, [128, 20, 400] as [number, number, number]]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const activation of ['linear', 'relu'] as const) {
            const a = randoms(m * k, rng);
            const b = randoms(k * n, rng);
            const bias = randoms(n, rng);
            const out = tf.tidy(() =>
              tf.fused
                .matMul({
                  a: tf.tensor2d(a, transA ? [k, m] : [m, k]),
                  b: tf.tensor2d(b, transB ? [n, k] : [k, n]),
                  transposeA: transA,
                  transposeB: transB,
                  bias: tf.tensor1d(bias),
                  activation,
                })
                .dataSync(),
            );
            expectClose(out, reference(a, b, m, k, n, transA, transB, bias, activation === 'relu'));
          }
        }
      }
    }
  });

  it('leaves what it does not cover to tfjs-wasm: a real batch, a prelu activation', () => {
    const rng = new TestRng(8);
    const a = randoms(2 * 3 * 4, rng);
    const b = randoms(2 * 4 * 5, rng);
    const batched = tf.tidy(() => tf.matMul(tf.tensor3d(a, [2, 3, 4]), tf.tensor3d(b, [2, 4, 5])).arraySync() as number[][][]);
    for (let i = 0; i < 2; i++) {
      expectClose(batched[i].flat(), reference(a.subarray(i * 12, i * 12 + 12), b.subarray(i * 20, i * 20 + 20), 3, 4, 5, false, false));
    }
    const prelu = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor2d(a.subarray(0, 12), [3, 4]), b: tf.tensor2d(b.subarray(0, 20), [4, 5]), activation: 'prelu', preluActivationWeights: tf.scalar(0.5) }).dataSync(),
    );
    const plain = reference(a, b, 3, 4, 5, false, false);
    expectClose(prelu, plain.map((v) => (v < 0 ? 0.5 * v : v)));
  });

  it('frees what it allocates: no tensor left behind', () => {
    const x = tf.randomNormal([128, 400]) as tf.Tensor2D;
    const w = tf.randomNormal([400, 784]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.tidy(() => tf.matMul(x, w, false, false).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('a Dense layer gives the same values and gradients as with tfjs-wasm’s own kernels', () => {
    const layer = new Dense(30, 17, 'relu', new TestRng(3), { scope: new VariableScope('kernels-test'), path: 'dense' });
    const rng = new TestRng(4);
    const x = tf.tensor2d(rng.normals(9 * 30), [9, 30]);
    const r = tf.tensor2d(rng.normals(9 * 17), [9, 17]);
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.call(x), r)) as tf.Scalar, layer.variables);
        return [value, ...layer.variables.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
      });
    const ours = run();
    uninstallWasmMatMul();
    expect(wasmMatMulActive()).toBe(false);
    const theirs = run();
    return install().then(() => {
      ours.forEach((values, i) => expectClose(values, theirs[i]));
      tf.dispose([x, r]);
      layer.dispose();
    });
  });
});

describe('chunks of columns (how two threads share a product)', () => {
  it('are whole 8-column panels, about a dozen per product, covering every column', () => {
    for (const n of [1, 7, 8, 20, 40, 96, 400, 784, 5000]) {
      const cols = chunkColumns(n);
      expect(cols % 8).toBe(0);
      const chunks = Math.ceil(n / cols);
      expect(chunks).toBeLessThanOrEqual(13);
      expect((chunks - 1) * cols).toBeLessThan(n);
    }
  });

  it('computed one by one, in any order, equal the whole product; a stale job claims nothing', async () => {
    const memory = new WebAssembly.Memory({ initial: 160 });
    const gemm = gemmExports(await WebAssembly.instantiate(await WebAssembly.compile(wasmFile('gemm-simd-private')), { env: { memory } }));
    const heap = new Float32Array(memory.buffer);
    const rng = new TestRng(11);
    for (const [m, k, n, flags] of [[128, 40, 400, TRANS_B | RELU], [400, 128, 40, TRANS_A], [37, 10, 23, 0], [128, 784, 400, TRANS_B]]) {
      const [A, B, BIAS, C] = [1024, 1024 + 4 * m * k, 1024 + 4 * (m * k + k * n), 1024 + 4 * (m * k + k * n + n)];
      const packedA = (C + 4 * m * n + 15) & ~15;
      const scratch = (packedA + gemm.packedABytes(m, k) + 15) & ~15;
      const chunkCols = chunkColumns(n);
      expect(scratch + gemm.scratchBytes(k, chunkCols)).toBeLessThan(memory.buffer.byteLength);
      const a = randoms(m * k, rng);
      const b = randoms(k * n, rng);
      const bias = randoms(n, rng);
      heap.set(a, A / 4);
      heap.set(b, B / 4);
      heap.set(bias, BIAS / 4);
      heap.fill(NaN, C / 4, C / 4 + m * n);
      gemm.packA(A, m, k, flags, packedA);
      const job = { packedA, b: B, c: C, bias: BIAS, m, n, k, flags, chunkCols, chunks: Math.ceil(n / chunkCols) };
      const control = new Int32Array(CONTROL_WORDS);
      control[CLAIM] = 6 << CHUNK_BITS; // job 6 is open
      workOnChunks(control, gemm.gemm, job, 5, scratch); // a thread still on job 5 takes nothing
      expect(control[FINISHED]).toBe(0);
      expect(heap.subarray(C / 4, C / 4 + m * n).every(Number.isNaN)).toBe(true);
      // the reverse order of what a claiming thread would do, one chunk at a time
      for (let chunk = job.chunks - 1; chunk >= 0; chunk--) {
        gemm.gemm(packedA, B, C, BIAS, m, n, k, flags, chunk * chunkCols, Math.min(n, (chunk + 1) * chunkCols), scratch);
      }
      const expected = reference(a, b, m, k, n, (flags & TRANS_A) !== 0, (flags & TRANS_B) !== 0, bias, (flags & RELU) !== 0);
      expectClose(heap.subarray(C / 4, C / 4 + m * n), expected);
      heap.fill(NaN, C / 4, C / 4 + m * n);
      workOnChunks(control, gemm.gemm, job, 6, scratch); // the open job: claims and does every chunk
      expect(control[FINISHED]).toBe(job.chunks);
      expect(control[CLAIM]).toBe((6 << CHUNK_BITS) + job.chunks);
      expectClose(heap.subarray(C / 4, C / 4 + m * n), expected);
    }
  });
});
