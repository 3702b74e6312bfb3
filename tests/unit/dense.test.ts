import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dense, type Activation } from '../../src/core/layers/dense';
import { VariableScope } from '../../src/core/layers/scope';
import { TestRng } from './helpers/rng';
import { expectAllClose, useCpuBackend, values } from './helpers/tf';

beforeAll(useCpuBackend);

// Variable names are global in tfjs: every layer made here is disposed after its test.
const layers: Dense[] = [];
afterEach(() => {
  for (const layer of layers.splice(0)) layer.dispose();
});

function makeLayer(inputSize: number, outputSize: number, activation: Activation, seed: number, inputGrad = true): Dense {
  const layer = new Dense(inputSize, outputSize, activation, new TestRng(seed), { scope: new VariableScope('test'), path: `dense${layers.length}` }, inputGrad);
  layers.push(layer);
  return layer;
}

/** The stock formulation, differentiated by tfjs's own gradients. */
function stock(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  const pre = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
  return activation === 'relu' ? tf.relu(pre) : pre;
}

/** A scalar loss with a non-uniform upstream gradient: sum(y ⊙ R). */
function weighted(y: tf.Tensor2D, r: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.mul(y, r));
}

describe('Dense', () => {
  it('initialises weights and biases within ±1/√fanIn, as PyTorch does, and deterministically per seed', () => {
    const a = makeLayer(25, 7, 'relu', 3);
    const b = makeLayer(25, 7, 'relu', 3);
    expect(a.weight.shape).toEqual([25, 7]);
    expect(a.bias.shape).toEqual([7]);
    const w = values(a.weight);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(1 / 5);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.15); // spans the range, not all zero
    expect(values(b.weight)).toEqual(w);
    expect(values(b.bias)).toEqual(values(a.bias));
    expect(a.variables).toEqual([a.weight, a.bias]);
  });

  for (const activation of ['relu', 'linear'] as const) {
    it(`forward pass and gradients (weight, bias, input) match the stock formulation: ${activation}`, () => {
      const layer = makeLayer(6, 5, activation, 17);
      const rng = new TestRng(99);
      const x = tf.tensor2d(rng.normals(4 * 6), [4, 6]);
      const r = tf.tensor2d(rng.normals(4 * 5), [4, 5]);
      const wv = [layer.weight, layer.bias];

      // The ReLU case must actually exercise both branches.
      const pre = tf.tidy(() => values(stock(x, layer.weight, layer.bias, 'linear')));
      expect(pre.some((v) => v < 0)).toBe(true);
      expect(pre.some((v) => v > 0)).toBe(true);

      tf.tidy(() => {
        expectAllClose(layer.call(x), stock(x, layer.weight, layer.bias, activation), 1e-5);

        const ours = tf.variableGrads(() => weighted(layer.call(x), r), wv);
        const ref = tf.variableGrads(() => weighted(stock(x, layer.weight, layer.bias, activation), r), wv);
        expect(ours.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0], 4);
        expect(ours.grads[layer.weight.name].shape).toEqual([6, 5]);
        expect(ours.grads[layer.bias.name].shape).toEqual([5]);
        expectAllClose(ours.grads[layer.weight.name], ref.grads[layer.weight.name], 1e-5);
        expectAllClose(ours.grads[layer.bias.name], ref.grads[layer.bias.name], 1e-5);

        const dxOurs = tf.grad((xx: tf.Tensor) => weighted(layer.call(xx as tf.Tensor2D), r))(x);
        const dxRef = tf.grad((xx: tf.Tensor) => weighted(stock(xx as tf.Tensor2D, layer.weight, layer.bias, activation), r))(x);
        expect(dxOurs.shape).toEqual([4, 6]);
        expectAllClose(dxOurs, dxRef, 1e-5);
        // Not trivially zero.
        expect(values(dxRef).some((v) => Math.abs(v) > 1e-3)).toBe(true);
      });
      x.dispose();
      r.dispose();
    });

    it(`with inputGrad = false, weight and bias gradients match the stock formulation: ${activation}`, () => {
      const layer = makeLayer(6, 5, activation, 23, false);
      const rng = new TestRng(5);
      const x = tf.tensor2d(rng.normals(3 * 6), [3, 6]);
      const r = tf.tensor2d(rng.normals(3 * 5), [3, 5]);
      const wv = [layer.weight, layer.bias];
      tf.tidy(() => {
        expectAllClose(layer.call(x), stock(x, layer.weight, layer.bias, activation), 1e-5);
        const ours = tf.variableGrads(() => weighted(layer.call(x), r), wv);
        const ref = tf.variableGrads(() => weighted(stock(x, layer.weight, layer.bias, activation), r), wv);
        expectAllClose(ours.grads[layer.weight.name], ref.grads[layer.weight.name], 1e-5);
        expectAllClose(ours.grads[layer.bias.name], ref.grads[layer.bias.name], 1e-5);
      });
      x.dispose();
      r.dispose();
    });
  }

  it('chains: gradients through relu → linear (input gradient of the second layer) match the stock chain', () => {
    const first = makeLayer(8, 6, 'relu', 31, false);
    const second = makeLayer(6, 3, 'linear', 37);
    const rng = new TestRng(8);
    const x = tf.tensor2d(rng.normals(5 * 8), [5, 8]);
    const target = tf.tensor2d(rng.normals(5 * 3), [5, 3]);
    const wv = [...first.variables, ...second.variables];
    tf.tidy(() => {
      const loss = (y: tf.Tensor2D) => tf.sum(tf.square(tf.sub(y, target))) as tf.Scalar;
      const ours = tf.variableGrads(() => loss(second.call(first.call(x))), wv);
      const ref = tf.variableGrads(
        () => loss(stock(stock(x, first.weight, first.bias, 'relu'), second.weight, second.bias, 'linear')),
        wv,
      );
      for (const v of wv) expectAllClose(ours.grads[v.name], ref.grads[v.name], 1e-5, 1e-5);
      expect(values(ref.grads[first.weight.name]).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    });
    x.dispose();
    target.dispose();
  });

  it('holds exactly its two variables; dispose frees them (the initial values are not left behind)', () => {
    const before = tf.memory();
    const layer = new Dense(10, 3, 'relu', new TestRng(2), { scope: new VariableScope('test'), path: 'count' });
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    expect(tf.memory().numBytes).toBe(before.numBytes + 4 * (10 * 3 + 3));
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('frees every intermediate of a forward and backward pass', () => {
    const layer = makeLayer(6, 4, 'relu', 41);
    const x = tf.tensor2d(new TestRng(1).normals(12), [2, 6]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.call(x)), layer.variables);
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
    });
    const y = layer.call(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
