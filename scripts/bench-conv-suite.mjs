/**
 * The measurements of scripts/bench-conv.mjs, run where tfjs-wasm is already the active backend
 * (Node through Vite's module loader, or a browser worker): each conv layer of conv-small at
 * batch 128 forward and forward + backward on our kernels, the same layers on tfjs-wasm's own
 * kernels where it has them (it has no Conv2DBackpropFilter: no stock backward), and full
 * training steps of the conv-small VAE, with the time of a step split by kernel and shape.
 * Plain JavaScript: Vite compiles the TypeScript it imports.
 */
import * as tf from '@tensorflow/tfjs';
import { Conv2d } from '/src/core/layers/conv2d.ts';
import { ConvTranspose2d } from '/src/core/layers/convTranspose2d.ts';
import { patchKernelsActive } from '/src/core/layers/patchKernels.ts';
import { VariableScope } from '/src/core/layers/scope.ts';
import { Trainer } from '/src/core/training/trainer.ts';

/** A tiny seeded uniform source (mulberry32) for weights and data. */
function rng(seed) {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) | 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const WINDOW = { kernelSize: 4, stride: 2, padding: 1 };

/** conv-small's four conv layers on MNIST: input side, channels in and out, activation. */
const LAYERS = [
  { name: 'conv1 Conv2d 28→14, 1→16', kind: 'conv', side: 28, cIn: 1, cOut: 16, activation: 'relu', inputGrad: false },
  { name: 'conv2 Conv2d 14→7, 16→32', kind: 'conv', side: 14, cIn: 16, cOut: 32, activation: 'relu', inputGrad: true },
  { name: 'convT1 ConvT 7→14, 32→16', kind: 'convT', side: 7, cIn: 32, cOut: 16, activation: 'relu', inputGrad: true },
  { name: 'convT2 ConvT 14→28, 16→1', kind: 'convT', side: 14, cIn: 16, cOut: 1, activation: 'linear', inputGrad: true },
];

/** Median ms of `reps` runs of f after `warmup` runs (what f makes, and returns, is freed each time). */
function timeIt(f, reps, warmup = 3) {
  const once = () => tf.dispose(tf.tidy(f));
  for (let i = 0; i < warmup; i++) once();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    once();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function layerOf(spec, scope) {
  const s = { ...WINDOW, inChannels: spec.cIn, outChannels: spec.cOut, activation: spec.activation };
  const place = { scope, path: spec.name.split(' ')[0] };
  return spec.kind === 'conv' ? new Conv2d(s, rng(1), place, spec.inputGrad) : new ConvTranspose2d(s, rng(1), place, spec.inputGrad);
}

/** Our layers: forward, and forward + backward (all gradients the layer computes). */
function oursPerLayer(batch, reps) {
  const scope = new VariableScope('bench');
  const rows = [];
  for (const spec of LAYERS) {
    const layer = layerOf(spec, scope);
    const x = tf.randomNormal([batch, spec.side, spec.side, spec.cIn], 0, 1, 'float32', 1);
    const y0 = layer.call(x);
    const r = tf.randomNormal(y0.shape, 0, 1, 'float32', 2);
    y0.dispose();
    const forward = timeIt(() => layer.call(x), reps);
    const loss = () => tf.sum(tf.mul(layer.call(x), r));
    const both = timeIt(() => (spec.inputGrad ? tf.grads((a, k, b) => tf.sum(tf.mul(layer.call(a), r)))([x, layer.kernel, layer.bias]) : tf.variableGrads(loss, layer.variables)), reps);
    rows.push({ layer: spec.name, forwardMs: forward, forwardBackwardMs: both, backwardMs: both - forward });
    tf.dispose([x, r]);
  }
  scope.dispose();
  return rows;
}

/** tfjs-wasm's own kernels for the same layers (call with our kernels uninstalled). */
function stockPerLayer(batch, reps) {
  const rows = [];
  const R = rng(3);
  const uniform = (shape) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => R.next() * 0.2 - 0.1), shape);
  for (const spec of LAYERS) {
    const k = WINDOW.kernelSize;
    const x = tf.randomNormal([batch, spec.side, spec.side, spec.cIn], 0, 1, 'float32', 1);
    const bias = uniform([spec.cOut]);
    let forward;
    let inputGrad = null;
    if (spec.kind === 'conv') {
      const filter = uniform([k, k, spec.cIn, spec.cOut]);
      forward = timeIt(() => tf.fused.conv2d({ x, filter, strides: WINDOW.stride, pad: WINDOW.padding, bias, activation: spec.activation }), reps);
      if (spec.inputGrad) {
        const side = Math.floor((spec.side + 2 * WINDOW.padding - k) / WINDOW.stride) + 1;
        const dy = tf.randomNormal([batch, side, side, spec.cOut]);
        inputGrad = timeIt(() => tf.conv2dTranspose(dy, filter, x.shape, WINDOW.stride, WINDOW.padding), reps);
        dy.dispose();
      }
      filter.dispose();
    } else {
      const filter = uniform([k, k, spec.cOut, spec.cIn]);
      const side = (spec.side - 1) * WINDOW.stride - 2 * WINDOW.padding + k;
      const outShape = [batch, side, side, spec.cOut];
      forward = timeIt(() => {
        const pre = tf.add(tf.conv2dTranspose(x, filter, outShape, WINDOW.stride, WINDOW.padding), bias);
        return spec.activation === 'relu' ? tf.relu(pre) : pre;
      }, reps);
      const dy = tf.randomNormal(outShape);
      inputGrad = timeIt(() => tf.conv2d(dy, filter, WINDOW.stride, WINDOW.padding), reps);
      dy.dispose();
      filter.dispose();
    }
    rows.push({ layer: spec.name, forwardMs: forward, inputGradMs: inputGrad, filterGrad: 'missing (no Conv2DBackpropFilter on tfjs-wasm)' });
    tf.dispose([x, bias]);
  }
  return rows;
}

const MNIST = { width: 28, height: 28, channels: 1 };

/** Training steps of the conv-small VAE (z = 20, Adam 1e-3, Bernoulli) on random binary images. */
function trainingSteps(batch, steps) {
  const config = { family: 'vae', network: 'conv', imageShape: MNIST, classCount: 10, hiddenDim: 400, latentDim: 20, likelihood: 'bernoulli', seed: 1, options: {} };
  const trainer = new Trainer(config, { beta: 1, learningRate: 1e-3, batchSize: batch }, rng(7));
  const R = rng(11);
  const x = tf.tensor2d(Float32Array.from({ length: batch * 784 }, () => (R.next() < 0.2 ? 1 : 0)), [batch, 784]);
  for (let i = 0; i < 5; i++) trainer.trainStep(x);
  const tensors = tf.memory().numTensors;
  const times = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    trainer.trainStep(x);
    times.push(performance.now() - t0);
  }
  const tensorsAfter = tf.memory().numTensors;
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return { trainer, x, stepMs: median, stepsPerSecond: 1000 / median, tensorsGrew: tensorsAfter - tensors };
}

/** One step under tf.profile: kernel time by kernel name and input shapes, largest first. */
async function stepProfile(trainer, x) {
  const profile = await tf.profile(() => trainer.trainStep(x));
  const groups = new Map();
  let total = 0;
  for (const k of profile.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    // a custom gradient's forward pass is profiled as a scope around kernels profiled too
    if (k.name !== 'unnamed scope') total += ms;
    const key = `${k.name} ${k.inputShapes.map((s) => `[${(s ?? []).join('×')}]`).join(' ')}`;
    const g = groups.get(key) ?? { kernel: key, calls: 0, ms: 0 };
    g.calls += 1;
    g.ms += ms;
    groups.set(key, g);
  }
  const byName = new Map();
  for (const k of profile.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0));
  return {
    kernelMs: total,
    kernels: profile.kernels.filter((k) => k.name !== 'unnamed scope').length,
    byName: [...byName].map(([kernel, ms]) => ({ kernel, ms })).sort((a, b) => b.ms - a.ms),
    byShape: [...groups.values()].sort((a, b) => b.ms - a.ms),
  };
}

/**
 * Everything, on the active wasm backend with our kernels installed (stepOnly: only the training
 * steps). `uninstall` / `reinstall` switch to tfjs-wasm's own kernels and back for the stock rows.
 */
export async function runSuite({ batch = 128, reps = 20, steps = 30, stepOnly = false, uninstall, reinstall }) {
  if (tf.getBackend() !== 'wasm' || !patchKernelsActive()) throw new Error('run with the wasm backend and our kernels installed');
  const ours = stepOnly ? [] : oursPerLayer(batch, reps);
  const { trainer, x, stepMs, stepsPerSecond, tensorsGrew } = trainingSteps(batch, steps);
  const profile = stepOnly ? null : await stepProfile(trainer, x);
  trainer.dispose();
  x.dispose();
  if (stepOnly) return { batch, ours, stock: [], step: { stepMs, stepsPerSecond, tensorsGrew, profile } };
  uninstall();
  let stock;
  try {
    stock = stockPerLayer(batch, Math.max(3, Math.floor(reps / 4)));
  } finally {
    await reinstall();
  }
  return { batch, ours, stock, step: { stepMs, stepsPerSecond, tensorsGrew, profile } };
}
