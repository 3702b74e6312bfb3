/**
 * The GEMM's three ways of cutting a product (src/kernels/control.ts Mode: columns, rows, sums
 * over the inner dimension) give the product, alone and chunk by chunk in any order as two
 * threads would take them, and chooseMode picks rows for a convolution's tall products and sums
 * for its filter gradients. Runs the plain-SIMD module on a memory of its own (no tfjs).
 */
import { describe, expect, it } from 'vitest';
import { CHUNK_BITS, CLAIM, CONTROL_WORDS, FINISHED, gemmExports, Mode, RELU, TRANS_A, TRANS_B, workOnJob, type GemmExports, type Job } from '../../src/kernels/control';
import { chooseMode, chunkDepth, chunkRows, GemmRunner } from '../../src/kernels/runner';
import { wasmFile } from './helpers/kernels';
import { TestRng } from './helpers/rng';

/** C = op(A)·op(B) (+ bias) (ReLU) in float64; A stored K×M when transA, B stored N×K when transB. */
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

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-30;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
  }
  expect(error / scale).toBeLessThan(1e-5);
}

/** The module on a memory of its own, with a bump allocator for the runner's buffers. */
async function setUp(): Promise<{ g: GemmExports; memory: WebAssembly.Memory; alloc: (bytes: number) => number; runner: GemmRunner }> {
  const memory = new WebAssembly.Memory({ initial: 400 });
  const g = gemmExports(await WebAssembly.instantiate(await WebAssembly.compile(wasmFile('gemm-simd-private')), { env: { memory } }));
  let top = 1024;
  const alloc = (bytes: number) => {
    const p = (top + 15) & ~15;
    top = p + bytes;
    if (top > memory.buffer.byteLength) throw new Error('test heap full');
    return p;
  };
  return { g, memory, alloc, runner: new GemmRunner(g, { malloc: alloc, free: () => {} }) };
}

// [m, k, n, flags, bias]: partial tiles, K not a multiple of 4 or of the 256-deep block
const SHAPES: [number, number, number, number, boolean][] = [
  [37, 10, 23, 0, true],
  [50, 9, 6, TRANS_B | RELU, true],
  [128, 33, 16, TRANS_A, false],
  [13, 700, 9, TRANS_A, false],
  [256, 517, 32, TRANS_A, false],
  [201, 16, 16, RELU, true],
  [6, 1, 7, TRANS_A | TRANS_B, false],
];

describe('GEMM modes', () => {
  it.each(SHAPES)('%i×%i×%i (flags %i, bias %s): columns, rows and (for Aᵀ·B) sums all give the product', async (m, k, n, flags, withBias) => {
    const { memory, alloc, runner } = await setUp();
    const heap = new Float32Array(memory.buffer);
    const rng = new TestRng(m * 31 + k * 7 + n);
    const a = Float32Array.from(rng.normals(m * k));
    const b = Float32Array.from(rng.normals(k * n));
    const bias = withBias ? Float32Array.from(rng.normals(n)) : undefined;
    const [A, B, BIAS, C] = [alloc(4 * m * k), alloc(4 * k * n), alloc(4 * n), alloc(4 * m * n)];
    heap.set(a, A / 4);
    heap.set(b, B / 4);
    if (bias) heap.set(bias, BIAS / 4);
    const expected = reference(a, b, m, k, n, flags, bias);
    const modes: Mode[] = [Mode.Columns, Mode.Rows];
    if (flags === TRANS_A && !bias) modes.push(Mode.Sum);
    for (const mode of modes) {
      heap.fill(NaN, C / 4, C / 4 + m * n);
      runner.run({ a: A, b: B, c: C, bias: bias ? BIAS : 0, m, n, k, flags, mode });
      expectClose(heap.subarray(C / 4, C / 4 + m * n), expected);
    }
  });

  it('rows and sums chunk by chunk, in reverse order, as two threads share them (sums into two accumulators)', async () => {
    const { g, memory, alloc } = await setUp();
    const heap = new Float32Array(memory.buffer);
    const rng = new TestRng(3);
    for (const [m, k, n, flags, mode] of [[203, 40, 24, RELU | TRANS_B, Mode.Rows], [40, 2000, 24, TRANS_A, Mode.Sum]] as const) {
      const a = Float32Array.from(rng.normals(m * k));
      const b = Float32Array.from(rng.normals(k * n));
      const bias = Float32Array.from(rng.normals(n));
      const useBias = mode === Mode.Rows;
      const [A, B, BIAS, C, PARTIAL] = [alloc(4 * m * k), alloc(4 * k * n), alloc(4 * n), alloc(4 * m * n), alloc(4 * m * n)];
      heap.set(a, A / 4);
      heap.set(b, B / 4);
      heap.set(bias, BIAS / 4);
      const chunkCols = mode === Mode.Rows ? chunkRows(m) : chunkDepth(k);
      const job: Job = { mode, a: A, b: B, c: C, bias: useBias ? BIAS : 0, m, n, k, flags, packedA: 0, packedB: 0, partial: PARTIAL, chunkCols, chunks: Math.ceil((mode === Mode.Rows ? m : k) / chunkCols) };
      expect(job.chunks).toBeGreaterThan(1);
      if (mode === Mode.Rows) {
        job.packedB = alloc(g.packedBBytes(n, k));
        g.packBAll(B, n, k, flags, job.packedB);
      } else {
        g.zeroFloats(C, m * n);
        g.zeroFloats(PARTIAL, m * n);
      }
      const scratch = alloc(mode === Mode.Rows ? g.rowsScratchBytes(k) : g.sumScratchBytes(m, n));
      // the helper's claims, one chunk at a time from the end: simulated with a claim word per chunk
      const control = new Int32Array(CONTROL_WORDS);
      for (let chunk = job.chunks - 1; chunk >= 0; chunk--) {
        control[CLAIM] = (7 << CHUNK_BITS) + chunk;
        control[FINISHED] = 0;
        const once = { ...job, chunks: chunk + 1 };
        workOnJob(control, g, once, 7, scratch, chunk % 2 === 0 ? C : PARTIAL);
        expect(control[FINISHED]).toBe(1);
      }
      if (mode === Mode.Sum) g.addFloats(C, PARTIAL, m * n);
      expectClose(heap.subarray(C / 4, C / 4 + m * n), reference(a, b, m, k, n, flags, useBias ? bias : undefined));
    }
  });

  it('chooseMode: rows for a convolution’s tall products, sums for its filter gradients, columns for most dense products', () => {
    // [M, K, N] as in C (M×N) = op(A) (M×K) · op(B) (K×N)
    const mode = (m: number, k: number, n: number, flags: number, bias = false) => chooseMode(m, n, k, flags, bias);
    // conv-small at batch 128: conv1 and conv2 forward, conv2's input gradient, convT1's forward
    expect(mode(25088, 16, 16, 0, true)).toBe(Mode.Rows);
    expect(mode(6272, 256, 32, 0, true)).toBe(Mode.Rows);
    expect(mode(6272, 32, 256, TRANS_B)).toBe(Mode.Rows);
    // filter gradients Pᵀ·g
    expect(mode(256, 6272, 32, TRANS_A)).toBe(Mode.Sum);
    expect(mode(16, 25088, 16, TRANS_A)).toBe(Mode.Sum);
    expect(mode(256, 6272, 32, TRANS_A, true)).not.toBe(Mode.Sum);
    // a tall weight gradient (1568 inputs, 128 units) is cut by rows too
    expect(mode(1568, 128, 128, TRANS_A)).toBe(Mode.Rows);
    // the dense layers' other products, forward and backward, at batch 128
    for (const [m, k, n, flags] of [[128, 1568, 128, 0], [128, 128, 1568, TRANS_B], [128, 784, 400, 0], [784, 128, 400, TRANS_A], [128, 400, 784, 0]]) {
      expect(mode(m, k, n, flags), `${m}×${k}×${n}`).toBe(Mode.Columns);
    }
  });
});
