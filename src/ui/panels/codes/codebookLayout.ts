/**
 * Where the codebook view draws each code: the codes projected to 2-D by PCA (of the K vectors),
 * a radius by how often the test images' positions chose the code, the class it is most used for.
 * Pure (no DOM), so it is tested on its own.
 */
import { codeClasses, codeCounts } from '../../../core/analysis/codebook';
import { pca2 } from '../../../core/analysis/projection';

export interface CodeMark {
  code: number;
  x: number;
  y: number;
  radius: number;
  /** Share of the reported positions that chose this code. */
  share: number;
  /** The class it is most used for (−1: unused). */
  topClass: number;
}

export interface CodebookReport {
  codebook: Float32Array;
  codebookSize: number;
  codeDim: number;
  codes: ArrayLike<number>;
  labels: ArrayLike<number>;
  count: number;
  grid: readonly [number, number];
}

const MIN_RADIUS = 2.5;
const MAX_RADIUS = 12;

/** Marks of every code in a square of `size` CSS px (with a margin for the largest radius). */
export function codebookMarks(report: CodebookReport, classCount: number, size: number): CodeMark[] {
  const { codebook, codebookSize: K, codeDim: D } = report;
  const positions = report.grid[0] * report.grid[1];
  const counts = codeCounts(report.codes, K);
  const { top } = codeClasses(report.codes, positions, report.labels, K, classCount);
  const total = counts.reduce((s, n) => s + n, 0) || 1;
  const maxShare = Math.max(...Array.from(counts, (n) => n / total), 1e-12);
  const xy: [number, number][] = [];
  if (D >= 2 && K >= 2) {
    const pca = pca2(codebook, K, D);
    for (let k = 0; k < K; k++) xy.push(pca.project(codebook.subarray(k * D, (k + 1) * D)));
  } else {
    for (let k = 0; k < K; k++) xy.push([codebook[k * D] ?? 0, 0]);
  }
  const span = (i: 0 | 1) => {
    const values = xy.map((p) => p[i]);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return { lo, width: hi - lo || 1 };
  };
  const [sx, sy] = [span(0), span(1)];
  const inner = size - 2 * MAX_RADIUS;
  return xy.map(([x, y], code) => {
    const share = counts[code] / total;
    return {
      code,
      x: MAX_RADIUS + ((x - sx.lo) / sx.width) * inner,
      // screen y grows downwards: the first component's positive side to the right, the second's up
      y: MAX_RADIUS + (1 - (y - sy.lo) / sy.width) * inner,
      radius: share > 0 ? MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(share / maxShare) : MIN_RADIUS - 0.5,
      share,
      topClass: top[code],
    };
  });
}

/** The code under a point, or null (the nearest mark whose circle, widened a little, holds it). */
export function codeAt(marks: readonly CodeMark[], x: number, y: number): number | null {
  let best: CodeMark | null = null;
  let bestDistance = Infinity;
  for (const m of marks) {
    const d = Math.hypot(m.x - x, m.y - y);
    if (d <= m.radius + 3 && d < bestDistance) {
      best = m;
      bestDistance = d;
    }
  }
  return best ? best.code : null;
}
