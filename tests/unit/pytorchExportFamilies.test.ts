/**
 * The PyTorch export of the models this branch adds: the conditional VAE (the one-hot class joined
 * to the networks' inputs: run in plain JS on the exported tensors, the way PyTorch runs them, it
 * gives our encoder's and decoder's outputs), the learned priors (their variables exported as the
 * script's `prior` parameters), the conv networks with a condition, and M2, which is refused with a
 * message that says why.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pytorchExportEntries, SCRIPT_FILE } from '../../src/core/io/pytorchExport';
import { pytorchExportProblem } from '../../src/core/io/pytorchSupport';
import { toTorch, torchLayers } from '../../src/core/io/torchLayout';
import type { FamilyId, NetworkId } from '../../src/core/models/catalog';
import type { ModelConfig } from '../../src/core/models/config';
import { Trainer } from '../../src/core/training/trainer';
import { disposeTrainerSnapshot } from '../../src/core/training/trainerState';
import { Rng } from '../../src/data/rng';
import { expectAllClose, useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

const CLASSES = 3;
let trainers: Trainer[] = [];
afterEach(() => {
  for (const t of trainers) t.dispose();
  trainers = [];
});

function config(family: FamilyId, network: NetworkId, options: Record<string, string | number> = {}, side = 8): ModelConfig {
  return { family, network, imageShape: { width: side, height: side, channels: 1 }, classCount: CLASSES, hiddenDim: 6, latentDim: 2, likelihood: 'bernoulli', seed: 3, options };
}

/** A model after three Adam steps on a fixed batch (labels 0, 1, 2, 0 where the family takes them). */
function trained(c: ModelConfig): Trainer {
  const trainer = new Trainer(c, { beta: 1, learningRate: 0.01, batchSize: 4 }, new Rng(4));
  trainers.push(trainer);
  const pixels = c.imageShape.width * c.imageShape.height;
  const x = tf.tensor2d(Float32Array.from({ length: 4 * pixels }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)), [4, pixels]);
  const labels = c.family === 'vae' ? null : tf.tensor1d([0, 1, 2, 0], 'int32');
  for (let s = 0; s < 3; s++) trainer.trainStep({ x, labels });
  tf.dispose([x, labels ?? []]);
  return trainer;
}

function exported(c: ModelConfig, trainer: Trainer) {
  const snapshot = trainer.captureState();
  const read = (list: { path: string; tensor: tf.Tensor }[]) => list.map(({ path, tensor }) => ({ path, shape: tensor.shape.slice(), values: Float32Array.from(tensor.dataSync()) }));
  try {
    const weights = read(snapshot.weights);
    const input = {
      config: c,
      training: trainer.config,
      step: snapshot.step,
      adamStep: snapshot.optimizers[0].step,
      weights,
      firstMoments: read(snapshot.optimizers[0].firstMoments),
      secondMoments: read(snapshot.optimizers[0].secondMoments),
      dataName: 'patterns',
      savedAt: '2026-12-02T10:00:00Z',
    };
    return { input, weights, tensors: Object.fromEntries(toTorch(torchLayers(c), weights).map((t) => [t.name, t])) };
  } finally {
    disposeTrainerSnapshot(snapshot);
  }
}

function scriptOf(input: Parameters<typeof pytorchExportEntries>[0]): string {
  const entry = pytorchExportEntries(input).find((e) => e.name === SCRIPT_FILE);
  return new TextDecoder().decode(entry?.data);
}

describe('the PyTorch export of the conditional VAE', () => {
  it('run in plain JS the way PyTorch runs it, [x, one-hot y] and [z, one-hot y] give our encoder’s and decoder’s outputs', async () => {
    const c = config('cvae', 'mlp');
    const trainer = trained(c);
    const { input, tensors: t } = exported(c, trainer);
    const linear = (x: number[], name: string) => {
      const { shape: [out, inp], values: w } = t[`${name}.weight`];
      const b = t[`${name}.bias`].values;
      expect(inp).toBe(x.length);
      return Array.from({ length: out }, (_, o) => x.reduce((sum, xi, i) => sum + xi * w[o * inp + i], b[o]));
    };
    const relu = (v: number[]) => v.map((x) => Math.max(0, x));
    const sigmoid = (v: number[]) => v.map((x) => 1 / (1 + Math.exp(-x)));
    const oneHot = (y: number) => Array.from({ length: CLASSES }, (_, k) => (k === y ? 1 : 0));
    const z = [0.4, -0.9];
    for (const y of [0, 2]) {
      const theirs = sigmoid(linear(relu(linear([...z, ...oneHot(y)], 'decoder.hidden')), 'decoder.output'));
      expectAllClose(await trainer.decode(Float32Array.from(z), 1, Uint8Array.of(y)), theirs, 1e-5);
    }
    const x = Array.from({ length: 64 }, (_, i) => (i % 5) / 4);
    const head = linear(relu(linear([...x, ...oneHot(1)], 'encoder.hidden')), 'encoder.head');
    const { mu, logVar } = await trainer.encode(Float32Array.from(x), 1, Uint8Array.of(1));
    expectAllClose(mu, head.slice(0, 2), 1e-5);
    expectAllClose(logVar, head.slice(2), 1e-5);
    const script = scriptOf(input);
    for (const piece of ['CONDITIONAL = True', 'CLASSES = 3', 'def losses(model, x, step, y=None)', "raise ValueError('the conditional VAE needs the class of every image')", '--labels LABELS']) {
      expect(script, piece).toContain(piece);
    }
  });

  it('with the conv networks: the condition widens the dense layers beside the convolutions', () => {
    const c = config('cvae', 'conv');
    const { input, tensors } = exported(c, trained(c));
    // 8×8 → 4×4 → 2×2 × 32 channels = 128 features, then the 3 classes
    expect(tensors['encoder.hidden.weight'].shape).toEqual([128, 128 + CLASSES]);
    expect(tensors['decoder.hidden.weight'].shape).toEqual([128, 2 + CLASSES]);
    expect(tensors['encoder.conv1.weight'].shape).toEqual([16, 1, 4, 4]);
    expect(scriptOf(input)).toContain('CONDITIONAL = True');
  });
});

describe('the PyTorch export of a learned prior', () => {
  it('a mixture of Gaussians: its means, log-variances and logits, as the script’s Prior holds them', async () => {
    const c = config('vae', 'mlp', { prior: 'mog', components: 4 });
    const trainer = trained(c);
    const { input, weights, tensors } = exported(c, trainer);
    expect(tensors['prior.means'].shape).toEqual([4, 2]);
    expect(tensors['prior.log_vars'].shape).toEqual([4, 2]);
    expect(tensors['prior.logits'].shape).toEqual([4]);
    expect(Array.from(tensors['prior.means'].values)).toEqual(Array.from(weights.find((w) => w.path === 'prior/means')?.values ?? []));
    // softmax of the exported logits is the mixture's weights the page shows
    const logits = Array.from(tensors['prior.logits'].values);
    const total = logits.reduce((s, v) => s + Math.exp(v), 0);
    const parts = await trainer.priorComponents();
    expectAllClose(parts?.weights ?? new Float32Array(), logits.map((v) => Math.exp(v) / total), 1e-6);
    const script = scriptOf(input);
    for (const piece of ['class Prior(nn.Module)', 'self.prior = Prior()', 'COMPONENTS = 4', "PRIOR = 'mog'", 'model.prior.log_density(z, model.encoder)']) expect(script, piece).toContain(piece);
  });

  it('a VampPrior: its pseudo-inputs [K, pixels]', () => {
    const c = config('vae', 'conv', { prior: 'vamp', components: 2 });
    const { input, tensors } = exported(c, trained(c));
    expect(tensors['prior.pseudo_inputs'].shape).toEqual([2, 64]);
    const script = scriptOf(input);
    for (const piece of ["PRIOR = 'vamp'", 'self.pseudo_inputs = nn.Parameter(torch.zeros(COMPONENTS, PIXELS))']) expect(script, piece).toContain(piece);
  });
});

describe('the PyTorch export of M2', () => {
  it('is refused with a message that says why, before any file is made', () => {
    const c = config('m2', 'mlp', { labelled: '100', classifierWeight: 50 });
    const problem = pytorchExportProblem(c);
    expect(problem).toMatch(/M2 cannot be exported for PyTorch/);
    expect(problem).toMatch(/Download model file/);
    const { input } = exported(c, trained(c));
    expect(() => pytorchExportEntries(input)).toThrow(/M2 cannot be exported for PyTorch/);
    for (const family of ['vae', 'cvae'] as const) expect(pytorchExportProblem({ family })).toBeNull();
  });
});
