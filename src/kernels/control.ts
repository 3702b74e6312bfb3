/**
 * What the main thread and the helper thread share: the GEMM module's typed exports, the layout
 * of the control block (CONTROL_WORDS int32 words in the shared heap) and the loop with which
 * both threads take chunks of a product (columns, rows or inner ranges: Mode), or of a
 * convolution's data movement (whole images: PatchMode), until none is left. Chunks are claimed dynamically rather
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
  packBAll: (b: number, n: number, k: number, flags: number, dst: number) => void;
  packedBBytes: (n: number, k: number) => number;
  /** Rows [i0, i1) of C = op(A)·op(B) (+ bias) (ReLU), from op(B) packed by packBAll. */
  gemmRows: (a: number, packedB: number, c: number, bias: number, m: number, n: number, k: number, flags: number, i0: number, i1: number, scratch: number) => void;
  rowsScratchBytes: (k: number) => number;
  /** acc += Aᵀ[:, k0:k1]·B[k0:k1, :] (A stored K×M, B stored K×N). */
  gemmSum: (a: number, b: number, acc: number, m: number, n: number, k0: number, k1: number, scratch: number) => void;
  sumScratchBytes: (m: number, n: number) => number;
  zeroFloats: (dst: number, count: number) => void;
  addFloats: (dst: number, src: number, count: number) => void;
  /** assembly/conv.ts: image [n, h, w, c] → patches, and back (+ bias, ReLU). */
  im2col: (image: number, patches: number, n: number, ...geometry: readonly [number, number, number, number, number, number, number, number, number, number, number]) => void;
  col2im: (patches: number, bias: number, image: number, n: number, ...geometryAndRelu: readonly [number, number, number, number, number, number, number, number, number, number, number, number]) => void;
}

export const TRANS_A = 1;
export const TRANS_B = 2;
export const RELU = 4;

/**
 * How a product is cut into chunks that threads claim:
 *   COLUMNS: ranges of C's columns from op(A) packed once (the dense layers' products);
 *   ROWS:    ranges of C's rows from op(B) packed once: a tall C with few columns (a convolution's
 *            product has a row per pixel), A read once and never copied whole;
 *   SUM:     ranges of the inner dimension of Aᵀ·B, each thread adding into its own accumulator
 *            (C, or the helper's `partial`, summed at the end): a small C from a long inner sum
 *            (a convolution's filter gradient sums over every pixel of the batch).
 */
export const Mode = { Columns: 0, Rows: 1, Sum: 2 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** The convolutions' data movement (assembly/conv.ts), shared by whole images of the batch. */
export const PatchMode = { Im2col: 3, Col2im: 4 } as const;
export type PatchMode = (typeof PatchMode)[keyof typeof PatchMode];

/** Control block words. SEQ: the last job posted (the helper sleeps on it). CLAIM: the job's tag
 * and the next unclaimed chunk in one word, so a claim for a stale job cannot succeed.
 * FINISHED: chunks of the current job done. Then the job's arguments (Job, then helper scratch). */
export const SEQ = 0;
export const CLAIM = 1;
export const FINISHED = 2;
export const ARGS = 3;
export const CONTROL_WORDS = 32;
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
export interface ColumnJob extends GemmOperands {
  packedA: number;
  /** The width of a chunk in the job's split dimension: columns, rows (a multiple of 4) or k. */
  chunkCols: number;
  chunks: number;
}

/** A product cut by any Mode; a COLUMNS job reads packedA, a ROWS job a and packedB, SUM a and b. */
export interface Job extends ColumnJob {
  mode: Mode;
  a: number;
  packedB: number;
  /** SUM: the helper's accumulator (the main thread's is c). */
  partial: number;
}

/** A job's arguments in the control block from ARGS on; the mode always first (the helper reads it first). */
export const JOB_FIELDS = ['mode', 'packedA', 'b', 'c', 'bias', 'm', 'n', 'k', 'flags', 'chunkCols', 'chunks', 'a', 'packedB', 'partial'] as const satisfies readonly (keyof Job)[];

/** im2col or col2im (+ bias, ReLU) of a batch in chunks of `chunkImages` whole images. */
export interface PatchJob {
  mode: PatchMode;
  image: number;
  patches: number;
  bias: number;
  relu: number;
  batch: number;
  height: number;
  width: number;
  channels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
  gridHeight: number;
  gridWidth: number;
  chunkImages: number;
  chunks: number;
}

export const PATCH_FIELDS = [
  'mode', 'image', 'patches', 'bias', 'relu', 'batch', 'height', 'width', 'channels', 'kernelHeight', 'kernelWidth',
  'strideHeight', 'strideWidth', 'padTop', 'padLeft', 'gridHeight', 'gridWidth', 'chunkImages', 'chunks',
] as const satisfies readonly (keyof PatchJob)[];

/** After a job the helper polls this long for the next before it sleeps: a wake-up costs tens of µs. */
export const HELPER_SPIN_MS = 0.3;

/** Claim chunks of job `tag` and run each until none is left unclaimed. */
function claimChunks(control: Int32Array, chunks: number, tag: number, run: (chunk: number) => void): void {
  for (;;) {
    const word = Atomics.load(control, CLAIM);
    const next = word & ((1 << CHUNK_BITS) - 1);
    if (word >>> CHUNK_BITS !== tag || next >= chunks) return;
    if (Atomics.compareExchange(control, CLAIM, word, (word + 1) | 0) !== word) continue;
    run(next);
    if (Atomics.add(control, FINISHED, 1) + 1 === chunks) Atomics.notify(control, FINISHED);
  }
}

/** Compute column chunks of job `tag` until none is left unclaimed. */
export function workOnChunks(control: Int32Array, gemm: GemmFn, job: ColumnJob, tag: number, scratch: number): void {
  claimChunks(control, job.chunks, tag, (chunk) => {
    const j0 = chunk * job.chunkCols;
    gemm(job.packedA, job.b, job.c, job.bias, job.m, job.n, job.k, job.flags, j0, Math.min(job.n, j0 + job.chunkCols), scratch);
  });
}

/** Compute chunks of job `tag`, of any mode, until none is left; SUM adds into `accumulator`. */
export function workOnJob(control: Int32Array, g: GemmExports, job: Job, tag: number, scratch: number, accumulator: number): void {
  if (job.mode === Mode.Rows) {
    claimChunks(control, job.chunks, tag, (chunk) => {
      const i0 = chunk * job.chunkCols;
      g.gemmRows(job.a, job.packedB, job.c, job.bias, job.m, job.n, job.k, job.flags, i0, Math.min(job.m, i0 + job.chunkCols), scratch);
    });
  } else if (job.mode === Mode.Sum) {
    claimChunks(control, job.chunks, tag, (chunk) => {
      const k0 = chunk * job.chunkCols;
      g.gemmSum(job.a, job.b, accumulator, job.m, job.n, k0, Math.min(job.k, k0 + job.chunkCols), scratch);
    });
  } else {
    workOnChunks(control, g.gemm, job, tag, scratch);
  }
}

/** Compute image chunks of patch job `tag` until none is left unclaimed; images are independent. */
export function workOnPatches(control: Int32Array, g: GemmExports, job: PatchJob, tag: number): void {
  const imageBytes = job.height * job.width * job.channels * 4;
  const patchBytes = job.gridHeight * job.gridWidth * job.kernelHeight * job.kernelWidth * job.channels * 4;
  claimChunks(control, job.chunks, tag, (chunk) => {
    const b0 = chunk * job.chunkImages;
    const count = Math.min(job.batch - b0, job.chunkImages);
    const image = job.image + b0 * imageBytes;
    const patches = job.patches + b0 * patchBytes;
    const geometry = [job.height, job.width, job.channels, job.kernelHeight, job.kernelWidth, job.strideHeight, job.strideWidth, job.padTop, job.padLeft, job.gridHeight, job.gridWidth] as const;
    if (job.mode === PatchMode.Im2col) g.im2col(image, patches, count, ...geometry);
    else g.col2im(patches, job.bias, image, count, ...geometry, job.relu);
  });
}

export function gemmExports(instance: WebAssembly.Instance): GemmExports {
  const names = ['packA', 'gemm', 'packedABytes', 'scratchBytes', 'packBAll', 'packedBBytes', 'gemmRows', 'rowsScratchBytes', 'gemmSum', 'sumScratchBytes', 'zeroFloats', 'addFloats', 'im2col', 'col2im'] as const;
  for (const name of names) if (typeof instance.exports[name] !== 'function') throw new Error(`not the GEMM module (no ${name}: rebuild with npm run build-kernels)`);
  return Object.fromEntries(names.map((name) => [name, instance.exports[name]])) as unknown as GemmExports;
}
