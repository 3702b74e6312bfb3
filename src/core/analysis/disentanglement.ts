/**
 * Latent-space diagnostics on plain typed arrays (no tfjs): active units, the Mutual Information
 * Gap, and a small summary of the KL per latent dimension for the UI.
 *
 * Layout convention: matrices are row-major, one row per example — `mu[i * dim + j]` is the
 * posterior mean of latent j for example i, `factors[i * numFactors + k]` the value of factor k.
 * All logarithms are natural (nats).
 */

function assertShape(name: string, length: number, count: number, width: number): void {
  if (!Number.isInteger(count) || count <= 0) {
    throw new Error(`${name}: count must be a positive integer (got ${count}); metrics need at least one example`);
  }
  if (!Number.isInteger(width) || width <= 0) {
    throw new Error(`${name}: width must be a positive integer (got ${width})`);
  }
  if (length !== count * width) {
    throw new Error(`${name}: expected ${count} × ${width} = ${count * width} values, got ${length}`);
  }
}

export interface ActiveUnits {
  /** Per latent unit, the variance over the data of its posterior mean (divisor N). */
  variances: Float64Array;
  /** `variances[u] > threshold`. */
  active: boolean[];
  /** How many units are active. */
  count: number;
}

/**
 * Active units (Burda, Grosse & Salakhutdinov 2016, "Importance Weighted Autoencoders"): unit u is
 * active when A_u = Cov_x(E_{q(z|x)}[z_u]) > threshold (they use 0.01), i.e. when its posterior
 * mean actually varies with the input. Two-pass in float64 (mean, then centred squares), so a
 * large common offset does not cancel the variance away.
 */
export function activeUnits(mu: Float32Array, count: number, dim: number, threshold = 0.01): ActiveUnits {
  assertShape('activeUnits', mu.length, count, dim);
  const mean = new Float64Array(dim);
  for (let i = 0, o = 0; i < count; i++, o += dim) {
    for (let j = 0; j < dim; j++) mean[j] += mu[o + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const variances = new Float64Array(dim);
  for (let i = 0, o = 0; i < count; i++, o += dim) {
    for (let j = 0; j < dim; j++) {
      const d = mu[o + j] - mean[j];
      variances[j] += d * d;
    }
  }
  const active: boolean[] = new Array(dim);
  let n = 0;
  for (let j = 0; j < dim; j++) {
    variances[j] /= count;
    active[j] = variances[j] > threshold;
    if (active[j]) n++;
  }
  return { variances, active, count: n };
}

export interface MigFactor {
  /** Index of the factor (column of `factors`). */
  factor: number;
  /** (I(z_top0; v_k) − I(z_top1; v_k)) / H(v_k); with a single latent, I(z_0; v_k) / H(v_k). */
  gap: number;
  /** Empirical entropy H(v_k) of the factor on this sample, in nats. */
  entropy: number;
  /** Latents with the largest and second-largest MI with this factor (second is −1 when dim = 1). */
  top: [number, number];
  /** I(z_j; v_k) for every latent j, in nats. */
  mi: number[];
}

export interface MigResult {
  /** Mean of `gap` over the factors with non-zero entropy. */
  mig: number;
  /** One entry per factor with more than one observed value (single-valued factors are skipped). */
  perFactor: MigFactor[];
  /** mi[k][j] = I(z_j; v_k) in nats, for every factor k (zeros for skipped factors) and latent j. */
  mi: number[][];
}

/**
 * Mutual Information Gap (Chen, Li, Grosse & Duvenaud 2018, "Isolating Sources of Disentanglement
 * in Variational Autoencoders"):
 *
 *   MIG = 1/K Σ_k  (I(z_{j(k)}; v_k) − max_{j ≠ j(k)} I(z_j; v_k)) / H(v_k),   j(k) = argmax_j I(z_j; v_k).
 *
 * Estimator. Chen et al. estimate I(z_j; v_k) with the encoder's full distribution q(z_j|x),
 * marginalised over the whole data set (and use the known factor distribution for H(v_k)). We use
 * instead the histogram estimator of the later benchmark libraries (e.g. disentanglement_lib):
 * the codes passed in (normally the posterior means) of each latent are cut into `bins`
 * equal-width bins between that latent's min and max on the sample, and I is the discrete mutual
 * information of the joint counts with the factor's values; H(v_k) is the factor's empirical
 * entropy on the same sample, so 0 ≤ I ≤ H and every gap lies in [0, 1]. It runs on a sample, not
 * the whole data set, and is biased upward by about (bins − 1)(|v_k| − 1) / (2N) nats, which
 * mostly cancels in the gap. A constant latent falls in a single bin and has I = 0.
 *
 * `codes` is [count, dim] row-major; `factors` is [count, factorSizes.length] row-major with
 * factor k taking values in 0 … factorSizes[k] − 1.
 */
export function mutualInformationGap(
  codes: Float32Array,
  count: number,
  dim: number,
  factors: Uint16Array,
  factorSizes: number[],
  options: { bins?: number } = {},
): MigResult {
  const numFactors = factorSizes.length;
  assertShape('mutualInformationGap codes', codes.length, count, dim);
  if (numFactors === 0) throw new Error('mutualInformationGap: factorSizes is empty');
  assertShape('mutualInformationGap factors', factors.length, count, numFactors);
  for (const size of factorSizes) {
    if (!Number.isInteger(size) || size <= 0) throw new Error(`mutualInformationGap: invalid factor size ${size}`);
  }
  const bins = options.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 2 || bins > 65535) {
    throw new Error(`mutualInformationGap: bins must be an integer in [2, 65535] (got ${bins})`);
  }

  // Range of each latent.
  const lo = new Float64Array(dim).fill(Infinity);
  const hi = new Float64Array(dim).fill(-Infinity);
  for (let i = 0, o = 0; i < count; i++, o += dim) {
    for (let j = 0; j < dim; j++) {
      const x = codes[o + j];
      if (x !== x) throw new Error(`mutualInformationGap: latent ${j} has non-finite codes (NaN at example ${i})`);
      if (x < lo[j]) lo[j] = x;
      if (x > hi[j]) hi[j] = x;
    }
  }
  const scale = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    if (!Number.isFinite(lo[j]) || !Number.isFinite(hi[j])) {
      throw new Error(`mutualInformationGap: latent ${j} has non-finite codes`);
    }
    scale[j] = hi[j] > lo[j] ? bins / (hi[j] - lo[j]) : 0; // constant latent: everything in bin 0
  }

  // Joint counts n[j][k][b, v], laid out in one buffer; block (j, k) starts at offset[j * K + k].
  const offset = new Int32Array(dim * numFactors);
  let total = 0;
  for (let j = 0; j < dim; j++) {
    for (let k = 0; k < numFactors; k++) {
      offset[j * numFactors + k] = total;
      total += bins * factorSizes[k];
    }
  }
  const joint = new Int32Array(total);
  const binCount = new Int32Array(dim * bins);
  const valueCount = factorSizes.map((s) => new Int32Array(s));
  const last = bins - 1;
  for (let i = 0, o = 0, f = 0; i < count; i++, o += dim, f += numFactors) {
    for (let k = 0; k < numFactors; k++) {
      const v = factors[f + k];
      if (v >= factorSizes[k]) {
        throw new Error(`mutualInformationGap: factor ${k} of example ${i} is ${v}, outside 0…${factorSizes[k] - 1}`);
      }
      valueCount[k][v]++;
    }
    for (let j = 0; j < dim; j++) {
      let b = Math.floor((codes[o + j] - lo[j]) * scale[j]);
      if (b > last) b = last; // the maximum itself lands on the last bin's right edge
      binCount[j * bins + b]++;
      const base = j * numFactors;
      for (let k = 0; k < numFactors; k++) {
        joint[offset[base + k] + b * factorSizes[k] + factors[f + k]]++;
      }
    }
  }

  // I = Σ_{b,v} n_bv/N · log(N n_bv / (n_b n_v)); H = −Σ_v n_v/N · log(n_v/N).
  const logN = Math.log(count);
  const entropy = valueCount.map((vc) => {
    let h = 0;
    for (const n of vc) if (n > 0) h -= n * (Math.log(n) - logN);
    return h / count;
  });
  const mi: number[][] = [];
  for (let k = 0; k < numFactors; k++) {
    const size = factorSizes[k];
    const vc = valueCount[k];
    const row: number[] = new Array(dim);
    for (let j = 0; j < dim; j++) {
      const start = offset[j * numFactors + k];
      let s = 0;
      for (let b = 0; b < bins; b++) {
        const nb = binCount[j * bins + b];
        if (nb === 0) continue;
        const rowStart = start + b * size;
        for (let v = 0; v < size; v++) {
          const n = joint[rowStart + v];
          if (n > 0) s += n * Math.log((count * n) / (nb * vc[v]));
        }
      }
      row[j] = Math.max(0, s / count); // clamp rounding noise below zero
    }
    mi.push(row);
  }

  const perFactor: MigFactor[] = [];
  for (let k = 0; k < numFactors; k++) {
    const h = entropy[k];
    if (!(h > 1e-12)) continue; // a single observed value: nothing to disentangle
    const row = mi[k];
    let first = 0;
    for (let j = 1; j < dim; j++) if (row[j] > row[first]) first = j;
    let second = -1;
    for (let j = 0; j < dim; j++) {
      if (j !== first && (second < 0 || row[j] > row[second])) second = j;
    }
    const gap = (row[first] - (second < 0 ? 0 : row[second])) / h;
    perFactor.push({ factor: k, gap: Math.min(1, Math.max(0, gap)), entropy: h, top: [first, second], mi: row });
  }
  if (perFactor.length === 0) {
    throw new Error('mutualInformationGap: every factor takes a single value on this sample (zero entropy); MIG is undefined');
  }
  const mig = perFactor.reduce((acc, p) => acc + p.gap, 0) / perFactor.length;
  return { mig, perFactor, mi };
}

export interface KlSummary {
  /** Latent indices sorted by KL, largest first (ties by index; NaN last). */
  order: number[];
  /** `klPerDim[j] < collapsedBelow`: the posterior of dim j has collapsed onto the prior. */
  collapsed: boolean[];
  /** Number of dims that are not collapsed. */
  activeCount: number;
}

/** Order latent dims by their KL term (for the KL bars and the traversal order) and flag collapsed ones. */
export function klPerDimSummary(klPerDim: ArrayLike<number>, collapsedBelow = 0.01): KlSummary {
  const key = (j: number): number => (Number.isNaN(klPerDim[j]) ? -Infinity : klPerDim[j]);
  const order = Array.from({ length: klPerDim.length }, (_, j) => j).sort((a, b) => key(b) - key(a) || a - b);
  const collapsed = Array.from(klPerDim, (kl) => kl < collapsedBelow);
  return { order, collapsed, activeCount: collapsed.filter((c) => !c).length };
}
