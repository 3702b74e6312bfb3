/** Shared tfjs set-up and comparison helpers for the unit tests (cpu backend, Node). */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Call from beforeAll: the unit tests run on the plain-JS cpu backend. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error(`expected the cpu backend, got ${tf.getBackend()}`);
}

/** A tensor's values as a plain number array (synchronous; fine on cpu). */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/**
 * Asserts |actual[i] − expected[i]| ≤ atol + rtol·|expected[i]| for every i, with equal lengths,
 * and reports the worst index when it fails.
 */
export function expectAllClose(
  actual: ArrayLike<number> | tf.Tensor,
  expected: ArrayLike<number> | tf.Tensor,
  atol = 1e-5,
  rtol = 0,
): void {
  const a = actual instanceof tf.Tensor ? values(actual) : Array.from(actual);
  const e = expected instanceof tf.Tensor ? values(expected) : Array.from(expected);
  expect(a.length).toBe(e.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`index ${worst}: got ${a[worst]}, expected ${e[worst]} (atol ${atol}, rtol ${rtol}; ${a.length} values)`);
  }
}

/** Snapshot of every variable's values (copies). */
export function readVariables(vars: tf.Variable[]): Float32Array[] {
  return vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
}
