// @ts-nocheck — AssemblyScript, not TypeScript: compiled by `asc` (scripts/build-kernels.mjs), never by tsc.
/**
 * One Adam step over n floats in one SIMD pass (src/core/adam.ts, same float32 operations in the
 * same order, so the same rounding as its op-by-op path):
 *   m' = β₁·m + (1−β₁)·g,  v' = β₂·v + (1−β₂)·(g·g),  θ' = θ − (m' / (√v' + ε')) · stepSize.
 * Reads θ, g, m, v and writes three other buffers (the backend's fresh outputs: a tensor's memory
 * may be shared by clones, so nothing is written in place). Like the GEMM, owns no memory.
 */
export function adamUpdate(
  theta: usize, grad: usize, m: usize, v: usize, thetaOut: usize, mOut: usize, vOut: usize, n: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, epsilon: f32, stepSize: f32,
): void {
  const b1 = f32x4.splat(beta1), c1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), c2 = f32x4.splat(oneMinusBeta2);
  const eps = f32x4.splat(epsilon), step = f32x4.splat(stepSize);
  const end = <usize>(n & ~7) << 2;
  let o: usize = 0;
  for (; o < end; o += 32) {
    const g0 = v128.load(grad + o), g1 = v128.load(grad + o, 16);
    const m0 = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(g0, c1));
    const m1 = f32x4.add(f32x4.mul(v128.load(m + o, 16), b1), f32x4.mul(g1, c1));
    const v0 = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(g0, g0), c2));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + o, 16), b2), f32x4.mul(f32x4.mul(g1, g1), c2));
    const t0 = f32x4.sub(v128.load(theta + o), f32x4.mul(f32x4.div(m0, f32x4.add(f32x4.sqrt(v0), eps)), step));
    const t1 = f32x4.sub(v128.load(theta + o, 16), f32x4.mul(f32x4.div(m1, f32x4.add(f32x4.sqrt(v1), eps)), step));
    v128.store(mOut + o, m0); v128.store(mOut + o, m1, 16);
    v128.store(vOut + o, v0); v128.store(vOut + o, v1, 16);
    v128.store(thetaOut + o, t0); v128.store(thetaOut + o, t1, 16);
  }
  const total = <usize>n << 2;
  for (; o < total; o += 4) {
    const g = load<f32>(grad + o);
    const mm = load<f32>(m + o) * beta1 + g * oneMinusBeta1;
    const vv = load<f32>(v + o) * beta2 + (g * g) * oneMinusBeta2;
    store<f32>(mOut + o, mm);
    store<f32>(vOut + o, vv);
    store<f32>(thetaOut + o, load<f32>(theta + o) - (mm / (sqrt<f32>(vv) + epsilon)) * stepSize);
  }
}
