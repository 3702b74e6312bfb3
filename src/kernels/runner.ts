/**
 * Runs one GEMM on tfjs-wasm's heap, alone or with the helper worker: op(A) is packed once, then
 * C is computed in chunks of columns, which the helper (if any) and this thread claim from a
 * shared counter (control.ts). Scratch space comes from tfjs's own allocator and is kept and
 * grown on demand, so our module never writes outside memory that tfjs handed out.
 */
import { ARGS, CLAIM, CHUNK_BITS, FINISHED, JOB_FIELDS, SEQ, TAG_MASK, workOnChunks, type GemmExports, type GemmOperands, type Job } from './control';

export interface GemmCall extends GemmOperands {
  /** Byte offset of A in the heap. */
  a: number;
}

export interface Heap {
  malloc(bytes: number): number;
  free(pointer: number): void;
}

/** The main thread's end of the helper worker. */
export interface HelperLink {
  /** The control block (see control.ts), a view of the shared heap. */
  control: Int32Array;
  terminate(): void;
}

/** Below this many flops a product stays on one thread: waking the helper costs tens of µs. */
export const PARALLEL_MIN_FLOPS = 3e6;
/** Aim for about this many chunks per product: enough to balance two threads, few enough that
 * each chunk's B panels (packed per chunk) are worth the call. */
const CHUNKS_PER_PRODUCT = 12;
/** How long the main thread polls for the helper's last chunk before it sleeps. */
const SPIN_MS = 0.5;
/** A helper that has not finished its chunk by then is taken for dead. */
const HELPER_TIMEOUT_MS = 5000;

/** Columns per chunk: a multiple of the 8-column panel. */
export function chunkColumns(n: number): number {
  return 8 * Math.max(1, Math.ceil(Math.ceil(n / 8) / CHUNKS_PER_PRODUCT));
}

/** Buffer slots: packed op(A), this thread's scratch, the helper's scratch. */
const Slot = { PackedA: 0, Main: 1, Helper: 2 } as const;
type Slot = (typeof Slot)[keyof typeof Slot];

export class GemmRunner {
  /** [pointer, capacity] per Slot. */
  private readonly buffers: [number, number][] = [[0, 0], [0, 0], [0, 0]];
  private helper: HelperLink | null = null;
  private tag = 0;

  constructor(
    private readonly exports: GemmExports,
    private readonly heap: Heap,
  ) {}

  get threads(): number {
    return this.helper ? 2 : 1;
  }

  attachHelper(helper: HelperLink): void {
    this.helper = helper;
    this.tag = Atomics.load(helper.control, SEQ);
  }

  run(call: GemmCall): void {
    const { m, n, k } = call;
    const chunkCols = chunkColumns(n);
    // Every buffer is allocated before the helper is woken: tfjs's malloc may grow the heap.
    const packedA = this.buffer(Slot.PackedA, this.exports.packedABytes(m, k));
    const scratch = this.buffer(Slot.Main, this.exports.scratchBytes(k, chunkCols));
    this.exports.packA(call.a, m, k, call.flags, packedA);
    const job: Job = { ...call, packedA, chunkCols, chunks: Math.ceil(n / chunkCols) };
    if (this.helper && job.chunks > 1 && 2 * m * n * k >= PARALLEL_MIN_FLOPS) {
      this.runShared(this.helper, job, scratch);
    } else {
      this.runAlone(job, scratch);
    }
  }

  dispose(): void {
    this.helper?.terminate();
    this.helper = null;
    this.buffers.forEach(([pointer], slot) => {
      if (pointer) this.heap.free(pointer);
      this.buffers[slot] = [0, 0];
    });
  }

  private runAlone(job: Job, scratch: number): void {
    for (let j0 = 0; j0 < job.n; j0 += job.chunkCols) {
      this.exports.gemm(job.packedA, job.b, job.c, job.bias, job.m, job.n, job.k, job.flags, j0, Math.min(job.n, j0 + job.chunkCols), scratch);
    }
  }

  private runShared(helper: HelperLink, job: Job, scratch: number): void {
    const control = helper.control;
    const helperScratch = this.buffer(Slot.Helper, this.exports.scratchBytes(job.k, job.chunkCols));
    const tag = (this.tag = (this.tag + 1) & TAG_MASK);
    control.set([...JOB_FIELDS.map((field) => job[field]), helperScratch], ARGS);
    Atomics.store(control, FINISHED, 0);
    Atomics.store(control, CLAIM, tag << CHUNK_BITS);
    Atomics.store(control, SEQ, tag); // publishes everything written above
    Atomics.notify(control, SEQ);
    workOnChunks(control, this.exports.gemm, job, tag, scratch);
    if (this.waitForChunks(control, job.chunks)) return;
    // Never expected: redo the whole product here and go on alone. The helper's scratch is left
    // allocated on purpose, since it may still be writing into it.
    helper.terminate();
    this.helper = null;
    this.buffers[Slot.Helper] = [0, 0];
    this.runAlone(job, scratch);
  }

  /** Wait until all chunks are finished: the helper is then done with this job. */
  private waitForChunks(control: Int32Array, chunks: number): boolean {
    // Spin first: the helper's last chunk is short, and a sleep costs a wake-up (tens of µs here).
    const spinUntil = performance.now() + SPIN_MS;
    while (performance.now() < spinUntil) if (Atomics.load(control, FINISHED) === chunks) return true;
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const finished = Atomics.load(control, FINISHED);
      if (finished === chunks) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(control, FINISHED, finished, left);
    }
  }

  /** A 16-byte aligned buffer of at least `bytes` bytes in slot `slot`. */
  private buffer(slot: Slot, bytes: number): number {
    const need = bytes + 16;
    const b = this.buffers[slot];
    if (b[1] < need) {
      if (b[0]) this.heap.free(b[0]);
      const capacity = Math.ceil(need * 1.25); // headroom: fewer reallocations as shapes vary
      b[0] = this.heap.malloc(capacity) >>> 0;
      if (!b[0]) throw new Error('GEMM scratch: out of memory');
      b[1] = capacity;
    }
    return ((b[0] + 15) & ~15) >>> 0;
  }
}
