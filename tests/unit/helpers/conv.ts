/**
 * Convolutions straight from their definitions, in float64, for the conv tests: independent of
 * tfjs and of our im2col formulation. NHWC images; a Conv2d kernel [k, k, cIn, cOut], a
 * ConvTranspose2d kernel [k, k, cOut, cIn] (tfjs's layouts).
 *   conv:  y[b, oy, ox, o] = bias[o] + Σ x[b, oy·s − p + ky, ox·s − p + kx, i] · K[ky, kx, i, o]
 *   convᵀ: every input pixel scatters x[b, iy, ix, i] · K[ky, kx, o, i] to (iy·s − p + ky, ix·s − p + kx)
 */
export interface Window {
  k: number;
  s: number;
  p: number;
}

export interface Image {
  data: Float64Array;
  shape: [number, number, number, number];
}

export function naiveConv2d(x: Image, kernel: ArrayLike<number>, bias: ArrayLike<number>, cOut: number, { k, s, p }: Window, relu = false): Image {
  const [n, h, w, cIn] = x.shape;
  const ho = Math.floor((h + 2 * p - k) / s) + 1;
  const wo = Math.floor((w + 2 * p - k) / s) + 1;
  const out = new Float64Array(n * ho * wo * cOut);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        for (let o = 0; o < cOut; o++) {
          let sum = bias[o];
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * s - p + ky;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < k; kx++) {
              const ix = ox * s - p + kx;
              if (ix < 0 || ix >= w) continue;
              for (let i = 0; i < cIn; i++) sum += x.data[((b * h + iy) * w + ix) * cIn + i] * kernel[((ky * k + kx) * cIn + i) * cOut + o];
            }
          }
          out[((b * ho + oy) * wo + ox) * cOut + o] = relu && sum < 0 ? 0 : sum;
        }
      }
    }
  }
  return { data: out, shape: [n, ho, wo, cOut] };
}

export function naiveConvTranspose2d(x: Image, kernel: ArrayLike<number>, bias: ArrayLike<number>, cOut: number, { k, s, p }: Window, outputPadding = 0, relu = false): Image {
  const [n, h, w, cIn] = x.shape;
  const ho = (h - 1) * s - 2 * p + k + outputPadding;
  const wo = (w - 1) * s - 2 * p + k + outputPadding;
  const out = new Float64Array(n * ho * wo * cOut);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) for (let o = 0; o < cOut; o++) out[((b * ho + oy) * wo + ox) * cOut + o] = bias[o];
    for (let iy = 0; iy < h; iy++) {
      for (let ix = 0; ix < w; ix++) {
        for (let ky = 0; ky < k; ky++) {
          const oy = iy * s - p + ky;
          if (oy < 0 || oy >= ho) continue;
          for (let kx = 0; kx < k; kx++) {
            const ox = ix * s - p + kx;
            if (ox < 0 || ox >= wo) continue;
            for (let o = 0; o < cOut; o++) {
              let sum = 0;
              for (let i = 0; i < cIn; i++) sum += x.data[((b * h + iy) * w + ix) * cIn + i] * kernel[((ky * k + kx) * cOut + o) * cIn + i];
              out[((b * ho + oy) * wo + ox) * cOut + o] += sum;
            }
          }
        }
      }
    }
  }
  if (relu) for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
  return { data: out, shape: [n, ho, wo, cOut] };
}

/**
 * Central differences of a scalar function of one array, at every index: (f(v + ε) − f(v − ε)) / 2ε.
 * In float64 on a smooth f, the error is O(ε²) plus rounding, far below float32 tolerances.
 */
export function finiteDifferences(values: Float64Array, f: () => number, epsilon = 1e-4): Float64Array {
  const grad = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    values[i] = v + epsilon;
    const up = f();
    values[i] = v - epsilon;
    const down = f();
    values[i] = v;
    grad[i] = (up - down) / (2 * epsilon);
  }
  return grad;
}
