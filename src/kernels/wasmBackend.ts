/**
 * What our kernels need of tfjs-wasm's backend object (it has no complete public type): its
 * allocator, its heap, where a tensor's data lives in it, and how to make an output.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface WasmBackendLike {
  wasm: {
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** the threaded build's (shared) memory */
    wasmMemory?: WebAssembly.Memory;
    /** the single-threaded build's exports, its memory among them */
    asm?: { memory?: WebAssembly.Memory };
  };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  /** One more tensor on this data (tfjs-wasm frees it when the last one goes). */
  incRef(dataId: tf.DataId): void;
}

export function isWasmBackend(backend: unknown): backend is WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  return typeof b?.wasm?._malloc === 'function' && typeof b.wasm._free === 'function' && typeof b.makeOutput === 'function' && typeof b.incRef === 'function' && b.dataIdMap !== undefined;
}

export function heapMemory(backend: WasmBackendLike): WebAssembly.Memory | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** Elements of a tensor. */
export const size = (t: tf.TensorInfo): number => t.shape.reduce((p, d) => p * d, 1);

/** Byte offset of a tensor's data in the backend's heap. */
export function offsetOn(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('tensor not on the wasm backend');
  return data.memoryOffset;
}

/** A Float32Array over a tensor's memory on a wasm backend's heap (the JavaScript fallbacks). */
export function heapView(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const memory = heapMemory(backend);
  if (!memory) throw new Error("tfjs-wasm's memory is not reachable");
  return new Float32Array(memory.buffer, offsetOn(backend, t), size(t));
}
