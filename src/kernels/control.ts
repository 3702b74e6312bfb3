/**
 * What the main thread and the helper thread share: the GEMM module's typed exports, the layout
 * of the control block (16 int32 words in the shared heap) and the loop with which both threads
 * take chunks of columns of a product until none is left. Chunks are claimed dynamically rather
 * than split in fixed halves so that a helper that is late (another process holds the second
 * core, or it is still waking up) costs nothing: the main thread then simply does more chunks.
 * No tfjs here: the helper worker imports this file.
 */

/** Columns [j0, j1) of C = op(A)·op(B) (+ bias) (ReLU), from op(A) packed by packA. */
export type GemmFn = (
  packedA: number, b: number, c: number, bias: number, m: number, n: number, k: number, flags: number,
  j0: number, j1: number, scratch: number,
) => void;

export interface GemmExports {
  packA: (a: number, m: number, k: number, flags: number, dst: number) => void;
  gemm: GemmFn;
  packedABytes: (m: number, k: number) => number;
  /** Scratch bytes one gemm call needs for `cols` columns of C with inner size k. */
  scratchBytes: (k: number, cols: number) => number;
}

export const TRANS_A = 1;
export const TRANS_B = 2;
export const RELU = 4;

/** Control block words. SEQ: the last job posted (the helper sleeps on it). CLAIM: the job's tag
 * and the next unclaimed chunk in one word, so a claim for a stale job cannot succeed.
 * FINISHED: chunks of the current job done. Then the job's arguments (Job, then helper scratch). */
export const SEQ = 0;
export const CLAIM = 1;
export const FINISHED = 2;
export const ARGS = 3;
export const CONTROL_WORDS = 16;
export const CHUNK_BITS = 12;
export const TAG_MASK = (1 << (32 - CHUNK_BITS)) - 1;

/** A product's operands and shape: byte offsets in the heap (bias 0: none), TRANS_A | TRANS_B | RELU flags. */
export interface GemmOperands {
  b: number;
  c: number;
  bias: number;
  m: number;
  n: number;
  k: number;
  flags: number;
}

/** One product, cut into `chunks` column ranges of `chunkCols` columns (a multiple of 8). */
export interface Job extends GemmOperands {
  packedA: number;
  chunkCols: number;
  chunks: number;
}

export const JOB_FIELDS = ['packedA', 'b', 'c', 'bias', 'm', 'n', 'k', 'flags', 'chunkCols', 'chunks'] as const satisfies readonly (keyof Job)[];

/** Compute chunks of job `tag` until none is left unclaimed. */
export function workOnChunks(control: Int32Array, gemm: GemmFn, job: Job, tag: number, scratch: number): void {
  for (;;) {
    const word = Atomics.load(control, CLAIM);
    const next = word & ((1 << CHUNK_BITS) - 1);
    if (word >>> CHUNK_BITS !== tag || next >= job.chunks) return;
    if (Atomics.compareExchange(control, CLAIM, word, (word + 1) | 0) !== word) continue;
    const j0 = next * job.chunkCols;
    gemm(job.packedA, job.b, job.c, job.bias, job.m, job.n, job.k, job.flags, j0, Math.min(job.n, j0 + job.chunkCols), scratch);
    if (Atomics.add(control, FINISHED, 1) + 1 === job.chunks) Atomics.notify(control, FINISHED);
  }
}

export function gemmExports(instance: WebAssembly.Instance): GemmExports {
  const { packA, gemm, packedABytes, scratchBytes } = instance.exports;
  for (const f of [packA, gemm, packedABytes, scratchBytes]) if (typeof f !== 'function') throw new Error('not the GEMM module');
  return {
    packA: packA as GemmExports['packA'],
    gemm: gemm as GemmFn,
    packedABytes: packedABytes as GemmExports['packedABytes'],
    scratchBytes: scratchBytes as GemmExports['scratchBytes'],
  };
}
