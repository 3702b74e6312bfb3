/**
 * The priors against hand computations: the mixture's log-density, a one-component mixture whose
 * one-sample KL equals the closed-form KL in expectation, the VampPrior with one pseudo-input as
 * the posterior of that input, and gradients that reach every prior variable.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { VariableScope } from '../../src/core/layers/scope';
import { klPerExampleAndDim } from '../../src/core/objective/kl';
import { MixturePrior } from '../../src/core/objective/priors/mixture';
import { StandardNormalPrior } from '../../src/core/objective/priors/standardNormal';
import { VampPrior } from '../../src/core/objective/priors/vamp';
import { responsibilities } from '../../src/core/objective/priors';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

const LOG_2PI = Math.log(2 * Math.PI);

/** log Σ_k w_k Π_d N(z_d; μ_kd, σ²_kd), in float64 by hand. */
function handMixture(z: number[], means: number[][], logVars: number[][], logits: number[]): number {
  const maxLogit = Math.max(...logits);
  const norm = Math.log(logits.reduce((s, l) => s + Math.exp(l - maxLogit), 0)) + maxLogit;
  const terms = means.map((mu, k) => logits[k] - norm + mu.reduce((s, m, d) => s - 0.5 * (LOG_2PI + logVars[k][d] + (z[d] - m) ** 2 / Math.exp(logVars[k][d])), 0));
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}

describe('mixture of Gaussians prior', () => {
  it('has the log-density of a hand computation', () => {
    const scope = new VariableScope('t');
    const prior = new MixturePrior(3, 2, new TestRng(1), scope);
    const means = [[0.5, -1], [2, 0.3], [-1.5, 1.2]];
    const logVars = [[0, -0.5], [0.7, 0.1], [-1, 0.4]];
    const logits = [0.2, -0.4, 1.1];
    prior.means.assign(tf.tensor2d(means));
    prior.logVars.assign(tf.tensor2d(logVars));
    prior.logits.assign(tf.tensor1d(logits));
    const zs = [[0, 0], [1.7, -0.2], [-3, 2.5], [10, -10]];
    const got = tf.tidy(() => values(prior.logDensity(tf.tensor2d(zs))));
    expectAllClose(got, zs.map((z) => handMixture(z, means, logVars, logits)), 1e-4, 1e-6);
    // responsibilities sum to one and favour the nearest heavy component
    const r = tf.tidy(() => values(responsibilities(tf.tensor2d([[2, 0.3]]), tf.tensor2d(means), tf.tensor2d(logVars), tf.logSoftmax(tf.tensor1d(logits)) as tf.Tensor1D)));
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.indexOf(Math.max(...r))).toBe(1);
    scope.dispose();
  });

  it('with one component, its one-sample KL averages to the closed-form KL against that Gaussian', () => {
    const scope = new VariableScope('t');
    const prior = new MixturePrior(1, 3, new TestRng(2), scope);
    const m = [0.4, -0.8, 1.5];
    const lv = [0.3, -0.6, 0.9];
    prior.means.assign(tf.tensor2d([m]));
    prior.logVars.assign(tf.tensor2d([lv]));
    const mu = [0.1, 0.2, -0.3];
    const logVar = [-0.4, 0.2, 0.5];
    // KL(N(μ, σ²) ‖ N(m, s²)) = ½ Σ (log s² − log σ² + (σ² + (μ − m)²)/s² − 1)
    const closed = mu.reduce((s, u, d) => s + 0.5 * (lv[d] - logVar[d] + (Math.exp(logVar[d]) + (u - m[d]) ** 2) / Math.exp(lv[d]) - 1), 0);
    const n = 20000;
    const estimate = tf.tidy(() => {
      const posterior = { mu: tf.tile(tf.tensor2d([mu]), [n, 1]) as tf.Tensor2D, logVar: tf.tile(tf.tensor2d([logVar]), [n, 1]) as tf.Tensor2D };
      const eps = tf.randomNormal([n, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
      const z = tf.add(posterior.mu, tf.mul(tf.exp(tf.mul(posterior.logVar, 0.5)), eps)) as tf.Tensor2D;
      const kl = prior.kl(posterior, z).perExample;
      return { mean: values(tf.mean(kl))[0], sd: Math.sqrt(values(tf.moments(kl).variance)[0]) };
    });
    // within four standard errors of the Monte Carlo mean
    expect(Math.abs(estimate.mean - closed)).toBeLessThan((4 * estimate.sd) / Math.sqrt(n));
    scope.dispose();
  });

  it('matches the standard normal when its one component is N(0, I)', () => {
    const scope = new VariableScope('t');
    const prior = new MixturePrior(1, 2, new TestRng(3), scope);
    prior.means.assign(tf.zeros([1, 2]));
    const z = tf.tensor2d([[0.3, -1.2], [2, 0.5]]);
    expectAllClose(tf.tidy(() => values(prior.logDensity(z))), tf.tidy(() => values(new StandardNormalPrior().logDensity(z))), 1e-5);
    z.dispose();
    scope.dispose();
  });
});

describe('VampPrior', () => {
  it('with one pseudo-input is that input’s posterior', () => {
    const scope = new VariableScope('t');
    const W = tf.tensor2d([[0.5, -0.2, 0.1, 0.3], [0.1, 0.4, -0.3, 0.2], [0.3, 0.1, 0.2, -0.5]]); // 3 pixels → μ (2), log σ² (2)
    const posteriorOf = (images: tf.Tensor2D) => {
      const out = tf.matMul(images, W);
      const [mu, logVar] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { mu, logVar };
    };
    const prior = new VampPrior(1, 3, new TestRng(4), scope, posteriorOf);
    const z = tf.tensor2d([[0.2, -0.4], [1.5, 0.7], [-2, 0.1]]);
    const got = tf.tidy(() => values(prior.logDensity(z)));
    const expected = tf.tidy(() => {
      const { mu, logVar } = posteriorOf(prior.pseudoInputs());
      const v = values(mu);
      const l = values(logVar);
      return [[0.2, -0.4], [1.5, 0.7], [-2, 0.1]].map((row) => row.reduce((s, zd, d) => s - 0.5 * (LOG_2PI + l[d] + (zd - v[d]) ** 2 / Math.exp(l[d])), 0));
    });
    expectAllClose(got, expected, 1e-5);
    // the pseudo-inputs are images in [0, 1] and get a gradient through the encoder
    const u = tf.tidy(() => values(prior.pseudoInputs()));
    expect(u.every((p) => p >= 0 && p <= 1)).toBe(true);
    const { grads } = tf.variableGrads(() => tf.sum(prior.logDensity(z)) as tf.Scalar, [prior.pseudoInputPixels]);
    expect(values(grads[prior.pseudoInputPixels.name]).some((g) => g !== 0)).toBe(true);
    tf.dispose([grads[prior.pseudoInputPixels.name], z, W]);
    scope.dispose();
  });
});

describe('standard normal prior', () => {
  it('keeps the closed-form KL per dimension', () => {
    const posterior = { mu: tf.tensor2d([[0.3, -1]]), logVar: tf.tensor2d([[0.2, -0.7]]) };
    const kl = new StandardNormalPrior().kl(posterior);
    expectAllClose(kl.perDim as tf.Tensor, klPerExampleAndDim(posterior), 1e-6);
    tf.dispose([posterior.mu, posterior.logVar, kl.perExample, kl.perDim as tf.Tensor]);
  });
});
