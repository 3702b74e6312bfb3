/**
 * The convolutional networks (src/core/models/nets/conv.ts): conv-small's shapes and parameter
 * count on MNIST, Shapes' 32×32 and odd sides, the condition, and a VAE built with network 'conv'
 * that trains on a small fixed set of 8×8 images and lowers its −ELBO clearly, on cpu and on
 * wasm with our kernels.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageShape } from '../../src/data/dataset';
import { VariableScope } from '../../src/core/layers/scope';
import { FAMILIES, NETWORKS, networkOptionsOf } from '../../src/core/models/catalog';
import type { ModelConfig } from '../../src/core/models/config';
import { parameterCount } from '../../src/core/models/family';
import { GaussianVae } from '../../src/core/models/gaussianVae';
import { ConvDecoder, ConvEncoder } from '../../src/core/models/nets/conv';
import type { NetShape } from '../../src/core/models/nets/net';
import { Trainer } from '../../src/core/training/trainer';
import { uninstallWasmMatMul } from '../../src/kernels/tfjsKernels';
import { prototypePatterns } from './helpers/data';
import { installKernels } from './helpers/kernels';
import { TestRng } from './helpers/rng';
import { useCpuBackend } from './helpers/tf';

function config(imageShape: ImageShape, latentDim: number): ModelConfig {
  return { family: 'vae', network: 'conv', imageShape, classCount: 10, hiddenDim: 400, latentDim, likelihood: 'bernoulli', seed: 1, options: {} };
}

function netShape(imageShape: ImageShape, latentSize: number, conditionSize = 0): NetShape {
  return { imageShape, conditionSize, outputSize: 2 * latentSize, latentSize, hiddenDim: 400 };
}

const MNIST: ImageShape = { width: 28, height: 28, channels: 1 };

/** Trains a conv VAE on 256 8×8 images for `steps` steps; the −ELBO on them before and after. */
async function trainOnPatterns(steps: number): Promise<{ before: number; after: number; tensorsGrew: number }> {
  const data = prototypePatterns(256, 5, 4, 0.05, 8);
  const trainer = new Trainer(config({ width: 8, height: 8, channels: 1 }, 4), { beta: 1, learningRate: 3e-3, batchSize: 32 }, new TestRng(7));
  const before = (await trainer.evaluate(data.images, data.count)).negativeElbo;
  const images = tf.tensor2d(data.images, [data.count, data.dim]);
  let tensors = 0;
  for (let step = 0; step < steps; step++) {
    const start = (step * 32) % data.count;
    const batch = tf.slice(images, [start, 0], [32, data.dim]) as tf.Tensor2D;
    trainer.trainStep(batch);
    batch.dispose();
    if (step === 1) tensors = tf.memory().numTensors;
  }
  const tensorsGrew = tf.memory().numTensors - tensors;
  const after = (await trainer.evaluate(data.images, data.count)).negativeElbo;
  console.log(`conv VAE on ${tf.getBackend()}, 8×8 patterns: −ELBO ${before.toFixed(2)} → ${after.toFixed(2)} after ${steps} steps`);
  images.dispose();
  trainer.dispose();
  return { before, after, tensorsGrew };
}

describe('conv networks (cpu)', () => {
  beforeAll(useCpuBackend);

  it("are in the catalog and the VAE family's networks", () => {
    expect(NETWORKS.map((n) => [n.id, n.label])).toContainEqual(['conv', 'Convolutional']);
    expect(FAMILIES.vae.networks).toContain('conv');
  });

  it("the network's own settings reach the builder: channel widths from ModelConfig.networkOptions, the reference's by default", () => {
    const kernelShape = (networkOptions: ModelConfig['networkOptions']) => {
      const model = new GaussianVae({ ...config(MNIST, 2), networkOptions }, new TestRng(1));
      const shapes = ['encoder/conv1/kernel', 'encoder/conv2/kernel', 'decoder/convT1/kernel', 'decoder/convT2/kernel'].map((p) => model.named.find((n) => n.path === p)?.variable.shape);
      model.dispose();
      return shapes;
    };
    expect(networkOptionsOf('conv')).toEqual({ convChannels: '16-32' });
    expect(networkOptionsOf('mlp')).toEqual({});
    expect(kernelShape(undefined)).toEqual([[4, 4, 1, 16], [4, 4, 16, 32], [4, 4, 16, 32], [4, 4, 1, 16]]);
    expect(kernelShape({ convChannels: '8-16' })).toEqual([[4, 4, 1, 8], [4, 4, 8, 16], [4, 4, 8, 16], [4, 4, 1, 8]]);
    expect(kernelShape({ convChannels: '32-64' })).toEqual([[4, 4, 1, 32], [4, 4, 32, 64], [4, 4, 32, 64], [4, 4, 1, 32]]);
  });

  it("conv-small on MNIST: PyTorch's parameter count, named variables, shapes", () => {
    const model = new GaussianVae(config(MNIST, 20), new TestRng(1));
    // vae_torch.py --arch conv --latent 20 reports 427,913 parameters
    expect(parameterCount(model)).toBe(427_913);
    expect(model.named.map((n) => `${n.path} ${n.variable.shape.join('×')}`)).toEqual([
      'encoder/conv1/kernel 4×4×1×16',
      'encoder/conv1/bias 16',
      'encoder/conv2/kernel 4×4×16×32',
      'encoder/conv2/bias 32',
      'encoder/hidden/weight 1568×128',
      'encoder/hidden/bias 128',
      'encoder/head/weight 128×40',
      'encoder/head/bias 40',
      'decoder/hidden/weight 20×128',
      'decoder/hidden/bias 128',
      'decoder/grid/weight 128×1568',
      'decoder/grid/bias 1568',
      'decoder/convT1/kernel 4×4×16×32',
      'decoder/convT1/bias 16',
      'decoder/convT2/kernel 4×4×1×16',
      'decoder/convT2/bias 1',
    ]);
    tf.tidy(() => {
      const posterior = model.latent.encode(tf.randomUniform([3, 784]) as tf.Tensor2D, null);
      expect(posterior.mu.shape).toEqual([3, 20]);
      expect(posterior.logVar.shape).toEqual([3, 20]);
      const images = model.latent.decode(posterior.mu, null);
      expect(images.shape).toEqual([3, 784]);
    });
    model.dispose();
  });

  it('32×32 (Shapes) gives an 8×8×32 grid; odd sides reach the image through output padding', () => {
    for (const [side, grid] of [[32, 8], [7, 1], [12, 3]] as const) {
      const scope = new VariableScope('conv-sides');
      const shape = netShape({ width: side, height: side, channels: 1 }, 3);
      const encoder = new ConvEncoder(shape, new TestRng(1), scope);
      const decoder = new ConvDecoder(shape, new TestRng(2), scope);
      expect(scope.named.find((n) => n.path === 'decoder/grid/weight')?.variable.shape).toEqual([128, grid * grid * 32]);
      tf.tidy(() => {
        expect(encoder.call(tf.zeros([2, side * side]) as tf.Tensor2D, null).shape).toEqual([2, 6]);
        expect(decoder.call(tf.zeros([2, 3]) as tf.Tensor2D, null).shape).toEqual([2, side * side]);
      });
      scope.dispose();
    }
    expect(() => new ConvEncoder(netShape({ width: 3, height: 3, channels: 1 }, 2), new TestRng(1), new VariableScope('tiny'))).toThrow(/at least 4×4/);
  });

  it('channel widths are parameters; a one-hot condition joins the dense layers of both networks', () => {
    const scope = new VariableScope('conv-condition');
    const shape = netShape(MNIST, 2, 10);
    const options = { channels: [8, 12] as const, denseWidth: 64 };
    const encoder = new ConvEncoder(shape, new TestRng(1), scope, options);
    const decoder = new ConvDecoder(shape, new TestRng(2), scope, options);
    expect(scope.named.find((n) => n.path === 'encoder/conv2/kernel')?.variable.shape).toEqual([4, 4, 8, 12]);
    expect(scope.named.find((n) => n.path === 'encoder/hidden/weight')?.variable.shape).toEqual([7 * 7 * 12 + 10, 64]);
    expect(scope.named.find((n) => n.path === 'decoder/hidden/weight')?.variable.shape).toEqual([2 + 10, 64]);
    tf.tidy(() => {
      const x = tf.randomUniform([2, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
      const z = tf.randomNormal([2, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
      const [a, b] = [tf.oneHot([1, 1], 10), tf.oneHot([4, 4], 10)].map((t) => tf.cast(t, 'float32') as tf.Tensor2D);
      const differs = (p: tf.Tensor, q: tf.Tensor) => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0] > 1e-6;
      expect(differs(encoder.call(x, a), encoder.call(x, b))).toBe(true);
      expect(decoder.call(z, a).shape).toEqual([2, 784]);
      expect(differs(decoder.call(z, a), decoder.call(z, b))).toBe(true);
    });
    scope.dispose();
  });

  it('a conv VAE trains on cpu: the −ELBO of a small fixed set falls clearly, tensor count flat', async () => {
    const { before, after, tensorsGrew } = await trainOnPatterns(150);
    expect(after).toBeLessThan(before - 10);
    expect(after).toBeLessThan(0.6 * before);
    expect(tensorsGrew).toBe(0);
    // 150 conv steps on tfjs-cpu: more than the default minute on a loaded 2-core machine
  }, 600_000);
});

describe('conv VAE on wasm with our kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    await installKernels();
  });
  afterAll(() => uninstallWasmMatMul());

  it('trains like on cpu: the −ELBO falls clearly, tensor count flat', async () => {
    const { before, after, tensorsGrew } = await trainOnPatterns(150);
    expect(after).toBeLessThan(before - 10);
    expect(after).toBeLessThan(0.6 * before);
    expect(tensorsGrew).toBe(0);
  });

  it('gives the cpu backend’s losses and gradients for the same weights and batch', async () => {
    const data = prototypePatterns(16, 9, 4, 0.05, 28);
    const run = () => {
      const model = new GaussianVae(config(MNIST, 5), new TestRng(3));
      const noise = () => tf.tensor2d(new TestRng(4).normals(16 * 5), [16, 5]);
      const out = tf.tidy(() => {
        const x = tf.tensor2d(data.images, [16, 784]);
        const spec = { kind: 'vae' as const, klWeight: 1, capacity: null, freeBits: 0 };
        const { value, grads } = tf.variableGrads(() => model.losses({ x, labels: null }, noise, spec, 'model').objective, model.named.map((n) => n.variable));
        return [value.dataSync()[0], ...model.named.map((n) => Float32Array.from(grads[n.variable.name].dataSync()))] as const;
      });
      model.dispose();
      return out;
    };
    const model_paths = new GaussianVae(config(MNIST, 5), new TestRng(3));
    const paths = model_paths.named.map((n) => n.path);
    model_paths.dispose();
    const [wasmLoss, ...wasmGrads] = run();
    await tf.setBackend('cpu');
    const [cpuLoss, ...cpuGrads] = run();
    await tf.setBackend('wasm');
    expect(wasmLoss).toBeCloseTo(cpuLoss, 2);
    wasmGrads.forEach((g, i) => {
      const expected = cpuGrads[i] as Float32Array;
      let scale = 1e-6;
      let error = 0;
      for (let j = 0; j < g.length; j++) {
        scale = Math.max(scale, Math.abs(expected[j]));
        error = Math.max(error, Math.abs((g as Float32Array)[j] - expected[j]));
      }
      // float32 sums in other orders, through a ReLU network: agreement to ~1e-5 of the scale
      expect(error / scale, paths[i]).toBeLessThan(1e-3);
    });
  });
});
