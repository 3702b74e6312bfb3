/**
 * Where the time of a training step goes: the same steps timed plainly (wall time per step) and
 * under tf.profile (each kernel's own time), so that wall − Σ kernels is what a step spends outside
 * the kernels (tfjs dispatch, the tape, our JS). Kernels are grouped by what they do.
 */
import * as tf from '../core/tf';
import type { WorkerEventOf } from './protocol';

export type StepProfile = Omit<WorkerEventOf<'stepProfile'>, 'type' | 'requestId'>;

/** The group a kernel belongs to, by its name. */
export function kernelGroup(name: string): 'matmul' | 'optimiser' | 'loss' | 'elementwise and reductions' {
  if (/matmul|gemm|conv2d|im2col|col2im/i.test(name)) return 'matmul';
  if (/adam/i.test(name)) return 'optimiser';
  if (/bernoulli|nll/i.test(name)) return 'loss';
  return 'elementwise and reductions';
}

export async function profileSteps(step: () => void, steps: number, now: () => number): Promise<StepProfile> {
  const start = now();
  for (let i = 0; i < steps; i++) step();
  await tf.ready();
  const wallMsPerStep = (now() - start) / steps;
  const byName = new Map<string, { ms: number; calls: number }>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(() => {
      step();
    });
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls += 1;
      byName.set(k.name, entry);
    }
  }
  const kernels = [...byName].map(([name, e]) => ({ name, group: kernelGroup(name), msPerStep: e.ms / steps, callsPerStep: e.calls / steps })).sort((a, b) => b.msPerStep - a.msPerStep);
  return { steps, wallMsPerStep, kernels };
}
