/**
 * VQ-VAE: quantisation on hand cases, the straight-through and stop-gradients, which weights each
 * term reaches, the EMA update and the dead-code restart against their formulas, perplexity, the
 * autoregressive prior's masks, and the model's codebook start and live options.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeClasses, codesInUse, independentNll, perplexity, positionFrequencies, sampleIndependent } from '../../src/core/analysis/codebook';
import type { ModelConfig } from '../../src/core/models/config';
import { AutoregressivePrior, madeMasks } from '../../src/core/models/vq/codePrior';
import { emaUpdate, lookupCodes, nearestCodes, oneHotCodes, quantise, restartDeadCodes, stopGradient } from '../../src/core/models/vq/quantiser';
import { RESTART_EVERY, VqVae } from '../../src/core/models/vq/vqVae';
import { betaObjective } from '../../src/core/objective/gaussianObjective';
import { fixedNoise } from '../../src/core/training/noise';
import { Trainer } from '../../src/core/training/trainer';
import { prototypePatterns } from './helpers/data';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

let owned: { dispose(): void }[] = [];
afterEach(() => {
  for (const o of owned) o.dispose();
  owned = [];
});

function vqConfig(options: Record<string, string | number> = {}, side = 8): ModelConfig {
  return {
    family: 'vqvae',
    network: 'conv',
    imageShape: { width: side, height: side, channels: 1 },
    classCount: 4,
    hiddenDim: 16,
    latentDim: 2,
    likelihood: 'bernoulli',
    seed: 3,
    options: { codes: 16, codeDim: 4, codebookUpdate: 'gradient', ...options },
  };
}

const Z = [
  [0.9, 0.1],
  [-1, -0.8],
  [0.4, 0.6],
  [0.05, -0.02],
];
const E = [
  [1, 0],
  [0, 1],
  [-1, -1],
  [0, 0],
];

describe('quantisation', () => {
  it('picks the nearest code (squared Euclidean) on a hand case', () => {
    tf.tidy(() => {
      expect(values(nearestCodes(tf.tensor2d(Z), tf.tensor2d(E)))).toEqual([0, 2, 1, 3]);
    });
  });

  it('looks codes up as one-hot rows times the codebook, with the gradient Qᵀ·de to the codebook', () => {
    tf.tidy(() => {
      const q = oneHotCodes(tf.tensor1d([0, 2, 1, 2], 'int32'), 4);
      const codebook = tf.tensor2d(E);
      expectAllClose(lookupCodes(q, codebook), [1, 0, -1, -1, 0, 1, -1, -1]);
      const w = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
      const g = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(lookupCodes(q, c as tf.Tensor2D), w)))(codebook);
      // code 0 ← row 0, code 1 ← row 2, code 2 ← rows 1 and 3, code 3 unused
      expectAllClose(g, [1, 2, 5, 6, 10, 12, 0, 0]);
    });
  });

  it('sg[·] keeps the value and stops the gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, -2, 3]);
      expectAllClose(stopGradient(x), [1, -2, 3]);
      expectAllClose(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(stopGradient(t), t)))(x), [1, -2, 3]);
    });
  });

  it('straight-through: the decoder sees e, and its gradient reaches z_e unchanged and the codebook not at all', () => {
    tf.tidy(() => {
      const ze = tf.tensor2d(Z);
      const codebook = tf.tensor2d(E);
      const w = tf.tensor2d([[0.3, -1], [2, 0.5], [-0.7, 1.1], [4, -2]]);
      const decoderLoss = (z: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(quantise(z as tf.Tensor2D, c as tf.Tensor2D, 2).zq, w));
      expectAllClose(quantise(ze, codebook, 2).zq, [1, 0, -1, -1, 0, 1, 0, 0], 1e-6);
      const [dz, dc] = tf.grads(decoderLoss)([ze, codebook]);
      expectAllClose(dz, values(w), 1e-6);
      expectAllClose(dc, new Array(8).fill(0));
    });
  });

  it('the codebook term moves only the codebook, the commitment term only z_e, each by 2(e − z_e) or 2(z_e − e)', () => {
    tf.tidy(() => {
      const ze = tf.tensor2d(Z);
      const codebook = tf.tensor2d(E);
      const q = quantise(ze, codebook, 2);
      // per example (2 positions each): ‖z − e‖² summed
      const sq = Z.map((z, i) => (z[0] - E[[0, 2, 1, 3][i]][0]) ** 2 + (z[1] - E[[0, 2, 1, 3][i]][1]) ** 2);
      expectAllClose(q.codebookPerExample, [sq[0] + sq[1], sq[2] + sq[3]], 1e-6);
      expectAllClose(q.commitmentPerExample, [sq[0] + sq[1], sq[2] + sq[3]], 1e-6);
      const [dzBook, dcBook] = tf.grads((z: tf.Tensor, c: tf.Tensor) => tf.sum(quantise(z as tf.Tensor2D, c as tf.Tensor2D, 2).codebookPerExample))([ze, codebook]);
      const [dzCommit, dcCommit] = tf.grads((z: tf.Tensor, c: tf.Tensor) => tf.sum(quantise(z as tf.Tensor2D, c as tf.Tensor2D, 2).commitmentPerExample))([ze, codebook]);
      expectAllClose(dzBook, new Array(8).fill(0));
      expectAllClose(dcCommit, new Array(8).fill(0));
      const assigned = [0, 2, 1, 3];
      const expectedDc = E.map((_, k) => [0, 1].map((d) => assigned.reduce((s, a, i) => (a === k ? s + 2 * (E[k][d] - Z[i][d]) : s), 0))).flat();
      expectAllClose(dcBook, expectedDc, 1e-6);
      expectAllClose(dzCommit, Z.map((z, i) => z.map((v, d) => 2 * (v - E[assigned[i]][d]))).flat(), 1e-6);
    });
  });
});

describe('updates outside the gradient', () => {
  it('EMA: N ← γN + (1−γ)n, m ← γm + (1−γ)Σz, e = m / Ñ (Laplace-smoothed N) on a hand case', () => {
    tf.tidy(() => {
      const state = { count: tf.tensor1d([1, 1, 2]), sum: tf.tensor2d([[1, 0], [0, 1], [2, 2]]) };
      const batch = { counts: tf.tensor1d([2, 0, 1]), sums: tf.tensor2d([[4, 2], [0, 0], [3, 1]]) };
      const next = emaUpdate(state, batch, 0.5, 0.1);
      const count = [1.5, 0.5, 1.5];
      const sum = [[2.5, 1], [0, 0.5], [2.5, 1.5]];
      const total = 3.5;
      const smoothed = count.map((c) => ((c + 0.1) / (total + 3 * 0.1)) * total);
      expectAllClose(next.count, count, 1e-6);
      expectAllClose(next.sum, sum.flat(), 1e-6);
      expectAllClose(next.codebook, sum.map((row, k) => row.map((v) => v / smoothed[k])).flat(), 1e-5);
      // with ε → 0 the code is the running mean m / N
      expectAllClose(emaUpdate(state, batch, 0.5, 0).codebook, sum.map((row, k) => row.map((v) => v / count[k])).flat(), 1e-5);
    });
  });

  it('dead-code restart moves only the codes no row chose', () => {
    tf.tidy(() => {
      const codebook = tf.tensor2d([[1, 1], [2, 2], [3, 3], [4, 4]]);
      const candidates = tf.tensor2d([[9, 9], [8, 8], [7, 7], [6, 6]]);
      const { codebook: next, restarted } = restartDeadCodes(codebook, tf.tensor1d([0, 5, 0, 1]), candidates);
      expectAllClose(next, [9, 9, 2, 2, 7, 7, 4, 4]);
      expectAllClose(restarted, [1, 0, 1, 0]);
    });
  });

  it('perplexity is K for uniform use and 1 for one code; codes in use counts the chosen ones', () => {
    expect(perplexity(new Array(64).fill(3))).toBeCloseTo(64, 10);
    expect(perplexity([0, 0, 17, 0])).toBeCloseTo(1, 10);
    expect(perplexity([1, 1, 0, 2])).toBeCloseTo(Math.exp(-(0.25 * Math.log(0.25) * 2 + 0.5 * Math.log(0.5))), 10);
    expect(perplexity([0, 0])).toBe(0);
    expect(codesInUse([0, 3, 0, 1])).toBe(2);
  });

  it('per-position frequencies, independent samples and their −log p; classes per code', () => {
    const codes = Int32Array.from([0, 1, 0, 2, 0, 1]); // 3 grids of 2 positions
    const freq = positionFrequencies(codes, 3, 2, 3, 0);
    expectAllClose(freq, [1, 0, 0, 0, 2 / 3, 1 / 3], 1e-6);
    const samples = sampleIndependent(freq, 2, 3, 50, new TestRng(1));
    expect(Array.from({ length: 50 }, (_, g) => samples[2 * g])).toEqual(new Array(50).fill(0));
    expect(independentNll(freq, Int32Array.from([0, 1]), 1, 2, 3)).toBeCloseTo(-Math.log(2 / 3), 6);
    const { top, counts } = codeClasses(codes, 2, [1, 0, 1], 3, 2);
    expect(Array.from(top)).toEqual([1, 1, 0]);
    expect(Array.from(counts)).toEqual([1, 2, 0, 2, 1, 0]);
  });
});

describe('the VQ-VAE model', () => {
  const data = prototypePatterns(64, 11, 4, 0.05, 8);
  const batchOf = (k: number, n = 16) => tf.tensor2d(data.images.subarray(k * n * data.dim, (k + 1) * n * data.dim), [n, data.dim]);

  it('the encoder gets gradient only from the reconstruction and the commitment, the codebook only from its term', () => {
    const model = new VqVae(vqConfig(), new TestRng(2));
    owned.push(model);
    tf.tidy(() => {
      const x = batchOf(0);
      model.beforeStep({ x, labels: null });
      const encoderVars = model.named.filter((n) => n.path.startsWith('encoder/')).map((n) => n.variable);
      const decoderVars = model.named.filter((n) => n.path.startsWith('decoder/')).map((n) => n.variable);
      const spec = { ...betaObjective(1), options: { commitment: 0.25 } };
      const gradsOf = (term: string, vars: tf.Variable[]) => tf.variableGrads(() => model.losses({ x, labels: null }, fixedNoise(1), spec, 'model').means[term], vars).grads;
      const size = (grads: tf.NamedTensorMap, vars: tf.Variable[]) => vars.reduce((s, v) => s + (grads[v.name] ? values(tf.sum(tf.abs(grads[v.name])))[0] : 0), 0);
      const all = [...encoderVars, model.codebook, ...decoderVars];
      const recon = gradsOf('reconstruction', all);
      const book = gradsOf('codebook', all);
      const commit = gradsOf('commitment', all);
      expect(size(recon, encoderVars)).toBeGreaterThan(0);
      expect(size(recon, decoderVars)).toBeGreaterThan(0);
      expect(size(recon, [model.codebook])).toBe(0);
      expect(size(book, [model.codebook])).toBeGreaterThan(0);
      expect(size(book, encoderVars)).toBe(0);
      expect(size(book, decoderVars)).toBe(0);
      expect(size(commit, encoderVars)).toBeGreaterThan(0);
      expect(size(commit, [model.codebook])).toBe(0);
      expect(size(commit, decoderVars)).toBe(0);
    });
  });

  it('starts its codebook from K encoder outputs of the first batch, as the reference does', () => {
    const model = new VqVae(vqConfig(), new TestRng(2));
    owned.push(model);
    const before = values(model.codebook);
    expect(Math.max(...before.map(Math.abs))).toBeLessThanOrEqual(1 / 16);
    const x = batchOf(0);
    owned.push(x);
    model.beforeStep({ x, labels: null });
    const rows = tf.tidy(() => values((model as unknown as { encoder: { call(x: tf.Tensor2D): tf.Tensor2D } }).encoder.call(x)));
    const codes = values(model.codebook);
    for (let k = 0; k < 16; k++) {
      const code = codes.slice(k * 4, k * 4 + 4);
      const match = Array.from({ length: rows.length / 4 }, (_, r) => rows.slice(r * 4, r * 4 + 4)).some((row) => row.every((v, d) => Math.abs(v - code[d]) < 1e-6));
      expect(match, `code ${k}`).toBe(true);
    }
  });

  it('the codebook trains in the weight group by gradient, and is left to the EMA (with its state saved by name) otherwise', () => {
    const byGradient = new VqVae(vqConfig(), new TestRng(2));
    const byEma = new VqVae(vqConfig({ codebookUpdate: 'ema' }), new TestRng(2));
    owned.push(byGradient, byEma);
    expect(byGradient.groups[0].variables).toContain(byGradient.codebook);
    expect(byEma.groups[0].variables).not.toContain(byEma.codebook);
    expect(byEma.named.map((n) => n.path)).toEqual(expect.arrayContaining(['quantiser/codebook', 'quantiser/emaCount', 'quantiser/emaSum']));
    expect(byEma.terms.find((t) => t.id === 'codebook')?.inObjective).toBe(false);
  });

  it('EMA training moves the codes to the means of their outputs and lowers the loss; tensor counts stay flat', async () => {
    const trainer = new Trainer(vqConfig({ codebookUpdate: 'ema' }), { beta: 1, learningRate: 0.005, batchSize: 16, options: { emaDecay: 0.9, restartDeadCodes: 'on' } }, new TestRng(4));
    owned.push(trainer);
    const batches = [0, 1, 2, 3].map((k) => batchOf(k));
    owned.push(...batches);
    const start = await trainer.evaluate(data.images, data.count, 32);
    trainer.trainStep(batches[0]);
    await trainer.readMetrics();
    const first = (await trainer.codebook()).vectors;
    const settled = tf.memory().numTensors;
    for (let s = 1; s <= 2 * RESTART_EVERY + 5; s++) trainer.trainStep(batches[s % 4]);
    const metrics = await trainer.readMetrics();
    expect(tf.memory().numTensors).toBe(settled);
    const end = await trainer.evaluate(data.images, data.count, 32);
    expect(end.terms.reconstruction).toBeLessThan(0.8 * start.terms.reconstruction);
    const last = (await trainer.codebook()).vectors;
    expect(last.some((v, i) => Math.abs(v - first[i]) > 1e-3)).toBe(true);
    expect(metrics?.codeUsage?.length).toBe(16);
    expect(metrics!.codeUsage!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // the objective under EMA: reconstruction + commitment (the codebook term is only measured)
    expect(metrics!.objective).toBeCloseTo(metrics!.terms.reconstruction + metrics!.terms.commitment, 3);
    // 205 conv steps: well past the default minute on a loaded 2-core machine
  }, 600_000);

  it('reports the constant KL of the uniform prior, positions · log K, and β_c scales the commitment', () => {
    const trainer = new Trainer(vqConfig(), { beta: 1, learningRate: 0.001, batchSize: 16, options: { commitment: 0.5 } }, new TestRng(4));
    owned.push(trainer);
    const x = batchOf(0);
    owned.push(x);
    trainer.trainStep(x);
    tf.tidy(() => {
      const losses = trainer.losses(x, fixedNoise(1), trainer.objectiveAt(), { perExample: true });
      expect(values(losses.means.codeKl)[0]).toBeCloseTo(4 * Math.log(16), 4);
      expect(values(losses.negativeElbo)[0]).toBeCloseTo(values(losses.means.reconstruction)[0] + 4 * Math.log(16), 3);
      expect(values(losses.means.commitment)[0]).toBeCloseTo(0.5 * values(losses.means.codebook)[0], 4);
    });
  });
});

describe('the autoregressive prior over code grids', () => {
  it('its masks let position p see only positions before it', () => {
    const m = madeMasks(4, 2, 6, 3);
    // through both hidden layers: input position i reaches output position j only if i < j
    const reach = (i: number, j: number) => {
      for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) if (m.input[i * 2 * 6 + a] && m.hidden[a * 6 + b] && m.output[b * 12 + j * 3]) return true;
      return false;
    };
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(reach(i, j), `${i} → ${j}`).toBe(i < j && j > 0 ? reach(i, j) : false);
    expect(reach(0, 1)).toBe(true);
    expect(reach(2, 3)).toBe(true);
  });

  it("a position's logits do not change with its own or later codes", () => {
    const prior = new AutoregressivePrior(5, 4, new TestRng(1), 1e-3, { embedding: 3, hidden: 12, output: 4 });
    owned.push(prior);
    tf.tidy(() => {
      const a = values(prior.logits(tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32')));
      const b = values(prior.logits(tf.tensor2d([[1, 2, 0, 0]], [1, 4], 'int32')));
      // positions 0, 1 and 2 see only codes 1, 2: the same logits
      expectAllClose(b.slice(0, 15), a.slice(0, 15), 1e-6);
      expect(b.slice(15).some((v, i) => Math.abs(v - a[15 + i]) > 1e-6)).toBe(true);
    });
  });

  it('learns a dependency the independent prior cannot see, samples valid grids, and leaves no tensor behind', async () => {
    // grids of 4 positions: a random first code, then the same code again (c, c, c, c)
    const rng = new TestRng(5);
    const n = 256;
    const codes = new Int32Array(n * 4);
    for (let g = 0; g < n; g++) codes.fill(Math.floor(rng.next() * 6), g * 4, g * 4 + 4);
    const prior = new AutoregressivePrior(6, 4, new TestRng(2), 0.01, { embedding: 4, hidden: 32, output: 8 });
    owned.push(prior);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 200; s++) prior.trainStep(codes.subarray((s % 4) * 64 * 4, ((s % 4) + 1) * 64 * 4), 64).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const nll = await prior.meanNll(codes, n);
    const independent = independentNll(positionFrequencies(codes, n, 4, 6), codes, n, 4, 6);
    expect(independent).toBeGreaterThan(4 * Math.log(6) - 0.3);
    expect(nll).toBeLessThan(Math.log(6) + 0.5);
    const samples = await prior.sample(20, new TestRng(9));
    let same = 0;
    for (let g = 0; g < 20; g++) if (samples[g * 4 + 3] === samples[g * 4]) same += 1;
    expect(same).toBeGreaterThan(15);
    expect(tf.memory().numTensors).toBe(before);
  });
});
