/**
 * How much the model uses z, beyond the active units and the KL: an estimate of the mutual
 * information I(x; z) under the encoder, the "index-code MI" of the KL decomposition
 * E_x[KL(q(z|x) ‖ p(z))] = I(x; z) + KL(q(z) ‖ p(z)) (Hoffman & Johnson 2016; Chen et al. 2018),
 * estimated on a sample of M images with one draw z_i ~ q(z|x_i) each:
 *
 *   I ≈ (1/M) Σ_i [ log q(z_i|x_i) − log (1/M) Σ_j q(z_i|x_j) ]
 *
 * (the aggregate posterior q(z) approximated by the sample's mixture). It cannot exceed log M:
 * with M = 1000 images at most 6.9 nats. A collapsed model, whose posteriors all equal the prior,
 * scores 0. Typed arrays only (it runs in the worker beside the active units).
 */
import type { Rng } from '../types';

export interface MutualInformationEstimate {
  /** Nats. */
  value: number;
  /** Its ceiling log M for the M images used. */
  ceiling: number;
  images: number;
}

/** A standard normal from uniforms (Box–Muller), so any Rng will do. */
function normal(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** The estimate on the first min(count, maxImages) posteriors (row-major [count, d] μ and log σ²). */
export function mutualInformationEstimate(mu: Float32Array, logVar: Float32Array, count: number, d: number, rng: Rng, maxImages = 1000): MutualInformationEstimate {
  const m = Math.min(count, maxImages);
  if (m < 2) return { value: 0, ceiling: 0, images: m };
  const z = new Float64Array(m * d);
  const inverseVariance = new Float64Array(m * d);
  const logNormaliser = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const lv = logVar[j * d + k];
      inverseVariance[j * d + k] = Math.exp(-lv);
      s += lv + Math.log(2 * Math.PI);
      z[j * d + k] = mu[j * d + k] + Math.exp(0.5 * lv) * normal(rng);
    }
    logNormaliser[j] = -0.5 * s;
  }
  const logQ = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    let max = -Infinity;
    for (let j = 0; j < m; j++) {
      let quad = 0;
      for (let k = 0; k < d; k++) {
        const diff = z[i * d + k] - mu[j * d + k];
        quad += diff * diff * inverseVariance[j * d + k];
      }
      const v = logNormaliser[j] - 0.5 * quad;
      logQ[j] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let j = 0; j < m; j++) sum += Math.exp(logQ[j] - max);
    const logMixture = max + Math.log(sum) - Math.log(m);
    total += logQ[i] - logMixture;
  }
  return { value: Math.max(0, total / m), ceiling: Math.log(m), images: m };
}
