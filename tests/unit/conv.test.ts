/**
 * The conv layers (src/core/layers/conv2d.ts, convTranspose2d.ts) on the cpu backend: sizes with
 * PyTorch's semantics, PyTorch's initialisation, forward and gradients (input, kernel, bias)
 * against convolutions written from their definitions in float64 (and finite differences of
 * them) and against tfjs's own conv ops and their gradients; tensor counts.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conv2d } from '../../src/core/layers/conv2d';
import { convOutputSide, convTransposeOutputSide } from '../../src/core/layers/convGeometry';
import { ConvTranspose2d } from '../../src/core/layers/convTranspose2d';
import { VariableScope } from '../../src/core/layers/scope';
import { finiteDifferences } from './helpers/conv';
import { CONV_CASES, CONV_TRANSPOSE_CASES, caseData, lossOf, makeLayer, naiveLoss, naiveOutput, relativeError, runCase, type LayerCase } from './helpers/convCases';
import { TestRng } from './helpers/rng';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

const scope = new VariableScope('conv-test');
let layers = 0;
const nextPath = () => `layer${layers++}`;
afterAll(() => scope.dispose());

describe('conv sizes (PyTorch semantics)', () => {
  const w = { kernelSize: 4, stride: 2, padding: 1 };
  it('4×4 s2 p1 maps 28 → 14 → 7 and back, 32 → 16 → 8 and back', () => {
    expect([convOutputSide(28, w), convOutputSide(14, w), convOutputSide(32, w), convOutputSide(16, w)]).toEqual([14, 7, 16, 8]);
    expect([convTransposeOutputSide(7, w), convTransposeOutputSide(14, w), convTransposeOutputSide(8, w)]).toEqual([14, 28, 16]);
  });
  it('floors like PyTorch, and output padding picks the larger input', () => {
    expect(convOutputSide(7, w)).toBe(3);
    expect(convTransposeOutputSide(3, w)).toBe(6);
    expect(convTransposeOutputSide(3, w, 1)).toBe(7);
    expect(convOutputSide(11, { kernelSize: 5, stride: 3, padding: 2 })).toBe(4);
  });
});

describe('initialisation (PyTorch defaults, drawn in the documented order)', () => {
  it('Conv2d: U(±1/√(cIn·k·k)) in the order of PyTorch weight (cOut, cIn, k, k), then the bias', () => {
    const [cIn, cOut, k] = [3, 5, 4];
    const layer = new Conv2d({ inChannels: cIn, outChannels: cOut, kernelSize: k, stride: 2, padding: 1, activation: 'relu' }, new TestRng(7), { scope, path: 'init/conv' });
    const rng = new TestRng(7);
    const bound = 1 / Math.sqrt(cIn * k * k);
    const torchOrder = Array.from({ length: cOut * cIn * k * k }, () => (rng.next() * 2 - 1) * bound);
    const bias = Array.from({ length: cOut }, () => (rng.next() * 2 - 1) * bound);
    const kernel = layer.kernel.arraySync();
    expect(layer.kernel.shape).toEqual([k, k, cIn, cOut]);
    for (let o = 0; o < cOut; o++) for (let i = 0; i < cIn; i++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      expect(kernel[ky][kx][i][o]).toBeCloseTo(torchOrder[((o * cIn + i) * k + ky) * k + kx], 6);
    }
    Array.from(layer.bias.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(bias[j], 6));
    expect(Math.max(...torchOrder.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(scope.named.map((n) => n.path)).toEqual(expect.arrayContaining(['init/conv/kernel', 'init/conv/bias']));
  });

  it('ConvTranspose2d: fan-in cOut·k·k (from PyTorch weight (cIn, cOut, k, k)), drawn in that order', () => {
    const [cIn, cOut, k] = [6, 2, 3];
    const layer = new ConvTranspose2d({ inChannels: cIn, outChannels: cOut, kernelSize: k, stride: 2, padding: 1, activation: 'linear' }, new TestRng(9), { scope, path: 'init/convT' });
    const rng = new TestRng(9);
    const bound = 1 / Math.sqrt(cOut * k * k);
    const torchOrder = Array.from({ length: cIn * cOut * k * k }, () => (rng.next() * 2 - 1) * bound);
    const bias = Array.from({ length: cOut }, () => (rng.next() * 2 - 1) * bound);
    const kernel = layer.kernel.arraySync();
    expect(layer.kernel.shape).toEqual([k, k, cOut, cIn]);
    for (let i = 0; i < cIn; i++) for (let o = 0; o < cOut; o++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      expect(kernel[ky][kx][o][i]).toBeCloseTo(torchOrder[((i * cOut + o) * k + ky) * k + kx], 6);
    }
    Array.from(layer.bias.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(bias[j], 6));
    expect(Math.max(...torchOrder.map(Math.abs))).toBeGreaterThan(0.9 * bound);
  });

  it('refuses a window or an output padding that makes no sense', () => {
    const spec = { inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2, padding: 1, activation: 'linear' as const };
    expect(() => new Conv2d({ ...spec, stride: 0 }, new TestRng(1), { scope, path: 'bad/a' })).toThrow(/not a valid window/);
    expect(() => new ConvTranspose2d({ ...spec, outputPadding: 2 }, new TestRng(1), { scope, path: 'bad/b' })).toThrow(/output padding/);
  });
});

/** The tfjs formulation of a case, differentiated by tfjs's own conv gradients. */
function stockLayer(c: LayerCase, outShape: [number, number, number, number]): (x: tf.Tensor4D, k: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D {
  return (x, k, b) => {
    const conv = c.kind === 'conv' ? tf.conv2d(x, k, c.s, c.p) : tf.conv2dTranspose(x, k, outShape, c.s, c.p);
    const pre = tf.add(conv, b) as tf.Tensor4D;
    return c.activation === 'relu' ? tf.relu(pre) : pre;
  };
}

const TOLERANCE = 2e-5;

for (const c of [...CONV_CASES, ...CONV_TRANSPOSE_CASES]) {
  describe(`${c.kind === 'conv' ? 'Conv2d' : 'ConvTranspose2d'} on cpu: ${c.name}`, () => {
    it('output and gradients match the definition in float64 and its finite differences', () => {
      const layer = makeLayer(c, 11, scope, nextPath());
      const ours = runCase(c, layer, 12);
      const { x, r } = caseData(c, layer, 12);
      const kernel = Float64Array.from(ours.kernel);
      const bias = Float64Array.from(ours.bias);
      const y = naiveOutput(c, x, kernel, bias);
      expect(relativeError(ours.y, y.data)).toBeLessThan(TOLERANCE);
      // both activation branches are exercised
      if (c.activation === 'relu') {
        expect(ours.y.some((v) => v === 0)).toBe(true);
        expect(ours.y.some((v) => v > 0)).toBe(true);
      }
      const loss = () => naiveLoss(naiveOutput(c, x, kernel, bias).data, r);
      expect(relativeError(ours.dx, finiteDifferences(x.data, loss))).toBeLessThan(1e-4);
      expect(relativeError(ours.dKernel, finiteDifferences(kernel, loss))).toBeLessThan(1e-4);
      expect(relativeError(ours.dBias, finiteDifferences(bias, loss))).toBeLessThan(1e-4);
      expect(ours.dKernel.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    });

    it("equals tfjs's own conv ops and their gradients", () => {
      const layer = makeLayer(c, 21, scope, nextPath());
      const ours = runCase(c, layer, 22);
      const { x, r, outShape } = caseData(c, layer, 22);
      const stock = stockLayer(c, outShape);
      tf.tidy(() => {
        const xt = tf.tensor4d(Float32Array.from(x.data), x.shape);
        const rt = tf.tensor4d(Float32Array.from(r), outShape);
        const k = layer.kernel as tf.Tensor4D;
        const b = layer.bias as tf.Tensor1D;
        expect(relativeError(ours.y, stock(xt, k, b).dataSync())).toBeLessThan(TOLERANCE);
        const [dx, dk, db] = tf.grads((a: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) => lossOf(stock(a as tf.Tensor4D, kk as tf.Tensor4D, bb as tf.Tensor1D), rt))([xt, k, b]);
        expect(relativeError(ours.dx, dx.dataSync())).toBeLessThan(TOLERANCE);
        expect(relativeError(ours.dKernel, dk.dataSync())).toBeLessThan(TOLERANCE);
        expect(relativeError(ours.dBias, db.dataSync())).toBeLessThan(TOLERANCE);
      });
    });
  });
}

describe('conv layers without an input gradient (fed by data)', () => {
  for (const c of [CONV_CASES[0], CONV_TRANSPOSE_CASES[1]]) {
    it(`${c.kind}: the same kernel and bias gradients, and none for x`, () => {
      const full = makeLayer(c, 31, scope, nextPath());
      const first = makeLayer(c, 31, scope, nextPath(), false);
      const { x, r, outShape } = caseData(c, full, 32);
      tf.tidy(() => {
        const xt = tf.tensor4d(Float32Array.from(x.data), x.shape);
        const rt = tf.tensor4d(Float32Array.from(r), outShape);
        const a = tf.variableGrads(() => lossOf(full.call(xt), rt), full.variables);
        const b = tf.variableGrads(() => lossOf(first.call(xt), rt), first.variables);
        expect(relativeError(b.grads[first.kernel.name].dataSync(), a.grads[full.kernel.name].dataSync())).toBeLessThan(1e-6);
        expect(relativeError(b.grads[first.bias.name].dataSync(), a.grads[full.bias.name].dataSync())).toBeLessThan(1e-6);
        expect(() => tf.grad((t: tf.Tensor) => lossOf(first.call(t as tf.Tensor4D), rt))(xt)).toThrow();
      });
    });
  }
});

describe('tensor counts', () => {
  it('forward and backward leave no tensor behind, over repeated calls', () => {
    for (const c of [CONV_CASES[1], CONV_TRANSPOSE_CASES[1]]) {
      const layer = makeLayer(c, 41, scope, nextPath());
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) runCase(c, layer, 42 + i);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
