/**
 * The convolution data movement of assembly/conv.ts in plain JavaScript on Float32Arrays: the
 * kernels' fallback on a wasm backend our module is not instantiated on (a later one), and the
 * tests' reference. The same loops in the same order, so the same float32 sums (except a
 * one-column bias sum, which the wasm kernel adds in four lanes).
 */
import type { PatchGeometry } from './names';

/** The numbers of a geometry in the order the wasm functions take them. */
export function geometryArgs(g: PatchGeometry): [number, number, number, number, number, number, number, number, number, number, number, number] {
  return [g.batch, g.height, g.width, g.channels, g.kernelHeight, g.kernelWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft, g.gridHeight, g.gridWidth];
}

export function patchRows(g: PatchGeometry): number {
  return g.batch * g.gridHeight * g.gridWidth;
}

export function patchColumns(g: PatchGeometry): number {
  return g.kernelHeight * g.kernelWidth * g.channels;
}

/** image [n, h, w, c] → patches [n·gh·gw, kh·kw·c] (zeros for the padding). */
export function im2colInto(image: Float32Array, patches: Float32Array, g: PatchGeometry): void {
  const [n, h, w, c, kh, kw, sh, sw, pt, pl, gh, gw] = geometryArgs(g);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let gy = 0; gy < gh; gy++) {
      for (let gx = 0; gx < gw; gx++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = gy * sh - pt + ky;
          for (let kx = 0; kx < kw; kx++) {
            const ix = gx * sw - pl + kx;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            const src = ((b * h + iy) * w + ix) * c;
            for (let ch = 0; ch < c; ch++) patches[o++] = inside ? image[src + ch] : 0;
          }
        }
      }
    }
  }
}

/** patches → image: bias, then every patch's kernel rows added in the kernel's order, then ReLU. */
export function col2imInto(patches: Float32Array, bias: Float32Array | null, image: Float32Array, g: PatchGeometry, relu: boolean): void {
  const [n, h, w, c, kh, kw, sh, sw, pt, pl, gh, gw] = geometryArgs(g);
  const rowFloats = kh * kw * c;
  const passes = Math.ceil(kw / sw);
  const f = Math.fround;
  for (let i = 0; i < image.length; i++) image[i] = bias ? bias[i % c] : 0;
  for (let b = 0; b < n; b++) {
    for (let gy = 0; gy < gh; gy++) {
      for (let ky = 0; ky < kh; ky++) {
        const iy = gy * sh - pt + ky;
        if (iy < 0 || iy >= h) continue;
        for (let pass = 0; pass < passes; pass++) {
          for (let gx = pass; gx < gw; gx += passes) {
            const src = ((b * gh + gy) * gw + gx) * rowFloats + ky * kw * c;
            for (let kx = 0; kx < kw; kx++) {
              const ix = gx * sw - pl + kx;
              if (ix < 0 || ix >= w) continue;
              const dst = ((b * h + iy) * w + ix) * c;
              for (let ch = 0; ch < c; ch++) image[dst + ch] = f(image[dst + ch] + patches[src + kx * c + ch]);
            }
          }
        }
      }
    }
  }
  if (relu) for (let i = 0; i < image.length; i++) if (image[i] < 0) image[i] = 0;
}

/** db[j] = Σ_r g[r, j], g = dy, or (with y) dy where y > 0 else 0, also written to gOut. */
export function biasGradInto(dy: Float32Array, y: Float32Array | null, gOut: Float32Array | null, db: Float32Array, cols: number): void {
  const f = Math.fround;
  db.fill(0);
  for (let i = 0; i < dy.length; i++) {
    const v = y && !(y[i] > 0) ? 0 : dy[i];
    if (gOut) gOut[i] = v;
    db[i % cols] = f(db[i % cols] + v);
  }
}
