/**
 * The conv layers on the wasm backend with our kernels (src/kernels/assembly/conv.ts via
 * convKernels.ts, and the GEMM): the kernels against their JavaScript reference, col2im as
 * im2col's adjoint, the JavaScript fallback, and the layers' output and gradients against the
 * float64 definition and against the same layers on the cpu backend; no stock conv kernel runs,
 * tensor counts stay flat. Node: tfjs-wasm's single-threaded build, the plain-SIMD variant.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchKernelsActive } from '../../src/core/layers/patchKernels';
import { VariableScope } from '../../src/core/layers/scope';
import { convKernelConfigs } from '../../src/kernels/convKernels';
import { biasGradInto, col2imInto, im2colInto, patchColumns, patchRows } from '../../src/kernels/convReference';
import { BIAS_GRAD_KERNEL, COL2IM_KERNEL, IM2COL_KERNEL, RELU_BIAS_GRAD_KERNEL, type PatchGeometry } from '../../src/kernels/names';
import { uninstallWasmMatMul } from '../../src/kernels/tfjsKernels';
import { CONV_CASES, CONV_TRANSPOSE_CASES, caseData, makeLayer, naiveOutput, relativeError, runCase, type CaseResult } from './helpers/convCases';
import { installKernels } from './helpers/kernels';
import { TestRng } from './helpers/rng';

const CASES = [...CONV_CASES, ...CONV_TRANSPOSE_CASES];
/** Each case's results on the cpu backend, computed before switching to wasm. */
const onCpu = new Map<string, CaseResult>();
const scope = new VariableScope('conv-wasm-test');
let paths = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const c of CASES) {
    const cpuScope = new VariableScope('conv-cpu');
    onCpu.set(c.name + c.kind, runCase(c, makeLayer(c, 51, cpuScope, 'layer'), 52));
    cpuScope.dispose();
  }
  await tf.setBackend('wasm');
  await tf.ready();
  await installKernels();
});

afterAll(() => {
  scope.dispose();
  uninstallWasmMatMul();
});

// geometries with padding, strides that skip pixels, odd sides, one and many channels
const GEOMETRIES: PatchGeometry[] = [
  { batch: 2, height: 8, width: 8, channels: 1, kernelHeight: 4, kernelWidth: 4, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, gridHeight: 4, gridWidth: 4 },
  { batch: 1, height: 7, width: 5, channels: 6, kernelHeight: 3, kernelWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1, gridHeight: 7, gridWidth: 5 },
  { batch: 3, height: 11, width: 9, channels: 3, kernelHeight: 5, kernelWidth: 5, strideHeight: 3, strideWidth: 3, padTop: 2, padLeft: 2, gridHeight: 4, gridWidth: 3 },
  { batch: 2, height: 6, width: 7, channels: 16, kernelHeight: 2, kernelWidth: 3, strideHeight: 3, strideWidth: 2, padTop: 0, padLeft: 1, gridHeight: 2, gridWidth: 4 },
  { batch: 2, height: 9, width: 9, channels: 8, kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, gridHeight: 5, gridWidth: 5 },
  // a stride wider than the kernel: pixels no patch touches
  { batch: 1, height: 8, width: 8, channels: 2, kernelHeight: 2, kernelWidth: 2, strideHeight: 3, strideWidth: 3, padTop: 0, padLeft: 0, gridHeight: 3, gridWidth: 3 },
];

function randoms(n: number, seed: number): Float32Array {
  return Float32Array.from(new TestRng(seed).normals(n));
}

describe('conv kernels on wasm', () => {
  it('are registered with the GEMM', () => {
    for (const name of [IM2COL_KERNEL, COL2IM_KERNEL, BIAS_GRAD_KERNEL, RELU_BIAS_GRAD_KERNEL]) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    expect(patchKernelsActive()).toBe(true);
  });

  it.each(GEOMETRIES.map((g, i) => [i, g] as const))('im2col and col2im (bias, ReLU) equal the JavaScript reference exactly: geometry %i', (i, g) => {
    const image = randoms(g.batch * g.height * g.width * g.channels, 100 + i);
    const patches = randoms(patchRows(g) * patchColumns(g), 200 + i);
    const bias = randoms(g.channels, 300 + i);
    const expectedPatches = new Float32Array(patches.length);
    im2colInto(image, expectedPatches, g);
    const expectedImage = new Float32Array(image.length);
    col2imInto(patches, bias, expectedImage, g, true);
    tf.tidy(() => {
      const p = tf.engine().runKernel(IM2COL_KERNEL, { image: tf.tensor4d(image, [g.batch, g.height, g.width, g.channels]) }, { ...g }) as tf.Tensor;
      expect(p.shape).toEqual([patchRows(g), patchColumns(g)]);
      expect(Array.from(p.dataSync())).toEqual(Array.from(expectedPatches));
      const inputs = { patches: tf.tensor2d(patches, [patchRows(g), patchColumns(g)]), bias: tf.tensor1d(bias) };
      const im = tf.engine().runKernel(COL2IM_KERNEL, inputs, { ...g, activation: 'relu' }) as tf.Tensor;
      expect(im.shape).toEqual([g.batch, g.height, g.width, g.channels]);
      expect(Array.from(im.dataSync())).toEqual(Array.from(expectedImage));
      expect(expectedImage.some((v) => v === 0) && expectedImage.some((v) => v > 0)).toBe(true);
    });
  });

  it('col2im is the adjoint of im2col: ⟨im2col(x), P⟩ = ⟨x, col2im(P)⟩', () => {
    for (const [i, g] of GEOMETRIES.entries()) {
      const image = randoms(g.batch * g.height * g.width * g.channels, 400 + i);
      const patches = randoms(patchRows(g) * patchColumns(g), 500 + i);
      const [left, right] = tf.tidy(() => {
        const p = tf.engine().runKernel(IM2COL_KERNEL, { image: tf.tensor4d(image, [g.batch, g.height, g.width, g.channels]) }, { ...g }) as tf.Tensor;
        const im = tf.engine().runKernel(COL2IM_KERNEL, { patches: tf.tensor2d(patches, [patchRows(g), patchColumns(g)]) }, { ...g, activation: 'linear' }) as tf.Tensor;
        return [tf.sum(tf.mul(p, tf.tensor(patches, p.shape))).dataSync()[0], tf.sum(tf.mul(im, tf.tensor(image, im.shape))).dataSync()[0]];
      });
      expect(Math.abs(left - right)).toBeLessThan(1e-4 * Math.max(1, Math.abs(left)));
    }
  });

  it.each([1, 3, 16, 33])('bias gradients, %i columns: sums over rows, with and without the ReLU mask', (cols) => {
    const rows = 257;
    const dy = randoms(rows * cols, cols);
    const y = randoms(rows * cols, cols + 1).map((v, i) => (i % 7 === 0 ? 0 : v));
    const g = new Float32Array(dy.length);
    const dbRelu = new Float32Array(cols);
    const db = new Float32Array(cols);
    biasGradInto(dy, y, g, dbRelu, cols);
    biasGradInto(dy, null, null, db, cols);
    tf.tidy(() => {
      const [gOut, dbOut] = tf.engine().runKernel(RELU_BIAS_GRAD_KERNEL, { dy: tf.tensor2d(dy, [rows, cols]), y: tf.tensor2d(y, [rows, cols]) }) as tf.Tensor[];
      expect(Array.from(gOut.dataSync())).toEqual(Array.from(g));
      expect(relativeError(dbOut.dataSync(), dbRelu)).toBeLessThan(1e-6);
      const plain = tf.engine().runKernel(BIAS_GRAD_KERNEL, { dy: tf.tensor3d(dy, [1, rows, cols]) }) as tf.Tensor;
      expect(plain.shape).toEqual([cols]);
      expect(relativeError(plain.dataSync(), db)).toBeLessThan(1e-6);
      expect(relativeError(plain.dataSync(), tf.sum(tf.tensor2d(dy, [rows, cols]), 0).dataSync())).toBeLessThan(1e-5);
    });
  });

  it('the JavaScript fallback (a wasm backend our module is not on) gives the same', () => {
    const byName = new Map(convKernelConfigs(() => null).map((k) => [k.kernelName, k]));
    const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] => {
      const out = byName.get(name)!.kernelFunc({ inputs, attrs, backend: tf.backend() });
      return (Array.isArray(out) ? out : [out]).map((info) => tf.engine().makeTensorFromTensorInfo(info));
    };
    const g = GEOMETRIES[2];
    tf.tidy(() => {
      const image = tf.tensor4d(randoms(g.batch * g.height * g.width * g.channels, 600), [g.batch, g.height, g.width, g.channels]);
      const patches = tf.tensor2d(randoms(patchRows(g) * patchColumns(g), 601), [patchRows(g), patchColumns(g)]);
      const bias = tf.tensor1d(randoms(g.channels, 602));
      const same = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) => {
        const fast = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];
        const slow = run(name, inputs, attrs);
        (Array.isArray(fast) ? fast : [fast]).forEach((t, i) => expect(relativeError(slow[i].dataSync(), t.dataSync())).toBeLessThan(1e-6));
      };
      same(IM2COL_KERNEL, { image }, { ...g });
      same(COL2IM_KERNEL, { patches, bias }, { ...g, activation: 'relu' });
      same(RELU_BIAS_GRAD_KERNEL, { dy: patches, y: tf.neg(patches) });
      same(BIAS_GRAD_KERNEL, { dy: patches });
    });
  });

  it('refuse inputs that do not fit the geometry', () => {
    const g = GEOMETRIES[0];
    tf.tidy(() => {
      expect(() => tf.engine().runKernel(IM2COL_KERNEL, { image: tf.zeros([2, 8, 7, 1]) }, { ...g })).toThrow(/image must be float32/);
      expect(() => tf.engine().runKernel(IM2COL_KERNEL, { image: tf.zeros([2, 8, 8, 1]) }, { ...g, strideHeight: 0 })).toThrow(/strideHeight/);
      expect(() => tf.engine().runKernel(COL2IM_KERNEL, { patches: tf.zeros([32, 15]) }, { ...g, activation: 'linear' })).toThrow(/patches must be/);
    });
  });
});

const STOCK_CONV_KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];

for (const c of CASES) {
  describe(`${c.kind === 'conv' ? 'Conv2d' : 'ConvTranspose2d'} on wasm: ${c.name}`, () => {
    it('equals the float64 definition and the cpu backend (output, input, kernel and bias gradients), on our kernels only', async () => {
      const layer = makeLayer(c, 51, scope, `layer${paths++}`);
      const profile = await tf.profile(() => {
        runCase(c, layer, 52);
      });
      expect(profile.kernelNames.filter((k) => STOCK_CONV_KERNELS.includes(k))).toEqual([]);
      expect(profile.kernelNames).toEqual(expect.arrayContaining([IM2COL_KERNEL, COL2IM_KERNEL]));
      const ours = runCase(c, layer, 52);
      const cpu = onCpu.get(c.name + c.kind)!;
      const { x } = caseData(c, layer, 52);
      expect(relativeError(ours.y, naiveOutput(c, x, ours.kernel, ours.bias).data)).toBeLessThan(2e-5);
      expect(ours.kernel).toEqual(cpu.kernel);
      for (const key of ['y', 'dx', 'dKernel', 'dBias'] as const) expect(relativeError(ours[key], cpu[key]), key).toBeLessThan(2e-5);
    });
  });
}

describe('conv layers on wasm: tensors', () => {
  it('forward and backward leave no tensor behind, over repeated calls', () => {
    for (const c of [CONV_CASES[0], CONV_CASES[1], CONV_TRANSPOSE_CASES[0], CONV_TRANSPOSE_CASES[1]]) {
      const layer = makeLayer(c, 61, scope, `layer${paths++}`);
      runCase(c, layer, 62);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) runCase(c, layer, 63 + i);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it("without our kernels conv layers still train on wasm (tfjs-wasm has no Conv2DBackpropFilter: the filter gradient is a dilated convolution), with the same gradients", async () => {
    const cases = [CONV_CASES[1], CONV_TRANSPOSE_CASES[1]];
    const layers = cases.map((c) => makeLayer(c, 81, scope, `layer${paths++}`));
    const withOurs = cases.map((c, i) => runCase(c, layers[i], 82));
    uninstallWasmMatMul();
    expect(patchKernelsActive()).toBe(false);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    const stock = cases.map((c, i) => runCase(c, layers[i], 82));
    await installKernels();
    stock.forEach((result, i) => {
      for (const key of ['y', 'dx', 'dKernel', 'dBias'] as const) expect(relativeError(result[key], withOurs[i][key]), key).toBeLessThan(2e-5);
    });
  });
});
