/**
 * The convolutions' data movement as tfjs-wasm kernels (names.ts: IM2COL_KERNEL, COL2IM_KERNEL,
 * BIAS_GRAD_KERNEL, RELU_BIAS_GRAD_KERNEL), working on tfjs's heap like the GEMM: inputs are
 * read at the tensors' memory offsets, outputs are tensors the backend allocates. With the
 * GEMM's matMul kernels they are all a convolution layer needs on wasm, forward and backward
 * (tfjs-wasm 4.22 has no Conv2DBackpropFilter, and its Conv2DBackpropInput is a scalar loop).
 * On a wasm backend our module is not instantiated on (a later one), the same loops run in
 * JavaScript on that backend's heap (convReference.ts).
 *
 * Why not tfjs-wasm's own forward kernels where it has them: its Conv2D (XNNPACK) runs on one
 * thread next to our GEMM (the app gives tfjs-wasm one thread: src/worker/backend.ts) and
 * measured slower than im2col + GEMM on two (conv-small's conv2: 3.5 vs 1.2 ms at batch 128),
 * and its Conv2DBackpropInput, the transposed convolution's forward pass, is a scalar loop
 * (38 ms vs 1.3). scripts/bench-conv.mjs prints both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { col2imInto, biasGradInto, geometryArgs, im2colInto, patchColumns, patchRows } from './convReference';
import { BIAS_GRAD_KERNEL, COL2IM_KERNEL, IM2COL_KERNEL, RELU_BIAS_GRAD_KERNEL, type Col2ImAttrs, type PatchGeometry } from './names';
import { heapView, isWasmBackend, offsetOn, size, type WasmBackendLike } from './wasmBackend';

type Geometry12 = [number, number, number, number, number, number, number, number, number, number, number, number];

/**
 * What the kernels run on our module's heap (assembly/conv.ts's functions: pointers first, then
 * the geometry); tfjsKernels.ts hands in im2col and col2im wrapped so that the GEMM's helper
 * thread shares them (runner.ts runPatches).
 */
export interface ConvExports {
  im2col(image: number, patches: number, ...geometry: Geometry12): void;
  col2im(patches: number, bias: number, image: number, ...geometryAndRelu: [...Geometry12, number]): void;
  biasGrad(dy: number, y: number, g: number, db: number, rows: number, cols: number): void;
}

export function convExports(instance: WebAssembly.Instance): ConvExports {
  const { im2col, col2im, biasGrad } = instance.exports;
  if (typeof im2col !== 'function' || typeof col2im !== 'function' || typeof biasGrad !== 'function') {
    throw new Error('the GEMM module has no conv kernels (rebuild: npm run build-kernels)');
  }
  return { im2col, col2im, biasGrad } as unknown as ConvExports;
}

export const CONV_KERNEL_NAMES = [IM2COL_KERNEL, COL2IM_KERNEL, BIAS_GRAD_KERNEL, RELU_BIAS_GRAD_KERNEL] as const;

/** Our module's exports when it runs on this backend's heap, else null (the JavaScript loops). */
export type ConvExportsFor = (backend: WasmBackendLike) => ConvExports | null;

type KernelArgs = Parameters<tf.KernelFunc>[0];

const GEOMETRY_KEYS = [
  'batch', 'height', 'width', 'channels', 'kernelHeight', 'kernelWidth', 'strideHeight', 'strideWidth', 'padTop', 'padLeft', 'gridHeight', 'gridWidth',
] as const satisfies readonly (keyof PatchGeometry)[];

/** The geometry of a kernel's attrs, checked: positive sizes, non-negative padding. */
function geometryOf(kernel: string, attrs: KernelArgs['attrs']): PatchGeometry {
  const g = {} as Record<(typeof GEOMETRY_KEYS)[number], number>;
  for (const key of GEOMETRY_KEYS) {
    const v = attrs?.[key];
    const least = key === 'padTop' || key === 'padLeft' ? 0 : 1;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < least) throw new Error(`${kernel}: attr ${key} must be an integer ≥ ${least}, got ${String(v)}`);
    g[key] = v;
  }
  return g;
}

function wasmBackendOf(kernel: string, backend: unknown): WasmBackendLike {
  if (!isWasmBackend(backend)) throw new Error(`${kernel}: not a wasm backend`);
  return backend;
}

function expectFloat32(kernel: string, name: string, t: tf.TensorInfo | undefined, shape: number[]): tf.TensorInfo {
  if (!t || t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, shape)) {
    throw new Error(`${kernel}: ${name} must be float32 [${shape.join(', ')}], got ${t ? `${t.dtype} [${t.shape.join(', ')}]` : 'nothing'}`);
  }
  return t;
}

export function convKernelConfigs(exportsFor: ConvExportsFor): tf.KernelConfig[] {
  /** image [n, h, w, c] → patches [n·gh·gw, kh·kw·c] */
  const im2col = ({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo => {
    const b = wasmBackendOf(IM2COL_KERNEL, backend);
    const g = geometryOf(IM2COL_KERNEL, attrs);
    const image = expectFloat32(IM2COL_KERNEL, 'image', inputs.image, [g.batch, g.height, g.width, g.channels]);
    const out = b.makeOutput([patchRows(g), patchColumns(g)], 'float32');
    if (size(out) === 0) return out;
    const fast = exportsFor(b);
    if (fast) fast.im2col(offsetOn(b, image), offsetOn(b, out), ...geometryArgs(g));
    else im2colInto(heapView(b, image), heapView(b, out), g);
    return out;
  };

  /** patches [n·gh·gw, kh·kw·c] (+ bias [c]) → image [n, h, w, c], activation applied */
  const col2im = ({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo => {
    const b = wasmBackendOf(COL2IM_KERNEL, backend);
    const g = geometryOf(COL2IM_KERNEL, attrs);
    const activation = (attrs as unknown as Partial<Col2ImAttrs> | undefined)?.activation ?? 'linear';
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`${COL2IM_KERNEL}: activation must be linear or relu`);
    const patches = expectFloat32(COL2IM_KERNEL, 'patches', inputs.patches, [patchRows(g), patchColumns(g)]);
    const bias = inputs.bias ? expectFloat32(COL2IM_KERNEL, 'bias', inputs.bias, [g.channels]) : null;
    const out = b.makeOutput([g.batch, g.height, g.width, g.channels], 'float32');
    if (size(out) === 0) return out;
    const relu = activation === 'relu';
    const fast = exportsFor(b);
    if (fast) fast.col2im(offsetOn(b, patches), bias ? offsetOn(b, bias) : 0, offsetOn(b, out), ...geometryArgs(g), relu ? 1 : 0);
    else col2imInto(heapView(b, patches), bias ? heapView(b, bias) : null, heapView(b, out), g, relu);
    return out;
  };

  /** The shared part of both bias gradients: dy [..., c] (and y of its shape) → db [c] (and g). */
  const biasGrad = (kernel: string, { inputs, backend }: KernelArgs, relu: boolean): tf.TensorInfo[] => {
    const b = wasmBackendOf(kernel, backend);
    const { dy } = inputs;
    if (!dy || dy.dtype !== 'float32' || dy.shape.length < 1) throw new Error(`${kernel}: dy must be float32 of rank ≥ 1`);
    const y = relu ? expectFloat32(kernel, 'y', inputs.y, [...dy.shape]) : null;
    const cols = dy.shape[dy.shape.length - 1];
    const rows = cols === 0 ? 0 : size(dy) / cols;
    const g = y ? b.makeOutput([...dy.shape], 'float32') : null;
    const db = b.makeOutput([cols], 'float32');
    const outputs = g ? [g, db] : [db];
    if (cols === 0) return outputs;
    const fast = exportsFor(b);
    if (fast) {
      fast.biasGrad(offsetOn(b, dy), y ? offsetOn(b, y) : 0, g ? offsetOn(b, g) : 0, offsetOn(b, db), rows, cols);
    } else {
      biasGradInto(heapView(b, dy), y ? heapView(b, y) : null, g ? heapView(b, g) : null, heapView(b, db), cols);
    }
    return outputs;
  };

  return [
    { kernelName: IM2COL_KERNEL, backendName: 'wasm', kernelFunc: im2col },
    { kernelName: COL2IM_KERNEL, backendName: 'wasm', kernelFunc: col2im },
    { kernelName: BIAS_GRAD_KERNEL, backendName: 'wasm', kernelFunc: (args) => biasGrad(BIAS_GRAD_KERNEL, args, false)[0] },
    { kernelName: RELU_BIAS_GRAD_KERNEL, backendName: 'wasm', kernelFunc: (args) => biasGrad(RELU_BIAS_GRAD_KERNEL, args, true) },
  ];
}
