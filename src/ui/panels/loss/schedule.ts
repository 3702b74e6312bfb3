/**
 * The KL schedule as the loss chart draws it: the weight β(t) in force at each step (its own line
 * and right-hand axis, only when it moves) and capacity annealing's target C(t). Pure.
 */
import { extent } from 'd3';

export interface CapacityPoint {
  step: number;
  value: number;
}

const finiteOrUndefined = (v: number) => (Number.isFinite(v) ? v : undefined);

/** The smallest and largest finite value of a series ({lo: 0, hi: 0} when there is none). */
export function valueRange<P>(points: readonly P[], value: (p: P) => number): { lo: number; hi: number } {
  const [lo, hi] = extent(points, (p) => finiteOrUndefined(value(p)));
  return lo === undefined || hi === undefined ? { lo: 0, hi: 0 } : { lo, hi };
}

/**
 * Whether a series' values actually change (beyond float noise): the KL weight β(t) gets its own
 * line only under a schedule, not when it is the same constant at every step. Non-finite values
 * are ignored.
 */
export function varies<P>(points: readonly P[], value: (p: P) => number, relativeTolerance = 1e-9): boolean {
  const [lo, hi] = extent(points, (p) => finiteOrUndefined(value(p)));
  if (lo === undefined || hi === undefined) return false;
  return hi - lo > relativeTolerance * Math.max(1, Math.abs(hi), Math.abs(lo));
}

/** The capacity schedule over the shown steps, and its next point so the line reaches the edge. */
export function capacityUpTo(capacity: readonly CapacityPoint[] | undefined, lastStep: number): CapacityPoint[] {
  if (!capacity || capacity.length === 0) return [];
  const points = capacity.filter((c) => Number.isFinite(c.step) && Number.isFinite(c.value)).sort((a, b) => a.step - b.step);
  const cut = points.findIndex((c) => c.step > lastStep);
  return cut < 0 ? points : points.slice(0, cut + 1);
}

/** The capacity in force at `step`: the last schedule point at or before it (else the first). */
export function capacityAt(points: readonly CapacityPoint[], step: number): number | null {
  if (points.length === 0) return null;
  let value = points[0].value;
  for (const c of points) {
    if (c.step > step) break;
    value = c.value;
  }
  return value;
}
