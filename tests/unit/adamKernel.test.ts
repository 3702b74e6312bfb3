/**
 * The fused Adam update (src/kernels/assembly/adam.ts, registered by src/kernels/tfjsKernels.ts as
 * FUSED_ADAM_KERNEL on the wasm backend) against Adam's op-by-op path on the same backend: same
 * values, no tensor left behind, and the trainer trains the same. Node: tfjs-wasm's
 * single-threaded build, the plain-SIMD variant. Needs the built .wasm (npm run build-kernels).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam, disposeAdamState } from '../../src/core/optim/adam';
import { FUSED_ADAM_KERNEL } from '../../src/kernels/names';
import { Trainer } from '../../src/core/training/trainer';
import type { TrainingConfig } from '../../src/core/training/config';
import { mlpVae } from './helpers/model';
import { uninstallWasmMatMul } from '../../src/kernels/tfjsKernels';
import { prototypePatterns } from './helpers/data';
import { installKernels } from './helpers/kernels';
import { TestRng } from './helpers/rng';
import { expectAllClose, readVariables } from './helpers/tf';

const install = installKernels;
const fusedActive = () => tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend()) !== undefined;

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await install();
});

afterAll(() => {
  uninstallWasmMatMul();
});

const owned: { dispose(): void }[] = [];
afterEach(async () => {
  for (const t of owned.splice(0)) t.dispose();
  if (!fusedActive()) await install();
});

// a weight matrix, one whose size is not a multiple of 8 (the scalar tail), a bias
const SHAPES = [[784, 40], [37, 11], [400]];

/** Runs `steps` Adam steps on fresh parameters from a fixed seed; returns θ, m, v after them. */
function runAdam(steps: number, learningRate = 1e-3): { theta: Float32Array[]; m: Float32Array[]; v: Float32Array[]; tensorCounts: number[] } {
  const rng = new TestRng(42);
  const params = SHAPES.map((shape) => tf.variable(tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)), shape)));
  const adam = new Adam(params, learningRate);
  const tensorCounts: number[] = [];
  for (let s = 0; s < steps; s++) {
    // gradients of very different scales, some exactly zero
    const grads = SHAPES.map((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const scale = 10 ** (s % 5 - 3);
      return tf.tensor(rng.normals(n).map((x, i) => (i % 13 === 0 ? 0 : x * scale)), shape);
    });
    const before = tf.memory().numTensors;
    adam.apply(grads);
    tensorCounts.push(tf.memory().numTensors - before);
    tf.dispose(grads);
  }
  const theta = readVariables(params);
  const state = adam.snapshot();
  const m = state.firstMoments.map((t) => t.dataSync() as Float32Array);
  const v = state.secondMoments.map((t) => t.dataSync() as Float32Array);
  disposeAdamState(state);
  adam.dispose();
  tf.dispose(params);
  return { theta, m, v, tensorCounts };
}

describe('fused Adam update on the wasm backend', () => {
  it('is registered with our kernels and removed with them', () => {
    expect(fusedActive()).toBe(true);
    uninstallWasmMatMul();
    expect(fusedActive()).toBe(false);
  });

  it('Adam.apply runs one fused kernel per parameter and no element-wise op', async () => {
    const rng = new TestRng(1);
    const params = SHAPES.map((shape) => tf.variable(tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)), shape)));
    const grads = params.map((p) => tf.onesLike(p));
    const adam = new Adam(params, 0.01);
    owned.push(...params, ...grads, adam);
    const profile = await tf.profile(() => adam.apply(grads));
    expect(profile.kernelNames).toEqual([FUSED_ADAM_KERNEL]);
    expect(profile.kernels.length).toBe(SHAPES.length);
  });

  it('equals the op-by-op update over several steps (θ, m, v), tensor count flat', () => {
    const fused = runAdam(12);
    uninstallWasmMatMul();
    const ops = runAdam(12);
    expect(fused.tensorCounts.every((c) => c === 0)).toBe(true);
    for (const key of ['theta', 'm', 'v'] as const) {
      fused[key].forEach((values, i) => {
        const scale = Math.max(...ops[key][i].map(Math.abs));
        expectAllClose(values, ops[key][i], 1e-6 * scale, 1e-6); // measured: bit for bit equal
      });
    }
  });

  it('writes new tensors: a clone of a parameter or a moment keeps its values', () => {
    const param = tf.variable(tf.tensor1d([1, 2, 3, 4, 5]));
    const adam = new Adam([param], 0.1);
    owned.push(param, adam);
    const grad = tf.tensor1d([1, -1, 1, -1, 0]);
    owned.push(grad);
    adam.apply([grad]);
    const paramClone = param.clone();
    const state = adam.snapshot();
    const saved = { theta: paramClone.dataSync().slice(), m: state.firstMoments[0].dataSync().slice(), v: state.secondMoments[0].dataSync().slice() };
    adam.apply([grad]);
    expect(Array.from(paramClone.dataSync())).toEqual(Array.from(saved.theta));
    expect(Array.from(state.firstMoments[0].dataSync())).toEqual(Array.from(saved.m));
    expect(Array.from(state.secondMoments[0].dataSync())).toEqual(Array.from(saved.v));
    expect(Array.from(param.dataSync())).not.toEqual(Array.from(saved.theta));
    paramClone.dispose();
    disposeAdamState(state);
  });

  it('the trainer trains the same with it as without it', () => {
    const MODEL = mlpVae({ inputDim: 64, hiddenDim: 32, latentDim: 2, likelihood: 'bernoulli', seed: 7 });
    const TRAINING: TrainingConfig = { beta: 1, learningRate: 0.01, batchSize: 16 };
    const data = prototypePatterns(64, 2024);
    const xs = [0, 16, 32, 48].map((start) => tf.tensor2d(data.images.subarray(start * data.dim, (start + 16) * data.dim), [16, data.dim]));
    owned.push(...xs);
    const train = (): { weights: Float32Array[]; tensors: number } => {
      const trainer = new Trainer(MODEL, TRAINING, new TestRng(MODEL.seed));
      trainer.trainStep(xs[0]);
      const before = tf.memory().numTensors;
      for (let s = 1; s < 20; s++) trainer.trainStep(xs[s % xs.length]);
      const tensors = tf.memory().numTensors - before;
      const weights = readVariables(trainer.variables);
      trainer.dispose();
      return { weights, tensors };
    };
    const fused = train();
    uninstallWasmMatMul();
    const ops = train();
    expect(fused.tensors).toBe(0);
    expect(ops.tensors).toBe(0);
    fused.weights.forEach((w, i) => expectAllClose(w, ops.weights[i], 1e-5, 1e-5));
  });
});
