/**
 * Seeded randomness for reproducible runs: sfc32 (small, fast, good statistical quality),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 */

/** Anything indexable and writable: plain arrays and typed arrays. */
export interface MutableArrayLike<T> {
  length: number;
  [index: number]: T;
}

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Where a generator is in its stream, as plain JSON-safe numbers: sfc32's four words, then the
 * waiting Box–Muller normal when there is one. A saved model keeps it, so its noise goes on.
 */
export type RngState = readonly number[];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller yields two normals; the second waits here. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    const mix = splitmix32(Math.trunc(seed) | 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // Warm-up so the first outputs do not echo the seeding.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The generator's position: `restoreState(saveState())` replays the same numbers. */
  saveState(): RngState {
    return this.spareNormal === null ? [this.a, this.b, this.c, this.d] : [this.a, this.b, this.c, this.d, this.spareNormal];
  }

  restoreState(state: RngState): void {
    if (!isRngState(state)) throw new Error('a random-number state is four 32-bit words and an optional spare normal');
    [this.a, this.b, this.c, this.d] = state.slice(0, 4).map((w) => w | 0);
    this.spareNormal = state.length === 5 ? state[4] : null;
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (mean 0, variance 1). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    // 1 - next() is in (0, 1]: keeps log() finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Uniform integer in [0, n). The modulo bias is below 2^-32·n, negligible for array sizes. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
    }
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle; returns the same array. */
  shuffleInPlace<A extends MutableArrayLike<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }
}

/** Four 32-bit words (signed or unsigned) and an optional finite spare normal. */
export function isRngState(value: unknown): value is RngState {
  if (!Array.isArray(value) || (value.length !== 4 && value.length !== 5)) return false;
  const words = value.slice(0, 4).every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 32);
  return words && (value.length === 4 || Number.isFinite(value[4]));
}

/** A batcher's position in its epochs: what a saved model needs to hand out the same next batches. */
export interface BatcherState {
  count: number;
  batchSize: number;
  epoch: number;
  /** Indices of the current epoch already handed out. */
  position: number;
  rng: RngState;
}

/**
 * Shuffled mini-batches of indices in [0, count), epoch after epoch. Each epoch is a fresh
 * permutation, so every index appears exactly once per epoch; when batchSize does not divide
 * count, the epoch's last batch is shorter.
 */
export class Batcher {
  readonly count: number;
  readonly batchSize: number;
  /** Completed epochs. */
  epoch = 0;
  private readonly rng: Rng;
  private readonly order: Int32Array;
  private position = 0;

  constructor(count: number, batchSize: number, seed: number) {
    if (!Number.isInteger(count) || count <= 0) throw new RangeError(`Batcher needs a positive count, got ${count}`);
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`Batcher needs a positive batch size, got ${batchSize}`);
    }
    this.count = count;
    this.batchSize = Math.min(batchSize, count);
    this.rng = new Rng(seed);
    this.order = new Int32Array(count);
    for (let i = 0; i < count; i++) this.order[i] = i;
    this.rng.shuffleInPlace(this.order);
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.count / this.batchSize);
  }

  /** Fraction of the current epoch already handed out, in [0, 1). */
  get positionInEpoch(): number {
    return this.position / this.count;
  }

  /** The current epoch's order (a copy) and where the batcher is in it. */
  saveState(): { state: BatcherState; order: Int32Array } {
    return { state: { count: this.count, batchSize: this.batchSize, epoch: this.epoch, position: this.position, rng: this.rng.saveState() }, order: this.order.slice() };
  }

  /**
   * A batcher that goes on exactly where a saved one was. Throws when the state does not describe
   * a batcher over `order` (a permutation of 0…count−1).
   */
  static restore(state: BatcherState, order: Int32Array): Batcher {
    const problem = batcherStateProblem(state, order);
    if (problem) throw new Error(problem);
    const batcher = new Batcher(state.count, state.batchSize, 0);
    batcher.order.set(order);
    batcher.position = state.position;
    batcher.epoch = state.epoch;
    batcher.rng.restoreState(state.rng);
    return batcher;
  }

  /** The next batch of indices, a fresh array the caller may keep. */
  nextBatch(): Int32Array {
    const end = Math.min(this.position + this.batchSize, this.count);
    const batch = this.order.slice(this.position, end);
    this.position = end;
    if (this.position === this.count) {
      this.position = 0;
      this.epoch++;
      this.rng.shuffleInPlace(this.order);
    }
    return batch;
  }
}

/** Why `state` and `order` are not a batcher's position, or null when they are. */
export function batcherStateProblem(state: BatcherState, order: Int32Array): string | null {
  const int = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
  if (!int(state.count, 1) || !int(state.batchSize, 1) || state.batchSize > state.count) return 'the batch order has an impossible count or batch size';
  if (!int(state.epoch, 0) || !int(state.position, 0) || state.position >= state.count) return 'the batch order has an impossible position';
  if (!isRngState(state.rng)) return 'the batch order has no valid random-number state';
  if (order.length !== state.count) return `the batch order holds ${order.length} indices for ${state.count} images`;
  const seen = new Uint8Array(state.count);
  for (const i of order) {
    if (!(i >= 0 && i < state.count) || seen[i]) return 'the batch order is not a permutation of the training images';
    seen[i] = 1;
  }
  return null;
}

/**
 * Copies rows `indices` of a row-major matrix into `out` (reused when large enough) and returns
 * the filled [indices.length, rowLength] part.
 */
export function gatherRows(
  source: Float32Array,
  rowLength: number,
  indices: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const needed = indices.length * rowLength;
  let target: Float32Array;
  if (out === undefined) target = new Float32Array(needed);
  else if (out.length >= needed) target = out.length === needed ? out : out.subarray(0, needed);
  else throw new RangeError(`gatherRows: output buffer holds ${out.length} values, needs ${needed}`);
  const rows = Math.floor(source.length / rowLength);
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k];
    if (!(row >= 0 && row < rows) || (row | 0) !== row) throw new RangeError(`gatherRows: row ${row} is outside [0, ${rows})`);
    const start = row * rowLength;
    target.set(source.subarray(start, start + rowLength), k * rowLength);
  }
  return target;
}
