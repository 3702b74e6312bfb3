/**
 * VAE-GAN's players: which weights each step moves, the signs of the adversarial terms on a hand
 * case, Larsen's balancing, and that a step of k_D discriminator updates and a generator update
 * keeps the tensor count flat.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DISCRIMINATOR_GROUP, GENERATOR_GROUP } from '../../src/core/models/catalog';
import type { ModelConfig } from '../../src/core/models/config';
import { stopGradient } from '../../src/core/layers/stopGradient';
import { adversarialTerms, balance, EQUILIBRIUM } from '../../src/core/objective/adversarial';
import type { FamilyOptions } from '../../src/core/models/config';
import { Trainer } from '../../src/core/training/trainer';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const CONFIG: ModelConfig = {
  family: 'vaegan',
  network: 'mlp',
  imageShape: { width: 8, height: 8, channels: 1 },
  classCount: 4,
  hiddenDim: 16,
  latentDim: 3,
  likelihood: 'bernoulli',
  seed: 9,
  options: { discriminator: 'mlp' },
};

let live: Trainer[] = [];
let owned: tf.Tensor[] = [];
afterEach(() => {
  for (const t of live) t.dispose();
  tf.dispose(owned);
  live = [];
  owned = [];
});

function trainer(options: FamilyOptions = {}): Trainer {
  const t = new Trainer(CONFIG, { beta: 1, learningRate: 0.01, batchSize: 16, options }, new TestRng(CONFIG.seed));
  live.push(t);
  return t;
}

function batch(): tf.Tensor2D {
  const data = prototypePatterns(16, 4);
  const x = tf.tensor2d(data.images, [16, data.dim]);
  owned.push(x);
  return x;
}

/** The values of every variable, by path. */
function snapshot(t: Trainer): Map<string, number[]> {
  return new Map(t.model.named.map((n) => [n.path, values(n.variable)]));
}

function moved(before: Map<string, number[]>, after: Map<string, number[]>): string[] {
  return [...before.keys()].filter((path) => before.get(path)!.some((v, i) => v !== after.get(path)![i]));
}

describe('VAE-GAN weight groups', () => {
  it('a discriminator step changes only the discriminator’s weights', () => {
    const t = trainer();
    const before = snapshot(t);
    t.trainStep(batch(), [DISCRIMINATOR_GROUP]);
    const changed = moved(before, snapshot(t));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((p) => p.startsWith('discriminator/'))).toBe(true);
  });

  it('a generator step changes the encoder’s and decoder’s weights and not the discriminator’s', () => {
    const t = trainer();
    const before = snapshot(t);
    t.trainStep(batch(), [GENERATOR_GROUP]);
    const changed = moved(before, snapshot(t));
    expect(changed.some((p) => p.startsWith('encoder/'))).toBe(true);
    expect(changed.some((p) => p.startsWith('decoder/'))).toBe(true);
    expect(changed.some((p) => p.startsWith('discriminator/'))).toBe(false);
  });

  it('the adversarial term reaches the decoder only: the encoder’s gradient does not depend on γ', () => {
    const grads = (gamma: number) => {
      const t = trainer({ adversarialWeight: gamma });
      const x = batch();
      const encoder = t.model.named.filter((n) => n.path.startsWith('encoder/')).map((n) => n.variable);
      const decoder = t.model.named.filter((n) => n.path.startsWith('decoder/')).map((n) => n.variable);
      return tf.tidy(() => {
        const noise = (shape: [number, number]) => tf.fill(shape, 0.3) as tf.Tensor2D;
        const { grads: g } = tf.variableGrads(() => t.model.losses({ x, labels: null }, noise, { kind: 'vae', klWeight: 1, capacity: null, freeBits: 0, options: { adversarialWeight: gamma } }, GENERATOR_GROUP).objective, [...encoder, ...decoder]);
        return { encoder: encoder.flatMap((v) => values(g[v.name])), decoder: decoder.flatMap((v) => values(g[v.name])) };
      });
    };
    const none = grads(0);
    const strong = grads(50);
    none.encoder.forEach((v, i) => expect(strong.encoder[i]).toBeCloseTo(v, 5));
    expect(none.decoder.some((v, i) => Math.abs(v - strong.decoder[i]) > 1e-4)).toBe(true);
  });

  it('a full step runs k_D discriminator updates and one generator update, and the count of tensors stays flat', async () => {
    const t = trainer({ discriminatorSteps: 3 });
    const x = batch();
    t.trainStep(x);
    const metrics = (await t.readMetrics())!;
    expect(metrics.groupUpdates[DISCRIMINATOR_GROUP]).toEqual({ applied: 3, skipped: 0 });
    expect(metrics.groupUpdates[GENERATOR_GROUP]).toEqual({ applied: 1, skipped: 0 });
    const start = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) {
      t.trainStep(x, i % 3 === 0 ? [DISCRIMINATOR_GROUP] : i % 3 === 1 ? [GENERATOR_GROUP] : null);
      if (i % 10 === 9) await t.readMetrics();
    }
    await t.readMetrics();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('the balancing margin skips the discriminator’s update once it is too far ahead', async () => {
    // train D alone until it wins clearly, then a balanced step must skip its update
    const t = trainer({ balanceMargin: 0.3 });
    const x = batch();
    for (let i = 0; i < 60; i++) t.trainStep(x, [DISCRIMINATOR_GROUP]);
    await t.readMetrics();
    const dLosses = tf.tidy(() => {
      const l = t.losses(x);
      return [values(l.means.discriminatorReal)[0], values(l.means.discriminatorFake)[0]];
    });
    expect(Math.min(...dLosses)).toBeLessThan(EQUILIBRIUM - 0.3);
    const before = snapshot(t);
    t.trainStep(x);
    const metrics = (await t.readMetrics())!;
    expect(metrics.groupUpdates[DISCRIMINATOR_GROUP].skipped).toBe(1);
    expect(metrics.groupUpdates[GENERATOR_GROUP].applied).toBe(1);
    expect(moved(before, snapshot(t)).some((p) => p.startsWith('discriminator/'))).toBe(false);
  });
});

describe('adversarial terms', () => {
  it('are ln 2 for a discriminator that cannot tell (logit 0)', () => {
    const zero = tf.zeros([2]) as tf.Tensor1D;
    const t = adversarialTerms(zero, zero, zero);
    for (const v of [...values(t.discriminatorReal), ...values(t.discriminatorFake), ...values(t.generator)]) expect(v).toBeCloseTo(Math.LN2, 6);
    tf.dispose([zero, t.discriminatorReal, t.discriminatorFake, t.generator]);
  });

  it('have the signs and values of their formulas on a hand case', () => {
    // D(x) = σ(2), D(x̃) = σ(−1), D(x_p) = σ(3)
    const sigma = (l: number) => 1 / (1 + Math.exp(-l));
    const real = tf.tensor1d([2]);
    const recon = tf.tensor1d([-1]);
    const prior = tf.tensor1d([3]);
    const t = adversarialTerms(real, recon, prior);
    expect(values(t.discriminatorReal)[0]).toBeCloseTo(-Math.log(sigma(2)), 6);
    expect(values(t.discriminatorFake)[0]).toBeCloseTo(-0.5 * (Math.log(1 - sigma(-1)) + Math.log(1 - sigma(3))), 6);
    expect(values(t.generator)[0]).toBeCloseTo(-0.5 * (Math.log(sigma(-1)) + Math.log(sigma(3))), 6);
    // every term is a negative log-probability: positive
    for (const v of [t.discriminatorReal, t.discriminatorFake, t.generator]) expect(values(v)[0]).toBeGreaterThan(0);
    // extreme logits stay finite
    const big = tf.tensor1d([80, -80]);
    const e = adversarialTerms(big, big, big);
    expect(values(e.discriminatorFake).every(Number.isFinite)).toBe(true);
    expect(values(e.generator)[1]).toBeCloseTo(80, 4);
    tf.dispose([real, recon, prior, big, t.discriminatorReal, t.discriminatorFake, t.generator, e.discriminatorReal, e.discriminatorFake, e.generator]);
  });

  it('stopGradient passes values and stops gradients', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(stopGradient(v), v), stopGradient(v))))(x);
    expect(values(g)).toEqual([1, 2, 3]);
    tf.dispose([x, g]);
  });
});

describe('balance', () => {
  it('is off at margin 0', () => expect(balance(0.01, 5, 0)).toEqual({ discriminator: true, generator: true }));
  it('skips the discriminator when it is too good', () => expect(balance(0.2, 0.3, 0.35)).toEqual({ discriminator: false, generator: true }));
  it('skips the generator when the discriminator is too poor', () => expect(balance(1.2, 0.8, 0.35)).toEqual({ discriminator: true, generator: false }));
  it('updates both inside the margin', () => expect(balance(0.6, 0.8, 0.35)).toEqual({ discriminator: true, generator: true }));
});

describe('VAE-GAN with the decoder merge’s options', () => {
  const objectiveOf = (t: Trainer, x: tf.Tensor2D) => {
    const spec = t.objectiveAt();
    let draws = 0;
    const noise = (shape: [number, number]) => tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, (_, i) => Math.sin(i + 7 * ++draws)), shape);
    return tf.tidy(() => values(t.model.losses({ x, labels: null }, noise, spec, GENERATOR_GROUP).objective)[0]);
  };

  it('β-TCVAE and InfoVAE act on its VAE part: finite losses that differ from the ELBO’s, training steps that run', () => {
    const x = batch();
    const plain = trainer();
    const tc = new Trainer(CONFIG, { beta: 4, learningRate: 0.01, batchSize: 16, objective: 'tcvae', options: {} }, new TestRng(CONFIG.seed));
    const info = new Trainer(CONFIG, { beta: 1, learningRate: 0.01, batchSize: 16, options: { vaeObjective: 'infovae', mmdWeight: 1000 } }, new TestRng(CONFIG.seed));
    live.push(tc, info);
    const base = objectiveOf(plain, x);
    for (const t of [tc, info]) {
      const value = objectiveOf(t, x);
      expect(Number.isFinite(value)).toBe(true);
      expect(Math.abs(value - base)).toBeGreaterThan(1e-3);
      t.trainStep({ x, labels: null });
      t.trainStep({ x, labels: null });
    }
  });

  it.each(['binarised', 'gaussian-learned', 'logistic'] as const)('trains with the %s likelihood (a learned scale joins the generator’s group)', (likelihood) => {
    const t = new Trainer({ ...CONFIG, likelihood }, { beta: 1, learningRate: 0.01, batchSize: 16, options: {} }, new TestRng(CONFIG.seed));
    live.push(t);
    const x = batch();
    const before = tf.memory().numTensors;
    t.trainStep({ x, labels: null });
    t.trainStep({ x, labels: null });
    const after = tf.memory().numTensors;
    t.trainStep({ x, labels: null });
    expect(tf.memory().numTensors).toBe(after);
    expect(after).toBeGreaterThanOrEqual(before);
    const paths = t.model.named.map((n) => n.path);
    expect(paths.includes('decoder/logScale')).toBe(likelihood !== 'binarised');
    const generator = t.model.groups.find((g) => g.id === GENERATOR_GROUP)!;
    if (likelihood !== 'binarised') expect(generator.variables).toContain(t.model.named.find((n) => n.path === 'decoder/logScale')!.variable);
  });
});
