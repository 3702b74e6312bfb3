import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelVariables, parameterCount } from '../../src/core/models/family';
import { reparameterize } from '../../src/core/models/gaussianLatent';
import { GaussianVae, MODEL_GROUP } from '../../src/core/models/gaussianVae';
import { betaObjective } from '../../src/core/objective/gaussianObjective';
import { givenNoise } from '../../src/core/training/noise';
import { mlpVae, pixelsOf } from './helpers/model';
import { TestRng } from './helpers/rng';
import { expectAllClose, readVariables, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const config = mlpVae({ inputDim: 12, hiddenDim: 7, latentDim: 3, likelihood: 'bernoulli', seed: 1 });
const inputDim = pixelsOf(config);

// Each test frees the model it made.
let live: GaussianVae | null = null;
function makeVae(seed = 1, cfg = config): GaussianVae {
  live = new GaussianVae(cfg, new TestRng(seed));
  return live;
}
afterEach(() => {
  live?.dispose();
  live = null;
});

describe('reparameterize', () => {
  const mu = [[0.5, -1, 2], [0, 0.3, -0.7]];
  const logVar = [[0, -1, 0.6], [-2, 1, 0.2]];
  const eps = [[1.2, -0.4, 0.9], [-1.5, 0.1, 2]];
  const z = mu.map((row, n) => row.map((m, d) => m + Math.exp(0.5 * logVar[n][d]) * eps[n][d]));

  it('computes z = μ + exp(½ log σ²)·ε', () => {
    const out = tf.tidy(() => values(reparameterize({ mu: tf.tensor2d(mu), logVar: tf.tensor2d(logVar) }, tf.tensor2d(eps))));
    expectAllClose(out, z.flat(), 1e-6);
  });

  it('gradients of sum(z): ∂/∂μ = 1, ∂/∂log σ² = ½·exp(½ log σ²)·ε', () => {
    tf.tidy(() => {
      const e = tf.tensor2d(eps);
      const [dMu, dLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) =>
        tf.sum(reparameterize({ mu: m as tf.Tensor2D, logVar: lv as tf.Tensor2D }, e)),
      )([tf.tensor2d(mu), tf.tensor2d(logVar)]);
      expectAllClose(dMu, Array(6).fill(1), 1e-6);
      expectAllClose(dLogVar, logVar.flatMap((row, n) => row.map((lv, d) => 0.5 * Math.exp(0.5 * lv) * eps[n][d])), 1e-6);
    });
  });

  it('gradients of sum(z²): ∂/∂μ = 2z, ∂/∂log σ² = z·exp(½ log σ²)·ε', () => {
    tf.tidy(() => {
      const e = tf.tensor2d(eps);
      const [dMu, dLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) =>
        tf.sum(tf.square(reparameterize({ mu: m as tf.Tensor2D, logVar: lv as tf.Tensor2D }, e))),
      )([tf.tensor2d(mu), tf.tensor2d(logVar)]);
      expectAllClose(dMu, z.flat().map((v) => 2 * v), 1e-5);
      expectAllClose(dLogVar, logVar.flatMap((row, n) => row.map((lv, d) => z[n][d] * Math.exp(0.5 * lv) * eps[n][d])), 1e-5);
    });
  });

  it('ε = 0 gives the posterior mean and no gradient to log σ²', () => {
    tf.tidy(() => {
      const e = tf.zeros([2, 3]) as tf.Tensor2D;
      const [dMu, dLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) =>
        tf.sum(tf.square(reparameterize({ mu: m as tf.Tensor2D, logVar: lv as tf.Tensor2D }, e))),
      )([tf.tensor2d(mu), tf.tensor2d(logVar)]);
      expectAllClose(dMu, mu.flat().map((v) => 2 * v), 1e-6);
      expectAllClose(dLogVar, Array(6).fill(0), 1e-7);
    });
  });
});

describe('the VAE family with the MLP networks', () => {
  it('has the 784-400-z-400-784 layout, scaled down, and the right parameter count', () => {
    const vae = makeVae();
    const shapes = modelVariables(vae).map((v) => v.shape);
    const { hiddenDim: h, latentDim: z } = config;
    const i = inputDim;
    expect(shapes).toEqual([[i, h], [h], [h, 2 * z], [2 * z], [z, h], [h], [h, i], [i]]);
    expect(parameterCount(vae)).toBe(i * h + h + h * 2 * z + 2 * z + z * h + h + h * i + i);
    expect(new Set(modelVariables(vae).map((v) => v.name)).size).toBe(8);
    expect(modelVariables(vae).every((v) => v.trainable)).toBe(true);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const a = readVariables(modelVariables(makeVae(5)));
    live!.dispose();
    const b = readVariables(modelVariables(makeVae(5)));
    live!.dispose();
    const c = readVariables(modelVariables(makeVae(6)));
    expect(b).toEqual(a);
    expect(c[0]).not.toEqual(a[0]);
  });

  it('holds exactly its 8 variables, and dispose frees them all (no initial values left behind)', () => {
    const before = tf.memory();
    const vae = makeVae(3);
    const during = tf.memory();
    const parameters = parameterCount(vae);
    live = null;
    vae.dispose();
    expect(during.numTensors).toBe(before.numTensors + 8);
    expect(during.numBytes).toBe(before.numBytes + 4 * parameters);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('encoder and decoder compute the MLP of the docs; the loss gradient equals the stock formulation', () => {
    const vae = makeVae(9);
    const [w1, b1, w2, b2, w3, b3, w4, b4] = modelVariables(vae);
    const rng = new TestRng(77);
    const n = 5;
    const x = tf.tensor2d(Float32Array.from(rng.uniforms(n * inputDim), (u) => (u < 0.4 ? 1 : 0)), [n, inputDim]);
    const eps = tf.tensor2d(rng.normals(n * config.latentDim), [n, config.latentDim]);
    const beta = 2.5;

    const dense = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D), b);
    const stockEncode = () => {
      const both = dense(tf.relu(dense(x, w1, b1)), w2, b2);
      return {
        mu: tf.slice(both, [0, 0], [n, config.latentDim]) as tf.Tensor2D,
        logVar: tf.slice(both, [0, config.latentDim], [n, config.latentDim]) as tf.Tensor2D,
      };
    };
    const stockDecode = (z: tf.Tensor) => dense(tf.relu(dense(z, w3, b3)), w4, b4) as tf.Tensor2D;
    const stockObjective = () => {
      const q = stockEncode();
      const z = tf.add(q.mu, tf.mul(tf.exp(tf.mul(q.logVar, 0.5)), eps));
      const logits = stockDecode(z);
      // −log Bernoulli written naively (fine for these small logits), and the KL in closed form.
      const p = tf.sigmoid(logits);
      const nll = tf.neg(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p)))));
      const klTerm = tf.mul(tf.sub(tf.add(tf.square(q.mu), tf.exp(q.logVar)), tf.add(q.logVar, 1)), 0.5);
      return tf.add(tf.mean(tf.sum(nll, 1)), tf.mul(tf.mean(tf.sum(klTerm, 1)), beta)) as tf.Scalar;
    };
    const ourObjective = () => vae.losses({ x, labels: null }, givenNoise(eps), betaObjective(beta), MODEL_GROUP).objective;

    tf.tidy(() => {
      const ours = vae.latent.encode(x, null);
      const ref = stockEncode();
      expect(ours.mu.shape).toEqual([n, config.latentDim]);
      expectAllClose(ours.mu, ref.mu, 1e-5);
      expectAllClose(ours.logVar, ref.logVar, 1e-5);
      expectAllClose(vae.latent.decode(eps, null), tf.sigmoid(stockDecode(eps)), 1e-5);

      const a = tf.variableGrads(ourObjective, modelVariables(vae));
      const b = tf.variableGrads(stockObjective, modelVariables(vae));
      expect(values(a.value)[0]).toBeCloseTo(values(b.value)[0], 4);
      for (const v of modelVariables(vae)) {
        expect(a.grads[v.name].shape).toEqual(v.shape);
        expectAllClose(a.grads[v.name], b.grads[v.name], 1e-5, 1e-4);
      }
      expect(values(b.grads[w1.name]).some((g) => Math.abs(g) > 1e-4)).toBe(true);
    });
    x.dispose();
    eps.dispose();
  });
});
