import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam, disposeAdamState } from '../../src/core/optim/adam';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

/**
 * f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)², ∇f = a ⊙ (θ − c). Two parameter tensors so the per-parameter state
 * is exercised too.
 */
const A = [[1, 4, 0.25], [10, 0.5]];
const C = [[1, -2, 3], [0.5, -1]];
const THETA0 = [[0, 0, 0], [2, 2]];

function gradsOf(theta: number[][]): number[][] {
  return theta.map((t, p) => t.map((v, i) => A[p][i] * (v - C[p][i])));
}

/** PyTorch's Adam, in float64: θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε). */
class ReferenceAdam {
  m: number[][];
  v: number[][];
  t = 0;
  constructor(
    public theta: number[][],
    public lr: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.theta = theta.map((row) => [...row]);
    this.m = theta.map((row) => row.map(() => 0));
    this.v = theta.map((row) => row.map(() => 0));
  }
  step(grads: number[][]): void {
    this.t += 1;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    this.theta = this.theta.map((row, p) =>
      row.map((th, i) => {
        const g = grads[p][i];
        this.m[p][i] = this.beta1 * this.m[p][i] + (1 - this.beta1) * g;
        this.v[p][i] = this.beta2 * this.v[p][i] + (1 - this.beta2) * g * g;
        return th - (this.lr / bc1) * (this.m[p][i] / (Math.sqrt(this.v[p][i]) / Math.sqrt(bc2) + this.eps));
      }),
    );
  }
}

const owned: { dispose(): void }[] = [];
afterEach(() => {
  for (const t of owned.splice(0)) t.dispose();
});

function makeParams(): tf.Variable[] {
  const params = THETA0.map((row) => tf.variable(tf.tensor1d(row)));
  owned.push(...params);
  return params;
}

function makeAdam(params: tf.Variable[], lr: number, ...rest: [number?, number?, number?]): Adam {
  const adam = new Adam(params, lr, ...rest);
  owned.push(adam);
  return adam;
}

/** One Adam step on the quadratic, the gradients computed from the variables' current values. */
function stepOnQuadratic(adam: Adam, params: tf.Variable[]): void {
  const grads = gradsOf(params.map((p) => values(p))).map((g) => tf.tensor1d(g));
  adam.apply(grads);
  for (const g of grads) g.dispose();
}

describe('Adam', () => {
  it('one step equals the hand-computed update (≈ lr·sign(g) on the first step)', () => {
    const params = makeParams();
    const adam = makeAdam(params, 0.1);
    stepOnQuadratic(adam, params);
    const ref = new ReferenceAdam(THETA0, 0.1);
    ref.step(gradsOf(THETA0));
    params.forEach((p, i) => expectAllClose(values(p), ref.theta[i], 1e-6));
    // First step of Adam moves every coordinate by lr in the direction −sign(g).
    expectAllClose(values(params[0]), [0.1, -0.1, 0.1], 1e-6);
    expectAllClose(values(params[1]), [1.9, 1.9], 1e-6);
    expect(adam.stepCount).toBe(1);
  });

  it('several steps track the reference update, with non-default β₁, β₂, ε', () => {
    for (const hyper of [[0.9, 0.999, 1e-8], [0.5, 0.9, 0.1]] as const) {
      const params = makeParams();
      const adam = makeAdam(params, 0.05, ...hyper);
      const ref = new ReferenceAdam(THETA0, 0.05, ...hyper);
      for (let s = 0; s < 25; s++) {
        stepOnQuadratic(adam, params);
        ref.step(gradsOf(ref.theta));
        params.forEach((p, i) => expectAllClose(values(p), ref.theta[i], 2e-5, 1e-5));
      }
      expect(adam.stepCount).toBe(25);
      for (const t of owned.splice(0)) t.dispose();
    }
  });

  it('does not take or free the caller\'s gradients, and leaks nothing', () => {
    const params = makeParams();
    const adam = makeAdam(params, 0.1);
    const grads = gradsOf(THETA0).map((g) => tf.tensor1d(g));
    const before = tf.memory().numTensors;
    adam.apply(grads);
    adam.apply(grads);
    expect(tf.memory().numTensors).toBe(before);
    expect(grads.every((g) => !g.isDisposed)).toBe(true);
    for (const g of grads) g.dispose();
  });

  it('holds two moment tensors per parameter and dispose frees them (nothing else left behind)', () => {
    const params = makeParams();
    const before = tf.memory().numTensors;
    const adam = new Adam(params, 0.1);
    expect(tf.memory().numTensors).toBe(before + 2 * params.length);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a change of learningRate between steps takes effect at the next step', () => {
    const params = makeParams();
    const adam = makeAdam(params, 0.1);
    const ref = new ReferenceAdam(THETA0, 0.1);
    const refOld = new ReferenceAdam(THETA0, 0.1);
    for (let s = 0; s < 3; s++) {
      stepOnQuadratic(adam, params);
      ref.step(gradsOf(ref.theta));
      refOld.step(gradsOf(refOld.theta));
    }
    adam.learningRate = 0.01;
    ref.lr = 0.01;
    for (let s = 0; s < 3; s++) {
      stepOnQuadratic(adam, params);
      ref.step(gradsOf(ref.theta));
      refOld.step(gradsOf(refOld.theta));
    }
    params.forEach((p, i) => expectAllClose(values(p), ref.theta[i], 2e-5, 1e-5));
    // …and that is measurably different from keeping the old rate.
    const gap = Math.max(...refOld.theta.flatMap((row, p) => row.map((v, i) => Math.abs(v - ref.theta[p][i]))));
    expect(gap).toBeGreaterThan(0.05);
  });

  it('snapshot/restore brings back the state exactly, and the restored run repeats itself', () => {
    const params = makeParams();
    const adam = makeAdam(params, 0.1);
    for (let s = 0; s < 3; s++) stepOnQuadratic(adam, params);
    const state = adam.snapshot();
    const savedParams = params.map((p) => p.clone());
    const savedMoments = [...state.firstMoments, ...state.secondMoments].map((t) => values(t));
    expect(state.step).toBe(3);
    expect(savedMoments.some((m) => m.some((v) => v !== 0))).toBe(true);

    for (let s = 0; s < 4; s++) stepOnQuadratic(adam, params);
    const after7 = params.map((p) => values(p));
    // The snapshot is a copy: later steps do not change it.
    expect([...state.firstMoments, ...state.secondMoments].map((t) => values(t))).toEqual(savedMoments);

    adam.restore(state);
    params.forEach((p, i) => p.assign(savedParams[i]));
    expect(adam.stepCount).toBe(3);
    const again = adam.snapshot();
    expect(again.step).toBe(3);
    expect([...again.firstMoments, ...again.secondMoments].map((t) => values(t))).toEqual(savedMoments);
    disposeAdamState(again);

    // Freeing the snapshot must not pull the state out from under the optimiser.
    disposeAdamState(state);
    for (const t of savedParams) t.dispose();
    for (let s = 0; s < 4; s++) stepOnQuadratic(adam, params);
    params.forEach((p, i) => expect(values(p)).toEqual(after7[i]));
  });

  it('restore of a fresh snapshot rewinds to step 0 (the next step is a first step again)', () => {
    const params = makeParams();
    const adam = makeAdam(params, 0.1);
    const fresh = adam.snapshot();
    for (let s = 0; s < 5; s++) stepOnQuadratic(adam, params);
    adam.restore(fresh);
    disposeAdamState(fresh);
    tf.tidy(() => params.forEach((p, i) => p.assign(tf.tensor1d(THETA0[i]))));
    stepOnQuadratic(adam, params);
    expectAllClose(values(params[0]), [0.1, -0.1, 0.1], 1e-6);
    expect(adam.stepCount).toBe(1);
  });
});
