/**
 * Runs one GEMM on tfjs-wasm's heap, alone or with the helper worker: one operand is packed once
 * (op(A) for a cut by columns, op(B) for a cut by rows, none for a sum: chooseMode), then C is
 * computed in chunks, which the helper (if any) and this thread claim from a shared counter
 * (control.ts). Scratch space comes from tfjs's own allocator and is kept and grown on demand,
 * so our module never writes outside memory that tfjs handed out.
 */
import { ARGS, CLAIM, CHUNK_BITS, FINISHED, JOB_FIELDS, Mode, PATCH_FIELDS, PatchMode, SEQ, TAG_MASK, TRANS_A, workOnJob, workOnPatches, type GemmExports, type GemmOperands, type Job, type PatchJob } from './control';

export interface GemmCall extends GemmOperands {
  /** Byte offset of A in the heap. */
  a: number;
  /** How to cut the product (tests); by default chooseMode picks. */
  mode?: Mode;
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
/** Likewise for im2col / col2im: below this many bytes of patches, one thread. */
export const PARALLEL_MIN_PATCH_BYTES = 256 * 1024;
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

/** Rows per chunk of a ROWS job: a multiple of the 4-row panel. */
export function chunkRows(m: number): number {
  return 4 * Math.max(1, Math.ceil(Math.ceil(m / 4) / CHUNKS_PER_PRODUCT));
}

/** Inner length per chunk of a SUM job: whole k-blocks of the kernel (256). */
export function chunkDepth(k: number): number {
  return 256 * Math.max(1, Math.ceil(Math.ceil(k / 256) / CHUNKS_PER_PRODUCT));
}

/** A ROWS job keeps all of packed op(B) in L2: at most this many bytes of it. */
const ROWS_MAX_PACKED_B = 256 * 1024;

/**
 * How to cut a product (control.ts Mode), from its shape:
 *  - SUM for Aᵀ·B (no bias, no ReLU) with a long inner dimension and a small result: a conv
 *    layer's filter gradient (256×6272×32, 16×25088×16 in conv-small);
 *  - ROWS for a tall C (at least 4 rows per column) whose packed op(B) fits L2: a conv layer's
 *    products with a row per pixel (6272×256×32, 6272×32×256, 25088×16×16);
 *  - COLUMNS otherwise (the dense layers: 128 rows).
 * On one thread the three run these shapes about equally fast (SUM ~10% faster on the filter
 * gradients). On two, COLUMNS first packs all of op(A) on this thread while the helper waits
 * (6.4 MB for conv2's patches); ROWS packs only the small op(B), SUM nothing, and each thread
 * packs its own panels of A. In Chromium the conv products took 40–60% less time (2 threads,
 * AMD EPYC, a loaded machine).
 */
export function chooseMode(m: number, n: number, k: number, flags: number, bias: boolean): Mode {
  if (flags === TRANS_A && !bias && k >= 4 * Math.max(m, n) && m * n <= 64 * 1024) return Mode.Sum;
  const packedB = Math.ceil(n / 8) * 8 * k * 4;
  if (m >= 4 * n && packedB <= ROWS_MAX_PACKED_B) return Mode.Rows;
  return Mode.Columns;
}

/** Buffer slots: packed op(A) or op(B), this thread's scratch, the helper's scratch, its accumulator. */
const Slot = { Packed: 0, Main: 1, Helper: 2, Partial: 3 } as const;
type Slot = (typeof Slot)[keyof typeof Slot];

export class GemmRunner {
  /** [pointer, capacity] per Slot. */
  private readonly buffers: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
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
    const { m, n, k, flags } = call;
    const mode = call.mode ?? chooseMode(m, n, k, flags, call.bias !== 0);
    if (mode === Mode.Sum && (flags !== TRANS_A || call.bias !== 0)) throw new Error('a SUM product is Aᵀ·B without bias or ReLU');
    // Every buffer is allocated before the helper is woken: tfjs's malloc may grow the heap.
    const job: Job = { ...call, mode, packedA: 0, packedB: 0, partial: 0, chunkCols: 0, chunks: 0 };
    let scratchBytes: number;
    if (mode === Mode.Rows) {
      job.packedB = this.buffer(Slot.Packed, this.exports.packedBBytes(n, k));
      job.chunkCols = chunkRows(m);
      job.chunks = Math.ceil(m / job.chunkCols);
      scratchBytes = this.exports.rowsScratchBytes(k);
    } else if (mode === Mode.Sum) {
      job.chunkCols = chunkDepth(k);
      job.chunks = Math.ceil(k / job.chunkCols);
      scratchBytes = this.exports.sumScratchBytes(m, n);
    } else {
      job.packedA = this.buffer(Slot.Packed, this.exports.packedABytes(m, k));
      job.chunkCols = chunkColumns(n);
      job.chunks = Math.ceil(n / job.chunkCols);
      scratchBytes = this.exports.scratchBytes(k, job.chunkCols);
    }
    const scratch = this.buffer(Slot.Main, scratchBytes);
    const shared = this.helper !== null && job.chunks > 1 && 2 * m * n * k >= PARALLEL_MIN_FLOPS;
    if (mode === Mode.Sum) {
      this.exports.zeroFloats(call.c, m * n);
      if (shared) {
        job.partial = this.buffer(Slot.Partial, m * n * 4);
        this.exports.zeroFloats(job.partial, m * n);
      }
    }
    if (mode === Mode.Rows) this.exports.packBAll(call.b, n, k, flags, job.packedB);
    if (mode === Mode.Columns) this.exports.packA(call.a, m, k, flags, job.packedA);
    if (shared && this.helper) {
      this.runShared(this.helper, job, scratch, scratchBytes);
    } else {
      this.runAlone(job, scratch);
    }
    // the helper's share of a sum went into its own accumulator
    if (mode === Mode.Sum && job.partial) this.exports.addFloats(call.c, job.partial, m * n);
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
    for (let chunk = 0; chunk < job.chunks; chunk++) {
      const start = chunk * job.chunkCols;
      if (job.mode === Mode.Rows) {
        this.exports.gemmRows(job.a, job.packedB, job.c, job.bias, job.m, job.n, job.k, job.flags, start, Math.min(job.m, start + job.chunkCols), scratch);
      } else if (job.mode === Mode.Sum) {
        this.exports.gemmSum(job.a, job.b, job.c, job.m, job.n, start, Math.min(job.k, start + job.chunkCols), scratch);
      } else {
        this.exports.gemm(job.packedA, job.b, job.c, job.bias, job.m, job.n, job.k, job.flags, start, Math.min(job.n, start + job.chunkCols), scratch);
      }
    }
  }

  private runShared(helper: HelperLink, job: Job, scratch: number, scratchBytes: number): void {
    const helperScratch = this.buffer(Slot.Helper, scratchBytes);
    const done = this.share(helper, [...JOB_FIELDS.map((field) => job[field]), helperScratch], job.chunks, (tag) => workOnJob(helper.control, this.exports, job, tag, scratch, job.c));
    if (done) return;
    // Never expected: redo the whole product here and go on alone. The helper's scratch and
    // accumulator are left allocated on purpose, since it may still be writing into them.
    this.loseHelper(helper);
    if (job.mode === Mode.Sum) {
      this.exports.zeroFloats(job.c, job.m * job.n);
      job.partial = 0;
    }
    this.runAlone(job, scratch);
  }

  /**
   * im2col or col2im of a batch (assembly/conv.ts), shared with the helper by whole images: each
   * image's patches and pixels are its own, so the threads never write the same memory.
   */
  runPatches(job: Omit<PatchJob, 'chunkImages' | 'chunks'>): void {
    const chunkImages = Math.max(1, Math.ceil(job.batch / CHUNKS_PER_PRODUCT));
    const full: PatchJob = { ...job, chunkImages, chunks: Math.ceil(job.batch / chunkImages) };
    const bytes = job.batch * job.gridHeight * job.gridWidth * job.kernelHeight * job.kernelWidth * job.channels * 4;
    const helper = this.helper;
    if (helper && full.chunks > 1 && bytes >= PARALLEL_MIN_PATCH_BYTES) {
      if (this.share(helper, PATCH_FIELDS.map((field) => full[field]), full.chunks, (tag) => workOnPatches(helper.control, this.exports, full, tag))) return;
      this.loseHelper(helper);
    }
    const geometry = [job.height, job.width, job.channels, job.kernelHeight, job.kernelWidth, job.strideHeight, job.strideWidth, job.padTop, job.padLeft, job.gridHeight, job.gridWidth] as const;
    if (job.mode === PatchMode.Im2col) this.exports.im2col(job.image, job.patches, job.batch, ...geometry);
    else this.exports.col2im(job.patches, job.bias, job.image, job.batch, ...geometry, job.relu);
  }

  /**
   * Post a job's arguments, work on it here as well (`work`, with the job's tag) and wait for
   * every chunk; false if the helper did not finish its share in time.
   */
  private share(helper: HelperLink, args: number[], chunks: number, work: (tag: number) => void): boolean {
    const control = helper.control;
    if (chunks >= 1 << CHUNK_BITS) throw new Error('too many chunks for the claim word');
    // Close the last job first: a helper that wakes late and reads these arguments half-written
    // then finds nothing to claim under the old tag (a claim needs next < chunks).
    Atomics.store(control, CLAIM, (this.tag << CHUNK_BITS) | ((1 << CHUNK_BITS) - 1));
    const tag = (this.tag = (this.tag + 1) & TAG_MASK);
    control.set(args, ARGS);
    Atomics.store(control, FINISHED, 0);
    Atomics.store(control, CLAIM, tag << CHUNK_BITS);
    Atomics.store(control, SEQ, tag); // publishes everything written above
    Atomics.notify(control, SEQ);
    work(tag);
    return this.waitForChunks(control, chunks);
  }

  private loseHelper(helper: HelperLink): void {
    helper.terminate();
    this.helper = null;
    this.buffers[Slot.Helper] = [0, 0];
    this.buffers[Slot.Partial] = [0, 0];
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
