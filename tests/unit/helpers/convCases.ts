/**
 * The conv layers' test cases and one way to run them: build the layer from a seed, feed it a
 * seeded batch, and read back its output and the gradients of a fixed scalar loss
 *   L = Σ R ⊙ y + ½ Σ y²   (upstream gradient R + y: non-uniform, and depends on y)
 * with respect to x, the kernel and the bias. Run on any backend; everything read back is a copy.
 */
import * as tf from '@tensorflow/tfjs';
import { Conv2d } from '../../../src/core/layers/conv2d';
import { ConvTranspose2d } from '../../../src/core/layers/convTranspose2d';
import type { Activation } from '../../../src/core/layers/layer';
import { VariableScope } from '../../../src/core/layers/scope';
import { naiveConv2d, naiveConvTranspose2d, type Image } from './conv';
import { TestRng } from './rng';

export interface LayerCase {
  name: string;
  kind: 'conv' | 'convT';
  n: number;
  h: number;
  w: number;
  cIn: number;
  cOut: number;
  k: number;
  s: number;
  p: number;
  activation: Activation;
  /** Transposed only. */
  outputPadding?: number;
}

export const CONV_CASES: LayerCase[] = [
  { name: "conv-small's first layer on 8×8", kind: 'conv', n: 2, h: 8, w: 8, cIn: 1, cOut: 3, k: 4, s: 2, p: 1, activation: 'relu' },
  { name: 'odd side 7 → 3, many channels', kind: 'conv', n: 2, h: 7, w: 7, cIn: 5, cOut: 6, k: 4, s: 2, p: 1, activation: 'relu' },
  { name: '3×3 s1 p1, not square', kind: 'conv', n: 1, h: 9, w: 6, cIn: 3, cOut: 2, k: 3, s: 1, p: 1, activation: 'linear' },
  { name: '5×5 s3 p2', kind: 'conv', n: 2, h: 11, w: 10, cIn: 2, cOut: 3, k: 5, s: 3, p: 2, activation: 'relu' },
  { name: '1×1', kind: 'conv', n: 3, h: 5, w: 5, cIn: 6, cOut: 4, k: 1, s: 1, p: 0, activation: 'linear' },
  { name: '3×3 s2 p0, rows left over', kind: 'conv', n: 1, h: 6, w: 7, cIn: 4, cOut: 9, k: 3, s: 2, p: 0, activation: 'relu' },
];

export const CONV_TRANSPOSE_CASES: LayerCase[] = [
  { name: "conv-small's last layer, 4 → 8", kind: 'convT', n: 2, h: 4, w: 4, cIn: 3, cOut: 1, k: 4, s: 2, p: 1, activation: 'linear' },
  { name: '3 → 7 with output padding 1', kind: 'convT', n: 2, h: 3, w: 3, cIn: 5, cOut: 4, k: 4, s: 2, p: 1, activation: 'relu', outputPadding: 1 },
  { name: '3×3 s1 p1, not square', kind: 'convT', n: 1, h: 5, w: 3, cIn: 2, cOut: 3, k: 3, s: 1, p: 1, activation: 'relu' },
  { name: '5×5 s3 p2, output padding 2', kind: 'convT', n: 2, h: 3, w: 4, cIn: 3, cOut: 2, k: 5, s: 3, p: 2, activation: 'linear', outputPadding: 2 },
  { name: '1×1', kind: 'convT', n: 1, h: 4, w: 4, cIn: 4, cOut: 6, k: 1, s: 1, p: 0, activation: 'relu' },
  { name: '3×3 s2 p0', kind: 'convT', n: 1, h: 3, w: 3, cIn: 7, cOut: 5, k: 3, s: 2, p: 0, activation: 'relu' },
];

export type ConvLayer = Conv2d | ConvTranspose2d;

export function makeLayer(c: LayerCase, seed: number, scope: VariableScope, path: string, inputGrad = true): ConvLayer {
  const spec = { inChannels: c.cIn, outChannels: c.cOut, kernelSize: c.k, stride: c.s, padding: c.p, activation: c.activation };
  const rng = new TestRng(seed);
  return c.kind === 'conv' ? new Conv2d(spec, rng, { scope, path }, inputGrad) : new ConvTranspose2d({ ...spec, outputPadding: c.outputPadding ?? 0 }, rng, { scope, path }, inputGrad);
}

/** The case's input x and loss weights R (R has the output's shape), seeded. */
export function caseData(c: LayerCase, layer: ConvLayer, seed: number): { x: Image; r: Float64Array; outShape: [number, number, number, number] } {
  const rng = new TestRng(seed);
  const shape: [number, number, number, number] = [c.n, c.h, c.w, c.cIn];
  const x = Float64Array.from(rng.normals(shape.reduce((a, b) => a * b, 1)), Math.fround);
  const [ho, wo] = layer.outputSize([c.h, c.w]);
  const outShape: [number, number, number, number] = [c.n, ho, wo, c.cOut];
  const r = Float64Array.from(rng.normals(outShape.reduce((a, b) => a * b, 1)), Math.fround);
  return { x: { data: x, shape }, r, outShape };
}

/** The float64 reference output of the case for given values of x, kernel and bias. */
export function naiveOutput(c: LayerCase, x: Image, kernel: ArrayLike<number>, bias: ArrayLike<number>): Image {
  const window = { k: c.k, s: c.s, p: c.p };
  const relu = c.activation === 'relu';
  return c.kind === 'conv' ? naiveConv2d(x, kernel, bias, c.cOut, window, relu) : naiveConvTranspose2d(x, kernel, bias, c.cOut, window, c.outputPadding ?? 0, relu);
}

export function naiveLoss(y: Float64Array, r: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += r[i] * y[i] + 0.5 * y[i] * y[i];
  return sum;
}

export function lossOf(y: tf.Tensor, r: tf.Tensor): tf.Scalar {
  return tf.add(tf.sum(tf.mul(r, y)), tf.mul(0.5, tf.sum(tf.square(y)))) as tf.Scalar;
}

export interface CaseResult {
  y: Float32Array;
  dx: Float32Array;
  dKernel: Float32Array;
  dBias: Float32Array;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The layer's output and gradients on the current backend. */
export function runCase(c: LayerCase, layer: ConvLayer, seed: number): CaseResult {
  const { x, r, outShape } = caseData(c, layer, seed);
  return tf.tidy(() => {
    const xt = tf.tensor4d(Float32Array.from(x.data), x.shape);
    const rt = tf.tensor4d(Float32Array.from(r), outShape);
    const y = layer.call(xt);
    const [dx, dKernel, dBias] = tf.grads((a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => {
      void k;
      void b;
      return lossOf(layer.call(a as tf.Tensor4D), rt);
    })([xt, layer.kernel, layer.bias]);
    const read = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);
    return { y: read(y), dx: read(dx), dKernel: read(dKernel), dBias: read(dBias), kernel: read(layer.kernel), bias: read(layer.bias) };
  });
}

/** max |a − e| ≤ tolerance · max(1, max |e|) (equal lengths, all finite); the worst index on failure. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 1;
  let error = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    const e = Math.abs(actual[i] - expected[i]);
    if (!Number.isFinite(actual[i])) return Infinity;
    error = Math.max(error, e);
  }
  return error / scale;
}
