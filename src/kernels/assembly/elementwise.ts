// @ts-nocheck — AssemblyScript, not TypeScript: compiled by `asc` (scripts/build-kernels.mjs), never by tsc.
/**
 * Fused element-wise kernels of the training step, each one SIMD pass instead of several tfjs ops
 * (src/core/losses.ts, src/core/dense.ts). Like the GEMM they own no memory: they read the
 * inputs' buffers and write the backend's fresh outputs. No tables (they would be data segments):
 * exp and log1p are polynomials evaluated here, also for the scalar tails (one lane of a vector).
 *
 *   bernoulliNllRows: out[r] = Σ_j max(l, 0) − l·x + log1p(e^(−|l|)),  l = logits[r, j], x = x[r, j]
 *   bernoulliNllGrad: g[r, j] = (σ(l) − x)·dy[r]
 *   reluGrad:         g[i]    = y[i] > 0 ? dy[i] : 0
 */

/** e^x for x ≤ 0 (Cephes expf: |relative error| ≲ 2 ulp); x < −87 gives ≈ 1.6e−38 instead of less. */
@inline function expNonPositive(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

/**
 * log(1 + t) for t in [0, 1]: 2·atanh(s), s = t/(2 + t) ≤ 1/3, as its series to s¹⁵ (truncation
 * < 1e−9 relative); no cancellation for small t.
 */
@inline function log1pUnit(t: v128): v128 {
  const s = f32x4.div(t, f32x4.add(t, f32x4.splat(2.0)));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.add(f32x4.mul(f32x4.splat(<f32>(1.0 / 15.0)), s2), f32x4.splat(<f32>(1.0 / 13.0)));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(<f32>(1.0 / 11.0)));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(<f32>(1.0 / 9.0)));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(<f32>(1.0 / 7.0)));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(<f32>(1.0 / 5.0)));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(<f32>(1.0 / 3.0)));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(1.0));
  return f32x4.mul(f32x4.add(s, s), p);
}

/** The stable per-element Bernoulli NLL: max(l, 0) − l·x + log1p(e^(−|l|)). */
@inline function nll(l: v128, x: v128): v128 {
  const t = expNonPositive(f32x4.neg(f32x4.abs(l)));
  return f32x4.add(f32x4.sub(f32x4.max(l, f32x4.splat(0.0)), f32x4.mul(l, x)), log1pUnit(t));
}

/** σ(l) − x, with σ from e^(−|l|) (no overflow at any l). */
@inline function sigmoidMinus(l: v128, x: v128): v128 {
  const t = expNonPositive(f32x4.neg(f32x4.abs(l)));
  const numerator = v128.bitselect(f32x4.splat(1.0), t, f32x4.ge(l, f32x4.splat(0.0)));
  return f32x4.sub(f32x4.div(numerator, f32x4.add(t, f32x4.splat(1.0))), x);
}

/** Per-row sums of the Bernoulli NLL: logits and x [rows, cols] → out [rows]. */
export function bernoulliNllRows(logits: usize, x: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  const end8 = <usize>(cols & ~7) << 2;
  const end4 = <usize>(cols & ~3) << 2;
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes;
    const lr = logits + base, xr = x + base;
    let acc0 = f32x4.splat(0.0), acc1 = f32x4.splat(0.0);
    let o: usize = 0;
    for (; o < end8; o += 32) {
      acc0 = f32x4.add(acc0, nll(v128.load(lr + o), v128.load(xr + o)));
      acc1 = f32x4.add(acc1, nll(v128.load(lr + o, 16), v128.load(xr + o, 16)));
    }
    if (o < end4) {
      acc0 = f32x4.add(acc0, nll(v128.load(lr + o), v128.load(xr + o)));
      o += 16;
    }
    const acc = f32x4.add(acc0, acc1);
    let sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (; o < rowBytes; o += 4) {
      sum += f32x4.extract_lane(nll(f32x4.splat(load<f32>(lr + o)), f32x4.splat(load<f32>(xr + o))), 0);
    }
    store<f32>(out + (<usize>r << 2), sum);
  }
}

/** dL/dlogits of bernoulliNllRows for an upstream gradient dy [rows]: out [rows, cols]. */
export function bernoulliNllGrad(logits: usize, x: usize, dy: usize, out: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  const end8 = <usize>(cols & ~7) << 2;
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes;
    const lr = logits + base, xr = x + base, gr = out + base;
    const d = load<f32>(dy + (<usize>r << 2));
    const dv = f32x4.splat(d);
    let o: usize = 0;
    for (; o < end8; o += 32) {
      v128.store(gr + o, f32x4.mul(sigmoidMinus(v128.load(lr + o), v128.load(xr + o)), dv));
      v128.store(gr + o, f32x4.mul(sigmoidMinus(v128.load(lr + o, 16), v128.load(xr + o, 16)), dv), 16);
    }
    for (; o < rowBytes; o += 4) {
      const g = f32x4.extract_lane(sigmoidMinus(f32x4.splat(load<f32>(lr + o)), f32x4.splat(load<f32>(xr + o))), 0);
      store<f32>(gr + o, g * d);
    }
  }
}

/** The ReLU layer's backward: dy where its output y is positive, else 0 (n floats). */
export function reluGrad(dy: usize, y: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0.0);
  const end8 = <usize>(n & ~7) << 2;
  let o: usize = 0;
  for (; o < end8; o += 32) {
    v128.store(out + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), zero)));
    v128.store(out + o, v128.and(v128.load(dy + o, 16), f32x4.gt(v128.load(y + o, 16), zero)), 16);
  }
  const total = <usize>n << 2;
  for (; o < total; o += 4) store<f32>(out + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0);
}
