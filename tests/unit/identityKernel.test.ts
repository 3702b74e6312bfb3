/**
 * With our kernels installed, tf.clone on wasm (tfjs-wasm's Identity, which tfjs runs for every
 * tensor a gradient function saves) shares the data instead of copying it, as on the cpu backend;
 * the data lives until the last tensor on it is disposed. Without our kernels it copies again.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uninstallWasmMatMul } from '../../src/kernels/tfjsKernels';
import { installKernels } from './helpers/kernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  await installKernels();
});

afterAll(() => uninstallWasmMatMul());

/** Where a tensor's data lives in tfjs-wasm's heap. */
function offset(t: tf.Tensor): number {
  const backend = tf.backend() as unknown as { dataIdMap: { get(id: tf.DataId): { memoryOffset: number } } };
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

describe('Identity on wasm with our kernels', () => {
  it('shares the data: a clone is the same memory, and outlives the original', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(offset(y)).toBe(offset(x));
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(y.shape).toEqual([2, 3]);
    const before = tf.memory().numTensors;
    y.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('copies again with tfjs-wasm’s own kernels', async () => {
    uninstallWasmMatMul();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(offset(y)).not.toBe(offset(x));
    tf.dispose([x, y]);
    await installKernels();
  });
});
