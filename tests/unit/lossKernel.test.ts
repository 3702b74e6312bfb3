/**
 * The fused element-wise kernels (src/kernels/assembly/elementwise.ts, registered by
 * src/kernels/tfjsKernels.ts on the wasm backend): the Bernoulli reconstruction NLL and its
 * gradient (src/core/objective/likelihoods.ts) and ReLU's backward (src/core/layers/dense.ts), against the op-by-op
 * paths on the same backend. Node: tfjs-wasm's single-threaded build, the plain-SIMD variant.
 * Needs the built .wasm (npm run build-kernels).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../../src/core/layers/dense';
import { VariableScope } from '../../src/core/layers/scope';
import { reconstructionNllPerExample } from '../../src/core/objective/likelihoods';
import { BERNOULLI_NLL_GRAD_KERNEL, BERNOULLI_NLL_KERNEL, RELU_GRAD_KERNEL } from '../../src/kernels/names';
import { uninstallWasmMatMul } from '../../src/kernels/tfjsKernels';
import { installKernels } from './helpers/kernels';
import { TestRng } from './helpers/rng';

const install = installKernels;
const fusedActive = () => [BERNOULLI_NLL_KERNEL, BERNOULLI_NLL_GRAD_KERNEL, RELU_GRAD_KERNEL].every((k) => tf.getKernel(k, tf.getBackend()) !== undefined);

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await install();
});

afterAll(() => {
  uninstallWasmMatMul();
});

afterEach(async () => {
  if (!fusedActive()) await install();
});

/** max |a − e| ≤ tolerance · max |e| (equal lengths, all finite). */
function expectRelClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-30;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    expect(Number.isFinite(actual[i])).toBe(true);
    scale = Math.max(scale, Math.abs(expected[i]));
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
  }
  expect(error / scale).toBeLessThan(tolerance);
}

interface Case {
  rows: number;
  cols: number;
  logits: Float32Array;
  x: Float32Array;
  /** upstream weights per row (the loss is Σ_r w_r·NLL_r) */
  weights: Float32Array;
}

function makeCase(rows: number, cols: number, seed: number, logitScale: number): Case {
  const rng = new TestRng(seed);
  const logits = Float32Array.from(rng.normals(rows * cols), (v, i) => (i % 17 === 0 ? (i % 2 ? 100 : -100) : i % 19 === 0 ? 0 : v * logitScale));
  // binary pixels, intensities in [0, 1], and plenty of exact 0s and 1s (MNIST's case)
  const x = Float32Array.from({ length: rows * cols }, (_, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? rng.next() : 1));
  const weights = Float32Array.from({ length: rows }, (_, i) => (i % 4 === 3 ? 0 : 1 / rows + i * 0.01));
  return { rows, cols, logits, x, weights };
}

/** NLL per example, dL/dlogits of Σ_r w_r·NLL_r, and the tensor count change, on the current kernels. */
function run({ rows, cols, logits, x, weights }: Case): { nll: Float32Array; grad: Float32Array; tensors: number } {
  const l = tf.tensor2d(logits, [rows, cols]);
  const xs = tf.tensor2d(x, [rows, cols]);
  const w = tf.tensor1d(weights);
  const before = tf.memory().numTensors;
  const nll = tf.tidy(() => reconstructionNllPerExample('bernoulli', l, xs));
  const grad = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(reconstructionNllPerExample('bernoulli', t as tf.Tensor2D, xs), w)))(l));
  const out = { nll: nll.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  tf.dispose([nll, grad]);
  const tensors = tf.memory().numTensors - before;
  tf.dispose([l, xs, w]);
  return { ...out, tensors };
}

// the model's batch, odd widths (scalar tails), one row, one column
const SHAPES: [number, number][] = [[128, 784], [5, 37], [3, 12], [1, 1], [2, 3]];

describe('fused Bernoulli NLL on the wasm backend', () => {
  it('is registered with our kernels and removed with them', () => {
    expect(fusedActive()).toBe(true);
    uninstallWasmMatMul();
    expect(fusedActive()).toBe(false);
  });

  it('the reconstruction NLL is one kernel forward and one backward', async () => {
    const { rows, cols, logits, x } = makeCase(4, 9, 1, 3);
    const l = tf.tensor2d(logits, [rows, cols]);
    const xs = tf.tensor2d(x, [rows, cols]);
    const forward = await tf.profile(() => tf.tidy(() => reconstructionNllPerExample('bernoulli', l, xs)));
    // tf.customGrad's own scope is listed too, as 'unnamed scope'
    const kernels = (p: { kernelNames: string[] }) => p.kernelNames.filter((k) => k !== 'unnamed scope');
    expect(kernels(forward)).toEqual([BERNOULLI_NLL_KERNEL]);
    const backward = await tf.profile(() => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(reconstructionNllPerExample('bernoulli', t as tf.Tensor2D, xs)))(l)));
    expect(kernels(backward).filter((k) => k.startsWith('Vae')).sort()).toEqual([BERNOULLI_NLL_KERNEL, BERNOULLI_NLL_GRAD_KERNEL].sort());
    tf.dispose([l, xs]);
  });

  for (const [rows, cols] of SHAPES) {
    for (const scale of [1, 8]) {
      it(`equals the op-by-op NLL and gradient, [${rows}, ${cols}], logits ~N(0, ${scale}²) and ±100, tensor count flat`, () => {
        const c = makeCase(rows, cols, rows * 1000 + cols + scale, scale);
        const fused = run(c);
        uninstallWasmMatMul();
        const ops = run(c);
        expect(fused.tensors).toBe(0);
        expect(ops.tensors).toBe(0);
        expectRelClose(fused.nll, ops.nll);
        expectRelClose(fused.grad, ops.grad);
      });
    }
  }

  it('stays finite and exact in the saturated regime (logits ±100)', () => {
    const logits = Float32Array.from([-100, 100, -100, 100, 100, -100, 0, 30]);
    const x = Float32Array.from([1, 1, 0, 0, 0.25, 0.5, 0, 1]);
    const { nll, grad } = run({ rows: 8, cols: 1, logits, x, weights: new Float32Array(8).fill(1) });
    const expectedNll = [100, 0, 0, 100, 75, 50, Math.log(2), Math.log1p(Math.exp(-30))];
    const expectedGrad = [-1, 0, 0, 1, 0.75, -0.5, 0.5, -Math.exp(-30)];
    nll.forEach((v, i) => expect(v).toBeCloseTo(expectedNll[i], 5));
    grad.forEach((v, i) => expect(v).toBeCloseTo(expectedGrad[i], 6));
  });
});

describe('fused ReLU backward on the wasm backend', () => {
  /** Gradients of Σ w·relu-layer(x) for a fixed layer, on the current kernels. */
  const layerGrads = (): { grads: Float32Array[]; tensors: number } => {
    const rng = new TestRng(5);
    const layer = new Dense(13, 21, 'relu', rng, { scope: new VariableScope('relu-test'), path: 'dense' });
    const x = tf.tensor2d(rng.normals(6 * 13), [6, 13]);
    const w = tf.tensor2d(rng.normals(6 * 21), [6, 21]);
    const before = tf.memory().numTensors;
    const { grads } = tf.tidy(() => {
      const r = tf.grads((a: tf.Tensor, wt: tf.Tensor, b: tf.Tensor) => {
        void wt;
        void b;
        return tf.sum(tf.mul(layer.call(a as tf.Tensor2D), w));
      });
      return { grads: r([x, layer.weight, layer.bias]) };
    });
    const out = grads.map((g) => g.dataSync() as Float32Array);
    tf.dispose(grads);
    const tensors = tf.memory().numTensors - before;
    layer.dispose();
    tf.dispose([x, w]);
    return { grads: out, tensors };
  };

  it('is one kernel and equals tf.mul(dy, tf.step(y)), tensor count flat', async () => {
    const dy = tf.tensor2d([[1, -2, 3, 4, 5], [6, 7, -8, 9, 10]]);
    const y = tf.tensor2d([[0, 1, 2, -1, 0.5], [3, 0, 1e-30, -0, 2]]);
    const profile = await tf.profile(() => tf.tidy(() => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy, y })));
    expect(profile.kernelNames).toEqual([RELU_GRAD_KERNEL]);
    const fused = tf.tidy(() => (tf.engine().runKernel(RELU_GRAD_KERNEL, { dy, y }) as tf.Tensor).dataSync());
    const ops = tf.tidy(() => tf.mul(dy, tf.step(y)).dataSync());
    expect(Array.from(fused)).toEqual(Array.from(ops));
    tf.dispose([dy, y]);
    const fusedLayer = layerGrads();
    uninstallWasmMatMul();
    const opsLayer = layerGrads();
    expect(fusedLayer.tensors).toBe(0);
    expect(opsLayer.tensors).toBe(0);
    fusedLayer.grads.forEach((g, i) => expectRelClose(g, opsLayer.grads[i]));
  });
});
