// @ts-nocheck — AssemblyScript, not TypeScript: compiled by `asc` (scripts/build-kernels.mjs), never by tsc.
/**
 * The data movement of a convolution done as a matrix product (src/core/layers/conv2d.ts and
 * convTranspose2d.ts); the products themselves run on the GEMM. Like the GEMM these own no
 * memory: they read the inputs' buffers and write the backend's fresh outputs.
 *
 * A patch geometry maps an image [n, h, w, c] (NHWC) to a grid [n, gh, gw] of kh×kw×c patches:
 * patch (b, gy, gx) holds image rows iy = gy·sh − pt + ky and columns ix = gx·sw − pl + kx,
 * ky < kh, kx < kw, zeros where (iy, ix) falls outside the image (the padding).
 *
 *   im2col: image → patches [n·gh·gw, kh·kw·c], row (b, gy, gx), column (ky, kx, ch).
 *   col2im: its adjoint, patches → image: every pixel is the sum of the patch entries im2col
 *           took from it, then + bias[ch] and ReLU.
 *   biasGrad: the bias gradient Σ_r g[r, j] over rows, and g itself for a ReLU layer:
 *           g = dy where y > 0, else 0 (y = 0: no ReLU, g = dy and only the sums are written).
 */

/** dst[0..count) = src[0..count) (floats), four at a time. */
// @ts-ignore: decorator
@inline function copyFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** dst[0..count) = 0 (floats). */
// @ts-ignore: decorator
@inline function zeroFloats(dst: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), zero);
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** dst[0..count) += src[0..count) (floats). */
// @ts-ignore: decorator
@inline function addFloats(dst: usize, src: usize, count: i32): void {
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

/**
 * image [n, h, w, c] → patches [n·gh·gw, kh·kw·c]. Kernel row ky of a patch (kw·c floats) is
 * contiguous in the image, so each is one copy; going along a grid row for one ky at a time, the
 * source row stays put and a patch inside the image needs no bounds (zeros only at the edges).
 */
export function im2col(image: usize, patches: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, gh: i32, gw: i32): void {
  const segment = kw * c;
  const rowBytes = <usize>(kh * segment) << 2;
  for (let b = 0; b < n; b++) {
    for (let gy = 0; gy < gh; gy++) {
      const gridRow = patches + <usize>((b * gh + gy) * gw) * rowBytes;
      for (let ky = 0; ky < kh; ky++) {
        let dst = gridRow + (<usize>(ky * segment) << 2);
        const iy = gy * sh - pt + ky;
        if (iy < 0 || iy >= h) {
          for (let gx = 0; gx < gw; gx++, dst += rowBytes) zeroFloats(dst, segment);
          continue;
        }
        const source = image + (<usize>((b * h + iy) * w * c) << 2);
        for (let gx = 0; gx < gw; gx++, dst += rowBytes) {
          const ix0 = gx * sw - pl;
          if (ix0 >= 0 && ix0 + kw <= w) {
            copyFloats(dst, source + (<usize>(ix0 * c) << 2), segment);
            continue;
          }
          // kernel columns that land inside the image: 0 ≤ ix0 + kx < w; zeros for the rest
          const kx0 = min(kw, max(0, -ix0));
          const kx1 = max(kx0, min(kw, w - ix0));
          zeroFloats(dst, kx0 * c);
          copyFloats(dst + (<usize>(kx0 * c) << 2), source + (<usize>((ix0 + kx0) * c) << 2), (kx1 - kx0) * c);
          zeroFloats(dst + (<usize>(kx1 * c) << 2), (kw - kx1) * c);
        }
      }
    }
  }
}

/**
 * patches [n·gh·gw, kh·kw·c] → image [n, h, w, c] = Σ of the entries im2col took from each pixel
 * (+ bias[ch] if bias ≠ 0) (ReLU if relu ≠ 0), as a scatter: kernel row ky of patch (b, gy, gx)
 * (kw·c floats) is added to image row gy·sh − pt + ky at column gx·sw − pl, where it is
 * contiguous, as im2col copied it. The patches of a grid row go in ⌈kw/sw⌉ passes (every
 * ⌈kw/sw⌉-th patch), so rows added one after the other never overlap and no store waits for the
 * one before. Measured faster than gathering each pixel's entries: 2.5× for one channel, 1.2×
 * for 16 (conv-small's two cases).
 */
export function col2im(patches: usize, bias: usize, image: usize, n: i32, h: i32, w: i32, c: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, gh: i32, gw: i32, relu: i32): void {
  const pixels = n * h * w;
  if (bias == 0) zeroFloats(image, pixels * c);
  else for (let i = 0; i < pixels; i++) copyFloats(image + (<usize>(i * c) << 2), bias, c);
  const rowFloats = kh * kw * c;
  const passes = (kw + sw - 1) / sw;
  for (let b = 0; b < n; b++) {
    for (let gy = 0; gy < gh; gy++) {
      const gridRow = patches + (<usize>((b * gh + gy) * gw * rowFloats) << 2);
      for (let ky = 0; ky < kh; ky++) {
        const iy = gy * sh - pt + ky;
        if (iy < 0 || iy >= h) continue;
        const imageRow = image + (<usize>((b * h + iy) * w * c) << 2);
        for (let pass = 0; pass < passes; pass++) {
          for (let gx = pass; gx < gw; gx += passes) {
            // kernel columns that land inside the image: 0 ≤ ix0 + kx < w
            const ix0 = gx * sw - pl;
            const kx0 = max(0, -ix0);
            const kx1 = min(kw, w - ix0);
            if (kx1 <= kx0) continue;
            addFloats(imageRow + (<usize>((ix0 + kx0) * c) << 2), gridRow + (<usize>(gx * rowFloats + (ky * kw + kx0) * c) << 2), (kx1 - kx0) * c);
          }
        }
      }
    }
  }
  if (relu != 0) {
    // pmax(x, 0) = x < 0 ? 0 : x, and NaN stays NaN (as in the GEMM's fused ReLU)
    const zero = f32x4.splat(0);
    const total = pixels * c;
    let i = 0;
    for (; i + 4 <= total; i += 4) {
      const p = image + (<usize>i << 2);
      v128.store(p, f32x4.pmax(v128.load(p), zero));
    }
    for (; i < total; i++) {
      const p = image + (<usize>i << 2);
      if (load<f32>(p) < 0) store<f32>(p, 0);
    }
  }
}

/**
 * db[j] = Σ_r g[r, j] for g = dy (y = 0) or g = dy where y > 0, else 0 (then also written to g),
 * dy and y [rows, cols]. Rows are summed in order into db, which stays in L1; one column (the
 * one-channel image of a decoder's last layer) is a plain contiguous sum, four lanes at a time.
 */
export function biasGrad(dy: usize, y: usize, g: usize, db: usize, rows: i32, cols: i32): void {
  const zero = f32x4.splat(0);
  const total = rows * cols;
  if (cols == 1) {
    let acc0 = zero, acc1 = zero;
    let i = 0;
    for (; i + 8 <= total; i += 8) {
      const o = <usize>i << 2;
      let v0 = v128.load(dy + o), v1 = v128.load(dy + o, 16);
      if (y != 0) {
        v0 = v128.and(v0, f32x4.gt(v128.load(y + o), zero));
        v1 = v128.and(v1, f32x4.gt(v128.load(y + o, 16), zero));
        v128.store(g + o, v0);
        v128.store(g + o, v1, 16);
      }
      acc0 = f32x4.add(acc0, v0);
      acc1 = f32x4.add(acc1, v1);
    }
    const acc = f32x4.add(acc0, acc1);
    let sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (; i < total; i++) {
      const o = <usize>i << 2;
      let v = load<f32>(dy + o);
      if (y != 0) {
        if (!(load<f32>(y + o) > 0)) v = 0;
        store<f32>(g + o, v);
      }
      sum += v;
    }
    store<f32>(db, sum);
    return;
  }
  zeroFloats(db, cols);
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = base + (<usize>j << 2);
      let v = v128.load(dy + o);
      if (y != 0) {
        v = v128.and(v, f32x4.gt(v128.load(y + o), zero));
        v128.store(g + o, v);
      }
      const d = db + (<usize>j << 2);
      v128.store(d, f32x4.add(v128.load(d), v));
    }
    for (; j < cols; j++) {
      const o = base + (<usize>j << 2);
      let v = load<f32>(dy + o);
      if (y != 0) {
        if (!(load<f32>(y + o) > 0)) v = 0;
        store<f32>(g + o, v);
      }
      const d = db + (<usize>j << 2);
      store<f32>(d, load<f32>(d) + v);
    }
  }
}
