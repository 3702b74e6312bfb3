/**
 * Choosing the tfjs backend inside the worker: WebGL on a hardware GPU, wasm (SIMD, threaded when
 * cross-origin isolated) otherwise, cpu as the last resort. The choice and its reason are reported.
 */
import * as tf from '../core/tf';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import threadedFactorySource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { installGemmKernels, prepareGemm } from '../kernels/browser';
import type { GemmModule } from '../kernels/tfjsKernels';
import type { BackendChoice, BackendInfo, BackendName } from './protocol';
import { raceBackends, raceSkipReason, type RaceEntrant } from './backendRace';

const THREADED_FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd = ';

/**
 * tfjs-wasm hands its pthread workers the threaded module's factory as a Blob built from
 * `factory.toString()`. Once a bundler has rewritten that function it refers to names that only
 * exist in our bundle, and every pthread dies with "ReferenceError: e is not defined". While the
 * backend initialises, swap that Blob's text for the module's pristine source, which defines the
 * same factory under the same name.
 */
function withPristineThreadedFactory<T>(init: () => Promise<T>): Promise<T> {
  const OriginalBlob = globalThis.Blob;
  class PatchedBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      const first = parts?.[0];
      const swap = parts?.length === 1 && typeof first === 'string' && first.startsWith(THREADED_FACTORY_PREFIX);
      super(swap ? [threadedFactorySource] : parts, options);
    }
  }
  globalThis.Blob = PatchedBlob;
  return init().finally(() => {
    globalThis.Blob = OriginalBlob;
  });
}

/** The WebGL renderer string, or null without WebGL2 (read in the worker via OffscreenCanvas). */
export function webglRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof renderer === 'string' ? renderer : 'unknown';
  } catch {
    return null;
  }
}

/** Software rasterisers run WebGL on the CPU, slower than wasm for this model (FACTS.md). */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

function isolated(): boolean {
  return typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
}

/**
 * tfjs-wasm sizes its thread pool from navigator.hardwareConcurrency / 2 (1 on a two-core
 * machine). Training runs in this worker while the page idles, so every core may work: report
 * twice the core count to the wasm module before it initialises.
 *
 * With our own GEMM (src/kernels) tfjs-wasm gets a single thread: for this model its pool only
 * ever sped up matMul (its element-wise kernels measured the same on 1 and 2 threads), our GEMM
 * brings its own helper thread, and a pool worker keeps spinning after each op on the very core
 * that helper needs (measured ~15–16 vs ~17–19 ms per training step).
 */
function unlockAllCores(ownGemm: boolean): number {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
  if (!isolated()) return 1;
  try {
    Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => cores * 2 });
  } catch {
    // a locked-down navigator keeps tfjs's default
  }
  setThreadsCount(ownGemm ? 1 : cores);
  return cores;
}

/**
 * Registering a backend loads its code: wasm's is in the worker's bundle (it is the one that runs
 * on machines without a GPU), WebGL's and the plain-JS one are loaded only when tried.
 */
const REGISTER: Record<BackendName, () => Promise<unknown>> = {
  wasm: async () => undefined,
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

/** What runs matMul on the wasm backend (our GEMM or tfjs-wasm's own), for the backend info. */
let matMul: { description: string; threads: number } | null = null;

async function tryBackend(name: BackendName, wasmBaseUrl: string): Promise<boolean> {
  try {
    await REGISTER[name]();
    let gemm: GemmModule | null = null;
    if (name === 'wasm') {
      setWasmPaths(wasmBaseUrl);
      gemm = await prepareGemm(); // compiled before tfjs-wasm starts: it decides tfjs's thread count
      unlockAllCores(gemm !== null);
    }
    const ok = name === 'wasm' ? await withPristineThreadedFactory(() => tf.setBackend(name)) : await tf.setBackend(name);
    await tf.ready();
    if (ok) tf.tidy(() => tf.square(tf.tensor1d([1, 2])).dataSync()); // fail here, not in the first step
    if (ok && name === 'wasm') matMul = await installGemmKernels(gemm);
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function describe(name: BackendName, reason: string): BackendInfo {
  if (name !== 'wasm') return { name, reason, threads: 1, crossOriginIsolated: isolated() };
  const withMatMul = matMul ? `${reason}; matMul: ${matMul.description}` : reason;
  return { name, reason: withMatMul, threads: Math.max(safeThreads(), matMul?.threads ?? 0), crossOriginIsolated: isolated() };
}

function safeThreads(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}

/** Pick and initialise a backend; never throws (cpu always works). */
export async function initBackend(choice: BackendChoice, wasmBaseUrl: string): Promise<BackendInfo> {
  if (choice !== 'auto') {
    const renderer = choice === 'webgl' ? webglRenderer() : null;
    // a software renderer runs on the same cores as everything else, the page's own drawing too
    const software = renderer && isSoftwareRenderer(renderer) ? `; WebGL runs in software here (${renderer}): far slower than wasm, and it can slow the whole page` : '';
    if (await tryBackend(choice, wasmBaseUrl)) return describe(choice, `chosen by you${software}`);
    const fallback = await initBackend('auto', wasmBaseUrl);
    return { ...fallback, reason: `${choice} failed to start here; ${fallback.reason}` };
  }
  const renderer = webglRenderer();
  const skipped = raceSkipReason(renderer, isSoftwareRenderer);
  if (!skipped && renderer) {
    // a hardware GPU: race WebGL against wasm on a training-sized product before any weights exist
    const race = await raceBackends([raceEntrant('webgl', wasmBaseUrl), raceEntrant('wasm', wasmBaseUrl)], { now: () => performance.now() });
    if (race && (await tryBackend(race.winner, wasmBaseUrl))) return describe(race.winner, `a hardware GPU is present (${renderer}); ${race.reason}`);
  }
  // why not WebGL, said once (the skip reason names a software renderer itself)
  const why = skipped ?? `the backend race on ${renderer} did not finish`;
  if (await tryBackend('wasm', wasmBaseUrl)) {
    const threads = isolated() ? '' : '; single-threaded: the page is not cross-origin isolated';
    return describe('wasm', `WebAssembly SIMD on the CPU${threads}; ${why}`);
  }
  await REGISTER.cpu();
  await tf.setBackend('cpu');
  return describe('cpu', `WebAssembly failed to start: plain JavaScript (slow); ${why}`);
}

/** A racer: the matrix products of one MLP VAE step (784-400, batch 128, forward and both gradients). */
function raceEntrant(name: BackendName, wasmBaseUrl: string): RaceEntrant {
  let operands: { x: tf.Tensor2D; w: tf.Tensor2D; dy: tf.Tensor2D } | null = null;
  return {
    name,
    enter: async () => {
      if (operands) tf.dispose([operands.x, operands.w, operands.dy]);
      if (!(await tryBackend(name, wasmBaseUrl))) return false;
      operands = { x: tf.fill([128, 784], 0.5), w: tf.fill([784, 400], 0.01), dy: tf.fill([128, 400], 0.1) };
      return true;
    },
    step: async () => {
      const o = operands;
      if (!o) throw new Error('not entered');
      const out = tf.tidy(() => {
        const y = tf.matMul(o.x, o.w);
        const dw = tf.matMul(tf.transpose(o.x), o.dy);
        const dx = tf.matMul(o.dy, tf.transpose(o.w));
        return tf.add(tf.add(tf.sum(y), tf.sum(dw)), tf.sum(dx));
      });
      await out.data();
      out.dispose();
    },
  };
}
