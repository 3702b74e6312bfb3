/**
 * Our GEMM as tfjs-wasm's BatchMatMul and _FusedMatMul kernels, working in place on tfjs-wasm's
 * heap: inputs are read at the tensors' memory offsets, the output is a tensor the backend
 * allocates. What the GEMM does not cover (a real batch, other dtypes, other activations, odd
 * bias shapes) goes to the kernels we replaced.
 *
 * Why: on this model's shapes XNNPACK reaches ~26 GFLOP/s per thread in Chromium and tfjs-wasm
 * sends transposed operands down a slow scalar loop; ours measured ~47 GFLOP/s per thread with
 * relaxed SIMD (~38 without), ~80 on two threads, and a transposed operand costs nothing (it is
 * read transposed while packing), so the dense layers need no explicit tf.transpose.
 *
 * The same module also provides Adam's update as one kernel (FUSED_ADAM_KERNEL, see
 * src/core/adam.ts): one SIMD pass over θ, g, m, v writing θ', m', v' to three new outputs,
 * instead of ~12 element-wise tfjs ops per parameter. And the Bernoulli reconstruction NLL
 * (per-row sums forward, (σ(l) − x)·dy backward: src/core/losses.ts) and ReLU's backward
 * (src/core/dense.ts) as one SIMD pass each instead of ~8, ~10 and 2 element-wise ops. And the
 * convolutions' im2col, col2im and bias gradients (convKernels.ts), which with the GEMM train
 * conv layers on wasm, where tfjs-wasm has no Conv2DBackpropFilter. Its Identity (tf.clone) is
 * replaced by one that shares the data instead of copying it (sharedIdentity).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BERNOULLI_NLL_GRAD_KERNEL, BERNOULLI_NLL_KERNEL, FUSED_ADAM_KERNEL, RELU_GRAD_KERNEL, TRANSPOSE_FREE_MATMUL, type FusedAdamAttrs } from './names';
import { CONTROL_WORDS, gemmExports, PatchMode, RELU, TRANS_A, TRANS_B, type PatchJob } from './control';
import { CONV_KERNEL_NAMES, convExports, convKernelConfigs, type ConvExports } from './convKernels';
import { GemmRunner, type HelperLink } from './runner';
import { heapMemory, heapView, isWasmBackend, offsetOn, size, type WasmBackendLike } from './wasmBackend';

export type GemmVariant = 'gemm-relaxed-shared' | 'gemm-relaxed-private' | 'gemm-simd-shared' | 'gemm-simd-private';

/** A compiled variant (scripts/build-kernels.mjs), ready to be instantiated on tfjs-wasm's heap. */
export interface GemmModule {
  module: WebAssembly.Module;
  relaxed: boolean;
  /** For a shared heap (tfjs-wasm's threaded build) or an unshared one. */
  shared: boolean;
}

/** Starts the helper thread on a shared heap. */
export type StartHelper = (module: WebAssembly.Module, memory: WebAssembly.Memory, control: number) => Promise<HelperLink>;

/**
 * The fastest variant this engine accepts: relaxed SIMD where it validates (Chromium), plain
 * SIMD otherwise (Node 20). Throws without SIMD. Needs no backend: it can run before tfjs-wasm
 * starts, which then knows whether it needs threads of its own.
 */
export async function compileGemm(shared: boolean, load: (variant: GemmVariant) => Promise<BufferSource>): Promise<GemmModule> {
  const kind = shared ? 'shared' : 'private';
  for (const variant of [`gemm-relaxed-${kind}`, `gemm-simd-${kind}`] as const) {
    const bytes = await load(variant);
    if (WebAssembly.validate(bytes)) return { module: await WebAssembly.compile(bytes), relaxed: variant.startsWith('gemm-relaxed'), shared };
  }
  throw new Error('no WebAssembly SIMD');
}

const KERNELS = ['BatchMatMul', '_FusedMatMul', 'Identity'] as const;

/** The module's fused Adam update (src/kernels/assembly/adam.ts). */
type AdamUpdateFn = (
  theta: number, grad: number, m: number, v: number, thetaOut: number, mOut: number, vOut: number, n: number,
  beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, epsilon: number, stepSize: number,
) => void;

/** The module's element-wise kernels (src/kernels/assembly/elementwise.ts). */
type BernoulliNllRowsFn = (logits: number, x: number, out: number, rows: number, cols: number) => void;
type BernoulliNllGradFn = (logits: number, x: number, dy: number, out: number, rows: number, cols: number) => void;
type ReluGradFn = (dy: number, y: number, out: number, n: number) => void;

interface Installed {
  backend: WasmBackendLike;
  runner: GemmRunner;
  adamUpdate: AdamUpdateFn;
  bernoulliNllRows: BernoulliNllRowsFn;
  bernoulliNllGrad: BernoulliNllGradFn;
  reluGrad: ReluGradFn;
  conv: ConvExports;
  /** The helper's control block (0: no helper). */
  control: number;
  originals: Map<string, tf.KernelConfig>;
  description: string;
}

let installed: Installed | null = null;

/** True when matMuls on the current backend run on our GEMM (transposed operands are then free). */
export function wasmMatMulActive(): boolean {
  return installed !== null && tf.getBackend() === 'wasm' && tf.backend() === (installed.backend as unknown);
}

/**
 * Replace the wasm backend's matMul kernels (and its Identity: sharedIdentity) with ours, and add
 * our other kernels. Call after tf.setBackend('wasm'); with a
 * shared heap and startHelper the GEMM runs on two threads. Returns a one-line description and
 * the GEMM's thread count; throws when it cannot (the stock kernels then stay).
 */
export async function installWasmMatMul(gemm: GemmModule, startHelper?: StartHelper): Promise<{ description: string; threads: number }> {
  const backend: unknown = tf.getBackend() === 'wasm' ? tf.backend() : null;
  if (!isWasmBackend(backend)) throw new Error('the wasm backend is not active');
  if (installed?.backend === backend) return { description: installed.description, threads: installed.runner.threads };
  uninstallWasmMatMul();
  const memory = heapMemory(backend);
  if (!memory) throw new Error("tfjs-wasm's memory is not reachable");
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  if (shared !== gemm.shared) throw new Error(`compiled for ${gemm.shared ? 'a shared' : 'an unshared'} heap`);
  const originals = new Map<string, tf.KernelConfig>();
  for (const name of KERNELS) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) throw new Error(`tfjs-wasm has no ${name} kernel`);
    originals.set(name, original);
  }
  const instance = await WebAssembly.instantiate(gemm.module, { env: { memory } });
  const exports = gemmExports(instance);
  const adamUpdate = instance.exports.adamUpdate;
  if (typeof adamUpdate !== 'function') throw new Error('the GEMM module has no adamUpdate');
  const { bernoulliNllRows, bernoulliNllGrad, reluGrad } = instance.exports;
  if (typeof bernoulliNllRows !== 'function' || typeof bernoulliNllGrad !== 'function' || typeof reluGrad !== 'function') {
    throw new Error('the GEMM module has no element-wise kernels (rebuild: npm run build-kernels)');
  }
  // im2col and col2im go through the runner, which shares them with the helper by whole images
  const { biasGrad } = convExports(instance);
  const heap = { malloc: (bytes: number) => backend.wasm._malloc(bytes), free: (p: number) => backend.wasm._free(p) };
  const runner = new GemmRunner(exports, heap);

  let control = 0;
  let threadNote = '';
  if (shared && startHelper) {
    control = backend.wasm._malloc(CONTROL_WORDS * 4) >>> 0;
    new Int32Array(memory.buffer, control, CONTROL_WORDS).fill(0);
    try {
      runner.attachHelper(await startHelper(gemm.module, memory, control));
    } catch (e) {
      backend.wasm._free(control);
      control = 0;
      threadNote = ` (no helper thread: ${e instanceof Error ? e.message : String(e)})`;
    }
  }

  const description = `own ${gemm.relaxed ? 'relaxed-SIMD' : 'SIMD'} GEMM, ${runner.threads} thread${runner.threads > 1 ? 's' : ''}${threadNote}`;
  installed = {
    backend,
    runner,
    adamUpdate: adamUpdate as AdamUpdateFn,
    bernoulliNllRows: bernoulliNllRows as BernoulliNllRowsFn,
    bernoulliNllGrad: bernoulliNllGrad as BernoulliNllGradFn,
    reluGrad: reluGrad as ReluGradFn,
    conv: {
      im2col: (image, patches, n, h, w, c, kh, kw, sh, sw, pt, pl, gh, gw) => runner.runPatches(patchJob(PatchMode.Im2col, image, patches, 0, 0, [n, h, w, c, kh, kw, sh, sw, pt, pl, gh, gw])),
      col2im: (patches, bias, image, n, h, w, c, kh, kw, sh, sw, pt, pl, gh, gw, relu) => runner.runPatches(patchJob(PatchMode.Col2im, image, patches, bias, relu, [n, h, w, c, kh, kw, sh, sw, pt, pl, gh, gw])),
      biasGrad,
    },
    control,
    originals,
    description,
  };
  for (const [name, original] of originals) {
    tf.unregisterKernel(name, 'wasm');
    // setupFunc/disposeFunc stay the original's: a later wasm backend still sets up the fallback.
    const kernelFunc: tf.KernelFunc = name === 'Identity' ? (args) => sharedIdentity(original, args) : (args) => matMulKernel(name, original, args);
    tf.registerKernel({ ...original, kernelFunc });
  }
  tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName: 'wasm', kernelFunc: fusedAdamKernel });
  tf.registerKernel({ kernelName: BERNOULLI_NLL_KERNEL, backendName: 'wasm', kernelFunc: bernoulliNllKernel });
  tf.registerKernel({ kernelName: BERNOULLI_NLL_GRAD_KERNEL, backendName: 'wasm', kernelFunc: bernoulliNllGradKernel });
  tf.registerKernel({ kernelName: RELU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: reluGradKernel });
  for (const config of convKernelConfigs((b) => (installed && b === installed.backend ? installed.conv : null))) tf.registerKernel(config);
  // a marker, never run: tells dense.ts that transposed operands cost nothing now
  tf.registerKernel({
    kernelName: TRANSPOSE_FREE_MATMUL,
    backendName: 'wasm',
    kernelFunc: () => {
      throw new Error(`${TRANSPOSE_FREE_MATMUL} is a marker, not a kernel`);
    },
  });
  return { description, threads: runner.threads };
}

/** Put tfjs-wasm's own kernels back and free what we allocated. */
export function uninstallWasmMatMul(): void {
  if (!installed) return;
  for (const [name, original] of installed.originals) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
  }
  for (const name of [FUSED_ADAM_KERNEL, BERNOULLI_NLL_KERNEL, BERNOULLI_NLL_GRAD_KERNEL, RELU_GRAD_KERNEL, TRANSPOSE_FREE_MATMUL, ...CONV_KERNEL_NAMES]) tf.unregisterKernel(name, 'wasm');
  installed.runner.dispose(); // terminates the helper first: then its control block can go
  if (installed.control) installed.backend.wasm._free(installed.control);
  installed = null;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** A patch job for the runner from the wasm functions' argument order (convKernels.ts). */
function patchJob(mode: PatchMode, image: number, patches: number, bias: number, relu: number, g: number[]): Omit<PatchJob, 'chunkImages' | 'chunks'> {
  const [batch, height, width, channels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, gridHeight, gridWidth] = g;
  return { mode, image, patches, bias, relu, batch, height, width, channels, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, gridHeight, gridWidth };
}

/**
 * tf.clone as the cpu and webgl backends do it, and tfjs-wasm's own Reshape: a new tensor on the
 * same data. tfjs-wasm's Identity copies, and tfjs clones every tensor a gradient function saves
 * (Engine.saveTensorsForBackwardMode), so each training step copied every saved activation and
 * weight again (the conv layers' patches alone are 6.4 MB). Sharing is safe because tensors are
 * immutable: no kernel, ours or tfjs-wasm's, writes into an input, and Variable.assign swaps data.
 */
function sharedIdentity(original: tf.KernelConfig, args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { x } = args.inputs;
  if (!x || x.dtype === 'string' || !isWasmBackend(args.backend)) return original.kernelFunc(args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function matMulKernel(name: string, original: tf.KernelConfig, args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const out = installed && args.backend === (installed.backend as unknown) ? tryGemm(installed, name === '_FusedMatMul', args) : null;
  return out ?? original.kernelFunc(args);
}

/** Leading (batch) dimensions must all be 1: the GEMM does one product. */
function batchOfOne(shape: number[]): boolean {
  return shape.length >= 2 && shape.slice(0, -2).every((d) => d === 1);
}

function tryGemm({ backend, runner }: Installed, fused: boolean, { inputs, attrs }: KernelArgs): tf.TensorInfo | null {
  const { a, b, bias, preluActivationWeights } = inputs;
  const transposeA = attrs?.transposeA === true;
  const transposeB = attrs?.transposeB === true;
  const activation = fused ? (attrs?.activation ?? 'linear') : 'linear';
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || !batchOfOne(a.shape) || !batchOfOne(b.shape)) return null;
  if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return null;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [k2, n] = transposeB ? [bc, br] : [br, bc];
  if (k !== k2 || m === 0 || n === 0 || k === 0) return null;
  // a bias must be one value per output column (the dense layer's case); broadcasts go elsewhere
  if (bias && (bias.dtype !== 'float32' || bias.shape.reduce((p, d) => p * d, 1) !== n || bias.shape[bias.shape.length - 1] !== n)) return null;

  const offset = (t: tf.TensorInfo): number => {
    const data = backend.dataIdMap.get(t.dataId);
    if (!data) throw new Error('tensor not on the wasm backend');
    return data.memoryOffset;
  };
  const batchDims = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2);
  const out = backend.makeOutput([...batchDims, m, n], 'float32');
  runner.run({
    a: offset(a),
    b: offset(b),
    c: offset(out),
    bias: bias ? offset(bias) : 0,
    m,
    n,
    k,
    flags: (transposeA ? TRANS_A : 0) | (transposeB ? TRANS_B : 0) | (activation === 'relu' ? RELU : 0),
  });
  return out;
}

/**
 * Adam's update for one parameter (src/core/adam.ts): inputs theta, g, m, v (float32, one size),
 * attrs FusedAdamAttrs; outputs [θ', m', v'], new tensors (nothing is written in place: clones
 * share their memory). On a wasm backend other than the one we were installed on (a later one),
 * the same arithmetic runs in JavaScript on that backend's heap.
 */
function fusedAdamKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const { theta, g, m, v } = inputs;
  if (!isWasmBackend(backend)) throw new Error(`${FUSED_ADAM_KERNEL}: not a wasm backend`);
  if (!theta || !g || !m || !v) throw new Error(`${FUSED_ADAM_KERNEL}: needs theta, g, m and v`);
  const n = theta.shape.reduce((p, d) => p * d, 1);
  for (const t of [theta, g, m, v]) {
    if (t.dtype !== 'float32' || t.shape.reduce((p, d) => p * d, 1) !== n) throw new Error(`${FUSED_ADAM_KERNEL}: inputs must be float32 and of one size`);
  }
  const { beta1, beta2, epsilon, stepSize } = attrs as unknown as FusedAdamAttrs;
  const outputs = [theta, m, v].map((t) => backend.makeOutput([...t.shape], 'float32'));
  const offset = (t: tf.TensorInfo): number => {
    const data = backend.dataIdMap.get(t.dataId);
    if (!data) throw new Error('tensor not on the wasm backend');
    return data.memoryOffset;
  };
  const [thetaOut, mOut, vOut] = outputs.map(offset);
  if (n === 0) return outputs;
  // 1 − β as the op-by-op path computes it (in float64, then rounded to float32 as a scalar tensor)
  if (installed && backend === installed.backend) {
    installed.adamUpdate(offset(theta), offset(g), offset(m), offset(v), thetaOut, mOut, vOut, n, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, stepSize);
    return outputs;
  }
  const memory = heapMemory(backend);
  if (!memory) throw new Error("tfjs-wasm's memory is not reachable");
  const view = (p: number) => new Float32Array(memory.buffer, p, n);
  const [T, G, M, V, T2, M2, V2] = [offset(theta), offset(g), offset(m), offset(v), thetaOut, mOut, vOut].map(view);
  const f = Math.fround;
  const [b1, c1, b2, c2, eps, step] = [beta1, 1 - beta1, beta2, 1 - beta2, epsilon, stepSize].map(f);
  for (let i = 0; i < n; i++) {
    const gi = G[i];
    const mi = f(f(M[i] * b1) + f(gi * c1));
    const vi = f(f(V[i] * b2) + f(f(gi * gi) * c2));
    M2[i] = mi;
    V2[i] = vi;
    T2[i] = T[i] - f(f(mi / f(f(Math.sqrt(vi)) + eps)) * step);
  }
  return outputs;
}

/** logits and x, float32 [rows, cols] of one shape. */
function bernoulliInputs(kernel: string, { inputs, backend }: KernelArgs): { backend: WasmBackendLike; logits: tf.TensorInfo; x: tf.TensorInfo; rows: number; cols: number } {
  const { logits, x } = inputs;
  if (!isWasmBackend(backend)) throw new Error(`${kernel}: not a wasm backend`);
  if (!logits || !x || logits.dtype !== 'float32' || x.dtype !== 'float32' || logits.shape.length !== 2 || !tf.util.arraysEqual(logits.shape, x.shape)) {
    throw new Error(`${kernel}: logits and x must be float32 [n, p] of one shape`);
  }
  return { backend, logits, x, rows: logits.shape[0], cols: logits.shape[1] };
}

/**
 * Σ_j max(l, 0) − l·x + log1p(e^(−|l|)) per row (names.ts BERNOULLI_NLL_KERNEL):
 * logits, x [n, p] → [n]. On a later wasm backend, the same in JavaScript on its heap.
 */
function bernoulliNllKernel(args: KernelArgs): tf.TensorInfo {
  const { backend, logits, x, rows, cols } = bernoulliInputs(BERNOULLI_NLL_KERNEL, args);
  const out = backend.makeOutput([rows], 'float32');
  if (rows === 0) return out;
  if (installed && backend === installed.backend) {
    installed.bernoulliNllRows(offsetOn(backend, logits), offsetOn(backend, x), offsetOn(backend, out), rows, cols);
    return out;
  }
  const [L, X, O] = [logits, x, out].map((t) => heapView(backend, t));
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = r * cols; j < (r + 1) * cols; j++) {
      const l = L[j];
      sum += Math.max(l, 0) - l * X[j] + Math.log1p(Math.exp(-Math.abs(l)));
    }
    O[r] = sum;
  }
  return out;
}

/** (σ(l) − x)·dy[row] (names.ts BERNOULLI_NLL_GRAD_KERNEL): logits, x [n, p], dy [n] → [n, p]. */
function bernoulliNllGradKernel(args: KernelArgs): tf.TensorInfo {
  const { backend, logits, x, rows, cols } = bernoulliInputs(BERNOULLI_NLL_GRAD_KERNEL, args);
  const { dy } = args.inputs;
  if (!dy || dy.dtype !== 'float32' || size(dy) !== rows) throw new Error(`${BERNOULLI_NLL_GRAD_KERNEL}: dy must be float32 [n]`);
  const out = backend.makeOutput([rows, cols], 'float32');
  if (rows * cols === 0) return out;
  if (installed && backend === installed.backend) {
    installed.bernoulliNllGrad(offsetOn(backend, logits), offsetOn(backend, x), offsetOn(backend, dy), offsetOn(backend, out), rows, cols);
    return out;
  }
  const [L, X, D, O] = [logits, x, dy, out].map((t) => heapView(backend, t));
  for (let r = 0; r < rows; r++) {
    for (let j = r * cols; j < (r + 1) * cols; j++) {
      const l = L[j];
      const t = Math.exp(-Math.abs(l));
      O[j] = ((l >= 0 ? 1 : t) / (1 + t) - X[j]) * D[r];
    }
  }
  return out;
}

/** dy where y > 0, else 0 (names.ts RELU_GRAD_KERNEL): dy, y float32 of one size → dy's shape. */
function reluGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, y } = inputs;
  if (!isWasmBackend(backend)) throw new Error(`${RELU_GRAD_KERNEL}: not a wasm backend`);
  if (!dy || !y || dy.dtype !== 'float32' || y.dtype !== 'float32' || size(dy) !== size(y)) throw new Error(`${RELU_GRAD_KERNEL}: dy and y must be float32 and of one size`);
  const out = backend.makeOutput([...dy.shape], 'float32');
  const n = size(dy);
  if (n === 0) return out;
  if (installed && backend === installed.backend) {
    installed.reluGrad(offsetOn(backend, dy), offsetOn(backend, y), offsetOn(backend, out), n);
    return out;
  }
  const [D, Y, O] = [dy, y, out].map((t) => heapView(backend, t));
  for (let i = 0; i < n; i++) O[i] = Y[i] > 0 ? D[i] : 0;
  return out;
}
