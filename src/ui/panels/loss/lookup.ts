/** Finding the history point under the pointer. Pure. */
import { bisector } from 'd3';

const byStep = bisector<{ step: number }, number>((p) => p.step);

/** Index of the point whose step is nearest `step` (ties go to the earlier), -1 when empty. Steps ascending. */
export function nearestIndex(points: readonly { step: number }[], step: number): number {
  const n = points.length;
  if (n === 0 || Number.isNaN(step)) return -1;
  const i = byStep.left(points, step);
  if (i === 0) return 0;
  if (i === n) return n - 1;
  return step - points[i - 1].step <= points[i].step - step ? i - 1 : i;
}
