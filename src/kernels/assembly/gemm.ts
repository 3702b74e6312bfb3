// @ts-nocheck — AssemblyScript, not TypeScript: compiled by `asc` (scripts/build-kernels.mjs), never by tsc.
/**
 * Single-precision GEMM for the dense layers: C = op(A)·op(B) (+ bias) (ReLU), all row-major,
 * op(A) M×K, op(B) K×N, C M×N; op(X) is X or Xᵀ. Pointers are byte offsets into the memory
 * this module imports, which is tfjs-wasm's own heap: the module must own no memory of its own
 * (no data segments, no globals in memory, no allocation). The build script checks that.
 *
 * Scheme (BLIS-like, no K blocking: K ≤ ~800 here, a 4×K and a K×8 panel stay in L1/L2):
 *  1. packA: op(A) into 4-row panels, k-major (for each k the 4 values of a column), once;
 *  2. gemm, for a range of columns: op(B) into 8-column panels, k-major (for each k 8 values of
 *     a row); both zero-padded, so the micro-kernel only ever sees whole 4×8 tiles;
 *  3. per 8-column panel, per 4-row panel: 8 f32x4 accumulators, one splat of A and two vectors
 *     of B per row and k (4×8 measured fastest in V8: 6×8, 8×8, 4×12, 3×16 spill registers).
 * Column ranges are how two threads share one product: they read the same packed A.
 * Built twice: with relaxed SIMD (one fused multiply-add per pair: ~1.25× faster here) and without.
 */

const MR: i32 = 4;
const NR: i32 = 8;

const TRANS_A: i32 = 1;
const TRANS_B: i32 = 2;
const RELU: i32 = 4;

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline function at(p: usize, index: i32): f32 {
  return load<f32>(p + (<usize>index << 2));
}

/**
 * Rows i..i+3 of op(A) as one 4-row panel at dst: for each k, the 4 values of a column (zeros
 * below the last row). transA: A is stored K×M.
 */
// @ts-ignore: decorator
@inline function packAPanel(a: usize, m: i32, k: i32, transA: bool, i: i32, dst: usize): void {
  const rows = min(MR, m - i);
  let kk = 0;
  if (rows == MR) {
    if (transA) {
      // A is K×M: the 4 values of a panel column are adjacent.
      for (; kk < k; kk++) {
        v128.store(dst, v128.load(a + (<usize>(kk * m + i) << 2)));
        dst += 16;
      }
    } else {
      // A is M×K: read 4 rows × 4 k, transpose the 4×4 block in registers.
      const r0 = a + (<usize>(i * k) << 2);
      const stride = <usize>k << 2;
      for (; kk + 4 <= k; kk += 4) {
        const p = r0 + (<usize>kk << 2);
        const v0 = v128.load(p), v1 = v128.load(p + stride);
        const v2 = v128.load(p + 2 * stride), v3 = v128.load(p + 3 * stride);
        const t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = f32x4.shuffle(v2, v3, 0, 4, 1, 5);
        const t2 = f32x4.shuffle(v0, v1, 2, 6, 3, 7), t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
        v128.store(dst, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
        v128.store(dst, f32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
        v128.store(dst, f32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
        v128.store(dst, f32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
        dst += 64;
      }
    }
  }
  // the rest (a K not divisible by 4, or a last panel of fewer than 4 rows), element by element
  for (; kk < k; kk++) {
    for (let r = 0; r < MR; r++) {
      store<f32>(dst, r < rows ? at(a, transA ? kk * m + i + r : (i + r) * k + kk) : 0);
      dst += 4;
    }
  }
}

/**
 * Pack all of op(A) into 4-row panels at dst (packedABytes(m, k) bytes): panel p holds, for each
 * k, rows 4p..4p+3. flags & 1: A is stored K×M.
 */
export function packA(a: usize, m: i32, k: i32, flags: i32, dst: usize): void {
  const transA = (flags & TRANS_A) != 0;
  for (let i = 0; i < m; i += MR) {
    packAPanel(a, m, k, transA, i, dst);
    dst += <usize>(MR * k) << 2;
  }
}

/** op(B) columns [j0, j1) into 8-column panels at dst: panel p holds, for each k, columns 8p..8p+7. */
function packB(b: usize, n: i32, k: i32, transB: bool, j0: i32, j1: i32, dst: usize): void {
  for (let j = j0; j < j1; j += NR) {
    const cols = min(NR, j1 - j);
    let kk = 0;
    if (cols == NR) {
      if (!transB) {
        // B is K×N: a panel row is 8 adjacent values.
        for (; kk < k; kk++) {
          const p = b + (<usize>(kk * n + j) << 2);
          v128.store(dst, v128.load(p));
          v128.store(dst, v128.load(p, 16), 16);
          dst += 32;
        }
      } else {
        // B is N×K: panel columns are rows of B; transpose two 4×4 blocks per 4 k.
        const r0 = b + (<usize>(j * k) << 2);
        const stride = <usize>k << 2;
        for (; kk + 4 <= k; kk += 4) {
          for (let half = 0; half < 2; half++) {
            const p = r0 + (<usize>kk << 2) + <usize>(half * 4) * stride;
            const v0 = v128.load(p), v1 = v128.load(p + stride);
            const v2 = v128.load(p + 2 * stride), v3 = v128.load(p + 3 * stride);
            const t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = f32x4.shuffle(v2, v3, 0, 4, 1, 5);
            const t2 = f32x4.shuffle(v0, v1, 2, 6, 3, 7), t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
            const q = dst + (<usize>half << 4);
            v128.store(q, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
            v128.store(q, f32x4.shuffle(t0, t1, 2, 3, 6, 7), 32);
            v128.store(q, f32x4.shuffle(t2, t3, 0, 1, 4, 5), 64);
            v128.store(q, f32x4.shuffle(t2, t3, 2, 3, 6, 7), 96);
          }
          dst += 128;
        }
      }
    }
    for (; kk < k; kk++) {
      for (let c = 0; c < NR; c++) {
        store<f32>(dst, c < cols ? at(b, transB ? (j + c) * k + kk : kk * n + j + c) : 0);
        dst += 4;
      }
    }
  }
}

/** Bytes that packA writes: op(A) in 4-row panels. */
export function packedABytes(m: i32, k: i32): i32 {
  return ((m + MR - 1) / MR) * MR * k * 4;
}

/** Bytes of scratch that gemm needs for `cols` columns of C (16-byte aligned). */
export function scratchBytes(k: i32, cols: i32): i32 {
  return (((cols + NR - 1) / NR) * NR * k + MR * NR) * 4;
}

/**
 * One 4×8 tile of C at (i, j): Σ_k of packed A panel pa (4 values per k) times packed B panel pb
 * (8 values per k), then + C's current values (accumulate) or + bias[j] (bias ≠ 0), then ReLU;
 * a tile on the edge of C (rows < 4 or cols < 8) is parked in `tile` and written in part.
 * 8 f32x4 accumulators, one splat of A and two vectors of B per row and k.
 */
// @ts-ignore: decorator
@inline function tile4x8(pa: usize, pb: usize, k: i32, c: usize, n: i32, i: i32, j: i32, rows: i32, cols: i32,
  bias: usize, relu: bool, accumulate: bool, tile: usize): void {
  const zero = f32x4.splat(0);
  let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let s = v128.load32_splat(pa);
    c00 = madd(s, b0, c00); c01 = madd(s, b1, c01);
    s = v128.load32_splat(pa, 4);
    c10 = madd(s, b0, c10); c11 = madd(s, b1, c11);
    s = v128.load32_splat(pa, 8);
    c20 = madd(s, b0, c20); c21 = madd(s, b1, c21);
    s = v128.load32_splat(pa, 12);
    c30 = madd(s, b0, c30); c31 = madd(s, b1, c31);
    pa += 16;
    pb += 32;
  }
  const ldc = <usize>n << 2;
  let out = c + (<usize>(i * n + j) << 2);
  if (rows == MR && cols == NR) {
    if (accumulate) {
      c00 = f32x4.add(c00, v128.load(out)); c01 = f32x4.add(c01, v128.load(out, 16));
      c10 = f32x4.add(c10, v128.load(out + ldc)); c11 = f32x4.add(c11, v128.load(out + ldc, 16));
      c20 = f32x4.add(c20, v128.load(out + 2 * ldc)); c21 = f32x4.add(c21, v128.load(out + 2 * ldc, 16));
      c30 = f32x4.add(c30, v128.load(out + 3 * ldc)); c31 = f32x4.add(c31, v128.load(out + 3 * ldc, 16));
    } else if (bias != 0) {
      const bias0 = v128.load(bias + (<usize>j << 2)), bias1 = v128.load(bias + (<usize>j << 2), 16);
      c00 = f32x4.add(c00, bias0); c01 = f32x4.add(c01, bias1);
      c10 = f32x4.add(c10, bias0); c11 = f32x4.add(c11, bias1);
      c20 = f32x4.add(c20, bias0); c21 = f32x4.add(c21, bias1);
      c30 = f32x4.add(c30, bias0); c31 = f32x4.add(c31, bias1);
    }
    if (relu) {
      // pmax(x, 0) = x < 0 ? 0 : x: one instruction (max needs NaN fix-ups) and NaN stays NaN,
      // so a diverging model still shows NaN downstream
      c00 = f32x4.pmax(c00, zero); c01 = f32x4.pmax(c01, zero);
      c10 = f32x4.pmax(c10, zero); c11 = f32x4.pmax(c11, zero);
      c20 = f32x4.pmax(c20, zero); c21 = f32x4.pmax(c21, zero);
      c30 = f32x4.pmax(c30, zero); c31 = f32x4.pmax(c31, zero);
    }
    v128.store(out, c00); v128.store(out, c01, 16); out += ldc;
    v128.store(out, c10); v128.store(out, c11, 16); out += ldc;
    v128.store(out, c20); v128.store(out, c21, 16); out += ldc;
    v128.store(out, c30); v128.store(out, c31, 16);
  } else {
    // a tile on the edge of C: park the accumulators, then write only its valid part
    v128.store(tile, c00); v128.store(tile, c01, 16);
    v128.store(tile, c10, 32); v128.store(tile, c11, 48);
    v128.store(tile, c20, 64); v128.store(tile, c21, 80);
    v128.store(tile, c30, 96); v128.store(tile, c31, 112);
    for (let r = 0; r < rows; r++) {
      for (let cc = 0; cc < cols; cc++) {
        const p = c + (<usize>((i + r) * n + j + cc) << 2);
        let v = at(tile, r * NR + cc);
        if (accumulate) v += load<f32>(p);
        else if (bias != 0) v += at(bias, j + cc);
        if (relu && v < 0) v = 0;
        store<f32>(p, v);
      }
    }
  }
}

/**
 * Columns [j0, j1) of C = op(A)·op(B) (+ bias[j]) (ReLU), all rows, from op(A) packed by packA.
 * B and C are row-major, bias 0 means none. flags: 2 = B is stored N×K, 4 = ReLU.
 * scratch: scratchBytes(k, j1 - j0) bytes, 16-byte aligned, private to this call.
 */
export function gemm(packedA: usize, b: usize, c: usize, bias: usize, m: i32, n: i32, k: i32, flags: i32,
  j0: i32, j1: i32, scratch: usize): void {
  const relu = (flags & RELU) != 0;
  const panelsA = (m + MR - 1) / MR;
  const panelsB = (j1 - j0 + NR - 1) / NR;
  const packedB = scratch;
  const tile = packedB + (<usize>(panelsB * NR * k) << 2);
  packB(b, n, k, (flags & TRANS_B) != 0, j0, j1, packedB);
  for (let jp = 0; jp < panelsB; jp++) {
    const j = j0 + jp * NR;
    const cols = min(NR, j1 - j);
    const pb = packedB + (<usize>(jp * NR * k) << 2);
    for (let ip = 0; ip < panelsA; ip++) {
      const i = ip * MR;
      tile4x8(packedA + (<usize>(ip * MR * k) << 2), pb, k, c, n, i, j, min(MR, m - i), cols, bias, relu, false, tile);
    }
  }
}

/** All of op(B) into 8-column panels at dst (packedBBytes(n, k) bytes), for gemmRows. */
export function packBAll(b: usize, n: i32, k: i32, flags: i32, dst: usize): void {
  packB(b, n, k, (flags & TRANS_B) != 0, 0, n, dst);
}

/** Bytes that packBAll writes. */
export function packedBBytes(n: i32, k: i32): i32 {
  return ((n + NR - 1) / NR) * NR * k * 4;
}

/** Bytes of scratch that gemmRows needs (one 4-row panel of op(A), and an edge tile). */
export function rowsScratchBytes(k: i32): i32 {
  return (MR * k + MR * NR) * 4;
}

/**
 * Rows [i0, i1) (i0 a multiple of 4) of C = op(A)·op(B) (+ bias[j]) (ReLU), all columns, from
 * op(B) packed whole by packBAll: for a tall C with few columns (a convolution's product, with a
 * row per pixel). Each 4-row panel of op(A) is packed into scratch (rowsScratchBytes(k), L1-sized)
 * right before its tiles, so A is read once and never copied whole; packed B stays in cache.
 * flags: 1 = A is stored K×M, 4 = ReLU.
 */
export function gemmRows(a: usize, packedB: usize, c: usize, bias: usize, m: i32, n: i32, k: i32, flags: i32,
  i0: i32, i1: i32, scratch: usize): void {
  const relu = (flags & RELU) != 0;
  const panelsB = (n + NR - 1) / NR;
  const tile = scratch + (<usize>(MR * k) << 2);
  for (let i = i0; i < i1; i += MR) {
    packAPanel(a, m, k, (flags & TRANS_A) != 0, i, scratch);
    const rows = min(MR, m - i);
    for (let jp = 0; jp < panelsB; jp++) {
      const j = jp * NR;
      tile4x8(scratch, packedB + (<usize>(jp * NR * k) << 2), k, c, n, i, j, rows, min(NR, n - j), bias, relu, false, tile);
    }
  }
}

/** The k-block of gemmSum: packed op(B) rows of one block stay in L2, an A panel of it in L1. */
const KB: i32 = 256;

/** Bytes of scratch that gemmSum needs. */
export function sumScratchBytes(m: i32, n: i32): i32 {
  return (((n + NR - 1) / NR) * NR * KB + MR * KB + MR * NR) * 4;
}

/**
 * acc += Aᵀ[:, k0:k1] · B[k0:k1, :] for A stored K×M and B stored K×N, acc M×N: a product whose
 * inner dimension is long and whose result is small (a convolution's filter gradient sums over
 * every pixel of the batch). Runs in k-blocks of KB: the block's rows of B are packed once, then
 * each 4-row panel of Aᵀ over the block, and its tiles are added into acc (which stays in cache).
 * Threads take k-ranges, each into its own accumulator; their sum is the product.
 */
export function gemmSum(a: usize, b: usize, acc: usize, m: i32, n: i32, k0: i32, k1: i32, scratch: usize): void {
  const panelsB = (n + NR - 1) / NR;
  const packedB = scratch;
  const panelA = packedB + (<usize>(panelsB * NR * KB) << 2);
  const tile = panelA + (<usize>(MR * KB) << 2);
  for (let kb = k0; kb < k1; kb += KB) {
    const depth = min(KB, k1 - kb);
    const blockA = a + (<usize>(kb * m) << 2);
    packB(b + (<usize>(kb * n) << 2), n, depth, false, 0, n, packedB);
    for (let i = 0; i < m; i += MR) {
      packAPanel(blockA, m, depth, true, i, panelA);
      const rows = min(MR, m - i);
      for (let jp = 0; jp < panelsB; jp++) {
        const j = jp * NR;
        tile4x8(panelA, packedB + (<usize>(jp * NR * depth) << 2), depth, acc, n, i, j, rows, min(NR, n - j), 0, false, true, tile);
      }
    }
  }
}

/** dst[0..count) = 0 (floats). */
export function zeroFloats(dst: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), zero);
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** dst[0..count) += src[0..count) (floats): the helper's accumulator into C. */
export function addFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = dst + (<usize>i << 2);
    v128.store(p, f32x4.add(v128.load(p), v128.load(src + (<usize>i << 2))));
  }
  for (; i < count; i++) {
    const p = dst + (<usize>i << 2);
    store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>i << 2)));
  }
}

// The fused Adam update lives in the same module (one build, one instance on tfjs's heap).
export { adamUpdate } from './adam';
// So do the fused element-wise kernels of the loss and the ReLU backward.
export { bernoulliNllGrad, bernoulliNllRows, reluGrad } from './elementwise';
// And the data movement of the convolutions (im2col, col2im, bias gradients).
export { biasGrad, col2im, im2col } from './conv';
