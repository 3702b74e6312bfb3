/**
 * A mixture prior's components on the page's side (typed arrays only, no tfjs): drawing samples
 * from the whole mixture or from one component for the decoder grid, and which component claims
 * a point, p(k|z) = w_k N(z; μ_k, σ_k²) / Σ_j w_j N(z; μ_j, σ_j²).
 */

export interface MixtureComponents {
  count: number;
  latentDim: number;
  /** [K] weights (sum 1); [K, latentDim] row-major means and log-variances. */
  weights: ArrayLike<number>;
  means: ArrayLike<number>;
  logVars: ArrayLike<number>;
}

export interface NormalSource {
  next(): number;
  normal(): number;
}

/** `count` latents [count, latentDim] from the mixture (component null) or from component k alone. */
export function sampleMixture(m: MixtureComponents, count: number, rng: NormalSource, component: number | null = null): Float32Array {
  const d = m.latentDim;
  const out = new Float32Array(count * d);
  for (let i = 0; i < count; i++) {
    const k = component ?? pickComponent(m.weights, m.count, rng.next());
    for (let j = 0; j < d; j++) out[i * d + j] = m.means[k * d + j] + Math.exp(0.5 * m.logVars[k * d + j]) * rng.normal();
  }
  return out;
}

function pickComponent(weights: ArrayLike<number>, count: number, u: number): number {
  let acc = 0;
  for (let k = 0; k < count; k++) {
    acc += weights[k];
    if (u < acc) return k;
  }
  return count - 1;
}

/** p(k | z) for every component, [K]. */
export function componentResponsibilities(m: MixtureComponents, z: ArrayLike<number>): Float64Array {
  const d = m.latentDim;
  const log = new Float64Array(m.count);
  for (let k = 0; k < m.count; k++) {
    let s = Math.log(Math.max(m.weights[k], 1e-300));
    for (let j = 0; j < d; j++) {
      const lv = m.logVars[k * d + j];
      s -= 0.5 * (Math.log(2 * Math.PI) + lv + (z[j] - m.means[k * d + j]) ** 2 / Math.exp(lv));
    }
    log[k] = s;
  }
  const top = Math.max(...log);
  let total = 0;
  for (let k = 0; k < m.count; k++) total += Math.exp(log[k] - top);
  return log.map((l) => Math.exp(l - top) / total);
}

/** The component that claims z most, with its responsibility. */
export function claimingComponent(m: MixtureComponents, z: ArrayLike<number>): { component: number; responsibility: number } {
  const r = componentResponsibilities(m, z);
  let best = 0;
  for (let k = 1; k < r.length; k++) if (r[k] > r[best]) best = k;
  return { component: best, responsibility: r[best] };
}
