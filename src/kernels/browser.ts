/**
 * The app's side of the GEMM kernels: the compiled variants are served from our own origin
 * (Vite emits them as asset files; no-inline, or these 2.5 KB files would become data: URLs),
 * and the helper thread is a worker of ours.
 */
import * as tf from '@tensorflow/tfjs-core';
import relaxedShared from './build/gemm-relaxed-shared.wasm?url&no-inline';
import relaxedPrivate from './build/gemm-relaxed-private.wasm?url&no-inline';
import simdShared from './build/gemm-simd-shared.wasm?url&no-inline';
import simdPrivate from './build/gemm-simd-private.wasm?url&no-inline';
import { CONTROL_WORDS } from './control';
import type { HelperInit } from './helper.worker';
import type { HelperLink } from './runner';
import { compileGemm, installWasmMatMul, type GemmModule, type GemmVariant } from './tfjsKernels';

const URLS: Record<GemmVariant, string> = {
  'gemm-relaxed-shared': relaxedShared,
  'gemm-relaxed-private': relaxedPrivate,
  'gemm-simd-shared': simdShared,
  'gemm-simd-private': simdPrivate,
};

const HELPER_START_TIMEOUT_MS = 10_000;

async function load(variant: GemmVariant): Promise<ArrayBuffer> {
  const response = await fetch(URLS[variant]);
  if (!response.ok) throw new Error(`${variant}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number): Promise<HelperLink> {
  const worker = new Worker(new URL('./helper.worker.ts', import.meta.url), { type: 'module', name: 'gemm-helper' });
  return new Promise<HelperLink>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(why));
    };
    const timer = setTimeout(() => fail('did not start'), HELPER_START_TIMEOUT_MS);
    worker.onerror = (event) => fail(event.message || 'failed to load');
    worker.onmessage = () => {
      clearTimeout(timer);
      worker.onerror = null;
      resolve({ control: new Int32Array(memory.buffer, control, CONTROL_WORDS), terminate: () => worker.terminate() });
    };
    worker.postMessage({ module, memory, control } satisfies HelperInit);
  });
}

/**
 * Before tfjs-wasm starts: fetch and compile the variant for the heap it is about to have
 * (shared when it can run threaded). null when our GEMM cannot run here (no SIMD, no file).
 */
export async function prepareGemm(): Promise<GemmModule | null> {
  try {
    const threaded = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    return await compileGemm(threaded, load);
  } catch {
    return null;
  }
}

/**
 * After tf.setBackend('wasm'): our matMul kernels, with a helper thread on a shared heap.
 * Never throws: says what runs matMul and on how many threads (0: tfjs-wasm's own kernels).
 */
export async function installGemmKernels(gemm: GemmModule | null): Promise<{ description: string; threads: number }> {
  if (!gemm) return { description: "tfjs-wasm's own (our GEMM cannot run here)", threads: 0 };
  try {
    return await installWasmMatMul(gemm, typeof Worker !== 'undefined' ? startHelper : undefined);
  } catch (e) {
    return { description: `tfjs-wasm's own (our GEMM failed: ${e instanceof Error ? e.message : String(e)})`, threads: 0 };
  }
}
