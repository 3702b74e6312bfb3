/// <reference lib="webworker" />
/**
 * The GEMM's second thread: the same module instantiated on tfjs-wasm's shared heap. It sleeps
 * in Atomics.wait on the control block's SEQ word; for every job the main thread posts it takes
 * chunks alongside the main thread (control.ts). It never returns to its event loop
 * once started; the main thread terminates it.
 */
import { ARGS, CONTROL_WORDS, gemmExports, HELPER_SPIN_MS, JOB_FIELDS, PATCH_FIELDS, PatchMode, SEQ, workOnJob, workOnPatches, type Job, type PatchJob } from './control';

export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block in memory. */
  control: number;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<HelperInit>) => {
  const { module, memory, control } = event.data;
  const exports = gemmExports(await WebAssembly.instantiate(module, { env: { memory } }));
  // A shared memory's old buffers stay valid when it grows: one view is enough.
  const ctl = new Int32Array(memory.buffer, control, CONTROL_WORDS);
  const job = {} as Record<(typeof JOB_FIELDS)[number], number>;
  const patchJob = {} as Record<(typeof PATCH_FIELDS)[number], number>;
  let seen = Atomics.load(ctl, SEQ);
  scope.postMessage('ready');
  for (;;) {
    // poll a little before sleeping: the next job usually follows within a fraction of a millisecond
    const spinUntil = performance.now() + HELPER_SPIN_MS;
    while (Atomics.load(ctl, SEQ) === seen && performance.now() < spinUntil);
    Atomics.wait(ctl, SEQ, seen);
    seen = Atomics.load(ctl, SEQ);
    // Possibly already a newer job's arguments: then the claim in workOnJob fails, harmlessly.
    const mode = ctl[ARGS];
    if (mode === PatchMode.Im2col || mode === PatchMode.Col2im) {
      PATCH_FIELDS.forEach((field, i) => (patchJob[field] = ctl[ARGS + i]));
      workOnPatches(ctl, exports, patchJob as PatchJob, seen);
    } else {
      JOB_FIELDS.forEach((field, i) => (job[field] = ctl[ARGS + i]));
      // a SUM job's helper adds into its own accumulator, `partial`
      workOnJob(ctl, exports, job as Job, seen, ctl[ARGS + JOB_FIELDS.length], job.partial);
    }
  }
};
