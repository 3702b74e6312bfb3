/**
 * Per-pixel min/max decimation of a curve: however many points a series holds, the drawn path
 * never has more than about four vertices per pixel column, and looks the same. Pure.
 */

/**
 * Per-pixel min/max decimation: within each pixel column (x in pixels, ascending) keep the first,
 * lowest, highest and last point, in their original order. The drawn line is visually identical
 * but never has more than ~4 vertices per pixel. Non-finite y values are kept (they break the line).
 */
export function decimateMinMax<T>(points: readonly T[], x: (p: T) => number, y: (p: T) => number): T[] {
  const n = points.length;
  if (n <= 4) return points.slice();
  const out: T[] = [];
  let col = NaN;
  let first = -1;
  let last = -1;
  let iMin = -1;
  let iMax = -1;
  let vMin = Infinity;
  let vMax = -Infinity;
  const flush = () => {
    if (first < 0) return;
    // Emit first, the extremes in index order, last: each index once.
    const a = Math.min(iMin, iMax);
    const b = Math.max(iMin, iMax);
    out.push(points[first]);
    if (a !== first) out.push(points[a]);
    if (b !== a && b !== first) out.push(points[b]);
    if (last !== b && last !== first) out.push(points[last]);
    first = last = iMin = iMax = -1;
  };
  for (let i = 0; i < n; i++) {
    const p = points[i];
    const v = y(p);
    if (!Number.isFinite(v)) {
      flush();
      out.push(p);
      col = NaN;
      continue;
    }
    const c = Math.floor(x(p));
    if (c !== col || first < 0) {
      flush();
      col = c;
      first = i;
      iMin = iMax = i;
      vMin = vMax = v;
    }
    last = i;
    if (v < vMin) {
      vMin = v;
      iMin = i;
    }
    if (v > vMax) {
      vMax = v;
      iMax = i;
    }
  }
  flush();
  return out;
}
