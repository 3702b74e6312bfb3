/**
 * Our wasm kernels in Node tests: tfjs-wasm's single-threaded build (an unshared heap) and the
 * plain-SIMD variant (Node 20 has no relaxed SIMD). Needs the built .wasm (npm run build-kernels).
 */
import { existsSync, readFileSync } from 'node:fs';
import { compileGemm, installWasmMatMul, type GemmVariant } from '../../../src/kernels/tfjsKernels';

export function wasmFile(variant: GemmVariant): Uint8Array<ArrayBuffer> {
  const file = new URL(`../../../src/kernels/build/${variant}.wasm`, import.meta.url);
  if (!existsSync(file)) throw new Error(`${variant}.wasm is not built: run npm run build-kernels`);
  return new Uint8Array(readFileSync(file));
}

/** Install our kernels on the current (wasm) backend; returns what runs matMul now. */
export async function installKernels(): Promise<string> {
  return (await installWasmMatMul(await compileGemm(false, async (variant) => wasmFile(variant)))).description;
}
