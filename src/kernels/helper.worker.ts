/// <reference lib="webworker" />
/**
 * The GEMM's second thread: the same module instantiated on tfjs-wasm's shared heap. It sleeps
 * in Atomics.wait on the control block's SEQ word; for every job the main thread posts it takes
 * chunks of columns alongside the main thread (control.ts). It never returns to its event loop
 * once started; the main thread terminates it.
 */
import { ARGS, CONTROL_WORDS, gemmExports, JOB_FIELDS, SEQ, workOnChunks, type Job } from './control';

export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block in memory. */
  control: number;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<HelperInit>) => {
  const { module, memory, control } = event.data;
  const { gemm } = gemmExports(await WebAssembly.instantiate(module, { env: { memory } }));
  // A shared memory's old buffers stay valid when it grows: one view is enough.
  const ctl = new Int32Array(memory.buffer, control, CONTROL_WORDS);
  const job = {} as Job;
  let seen = Atomics.load(ctl, SEQ);
  scope.postMessage('ready');
  for (;;) {
    Atomics.wait(ctl, SEQ, seen);
    seen = Atomics.load(ctl, SEQ);
    // Possibly already a newer job's arguments: then the claim in workOnChunks fails, harmlessly.
    JOB_FIELDS.forEach((field, i) => (job[field] = ctl[ARGS + i]));
    workOnChunks(ctl, gemm, job, seen, ctl[ARGS + JOB_FIELDS.length]);
  }
};
